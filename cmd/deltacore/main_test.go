package main

import (
	"bytes"
	"os"
	"os/exec"
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
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), envRunMain+"=1")
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
