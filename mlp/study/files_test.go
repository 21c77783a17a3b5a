package study

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFilesAtomically: the study's writers make missing folders, keep
// an existing file's permissions and leave no temporary file.
func TestWriteFilesAtomically(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "b", "speeds.csv")
	if err := WriteCSV(p, []string{"x"}, [][]string{{"1"}}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(p, []string{"x"}, [][]string{{"2"}}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "x\n2\n" {
		t.Errorf("content %q", b)
	}
	if fi, err := os.Stat(p); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after rewrite %v, want 0600", fi.Mode())
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		t.Errorf("%d entries beside the file, want 1 (a temporary file left?)", len(ents))
	}
	if err := WriteJSON(filepath.Join(dir, "a"), 1); err == nil {
		t.Error("WriteJSON over a directory: no error")
	}
}
