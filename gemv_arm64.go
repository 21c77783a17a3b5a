//go:build !purego

package deltacore

// The NEON Sgemv kernels below (gemv_arm64.s) are called only through the
// NEON table, by sgemv in gemv.go, which has checked the arguments and made
// x and y unit stride. Their common preconditions: m ≥ 1, n ≥ 1, lda ≥ n,
// len(a) ≥ (m−1)·lda+n, x and y long enough (stated per kernel), y overlaps
// neither a nor x. Each handles every m and n (four rows at a time, then one
// at a time; 4-lane blocks, then single elements) and never reads or writes
// a byte outside its slices.
//
// Accuracy: each dot product of gemvNNEON is a float32 sum in several
// interleaved partial sums, each element of gemvTNEON a chain of fused
// multiply-adds in row order; both are within Sgemv's bound
// 2·(k+1)·2⁻²⁴·(|alpha|·Σ|a·x| + |y|) (plus underflow), k the summed length.

// gemvNNEON computes, with len(x) ≥ n and len(y) ≥ m,
//
//	for i := 0; i < m; i++ {
//		var s float32 // 8 partial sums of 4 lanes for 4 rows at a time
//		for j := 0; j < n; j++ {
//			s += a[i*lda+j] * x[j] // fused
//		}
//		y[i] = fma(alpha, s, y[i])
//	}
//
// Requires: ASIMD.
//
//go:noescape
func gemvNNEON(m, n int, alpha float32, a []float32, lda int, x, y []float32)

// gemvTNEON computes, with len(x) ≥ m and len(y) ≥ n,
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
// Requires: ASIMD.
//
//go:noescape
func gemvTNEON(m, n int, alpha float32, a []float32, lda int, x, y []float32)
