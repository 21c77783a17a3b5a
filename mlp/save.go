package mlp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
)

// The saved form of a network (all integers little-endian):
//
//	offset  size  field
//	0       8     magic "DCMLPNET"
//	8       4     format version (FormatVersion)
//	12      1     hidden activation, 1 output activation, 1 cost, 1 zero
//	16      4     number of sizes s (L+1)
//	20      4·s   sizes n⁰ … nᴸ
//	…             for l = 1 … L: wˡ (nˡ·nˡ⁻¹ float32, row-major), bˡ (nˡ float32)
//	end−4   4     CRC-32C (Castagnoli) of every byte before it
//
// A file that is truncated, extended or altered in any byte fails to load
// with an error.
const (
	fileMagic = "DCMLPNET"
	// FormatVersion is the version MarshalBinary writes and the only one
	// UnmarshalBinary reads.
	FormatVersion = 1
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is wrapped by the errors of UnmarshalBinary and Load for data
// that is not a valid saved network.
var ErrCorrupt = errors.New("mlp: corrupt network file")

// MarshalBinary returns the network in the saved form.
func (n *Network) MarshalBinary() ([]byte, error) {
	s := len(n.cfg.Sizes)
	size := 20 + 4*s + 4*n.Params() + 4
	buf := make([]byte, 0, size)
	buf = append(buf, fileMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, FormatVersion)
	buf = append(buf, byte(n.cfg.Hidden), byte(n.cfg.Output), byte(n.cfg.Cost), 0)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(s))
	for _, v := range n.cfg.Sizes {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(v))
	}
	for l := 1; l <= n.Layers(); l++ {
		for _, v := range n.w[l] {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
		for _, v := range n.b[l] {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
	}
	buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, crcTable))
	return buf, nil
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// Unmarshal returns the network saved in data (see MarshalBinary).
func Unmarshal(data []byte) (*Network, error) {
	if len(data) < 24 {
		return nil, corrupt("%d bytes is too short for a header", len(data))
	}
	if string(data[:8]) != fileMagic {
		return nil, corrupt("bad magic %q (want %q)", data[:8], fileMagic)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if got := crc32.Checksum(body, crcTable); got != sum {
		return nil, corrupt("checksum mismatch (stored %08x, computed %08x): the file is truncated or altered", sum, got)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != FormatVersion {
		return nil, fmt.Errorf("mlp: network file format version %d is not supported (this build reads version %d)", v, FormatVersion)
	}
	if data[15] != 0 {
		return nil, corrupt("reserved header byte is %d", data[15])
	}
	cfg := Config{Hidden: Activation(data[12]), Output: Activation(data[13]), Cost: Cost(data[14])}
	s := binary.LittleEndian.Uint32(data[16:])
	if s < 2 || s > 1<<10 || uint64(len(body)) < 20+4*uint64(s) {
		return nil, corrupt("bad number of layer sizes %d", s)
	}
	cfg.Sizes = make([]int, s)
	for i := range cfg.Sizes {
		cfg.Sizes[i] = int(binary.LittleEndian.Uint32(data[20+4*i:]))
	}
	if err := cfg.validate(); err != nil {
		return nil, corrupt("%v", err)
	}
	n, err := New(cfg)
	if err != nil {
		return nil, corrupt("%v", err)
	}
	off := 20 + 4*int(s)
	if want := off + 4*n.Params(); len(body) != want {
		return nil, corrupt("%d bytes of data for sizes %v, want %d", len(body), cfg.Sizes, want)
	}
	read := func(dst []float32) {
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[off:]))
			off += 4
		}
	}
	for l := 1; l <= n.Layers(); l++ {
		read(n.w[l])
		read(n.b[l])
	}
	return n, nil
}

// Save writes the network to path atomically: to a temporary file in the
// same directory, synced, then renamed over path, so that path holds either
// the old content or the complete new one.
func (n *Network) Save(path string) (err error) {
	data, err := n.MarshalBinary()
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("mlp: save: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("mlp: save: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("mlp: save: %w", err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("mlp: save: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("mlp: save: %w", err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("mlp: save: %w", err)
	}
	return nil
}

// Load reads a network saved by Save.
func Load(path string) (*Network, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("mlp: load: %w", err)
	}
	if max := int64(24 + 4*(1<<10) + 4*MaxParams); fi.Size() > max {
		return nil, corrupt("%s: %d bytes is larger than any network file (%d)", path, fi.Size(), max)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mlp: load: %w", err)
	}
	n, err := Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}
