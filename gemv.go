package deltacore

import (
	"fmt"
	"math"
)

func gemvPanic(format string, args ...any) {
	panic("deltacore: Sgemv: " + fmt.Sprintf(format, args...))
}

// Sgemv computes y = alpha*op(A)*x + beta*y, the matrix-vector product of
// BLAS sgemv, with A a row-major m×n matrix of row stride lda ≥ max(1, n)
// (element (i, j) is a[i*lda+j]). For NoTrans, op(A) = A: x has n elements
// and y has m. For Trans, op(A) = Aᵀ: x has m elements and y has n.
//
// x and y are strided vectors as in BLAS: incX and incY must not be 0, and
// element i of x is x[i*incX] for incX > 0, and x[(len−1−i)·|incX|] for
// incX < 0 (a negative increment walks the slice backwards from the
// element at (len−1)·|incX|, as reference BLAS does). len(x) must be at
// least 1+(len−1)·|incX| and likewise for y. Unit strides go straight to the
// kernels; other strides are gathered into (and y scattered back from) a
// scratch buffer that is kept between calls, so that steady use allocates
// nothing.
//
// BLAS rules: when beta == 0, y is not read (a NaN in y does not survive);
// when alpha == 0, A and x are not read and y is only scaled by beta (left
// untouched when beta == 1); when m == 0 or n == 0 nothing happens. y must
// not overlap A or x.
//
// Accuracy, on every level: with k the length of each sum (n for NoTrans,
// m for Trans), every element of y satisfies
// |y_i − exact| ≤ 2·(k+1)·2⁻²⁴·(|alpha|·Σ_j |op(A)_ij·x_j| + |beta·y_i|)
// plus underflow.
//
// Bad arguments (an unknown Transpose, negative sizes, lda < max(1, n), a
// zero increment, slices too short, y overlapping A or x) panic before any
// assembly runs, with a message "deltacore: Sgemv: ..." naming the argument.
// Sgemv is safe for concurrent use. It runs on the default engine.
func Sgemv(tA Transpose, m, n int, alpha float32, a []float32, lda int,
	x []float32, incX int, beta float32, y []float32, incY int) {
	defaultEngine.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// Sgemv is the package function Sgemv on the engine's level (its cap
// applies); it runs on the calling goroutine whatever the thread budget.
func (e *Engine) Sgemv(tA Transpose, m, n int, alpha float32, a []float32, lda int,
	x []float32, incX int, beta float32, y []float32, incY int) {
	e = e.orDefault()
	sgemv(e, e.table(), tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// absInc returns |inc|, or math.MaxInt for math.MinInt (whose negation
// overflows); no slice is long enough for either to reach a second element.
func absInc(inc int) int {
	if inc < 0 {
		inc = -inc
		if inc < 0 {
			return math.MaxInt
		}
	}
	return inc
}

// vecSpan returns the part of v that a BLAS vector of n ≥ 1 elements with
// increment inc touches, panicking (naming the argument) when v is too short.
// The check divides instead of multiplying, so it cannot overflow.
func vecSpan(v []float32, n, inc int, name string) []float32 {
	ai := absInc(inc)
	if len(v) == 0 || n-1 > (len(v)-1)/ai {
		gemvPanic("len(%s) = %d too short for %d elements with inc%s = %d (need 1+(%d-1)*%d)",
			name, len(v), n, incName(name), inc, n, ai)
	}
	return v[:(n-1)*ai+1]
}

func incName(v string) string {
	if v == "x" {
		return "X"
	}
	return "Y"
}

// sgemv is Sgemv on the kernels of table t, with the scratch vectors of
// strided x or y from e's buffers.
func sgemv(e *Engine, t *kernelTable, tA Transpose, m, n int, alpha float32, a []float32, lda int,
	x []float32, incX int, beta float32, y []float32, incY int) {
	if tA != NoTrans && tA != Trans {
		gemvPanic("bad tA = %q (want 'N' or 'T')", byte(tA))
	}
	if m < 0 {
		gemvPanic("m = %d < 0", m)
	}
	if n < 0 {
		gemvPanic("n = %d < 0", n)
	}
	if lda < max(1, n) {
		gemvPanic("lda = %d < max(1, n = %d)", lda, n)
	}
	if incX == 0 {
		gemvPanic("incX = 0")
	}
	if incY == 0 {
		gemvPanic("incY = 0")
	}
	if m == 0 || n == 0 {
		return
	}
	lenX, lenY := n, m
	if tA == Trans {
		lenX, lenY = m, n
	}
	xs := vecSpan(x, lenX, incX, "x")
	ys := vecSpan(y, lenY, incY, "y")
	if len(a) < n || m-1 > (len(a)-n)/lda {
		gemvPanic("len(a) = %d too short for m = %d rows of n = %d with lda = %d", len(a), m, n, lda)
	}
	as := a[:(m-1)*lda+n]
	if overlaps(ys, as) {
		overlapPanic("Sgemv", "y", "a")
	}
	if overlaps(ys, xs) {
		overlapPanic("Sgemv", "y", "x")
	}
	if alpha == 0 && beta == 1 {
		return
	}

	// Unit-stride views of x and y: the slices themselves, or scratch.
	var buf *gemmBuf
	if incX != 1 || incY != 1 {
		buf = e.getBuf()
		defer e.putBuf(buf)
	}
	yu := ys
	if incY != 1 {
		yu = grow(&buf.vy, lenY)
		if beta != 0 {
			raceRead(ys)
			gather(yu, ys, incY)
		}
	}
	raceWrite(ys)
	switch {
	case beta == 0:
		clear(yu)
	case beta != 1:
		t.scal(beta, yu)
	}
	if alpha != 0 {
		raceRead(as)
		raceRead(xs)
		xu := xs
		if incX != 1 {
			xu = grow(&buf.vx, lenX)
			gather(xu, xs, incX)
		}
		if tA == NoTrans {
			t.gemvN(m, n, alpha, as, lda, xu, yu)
		} else {
			t.gemvT(m, n, alpha, as, lda, xu, yu)
		}
	}
	if incY != 1 {
		scatter(ys, yu, incY)
	}
}

// gather sets dst[i] to element i of the BLAS vector v with increment inc
// (inc ≠ 0; v is exactly the span the vector touches).
func gather(dst, v []float32, inc int) {
	if inc > 0 {
		for i := range dst {
			dst[i] = v[i*inc]
		}
		return
	}
	j := len(v) - 1
	for i := range dst {
		dst[i] = v[j]
		j += inc
	}
}

// scatter sets element i of the BLAS vector v with increment inc to src[i].
func scatter(v, src []float32, inc int) {
	if inc > 0 {
		for i, s := range src {
			v[i*inc] = s
		}
		return
	}
	j := len(v) - 1
	for _, s := range src {
		v[j] = s
		j += inc
	}
}
