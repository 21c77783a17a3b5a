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

// packN32AVX512 copies kb rows of 32 floats from src (row stride ldb) to
// dst (row stride nr):
//
//	for p < kb, c < 32: dst[p*nr+c] = src[p*ldb+c]
//
// Preconditions (checked by packBNFast, its only caller): kb ≥ 1,
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
