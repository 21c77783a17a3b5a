package fuzz

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"runtime"
	"testing"

	"github.com/deltacore/deltacore/mlp"
	"github.com/deltacore/deltacore/mlp/mnist"
)

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// reseal returns data with its last four bytes replaced by the CRC-32C
// of the rest, as the network file format stores it, or nil if data is
// too short to hold one. Random mutations almost never keep the checksum
// valid, so without this the decoder behind the check is never reached.
func reseal(data []byte) []byte {
	if len(data) < 4 {
		return nil
	}
	out := bytes.Clone(data)
	body := out[:len(out)-4]
	binary.LittleEndian.PutUint32(out[len(out)-4:], crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)))
	return out
}

// networkHeader returns a sealed network file with the given sizes and
// payload bytes (sigmoid, sigmoid, cross-entropy).
func networkHeader(sizes []uint32, payload int) []byte {
	b := []byte("DCMLPNET")
	b = binary.LittleEndian.AppendUint32(b, mlp.FormatVersion)
	b = append(b, 0, 0, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(sizes)))
	for _, s := range sizes {
		b = binary.LittleEndian.AppendUint32(b, s)
	}
	b = append(b, make([]byte, payload+4)...)
	return reseal(b)
}

// FuzzNetworkFile feeds arbitrary bytes to the network decoder twice: as
// they are, and with the checksum resealed over the (mutated) body, so that
// the header and size checks behind the checksum are fuzzed too. Either way
// it must return a network or an error, never panic, never allocate much
// more than the input's size (whatever sizes the header declares), and a
// network it accepts must marshal back to exactly the same bytes.
func FuzzNetworkFile(f *testing.F) {
	for _, sizes := range [][]int{{1, 1}, {3, 2}, {4, 3, 2}, {5, 1, 1, 5}} {
		net, err := mlp.New(mlp.Config{Sizes: sizes})
		if err != nil {
			f.Fatal(err)
		}
		net.Init(mlp.NielsenDefault, 7)
		data, err := net.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
		bad := bytes.Clone(data)
		bad[len(bad)/2] ^= 0x40
		f.Add(bad)
	}
	f.Add([]byte{})
	f.Add([]byte("DCNET\x00\x01"))
	// Sealed headers that declare far more than the input holds.
	const max32 = 1<<32 - 1
	for _, sizes := range [][]uint32{{8192, 8192}, {mlp.MaxUnits, mlp.MaxUnits}, {max32, max32},
		{1, max32, max32}, {1 << 31, 1 << 31, 1 << 31, 1 << 31, 1 << 31}, {0, 5}} {
		f.Add(networkHeader(sizes, 0))
		f.Add(networkHeader(sizes, 64))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		decode(t, data)
		if sealed := reseal(data); sealed != nil {
			decode(t, sealed)
		}
	})
}

// decode is one decoding of FuzzNetworkFile.
func decode(t *testing.T, data []byte) {
	var net *mlp.Network
	var err error
	n := allocated(func() { net, err = mlp.Unmarshal(data) })
	if limit := uint64(16*len(data) + 1<<20); n > limit {
		t.Fatalf("decoding %d bytes allocated %d bytes (limit %d)", len(data), n, limit)
	}
	if err != nil {
		if net != nil {
			t.Fatal("both a network and an error")
		}
		return
	}
	again, err := net.MarshalBinary()
	if err != nil {
		t.Fatalf("a loaded network does not marshal: %v", err)
	}
	if !bytes.Equal(again, data) {
		t.Fatalf("loaded %d bytes, saved %d different bytes", len(data), len(again))
	}
	var into mlp.Network
	if err := into.UnmarshalBinary(data); err != nil || !into.Equal(net) {
		t.Fatalf("UnmarshalBinary disagrees with Unmarshal: %v", err)
	}
}

// TestNetworkFileHugeSizes names the property the crafted seeds of
// FuzzNetworkFile check: a sealed input whose header declares gigabytes is
// an ErrCorrupt, decoded within the allocation bound. (Unmarshal used to
// allocate the declared 256 MiB for [8192 8192] before comparing sizes.)
func TestNetworkFileHugeSizes(t *testing.T) {
	for _, sizes := range [][]uint32{{8192, 8192}, {1 << 24, 1 << 24}, {1<<32 - 1, 1<<32 - 1}} {
		data := networkHeader(sizes, 0)
		var err error
		if n := allocated(func() { _, err = mlp.Unmarshal(data) }); n > 1<<20 {
			t.Errorf("sizes %v in %d bytes: %d bytes allocated", sizes, len(data), n)
		}
		if !errors.Is(err, mlp.ErrCorrupt) {
			t.Errorf("sizes %v in %d bytes: error %v", sizes, len(data), err)
		}
	}
}

// idx builds an IDX file: magic 0x0803 (images) or 0x0801 (labels).
func idx(dims []uint32, payload []byte) []byte {
	var b bytes.Buffer
	magic := uint32(0x0800 | len(dims))
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(payload)
	return b.Bytes()
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// FuzzIDX feeds arbitrary bytes to the MNIST IDX readers (plain or gzip):
// they must return data or an error, never panic, never allocate much more
// than the (decompressed) input, and images and labels they accept must
// encode back to exactly the input.
func FuzzIDX(f *testing.F) {
	img := idx([]uint32{2, 3, 2}, []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255})
	lab := idx([]uint32{3}, []byte{0, 9, 4})
	for _, s := range [][]byte{img, lab, img[:10], lab[:9], gz(img), gz(lab), gz(img)[:20],
		idx([]uint32{1 << 30, 28, 28}, nil), idx([]uint32{5}, []byte{1, 2, 3, 4, 11}), {}} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		plain := data
		if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
			r, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				plain = nil
			} else {
				plain, _ = io.ReadAll(io.LimitReader(r, 64<<20))
			}
		}
		limit := uint64(16*(len(data)+len(plain)) + 2<<20)
		var x []float32
		var n, rows, cols int
		var err error
		if a := allocated(func() { x, n, rows, cols, err = mnist.ReadImages(bytes.NewReader(data), "fuzz", 1) }); a > limit {
			t.Fatalf("reading %d bytes of images allocated %d bytes", len(data), a)
		}
		if err == nil {
			if len(x) != n*rows*cols {
				t.Fatalf("%d pixels for %d×%d×%d", len(x), n, rows, cols)
			}
			pix := make([]byte, len(x))
			for i, v := range x {
				if v != float32(byte(v)) {
					t.Fatalf("pixel %d = %g is not a byte value at scale 1", i, v)
				}
				pix[i] = byte(v)
			}
			if back := idx([]uint32{uint32(n), uint32(rows), uint32(cols)}, pix); !bytes.Equal(back, plain) {
				t.Fatalf("images do not encode back to the input")
			}
		}
		var labels []int
		if a := allocated(func() { labels, err = mnist.ReadLabels(bytes.NewReader(data), "fuzz", 10) }); a > limit {
			t.Fatalf("reading %d bytes of labels allocated %d bytes", len(data), a)
		}
		if err == nil {
			pl := make([]byte, len(labels))
			for i, l := range labels {
				if l < 0 || l >= 10 {
					t.Fatalf("label %d = %d out of range", i, l)
				}
				pl[i] = byte(l)
			}
			if back := idx([]uint32{uint32(len(labels))}, pl); !bytes.Equal(back, plain) {
				t.Fatalf("labels do not encode back to the input")
			}
		}
	})
}
