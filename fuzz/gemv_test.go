package fuzz

import (
	"math"
	"testing"

	"github.com/deltacore/deltacore"
)

// ---------------------------------------------------------------------------
// Sgemv.

type sgemvKernel func(tA deltacore.Transpose, m, n int, alpha float32, a []float32, lda int,
	x []float32, incX int, beta float32, y []float32, incY int)

// gemvIncs are the increments a fuzzed byte picks from (3 bits each for x
// and y).
var gemvIncs = [8]int{1, 2, 3, -1, -2, -3, 1, 5}

type sgemvArgs struct {
	m, n, strides, ab uint8
	tA                bool
	seed              uint64
}

// vecAt is where element i of a BLAS vector of n elements with increment
// inc lies in its slice.
func vecAt(i, n, inc int) int {
	if inc > 0 {
		return i * inc
	}
	return (n - 1 - i) * -inc
}

func vecLen(n, inc int) int {
	if n == 0 {
		return 0
	}
	return (n-1)*max(inc, -inc) + 1
}

// checkSgemv runs fn on the problem that g defines (A m×n with row stride
// n + 0, 1, 5 or 17; increments from gemvIncs; alpha and beta from
// gemmAlphas and gemmBetas; placements from the seed's top bits) and checks
// against the float64 reference: every element of y within
// 2·(k+1)·2⁻²⁴·(|α|·Σ|a·x| + |β·y|), k the summed length (Sgemv's
// documented bound); exactly β·y (or 0) where α = 0; y unchanged where
// m = 0 or n = 0; no NaN from y where β = 0 (y holds NaN then); A and x
// NaN where α = 0 (they must not be read); NaN in A's row pads and x's
// gaps (reading them poisons y); y's gaps, pads and guards unchanged; A and
// x unchanged.
func checkSgemv(r reporter, what string, fn sgemvKernel, g sgemvArgs) bool {
	r.Helper()
	m, n := int(g.m), int(g.n)
	incX, incY := gemvIncs[g.strides&7], gemvIncs[g.strides>>3&7]
	lda := max(1, n) + [4]int{0, 1, 5, 17}[g.strides>>6]
	pA, pX, pY := seedLayouts(g.seed)
	rnd := newRand(g.seed)
	alpha, beta := gemmAlphas[g.ab&7], gemmBetas[g.ab>>3&7]
	if g.ab&7 == 6 {
		alpha = 4 * unit(rnd.Uint32())
	}
	if g.ab>>3&7 == 6 {
		beta = 4 * unit(rnd.Uint32())
	}
	tA := deltacore.NoTrans
	lenX, lenY := n, m
	if g.tA {
		tA, lenX, lenY = deltacore.Trans, m, n
	}
	A := newMatrix(0, m, n, lda, pA, inGuard)
	fillMatrix(A, rnd, 1, alpha == 0)
	X := newGuarded(1, vecLen(lenX, incX), pX, inGuard)
	for i := 0; i < lenX; i++ {
		v := float32(math.NaN())
		if alpha != 0 {
			v = unit(rnd.Uint32())
		}
		X.s()[vecAt(i, lenX, incX)] = v
	}
	Y := newGuarded(2, vecLen(lenY, incY), pY, outGuard)
	y0 := make([]float32, lenY)
	for i := range y0 {
		if beta == 0 {
			y0[i] = float32(math.NaN())
		} else {
			y0[i] = unit(rnd.Uint32())
		}
		Y.s()[vecAt(i, lenY, incY)] = y0[i]
	}
	asnap, xsnap, ysnap := A.snapshot(), X.snapshot(), Y.snapshot()

	fn(tA, m, n, alpha, A.s(), lda, X.s(), incX, beta, Y.s(), incY)

	ok := A.checkUnchanged(r, what+": input A", asnap)
	ok = X.checkUnchanged(r, what+": input x", xsnap) && ok
	if m == 0 || n == 0 {
		return Y.checkUnchanged(r, what+": y (m or n is 0)", ysnap) && ok
	}
	ok = Y.checkGuards(r, what+": y", outGuard) && ok
	ys := Y.s()
	for p := range ys {
		if p%max(incY, -incY) != 0 && math.Float32bits(ys[p]) != outGuard {
			r.Errorf("%s: gap y[%d] between elements (incY %d) overwritten: %#08x", what, p, incY, math.Float32bits(ys[p]))
			return false
		}
	}
	bad := 0
	for i := 0; i < lenY; i++ {
		got := ys[vecAt(i, lenY, incY)]
		var good bool
		var want, scale float64
		if alpha == 0 {
			w := float32(0)
			if beta != 0 {
				w = beta * y0[i]
			}
			want = float64(w)
			good = sameValue(got, w)
		} else {
			var s, abs float64
			for j := 0; j < lenX; j++ {
				var av float32
				if g.tA {
					av = A.at(j, i)
				} else {
					av = A.at(i, j)
				}
				v := float64(av) * float64(X.s()[vecAt(j, lenX, incX)])
				s += v
				abs += math.Abs(v)
			}
			by := 0.0
			if beta != 0 {
				by = float64(beta) * float64(y0[i])
			}
			want = float64(alpha)*s + by
			scale = math.Abs(float64(alpha))*abs + math.Abs(by)
			good = !isNaN32(got) && math.Abs(float64(got)-want) <= 2*float64(lenX+1)*eps32*scale+gemmTiny
		}
		if !good {
			r.Errorf("%s: %c m=%d n=%d lda=%d incX=%d incY=%d α=%g β=%g: y_%d = %s, want %.9g (error %.3g·2⁻²⁴·(|α|·Σ|a·x| + |β·y|))",
				what, tA, m, n, lda, incX, incY, alpha, beta, i, f32(got), want,
				math.Abs(float64(got)-want)/(eps32*scale))
			ok = false
			if bad++; bad == maxErrors {
				return false
			}
		}
	}
	return ok
}

// sgemvSeeds: every edge length as m and as n, both transposes, every
// increment pair and alpha/beta pair in turn, layouts cycling through heap,
// page end and page start.
func sgemvSeeds() []sgemvArgs {
	e := []uint8{0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255}
	var s []sgemvArgs
	for i := range e {
		for j, sh := range [][2]uint8{{e[i], e[(i+5)%len(e)]}, {e[(i+7)%len(e)], e[i]}} {
			k := 2*i + j
			seed := uint64(k) | uint64([]uint8{0x00, 0x8b, 0xc4, 0x9d}[k%4])<<56 | uint64(k%16)<<52
			s = append(s, sgemvArgs{sh[0], sh[1], uint8(k * 29), uint8(k%8 | (k/8+k)%8<<3), k&1 != 0, seed})
			s = append(s, sgemvArgs{sh[0], sh[1], uint8(k * 29), uint8(k%8 | (k/8+k)%8<<3), k&1 == 0, seed ^ 0x10<<56})
		}
	}
	return s
}

func FuzzSgemv(f *testing.F) {
	for _, a := range sgemvSeeds() {
		f.Add(a.m, a.n, a.tA, a.strides, a.ab, a.seed)
	}
	f.Fuzz(func(t *testing.T, m, n uint8, tA bool, strides, ab uint8, seed uint64) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkSgemv(t, "Sgemv/isa="+l.String(), deltacore.Sgemv, sgemvArgs{m, n, strides, ab, tA, seed})
		})
	})
}
