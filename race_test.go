package deltacore

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/deltacore/deltacore/internal/israce"
)

// raceChildEnv marks the child process of TestRaceSeesProducts.
const raceChildEnv = "DELTACORE_RACE_CHILD"

// TestRaceSeesProducts checks, under -race only, that the race detector
// sees what the assembly of Sgemm, DenseForward and DenseBackward writes:
// a child test binary (this one, at each level through DELTACORE_ISA) reads
// C, act and d on another goroutine while the product writes them, and its
// output must report a data race inside each of the three functions.
func TestRaceSeesProducts(t *testing.T) {
	if !israce.Enabled {
		t.Skip("needs -race")
	}
	if os.Getenv(raceChildEnv) != "" {
		t.Skip("in the child")
	}
	for _, l := range Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRaceChild$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), raceChildEnv+"=1", EnvVar+"="+l.String(), "GORACE=halt_on_error=0")
			out, _ := cmd.CombinedOutput() // the child fails: it has races
			s := string(out)
			if !strings.Contains(s, "child level "+l.String()) {
				t.Fatalf("child did not run at level %s:\n%s", l, s)
			}
			for _, fn := range []string{".Sgemm()", ".DenseForward()", ".DenseBackward()"} {
				if !strings.Contains(s, "WARNING: DATA RACE") || !strings.Contains(s, fn) {
					t.Errorf("no data race reported in %s at level %s; child output:\n%s", fn, l, s)
				}
			}
		})
	}
}

// TestRaceChild is the racy program of TestRaceSeesProducts.
func TestRaceChild(t *testing.T) {
	if os.Getenv(raceChildEnv) == "" {
		t.Skip("run by TestRaceSeesProducts")
	}
	t.Logf("child level %s", CurrentLevel())
	const n = 64
	x := make([]float32, n*n)
	w := make([]float32, n*n)
	racy := func(out []float32, f func()) {
		done := make(chan float32)
		go func() { done <- out[n+3] }() // unsynchronised read
		f()
		<-done
	}
	c := make([]float32, n*n)
	racy(c, func() { Sgemm(NoTrans, NoTrans, n, n, n, 1, x, n, w, n, 0, c, n) })
	z, act := make([]float32, n*n), make([]float32, n*n)
	racy(act, func() { DenseForward(n, n, n, x, n, w, n, nil, z, n, act, n) })
	d := make([]float32, n*n)
	racy(d, func() { DenseBackward(n, n, n, x, n, w, n, z, n, d, n) })
}
