package dcblas

import "gonum.org/v1/gonum/blas"

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices
// (gonum's convention): op(A) is m×k, op(B) is k×n, C is m×n, and op(X) is
// X for blas.NoTrans, Xᵀ for blas.Trans or blas.ConjTrans. beta = 0 does not
// read C. It runs on deltacore.Sgemm, which may split large products across
// goroutines (deltacore.SetGemmThreads). A C that overlaps A or B (undefined
// in BLAS) is computed into a copy and stored afterwards.
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	switch tA {
	default:
		panic(badTranspose)
	case blas.NoTrans, blas.Trans, blas.ConjTrans:
	}
	switch tB {
	default:
		panic(badTranspose)
	case blas.NoTrans, blas.Trans, blas.ConjTrans:
	}
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if k < 0 {
		panic(kLT0)
	}
	aTrans := tA != blas.NoTrans
	if aTrans {
		if lda < max(1, m) {
			panic(badLdA)
		}
	} else if lda < max(1, k) {
		panic(badLdA)
	}
	bTrans := tB != blas.NoTrans
	if bTrans {
		if ldb < max(1, k) {
			panic(badLdB)
		}
	} else if ldb < max(1, n) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return
	}
	if aTrans {
		if matShort(len(a), k, m, lda) {
			panic(shortA)
		}
	} else if matShort(len(a), m, k, lda) {
		panic(shortA)
	}
	if bTrans {
		if matShort(len(b), n, k, ldb) {
			panic(shortB)
		}
	} else if matShort(len(b), k, n, ldb) {
		panic(shortB)
	}
	if matShort(len(c), m, n, ldc) {
		panic(shortC)
	}
	if (alpha == 0 || k == 0) && beta == 1 {
		return
	}
	c = c[:(m-1)*ldc+n]
	if k > 0 && (overlaps(c, a[:span(aTrans, m, k, lda)]) || overlaps(c, b[:span(bTrans, k, n, ldb)])) {
		// BLAS leaves this undefined and deltacore refuses it: C is
		// computed into a copy from A and B as they were, then stored.
		tmp := append([]float32(nil), c...)
		kern.Sgemm(trans(tA), trans(tB), m, n, k, alpha, a, lda, b, ldb, beta, tmp, ldc)
		copy(c, tmp)
		return
	}
	kern.Sgemm(trans(tA), trans(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// span returns the number of elements a checked operand op(X) of r×c spans
// in its slice, for r, c > 0.
func span(t bool, r, c, ld int) int {
	if t {
		r, c = c, r
	}
	return (r-1)*ld + c
}
