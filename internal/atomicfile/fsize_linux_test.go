package atomicfile

import (
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFileSizeLimit is a full disk as the kernel reports it: with
// RLIMIT_FSIZE at 4 KiB, writing 8 KiB (which fails in the final flush of
// the buffer) or 1 MiB (which fails in the first write) fails with EFBIG
// after part of it reached the temporary file. The old file must stay
// intact, and no temporary file remain.
func TestFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip(err)
	}
	// Without this, exceeding the limit kills the process with SIGXFSZ.
	signal.Ignore(syscall.SIGXFSZ)
	defer signal.Reset(syscall.SIGXFSZ)
	lim := old
	lim.Cur = 4 << 10
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip(err)
	}
	var errs []error
	for _, n := range []int{8 << 10, 1 << 20} {
		errs = append(errs, WriteFile(p, make([]byte, n)))
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	for _, err := range errs {
		if !errors.Is(err, syscall.EFBIG) {
			t.Errorf("error %v, want EFBIG", err)
		}
	}
	if got := content(t, p); got != "old content" {
		t.Errorf("the old file holds %d bytes after a failed write", len(got))
	}
	noTemps(t, dir, "f")
}
