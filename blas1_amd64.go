//go:build !purego

package deltacore

// blas1TableAVX2 installs the AVX2 BLAS-1 kernels and reductions in t.
func blas1TableAVX2(t *kernelTable) {
	t.axpy = axpyAVX2
	t.scal = scalAVX2
	t.dot = dotAVX2
	t.sumSquares = sumSquaresAVX2
	t.colSums = colSumsAVX2
}

// blas1TableAVX512 installs the AVX-512 BLAS-1 kernels and reductions in t.
func blas1TableAVX512(t *kernelTable) {
	t.axpy = axpyAVX512
	t.scal = scalAVX512
	t.dot = dotAVX512
	t.sumSquares = sumSquaresAVX512
	t.colSums = colSumsAVX512
}

// The kernels below are called only through the tables, by the exported
// functions of kernels.go, which have checked the arguments: no slice is
// empty, and paired slices have equal lengths. Each kernel handles every
// length (no multiple-of-W precondition): the AVX2 versions finish with a
// scalar loop, the AVX-512 versions with K-masked loads and stores. None
// reads or writes a byte outside its slices.

// axpyAVX2 computes
//
//	for i, v := range x {
//		y[i] = math.FMA(alpha, v, y[i]) // in float32: one rounding
//	}
//
// Preconditions: len(x) == len(y) > 0; x and y are the same slice or do not
// overlap.
// Requires: AVX2, FMA3.
//
//go:noescape
func axpyAVX2(alpha float32, x, y []float32)

// axpyAVX512 computes the same as axpyAVX2, 16 lanes at a time.
//
// Preconditions: len(x) == len(y) > 0; x and y are the same slice or do not
// overlap.
// Requires: AVX512F.
//
//go:noescape
func axpyAVX512(alpha float32, x, y []float32)

// scalAVX2 computes
//
//	for i := range x {
//		x[i] *= alpha
//	}
//
// bit-identically to scalGeneric. Precondition: len(x) > 0.
// Requires: AVX2, FMA3.
//
//go:noescape
func scalAVX2(alpha float32, x []float32)

// scalAVX512 computes the same as scalAVX2, 16 lanes at a time.
// Precondition: len(x) > 0.
// Requires: AVX512F.
//
//go:noescape
func scalAVX512(alpha float32, x []float32)

// dotAVX2 returns
//
//	var s [8][8]float32 // eight accumulators of eight lanes
//	for i := range x {
//		s[k][l] = math.FMA(x[i], y[i], s[k][l]) // k, l chosen by i
//	}
//	return Σ s, summed pairwise (plus a scalar FMA tail)
//
// that is Σ x[i]·y[i] in float32 with 64 interleaved partial sums, within
// the bound n·2⁻²⁴·Σ|x[i]·y[i]| of Dot.
// Preconditions: len(x) == len(y) > 0.
// Requires: AVX2, FMA3.
//
//go:noescape
func dotAVX2(x, y []float32) float32

// dotAVX512 returns Σ x[i]·y[i] as dotAVX2 does, with eight accumulators of
// sixteen lanes (128 interleaved partial sums) and a masked tail.
// Preconditions: len(x) == len(y) > 0.
// Requires: AVX512F.
//
//go:noescape
func dotAVX512(x, y []float32) float32

// sumSquaresAVX2 returns
//
//	var s float64
//	for _, v := range x {
//		s = math.FMA(float64(v), float64(v), s)
//	}
//	return s
//
// with 32 interleaved float64 partial sums: every float32 is converted to
// float64 (VCVTPS2PD), its square is exact, and the sum has relative error at
// most n·2⁻⁵³, with no overflow or underflow for any finite input.
// Precondition: len(x) > 0.
// Requires: AVX2, FMA3.
//
//go:noescape
func sumSquaresAVX2(x []float32) float64

// sumSquaresAVX512 returns Σ x[i]² in float64 as sumSquaresAVX2 does, with 64
// interleaved partial sums and a masked tail.
// Precondition: len(x) > 0.
// Requires: AVX512F, AVX512VL.
//
//go:noescape
func sumSquaresAVX512(x []float32) float64

// colSumsAVX2 computes
//
//	copy(dst, a[:cols])
//	for i := 1; i < rows; i++ {
//		for j := range dst {
//			dst[j] += a[i*lda+j]
//		}
//	}
//
// bit-identically to colSumsGeneric: each column is summed over i in order,
// in float32.
// Preconditions: rows ≥ 1, cols ≥ 1, lda ≥ cols, len(dst) == cols,
// len(a) == (rows−1)·lda + cols; dst does not overlap a.
// Requires: AVX2.
//
//go:noescape
func colSumsAVX2(dst, a []float32, rows, cols, lda int)

// colSumsAVX512 computes the same as colSumsAVX2, bit-identically to
// colSumsGeneric, 64 columns at a time with masked edges.
// Preconditions: as colSumsAVX2.
// Requires: AVX512F, AVX512BW.
//
//go:noescape
func colSumsAVX512(dst, a []float32, rows, cols, lda int)
