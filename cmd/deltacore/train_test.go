package main

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/deltacore/deltacore/mlp"
	"github.com/deltacore/deltacore/mlp/mnist"
)

func TestSplitTraining(t *testing.T) {
	for _, c := range []struct {
		n, ntrain, validation, want int
		ok                          bool
	}{
		{60000, 0, 0, 60000, true},
		{60000, 50000, 0, 50000, true},
		{60000, 0, 10000, 50000, true}, // the book's split
		{60000, 50000, 10000, 50000, true},
		{60000, 1000, 10000, 1000, true},
		{60000, 50001, 10000, 0, false}, // would train on validation images
		{60000, 60001, 0, 0, false},
		{60000, -1, 0, 0, false},
		{60000, 0, -1, 0, false},
		{60000, 0, 60000, 0, false}, // nothing left to train on
	} {
		got, err := splitTraining(c.n, c.ntrain, c.validation)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("splitTraining(%d, %d, %d) = %d, %v; want %d (ok %v)", c.n, c.ntrain, c.validation, got, err, c.want, c.ok)
		}
	}
}

// mnistDir returns the MNIST directory for the tests that run the train
// command, or skips the test: under -short or emulation (loading MNIST and
// training take seconds natively, far longer emulated), or without the data.
func mnistDir(t *testing.T) string {
	t.Helper()
	if testing.Short() || os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
		t.Skip("loads MNIST and trains for seconds natively; far longer under -short or emulation")
	}
	dir, err := mnist.DefaultDir()
	if err != nil {
		t.Skip(err)
	}
	return dir
}

// TestTrainCommand runs `deltacore train` on the first 3000 MNIST training
// images for 2 epochs and checks what it prints against the network it saved:
// a float64 forward pass written here must classify the 10 000 test images as
// the printed last line says, to within two images (float32 against float64
// near a tie of the two largest outputs).
func TestTrainCommand(t *testing.T) {
	dir := mnistDir(t)
	_, test, err := mnist.Load(dir, mnist.PixelScale)
	if err != nil {
		t.Skip(err)
	}
	path := filepath.Join(t.TempDir(), "net.dcn")
	out, errOut, code := runCommand(t, "train", "-data", dir, "-sizes", "784,30,10", "-ntrain", "3000",
		"-epochs", "2", "-seed", "3", "-save", path)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	last := regexp.MustCompile(`^test accuracy: (\d+\.\d\d)%$`).FindStringSubmatch(lines[len(lines)-1])
	if last == nil {
		t.Fatalf("last line %q is not \"test accuracy: NN.NN%%\"\n%s", lines[len(lines)-1], out)
	}
	printed, _ := strconv.ParseFloat(last[1], 64)
	row := regexp.MustCompile(`^\s+(\d+)\s+[0-9.]+\s+(\d+\.\d\d)%\s`)
	var epochs []int
	var rowAcc string
	for _, l := range lines {
		if m := row.FindStringSubmatch(l); m != nil {
			e, _ := strconv.Atoi(m[1])
			epochs = append(epochs, e)
			rowAcc = m[2]
		}
	}
	if len(epochs) != 2 || epochs[0] != 1 || epochs[1] != 2 {
		t.Fatalf("table rows for epochs %v, want [1 2]\n%s", epochs, out)
	}
	if rowAcc != last[1] {
		t.Errorf("last table row says %s%%, last line %s%%", rowAcc, last[1])
	}

	net, err := mlp.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := net.Sizes(); len(got) != 3 || got[0] != 784 || got[1] != 30 || got[2] != 10 {
		t.Fatalf("saved network has sizes %v", got)
	}
	correct := 0
	for i := 0; i < test.N; i++ {
		a := make([]float64, 784)
		for k := range a {
			a[k] = float64(test.X[i*784+k])
		}
		for l := 1; l <= net.Layers(); l++ {
			w, b := net.Weights(l), net.Biases(l)
			next := make([]float64, len(b))
			for j := range next {
				z := float64(b[j])
				for k, v := range a {
					z += float64(w[j*len(a)+k]) * v
				}
				next[j] = 1 / (1 + math.Exp(-z))
			}
			a = next
		}
		best := 0
		for j := range a {
			if a[j] > a[best] {
				best = j
			}
		}
		if best == test.Labels[i] {
			correct++
		}
	}
	ref := 100 * float64(correct) / float64(test.N)
	if math.Abs(ref-printed) > 0.02+1e-9 {
		t.Errorf("printed test accuracy %.2f%%; the saved network classifies %.2f%% correctly in float64", printed, ref)
	}
	// Two epochs on 3000 images reach about 88 %; a broken trainer stays
	// near 10 %.
	if ref < 80 {
		t.Errorf("test accuracy %.2f%% after 2 epochs on 3000 images, want ≥ 80%%", ref)
	}
}

// TestTrainCommandErrors checks that bad flags end the command with exit
// status 1 and a message that names the problem, before any training.
func TestTrainCommandErrors(t *testing.T) {
	dir := mnistDir(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-sizes", "784,0,10"}, "layer 1 has 0 units"},
		{[]string{"-sizes", "700,30,10"}, "784 inputs"},
		{[]string{"-sizes", "784,30,9"}, "10 outputs"},
		{[]string{"-sizes", "784,x,10"}, "-sizes"},
		{[]string{"-ntrain", "70000"}, "only 60000 training images"},
		{[]string{"-validation", "60000"}, "-validation 60000"},
		{[]string{"-select-by-validation"}, "needs -validation"},
		{[]string{"-cost", "hinge"}, "unknown cost"},
		{[]string{"-init", "bogus"}, "unknown initializer"},
		{[]string{"-hidden", "softplus"}, "softplus"},
		{[]string{"-batch", "-1"}, "batch size"},
		{[]string{"-eta", "0"}, "learning rate"},
		{[]string{"-lambda", "-1"}, "weight decay"},
		{[]string{"-momentum", "1.5"}, "momentum"},
		{[]string{"-epochs", "-1"}, "-epochs -1"},
		{[]string{"-threads", "-2"}, "-threads -2"},
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"-data", filepath.Join(t.TempDir(), "none")}, "no such file"},
	} {
		args := append([]string{"train", "-data", dir, "-epochs", "0"}, c.args...)
		out, errOut, code := runCommand(t, args...)
		if code != 1 || !strings.Contains(errOut, c.want) || strings.Contains(out, "test accuracy") {
			t.Errorf("deltacore %s: exit %d, stderr %q, stdout %q; want exit 1 and an error containing %q",
				strings.Join(c.args, " "), code, errOut, out, c.want)
		}
	}
}
