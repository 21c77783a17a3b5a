//go:build !purego

package deltacore

import "github.com/klauspost/cpuid/v2"

// archLevels returns the levels this CPU can run, best first: NEON when the
// CPU has ASIMD (every ARMv8-A CPU that Linux runs on has it, but cpuid is
// asked all the same), then Generic.
func archLevels() []Level {
	if cpuid.CPU.Supports(cpuid.ASIMD) {
		return []Level{NEON, Generic}
	}
	return []Level{Generic}
}

// neonTable starts as a copy of the generic table; every NEON kernel below
// replaces its entry. It is built during package variable initialisation,
// before any init function runs.
var neonTable = func() kernelTable {
	t := genericTable
	t.level = NEON
	t.sigmoid = sigmoidNEON
	t.sigmoidPrime = sigmoidPrimeNEON
	t.mulSigmoidPrime = mulSigmoidPrimeNEON
	t.tanh = tanhNEON
	t.tanhPrime = tanhPrimeNEON
	t.mulTanhPrime = mulTanhPrimeNEON
	t.axpy = axpyNEON
	t.scal = scalNEON
	t.dot = dotNEON
	t.sumSquares = sumSquaresNEON
	t.colSums = colSumsNEON
	t.gemvN, t.gemvT = gemvNNEON, gemvTNEON
	return t
}()

// tableFor returns the kernel table of level l.
func tableFor(l Level) *kernelTable {
	if l == NEON {
		return &neonTable
	}
	return &genericTable
}

// The NEON kernels below are in kernels_arm64.s. Each handles every length,
// tails included (4-lane blocks, then the last 1–3 elements through single
// lanes of a vector register, or a scalar loop), and never reads or writes
// outside the slices it is given. The callers in kernels.go have checked the
// lengths and overlaps stated in each comment.

// sigmoidNEON sets dst[i] = σ(z[i]) for i < len(z):
//
//	for i, v := range z {
//		t := exp(-|v|)
//		if v < 0 { dst[i] = t / (1 + t) } else { dst[i] = 1 / (1 + t) }
//	}
//
// e^(−|v|) is computed in float32 with round-to-nearest range reduction
// n = round(x·log2e), two-constant Cody–Waite reduction, a degree-6 minimax
// polynomial and 2ⁿ applied through the exponent bits in two steps, so that
// results in the subnormal range are rounded once. Accuracy: at most 4 ULP
// where σ(z) is a normal float32, absolute 2⁻¹²⁶ below; σ(−∞) = 0,
// σ(+∞) = 1, NaN gives NaN, σ ∈ [0, 1]. Seen: 2.40 ULP over every finite
// float32, in a float32 Go model of this code that matched it bit for bit on
// all inputs of neon_test.go (which itself sees 1.86 ULP).
//
// Preconditions: len(dst) ≥ len(z); dst is z or does not overlap it.
//
// Requires: ASIMD.
//
//go:noescape
func sigmoidNEON(dst, z []float32)

// sigmoidPrimeNEON sets dst[i] = σ′(z[i]) for i < len(z):
//
//	for i, v := range z {
//		t := exp(-|v|)
//		dst[i] = t / (1 + t*(2+t)) // = t/(1+t)², relative accuracy in saturation
//	}
//
// with e^(−|v|) as in sigmoidNEON. Accuracy: at most 4 ULP where σ′(z) is a
// normal float32, absolute 2⁻¹²⁶ below; σ′(±∞) = 0, NaN gives NaN. Seen:
// 2.38 ULP over every finite float32 (model, as for sigmoidNEON), 2.07 ULP in
// neon_test.go.
//
// Preconditions: len(dst) ≥ len(z); dst is z or does not overlap it.
//
// Requires: ASIMD.
//
//go:noescape
func sigmoidPrimeNEON(dst, z []float32)

// mulSigmoidPrimeNEON sets delta[i] *= σ′(z[i]) for i < len(z), with σ′ as
// in sigmoidPrimeNEON and one more rounding, so within 4.5 ULP of
// delta[i]·σ′(z[i]) (3.0 ULP seen in neon_test.go), plus the absolute floor
// 2⁻¹²⁶·|delta[i]| where σ′(z[i]) is below 2⁻¹²⁶:
//
//	for i, v := range z {
//		delta[i] *= sigmoidPrime(v)
//	}
//
// Preconditions: len(delta) ≥ len(z); delta is z or does not overlap it.
//
// Requires: ASIMD.
//
//go:noescape
func mulSigmoidPrimeNEON(delta, z []float32)

// tanhNEON sets dst[i] = tanh(z[i]) for i < len(z), from σ's exponential
// (see TANH_A in kernels_arm64.s):
//
//	for i, v := range z {
//		E := expm1(max(-2*|v|, -64)) // 2ⁿ·(p(r)−1) + (2ⁿ−1), no cancellation
//		dst[i] = copysign(-E/(2+E), v)
//	}
//
// one vector of four lanes at a time, the last 1–3 elements through single
// lanes. Accuracy as Tanh documents (4 ULP; see TestTanhAccuracy).
//
// Preconditions: len(dst) ≥ len(z); dst is z or does not overlap it.
//
// Requires: ASIMD.
//
//go:noescape
func tanhNEON(dst, z []float32)

// tanhPrimeNEON sets dst[i] = tanh′(z[i]) = 4σ′(2z[i]) for i < len(z), with σ′
// as in sigmoidPrimeNEON (2z and the factor 4 are exact).
//
// Preconditions: len(dst) ≥ len(z); dst is z or does not overlap it.
//
// Requires: ASIMD.
//
//go:noescape
func tanhPrimeNEON(dst, z []float32)

// mulTanhPrimeNEON sets delta[i] *= tanh′(z[i]) for i < len(z), tanh′ as in
// tanhPrimeNEON, one more rounding.
//
// Preconditions: len(delta) ≥ len(z); delta is z or does not overlap it.
//
// Requires: ASIMD.
//
//go:noescape
func mulTanhPrimeNEON(delta, z []float32)

// axpyNEON sets y[i] += alpha*x[i] for i < len(x), each element with one
// fused multiply-add (FMLA, or FMADD in the scalar tail):
//
//	for i, v := range x {
//		y[i] = fma(alpha, v, y[i])
//	}
//
// Preconditions: len(y) ≥ len(x); x is y or does not overlap it.
//
// Requires: ASIMD.
//
//go:noescape
func axpyNEON(alpha float32, x, y []float32)

// scalNEON sets x[i] *= alpha for i < len(x), bit-identical to scalGeneric:
//
//	for i := range x {
//		x[i] *= alpha
//	}
//
// Requires: ASIMD.
//
//go:noescape
func scalNEON(alpha float32, x []float32)

// dotNEON returns Σ x[i]*y[i] for i < len(x), in float32, with sixteen
// interleaved partial sums (four vectors of four lanes, each lane a fused
// multiply-add), summed pairwise at the end; the last len(x)%4 products are
// added, fused, to the total in order:
//
//	var s [16]float32
//	for i := 0; i+16 <= n; i += 16 { s[j] = fma(x[i+j], y[i+j], s[j]) for j < 16 }
//	for ; i+4 <= n; i += 4 { s[j] = fma(x[i+j], y[i+j], s[j]) for j < 4 }
//	r := reduce(s)
//	for ; i < n; i++ { r = fma(x[i], y[i], r) }
//
// The error is within n·2⁻²⁴·Σ|x[i]·y[i]| (plus underflow).
//
// Preconditions: len(y) ≥ len(x).
//
// Requires: ASIMD.
//
//go:noescape
func dotNEON(x, y []float32) float32

// sumSquaresNEON returns Σ x[i]² for i < len(x), accumulated in float64:
// each float32 is widened exactly (FCVTL/FCVTL2) and squared exactly into one
// of sixteen float64 partial sums (eight vectors of two lanes, FMLA .2D):
//
//	var s float64
//	for _, v := range x {
//		s += float64(v) * float64(v)
//	}
//
// Relative error at most n·2⁻⁵³; NaN or ±Inf in x give NaN or +Inf.
//
// Requires: ASIMD.
//
//go:noescape
func sumSquaresNEON(x []float32) float64

// colSumsNEON sets dst[j] = Σ_i a[i*lda+j] for j < cols, summing over i in
// order in float32, bit-identical to colSumsGeneric:
//
//	for j := 0; j < cols; j++ {
//		s := a[j]
//		for i := 1; i < rows; i++ {
//			s += a[i*lda+j]
//		}
//		dst[j] = s
//	}
//
// Columns go sixteen, then four, at a time in vector registers, then one at a
// time.
//
// Preconditions: rows ≥ 1, cols ≥ 1, lda ≥ cols, len(dst) ≥ cols,
// len(a) ≥ (rows−1)·lda + cols; dst does not overlap a.
//
// Requires: ASIMD.
//
//go:noescape
func colSumsNEON(dst, a []float32, rows, cols, lda int)
