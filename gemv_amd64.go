//go:build !purego

package deltacore

// gemvTableAVX2 installs the AVX2 Sgemv kernels in t.
func gemvTableAVX2(t *kernelTable) {
	t.gemvN = gemvNAVX2
	t.gemvT = gemvTAVX2
}

// gemvTableAVX512 installs the AVX-512 Sgemv kernels in t.
func gemvTableAVX512(t *kernelTable) {
	t.gemvN = gemvNAVX512
	t.gemvT = gemvTAVX512
}

// The kernels below (gemv_amd64.s) are called only through the tables, by
// sgemv in gemv.go, which has checked the arguments and made x and y unit
// stride. Their common preconditions: m ≥ 1, n ≥ 1, lda ≥ n,
// len(a) ≥ (m−1)·lda+n, x and y long enough (stated per kernel), y overlaps
// neither a nor x. Each handles every m and n (four rows at a time, then one
// at a time; the last columns K-masked on AVX-512, scalar on AVX2) and
// never reads or writes a byte outside its slices.
//
// Accuracy: each dot product of gemvN is a float32 sum in several
// interleaved partial sums, each element of gemvT a chain of fused
// multiply-adds in row order; both are within Sgemv's bound
// 2·(k+1)·2⁻²⁴·(|alpha|·Σ|a·x| + |y|) (plus underflow), k the summed length.

// gemvNAVX512 computes, with len(x) ≥ n and len(y) ≥ m,
//
//	for i := 0; i < m; i++ {
//		var s float32 // 8 partial sums of 16 lanes for 4 rows at a time
//		for j := 0; j < n; j++ {
//			s += a[i*lda+j] * x[j] // fused
//		}
//		y[i] = fma(alpha, s, y[i])
//	}
//
// Requires: AVX512F (and AVX, SSE3).
//
//go:noescape
func gemvNAVX512(m, n int, alpha float32, a []float32, lda int, x, y []float32)

// gemvNAVX2 computes the same as gemvNAVX512 with 8-lane vectors and a
// scalar tail of n mod 8 columns.
//
// Requires: AVX2, FMA3 (and AVX, SSE3).
//
//go:noescape
func gemvNAVX2(m, n int, alpha float32, a []float32, lda int, x, y []float32)

// gemvTAVX512 computes, with len(x) ≥ m and len(y) ≥ n,
//
//	for i := 0; i < m; i++ {
//		b := alpha * x[i] // rounded
//		for j := 0; j < n; j++ {
//			y[j] = fma(b, a[i*lda+j], y[j])
//		}
//	}
//
// four rows at a time (each block of y loaded and stored once per four
// rows, the FMAs still in row order).
//
// Requires: AVX512F (and AVX).
//
//go:noescape
func gemvTAVX512(m, n int, alpha float32, a []float32, lda int, x, y []float32)

// gemvTAVX2 computes the same as gemvTAVX512 with 8-lane vectors and a
// scalar tail of n mod 8 columns, bit-identically.
//
// Requires: AVX2, FMA3 (and AVX).
//
//go:noescape
func gemvTAVX2(m, n int, alpha float32, a []float32, lda int, x, y []float32)
