package fuzz

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"unsafe"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/internal/israce"
	"github.com/deltacore/deltacore/internal/memguard"
)

// TestChecksCatchBrokenKernels runs the checks of every target, over the
// target's seed corpus, against kernels that are broken the way assembly
// kernels break: a tail off by one, a read or write one element past the
// end, NaN mishandled, a stride ignored, the wrong summation order, the
// BLAS β = 0 rule ignored. Each must be caught by at least one seed. It
// also runs correct but differently rounded kernels (in-order float32 Dot,
// FMA-style Sgemm, ...) that must pass every seed, so the bounds are not
// tighter than the contracts.
func TestChecksCatchBrokenKernels(t *testing.T) {
	for _, m := range mutants() {
		if m.pagesOnly && (!memguard.Supported || israce.Enabled) {
			t.Logf("%s: skipped: only guard pages catch it, and they are off here", m.name)
			continue
		}
		failed, msg := 0, ""
		total := 0
		for _, run := range m.runs {
			total++
			c, s := caught(run)
			if c {
				failed++
				if msg == "" {
					msg = s
				}
			}
		}
		switch {
		case m.valid && failed > 0:
			t.Errorf("%s: a valid kernel failed %d of %d seeds: %s", m.name, failed, total, msg)
		case !m.valid && failed == 0:
			t.Errorf("%s: a broken kernel passed all %d seeds", m.name, total)
		case testing.Verbose():
			t.Logf("%s: failed %d of %d seeds; first: %.200s", m.name, failed, total, msg)
		}
	}
}

// recorder is a reporter that keeps the messages.
type recorder struct{ msgs []string }

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// caught runs one check and reports whether it failed or panicked (a fault
// on a guard page becomes a panic).
func caught(check func(r reporter) bool) (failed bool, msg string) {
	rec := &recorder{}
	defer func() {
		if p := recover(); p != nil {
			failed, msg = true, fmt.Sprint("panic: ", p)
		}
	}()
	defer panicOnFault()()
	if !check(rec) {
		return true, strings.Join(rec.msgs, "; ")
	}
	return false, ""
}

type mutant struct {
	name  string
	valid bool // a correct kernel: must pass every seed
	// pagesOnly marks a bug that only a guard page can catch: a read past
	// the end that does not change the result, or a write of the value
	// already there.
	pagesOnly bool
	runs      []func(r reporter) bool
}

// past returns x extended by one element past its end (the guard value or
// the guard page that follows it).
func past(x []float32) []float32 {
	return unsafe.Slice(unsafe.SliceData(x), len(x)+1)
}

var sink float32

func pagesOnlyM(m mutant) mutant { m.pagesOnly = true; return m }

func elemMutant(name string, valid bool, check func(reporter, string, elemKernel, []byte, layout, bool) bool, pairs bool, fn elemKernel) mutant {
	m := mutant{name: name, valid: valid}
	for _, a := range elemSeeds(pairs) {
		m.runs = append(m.runs, func(r reporter) bool { return check(r, name, fn, a.raw, a.p, a.inPlace) })
	}
	return m
}

func mutants() []mutant {
	sig := func(dst, z []float32) {
		for i, v := range z {
			dst[i] = float32(refSigmoid(v))
		}
	}
	sp := func(dst, z []float32) {
		for i, v := range z {
			dst[i] = float32(refSigmoidPrime(v))
		}
	}
	msp := func(delta, z []float32) {
		for i, v := range z {
			delta[i] *= float32(refSigmoidPrime(v))
		}
	}
	ms := []mutant{
		elemMutant("Sigmoid/correct", true, checkSigmoid, false, sig),
		elemMutant("Sigmoid/tail-off-by-one", false, checkSigmoid, false, func(dst, z []float32) {
			if len(z) > 0 {
				sig(dst[:len(z)-1], z[:len(z)-1])
				dst[len(z)-1] = z[len(z)-1] / 2
			}
		}),
		elemMutant("Sigmoid/writes-past-end", false, checkSigmoid, false, func(dst, z []float32) {
			sig(dst, z)
			if len(z) > 0 {
				past(dst)[len(z)] = dst[len(z)-1]
			}
		}),
		pagesOnlyM(elemMutant("Sigmoid/reads-past-end", false, checkSigmoid, false, func(dst, z []float32) {
			sig(dst, z)
			sink = past(z)[len(z)]
		})),
		elemMutant("Sigmoid/NaN-gives-1", false, checkSigmoid, false, func(dst, z []float32) {
			// A clamp with MAXPS/MINPS, which return the second operand
			// for NaN, then σ.
			for i, v := range z {
				if isNaN32(v) {
					v = 88
				}
				dst[i] = float32(refSigmoid(v))
			}
		}),
		elemMutant("Sigmoid/flush-below-2^-100", false, checkSigmoid, false, func(dst, z []float32) {
			sig(dst, z)
			for i, v := range dst {
				if v < 0x1p-100 {
					dst[i] = 0
				}
			}
		}),
		elemMutant("SigmoidPrime/correct", true, checkSigmoidPrime, false, sp),
		elemMutant("SigmoidPrime/flush-subnormal", true, checkSigmoidPrime, false, func(dst, z []float32) {
			// Allowed: absolute error ≤ 2⁻¹²⁶ below the normal range.
			sp(dst, z)
			for i, v := range dst {
				if v < minNormal {
					dst[i] = 0
				}
			}
		}),
		elemMutant("SigmoidPrime/σ(1−σ)-in-float32", false, checkSigmoidPrime, false, func(dst, z []float32) {
			for i, v := range z {
				s := float32(refSigmoid(v))
				dst[i] = s * (1 - s)
			}
		}),
		elemMutant("SigmoidPrime/+Inf-gives-NaN", false, checkSigmoidPrime, false, func(dst, z []float32) {
			// e^(−z)·σ(z)² evaluated naively: Inf·0 at z = −Inf.
			for i, v := range z {
				e := math.Exp(-float64(v))
				s := 1 / (1 + e)
				dst[i] = float32(e * s * s)
			}
		}),
		elemMutant("SigmoidPrime/tail-skipped", false, checkSigmoidPrime, false, func(dst, z []float32) {
			n := len(z) &^ 7
			sp(dst[:n], z[:n])
		}),
		elemMutant("MulSigmoidPrime/correct", true, checkMulSigmoidPrime, true, msp),
		elemMutant("MulSigmoidPrime/reads-delta-as-z", false, checkMulSigmoidPrime, true, func(delta, z []float32) {
			msp(delta, delta[:len(z)])
		}),
		elemMutant("MulSigmoidPrime/tail-uses-σ′=0.25", false, checkMulSigmoidPrime, true, func(delta, z []float32) {
			n := len(z) &^ 15
			msp(delta[:n], z[:n])
			for i := n; i < len(z); i++ {
				delta[i] *= 0.25
			}
		}),
	}

	// Axpy.
	axpy := func(alpha float32, x, y []float32) {
		for i, v := range x {
			y[i] += alpha * v
		}
	}
	axpyM := func(name string, valid bool, fn axpyKernel) mutant {
		m := mutant{name: name, valid: valid}
		for _, a := range axpySeeds() {
			m.runs = append(m.runs, func(r reporter) bool { return checkAxpy(r, name, fn, a.raw, a.alpha, a.p, a.inPlace) })
		}
		return m
	}
	ms = append(ms,
		axpyM("Axpy/correct", true, axpy),
		axpyM("Axpy/fma", true, func(alpha float32, x, y []float32) {
			for i, v := range x {
				y[i] = float32(math.FMA(float64(alpha), float64(v), float64(y[i])))
			}
		}),
		axpyM("Axpy/last-element-skipped", false, func(alpha float32, x, y []float32) {
			if len(x) > 0 {
				axpy(alpha, x[:len(x)-1], y[:len(x)-1])
			}
		}),
		pagesOnlyM(axpyM("Axpy/tail-rewrites-one-past", false, func(alpha float32, x, y []float32) {
			// A read-modify-write of the element after the end that
			// leaves it as it was (a NaN guard plus 0 stays that NaN).
			axpy(alpha, x, y)
			if len(x)%4 != 0 {
				past(y)[len(y)] += 0
			}
		})),
	)

	// Scal.
	scalM := func(name string, valid bool, fn scalKernel) mutant {
		m := mutant{name: name, valid: valid}
		for _, a := range scalSeeds() {
			m.runs = append(m.runs, func(r reporter) bool { return checkScal(r, name, fn, a.raw, a.alpha, a.p) })
		}
		return m
	}
	ms = append(ms,
		scalM("Scal/correct", true, func(alpha float32, x []float32) {
			for i := range x {
				x[i] *= alpha
			}
		}),
		scalM("Scal/fma-with-+0-loses-−0", false, func(alpha float32, x []float32) {
			for i, v := range x {
				x[i] = float32(math.FMA(float64(alpha), float64(v), 0))
			}
		}),
	)

	// Dot.
	dotM := func(name string, valid bool, fn dotKernel) mutant {
		m := mutant{name: name, valid: valid}
		for _, a := range dotSeeds() {
			m.runs = append(m.runs, func(r reporter) bool { return checkDot(r, name, fn, a.raw, a.poison, a.p) })
		}
		return m
	}
	inOrder := func(x, y []float32) float32 {
		var s float32
		for i := range x {
			s += x[i] * y[i]
		}
		return s
	}
	ms = append(ms,
		dotM("Dot/in-order-float32", true, inOrder),
		dotM("Dot/16-lanes-fma", true, func(x, y []float32) float32 {
			var acc [16]float32
			for i := range x {
				acc[i%16] = float32(math.FMA(float64(x[i]), float64(y[i]), float64(acc[i%16])))
			}
			for w := 8; w > 0; w /= 2 {
				for i := 0; i < w; i++ {
					acc[i] += acc[i+w]
				}
			}
			return acc[0]
		}),
		dotM("Dot/tail-dropped", false, func(x, y []float32) float32 {
			n := len(x) &^ 7
			return inOrder(x[:n], y[:n])
		}),
		dotM("Dot/reads-one-past", false, func(x, y []float32) float32 {
			return inOrder(past(x), past(y))
		}),
		dotM("Dot/NaN-lost-in-max-reduction", false, func(x, y []float32) float32 {
			// Summing the lanes with a compare-and-select that drops NaN.
			var s float32
			for i := range x {
				if v := x[i] * y[i]; !isNaN32(v) {
					s += v
				}
			}
			return s
		}),
	)

	// SumSquares.
	ssM := func(name string, valid bool, fn sumSquaresKernel) mutant {
		m := mutant{name: name, valid: valid}
		for _, a := range sumSquaresSeeds() {
			m.runs = append(m.runs, func(r reporter) bool { return checkSumSquares(r, name, fn, a.raw, a.p) })
		}
		return m
	}
	ms = append(ms,
		ssM("SumSquares/in-order-float64", true, func(x []float32) float64 {
			var s float64
			for _, v := range x {
				s += float64(v) * float64(v)
			}
			return s
		}),
		ssM("SumSquares/float32-accumulator", false, func(x []float32) float64 {
			var s float32
			for _, v := range x {
				s += v * v
			}
			return float64(s)
		}),
		ssM("SumSquares/last-element-dropped", false, func(x []float32) float64 {
			var s float64
			for i := 0; i+1 < len(x); i++ {
				s += float64(x[i]) * float64(x[i])
			}
			return s
		}),
	)

	// ColSums.
	csM := func(name string, valid bool, fn colSumsKernel) mutant {
		m := mutant{name: name, valid: valid}
		for _, a := range colSumsSeeds() {
			r, c := colSumsShape(a.rows, a.cols)
			m.runs = append(m.runs, func(rep reporter) bool { return checkColSums(rep, name, fn, r, c, int(a.extra%8), a.seed, a.p) })
		}
		return m
	}
	colSums := func(dst, a []float32, rows, cols, lda int) {
		for j := range cols {
			var s float32
			for i := range rows {
				s += a[i*lda+j]
			}
			dst[j] = s
		}
	}
	ms = append(ms,
		csM("ColSums/in-order", true, colSums),
		csM("ColSums/pairwise-rows", false, func(dst, a []float32, rows, cols, lda int) {
			for j := range cols {
				var s0, s1 float32
				for i := 0; i < rows; i++ {
					if i%2 == 0 {
						s0 += a[i*lda+j]
					} else {
						s1 += a[i*lda+j]
					}
				}
				dst[j] = s0 + s1
			}
		}),
		csM("ColSums/stride-ignored", false, func(dst, a []float32, rows, cols, lda int) {
			colSums(dst, a, rows, cols, cols)
		}),
	)

	// Sgemm.
	sgM := func(name string, valid bool, fn sgemmKernel) mutant {
		m := mutant{name: name, valid: valid}
		for _, a := range sgemmSeeds() {
			if m, n, k := sgemmShape(a); m*n*k > maxFlops {
				continue // long k: slow under qemu, and adds nothing here
			}
			m.runs = append(m.runs, func(r reporter) bool { return checkSgemm(r, name, fn, a) })
		}
		return m
	}
	// gemm is a plain kernel with knobs for the classic mistakes.
	type gemmBugs struct{ beta0Reads, alpha0Reads, kShort, ldcIsN, fma64 bool }
	gemm := func(bug gemmBugs) sgemmKernel {
		return func(tA, tB deltacore.Transpose, m, n, k int, alpha float32, a []float32, lda int,
			b []float32, ldb int, beta float32, c []float32, ldc int) {
			if bug.ldcIsN {
				ldc = n
			}
			kk := k
			if bug.kShort && k%4 != 0 {
				kk = k - 1
			}
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					var s float32
					var s64 float64
					if alpha != 0 || bug.alpha0Reads {
						for p := 0; p < kk; p++ {
							var av, bv float32
							if tA == deltacore.Trans {
								av = a[p*lda+i]
							} else {
								av = a[i*lda+p]
							}
							if tB == deltacore.Trans {
								bv = b[j*ldb+p]
							} else {
								bv = b[p*ldb+j]
							}
							s += av * bv
							s64 += float64(av) * float64(bv)
						}
					}
					if bug.fma64 {
						s = float32(s64)
					}
					switch {
					case beta == 0 && !bug.beta0Reads:
						c[i*ldc+j] = alpha * s
					default:
						c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
					}
				}
			}
		}
	}
	ms = append(ms,
		sgM("Sgemm/plain", true, gemm(gemmBugs{})),
		sgM("Sgemm/float64-accumulation", true, gemm(gemmBugs{fma64: true})),
		sgM("Sgemm/beta0-reads-C", false, gemm(gemmBugs{beta0Reads: true})),
		sgM("Sgemm/alpha0-reads-A-B", false, gemm(gemmBugs{alpha0Reads: true})),
		sgM("Sgemm/k-tail-dropped", false, gemm(gemmBugs{kShort: true})),
		sgM("Sgemm/ldc-ignored", false, gemm(gemmBugs{ldcIsN: true})),
	)

	// Sgemv.
	svM := func(name string, valid bool, fn sgemvKernel) mutant {
		m := mutant{name: name, valid: valid}
		for _, a := range sgemvSeeds() {
			m.runs = append(m.runs, func(r reporter) bool { return checkSgemv(r, name, fn, a) })
		}
		return m
	}
	// gemv is a plain kernel with knobs for the classic mistakes.
	type gemvBugs struct{ beta0Reads, alpha0Reads, emptyScales, nShort, negFromStart, fma bool }
	gemv := func(bug gemvBugs) sgemvKernel {
		return func(tA deltacore.Transpose, m, n int, alpha float32, a []float32, lda int,
			x []float32, incX int, beta float32, y []float32, incY int) {
			lenX, lenY := n, m
			if tA == deltacore.Trans {
				lenX, lenY = m, n
			}
			if (m == 0 || n == 0) && !bug.emptyScales {
				return
			}
			at := func(i, len, inc int) int {
				if inc < 0 && !bug.negFromStart {
					return (len - 1 - i) * -inc
				}
				return i * inc
			}
			kk := lenX
			if bug.nShort && kk%4 != 0 {
				kk--
			}
			for i := 0; i < lenY; i++ {
				var s float32
				if alpha != 0 || bug.alpha0Reads {
					for j := 0; j < kk; j++ {
						var av float32
						if tA == deltacore.Trans {
							av = a[j*lda+i]
						} else {
							av = a[i*lda+j]
						}
						if bug.fma {
							s = float32(math.FMA(float64(av), float64(x[at(j, lenX, incX)]), float64(s)))
						} else {
							s += av * x[at(j, lenX, incX)]
						}
					}
				}
				yi := &y[at(i, lenY, incY)]
				if beta == 0 && !bug.beta0Reads {
					*yi = alpha * s
				} else {
					*yi = alpha*s + beta**yi
				}
			}
		}
	}
	ms = append(ms,
		svM("Sgemv/plain", true, gemv(gemvBugs{})),
		svM("Sgemv/fma", true, gemv(gemvBugs{fma: true})),
		svM("Sgemv/beta0-reads-y", false, gemv(gemvBugs{beta0Reads: true})),
		svM("Sgemv/alpha0-reads-A-x", false, gemv(gemvBugs{alpha0Reads: true})),
		svM("Sgemv/empty-still-scales-y", false, gemv(gemvBugs{emptyScales: true})),
		svM("Sgemv/n-tail-dropped", false, gemv(gemvBugs{nShort: true})),
		svM("Sgemv/negative-inc-from-start", false, gemv(gemvBugs{negFromStart: true})),
	)

	// DenseForward.
	dfM := func(name string, valid bool, fn denseForwardKernel) mutant {
		m := mutant{name: name, valid: valid}
		for _, a := range denseSeeds() {
			if a.flags>>4&3 == 3 {
				continue // long k: slow under qemu, and adds nothing here
			}
			m.runs = append(m.runs, func(r reporter) bool {
				return checkDenseForward(r, name, fn, a.m, a.n, a.k, a.strides, a.flags, a.seed)
			})
		}
		return m
	}
	dense := func(actBeforeBias, biasTwice bool) denseForwardKernel {
		return func(m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
			z []float32, ldz int, act []float32, ldact int) {
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					var s float32
					for p := 0; p < k; p++ {
						s += x[i*ldx+p] * w[j*ldw+p]
					}
					zv := s
					if bias != nil {
						zv += bias[j]
						if biasTwice && j == n-1 {
							zv += bias[j]
						}
					}
					z[i*ldz+j] = zv
					if act != nil {
						if actBeforeBias {
							zv = s
						}
						act[i*ldact+j] = float32(refSigmoid(zv))
					}
				}
			}
		}
	}
	ms = append(ms,
		dfM("DenseForward/plain", true, dense(false, false)),
		dfM("DenseForward/σ-before-bias", false, dense(true, false)),
		dfM("DenseForward/bias-twice-in-last-column", false, dense(false, true)),
	)

	// DenseBackward.
	dbM := func(name string, valid bool, fn denseBackwardKernel) mutant {
		m := mutant{name: name, valid: valid}
		for _, a := range denseSeeds() {
			m.runs = append(m.runs, func(r reporter) bool {
				return checkDenseBackward(r, name, fn, a.m, a.n, a.k, a.strides, a.alias, a.seed)
			})
		}
		return m
	}
	backward := func(productFirst bool) denseBackwardKernel {
		return func(m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
			z []float32, ldz int, d []float32, ldd int) {
			row := make([]float32, n)
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					var s float32
					for q := 0; q < nn; q++ {
						s += dnext[i*lddn+q] * w[q*ldw+j]
					}
					row[j] = s
					if productFirst {
						// Writes the product into d before σ′ reads z:
						// wrong when d is z.
						d[i*ldd+j] = s
					}
				}
				for j := 0; j < n; j++ {
					d[i*ldd+j] = row[j] * float32(refSigmoidPrime(z[i*ldz+j]))
				}
			}
		}
	}
	ms = append(ms,
		dbM("DenseBackward/plain", true, backward(false)),
		dbM("DenseBackward/product-before-σ′-with-d=z", false, backward(true)),
	)
	return ms
}
