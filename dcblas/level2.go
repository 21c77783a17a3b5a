package dcblas

import (
	"github.com/deltacore/deltacore"
	"gonum.org/v1/gonum/blas"
)

// trans maps a blas.Transpose that has been checked to deltacore's; 'C'
// means 'T' for real data.
func trans(t blas.Transpose) deltacore.Transpose {
	if t == blas.NoTrans {
		return deltacore.NoTrans
	}
	return deltacore.Trans
}

// Sgemv computes y = alpha·op(A)·x + beta·y, where A is an m×n row-major
// matrix with row stride lda and op(A) is A (tA = blas.NoTrans) or Aᵀ
// (blas.Trans or blas.ConjTrans); x and y have BLAS increments, negative
// ones included. beta = 0 does not read y; alpha = 0 does not read A or x.
// It runs on deltacore.Sgemv. A y that overlaps A or x (undefined in BLAS)
// is computed into a copy and stored afterwards.
func (Implementation) Sgemv(tA blas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	if tA != blas.NoTrans && tA != blas.Trans && tA != blas.ConjTrans {
		panic(badTranspose)
	}
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if lda < max(1, n) {
		panic(badLdA)
	}
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	lenX, lenY := m, n
	if tA == blas.NoTrans {
		lenX, lenY = n, m
	}
	if m == 0 || n == 0 {
		return
	}
	if vecShort(len(x), lenX, incX) {
		panic(shortX)
	}
	if vecShort(len(y), lenY, incY) {
		panic(shortY)
	}
	if matShort(len(a), m, n, lda) {
		panic(shortA)
	}
	if alpha == 0 && beta == 1 {
		return
	}
	if alpha == 0 {
		// y = beta·y.
		for i, iy := 0, start(lenY, incY); i < lenY; i, iy = i+1, iy+incY {
			if beta == 0 {
				y[iy] = 0
			} else {
				y[iy] *= beta
			}
		}
		return
	}
	a = a[:lda*(m-1)+n]
	ay := max(incY, -incY)
	ys := y[:(lenY-1)*ay+1]
	if overlaps(ys, a) || overlaps(ys, x[:(lenX-1)*max(incX, -incX)+1]) {
		// BLAS leaves this undefined and deltacore.Sgemv refuses it: y is
		// computed from A and x as they were, then stored.
		yc := gather(lenY, y, incY)
		if beta == 0 {
			yc = make([]float32, lenY)
		} else if incY == 1 {
			yc = append([]float32(nil), yc...)
		}
		kern.Sgemv(trans(tA), m, n, alpha, a, lda, x, incX, beta, yc, 1)
		iy := start(lenY, incY)
		for _, v := range yc {
			y[iy] = v
			iy += incY
		}
		return
	}
	kern.Sgemv(trans(tA), m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// gather returns the n elements of the BLAS vector x with increment inc as a
// contiguous slice: x[:n] itself when inc == 1, else a copy.
func gather(n int, x []float32, inc int) []float32 {
	if inc == 1 {
		return x[:n]
	}
	g := make([]float32, n)
	ix := start(n, inc)
	for i := range g {
		g[i] = x[ix]
		ix += inc
	}
	return g
}

// Sger computes A += alpha·x·yᵀ, where A is an m×n row-major matrix with row
// stride lda, x has m and y has n elements (BLAS increments, negative ones
// included). Each row of A is one deltacore.Axpy with alpha·x[i]; a y with
// a non-unit increment, or one that overlaps A, is first gathered into a
// contiguous copy. (gonum v0.17's Sger reads outside x and y for negative
// increments; dcblas does not fall back to it.)
func (Implementation) Sger(m, n int, alpha float32, x []float32, incX int, y []float32, incY int, a []float32, lda int) {
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if lda < max(1, n) {
		panic(badLdA)
	}
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	if m == 0 || n == 0 {
		return
	}
	if vecShort(len(x), m, incX) {
		panic(shortX)
	}
	if vecShort(len(y), n, incY) {
		panic(shortY)
	}
	if matShort(len(a), m, n, lda) {
		panic(shortA)
	}
	if alpha == 0 {
		return
	}
	a = a[:lda*(m-1)+n]
	var yc []float32
	if incY == 1 && !overlaps(y[:n], a) {
		yc = y[:n]
	} else {
		yc = make([]float32, n)
		iy := start(n, incY)
		for j := range yc {
			yc[j] = y[iy]
			iy += incY
		}
	}
	ix := start(m, incX)
	for i := range m {
		if xi := x[ix]; xi != 0 {
			kern.Axpy(alpha*xi, yc, a[i*lda:i*lda+n])
		}
		ix += incX
	}
}
