//go:build unix

package mlp

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/deltacore/deltacore/internal/atomicfile"
)

func saveTestNet(t *testing.T, seed uint64) *Network {
	t.Helper()
	n, err := New(Config{Sizes: []int{7, 5, 3}})
	if err != nil {
		t.Fatal(err)
	}
	n.Init(NielsenDefault, seed)
	return n
}

func dirNames(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, e := range ents {
		s = append(s, e.Name())
	}
	return strings.Join(s, ",")
}

func fileMode(t *testing.T, p string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode()
}

// TestSaveModes: a new file follows the umask, an existing one keeps its
// permissions.
func TestSaveModes(t *testing.T) {
	dir := t.TempDir()
	net := saveTestNet(t, 1)
	old := syscall.Umask(0o027)
	p := filepath.Join(dir, "new.dcn")
	err := net.Save(p)
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	if m := fileMode(t, p); m != 0o640 {
		t.Errorf("new file under umask 027: mode %v, want -rw-r-----", m)
	}
	for _, m := range []fs.FileMode{0o600, 0o664, 0o444} {
		os.Chmod(p, m)
		if err := net.Save(p); err != nil {
			t.Fatal(err)
		}
		if got := fileMode(t, p); got != m {
			t.Errorf("existing file of mode %v: mode %v after Save", m, got)
		}
	}
	if got, err := Load(p); err != nil || !got.Equal(net) {
		t.Fatalf("reload: %v", err)
	}
	if names := dirNames(t, dir); names != "new.dcn" {
		t.Errorf("directory holds %s", names)
	}
}

// TestSaveThroughSymlink: Save replaces the file a link points to and keeps
// the link.
func TestSaveThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	runs := filepath.Join(dir, "runs")
	os.Mkdir(runs, 0o755)
	target := filepath.Join(runs, "run-1.dcn")
	link := filepath.Join(dir, "latest.dcn")
	a, b := saveTestNet(t, 1), saveTestNet(t, 2)
	if err := a.Save(target); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("runs/run-1.dcn", link); err != nil {
		t.Fatal(err)
	}
	if err := b.Save(link); err != nil {
		t.Fatal(err)
	}
	if m := fileMode(t, link); m&fs.ModeSymlink == 0 {
		t.Fatalf("the link became %v", m)
	}
	if got, err := Load(target); err != nil || !got.Equal(b) {
		t.Fatalf("the link's target does not hold the saved network: %v", err)
	}
	if names := dirNames(t, dir) + ";" + dirNames(t, runs); names != "latest.dcn,runs;run-1.dcn" {
		t.Errorf("directories hold %s", names)
	}
	// Not a regular file: refused, nothing changed.
	if err := b.Save(runs); err == nil {
		t.Error("Save over a directory: no error")
	}
	if fileMode(t, runs)&fs.ModeDir == 0 {
		t.Error("the directory was replaced")
	}
}

// TestSaveFailsMidWay: a write that fails after half the file (a full disk)
// leaves the old network in place and no temporary file.
func TestSaveFailsMidWay(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "net.dcn")
	a, b := saveTestNet(t, 1), saveTestNet(t, 2)
	if err := a.Save(p); err != nil {
		t.Fatal(err)
	}
	data, _ := b.MarshalBinary()
	half := len(data) / 2
	full := errors.New("no space left on device (simulated)")
	defer func(w func(string, func(io.Writer) error) error) { writeFile = w }(writeFile)
	var wrote int
	writeFile = func(path string, write func(io.Writer) error) error {
		return atomicfile.Write(path, func(w io.Writer) error {
			return write(&failingWriter{w: w, left: half, err: full, wrote: &wrote})
		})
	}
	if err := b.Save(p); !errors.Is(err, full) {
		t.Fatalf("error %v, want %v", err, full)
	}
	if wrote != half {
		t.Fatalf("the failing writer took %d bytes, want %d (the test does not fail mid-way)", wrote, half)
	}
	if got, err := Load(p); err != nil || !got.Equal(a) {
		t.Fatalf("after a failed Save the file does not hold the old network: %v", err)
	}
	if names := dirNames(t, dir); names != "net.dcn" {
		t.Errorf("directory holds %s", names)
	}
}

// failingWriter passes on left bytes, then fails.
type failingWriter struct {
	w     io.Writer
	left  int
	err   error
	wrote *int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	n := min(len(p), f.left)
	n, err := f.w.Write(p[:n])
	f.left -= n
	*f.wrote += n
	if err == nil && n < len(p) {
		err = f.err
	}
	return n, err
}

// TestLoadEndlessPipe: a pipe of endless data after a valid header is read
// only as far as the header declares.
func TestLoadEndlessPipe(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip(err)
	}
	data, _ := saveTestNet(t, 1).MarshalBinary()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		f.Write(data)
		junk := make([]byte, 1<<16)
		for {
			if _, err := f.Write(junk); err != nil {
				return // EPIPE once Load has closed its end
			}
		}
	}()
	var err error
	if got := heapBytes(func() { _, err = Load(p) }); got > 256<<10 {
		t.Errorf("loading from an endless pipe allocated %d bytes", got)
	}
	<-done
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("a network followed by endless data: error %v", err)
	}
}
