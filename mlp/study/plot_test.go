package study

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// checkPNG fails the test unless path is a valid PNG of the study's size.
func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: not a valid PNG: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != PlotWidth || b.Dy() != PlotHeight {
		t.Fatalf("%s: %d×%d pixels, want %d×%d", path, b.Dx(), b.Dy(), PlotWidth, PlotHeight)
	}
}

func TestFigurePNG(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	f := Figure{Title: "t", XLabel: "x", YLabel: "y", LogY: true, Series: []Series{
		{Name: "a", X: x, Y: []float64{1, 0.1, 0.01, 0}, Lo: []float64{0.5, 0.05, 0.005, 0}, Hi: []float64{2, 0.2, 0.02, 0}},
		{Name: "b", X: x[:1], Y: []float64{3}},
	}}
	p := filepath.Join(t.TempDir(), "sub", "f.png")
	if err := f.SavePNG(p); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, p)
}
