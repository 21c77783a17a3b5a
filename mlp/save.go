package mlp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"strings"

	"github.com/deltacore/deltacore/internal/atomicfile"
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
	size := headerSize + 4*s + 4*n.Params() + 4
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

// headerSize is the size of the fixed header, before the sizes.
const headerSize = 20

// maxFileSize is the size of the largest network file: 1024 sizes and
// MaxParams parameters.
const maxFileSize int64 = headerSize + 4*(1<<10) + 4*MaxParams + 4

// Unmarshal returns the network saved in data (see MarshalBinary).
//
// It allocates only after it has checked that data holds exactly the
// parameters its header declares, so that memory grows with the input's
// length, not with the sizes the header claims: a small input declaring
// sizes of millions of units is an error, not an allocation. The checksum
// guards against accidents, not against crafted input, so these checks do
// not rely on it.
func Unmarshal(data []byte) (*Network, error) {
	if len(data) < headerSize+4 {
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
	// 4·s bytes of sizes must be there before s ints are allocated.
	if s < 2 || s > 1<<10 || uint64(len(body)) < headerSize+4*uint64(s) {
		return nil, corrupt("bad number of layer sizes %d for %d bytes", s, len(data))
	}
	off := headerSize + 4*int(s)
	avail := uint64(len(body)-off) / 4
	params, ok := countParams(data[headerSize:off], avail)
	if !ok || params != avail || (len(body)-off)%4 != 0 {
		return nil, corrupt("%d bytes of data do not hold the parameters of sizes %v", len(body)-off, declaredSizes(data[headerSize:off]))
	}
	cfg.Sizes = make([]int, s)
	for i := range cfg.Sizes {
		cfg.Sizes[i] = int(binary.LittleEndian.Uint32(data[headerSize+4*i:]))
	}
	if err := cfg.validate(); err != nil {
		return nil, corrupt("%v", err)
	}
	n, err := New(cfg)
	if err != nil {
		return nil, corrupt("%v", err)
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

// countParams returns the number of parameters of a network with the
// given sizes (little-endian uint32s, at least one), and false if it is
// more than limit. The count could overflow even uint64 (2³²·2³² per
// layer), so each layer's count is checked against what is left of limit,
// by division, before it is added.
func countParams(sizes []byte, limit uint64) (uint64, bool) {
	var params uint64
	prev := uint64(binary.LittleEndian.Uint32(sizes))
	for i := 4; i+4 <= len(sizes); i += 4 {
		n := uint64(binary.LittleEndian.Uint32(sizes[i:]))
		if n > (limit-params)/(prev+1) {
			return 0, false
		}
		params += n*prev + n
		prev = n
	}
	return params, true
}

// declaredSizes returns the sizes for an error message: the first 16 and
// how many more.
func declaredSizes(sizes []byte) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i+4 <= len(sizes); i += 4 {
		if i == 4*16 {
			fmt.Fprintf(&b, " … %d more", (len(sizes)-i)/4)
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, binary.LittleEndian.Uint32(sizes[i:]))
	}
	b.WriteByte(']')
	return b.String()
}

// declaredLen returns how long the network file that starts with head is,
// as far as head tells: headerSize while head is shorter than the header,
// the end of the sizes while it is shorter than them, the whole file's
// length after that, or −1 if head is not the start of a network file
// (bad magic, a bad number of sizes, more than maxFileSize bytes).
func declaredLen(head []byte) int64 {
	if len(head) < headerSize {
		return headerSize
	}
	s := int64(binary.LittleEndian.Uint32(head[16:]))
	if string(head[:8]) != fileMagic || s < 2 || s > 1<<10 {
		return -1
	}
	off := headerSize + 4*s
	if int64(len(head)) < off {
		return off
	}
	params, ok := countParams(head[headerSize:off], uint64(maxFileSize-off-4)/4)
	if !ok {
		return -1
	}
	return off + 4*int64(params) + 4
}

// UnmarshalBinary replaces the network with the one saved in data (see
// MarshalBinary and Unmarshal): its configuration and parameters. On error
// the network is unchanged. Workspaces and trainers made for the old
// network must not be used with the new one if the sizes differ.
func (n *Network) UnmarshalBinary(data []byte) error {
	m, err := Unmarshal(data)
	if err != nil {
		return err
	}
	*n = *m
	return nil
}

// writeFile is atomicfile.Write; tests replace it to make writes fail.
var writeFile = atomicfile.Write

// Save writes the network to path (see MarshalBinary) with the guarantees
// of a careful atomic writer:
//
//   - path holds either its old content or the complete new network, even
//     after a crash or a failed write (a full disk): the network goes to a
//     temporary file ".<name>.tmp-<random>" in the same directory, which is
//     fsynced and renamed over path, and then the directory is fsynced, so
//     that once Save returns nil the new file survives a crash (as far as
//     the file system honours fsync). On error no temporary file is left.
//   - An existing file keeps its permission bits (not setuid, setgid,
//     sticky, its owner, ACLs or extended attributes); a new file gets 0666
//     less the umask, as os.Create.
//   - If path is a symbolic link, Save writes through it: the file it
//     points to is replaced and the link stays. Save refuses to replace
//     anything but a regular file (a directory, a device, a pipe).
//   - The directory must exist.
func (n *Network) Save(path string) error {
	data, err := n.MarshalBinary()
	if err != nil {
		return err
	}
	err = writeFile(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("mlp: save: %w", err)
	}
	return nil
}

// Load reads a network saved by Save. It reads the header first and then
// only as many bytes as the header declares (and one more, to notice a file
// that is too long), so memory follows the declared size, at most that of
// the largest network file, and never more than the file holds: a pipe or
// device of endless data, or a short file that declares huge sizes, is an
// error, not an allocation of gigabytes.
func Load(path string) (*Network, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mlp: load: %w", err)
	}
	defer f.Close()
	var hint int64 = -1 // the size of a regular file
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		hint = fi.Size()
	}
	var buf bytes.Buffer
	want := int64(0)
	for {
		next := declaredLen(buf.Bytes())
		if next <= want {
			break // all read, or not a network file: Unmarshal says why
		}
		want = next
		if hint >= 0 && want <= hint && want <= math.MaxInt-bytes.MinRead {
			// Room for the rest of the file and for ReadFrom to see its
			// end, so that the buffer grows once, not by doubling.
			buf.Grow(int(want) - buf.Len() + bytes.MinRead)
		}
		if _, err := io.CopyN(&buf, f, want-int64(buf.Len())); err == io.EOF {
			break // truncated: Unmarshal says so
		} else if err != nil {
			return nil, fmt.Errorf("mlp: load: %w", err)
		}
	}
	// One byte more makes a file that is too long fail in Unmarshal.
	if _, err := io.CopyN(&buf, f, 1); err != nil && err != io.EOF {
		return nil, fmt.Errorf("mlp: load: %w", err)
	}
	n, err := Unmarshal(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}
