// Package deltacore is a float32 numeric core for dense feed-forward networks:
// hand-written AVX-512, AVX2 and NEON assembly for the logistic sigmoid σ, its
// derivative σ′, the in-place δ step of backpropagation, BLAS-1 kernels,
// reductions and SGEMM, chosen at run time from the CPU's features, with a
// pure-Go fallback that is also the readable specification.
//
// Every exported function checks its arguments in Go and panics, with a
// message naming the offending argument, before any assembly runs. The
// kernels never read or write outside the slices they are given. They are
// stateless and safe for concurrent use.
//
// The level (see Level) is detected once at start; the environment variable
// DELTACORE_ISA caps it (for example DELTACORE_ISA=avx2) and SetLevel
// switches it at run time. The build tag purego removes all assembly.
package deltacore

import (
	"fmt"
	"math"
	"unsafe"
)

// kernelTable holds one level's implementation of every kernel. Exported
// functions check their arguments, reslice, and call through the active table.
type kernelTable struct {
	level Level

	sigmoid         func(dst, z []float32)
	sigmoidPrime    func(dst, z []float32)
	mulSigmoidPrime func(delta, z []float32)

	tanh         func(dst, z []float32)
	tanhPrime    func(dst, z []float32)
	mulTanhPrime func(delta, z []float32)

	axpy       func(alpha float32, x, y []float32)
	scal       func(alpha float32, x []float32)
	dot        func(x, y []float32) float32
	sumSquares func(x []float32) float64
	colSums    func(dst, a []float32, rows, cols, lda int)

	gemvN, gemvT func(m, n int, alpha float32, a []float32, lda int, x, y []float32) // gemv.go
}

func lengthPanic(fn, a string, la int, b string, lb int) {
	panic(fmt.Sprintf("deltacore: %s: len(%s) = %d does not match len(%s) = %d", fn, a, la, b, lb))
}

// overlaps reports whether a and b share memory. Empty slices never
// overlap.
func overlaps(a, b []float32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	pa := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	pb := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return pa < pb+uintptr(len(b))*4 && pb < pa+uintptr(len(a))*4
}

// partialOverlap reports whether a and b share memory without being the
// same slice (same start, same length), the one aliasing the elementwise
// kernels allow.
func partialOverlap(a, b []float32) bool {
	same := len(a) == len(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
	return !same && overlaps(a, b)
}

// elementwise checks the arguments of an element-wise kernel fn(dst, z)
// (dst named name: "dst", or "delta" for the δ steps) that writes dst[i]
// from z[i]: equal lengths, and dst either z itself or not overlapping it.
// It reports the kernel's reads and writes to the race detector and returns
// whether there is anything to do.
func elementwise(fn, name string, dst, z []float32) bool {
	if len(dst) != len(z) {
		lengthPanic(fn, name, len(dst), "z", len(z))
	}
	if partialOverlap(dst, z) {
		overlapPanic(fn, name, "z")
	}
	if len(z) == 0 {
		return false
	}
	raceRead(z)
	raceWrite(dst)
	return true
}

func overlapPanic(fn, a, b string) {
	panic(fmt.Sprintf("deltacore: %s: %s and %s overlap partially (they may only be the same slice)", fn, a, b))
}

// Sigmoid sets dst[i] = σ(z[i]) = 1/(1+e^(−z[i])) for every i. dst may be z
// (the same slice) but must not otherwise overlap it; len(dst) must equal
// len(z).
//
// Accuracy, on every level: relative error at most 4 ULP wherever σ(z) is a
// normal float32, absolute error at most 2⁻¹²⁶ below that. σ(−∞) = 0,
// σ(+∞) = 1, every result lies in [0, 1], NaN gives NaN, and no input
// overflows.
func Sigmoid(dst, z []float32) {
	if elementwise("Sigmoid", "dst", dst, z) {
		active.Load().sigmoid(dst, z)
	}
}

// SigmoidPrime sets dst[i] = σ′(z[i]) = σ(z)(1−σ(z)) for every i, computed
// from z as e^(−|z|)/(1+e^(−|z|))² so that it keeps its relative accuracy in
// saturation (σ(z)(1−σ(z)) in float32 is exactly 0 from z ≈ 17 on). dst may be
// z but must not otherwise overlap it; len(dst) must equal len(z).
//
// Accuracy, on every level: relative error at most 4 ULP wherever σ′(z) is a
// normal float32, absolute error at most 2⁻¹²⁶ below that; σ′(±∞) = 0,
// NaN gives NaN.
func SigmoidPrime(dst, z []float32) {
	if elementwise("SigmoidPrime", "dst", dst, z) {
		active.Load().sigmoidPrime(dst, z)
	}
}

// MulSigmoidPrime sets delta[i] *= σ′(z[i]) for every i: the in-place step
// δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ) of backpropagation. σ′ is computed as in
// SigmoidPrime, then multiplied once, so the result is within 4.5 ULP of
// delta[i]·σ′(z[i]) (plus the absolute floor 2⁻¹²⁶·|delta[i]| where σ′(z)
// is subnormal). delta may be z but must not otherwise overlap it.
func MulSigmoidPrime(delta, z []float32) {
	if elementwise("MulSigmoidPrime", "delta", delta, z) {
		active.Load().mulSigmoidPrime(delta, z)
	}
}

// Tanh sets dst[i] = tanh(z[i]) for every i. dst may be z (the same slice)
// but must not otherwise overlap it; len(dst) must equal len(z).
//
// It shares σ's exponential: with e^(−2x) = 2⁻ⁿ·e^(−2s), tanh(x) =
// (2ⁿ − e^(−2s))/(2ⁿ + e^(−2s)), where 2ⁿ − e^(−2s) is formed as
// (2ⁿ − 1) − (e^(−2s) − 1) from a polynomial without its constant term,
// which keeps the relative accuracy near z = 0 (AVX-512 evaluates this on z
// itself, AVX2 and the Go code on |z| and put the sign back). Unlike
// 2σ(2z) − 1 literally, tanh keeps its relative accuracy near z = 0.
//
// Accuracy, on every level: relative error at most 4 ULP wherever tanh(z)
// is a normal float32, absolute error at most 2⁻¹⁴⁹ below that (the
// subnormal z, where tanh(z) = z). tanh(±∞) = ±1, tanh(±0) = 0 (of either
// sign: AVX2 and AVX-512 give +0 for −0, the Go code and NEON ±0), every
// other result has the sign of z and lies in [−1, 1], NaN gives NaN, and
// no input overflows.
func Tanh(dst, z []float32) {
	if elementwise("Tanh", "dst", dst, z) {
		active.Load().tanh(dst, z)
	}
}

// TanhPrime sets dst[i] = tanh′(z[i]) = 1 − tanh²(z[i]) for every i,
// computed as 4σ′(2z) from the exponential (see SigmoidPrime), so that it
// keeps its relative accuracy in saturation (1 − tanh² in float32 is exactly
// 0 from |z| ≈ 9 on). dst may be z but must not otherwise overlap it;
// len(dst) must equal len(z).
//
// Accuracy, on every level: relative error at most 4 ULP wherever
// tanh′(z) ≥ 2⁻¹²⁴ (|z| < 43.3), absolute error at most 2⁻¹²⁴ below that
// (there σ′(2z) is subnormal, and 4σ′(2z) keeps its absolute error);
// tanh′(±∞) = 0, NaN gives NaN.
func TanhPrime(dst, z []float32) {
	if elementwise("TanhPrime", "dst", dst, z) {
		active.Load().tanhPrime(dst, z)
	}
}

// MulTanhPrime sets delta[i] *= tanh′(z[i]) for every i: the δ step of a
// tanh layer. tanh′ is computed as in TanhPrime, then multiplied once, so
// the result is within 4.5 ULP of delta[i]·tanh′(z[i]) (plus the absolute
// floor 2⁻¹²⁴·|delta[i]| where tanh′(z) < 2⁻¹²⁴). delta may be z but must
// not otherwise overlap it.
func MulTanhPrime(delta, z []float32) {
	if elementwise("MulTanhPrime", "delta", delta, z) {
		active.Load().mulTanhPrime(delta, z)
	}
}

// Axpy sets y[i] += alpha*x[i] for every i. x may be y but must not otherwise
// overlap it. Each element is one fused multiply-add on the assembly levels
// (one rounding) and at most two roundings on the generic level.
func Axpy(alpha float32, x, y []float32) {
	if len(x) != len(y) {
		lengthPanic("Axpy", "x", len(x), "y", len(y))
	}
	if partialOverlap(x, y) {
		overlapPanic("Axpy", "x", "y")
	}
	if len(x) == 0 {
		return
	}
	raceRead(x)
	raceWrite(y)
	active.Load().axpy(alpha, x, y)
}

// Scal sets x[i] *= alpha for every i.
func Scal(alpha float32, x []float32) {
	if len(x) == 0 {
		return
	}
	raceWrite(x)
	active.Load().scal(alpha, x)
}

// Dot returns Σ x[i]*y[i], accumulated in float32 in several interleaved
// partial sums. Its error is within the standard bound
// |Dot − exact| ≤ n·2⁻²⁴·Σ|x[i]·y[i]| (plus underflow). len(x) must equal
// len(y).
func Dot(x, y []float32) float32 {
	if len(x) != len(y) {
		lengthPanic("Dot", "x", len(x), "y", len(y))
	}
	if len(x) == 0 {
		return 0
	}
	raceRead(x)
	raceRead(y)
	return active.Load().dot(x, y)
}

// SumSquares returns Σ x[i]², accumulated in float64. Every square of a
// float32 is exact in float64 and neither overflows nor underflows, so the
// result has relative error at most n·2⁻⁵³ for every input: gradients of any
// size, including subnormal ones, never round to zero. NaN or ±Inf in x give
// NaN or +Inf.
func SumSquares(x []float32) float64 {
	if len(x) == 0 {
		return 0
	}
	raceRead(x)
	return active.Load().sumSquares(x)
}

// Norm returns the Euclidean norm √(Σ x[i]²), computed from SumSquares in
// float64 (see there for the accuracy).
func Norm(x []float32) float64 {
	return math.Sqrt(SumSquares(x))
}

// ColSums sets dst[j] = Σ_i a[i*lda+j] for j < cols and i < rows: the column
// sums of a row-major rows×cols matrix with row stride lda, as needed for
// bias gradients ∂C/∂b = Σ over the batch of δ. The sums run over i in order,
// in float32, with the same roundings on every level, so every level returns
// bit-identical results; the error is within rows·2⁻²⁴·Σ|a_ij|.
// len(dst) must be cols, lda ≥ cols, and len(a) ≥ (rows−1)·lda + cols
// (checked without overflow).
// dst must not overlap a.
func ColSums(dst, a []float32, rows, cols, lda int) {
	if rows < 0 {
		panic(fmt.Sprintf("deltacore: ColSums: rows = %d < 0", rows))
	}
	if cols < 0 {
		panic(fmt.Sprintf("deltacore: ColSums: cols = %d < 0", cols))
	}
	if len(dst) != cols {
		lengthPanic("ColSums", "dst", len(dst), "cols", cols)
	}
	if lda < max(cols, 1) {
		panic(fmt.Sprintf("deltacore: ColSums: lda = %d < max(cols, 1) = %d", lda, max(cols, 1)))
	}
	if cols == 0 {
		return
	}
	if rows == 0 {
		clear(dst)
		return
	}
	a = a[:matSpan("ColSums", "a", "lda", a, rows, cols, lda)]
	if overlaps(dst, a) {
		overlapPanic("ColSums", "dst", "a")
	}
	raceRead(a)
	raceWrite(dst)
	active.Load().colSums(dst, a, rows, cols, lda)
}
