package fuzz

import (
	"encoding/binary"
	"math"
	"math/big"
	"testing"

	"github.com/deltacore/deltacore"
)

// ---------------------------------------------------------------------------
// Axpy: y += alpha·x, x and y in [−1, 1) from raw, alpha as fuzzed.

type axpyKernel func(alpha float32, x, y []float32)

// checkAxpy splits raw into x (first half) and y (second half), mapped into
// [−1, 1), runs fn and checks each y[i] against y[i] + alpha·x[i] computed
// in float64: one fused multiply-add or two float32 roundings, so
// |err| ≤ 2⁻²⁴·(|alpha·x| + |exact|) plus subnormal rounding. With inPlace,
// x is y (the first half alone is used).
func checkAxpy(r reporter, what string, fn axpyKernel, raw []byte, alpha float32, p layout, inPlace bool) bool {
	r.Helper()
	var x, y0 []float32
	if inPlace {
		x = unitFloats(raw)
		y0 = x
	} else {
		n := min(len(raw)/8, maxElems)
		x = unitFloats(raw[:4*n])
		y0 = unitFloats(raw[4*n : 8*n])
	}
	yg := guardedCopy(0, y0, p, outGuard)
	xg := yg
	if !inPlace {
		xg = guardedCopy(1, x, p>>4, inGuard)
	}
	xsnap := xg.snapshot()
	fn(alpha, xg.s(), yg.s())
	ok := yg.checkGuards(r, what+": y", outGuard)
	if !inPlace {
		ok = xg.checkUnchanged(r, what+": input x", xsnap) && ok
	}
	bad := 0
	for i, got := range yg.s() {
		ax := float64(alpha) * float64(x[i])
		exact := float64(y0[i]) + ax
		var good bool
		switch {
		case math.IsNaN(exact):
			good = isNaN32(got)
		case math.IsInf(exact, 0):
			good = float64(got) == exact
		default:
			bound := eps32*(math.Abs(ax)+math.Abs(exact)) + 2*eps64*(math.Abs(ax)+math.Abs(float64(y0[i]))) + subnormULP
			good = !isNaN32(got) && math.Abs(float64(got)-exact) <= bound
		}
		if !good {
			r.Errorf("%s: n=%d i=%d: %s + %s·%s = %s, want %.9g", what, len(x), i, f32(y0[i]), f32(alpha), f32(x[i]), f32(got), exact)
			ok = false
			if bad++; bad == maxErrors {
				break
			}
		}
	}
	return ok
}

// ---------------------------------------------------------------------------
// Scal: x *= alpha, one correctly rounded product per element, so the
// result must be bit-identical (any NaN for NaN) to float32(alpha·x), on
// raw floats.

type scalKernel func(alpha float32, x []float32)

func checkScal(r reporter, what string, fn scalKernel, raw []byte, alpha float32, p layout) bool {
	r.Helper()
	x := rawFloats(raw)
	xg := guardedCopy(0, x, p, outGuard)
	fn(alpha, xg.s())
	ok := xg.checkGuards(r, what+": x", outGuard)
	bad := 0
	for i, got := range xg.s() {
		// The product of two float32 values is exact in float64, so this
		// rounds once.
		want := float32(float64(alpha) * float64(x[i]))
		if !sameBits(got, want) {
			r.Errorf("%s: n=%d i=%d: %s·%s = %s, want %s", what, len(x), i, f32(alpha), f32(x[i]), f32(got), f32(want))
			ok = false
			if bad++; bad == maxErrors {
				break
			}
		}
	}
	return ok
}

// ---------------------------------------------------------------------------
// Dot.

type dotKernel func(x, y []float32) float32

// checkDot splits raw into x and y mapped into [−1, 1); poison, when its
// low two bits are not 0, puts NaN (1), +Inf (2) or −Inf (3, into y) at
// element (poison>>2) mod n. It checks fn(x, y) against the float64 sum:
// NaN and ±Inf exactly, otherwise |err| ≤ n·2⁻²⁴·Σ|x·y| (plus the float64
// reference's own n·2⁻⁵³·Σ|x·y| and underflow).
func checkDot(r reporter, what string, fn dotKernel, raw []byte, poison uint16, p layout) bool {
	r.Helper()
	n := min(len(raw)/8, maxElems)
	x := unitFloats(raw[:4*n])
	y := unitFloats(raw[4*n : 8*n])
	if k := poison & 3; k != 0 && n > 0 {
		i := int(poison>>2) % n
		switch k {
		case 1:
			x[i] = float32(math.NaN())
		case 2:
			x[i] = float32(math.Inf(1))
		case 3:
			y[i] = float32(math.Inf(-1))
		}
	}
	xg := guardedCopy(0, x, p, inGuard)
	yg := guardedCopy(1, y, p>>4, inGuard)
	xsnap, ysnap := xg.snapshot(), yg.snapshot()
	got := fn(xg.s(), yg.s())
	ok := xg.checkUnchanged(r, what+": input x", xsnap)
	ok = yg.checkUnchanged(r, what+": input y", ysnap) && ok

	var exact, abs float64
	for i := range x {
		v := float64(x[i]) * float64(y[i])
		exact += v
		abs += math.Abs(v)
	}
	var good bool
	switch {
	case math.IsNaN(exact):
		good = isNaN32(got)
	case math.IsInf(exact, 0):
		good = float64(got) == exact
	default:
		bound := float64(n)*eps32*abs + float64(n)*eps64*abs + 0x1p-140
		good = !isNaN32(got) && math.Abs(float64(got)-exact) <= bound
	}
	if !good {
		r.Errorf("%s: n=%d poison=%#x: Dot = %s, want %.9g (Σ|x·y| = %g)", what, n, poison, f32(got), exact, abs)
		ok = false
	}
	return ok
}

// ---------------------------------------------------------------------------
// SumSquares, on raw floats: every square of a float32 is exact in float64,
// so the result must be within n·2⁻⁵³ relative of the exact sum, which is
// computed here exactly with big.Float, whatever the magnitudes.

type sumSquaresKernel func(x []float32) float64

func checkSumSquares(r reporter, what string, fn sumSquaresKernel, raw []byte, p layout) bool {
	r.Helper()
	x := rawFloats(raw)
	xg := guardedCopy(0, x, p, inGuard)
	xsnap := xg.snapshot()
	got := fn(xg.s())
	ok := xg.checkUnchanged(r, what+": input x", xsnap)

	hasNaN, hasInf := false, false
	// Squares of float32 lie in [2⁻²⁹⁸, 2²⁵⁶); 700 bits hold any sum of a
	// few thousand of them exactly.
	exact := new(big.Float).SetPrec(700)
	sq := new(big.Float).SetPrec(700)
	for _, v := range x {
		switch {
		case isNaN32(v):
			hasNaN = true
		case math.IsInf(float64(v), 0):
			hasInf = true
		default:
			f := float64(v)
			exact.Add(exact, sq.SetFloat64(f*f))
		}
	}
	var good bool
	switch {
	case hasNaN:
		good = math.IsNaN(got)
	case hasInf:
		good = math.IsInf(got, 1)
	case math.IsNaN(got) || math.IsInf(got, 0):
		good = false
	default:
		// |got − exact| ≤ n·2⁻⁵³·exact, evaluated exactly.
		diff := new(big.Float).SetPrec(700).SetFloat64(got)
		diff.Sub(diff, exact).Abs(diff)
		bound := new(big.Float).SetPrec(700).Mul(exact, big.NewFloat(float64(len(x))*eps64))
		good = diff.Cmp(bound) <= 0
	}
	if !good {
		ef, _ := exact.Float64()
		r.Errorf("%s: n=%d: SumSquares = %.17g, want %.17g (NaN in x: %v, Inf in x: %v)", what, len(x), got, ef, hasNaN, hasInf)
		ok = false
	}
	return ok
}

// ---------------------------------------------------------------------------
// ColSums: bit-identical to the in-order float32 loop on every level.

type colSumsKernel func(dst, a []float32, rows, cols, lda int)

// checkColSums sums the columns of a rows×cols matrix with row stride
// cols+extra (pad elements NaN), values in [−1, 1) from seed.
func checkColSums(r reporter, what string, fn colSumsKernel, rows, cols, extra int, seed uint64, p layout) bool {
	r.Helper()
	lda := max(cols, 1) + extra
	a := newMatrix(0, rows, cols, lda, p, inGuard)
	rnd := newRand(seed)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			a.set(i, j, unit(rnd.Uint32()))
		}
	}
	dg := newGuarded(1, cols, p>>4, outGuard)
	asnap := a.snapshot()
	fn(dg.s(), a.s(), rows, cols, lda)
	ok := a.checkUnchanged(r, what+": input a", asnap)
	ok = dg.checkGuards(r, what+": dst", outGuard) && ok
	bad := 0
	for j, got := range dg.s() {
		var want float32
		for i := 0; i < rows; i++ {
			want += a.at(i, j)
		}
		if !sameBits(got, want) {
			r.Errorf("%s: rows=%d cols=%d lda=%d: column %d sums to %s, want %s (in-order float32)", what, rows, cols, lda, j, f32(got), f32(want))
			ok = false
			if bad++; bad == maxErrors {
				break
			}
		}
	}
	return ok
}

// ---------------------------------------------------------------------------
// Seeds.

// unitSeed returns n random words for the mapped targets, with a few
// patterns that map to 0 and to the extremes ±(1−2⁻²⁴) and ±2⁻²⁵.
func unitSeed(n int, salt uint64) []byte {
	r := newRand(uint64(n)*131 + salt)
	raw := make([]byte, 4*n)
	edge := []uint32{31 << 23, 0x007fffff, 0x807fffff, 24 << 23, 1<<31 | 24<<23}
	for i := 0; i < n; i++ {
		u := r.Uint32()
		if i%5 == 4 || i == n-1 {
			u = edge[(i+n)%len(edge)]
		}
		binary.LittleEndian.PutUint32(raw[4*i:], u)
	}
	return raw
}

var alphaSeeds = []float32{1, -1, 0, 0.5, 3.75, -0.3, 1e-30, 2e38, float32(math.NaN()), float32(math.Inf(-1))}

type vecArgs struct {
	raw     []byte
	alpha   float32
	poison  uint16
	p       layout
	inPlace bool
}

func axpySeeds() []vecArgs {
	var s []vecArgs
	for i, n := range edgeLens {
		pl := []layout{0, 8, 12}
		p := layout(i&3) | pl[i%3] | (layout((i+1)&3)|pl[(i+1)%3])<<4
		s = append(s, vecArgs{raw: unitSeed(2*n, 0), alpha: alphaSeeds[i%len(alphaSeeds)], p: p})
		s = append(s, vecArgs{raw: unitSeed(n, 1), alpha: alphaSeeds[(i+3)%len(alphaSeeds)], p: p ^ 0x0b, inPlace: true})
	}
	return s
}

func FuzzAxpy(f *testing.F) {
	for _, a := range axpySeeds() {
		f.Add(a.raw, a.alpha, uint8(a.p), a.inPlace)
	}
	f.Fuzz(func(t *testing.T, raw []byte, alpha float32, p uint8, inPlace bool) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkAxpy(t, "Axpy/isa="+l.String(), deltacore.Axpy, raw, alpha, layout(p), inPlace)
		})
	})
}

func scalSeeds() []vecArgs {
	var s []vecArgs
	for i, n := range edgeLens {
		pl := []layout{0, 8, 12}
		s = append(s, vecArgs{raw: elemSeed(n, 2), alpha: alphaSeeds[i%len(alphaSeeds)], p: layout(i&3) | pl[i%3]})
	}
	s = append(s, vecArgs{raw: elemSeed(17, 3), alpha: float32(math.Copysign(0, -1))})
	s = append(s, vecArgs{raw: elemSeed(33, 4), alpha: 0x1p-100, p: 9})
	return s
}

func FuzzScal(f *testing.F) {
	for _, a := range scalSeeds() {
		f.Add(a.raw, a.alpha, uint8(a.p))
	}
	f.Fuzz(func(t *testing.T, raw []byte, alpha float32, p uint8) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkScal(t, "Scal/isa="+l.String(), deltacore.Scal, raw, alpha, layout(p))
		})
	})
}

func dotSeeds() []vecArgs {
	var s []vecArgs
	for i, n := range edgeLens {
		pl := []layout{0, 8, 12}
		p := layout(i&3) | pl[i%3] | (layout((i+2)&3)|pl[(i+2)%3])<<4
		s = append(s, vecArgs{raw: unitSeed(2*n, 0), p: p})
		s = append(s, vecArgs{raw: unitSeed(2*n, 1), poison: uint16(n-1)<<2 | uint16(1+i%3), p: p ^ 0x44})
	}
	return s
}

func FuzzDot(f *testing.F) {
	for _, a := range dotSeeds() {
		f.Add(a.raw, a.poison, uint8(a.p))
	}
	f.Fuzz(func(t *testing.T, raw []byte, poison uint16, p uint8) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkDot(t, "Dot/isa="+l.String(), deltacore.Dot, raw, poison, layout(p))
		})
	})
}

func sumSquaresSeeds() []vecArgs {
	var s []vecArgs
	for i, n := range edgeLens {
		pl := []layout{0, 8, 12}
		s = append(s, vecArgs{raw: elemSeed(n, 5), p: layout(i&3) | pl[i%3]})
		// Finite values only (mapped into [−1, 1), then scaled by 2⁻¹⁰⁰
		// or not), so the bound is tested rather than NaN propagation.
		raw := unitSeed(n, 6)
		for j := 0; j+4 <= len(raw); j += 4 {
			v := unit(binary.LittleEndian.Uint32(raw[j:]))
			if (i+j/4)%2 == 0 {
				v *= 0x1p-100
			}
			binary.LittleEndian.PutUint32(raw[j:], math.Float32bits(v))
		}
		s = append(s, vecArgs{raw: raw, p: layout(i+1) & 15})
	}
	// Subnormals only.
	tiny := make([]byte, 4*65)
	for i := 0; i < 65; i++ {
		binary.LittleEndian.PutUint32(tiny[4*i:], uint32(1+i*977))
	}
	return append(s, vecArgs{raw: tiny, p: 8})
}

func FuzzSumSquares(f *testing.F) {
	for _, a := range sumSquaresSeeds() {
		f.Add(a.raw, uint8(a.p))
	}
	f.Fuzz(func(t *testing.T, raw []byte, p uint8) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkSumSquares(t, "SumSquares/isa="+l.String(), deltacore.SumSquares, raw, layout(p))
		})
	})
}

// colSumsShape maps fuzzed sizes to a shape of at most 1<<14 elements.
func colSumsShape(rows, cols uint8) (int, int) {
	r, c := int(rows), int(cols)
	for r*c > 1<<14 {
		if r >= c {
			r = (r + 1) / 2
		} else {
			c = (c + 1) / 2
		}
	}
	return r, c
}

type colSumsArgs struct {
	rows, cols, extra uint8
	seed              uint64
	p                 layout
}

func colSumsSeeds() []colSumsArgs {
	var s []colSumsArgs
	for i, n := range edgeLens {
		if n > 255 {
			continue
		}
		pl := []layout{0, 8, 12}
		p := layout(i&3) | pl[i%3] | (layout((i+1)&3)|pl[(i+1)%3])<<4
		s = append(s, colSumsArgs{uint8(1 + i%5), uint8(n), uint8(i % 3), uint64(i), p})
		s = append(s, colSumsArgs{uint8(n), uint8(edgeLens[(i+3)%15]), 5, uint64(100 + i), p ^ 0x33})
	}
	return s
}

func FuzzColSums(f *testing.F) {
	for _, a := range colSumsSeeds() {
		f.Add(a.rows, a.cols, a.extra, a.seed, uint8(a.p))
	}
	f.Fuzz(func(t *testing.T, rows, cols, extra uint8, seed uint64, p uint8) {
		defer panicOnFault()()
		r, c := colSumsShape(rows, cols)
		forEachLevel(t, func(l deltacore.Level) {
			checkColSums(t, "ColSums/isa="+l.String(), deltacore.ColSums, r, c, int(extra%8), seed, layout(p))
		})
	})
}
