package fuzz

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"testing"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/internal/israce"
	"github.com/deltacore/deltacore/internal/memguard"
)

// reporter is the part of *testing.T that the checks use. The checks take a
// reporter rather than a *testing.T so that TestChecksCatchBrokenKernels can
// run them against deliberately wrong kernels and count the failures.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// maxErrors is how many bad elements one check reports before it stops.
const maxErrors = 4

// maxElems caps the vector length taken from a fuzz input: the widest
// kernels unroll 4×16 lanes, so a few thousand elements reach every path
// while keeping an execution well under a millisecond.
const maxElems = 1 << 12

// forEachLevel calls fn once for every level this CPU and build can run,
// with that level set, and restores the previous level afterwards.
func forEachLevel(t *testing.T, fn func(l deltacore.Level)) {
	t.Helper()
	old := deltacore.CurrentLevel()
	defer func() {
		if err := deltacore.SetLevel(old); err != nil {
			t.Fatal(err)
		}
	}()
	for _, l := range deltacore.Levels() {
		if err := deltacore.SetLevel(l); err != nil {
			t.Fatal(err)
		}
		fn(l)
	}
}

// panicOnFault makes a fault (a kernel touching a guard page) a panic that
// the fuzzing engine reports with the faulting address, instead of a crash
// of the whole process. Use as defer panicOnFault()().
func panicOnFault() func() {
	old := debug.SetPanicOnFault(true)
	return func() { debug.SetPanicOnFault(old) }
}

// ---------------------------------------------------------------------------
// Inputs.

// rawFloats reinterprets raw as little-endian float32 values, so that NaN,
// ±Inf, subnormals and −0 all occur. Trailing bytes that do not fill a
// float32 are ignored; at most maxElems values are taken.
func rawFloats(raw []byte) []float32 {
	n := min(len(raw)/4, maxElems)
	v := make([]float32, n)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return v
}

// unit maps 32 random bits to a float32 in [−1, 1): sign, a 23-bit
// mantissa and an exponent between 2⁻²⁵ and 2⁻¹, or +0 for one pattern
// in 32. Magnitudes spread over 25 binades, so reductions round in ways that
// depend on the order of summation, yet nothing overflows or underflows.
func unit(u uint32) float32 {
	e := int(u>>23) & 31
	if e == 31 {
		return 0
	}
	m := u & (1<<23 - 1)
	bits := uint32(127-1-e%25)<<23 | m
	if u>>31 != 0 {
		bits |= 1 << 31
	}
	return math.Float32frombits(bits)
}

// unitFloats maps raw, 4 bytes at a time, into [−1, 1) with unit.
func unitFloats(raw []byte) []float32 {
	n := min(len(raw)/4, maxElems)
	v := make([]float32, n)
	for i := range v {
		v[i] = unit(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return v
}

// newRand returns a deterministic generator for the matrix targets.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// fillUnit fills v with values in [−1, 1) from r.
func fillUnit(r *rand.Rand, v []float32) {
	for i := range v {
		v[i] = unit(r.Uint32())
	}
}

// ---------------------------------------------------------------------------
// Guarded slices.

// The values around a slice. inGuard is a quiet NaN: a kernel that reads it
// into a reduction or a product turns the result into NaN. outGuard is
// another NaN payload, compared bit for bit after the call.
const (
	inGuard  uint32 = 0x7fc0dead
	outGuard uint32 = 0x7fa5a5a5 | 0x00400000
	guardLen        = 16
)

// Layout says where a fuzzed slice lives. Bits 0–1: 0–3 extra elements
// before it (so it starts at every alignment mod 16 bytes). Bits 2–3: 0 or 1
// on the Go heap between guardLen guard values on each side; 2 ending
// exactly at a PROT_NONE page (guard values before it only); 3 starting
// exactly after a PROT_NONE page (guard values after it only). Placements
// 2 and 3 fall back to the heap where guard pages are unavailable (other
// operating systems, the race detector) or the slice is too large.
type layout uint8

// guarded is a slice together with the guard values around it.
type guarded struct {
	mem   []float32 // guard values, the slice, guard values
	lo, n int       // the slice is mem[lo : lo+n]
}

// s returns the slice, with its capacity cut to its length.
func (g *guarded) s() []float32 { return g.mem[g.lo : g.lo+g.n : g.lo+g.n] }

// pageCap is the size, in float32 values, of each cached guard-page buffer.
const pageCap = 1 << 17

// pageBufs caches one guard-page buffer per role (a target's first, second,
// ... slice), so that fuzzing does not mmap on every execution. Fuzz
// functions run one at a time within a process, so no locking is needed;
// nothing else in this package uses them.
var pageBufs [6]*memguard.Buffer

func pageBuf(role, n int) *memguard.Buffer {
	if !memguard.Supported || israce.Enabled || n > pageCap {
		return nil
	}
	if pageBufs[role] == nil {
		b, err := memguard.New(pageCap)
		if err != nil {
			return nil
		}
		pageBufs[role] = b
	}
	return pageBufs[role]
}

// newGuarded returns n values placed as p says, every one of them (slice
// and guards) set to the bits fill; role picks the guard-page buffer and
// must differ between the slices of one call.
func newGuarded(role, n int, p layout, fill uint32) *guarded {
	off := int(p & 3)
	var g guarded
	switch (p >> 2) & 3 {
	case 2:
		lead := guardLen + off
		if b := pageBuf(role, lead+n); b != nil {
			g = guarded{mem: b.AtEnd(lead + n), lo: lead, n: n}
		}
	case 3:
		if b := pageBuf(role, n+guardLen); b != nil {
			g = guarded{mem: b.AtStart(n + guardLen), lo: 0, n: n}
		}
	}
	if g.mem == nil {
		lead := guardLen + off
		g = guarded{mem: make([]float32, lead+n+guardLen), lo: lead, n: n}
	}
	f := math.Float32frombits(fill)
	for i := range g.mem {
		g.mem[i] = f
	}
	return &g
}

// guardedCopy returns a guarded slice holding a copy of v.
func guardedCopy(role int, v []float32, p layout, fill uint32) *guarded {
	g := newGuarded(role, len(v), p, fill)
	copy(g.s(), v)
	return g
}

// snapshot returns a copy of everything, guards included.
func (g *guarded) snapshot() []uint32 {
	s := make([]uint32, len(g.mem))
	for i, v := range g.mem {
		s[i] = math.Float32bits(v)
	}
	return s
}

// checkUnchanged reports whether mem is bit for bit what snapshot holds
// (an input slice and its guards).
func (g *guarded) checkUnchanged(r reporter, what string, snap []uint32) bool {
	r.Helper()
	for i, v := range g.mem {
		if math.Float32bits(v) != snap[i] {
			r.Errorf("%s changed at offset %d from the slice start (len %d): %#08x, was %#08x",
				what, i-g.lo, g.n, math.Float32bits(v), snap[i])
			return false
		}
	}
	return true
}

// checkGuards reports whether every value outside the slice still holds
// the fill bits (an output slice's guards).
func (g *guarded) checkGuards(r reporter, what string, fill uint32) bool {
	r.Helper()
	for i, v := range g.mem {
		if i >= g.lo && i < g.lo+g.n {
			continue
		}
		if math.Float32bits(v) != fill {
			r.Errorf("%s: guard at offset %d from the slice start (len %d) overwritten: %#08x",
				what, i-g.lo, g.n, math.Float32bits(v))
			return false
		}
	}
	return true
}

// matrix is a row-major rows×cols matrix with row stride ld in a guarded
// slice of length ld·(rows−1)+cols; the pad elements between rows hold
// pad, so that a kernel reading them poisons its result (NaN) or, for an
// output, changes them visibly.
type matrix struct {
	*guarded
	rows, cols, ld int
}

func matLen(rows, cols, ld int) int {
	if rows == 0 || cols == 0 {
		return 0
	}
	return ld*(rows-1) + cols
}

func newMatrix(role, rows, cols, ld int, p layout, fill uint32) matrix {
	return matrix{newGuarded(role, matLen(rows, cols, ld), p, fill), rows, cols, ld}
}

func (a matrix) at(i, j int) float32 { return a.mem[a.lo+i*a.ld+j] }

func (a matrix) set(i, j int, v float32) { a.mem[a.lo+i*a.ld+j] = v }

// checkPad reports whether the pad elements between rows still hold fill.
func (a matrix) checkPad(r reporter, what string, fill uint32) bool {
	r.Helper()
	if a.n == 0 {
		return true
	}
	for i := 0; i+1 < a.rows; i++ {
		for j := a.cols; j < a.ld; j++ {
			if v := a.at(i, j); math.Float32bits(v) != fill {
				r.Errorf("%s: pad element (%d, %d) beyond cols = %d overwritten: %#08x", what, i, j, a.cols, math.Float32bits(v))
				return false
			}
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// Error measures.

const (
	eps32      = 0x1p-24 // unit roundoff of float32
	eps64      = 0x1p-53
	minNormal  = 0x1p-126
	subnormULP = 0x1p-149
)

// ulp32 returns the spacing of float32 values at magnitude |x|: 2⁻¹⁴⁹ below
// the smallest normal, 2^(e−23) for |x| in [2^e, 2^(e+1)).
func ulp32(x float64) float64 {
	x = math.Abs(x)
	if x < minNormal {
		return subnormULP
	}
	_, e := math.Frexp(x) // x = f·2^e, f in [0.5, 1)
	return math.Ldexp(1, e-24)
}

// ulpErr returns |got − exact| in float32 ULPs, the ULP taken at the larger
// of |got| and |exact| (so a result one step across a power of two is
// measured in the coarser spacing, as the distance of ordered bits does).
func ulpErr(got float32, exact float64) float64 {
	return math.Abs(float64(got)-exact) / ulp32(max(math.Abs(float64(got)), math.Abs(exact)))
}

// within reports whether the finite result got is within maxULP ULPs of
// the finite exact value, or within the absolute floor.
func within(got float32, exact, maxULP, floor float64) bool {
	if math.IsNaN(float64(got)) || math.IsInf(float64(got), 0) {
		return false
	}
	if math.Abs(float64(got)-exact) <= floor {
		return true
	}
	return ulpErr(got, exact) <= maxULP
}

// f32 formats a float32 with its bits, for failure messages.
func f32(v float32) string {
	return fmt.Sprintf("%g (%#08x)", v, math.Float32bits(v))
}

func isNaN32(v float32) bool { return v != v }

// sameValue reports whether a and b are both NaN or compare equal (±0 are
// equal).
func sameValue(a, b float32) bool { return a == b || (isNaN32(a) && isNaN32(b)) }

// sameBits reports whether a and b are both NaN (any payload) or have the
// same bits (so +0 and −0 differ).
func sameBits(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (isNaN32(a) && isNaN32(b))
}

// edgeLens are the vector-width edges that every seed set covers: each
// side of the 4-, 8- and 16-lane widths and of their 4× unrolls.
var edgeLens = []int{0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257}
