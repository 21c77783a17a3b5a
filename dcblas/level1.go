package dcblas

import (
	"math"
	"unsafe"
)

// start returns the index of the first element a BLAS vector of n elements
// with increment inc visits: 0 for inc > 0, (1−n)·inc for inc < 0 (the
// vector then runs backwards from there).
func start(n, inc int) int {
	if inc < 0 {
		return (1 - n) * inc
	}
	return 0
}

// vecShort reports whether a slice of length l is too short for a BLAS
// vector of n elements with increment inc ≠ 0, that is whether
// l ≤ (n−1)·|inc|, without overflow: gonum computes the product, which
// wraps for huge increments and lets the call go on to index outside the
// slice; dcblas reports gonum's "insufficient length" instead. n < 1 is
// never short (gonum's comparison is then false too).
func vecShort(l, n, inc int) bool {
	if n < 1 {
		return false
	}
	ai := uint(inc)
	if inc < 0 {
		ai = -uint(inc)
	}
	return l == 0 || uint(n-1) > uint(l-1)/ai
}

// matShort reports whether a slice of length l is too short for a
// rows×cols row-major matrix of row stride ld ≥ 1, that is whether
// l < (rows−1)·ld + cols, without overflow (see vecShort).
func matShort(l, rows, cols, ld int) bool {
	if rows == 0 {
		return l < cols-ld
	}
	return l < cols || uint(rows-1) > uint(l-cols)/uint(ld)
}

// checkXY panics, as gonum's two-vector level-1 routines do, if the
// increments are zero or x or y is too short for n elements. It reports
// whether n == 0 (nothing to do).
func checkXY(n int, x []float32, incX int, y []float32, incY int) bool {
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	if n < 1 {
		if n == 0 {
			return true
		}
		panic(nLT0)
	}
	if vecShort(len(x), n, incX) {
		panic(shortX)
	}
	if vecShort(len(y), n, incY) {
		panic(shortY)
	}
	return false
}

// checkDot panics as gonum's Sdot, Sdsdot and Dsdot do. It reports whether
// n == 0.
func checkDot(n int, x []float32, incX int, y []float32, incY int) bool {
	if incX == 0 {
		panic(zeroIncX)
	}
	if incY == 0 {
		panic(zeroIncY)
	}
	if n <= 0 {
		if n == 0 {
			return true
		}
		panic(nLT0)
	}
	if incX == 1 && incY == 1 {
		if len(x) < n {
			panic(shortX)
		}
		if len(y) < n {
			panic(shortY)
		}
		return false
	}
	if vecShort(len(x), n, incX) {
		panic(shortX)
	}
	if vecShort(len(y), n, incY) {
		panic(shortY)
	}
	return false
}

// Sdot returns Σ x[i]·y[i] over the n elements of x and y (BLAS increments,
// negative ones included). Unit increments run on deltacore.Dot.
func (Implementation) Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	if checkDot(n, x, incX, y, incY) {
		return 0
	}
	if incX == 1 && incY == 1 {
		return kern.Dot(x[:n], y[:n])
	}
	var sum float32
	ix, iy := start(n, incX), start(n, incY)
	for range n {
		sum += x[ix] * y[iy]
		ix += incX
		iy += incY
	}
	return sum
}

// ddot returns Σ x[i]·y[i] accumulated in float64, where every product of
// two float32 values is exact.
func ddot(n int, x []float32, incX int, y []float32, incY int) float64 {
	if incX == 1 && incY == 1 {
		x, y = x[:n], y[:n]
		var s0, s1, s2, s3 float64
		i := 0
		for ; i+4 <= n; i += 4 {
			s0 += float64(x[i]) * float64(y[i])
			s1 += float64(x[i+1]) * float64(y[i+1])
			s2 += float64(x[i+2]) * float64(y[i+2])
			s3 += float64(x[i+3]) * float64(y[i+3])
		}
		for ; i < n; i++ {
			s0 += float64(x[i]) * float64(y[i])
		}
		return (s0 + s1) + (s2 + s3)
	}
	var sum float64
	ix, iy := start(n, incX), start(n, incY)
	for range n {
		sum += float64(x[ix]) * float64(y[iy])
		ix += incX
		iy += incY
	}
	return sum
}

// Sdsdot returns alpha + Σ x[i]·y[i], accumulated in float64 and rounded
// once to float32, as reference BLAS's SDSDOT does. For n = 0 it returns
// alpha, as reference BLAS does (gonum v0.17 returns 0).
func (Implementation) Sdsdot(n int, alpha float32, x []float32, incX int, y []float32, incY int) float32 {
	if checkDot(n, x, incX, y, incY) {
		return alpha
	}
	return float32(float64(alpha) + ddot(n, x, incX, y, incY))
}

// Dsdot returns Σ x[i]·y[i] accumulated in float64.
func (Implementation) Dsdot(n int, x []float32, incX int, y []float32, incY int) float64 {
	if checkDot(n, x, incX, y, incY) {
		return 0
	}
	return ddot(n, x, incX, y, incY)
}

// Snrm2 returns the Euclidean norm of x, √Σ x[i]², computed in float64
// (squares of float32 values are exact there and never overflow), so it has
// no overflow or underflow for any float32 input. Unit increments run on
// deltacore.SumSquares. A negative incX returns 0, as in BLAS.
func (Implementation) Snrm2(n int, x []float32, incX int) float32 {
	if incX < 1 {
		if incX == 0 {
			panic(zeroIncX)
		}
		return 0
	}
	if vecShort(len(x), n, incX) {
		panic(shortX)
	}
	if n < 2 {
		if n == 1 {
			return float32(math.Abs(float64(x[0])))
		}
		if n == 0 {
			return 0
		}
		panic(nLT0)
	}
	if incX == 1 {
		return float32(math.Sqrt(kern.SumSquares(x[:n])))
	}
	var sum float64
	for i := 0; i < n*incX; i += incX {
		v := float64(x[i])
		sum += v * v
	}
	return float32(math.Sqrt(sum))
}

// Sasum returns Σ |x[i]|, accumulated in float64 and rounded once. A
// negative incX returns 0, as in BLAS.
func (Implementation) Sasum(n int, x []float32, incX int) float32 {
	if n < 0 {
		panic(nLT0)
	}
	if incX < 1 {
		if incX == 0 {
			panic(zeroIncX)
		}
		return 0
	}
	if vecShort(len(x), n, incX) {
		panic(shortX)
	}
	var sum float64
	if incX == 1 {
		for _, v := range x[:n] {
			sum += math.Abs(float64(v))
		}
		return float32(sum)
	}
	for i := 0; i < n*incX; i += incX {
		sum += math.Abs(float64(x[i]))
	}
	return float32(sum)
}

// Isamax returns the index of the first element of x with the largest
// absolute value (NaNs never compare larger, as in BLAS), −1 for n = 0 or a
// negative incX.
func (Implementation) Isamax(n int, x []float32, incX int) int {
	if incX < 1 {
		if incX == 0 {
			panic(zeroIncX)
		}
		return -1
	}
	if vecShort(len(x), n, incX) {
		panic(shortX)
	}
	if n < 2 {
		if n == 1 {
			return 0
		}
		if n == 0 {
			return -1
		}
		panic(nLT0)
	}
	idx := 0
	best := abs32(x[0])
	for i, ix := 1, incX; i < n; i, ix = i+1, ix+incX {
		if v := abs32(x[ix]); v > best {
			best, idx = v, i
		}
	}
	return idx
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// Sswap exchanges the n elements of x and y.
func (Implementation) Sswap(n int, x []float32, incX int, y []float32, incY int) {
	if checkXY(n, x, incX, y, incY) {
		return
	}
	if incX == 1 && incY == 1 {
		x, y = x[:n], y[:n]
		for i, v := range x {
			x[i], y[i] = y[i], v
		}
		return
	}
	ix, iy := start(n, incX), start(n, incY)
	for range n {
		x[ix], y[iy] = y[iy], x[ix]
		ix += incX
		iy += incY
	}
}

// Scopy copies the n elements of x into y.
func (Implementation) Scopy(n int, x []float32, incX int, y []float32, incY int) {
	if checkXY(n, x, incX, y, incY) {
		return
	}
	if incX == 1 && incY == 1 {
		copy(y[:n], x[:n])
		return
	}
	ix, iy := start(n, incX), start(n, incY)
	for range n {
		y[iy] = x[ix]
		ix += incX
		iy += incY
	}
}

// Saxpy sets y[i] += alpha·x[i] for the n elements of x and y. Unit
// increments run on deltacore.Axpy (one fused multiply-add per element on
// the assembly levels), unless x and y overlap partially, which BLAS leaves
// undefined and deltacore.Axpy refuses: that case runs a loop in order.
func (Implementation) Saxpy(n int, alpha float32, x []float32, incX int, y []float32, incY int) {
	if checkXY(n, x, incX, y, incY) {
		return
	}
	if alpha == 0 {
		return
	}
	if incX == 1 && incY == 1 {
		x, y = x[:n], y[:n]
		if !partialOverlap(x, y) {
			kern.Axpy(alpha, x, y)
			return
		}
		for i, v := range x {
			y[i] += alpha * v
		}
		return
	}
	ix, iy := start(n, incX), start(n, incY)
	for range n {
		y[iy] += alpha * x[ix]
		ix += incX
		iy += incY
	}
}

// Sscal sets x[i] *= alpha for the n elements of x; alpha = 0 sets them to
// zero without reading them, as gonum does. A negative incX does nothing,
// as in BLAS. Unit increments run on deltacore.Scal.
func (Implementation) Sscal(n int, alpha float32, x []float32, incX int) {
	if incX < 1 {
		if incX == 0 {
			panic(zeroIncX)
		}
		return
	}
	if n < 1 {
		if n == 0 {
			return
		}
		panic(nLT0)
	}
	if vecShort(len(x), n, incX) {
		panic(shortX)
	}
	if incX == 1 {
		if alpha == 0 {
			clear(x[:n])
			return
		}
		kern.Scal(alpha, x[:n])
		return
	}
	for i := 0; i < n*incX; i += incX {
		if alpha == 0 {
			x[i] = 0
		} else {
			x[i] *= alpha
		}
	}
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
// same slice, the one aliasing deltacore's elementwise kernels accept.
func partialOverlap(a, b []float32) bool {
	same := len(a) == len(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
	return !same && overlaps(a, b)
}
