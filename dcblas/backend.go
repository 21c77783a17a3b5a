package dcblas

import "github.com/deltacore/deltacore"

// kernels is the one door through which dcblas reaches deltacore: every
// kernel call of this package goes through kern, after dcblas has checked
// the arguments in gonum's order. The package functions of deltacore are
// the default; a per-call deltacore engine with the same methods can
// replace them by changing the one line that sets kern.
type kernels interface {
	Sgemm(tA, tB deltacore.Transpose, m, n, k int, alpha float32, a []float32, lda int,
		b []float32, ldb int, beta float32, c []float32, ldc int)
	Sgemv(tA deltacore.Transpose, m, n int, alpha float32, a []float32, lda int,
		x []float32, incX int, beta float32, y []float32, incY int)
	Dot(x, y []float32) float32
	Axpy(alpha float32, x, y []float32)
	Scal(alpha float32, x []float32)
	SumSquares(x []float32) float64
}

// kern is the kernel set dcblas uses.
var kern kernels = pkgKernels{}

// pkgKernels is deltacore's package-level API as a kernels value.
type pkgKernels struct{}

func (pkgKernels) Sgemm(tA, tB deltacore.Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	deltacore.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func (pkgKernels) Sgemv(tA deltacore.Transpose, m, n int, alpha float32, a []float32, lda int,
	x []float32, incX int, beta float32, y []float32, incY int) {
	deltacore.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

func (pkgKernels) Dot(x, y []float32) float32         { return deltacore.Dot(x, y) }
func (pkgKernels) Axpy(alpha float32, x, y []float32) { deltacore.Axpy(alpha, x, y) }
func (pkgKernels) Scal(alpha float32, x []float32)    { deltacore.Scal(alpha, x) }
func (pkgKernels) SumSquares(x []float32) float64     { return deltacore.SumSquares(x) }
