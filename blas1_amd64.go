//go:build !purego

package deltacore

// blas1TableAVX2 installs the AVX2 BLAS-1 kernels and reductions in t.
func blas1TableAVX2(t *kernelTable) {
	t.axpy = axpyAVX2
	t.scal = scalAVX2
	t.dot = dotAVX2
	t.sumSquares = sumSquaresAVX2
	t.colSums = colSumsAVX2Whole
}

// colSumsAVX2Whole runs colSumsAVX2 on the columns that fill whole 8-lane
// vectors and sums the last cols mod 8 columns in Go, in the same row order,
// so the result stays bit-identical to colSumsGeneric. colSumsAVX2 then
// never issues a VMASKMOVPS with a masked-off lane: AMD documents faults on
// masked-off lanes as implementation-dependent, and QEMU's TCG (CI's
// qemu-x86_64 -cpu Haswell) does fault on them at a guard page.
func colSumsAVX2Whole(dst, a []float32, rows, cols, lda int) {
	whole := cols &^ 7
	if whole > 0 {
		colSumsAVX2(dst[:whole], a[:(rows-1)*lda+whole], rows, whole, lda)
	}
	if whole < cols {
		colSumsGeneric(dst[whole:], a[whole:], rows, cols-whole, lda)
	}
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
// A scalar head first brings y to a 32-byte boundary; every element gets the
// same single rounding whatever the alignment.
// Preconditions: len(x) == len(y) > 0; x and y are the same slice or do not
// overlap.
// Requires: AVX2, FMA3.
//
//go:noescape
func axpyAVX2(alpha float32, x, y []float32)

// axpyAVX512 computes the same as axpyAVX2, 16 lanes at a time, with a
// masked head up to a 64-byte boundary of y and a masked tail.
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

// dotAVX2 returns Σ x[i]·y[i] in float32, as (fma32 rounds once)
//
//	var acc [64]float32 // eight Y accumulators of eight lanes
//	i := 0
//	for ; i+64 <= n; i += 64 {
//		for k := range acc {
//			acc[k] = fma32(x[i+k], y[i+k], acc[k])
//		}
//	}
//	for k := range 32 { // when the first loop ran
//		acc[k] += acc[k+32]
//	}
//	for ; i+8 <= n; i += 8 {
//		for k := range 8 {
//			acc[k] = fma32(x[i+k], y[i+k], acc[k])
//		}
//	}
//	s := the 32 sums acc[0:32], added pairwise
//	for ; i < n; i++ {
//		s = fma32(x[i], y[i], s)
//	}
//	return s
//
// within the bound n·2⁻²⁴·Σ|x[i]·y[i]| of Dot. The order of the operations
// depends on n only, not on the addresses, so equal inputs give
// bit-identical results wherever they lie in memory.
// Preconditions: len(x) == len(y) > 0.
// Requires: AVX2, FMA3.
//
//go:noescape
func dotAVX2(x, y []float32) float32

// dotAVX512 returns Σ x[i]·y[i] as dotAVX2 does, with eight accumulators of
// sixteen lanes (blocks of 128, folded to 64 partial sums, then blocks of
// 16) and a masked tail of n mod 16 products added into the partial sums
// before they are summed pairwise. As in dotAVX2, the order depends on n
// only.
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
// with 32 interleaved float64 partial sums (blocks of 32, then of 4, then a
// scalar tail; the order depends on n only): every float32 is converted to
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
