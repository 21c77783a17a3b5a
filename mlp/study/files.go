package study

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/deltacore/deltacore/internal/atomicfile"

	"gonum.org/v1/plot/vg/vgimg"
)

// writeAtomic makes path's folder (and its parents) and writes the file
// with internal/atomicfile: through a temporary file in the same folder,
// fsynced and renamed, then the folder fsynced, so that a reader or a crash
// never sees a half-written file; an existing file keeps its permissions, a
// new one follows the umask, and a symbolic link is written through.
func writeAtomic(path string, write func(w io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("study: %w", err)
	}
	return nil
}

func savePNG(path string, c *vgimg.Canvas) error {
	return writeAtomic(path, func(f io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(f)
		return err
	})
}

// WriteCSV writes a header and rows to path.
func WriteCSV(path string, header []string, rows [][]string) error {
	return writeAtomic(path, func(f io.Writer) error {
		w := csv.NewWriter(f)
		if err := w.Write(header); err != nil {
			return err
		}
		if err := w.WriteAll(rows); err != nil {
			return err
		}
		return w.Error()
	})
}

// WriteJSON writes v as indented JSON to path.
func WriteJSON(path string, v any) error {
	return writeAtomic(path, func(f io.Writer) error {
		e := json.NewEncoder(f)
		e.SetIndent("", "  ")
		return e.Encode(v)
	})
}
