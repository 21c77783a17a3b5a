//go:build unix

package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// withUmask runs f with the process umask set to mask. Tests that call it
// must not run in parallel.
func withUmask(t *testing.T, mask int, f func()) {
	t.Helper()
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	f()
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode()
}

func content(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTemps fails if a directory holds anything but the given names.
func noTemps(t *testing.T, dir string, want ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s holds %q, want %q (a temporary file left behind?)", dir, got, want)
	}
}

func TestNewFileFollowsUmask(t *testing.T) {
	for _, c := range []struct {
		umask int
		want  fs.FileMode
	}{{0o022, 0o644}, {0o027, 0o640}, {0o077, 0o600}, {0o002, 0o664}, {0, 0o666}} {
		dir := t.TempDir()
		p := filepath.Join(dir, "f")
		withUmask(t, c.umask, func() {
			if err := WriteFile(p, []byte("new")); err != nil {
				t.Fatal(err)
			}
		})
		if m := mode(t, p); m != c.want {
			t.Errorf("umask %03o: new file has mode %v, want %v", c.umask, m, c.want)
		}
		if got := content(t, p); got != "new" {
			t.Errorf("content %q", got)
		}
		noTemps(t, dir, "f")
	}
}

func TestExistingModeKept(t *testing.T) {
	for _, m := range []fs.FileMode{0o600, 0o640, 0o644, 0o664, 0o755, 0o444, 0o000} {
		dir := t.TempDir()
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, m); err != nil {
			t.Fatal(err)
		}
		// A umask that would narrow every one of them.
		withUmask(t, 0o077, func() {
			if err := WriteFile(p, []byte("new")); err != nil {
				t.Fatal(err)
			}
		})
		if got := mode(t, p); got != m {
			t.Errorf("old mode %v: new file has mode %v", m, got)
		}
		os.Chmod(p, 0o600)
		if got := content(t, p); got != "new" {
			t.Errorf("mode %v: content %q", m, got)
		}
		noTemps(t, dir, "f")
	}
}

func TestSpecialBitsDropped(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("old"), 0o755)
	if err := os.Chmod(p, 0o755|fs.ModeSetuid|fs.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	if mode(t, p)&fs.ModeSetuid == 0 {
		t.Skip("cannot set setuid here")
	}
	if err := WriteFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got := mode(t, p); got != 0o755 {
		t.Errorf("mode %v, want -rwxr-xr-x", got)
	}
}

// TestWritesThroughSymlinks: the file a chain of links names is replaced,
// in its own directory; the links stay links.
func TestWritesThroughSymlinks(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	os.Mkdir(a, 0o755)
	os.Mkdir(b, 0o755)
	target := filepath.Join(b, "real")
	if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	os.Chmod(target, 0o640)
	// a/link1 -> link2 (relative, same dir), a/link2 -> ../b/real.
	if err := os.Symlink("link2", filepath.Join(a, "link1")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../b/real", filepath.Join(a, "link2")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(a, "link1"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"link1", "link2"} {
		if m := mode(t, filepath.Join(a, l)); m&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link (mode %v)", l, m)
		}
	}
	if got := content(t, target); got != "new" {
		t.Errorf("target holds %q, want %q", got, "new")
	}
	if m := mode(t, target); m != 0o640 {
		t.Errorf("target mode %v, want 0640", m)
	}
	noTemps(t, a, "link1", "link2")
	noTemps(t, b, "real")

	// An absolute link, and a dangling one, which creates its target.
	abs := filepath.Join(a, "abs")
	os.Symlink(target, abs)
	if err := WriteFile(abs, []byte("abs")); err != nil || content(t, target) != "abs" {
		t.Errorf("through an absolute link: %v, %q", err, content(t, target))
	}
	dangling := filepath.Join(a, "dangling")
	os.Symlink("../b/created", dangling)
	if err := WriteFile(dangling, []byte("created")); err != nil {
		t.Fatal(err)
	}
	if got := content(t, filepath.Join(b, "created")); got != "created" {
		t.Errorf("dangling link's target holds %q", got)
	}
	if m := mode(t, dangling); m&fs.ModeSymlink == 0 {
		t.Error("the dangling link was replaced")
	}
	noTemps(t, b, "created", "real")

	// A loop is an error, and changes nothing.
	loop := filepath.Join(a, "loop")
	os.Symlink("loop", loop)
	if err := WriteFile(loop, []byte("x")); err == nil {
		t.Error("a symbolic link loop: no error")
	}
	if m := mode(t, loop); m&fs.ModeSymlink == 0 {
		t.Error("the looping link was replaced")
	}
}

// TestRefusesNonRegular: directories, devices and pipes are not replaced.
// It never points Write at a real device such as /dev/null: a broken Write
// running as root would replace it. The device is a copy of /dev/null's
// numbers made in the test's own directory, where root may make one.
func TestRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	os.Symlink("fifo", link)
	paths := []string{sub, fifo, link}
	want := []string{"fifo", "link", "sub"}
	dev := filepath.Join(dir, "dev")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err == nil {
		paths = append(paths, dev)
		want = []string{"dev", "fifo", "link", "sub"}
	} else {
		t.Logf("no device node (%v): testing a directory, a pipe and a link", err)
	}
	for _, p := range paths {
		before := mode(t, p)
		if err := WriteFile(p, []byte("x")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("%s: error %v, want one saying it is not a regular file", p, err)
		}
		if after := mode(t, p); after != before {
			t.Errorf("%s: mode %v became %v", p, before, after)
		}
	}
	noTemps(t, dir, want...)
}

// TestFailedWriteKeepsOld: a write that fails after writing part of the new
// content (more than the internal buffer, so some reached the file) leaves
// the old file intact and no temporary file.
func TestFailedWriteKeepsOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("old content"), 0o644)
	boom := errors.New("disk on fire")
	for _, n := range []int{0, 5, 1 << 20} {
		err := Write(p, func(w io.Writer) error {
			if _, err := w.Write(bytes.Repeat([]byte{'x'}, n)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("after %d bytes: error %v, want %v", n, err, boom)
		}
		if got := content(t, p); got != "old content" {
			t.Errorf("after a failed write of %d bytes the file holds %d bytes", n, len(got))
		}
		noTemps(t, dir, "f")
	}
}

func TestMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "no", "f"), []byte("x")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("into a missing directory: %v", err)
	}
	if err := WriteFile(dir+"/", []byte("x")); err == nil {
		t.Error("a path naming a directory: no error")
	}
	noTemps(t, dir)
}

func TestRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := WriteFile("f", []byte("rel")); err != nil {
		t.Fatal(err)
	}
	if got := content(t, filepath.Join(dir, "f")); got != "rel" {
		t.Errorf("content %q", got)
	}
	noTemps(t, dir, "f")
}
