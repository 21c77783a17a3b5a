package fuzz

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/deltacore/deltacore"
)

// maxFlops caps m·n·k of a fuzzed product, so that one execution (every
// level plus the float64 reference) stays around a millisecond.
const maxFlops = 1 << 17

// Shape classes. Fuzzed sizes are at most 255, and every such product is
// small enough for the unpacked paths of a blocked Sgemm. Two more classes
// reach the rest: long k (k = 1024 + 4·k8, 1024–2044: beyond the direct
// path's k limit, several 256-deep k blocks, packed panels with edge tiles)
// and, in FuzzSgemmLarge, products of up to 2²³ multiply-adds, large enough
// to be split across goroutines.
const (
	longK         = 1024
	maxFlopsLongK = 1 << 19
	maxFlopsLarge = 1 << 23
	largeMin      = 64
)

// fitShape maps fuzzed sizes to a shape with m·n·k ≤ maxFlops by halving
// the largest size until it fits. Any single size up to 255 stays reachable.
func fitShape(m, n, k uint8) (int, int, int) {
	return fitDims(int(m), int(n), int(k), maxFlops, 0)
}

// fitDims halves the largest of a, b, c (but c not below cMin) until
// a·b·c ≤ limit; limit must be at least cMin.
func fitDims(a, b, c, limit, cMin int) (int, int, int) {
	for a*b*c > limit {
		switch {
		case c > cMin && c >= a && c >= b:
			c = max(cMin, (c+1)/2)
		case a >= b:
			a = (a + 1) / 2
		default:
			b = (b + 1) / 2
		}
	}
	return a, b, c
}

// sgemmShape returns the shape of a FuzzSgemm or FuzzSgemmLarge input:
// long k when bits 6–7 of ab are both set.
func sgemmShape(g sgemmArgs) (m, n, k int) {
	switch {
	case g.large:
		return fitDims(largeMin+int(g.m), largeMin+int(g.n), largeMin+4*int(g.k), maxFlopsLarge, largeMin)
	case g.ab>>6 == 3:
		k := longK + 4*int(g.k)
		return fitDims(int(g.m), int(g.n), k, maxFlopsLongK, k)
	}
	return fitShape(g.m, g.n, g.k)
}

// extraStrides maps one fuzzed byte to the amounts by which three leading
// dimensions exceed their minimum: bits 0–1, 2–3 and 4–5 give 0–3 each,
// scaled by 1, 1, 5 or 17 as bits 6–7 say.
func extraStrides(s uint8) (int, int, int) {
	scale := [4]int{1, 1, 5, 17}[s>>6]
	return int(s&3) * scale, int(s>>2&3) * scale, int(s>>4&3) * scale
}

// seedLayouts takes the placements of three operands from the top bits of
// the seed.
func seedLayouts(seed uint64) (layout, layout, layout) {
	return layout(seed >> 60), layout(seed >> 56 & 15), layout(seed >> 52 & 15)
}

// gemmTiny absorbs underflow in the product bounds. Inputs lie in [−1, 1)
// with magnitudes ≥ 2⁻²⁵, so no product of them is near the subnormals.
const gemmTiny = 0x1p-130

// ---------------------------------------------------------------------------
// Sgemm.

type sgemmKernel func(tA, tB deltacore.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int)

// alpha and beta choices: index 6 is a random value in [−4, 4).
var (
	gemmAlphas = [8]float32{1, -1, 0, 0.5, 2, -0.75, 0, 1e-3}
	gemmBetas  = [8]float32{0, 1, -1, 0.5, 0, -2, 0, 0.25}
)

type sgemmArgs struct {
	m, n, k, strides, ab uint8
	tA, tB               bool
	seed                 uint64
	large                bool // FuzzSgemmLarge
}

// checkSgemm runs fn on a random problem and checks C against the float64
// reference: element by element
// |C − C_ref| ≤ 2·max(k, 2)·2⁻²⁴·(|α|·Σ|a·b| + |β·c|) — Sgemm documents
// 2·k, which no kernel that rounds a·b, α·s, β·c and their sum separately
// meets for k = 1 (its error reaches 3·2⁻²⁴·|α·a·b| + 2·2⁻²⁴·|β·c|; the
// regression seed testdata/fuzz/FuzzSgemm/81475c15c82454e9 shows 2.2 on
// the generic level), while 2·k covers (k+2)·2⁻²⁴ from k = 2 on;
// exactly β·c (or 0) where α = 0 or k = 0; no NaN from C where β = 0 (C is
// filled with NaN then); A and B filled with NaN where α = 0 (they must not
// be read); pads between rows NaN in A and B (reading them poisons C) and
// sentinels in C (checked); A and B unchanged.
func checkSgemm(r reporter, what string, fn sgemmKernel, g sgemmArgs) bool {
	r.Helper()
	m, n, k := sgemmShape(g)
	ea, eb, ec := extraStrides(g.strides)
	pA, pB, pC := seedLayouts(g.seed)
	rnd := newRand(g.seed)
	alpha, beta := gemmAlphas[g.ab&7], gemmBetas[g.ab>>3&7]
	if g.ab&7 == 6 {
		alpha = 4 * unit(rnd.Uint32())
	}
	if g.ab>>3&7 == 6 {
		beta = 4 * unit(rnd.Uint32())
	}
	tA, tB := deltacore.NoTrans, deltacore.NoTrans
	aRows, aCols := m, k
	if g.tA {
		tA, aRows, aCols = deltacore.Trans, k, m
	}
	bRows, bCols := k, n
	if g.tB {
		tB, bRows, bCols = deltacore.Trans, n, k
	}
	lda, ldb, ldc := max(1, aCols)+ea, max(1, bCols)+eb, max(1, n)+ec
	A := newMatrix(0, aRows, aCols, lda, pA, inGuard)
	B := newMatrix(1, bRows, bCols, ldb, pB, inGuard)
	fillMatrix(A, rnd, 1, alpha == 0)
	fillMatrix(B, rnd, 1, alpha == 0)
	c0 := make([]float32, m*n)
	for i := range c0 {
		if beta == 0 {
			c0[i] = float32(math.NaN())
		} else {
			c0[i] = unit(rnd.Uint32())
		}
	}
	refSum, refAbs := sgemmRef(g, A, B, m, n, k)

	C := newMatrix(2, m, n, ldc, pC, outGuard)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			C.set(i, j, c0[i*n+j])
		}
	}
	asnap, bsnap := A.snapshot(), B.snapshot()
	fn(tA, tB, m, n, k, alpha, A.s(), lda, B.s(), ldb, beta, C.s(), ldc)
	ok := A.checkUnchanged(r, what+": input A", asnap)
	ok = B.checkUnchanged(r, what+": input B", bsnap) && ok
	ok = C.checkGuards(r, what+": C", outGuard) && C.checkPad(r, what+": C", outGuard) && ok

	bad := 0
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			got, c := C.at(i, j), c0[i*n+j]
			var good bool
			var want, scale float64
			if alpha == 0 || k == 0 {
				w := float32(0)
				if beta != 0 {
					w = beta * c
				}
				want = float64(w)
				good = sameValue(got, w)
			} else {
				s, abs := refSum[i*n+j], refAbs[i*n+j]
				bc := 0.0
				if beta != 0 {
					bc = float64(beta) * float64(c)
				}
				want = float64(alpha)*s + bc
				scale = math.Abs(float64(alpha))*abs + math.Abs(bc)
				bound := 2*float64(max(k, 2))*eps32*scale + gemmTiny
				good = !isNaN32(got) && math.Abs(float64(got)-want) <= bound
			}
			if !good {
				r.Errorf("%s: %c%c m=%d n=%d k=%d lda=%d ldb=%d ldc=%d α=%g β=%g: C[%d,%d] = %s, want %.9g (error %.3g·2⁻²⁴·(|α|·Σ|a·b| + |β·c|))",
					what, tA, tB, m, n, k, lda, ldb, ldc, alpha, beta, i, j, f32(got), want,
					math.Abs(float64(got)-want)/(eps32*scale))
				ok = false
				if bad++; bad == maxErrors {
					return false
				}
			}
		}
	}
	return ok
}

// sgemmRefMemo keeps the reference of the last Sgemm input: the levels of
// one fuzz execution check the same input one after the other, and the
// float64 reference costs more than a level's product. Fuzz functions and
// the tests of this package run one at a time, so no lock is needed.
var sgemmRefMemo struct {
	g        sgemmArgs
	sum, abs []float64
}

// sgemmRef returns Σ_p op(A)[i,p]·op(B)[p,j] and Σ_p |op(A)[i,p]·op(B)[p,j]|
// in float64 for every i, j (row-major m×n), for the input that g defines.
func sgemmRef(g sgemmArgs, A, B matrix, m, n, k int) (sum, abs []float64) {
	if sgemmRefMemo.sum != nil && sgemmRefMemo.g == g {
		return sgemmRefMemo.sum, sgemmRefMemo.abs
	}
	// op(A) row by row and op(B) column by column, for the inner loops.
	opA := make([]float64, m*k)
	opBT := make([]float64, n*k)
	for p := 0; p < k; p++ {
		for i := 0; i < m; i++ {
			if g.tA {
				opA[i*k+p] = float64(A.at(p, i))
			} else {
				opA[i*k+p] = float64(A.at(i, p))
			}
		}
		for j := 0; j < n; j++ {
			if g.tB {
				opBT[j*k+p] = float64(B.at(j, p))
			} else {
				opBT[j*k+p] = float64(B.at(p, j))
			}
		}
	}
	sum, abs = make([]float64, m*n), make([]float64, m*n)
	for i := 0; i < m; i++ {
		ar := opA[i*k : i*k+k]
		for j := 0; j < n; j++ {
			br := opBT[j*k : j*k+k]
			var s, a float64
			for p, av := range ar {
				v := av * br[p]
				s += v
				a += math.Abs(v)
			}
			sum[i*n+j], abs[i*n+j] = s, a
		}
	}
	sgemmRefMemo.g, sgemmRefMemo.sum, sgemmRefMemo.abs = g, sum, abs
	return sum, abs
}

// fillMatrix sets every element of a (not its pads) to scale·[−1, 1) from
// r, or to NaN if nan is set.
func fillMatrix(a matrix, r interface{ Uint32() uint32 }, scale float32, nan bool) {
	for i := 0; i < a.rows; i++ {
		for j := 0; j < a.cols; j++ {
			if nan {
				a.set(i, j, float32(math.NaN()))
			} else {
				a.set(i, j, scale*unit(r.Uint32()))
			}
		}
	}
}

// shapeSeeds returns (m, n, k) triples for the seed corpus: every edge
// length in each position, plus the degenerate shapes.
func shapeSeeds() [][3]uint8 {
	e := []uint8{0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65}
	s := [][3]uint8{{1, 1, 1}, {0, 3, 3}, {3, 0, 3}, {3, 3, 0}, {2, 1, 1}, {1, 2, 1}, {255, 1, 2}, {1, 255, 3}, {2, 3, 255}, {128, 17, 60}}
	for i := range e {
		s = append(s, [3]uint8{e[i], e[(i+5)%len(e)], e[(i+10)%len(e)]})
		s = append(s, [3]uint8{e[(i+7)%len(e)], e[i], e[(i+3)%len(e)]})
	}
	return s
}

// sgemmSeeds: every seed shape, all four transpose pairs, every alpha
// index with every beta index, and layouts cycling through heap, page end
// and page start.
func sgemmSeeds() []sgemmArgs {
	var s []sgemmArgs
	for i, sh := range shapeSeeds() {
		ab := uint8(i%8 | (i/8+i)%8<<3)
		seed := uint64(i) | uint64([]uint8{0x00, 0x8b, 0xc4, 0x9d}[i%4])<<56 | uint64(i%16)<<52
		s = append(s, sgemmArgs{sh[0], sh[1], sh[2], uint8(i * 37), ab, i&1 != 0, i&2 != 0, seed, false})
	}
	// Long k: the packed path, every transpose pair, with edge tiles.
	for i, sh := range [][3]uint8{{13, 33, 0}, {1, 1, 255}, {25, 7, 1}, {12, 32, 64}} {
		ab := uint8(0xc0 | i*9)
		s = append(s, sgemmArgs{sh[0], sh[1], sh[2], uint8(i * 21), ab, i&1 != 0, i&2 != 0, uint64(1000 + i), false})
	}
	return s
}

// sgemmLargeSeeds: products split across goroutines, every transpose pair.
func sgemmLargeSeeds() []sgemmArgs {
	var s []sgemmArgs
	for i, sh := range [][3]uint8{{64, 64, 240}, {191, 1, 100}, {0, 255, 40}, {33, 77, 0}} {
		s = append(s, sgemmArgs{sh[0], sh[1], sh[2], uint8(i * 85), uint8(i*9 + 1), i&1 != 0, i&2 != 0, uint64(2000 + i), true})
	}
	return s
}

func FuzzSgemm(f *testing.F) {
	for _, a := range sgemmSeeds() {
		f.Add(a.m, a.n, a.k, a.tA, a.tB, a.strides, a.ab, a.seed)
	}
	f.Fuzz(func(t *testing.T, m, n, k uint8, tA, tB bool, strides, ab uint8, seed uint64) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkSgemm(t, "Sgemm/isa="+l.String(), deltacore.Sgemm, sgemmArgs{m, n, k, strides, ab, tA, tB, seed, false})
		})
	})
}

// FuzzSgemmLarge is FuzzSgemm on products from 64×64×64 up to 2²³
// multiply-adds (m, n = 64 + m8, 64 + n8; k = 64 + 4·k8, halved to fit), big
// enough for the packed path and for Sgemm to split the work across
// goroutines. An execution takes tens of milliseconds.
func FuzzSgemmLarge(f *testing.F) {
	for _, a := range sgemmLargeSeeds() {
		f.Add(a.m, a.n, a.k, a.tA, a.tB, a.strides, a.ab, a.seed)
	}
	f.Fuzz(func(t *testing.T, m, n, k uint8, tA, tB bool, strides, ab uint8, seed uint64) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkSgemm(t, "SgemmLarge/isa="+l.String(), deltacore.Sgemm, sgemmArgs{m, n, k, strides, ab, tA, tB, seed, true})
		})
	})
}

// ---------------------------------------------------------------------------
// DenseForward: z = x·wᵀ + bias, act = σ(z).

type denseForwardKernel func(m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int)

// checkDenseForward runs fn on a random layer: x and w in [−1, 1), bias in
// [−64, 64) so that σ saturates. z must be within Sgemm's bound of the
// float64 x·wᵀ + bias, and act within Sigmoid's 4 ULP of σ of the z that
// was written. flags bit 0: with bias; bit 1: with act; bits 2–3 give the
// extra stride of act; bits 4–5 both set: long k (see sgemmShape).
func checkDenseForward(r reporter, what string, fn denseForwardKernel, m8, n8, k8, strides, flags uint8, seed uint64) bool {
	r.Helper()
	m, n, k := fitShape(m8, n8, k8)
	if flags>>4&3 == 3 {
		k = longK + 4*int(k8)
		m, n, k = fitDims(int(m8), int(n8), k, maxFlopsLongK, k)
	}
	ex, ew, ez := extraStrides(strides)
	px, pw, pz := seedLayouts(seed)
	rnd := newRand(seed)
	ldx, ldw, ldz := max(1, k)+ex, max(1, k)+ew, max(1, n)+ez
	x := newMatrix(0, m, k, ldx, px, inGuard)
	w := newMatrix(1, n, k, ldw, pw, inGuard)
	fillMatrix(x, rnd, 1, false)
	fillMatrix(w, rnd, 1, false)
	var bias []float32
	var bg *guarded
	if flags&1 != 0 {
		bg = newGuarded(3, n, pz>>2, inGuard)
		bias = bg.s()
		for j := range bias {
			bias[j] = 64 * unit(rnd.Uint32())
		}
	}
	z := newMatrix(2, m, n, ldz, pz, outGuard)
	var act matrix
	var actS []float32
	ldact := 0
	if flags&2 != 0 {
		ldact = max(1, n) + int(flags>>2&3)*3
		act = newMatrix(4, m, n, ldact, layout(seed>>48&15), outGuard)
		actS = act.s()
	}
	xs, ws := x.snapshot(), w.snapshot()
	var bs []uint32
	if bg != nil {
		bs = bg.snapshot()
	}
	fn(m, n, k, x.s(), ldx, w.s(), ldw, bias, z.s(), ldz, actS, ldact)
	ok := x.checkUnchanged(r, what+": input x", xs)
	ok = w.checkUnchanged(r, what+": input w", ws) && ok
	if bg != nil {
		ok = bg.checkUnchanged(r, what+": input bias", bs) && ok
	}
	ok = z.checkGuards(r, what+": z", outGuard) && z.checkPad(r, what+": z", outGuard) && ok
	if actS != nil {
		ok = act.checkGuards(r, what+": act", outGuard) && act.checkPad(r, what+": act", outGuard) && ok
	}
	bad := 0
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, abs float64
			for p := 0; p < k; p++ {
				v := float64(x.at(i, p)) * float64(w.at(j, p))
				s += v
				abs += math.Abs(v)
			}
			if bias != nil {
				s += float64(bias[j])
				abs += math.Abs(float64(bias[j]))
			}
			got := z.at(i, j)
			bound := 2*float64(max(k, 1))*eps32*abs + gemmTiny
			if isNaN32(got) || math.Abs(float64(got)-s) > bound {
				r.Errorf("%s: m=%d n=%d k=%d ldx=%d ldw=%d ldz=%d bias=%v: z[%d,%d] = %s, want %.9g ± %.3g",
					what, m, n, k, ldx, ldw, ldz, bias != nil, i, j, f32(got), s, bound)
				ok = false
				bad++
			}
			if actS != nil {
				if a := act.at(i, j); !sigmoidOK(a, got) {
					r.Errorf("%s: m=%d n=%d k=%d ldact=%d: act[%d,%d] = %s, want σ(z = %s) = %.9g",
						what, m, n, k, ldact, i, j, f32(a), f32(got), refSigmoid(got))
					ok = false
					bad++
				}
			}
			if bad >= maxErrors {
				return false
			}
		}
	}
	return ok
}

// denseArgs are the arguments of FuzzDenseForward (flags) and
// FuzzDenseBackward (alias).
type denseArgs struct {
	m, n, k, strides, flags uint8
	alias                   bool
	seed                    uint64
}

func denseSeeds() []denseArgs {
	var s []denseArgs
	for i, sh := range shapeSeeds() {
		seed := uint64(i) | uint64([]uint16{0x000, 0x8bc, 0xc48, 0x9d0}[i%4])<<48
		s = append(s, denseArgs{sh[0], sh[1], sh[2], uint8(i * 53), uint8(i), i%3 == 1, seed})
	}
	// Long k (DenseForward only; DenseBackward ignores these flags).
	for i, sh := range [][3]uint8{{3, 40, 7}, {33, 5, 200}, {40, 12, 0}} {
		s = append(s, denseArgs{sh[0], sh[1], sh[2], uint8(i * 7), uint8(0x30 | i + 1), i == 1, uint64(3000 + i)})
	}
	return s
}

func FuzzDenseForward(f *testing.F) {
	for _, a := range denseSeeds() {
		f.Add(a.m, a.n, a.k, a.strides, a.flags, a.seed)
	}
	f.Fuzz(func(t *testing.T, m, n, k, strides, flags uint8, seed uint64) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkDenseForward(t, "DenseForward/isa="+l.String(), deltacore.DenseForward, m, n, k, strides, flags, seed)
		})
	})
}

// ---------------------------------------------------------------------------
// DenseBackward: d = (dnext·w) ⊙ σ′(z), d possibly z itself.

type denseBackwardKernel func(m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int)

// checkDenseBackward runs fn on a random batch: dnext and w in [−1, 1), z in
// [−128, 128) so that σ′ saturates and underflows. Each d[i,j] is checked
// against s·σ′(z) with s = Σ_q dnext[i,q]·w[q,j] in float64: the product's
// Sgemm bound 2·nn·2⁻²⁴·Σ|dnext·w|, carried through σ′, plus σ′'s 4 ULP and
// the final rounding (together 9·2⁻²⁴ relative), plus 2⁻¹²⁶·|s| where σ′ is
// below the smallest normal. With alias, d is z (same slice and stride).
func checkDenseBackward(r reporter, what string, fn denseBackwardKernel, m8, n8, nn8, strides uint8, alias bool, seed uint64) bool {
	r.Helper()
	m, n, nn := fitShape(m8, n8, nn8)
	edn, ew, ez := extraStrides(strides)
	pdn, pw, pz := seedLayouts(seed)
	rnd := newRand(seed)
	lddn, ldw, ldz := max(1, nn)+edn, max(1, n)+ew, max(1, n)+ez
	dnext := newMatrix(0, m, nn, lddn, pdn, inGuard)
	w := newMatrix(1, nn, n, ldw, pw, inGuard)
	z := newMatrix(2, m, n, ldz, pz, inGuard)
	fillMatrix(dnext, rnd, 1, false)
	fillMatrix(w, rnd, 1, false)
	fillMatrix(z, rnd, 128, false)
	z0 := make([]float32, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			z0[i*n+j] = z.at(i, j)
		}
	}
	d, ldd := z, ldz
	if !alias {
		ldd = max(1, n) + int(strides>>6)*7
		d = newMatrix(3, m, n, ldd, layout(seed>>48&15), outGuard)
	}
	dns, ws, zs := dnext.snapshot(), w.snapshot(), z.snapshot()
	fn(m, n, nn, dnext.s(), lddn, w.s(), ldw, z.s(), ldz, d.s(), ldd)
	ok := dnext.checkUnchanged(r, what+": input dnext", dns)
	ok = w.checkUnchanged(r, what+": input w", ws) && ok
	if alias {
		ok = z.checkGuards(r, what+": d = z", inGuard) && z.checkPad(r, what+": d = z", inGuard) && ok
	} else {
		ok = z.checkUnchanged(r, what+": input z", zs) && ok
		ok = d.checkGuards(r, what+": d", outGuard) && d.checkPad(r, what+": d", outGuard) && ok
	}
	bad := 0
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, abs float64
			for q := 0; q < nn; q++ {
				v := float64(dnext.at(i, q)) * float64(w.at(q, j))
				s += v
				abs += math.Abs(v)
			}
			zv := z0[i*n+j]
			sp := refSigmoidPrime(zv)
			exact := s * sp
			sErr := 2 * float64(max(nn, 1)) * eps32 * abs
			bound := sp*sErr + 9*eps32*sp*(math.Abs(s)+sErr) + subnormULP
			if sp < minNormal {
				bound += minNormal * (math.Abs(s) + sErr)
			}
			got := d.at(i, j)
			if isNaN32(got) || math.Abs(float64(got)-exact) > bound {
				r.Errorf("%s: m=%d n=%d nn=%d lddn=%d ldw=%d ldz=%d ldd=%d alias=%v: d[%d,%d] = %s, want %.9g ± %.3g (s = %.9g, z = %s)",
					what, m, n, nn, lddn, ldw, ldz, ldd, alias, i, j, f32(got), exact, bound, s, f32(zv))
				ok = false
				if bad++; bad == maxErrors {
					return false
				}
			}
		}
	}
	return ok
}

func FuzzDenseBackward(f *testing.F) {
	for _, a := range denseSeeds() {
		f.Add(a.m, a.n, a.k, a.strides, a.alias, a.seed)
	}
	f.Fuzz(func(t *testing.T, m, n, nn, strides uint8, alias bool, seed uint64) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkDenseBackward(t, "DenseBackward/isa="+l.String(), deltacore.DenseBackward, m, n, nn, strides, alias, seed)
		})
	})
}

// ---------------------------------------------------------------------------
// Sgemm with arbitrary sizes and strides.

// hugeRange is the range of fuzzed sizes and strides: |v| ≤ 1<<62 + 1, so
// that (rows−1)·ld overflows int in many ways.
const hugeRange = 1<<62 + 2

// gemmSpan returns the exact number of elements a rows×cols matrix with
// row stride ld spans, in big integers (0 when it is empty).
func gemmSpan(rows, cols, ld int) *big.Int {
	if rows == 0 || cols == 0 {
		return new(big.Int)
	}
	s := new(big.Int).Mul(big.NewInt(int64(rows-1)), big.NewInt(int64(ld)))
	return s.Add(s, big.NewInt(int64(cols)))
}

// sgemmConsistent reports whether Sgemm must accept its arguments, computed
// in big integers from the documented rules (the slices do not overlap).
func sgemmConsistent(tA, tB bool, m, n, k, lda, ldb, ldc, la, lb, lc int) bool {
	if m < 0 || n < 0 || k < 0 {
		return false
	}
	aRows, aCols, bRows, bCols := m, k, k, n
	if tA {
		aRows, aCols = k, m
	}
	if tB {
		bRows, bCols = n, k
	}
	if lda < max(1, aCols) || ldb < max(1, bCols) || ldc < max(1, n) {
		return false
	}
	if m == 0 || n == 0 {
		return true
	}
	fits := func(rows, cols, ld, l int) bool { return gemmSpan(rows, cols, ld).Cmp(big.NewInt(int64(l))) <= 0 }
	if k > 0 && (!fits(aRows, aCols, lda, la) || !fits(bRows, bCols, ldb, lb)) {
		return false
	}
	return fits(m, n, ldc, lc)
}

// FuzzSgemmStrides calls Sgemm with sizes and strides drawn from
// (−2⁶²−2, 2⁶²+2) and slices of up to 4096 elements: inconsistent
// arguments must end in Sgemm's own panic ("deltacore: Sgemm: …") on every
// level, never in a runtime error or a fault; consistent ones (which the
// slice lengths keep small) must give the exact product of small integers.
// With op(A) = A the same arguments also go to DenseForward (op(B) = Bᵀ) or
// DenseBackward (op(B) = B), which follow the same size rules.
func FuzzSgemmStrides(f *testing.F) {
	const h = 1<<62 + 1
	seeds := [][6]int64{
		{3, 1, 1, h, 1, 1}, {3, 2, 2, 2, 2, h}, {1, 1, 1, h, h, h}, {4, 4, 16, h, 16, 4},
		{h, h, 0, 1, h, h}, {2, 3, 4, 4, 3, 3}, {-1, 2, 2, 2, 2, 2}, {2, 2, 2, 0, 2, 2},
		{1 << 31, 1 << 31, 1 << 31, 1 << 31, 1 << 31, 1 << 31}, {5, 7, 3, 3, 7, 1 << 40},
	}
	for i, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], uint16(4096), uint16(4096), uint16(1+i), i&1 != 0, i&2 != 0)
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], uint16(1), uint16(64), uint16(4096), i&1 != 0, i&2 != 0)
	}
	a0, b0, c0 := make([]float32, 4096), make([]float32, 4096), make([]float32, 4096)
	for i := range a0 {
		a0[i], b0[i] = float32(i%5-2), float32(i%7-3)
	}
	f.Fuzz(func(t *testing.T, m64, n64, k64, lda64, ldb64, ldc64 int64, la, lb, lc uint16, tA, tB bool) {
		defer panicOnFault()()
		m, n, k := int(m64%hugeRange), int(n64%hugeRange), int(k64%hugeRange)
		lda, ldb, ldc := int(lda64%hugeRange), int(ldb64%hugeRange), int(ldc64%hugeRange)
		a, b, c := a0[:int(la)%4097], b0[:int(lb)%4097], c0[:int(lc)%4097]
		ta, tb := deltacore.NoTrans, deltacore.NoTrans
		if tA {
			ta = deltacore.Trans
		}
		if tB {
			tb = deltacore.Trans
		}
		ok := sgemmConsistent(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c))
		forEachLevel(t, func(l deltacore.Level) {
			if !tA {
				checkLayerPanics(t, l, tB, ok, m, n, k, a, lda, b, ldb, c, ldc)
			}
			clear(c)
			r := func() (r any) {
				defer func() { r = recover() }()
				deltacore.Sgemm(ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
				return nil
			}()
			if !ok {
				if s, isStr := r.(string); !isStr || !strings.HasPrefix(s, "deltacore: Sgemm: ") {
					t.Fatalf("isa=%v %c%c m=%d n=%d k=%d lda=%d ldb=%d ldc=%d len %d %d %d: panic %v (%T), want Sgemm's own", l, ta, tb, m, n, k, lda, ldb, ldc, len(a), len(b), len(c), r, r)
				}
				return
			}
			if r != nil {
				t.Fatalf("isa=%v %c%c m=%d n=%d k=%d lda=%d ldb=%d ldc=%d len %d %d %d: consistent arguments panicked: %v", l, ta, tb, m, n, k, lda, ldb, ldc, len(a), len(b), len(c), r)
			}
			if n == 0 {
				return // nothing to check; m may be huge
			}
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					var s float64
					for p := 0; p < k; p++ {
						var av, bv float32
						if tA {
							av = a[p*lda+i]
						} else {
							av = a[i*lda+p]
						}
						if tB {
							bv = b[j*ldb+p]
						} else {
							bv = b[p*ldb+j]
						}
						s += float64(av) * float64(bv)
					}
					if got := c[i*ldc+j]; float64(got) != s {
						t.Fatalf("isa=%v %c%c m=%d n=%d k=%d: C[%d,%d] = %v, want %v", l, ta, tb, m, n, k, i, j, got, s)
					}
				}
			}
		})
	})
}

// checkLayerPanics calls DenseForward (tB: x = a, w = b, z = c) or
// DenseBackward (not tB: dnext = a, w = b, d = c, and z a separate slice as
// long as c with ldz = ldc), whose size rules are Sgemm's for NT and NN:
// they must panic with their own message exactly when ok is false.
func checkLayerPanics(t *testing.T, l deltacore.Level, tB, ok bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	t.Helper()
	fn := "DenseBackward"
	if tB {
		fn = "DenseForward"
	}
	r := func() (r any) {
		defer func() { r = recover() }()
		if tB {
			deltacore.DenseForward(m, n, k, a, lda, b, ldb, nil, c, ldc, nil, 0)
		} else {
			z := make([]float32, len(c))
			deltacore.DenseBackward(m, n, k, a, lda, b, ldb, z, ldc, c, ldc)
		}
		return nil
	}()
	s, isStr := r.(string)
	switch {
	case ok && r != nil:
		t.Fatalf("isa=%v %s m=%d n=%d k=%d lda=%d ldb=%d ldc=%d: consistent arguments panicked: %v", l, fn, m, n, k, lda, ldb, ldc, r)
	case !ok && (!isStr || !strings.HasPrefix(s, "deltacore: "+fn+": ")):
		t.Fatalf("isa=%v %s m=%d n=%d k=%d lda=%d ldb=%d ldc=%d len %d %d %d: panic %v (%T), want %s's own", l, fn, m, n, k, lda, ldb, ldc, len(a), len(b), len(c), r, r, fn)
	}
}
