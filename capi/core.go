package main

import (
	"math"
	"unsafe"

	"gonum.org/v1/gonum/blas"

	"github.com/deltacore/deltacore/dcblas"
)

// impl is the BLAS that every exported routine calls once its arguments have
// been checked: dcblas, row-major with gonum's conventions, on deltacore's
// kernels. Its checks are passed before it is called, so it never panics.
var impl dcblas.Implementation

// The cores below have the semantics of the reference Fortran BLAS
// (column-major matrices, 1-based INFO numbers), take their operands as
// pointers and never panic: each checks its arguments in the order of the
// reference routine and returns
//
//	0   when the call was carried out,
//	p   when argument p is bad (the reference INFO),
//	−p  when argument p is a NULL pointer that the call would read or write.
//
// The reference BLAS does not check pointers; a NULL is reported only after
// every reference check has passed, and only for an operand the call would
// touch, so every call the reference accepts is accepted here too.

// floats returns the n floats at p as a slice (nil when n ≤ 0).
func floats(p *float32, n int) []float32 {
	if n <= 0 {
		return nil
	}
	return unsafe.Slice(p, n)
}

// vecLen is the number of floats a vector of n elements with increment inc
// spans: 1 + (n−1)·|inc|.
func vecLen(n, inc int) int {
	if n <= 0 {
		return 0
	}
	if inc < 0 {
		inc = -inc
	}
	return 1 + (n-1)*inc
}

// matLen is the number of floats a column-major rows×cols matrix with
// leading dimension ld spans.
func matLen(rows, cols, ld int) int {
	if rows <= 0 || cols <= 0 {
		return 0
	}
	return ld*(cols-1) + rows
}

// start is the 0-based index of a vector's first element: the reference
// starts a negative increment at the far end, 1 − (n−1)·inc.
func start(n, inc int) int {
	if inc < 0 {
		return (1 - n) * inc
	}
	return 0
}

// transOf decodes a Fortran TRANS character as LSAME does (either case):
// 'N' → NoTrans, 'T' and 'C' → Trans (conjugation is nothing for real data).
func transOf(c byte) (t blas.Transpose, ok bool) {
	switch c {
	case 'N', 'n':
		return blas.NoTrans, true
	case 'T', 't', 'C', 'c':
		return blas.Trans, true
	}
	return 0, false
}

// scaleVec sets y = beta·y over n elements with increment inc (y = 0 without
// reading y when beta is 0).
func scaleVec(n int, beta float32, y []float32, inc int) {
	if inc < 0 {
		inc = -inc
	}
	for i := 0; i < n; i++ {
		if beta == 0 {
			y[i*inc] = 0
		} else {
			y[i*inc] *= beta
		}
	}
}

// sgemm is SGEMM: C = alpha·op(A)·op(B) + beta·C, column-major.
func sgemm(transA, transB byte, m, n, k int, alpha float32, a *float32, lda int,
	b *float32, ldb int, beta float32, c *float32, ldc int) int {
	tA, okA := transOf(transA)
	tB, okB := transOf(transB)
	nrowA, ncolA := m, k
	if tA == blas.Trans {
		nrowA, ncolA = k, m
	}
	nrowB, ncolB := k, n
	if tB == blas.Trans {
		nrowB, ncolB = n, k
	}
	switch {
	case !okA:
		return 1
	case !okB:
		return 2
	case m < 0:
		return 3
	case n < 0:
		return 4
	case k < 0:
		return 5
	case lda < max(1, nrowA):
		return 8
	case ldb < max(1, nrowB):
		return 10
	case ldc < max(1, m):
		return 13
	}
	product := alpha != 0 && k > 0
	if m == 0 || n == 0 || (!product && beta == 1) {
		return 0
	}
	switch {
	case product && a == nil:
		return -7
	case product && b == nil:
		return -9
	case c == nil:
		return -12
	}
	cs := floats(c, matLen(m, n, ldc))
	if !product {
		for j := 0; j < n; j++ {
			scaleVec(m, beta, cs[j*ldc:], 1)
		}
		return 0
	}
	// Column-major C = op(A)·op(B) is row-major Cᵀ = op(B)ᵀ·op(A)ᵀ, with each
	// matrix read as its row-major transpose.
	impl.Sgemm(tB, tA, n, m, k, alpha, floats(b, matLen(nrowB, ncolB, ldb)), ldb,
		floats(a, matLen(nrowA, ncolA, lda)), lda, beta, cs, ldc)
	return 0
}

// sgemv is SGEMV: y = alpha·op(A)·x + beta·y, A m×n column-major.
func sgemv(trans byte, m, n int, alpha float32, a *float32, lda int,
	x *float32, incX int, beta float32, y *float32, incY int) int {
	t, ok := transOf(trans)
	switch {
	case !ok:
		return 1
	case m < 0:
		return 2
	case n < 0:
		return 3
	case lda < max(1, m):
		return 6
	case incX == 0:
		return 8
	case incY == 0:
		return 11
	}
	if m == 0 || n == 0 || (alpha == 0 && beta == 1) {
		return 0
	}
	lenX, lenY := n, m
	if t == blas.Trans {
		lenX, lenY = m, n
	}
	switch {
	case alpha != 0 && a == nil:
		return -5
	case alpha != 0 && x == nil:
		return -7
	case y == nil:
		return -10
	}
	ys := floats(y, vecLen(lenY, incY))
	if alpha == 0 {
		scaleVec(lenY, beta, ys, incY)
		return 0
	}
	// Column-major A (m×n) is the row-major n×m matrix Aᵀ.
	rt := blas.Trans
	if t == blas.Trans {
		rt = blas.NoTrans
	}
	impl.Sgemv(rt, n, m, alpha, floats(a, matLen(m, n, lda)), lda,
		floats(x, vecLen(lenX, incX)), incX, beta, ys, incY)
	return 0
}

// sger is SGER: A += alpha·x·yᵀ, A m×n column-major.
func sger(m, n int, alpha float32, x *float32, incX int, y *float32, incY int, a *float32, lda int) int {
	switch {
	case m < 0:
		return 1
	case n < 0:
		return 2
	case incX == 0:
		return 5
	case incY == 0:
		return 7
	case lda < max(1, m):
		return 9
	}
	if m == 0 || n == 0 || alpha == 0 {
		return 0
	}
	switch {
	case x == nil:
		return -4
	case y == nil:
		return -6
	case a == nil:
		return -8
	}
	// Column-major A += x·yᵀ is row-major Aᵀ += y·xᵀ.
	impl.Sger(n, m, alpha, floats(y, vecLen(n, incY)), incY,
		floats(x, vecLen(m, incX)), incX, floats(a, matLen(m, n, lda)), lda)
	return 0
}

// Level 1. The reference routines check nothing: n ≤ 0 returns at once (and
// so does incX ≤ 0 where the reference says so); an increment of 0 repeats
// one element. gonum refuses a zero increment, so those calls are done here,
// element by element in the reference order.

func saxpy(n int, alpha float32, x *float32, incX int, y *float32, incY int) int {
	if n <= 0 || alpha == 0 {
		return 0
	}
	switch {
	case x == nil:
		return -3
	case y == nil:
		return -5
	}
	xs, ys := floats(x, vecLen(n, incX)), floats(y, vecLen(n, incY))
	if incX == 0 || incY == 0 {
		ix, iy := start(n, incX), start(n, incY)
		for i := 0; i < n; i++ {
			ys[iy] += alpha * xs[ix]
			ix, iy = ix+incX, iy+incY
		}
		return 0
	}
	impl.Saxpy(n, alpha, xs, incX, ys, incY)
	return 0
}

func sdot(n int, x *float32, incX int, y *float32, incY int) (float32, int) {
	if n <= 0 {
		return 0, 0
	}
	switch {
	case x == nil:
		return 0, -2
	case y == nil:
		return 0, -4
	}
	xs, ys := floats(x, vecLen(n, incX)), floats(y, vecLen(n, incY))
	if incX == 0 || incY == 0 {
		var s float32
		ix, iy := start(n, incX), start(n, incY)
		for i := 0; i < n; i++ {
			s += xs[ix] * ys[iy]
			ix, iy = ix+incX, iy+incY
		}
		return s, 0
	}
	return impl.Sdot(n, xs, incX, ys, incY), 0
}

func sscal(n int, alpha float32, x *float32, incX int) int {
	if n <= 0 || incX <= 0 {
		return 0
	}
	if x == nil {
		return -3
	}
	impl.Sscal(n, alpha, floats(x, vecLen(n, incX)), incX)
	return 0
}

// snrm2 follows the reference snrm2.f90: a negative increment walks the
// vector from its far end (the norm is the same), an increment of 0 takes
// x[0] n times.
func snrm2(n int, x *float32, incX int) (float32, int) {
	if n <= 0 {
		return 0, 0
	}
	if x == nil {
		return 0, -2
	}
	if incX == 0 {
		return float32(math.Abs(float64(*x)) * math.Sqrt(float64(n))), 0
	}
	if incX < 0 {
		incX = -incX
	}
	return impl.Snrm2(n, floats(x, vecLen(n, incX)), incX), 0
}

func sasum(n int, x *float32, incX int) (float32, int) {
	if n <= 0 || incX <= 0 {
		return 0, 0
	}
	if x == nil {
		return 0, -2
	}
	return impl.Sasum(n, floats(x, vecLen(n, incX)), incX), 0
}

// isamax returns the 1-based index of the first element of largest absolute
// value, 0 when n < 1 or incX ≤ 0 (as the reference ISAMAX).
func isamax(n int, x *float32, incX int) (int, int) {
	if n < 1 || incX <= 0 {
		return 0, 0
	}
	if x == nil {
		return 0, -2
	}
	return impl.Isamax(n, floats(x, vecLen(n, incX)), incX) + 1, 0
}

func scopy(n int, x *float32, incX int, y *float32, incY int) int {
	if n <= 0 {
		return 0
	}
	switch {
	case x == nil:
		return -2
	case y == nil:
		return -4
	}
	xs, ys := floats(x, vecLen(n, incX)), floats(y, vecLen(n, incY))
	if incX == 0 || incY == 0 {
		ix, iy := start(n, incX), start(n, incY)
		for i := 0; i < n; i++ {
			ys[iy] = xs[ix]
			ix, iy = ix+incX, iy+incY
		}
		return 0
	}
	impl.Scopy(n, xs, incX, ys, incY)
	return 0
}

func sswap(n int, x *float32, incX int, y *float32, incY int) int {
	if n <= 0 {
		return 0
	}
	switch {
	case x == nil:
		return -2
	case y == nil:
		return -4
	}
	xs, ys := floats(x, vecLen(n, incX)), floats(y, vecLen(n, incY))
	if incX == 0 || incY == 0 {
		ix, iy := start(n, incX), start(n, incY)
		for i := 0; i < n; i++ {
			xs[ix], ys[iy] = ys[iy], xs[ix]
			ix, iy = ix+incX, iy+incY
		}
		return 0
	}
	impl.Sswap(n, xs, incX, ys, incY)
	return 0
}
