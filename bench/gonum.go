package bench

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// gonumSgemm calls gonum's pure-Go Sgemm (row-major, like ours).
func gonumSgemm(tA, tB byte, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gonum.Implementation{}.Sgemm(blas.Transpose(tA), blas.Transpose(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
