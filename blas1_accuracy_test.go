package deltacore

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// Accuracy tests of the BLAS-1 kernels and reductions, on every available
// level, against float64 (or exact math/big) references. The length, offset,
// guard-page and panic sweeps live in kernels_test.go.

// b1EachLevel runs f as one subtest per available level ("isa=avx512", …),
// with that level set and the previous one restored afterwards.
func b1EachLevel(t *testing.T, f func(t *testing.T, l Level)) {
	t.Helper()
	for _, l := range Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			old := CurrentLevel()
			if err := SetLevel(l); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := SetLevel(old); err != nil {
					t.Error(err)
				}
			})
			f(t, l)
		})
	}
}

// b1Lengths are the vector lengths of the accuracy tests: every length up to
// past two full unrolled blocks of the widest kernel, then larger ones with
// odd tails.
func b1Lengths() []int {
	var ns []int
	for n := 1; n <= 300; n++ {
		ns = append(ns, n)
	}
	return append(ns, 511, 1000, 4096, 4097+63, 1<<16+13)
}

// b1Rand returns n float32 values uniform in [-scale, scale).
func b1Rand(r *rand.Rand, n int, scale float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32((2*r.Float64() - 1) * scale)
	}
	return x
}

// b1Ulp32 returns the spacing of float32 values in the binade of |v|
// (2⁻¹⁴⁹ for subnormal and zero v).
func b1Ulp32(v float64) float64 {
	if v == 0 {
		return math.Ldexp(1, -149)
	}
	_, e := math.Frexp(math.Abs(v)) // |v| = m·2^e, m ∈ [0.5, 1)
	return math.Ldexp(1, max(e-24, -149))
}

func TestDotAccuracy(t *testing.T) {
	b1EachLevel(t, func(t *testing.T, l Level) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, n := range b1Lengths() {
			for _, scale := range []float64{1, 1e-20, 3e15} {
				x, y := b1Rand(r, n, scale), b1Rand(r, n, 1)
				var ref, abs float64 // products of float32 values are exact in float64
				for i := range x {
					p := float64(x[i]) * float64(y[i])
					ref += p
					abs += math.Abs(p)
				}
				got := Dot(x, y)
				// The bound of Dot, plus the float64 reference's own error.
				tol := float64(n)*0x1p-24*abs + float64(n)*0x1p-53*abs
				if err := math.Abs(float64(got) - ref); !(err <= tol) {
					t.Fatalf("n=%d scale=%g: Dot = %g, want %g ± %g (error %g)", n, scale, got, ref, tol, err)
				}
			}
			// Small integers: every partial sum is an integer below 2²⁴, so
			// any order of summation is exact and a lost or doubled element
			// shows at once.
			x, y := make([]float32, n), make([]float32, n)
			var want int64
			for i := range x {
				a, b := r.IntN(17)-8, r.IntN(17)-8
				x[i], y[i] = float32(a), float32(b)
				want += int64(a * b)
			}
			if got := Dot(x, y); got != float32(want) {
				t.Fatalf("n=%d integers: Dot = %v, want exactly %d", n, got, want)
			}
			if got := Dot(x, x); got != float32(b1IntSumSquares(x)) {
				t.Fatalf("n=%d integers: Dot(x, x) = %v, want exactly %d", n, got, b1IntSumSquares(x))
			}
		}
	})
}

func b1IntSumSquares(x []float32) int64 {
	var s int64
	for _, v := range x {
		s += int64(v) * int64(v)
	}
	return s
}

func TestAxpyAccuracy(t *testing.T) {
	b1EachLevel(t, func(t *testing.T, l Level) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, n := range b1Lengths() {
			for ai, alpha := range []float32{1, -1.7, 3e-3, 0.3333333, -2.5e10} {
				// Start offsets 0…15 elements into the buffer (every
				// residue modulo 64 bytes), for the alignment heads of the
				// kernels; the rest of the buffer holds sentinels.
				ox, oy := (5*n+ai)%16, (n+3*ai)%16
				x := b1Rand(r, n+16, 1)[ox : ox+n]
				ybuf := b1Rand(r, n+16, 1)
				y := ybuf[oy : oy+n]
				ybuf0 := append([]float32(nil), ybuf...)
				y0 := ybuf0[oy : oy+n]
				Axpy(alpha, x, y)
				b1CheckSentinels(t, ybuf, ybuf0, oy, n)
				for i := range x {
					p := float64(alpha) * float64(x[i]) // exact
					e := p + float64(y0[i])             // within 2⁻⁵³|e| of the exact value
					// One rounding (FMA) on the assembly levels, at most two
					// (product, then sum) on the generic level; the factor
					// covers the reference's own rounding.
					tol := 0.5 * b1Ulp32(e) * (1 + 0x1p-20)
					if l == Generic {
						tol += 0.5 * b1Ulp32(p) * (1 + 0x1p-20)
					}
					if err := math.Abs(float64(y[i]) - e); !(err <= tol) {
						t.Fatalf("n=%d alpha=%g i=%d: y = %g + %g·%g = %g, want %g ± %g",
							n, alpha, i, y0[i], alpha, x[i], y[i], e, tol)
					}
				}
			}
			// In place: y += alpha·y.
			y := b1Rand(r, n, 1)
			y0 := append([]float32(nil), y...)
			Axpy(-0.5, y, y)
			for i := range y {
				e := float64(y0[i]) * 0.5
				if float64(y[i]) != e { // y − y/2 is exact
					t.Fatalf("n=%d in place, i=%d: y = %g, want %g", n, i, y[i], e)
				}
			}
		}
	})
}

// b1CheckSentinels checks that buf, of which the kernel was given
// buf[off:off+n], still equals buf0 outside that window.
func b1CheckSentinels(t *testing.T, buf, buf0 []float32, off, n int) {
	t.Helper()
	for i := range buf {
		if (i < off || i >= off+n) && math.Float32bits(buf[i]) != math.Float32bits(buf0[i]) {
			t.Fatalf("n=%d offset=%d: element %d outside the slice changed from %g to %g", n, off, i-off, buf0[i], buf[i])
		}
	}
}

func TestScalExact(t *testing.T) {
	b1EachLevel(t, func(t *testing.T, l Level) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, n := range b1Lengths() {
			for ai, alpha := range []float32{0.1, -3, 7e-30} {
				ox := (n + 5*ai) % 16
				xbuf := b1Rand(r, n+16, 1)
				x := xbuf[ox : ox+n]
				xbuf0 := append([]float32(nil), xbuf...)
				x0 := xbuf0[ox : ox+n]
				Scal(alpha, x)
				b1CheckSentinels(t, xbuf, xbuf0, ox, n)
				for i := range x {
					// One correctly rounded product: float64 holds it exactly.
					if want := float32(float64(alpha) * float64(x0[i])); x[i] != want {
						t.Fatalf("n=%d alpha=%g i=%d: %g·%g = %g, want %g", n, alpha, i, alpha, x0[i], x[i], want)
					}
				}
			}
		}
	})
}

// b1ExactSumSquares returns Σ x[i]² exactly: each square is exact in float64,
// and 1100 bits hold any sum of them (squares lie in [2⁻²⁹⁸, 2²⁵⁶)).
func b1ExactSumSquares(x []float32) *big.Float {
	s := new(big.Float).SetPrec(1100)
	sq := new(big.Float).SetPrec(1100)
	for _, v := range x {
		s.Add(s, sq.SetFloat64(float64(v)*float64(v)))
	}
	return s
}

func TestSumSquaresAccuracy(t *testing.T) {
	b1EachLevel(t, func(t *testing.T, l Level) {
		r := rand.New(rand.NewPCG(7, 8))
		check := func(name string, x []float32) {
			t.Helper()
			got := SumSquares(x)
			exact := b1ExactSumSquares(x)
			want, _ := exact.Float64()
			if math.IsInf(got, 0) || math.IsNaN(got) {
				t.Fatalf("%s n=%d: SumSquares = %g, want %g", name, len(x), got, want)
			}
			// |got − exact| ≤ n·2⁻⁵³·exact, measured exactly.
			diff := new(big.Float).SetPrec(1100).Sub(new(big.Float).SetPrec(1100).SetFloat64(got), exact)
			bound := new(big.Float).SetPrec(1100).Mul(exact, big.NewFloat(float64(len(x))*0x1p-53))
			if diff.Abs(diff).Cmp(bound) > 0 {
				d, _ := diff.Float64()
				t.Fatalf("%s n=%d: SumSquares = %g, want %g (error %g > n·2⁻⁵³·exact)", name, len(x), got, want, d)
			}
		}
		for _, n := range b1Lengths() {
			check("uniform", b1Rand(r, n, 1))
			// Magnitudes spread over the whole float32 range, subnormals
			// included: no square may overflow or flush to zero.
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(math.Ldexp(r.Float64()+0.5, r.IntN(276)-149)) // 2⁻¹⁵⁰ … 2¹²⁷
				if r.IntN(2) == 0 {
					x[i] = -x[i]
				}
			}
			check("spread", x)
			for _, v := range []float32{1e38, -math.MaxFloat32, 1e-45, 3e-39, 1e-20} {
				x := make([]float32, n)
				for i := range x {
					x[i] = v
				}
				check("constant", x)
			}
			tiny := make([]float32, n) // 2⁻¹⁴⁹ each: the sum n·2⁻²⁹⁸ is exact
			for i := range tiny {
				tiny[i] = math.Float32frombits(1)
			}
			if got, want := SumSquares(tiny), float64(n)*0x1p-298; got != want {
				t.Fatalf("n=%d smallest subnormal: SumSquares = %g, want exactly %g", n, got, want)
			}
			// NaN or ±Inf anywhere, the last element included.
			for _, pos := range []int{0, n / 2, n - 1} {
				x := b1Rand(r, n, 1)
				x[pos] = float32(math.Inf(-1))
				if got := SumSquares(x); !math.IsInf(got, 1) {
					t.Fatalf("n=%d -Inf at %d: SumSquares = %g, want +Inf", n, pos, got)
				}
				x[pos] = float32(math.NaN())
				if got := SumSquares(x); !math.IsNaN(got) {
					t.Fatalf("n=%d NaN at %d: SumSquares = %g, want NaN", n, pos, got)
				}
			}
		}
	})
}

// TestColSumsBitExact checks that every level sums the columns with exactly
// the roundings of colSumsGeneric. The inputs mix magnitudes so that the
// order of the additions shows in the result; the gaps between rows
// (lda > cols) hold NaN, and dst is followed by sentinels.
func TestColSumsBitExact(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	b1EachLevel(t, func(t *testing.T, l Level) {
		for rows := 1; rows <= 20; rows++ {
			for cols := 1; cols <= 70; cols++ {
				for _, pad := range []int{0, 1, 3, 17} {
					b1CheckColSums(t, r, rows, cols, cols+pad)
				}
			}
		}
		for _, s := range [][2]int{{1000, 30}, {10, 100}, {64, 129}, {3, 1000}, {257, 64}} {
			b1CheckColSums(t, r, s[0], s[1], s[1]+5)
		}
	})
}

func b1CheckColSums(t *testing.T, r *rand.Rand, rows, cols, lda int) {
	t.Helper()
	a := make([]float32, (rows-1)*lda+cols)
	for i := range a {
		if i%lda >= cols {
			a[i] = float32(math.NaN()) // never read
			continue
		}
		switch r.IntN(8) {
		case 0:
			a[i] = float32(math.Copysign(0, -1))
		case 1:
			a[i] = float32((2*r.Float64() - 1) * 1e7)
		default:
			a[i] = float32(2*r.Float64() - 1)
		}
	}
	if rows > 1 && cols > 2 { // a column of −0 must sum to −0, as in generic
		for i := 0; i < rows; i++ {
			a[i*lda+cols-1] = float32(math.Copysign(0, -1))
		}
		a[lda+1] = float32(math.Inf(1))
	}
	const sentinels = 5
	buf := make([]float32, cols+sentinels)
	for i := range buf {
		buf[i] = 42
	}
	dst := buf[:cols]
	ColSums(dst, a, rows, cols, lda)
	want := make([]float32, cols)
	colSumsGeneric(want, a, rows, cols, lda)
	for j := range want {
		if math.Float32bits(dst[j]) != math.Float32bits(want[j]) {
			t.Fatalf("rows=%d cols=%d lda=%d: dst[%d] = %g (%#08x), generic %g (%#08x)",
				rows, cols, lda, j, dst[j], math.Float32bits(dst[j]), want[j], math.Float32bits(want[j]))
		}
	}
	// The generic sum is also within its documented bound of a float64 one.
	for j := range want {
		var ref, abs float64
		for i := 0; i < rows; i++ {
			v := float64(a[i*lda+j])
			ref += v
			abs += math.Abs(v)
		}
		if math.IsInf(ref, 0) {
			continue
		}
		if err := math.Abs(float64(dst[j]) - ref); !(err <= float64(rows)*0x1p-24*abs*(1+0x1p-20)) {
			t.Fatalf("rows=%d cols=%d lda=%d: dst[%d] = %g, float64 sum %g", rows, cols, lda, j, dst[j], ref)
		}
	}
	for i, v := range buf[cols:] {
		if v != 42 {
			t.Fatalf("rows=%d cols=%d lda=%d: sentinel dst[%d] overwritten: %g", rows, cols, lda, cols+i, v)
		}
	}
}

// TestReductionsIgnoreAlignment checks the documented reproducibility of Dot
// and SumSquares: the same values at any address give bit-identical results.
func TestReductionsIgnoreAlignment(t *testing.T) {
	b1EachLevel(t, func(t *testing.T, l Level) {
		r := rand.New(rand.NewPCG(11, 12))
		for _, n := range []int{1, 15, 17, 63, 64, 65, 127, 128, 129, 300, 1000, 4099} {
			x, y := b1Rand(r, n, 1), b1Rand(r, n, 1)
			dot, ss := Dot(x, y), SumSquares(x)
			for off := 1; off < 16; off++ {
				xb, yb := make([]float32, n+16), make([]float32, n+16)
				xo, yo := xb[off:off+n], yb[(2*off)%16:(2*off)%16+n]
				copy(xo, x)
				copy(yo, y)
				if got := Dot(xo, yo); math.Float32bits(got) != math.Float32bits(dot) {
					t.Fatalf("n=%d offset=%d: Dot = %g, at offset 0 %g", n, off, got, dot)
				}
				if got := SumSquares(xo); math.Float64bits(got) != math.Float64bits(ss) {
					t.Fatalf("n=%d offset=%d: SumSquares = %g, at offset 0 %g", n, off, got, ss)
				}
			}
		}
	})
}
