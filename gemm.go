package deltacore

import "fmt"

// Transpose says whether a matrix operand of Sgemm is used as stored or
// transposed.
type Transpose byte

// The two Transpose values, as in BLAS.
const (
	NoTrans Transpose = 'N'
	Trans   Transpose = 'T'
)

func gemmPanic(format string, args ...any) {
	panic("deltacore: Sgemm: " + fmt.Sprintf(format, args...))
}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices, with
// the semantics of CBLAS row-major sgemm: op(A) is m×k, op(B) is k×n and C is
// m×n; op(X) is X for NoTrans and Xᵀ for Trans. A is stored m×k with row
// stride lda ≥ max(1, k) for NoTrans, k×m with lda ≥ max(1, m) for Trans;
// likewise B is k×n (ldb ≥ max(1, n)) or n×k (ldb ≥ max(1, k)); C has row
// stride ldc ≥ max(1, n).
//
// BLAS rules: when beta == 0, C is not read (a NaN in C does not survive);
// when alpha == 0 or k == 0, A and B are not read and C is only scaled by
// beta; when m == 0 or n == 0 nothing happens. C must not overlap A or B.
//
// Accuracy: every element satisfies
// |C − C_exact| ≤ 2·k·2⁻²⁴·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|) plus
// underflow, on every level.
//
// Bad arguments (an unknown Transpose, negative sizes, strides or slices too
// small) panic before any assembly runs, with a message naming the argument.
func Sgemm(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkSgemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	sgemmGeneric(tA == Trans, tB == Trans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// checkSgemm panics, in gonum's BLAS order and style, if the arguments of
// Sgemm are inconsistent.
func checkSgemm(tA, tB Transpose, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if tA != NoTrans && tA != Trans {
		gemmPanic("bad tA = %q (want 'N' or 'T')", byte(tA))
	}
	if tB != NoTrans && tB != Trans {
		gemmPanic("bad tB = %q (want 'N' or 'T')", byte(tB))
	}
	if m < 0 {
		gemmPanic("m = %d < 0", m)
	}
	if n < 0 {
		gemmPanic("n = %d < 0", n)
	}
	if k < 0 {
		gemmPanic("k = %d < 0", k)
	}
	aRows, aCols := m, k
	if tA == Trans {
		aRows, aCols = k, m
	}
	bRows, bCols := k, n
	if tB == Trans {
		bRows, bCols = n, k
	}
	if lda < max(1, aCols) {
		gemmPanic("lda = %d < max(1, %d)", lda, aCols)
	}
	if ldb < max(1, bCols) {
		gemmPanic("ldb = %d < max(1, %d)", ldb, bCols)
	}
	if ldc < max(1, n) {
		gemmPanic("ldc = %d < max(1, n = %d)", ldc, n)
	}
	if m == 0 || n == 0 {
		return
	}
	if k > 0 {
		if need := lda*(aRows-1) + aCols; len(a) < need {
			gemmPanic("len(a) = %d < %d (rows %d, cols %d, lda %d)", len(a), need, aRows, aCols, lda)
		}
		if need := ldb*(bRows-1) + bCols; len(b) < need {
			gemmPanic("len(b) = %d < %d (rows %d, cols %d, ldb %d)", len(b), need, bRows, bCols, ldb)
		}
	}
	if need := ldc*(m-1) + n; len(c) < need {
		gemmPanic("len(c) = %d < %d (m %d, n %d, ldc %d)", len(c), need, m, n, ldc)
	}
}

// sgemmGeneric is the plain reference: for every i, j it sums
// op(A)[i,p]*op(B)[p,j] over p in float32, then applies alpha and beta.
func sgemmGeneric(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if alpha == 0 || k == 0 {
			for j := range ci {
				if beta == 0 {
					ci[j] = 0
				} else {
					ci[j] *= beta
				}
			}
			continue
		}
		for j := range ci {
			var s float32
			for p := 0; p < k; p++ {
				var av, bv float32
				if tA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if tB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += av * bv
			}
			if beta == 0 {
				ci[j] = alpha * s
			} else {
				ci[j] = alpha*s + beta*ci[j]
			}
		}
	}
}

// DenseForward is the fused forward step of a dense layer for a batch of m
// inputs. x is m×k (row stride ldx), w is the layer's n×k weight matrix (row
// stride ldw: w[j*ldw+p] connects input p to unit j) and bias has length n
// (or is nil for no bias). It computes
//
//	z[i*ldz+j] = Σ_p x[i*ldx+p]*w[j*ldw+p] + bias[j]
//
// and, when act is not nil, act[i*ldact+j] = σ(z[i*ldz+j]), so each
// activation is written once. The product has Sgemm's accuracy, σ that of
// Sigmoid. z and act must not overlap x, w or each other.
func DenseForward(m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	checkSgemm(NoTrans, Trans, m, n, k, x, ldx, w, ldw, z, ldz)
	if bias != nil && len(bias) != n {
		panic(fmt.Sprintf("deltacore: DenseForward: len(bias) = %d, want n = %d (or nil)", len(bias), n))
	}
	if act != nil {
		if ldact < max(1, n) {
			panic(fmt.Sprintf("deltacore: DenseForward: ldact = %d < max(1, n = %d)", ldact, n))
		}
		if m > 0 && n > 0 && len(act) < ldact*(m-1)+n {
			panic(fmt.Sprintf("deltacore: DenseForward: len(act) = %d < %d", len(act), ldact*(m-1)+n))
		}
	}
	if m == 0 || n == 0 {
		return
	}
	denseForwardGeneric(m, n, k, x, ldx, w, ldw, bias, z, ldz, act, ldact)
}

func denseForwardGeneric(m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	sgemmGeneric(false, true, m, n, k, 1, x, ldx, w, ldw, 0, z, ldz)
	t := active.Load()
	for i := 0; i < m; i++ {
		zi := z[i*ldz : i*ldz+n]
		if bias != nil {
			t.axpy(1, bias, zi)
		}
		if act != nil {
			t.sigmoid(act[i*ldact:i*ldact+n], zi)
		}
	}
}

// DenseBackward is the fused backward step δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ) for a
// batch of m samples, in the row-major batch layout: dnext is m×nn (row
// stride lddn; δˡ⁺¹ of each sample in a row), w is the next layer's nn×n
// weight matrix (row stride ldw), z is m×n (row stride ldz). It computes
//
//	d[i*ldd+j] = (Σ_q dnext[i*lddn+q]*w[q*ldw+j]) · σ′(z[i*ldz+j])
//
// writing each δ once. d may be z (the same slice with the same stride),
// overwriting zˡ with δˡ; otherwise d must not overlap dnext, w or z.
// The product has Sgemm's accuracy; σ′ that of SigmoidPrime.
func DenseBackward(m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int) {
	checkSgemm(NoTrans, NoTrans, m, n, nn, dnext, lddn, w, ldw, d, ldd)
	if ldz < max(1, n) {
		panic(fmt.Sprintf("deltacore: DenseBackward: ldz = %d < max(1, n = %d)", ldz, n))
	}
	if m > 0 && n > 0 && len(z) < ldz*(m-1)+n {
		panic(fmt.Sprintf("deltacore: DenseBackward: len(z) = %d < %d", len(z), ldz*(m-1)+n))
	}
	if m == 0 || n == 0 {
		return
	}
	denseBackwardGeneric(m, n, nn, dnext, lddn, w, ldw, z, ldz, d, ldd)
}

func denseBackwardGeneric(m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int) {
	// When d is z, the product must not overwrite z before σ′ reads it, so
	// the generic path works one row at a time through a small buffer.
	var buf [256]float32
	t := active.Load()
	for i := 0; i < m; i++ {
		for j0 := 0; j0 < n; j0 += len(buf) {
			nb := min(len(buf), n-j0)
			row := buf[:nb]
			for j := range row {
				var s float32
				for q := 0; q < nn; q++ {
					s += dnext[i*lddn+q] * w[q*ldw+j0+j]
				}
				row[j] = s
			}
			t.mulSigmoidPrime(row, z[i*ldz+j0:i*ldz+j0+nb])
			copy(d[i*ldd+j0:i*ldd+j0+nb], row)
		}
	}
}
