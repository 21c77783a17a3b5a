package mlp

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

var _ encoding.BinaryMarshaler = (*Network)(nil)
var _ encoding.BinaryUnmarshaler = (*Network)(nil)

// sealed returns a network file with the given header fields, sizes and
// payload, and a valid checksum: what a crafted input looks like.
func sealed(sizes []uint32, payload []byte) []byte {
	b := []byte(fileMagic)
	b = binary.LittleEndian.AppendUint32(b, FormatVersion)
	b = append(b, byte(Sigmoid), byte(Sigmoid), byte(CrossEntropy), 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(sizes)))
	for _, s := range sizes {
		b = binary.LittleEndian.AppendUint32(b, s)
	}
	b = append(b, payload...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

// heapBytes returns the bytes f allocates on the heap.
func heapBytes(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// craftedHeaders are sealed inputs whose headers declare sizes that the
// data cannot hold, many of them huge, some with parameter counts that
// overflow 32 or 64 bits.
func craftedHeaders() map[string][]byte {
	const max32 = 1<<32 - 1
	many := make([]uint32, 1<<10)
	for i := range many {
		many[i] = max32
	}
	return map[string][]byte{
		"8192x8192 in 32 bytes":        sealed([]uint32{8192, 8192}, nil),
		"8192x8192 with 1 KiB":         sealed([]uint32{8192, 8192}, make([]byte, 1024)),
		"MaxUnits x MaxUnits":          sealed([]uint32{MaxUnits, MaxUnits}, nil),
		"2^32-1 x 2^32-1":              sealed([]uint32{max32, max32}, make([]byte, 64)),
		"1024 sizes of 2^32-1":         sealed(many, nil),
		"1 x 2^32-1 x 2^32-1":          sealed([]uint32{1, max32, max32}, nil),
		"wraps uint64 (4 x 2^62)":      sealed([]uint32{1 << 31, 1 << 31, 1 << 31, 1 << 31, 1 << 31}, make([]byte, 1<<10)),
		"2^32-1 x 0 x 2^32-1":          sealed([]uint32{max32, 0, max32}, nil),
		"zero units, matching payload": sealed([]uint32{0, 5}, make([]byte, 4*5)),
		"3x2, one float short":         sealed([]uint32{3, 2}, make([]byte, 4*(3*2+2)-4)),
		"3x2, one float long":          sealed([]uint32{3, 2}, make([]byte, 4*(3*2+2)+4)),
		"3x2, two bytes long":          sealed([]uint32{3, 2}, make([]byte, 4*(3*2+2)+2)),
		"more sizes than bytes":        sealed([]uint32{3, 2}, nil)[:20],
	}
}

// TestUnmarshalChecksSizesBeforeAllocating: a valid checksum over a header
// that declares more parameters than the input holds is an error, and
// decoding it allocates about nothing, not what the header declares.
func TestUnmarshalChecksSizesBeforeAllocating(t *testing.T) {
	for name, data := range craftedHeaders() {
		var net *Network
		var err error
		got := heapBytes(func() { net, err = Unmarshal(data) })
		if !errors.Is(err, ErrCorrupt) || net != nil {
			t.Errorf("%s: network %v, error %v; want an ErrCorrupt", name, net != nil, err)
		}
		if limit := uint64(16*len(data) + 64<<10); got > limit {
			t.Errorf("%s: decoding %d bytes allocated %d bytes (limit %d)", name, len(data), got, limit)
		}
	}
	// The same sizes with their full payload decode (a control that the
	// crafted inputs fail for their sizes, not their form).
	good := sealed([]uint32{3, 2}, make([]byte, 4*(3*2+2)))
	if _, err := Unmarshal(good); err != nil {
		t.Fatalf("3x2 with its payload: %v", err)
	}
}

func TestUnmarshalBinary(t *testing.T) {
	src, _ := New(Config{Sizes: []int{4, 3, 2}, Hidden: ReLU, Output: Tanh, Cost: Quadratic})
	src.Init(NielsenDefault, 5)
	data, err := src.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var dst Network
	if err := dst.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if !dst.Equal(src) {
		t.Fatal("UnmarshalBinary(MarshalBinary()) differs from the original")
	}
	again, _ := dst.MarshalBinary()
	if !bytes.Equal(again, data) {
		t.Fatal("MarshalBinary after UnmarshalBinary differs")
	}
	// An error leaves the network as it was.
	other, _ := New(Config{Sizes: []int{2, 2}})
	other.Init(Large, 1)
	keep, _ := other.MarshalBinary()
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 1
	if err := other.UnmarshalBinary(bad); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("corrupt data: error %v", err)
	}
	if now, _ := other.MarshalBinary(); !bytes.Equal(now, keep) {
		t.Fatal("a failed UnmarshalBinary changed the network")
	}
}

// TestLoadReadsWhatTheHeaderDeclares: Load reads the header and then only
// the declared length (and one byte more), so a short file declaring huge
// sizes, or a huge file declaring small ones, costs about nothing.
func TestLoadReadsWhatTheHeaderDeclares(t *testing.T) {
	dir := t.TempDir()
	for name, data := range craftedHeaders() {
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var err error
		got := heapBytes(func() { _, err = Load(p) })
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: error %v, want an ErrCorrupt", name, err)
		}
		if limit := uint64(16*len(data) + 64<<10); got > limit {
			t.Errorf("%s: loading %d bytes allocated %d bytes (limit %d)", name, len(data), got, limit)
		}
	}
	// A valid network followed by a gigabyte (sparse) of zeros.
	net, _ := New(Config{Sizes: []int{3, 2}})
	data, _ := net.MarshalBinary()
	p := filepath.Join(dir, "long")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, 1<<30); err != nil {
		t.Skip(err)
	}
	var err error
	if got := heapBytes(func() { _, err = Load(p) }); got > 64<<10 {
		t.Errorf("loading a network with 1 GiB after it allocated %d bytes", got)
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("a network with 1 GiB after it: error %v", err)
	}
	// The same file at its right length loads.
	if err := os.Truncate(p, int64(len(data))); err != nil {
		t.Fatal(err)
	}
	if got, err := Load(p); err != nil || !got.Equal(net) {
		t.Fatalf("the network at its length: %v", err)
	}
}
