package deltacore_test

// Tests of the ISA levels: Levels, SetLevel, CurrentLevel, ParseLevel, and
// the DELTACORE_ISA cap, which is read once at start and so is tested by
// re-executing the test binary with the variable set.

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/deltacore/deltacore"
	"github.com/klauspost/cpuid/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var allLevels = []deltacore.Level{deltacore.Generic, deltacore.AVX2, deltacore.AVX512, deltacore.NEON}

// family and rank order the levels as the documentation does: a level can
// stand in for a lower one of its own architecture, and Generic for any.
func family(l deltacore.Level) string {
	switch l {
	case deltacore.AVX2, deltacore.AVX512:
		return "x86"
	case deltacore.NEON:
		return "arm"
	}
	return ""
}

func rank(l deltacore.Level) int {
	switch l {
	case deltacore.AVX512:
		return 2
	case deltacore.AVX2, deltacore.NEON:
		return 1
	}
	return 0
}

// hasBuildTag reports whether the test binary was built with tag.
func hasBuildTag(tag string) bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-tags" && slices.Contains(strings.Split(s.Value, ","), tag) {
			return true
		}
	}
	return false
}

func TestLevelString(t *testing.T) {
	want := map[deltacore.Level]string{deltacore.Generic: "generic", deltacore.AVX2: "avx2", deltacore.AVX512: "avx512", deltacore.NEON: "neon"}
	for l, s := range want {
		assert.Equal(t, s, l.String())
	}
	assert.Equal(t, "Level(9)", deltacore.Level(9).String())
}

func TestParseLevel(t *testing.T) {
	for _, l := range allLevels {
		got, err := deltacore.ParseLevel(l.String())
		require.NoError(t, err)
		assert.Equal(t, l, got, "ParseLevel(%q)", l.String())
		got, err = deltacore.ParseLevel(" " + strings.ToUpper(l.String()) + "\n")
		require.NoError(t, err)
		assert.Equal(t, l, got, "ParseLevel is case-insensitive and trims space")
	}
	for _, bad := range []string{"", "sse4", "avx-512", "avx", "generic2", "Level(9)"} {
		_, err := deltacore.ParseLevel(bad)
		if assert.Error(t, err, "ParseLevel(%q)", bad) {
			assert.Contains(t, err.Error(), `"`+bad+`"`, "the error names the input")
		}
	}
}

func TestLevels(t *testing.T) {
	ls := deltacore.Levels()
	require.NotEmpty(t, ls)
	assert.Equal(t, deltacore.Generic, ls[len(ls)-1], "Levels() = %v must end with generic", ls)
	for i, l := range ls {
		assert.True(t, deltacore.Available(l), "%s listed but not Available", l)
		assert.Contains(t, allLevels, l)
		if i > 0 {
			// Best first: each level ranks strictly below the one before.
			assert.Less(t, rank(l), rank(ls[i-1]), "Levels() = %v is not best first", ls)
			if family(l) != "" {
				assert.Equal(t, family(ls[i-1]), family(l), "Levels() = %v mixes architectures", ls)
			}
		}
	}
	for _, l := range allLevels {
		assert.Equal(t, slices.Contains(ls, l), deltacore.Available(l), "Available(%s)", l)
	}
	assert.False(t, deltacore.Available(deltacore.Level(9)))

	// Levels returns a copy.
	ls[0] = deltacore.Level(42)
	assert.NotEqual(t, deltacore.Level(42), deltacore.Levels()[0])
}

// TestLevelsMatchCPU checks detection against cpuid directly: a level is
// listed only when the CPU has every feature it needs (otherwise its
// kernels would SIGILL); on amd64 every level the CPU can run is listed.
func TestLevelsMatchCPU(t *testing.T) {
	ls := deltacore.Levels()
	purego := hasBuildTag("purego")
	t.Logf("GOARCH=%s purego=%v cpu=%q levels=%v", runtime.GOARCH, purego, cpuid.CPU.BrandName, ls)
	if purego || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
		assert.Equal(t, []deltacore.Level{deltacore.Generic}, ls, "no assembly in this build")
		return
	}
	avx2 := cpuid.CPU.Supports(cpuid.AVX, cpuid.AVX2, cpuid.FMA3)
	avx512 := avx2 && cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512DQ)
	switch runtime.GOARCH {
	case "amd64":
		var want []deltacore.Level
		if avx512 {
			want = append(want, deltacore.AVX512)
		}
		if avx2 {
			want = append(want, deltacore.AVX2)
		}
		want = append(want, deltacore.Generic)
		assert.Equal(t, want, ls)
	case "arm64":
		// Until the NEON kernels land, arm64 may run generic only.
		for _, l := range ls {
			assert.Contains(t, []deltacore.Level{deltacore.NEON, deltacore.Generic}, l)
		}
		if slices.Contains(ls, deltacore.NEON) {
			assert.True(t, cpuid.CPU.Supports(cpuid.ASIMD), "neon listed without ASIMD")
		}
	}
}

// TestStartLevel checks the level chosen at start against DELTACORE_ISA as
// this test binary sees it.
func TestStartLevel(t *testing.T) {
	ls := deltacore.Levels()
	v, set := os.LookupEnv(deltacore.EnvVar)
	if !set || strings.TrimSpace(v) == "" {
		assert.Equal(t, ls[0], startLevel, "without %s the best level is used", deltacore.EnvVar)
		assert.Empty(t, deltacore.EnvWarning())
		return
	}
	want, err := deltacore.ParseLevel(v)
	switch {
	case err != nil:
		assert.Equal(t, ls[0], startLevel)
		assert.NotEmpty(t, deltacore.EnvWarning())
	case deltacore.Available(want):
		assert.Equal(t, want, startLevel)
		assert.Empty(t, deltacore.EnvWarning())
	default:
		assert.Contains(t, ls, startLevel)
		assert.NotEmpty(t, deltacore.EnvWarning())
	}
}

func TestSetLevel(t *testing.T) {
	setLevelDuringTest(t, deltacore.CurrentLevel()) // restore at the end
	run := testLevels()
	for _, l := range append(slices.Clone(allLevels), deltacore.Level(9)) {
		before := deltacore.CurrentLevel()
		err := deltacore.SetLevel(l)
		if !deltacore.Available(l) {
			if assert.Error(t, err, "SetLevel(%s) on a CPU without it", l) {
				assert.Contains(t, err.Error(), l.String())
			}
			assert.Equal(t, before, deltacore.CurrentLevel(), "a failed SetLevel(%s) changed the level", l)
		} else {
			require.NoError(t, err)
			assert.Equal(t, l, deltacore.CurrentLevel())
		}
		if slices.Contains(run, deltacore.CurrentLevel()) {
			dst := make([]float32, 3)
			deltacore.Sigmoid(dst, []float32{0, inf32, -inf32})
			assert.Equal(t, []float32{0.5, 1, 0}, dst, "kernels after SetLevel(%s)", l)
		}
	}
}

// helperEnv is set in the environment of the re-executed test binary.
const helperEnv = "DELTACORE_TEST_HELPER"

// TestHelperPrintLevel is not a test: TestEnvVarCapsLevel re-executes the
// test binary to run it alone, with DELTACORE_ISA set, and reads what it
// prints.
func TestHelperPrintLevel(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("helper process for TestEnvVarCapsLevel")
	}
	var ls []string
	for _, l := range deltacore.Levels() {
		ls = append(ls, l.String())
	}
	os.Stdout.WriteString("levels=" + strings.Join(ls, ",") + "\n" +
		"level=" + deltacore.CurrentLevel().String() + "\n" +
		"warning=" + deltacore.EnvWarning() + "\n")
}

type helperResult struct {
	levels  []deltacore.Level
	level   deltacore.Level
	warning string
	stderr  string
}

func runHelper(t *testing.T, isa string, set bool) helperResult {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPrintLevel$", "-test.count=1")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, deltacore.EnvVar+"=") && !strings.HasPrefix(kv, helperEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, helperEnv+"=1")
	if set {
		cmd.Env = append(cmd.Env, deltacore.EnvVar+"="+isa)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if errors.Is(err, syscall.ENOEXEC) {
		// qemu-user without binfmt_misc cannot start a foreign binary.
		t.Skipf("cannot re-execute the test binary here: %v", err)
	}
	require.NoError(t, err, "helper: stdout %s\nstderr %s", stdout.String(), stderr.String())
	r := helperResult{stderr: stderr.String()}
	seen := 0
	for line := range strings.Lines(stdout.String()) {
		k, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "=")
		if !ok {
			continue
		}
		switch k {
		case "levels":
			for _, s := range strings.Split(v, ",") {
				l, err := deltacore.ParseLevel(s)
				require.NoError(t, err)
				r.levels = append(r.levels, l)
			}
			seen++
		case "level":
			l, err := deltacore.ParseLevel(v)
			require.NoError(t, err)
			r.level = l
			seen++
		case "warning":
			r.warning = v
			seen++
		}
	}
	require.Equal(t, 3, seen, "helper output:\n%s", stdout.String())
	return r
}

// TestEnvVarCapsLevel re-executes the test binary with DELTACORE_ISA set
// and checks the level it starts at. The expected level is computed from
// the levels the child reports (under qemu-user the child may run on the
// host CPU).
func TestEnvVarCapsLevel(t *testing.T) {
	if os.Getenv(helperEnv) == "1" {
		t.Skip("inside the helper process")
	}
	cases := []struct {
		isa string
		set bool
	}{
		{"", false}, {"", true}, {"generic", true}, {"avx2", true}, {"AVX512", true}, {"neon", true}, {"bogus", true},
	}
	for _, c := range cases {
		name := c.isa
		if !c.set {
			name = "unset"
		} else if name == "" {
			name = "empty"
		}
		t.Run(deltacore.EnvVar+"="+name, func(t *testing.T) {
			r := runHelper(t, c.isa, c.set)
			require.NotEmpty(t, r.levels)
			// The library never prints, whatever the variable says.
			assert.Empty(t, r.stderr, "the package wrote to stderr")
			best := r.levels[0]
			want, err := deltacore.ParseLevel(c.isa)
			switch {
			case strings.TrimSpace(c.isa) == "":
				assert.Equal(t, best, r.level)
				assert.Empty(t, r.warning)
			case err != nil:
				// A bogus value warns, through EnvWarning only, and keeps
				// the best level.
				assert.Equal(t, best, r.level)
				assert.Contains(t, r.warning, c.isa)
			case slices.Contains(r.levels, want):
				assert.Equal(t, want, r.level)
				assert.Empty(t, r.warning)
			default:
				// Not on this CPU: the best available level below it.
				cap := deltacore.Generic
				for _, l := range r.levels {
					if l == deltacore.Generic || (family(l) == family(want) && rank(l) <= rank(want)) {
						cap = l
						break
					}
				}
				assert.Equal(t, cap, r.level)
				assert.Contains(t, r.warning, want.String())
			}
		})
	}
}
