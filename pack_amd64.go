//go:build !purego

package deltacore

// packNFor returns the level's copier of full B panels (see packBNFast)
// and its width: 32 floats (two zmm) for AVX-512, 16 (two ymm) for AVX2.
func packNFor(kn *gemmKernel) (func(dst, src []float32, ldb, nr, kb int), int) {
	switch kn {
	case &avx512Gemm:
		return packN32AVX512, 32
	case &avx2Gemm:
		return packN16AVX, 16
	}
	return nil, 0
}

// packSliverFor returns the level's copier of full A slivers from
// op(A) = Aᵀ (see packA) and its width, the tile's MR: 12 floats for
// AVX-512, 6 for AVX2. It copies as packNFor's copiers do, rows of its
// width, so packA hands it to packBNWith.
func packSliverFor(kn *gemmKernel) (func(dst, src []float32, lda, nr, kb int), int) {
	switch kn {
	case &avx512Gemm:
		return packS12AVX512, 12
	case &avx2Gemm:
		return packS6AVX, 6
	}
	return nil, 0
}

// packBlockNFor returns the level's packer of several full B panels at
// once, row by row of B (see packBlockN32AVX512), and its panel width.
func packBlockNFor(kn *gemmKernel) (func(dst, src []float32, ldb, kb, nq, ps int), int) {
	switch kn {
	case &avx512Gemm:
		return packBlockN32AVX512, 32
	case &avx2Gemm:
		return packBlockN16AVX, 16
	}
	return nil, 0
}

// packBlockN32AVX512 packs nq full panels of 32 columns (NR = 32) of kb
// rows each, the panels ps floats apart in dst:
//
//	for p < kb, q < nq, c < 32: dst[q*ps+p*32+c] = src[p*ldb+q*32+c]
//
// reading each row of src front to back. Preconditions (checked by
// packBlockN, its only caller): kb, nq ≥ 1, ps ≥ 32·kb,
// len(src) ≥ (kb−1)·ldb + 32·nq, len(dst) ≥ (nq−1)·ps + 32·kb. It reads and
// writes nothing else (its prefetch hints do not fault).
//
// Requires: AVX512F.
//
//go:noescape
func packBlockN32AVX512(dst, src []float32, ldb, kb, nq, ps int)

// packBlockN16AVX is packBlockN32AVX512 for panels of 16 columns:
//
//	for p < kb, q < nq, c < 16: dst[q*ps+p*16+c] = src[p*ldb+q*16+c]
//
// with the same preconditions for 16 in place of 32.
//
// Requires: AVX.
//
//go:noescape
func packBlockN16AVX(dst, src []float32, ldb, kb, nq, ps int)

// packN32AVX512 copies kb rows of 32 floats from src (row stride ldb) to
// dst (row stride nr):
//
//	for p < kb, c < 32: dst[p*nr+c] = src[p*ldb+c]
//
// Preconditions (checked by packBNWith, its only caller): kb ≥ 1,
// len(src) ≥ (kb−1)·ldb + 32, len(dst) ≥ (kb−1)·nr + 32. It reads and
// writes nothing else.
//
// Requires: AVX512F.
//
//go:noescape
func packN32AVX512(dst, src []float32, ldb, nr, kb int)

// packN16AVX is packN32AVX512 for rows of 16 floats:
// for p < kb, c < 16: dst[p*nr+c] = src[p*ldb+c].
//
// Requires: AVX.
//
//go:noescape
func packN16AVX(dst, src []float32, ldb, nr, kb int)

// packT6AVX2 packs the AVX2 tile's 6-row sliver of op(A) = A, 8 columns at
// a time (packA6's first 8·kb8 columns):
//
//	for p < 8·kb8, r < 6: dst[p*6+r] = src[r*lda+p]
//
// Preconditions (checked by packA6, its only caller): kb8 ≥ 0,
// len(src) ≥ 5·lda + 8·kb8, len(dst) ≥ 48·kb8. It reads and writes
// nothing else.
//
// Requires: AVX.
//
//go:noescape
func packT6AVX2(dst, src []float32, lda, kb8 int)

// packS6AVX copies the AVX2 tile's full sliver of op(A) = Aᵀ, kb rows of 6
// contiguous floats of A:
//
//	for p < kb, c < 6: dst[p*nr+c] = src[p*lda+c]
//
// One call in place of kb calls of copy, whose cost for 24 bytes was most
// of packing Aᵀ. Preconditions (checked by packBNWith, its only caller):
// kb ≥ 1, len(src) ≥ (kb−1)·lda + 6, len(dst) ≥ (kb−1)·nr + 6. It reads
// and writes nothing else.
//
// Requires: AVX.
//
//go:noescape
func packS6AVX(dst, src []float32, lda, nr, kb int)

// packS12AVX512 is packS6AVX for the AVX-512 tile's 12 rows:
// for p < kb, c < 12: dst[p*nr+c] = src[p*lda+c], with the same
// preconditions for 12 in place of 6.
//
// Requires: AVX.
//
//go:noescape
func packS12AVX512(dst, src []float32, lda, nr, kb int)
