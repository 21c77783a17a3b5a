//go:build !purego

package deltacore

// gemmPackedAVX512 computes one full 12×32 tile of C from a packed sliver
// of A and a packed panel of B (the packed path's layout: a[p*12+i],
// b[p*32+j]):
//
//	for i < 12, j < 32:
//	    s := Σ_{p<k} a[p*12+i] * b[p*32+j]      (fused multiply-adds)
//	    c[i*ldc+j] = alpha*s (+ beta*c[i*ldc+j] unless beta == ±0)
//
// with the same FMAs in the same order, and the same final scaling, as
// gemmKernelAVX512(k, 12, 32, a, 1, 12, b, 32, c, ldc, alpha, beta): the
// bits are the same. It prefetches the sliver and the panel ahead of its
// loads (hints, which never fault, may reach past the slices).
// Preconditions (checked by packedTile): k ≥ 1, len(a) ≥ 12·k,
// len(b) ≥ 32·k, len(c) ≥ 11·ldc + 32.
//
// Requires: AVX512F.
//
//go:noescape
func gemmPackedAVX512(k int, a, b, c []float32, ldc int, alpha, beta float32)

// gemmPackedAVX2 is gemmPackedAVX512 for the AVX2 level's 6×16 tile (a
// sliver of 6 floats and a panel of 16 per k step): the same FMAs in the
// same order, and the same final scaling, as gemmKernelAVX2(k, 6, 16, a, 1,
// 6, b, 16, c, ldc, alpha, beta). Preconditions (checked by packedTile):
// k ≥ 1, len(a) ≥ 6·k, len(b) ≥ 16·k, len(c) ≥ 5·ldc + 16.
//
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func gemmPackedAVX2(k int, a, b, c []float32, ldc int, alpha, beta float32)

// packedTileFor returns the level's full-tile kernel for packed operands
// (see packedTile), or nil.
func packedTileFor(kn *gemmKernel) func(k int, a, b, c []float32, ldc int, alpha, beta float32) {
	switch kn {
	case &avx512Gemm:
		return gemmPackedAVX512
	case &avx2Gemm:
		return gemmPackedAVX2
	}
	return nil
}

// gemmStridedAVX512 is gemmPackedAVX512 with the operands' strides as
// arguments: one full 12×32 tile of C from A read as 12 contiguous floats
// per k step, csa floats apart (rsa = 1: op(A) = Aᵀ read in place), and B
// as 32 floats per k step, ldb floats apart:
//
//	for i < 12, j < 32:
//	    s := Σ_{p<k} a[p*csa+i] * b[p*ldb+j]      (fused multiply-adds)
//	    c[i*ldc+j] = alpha*s (+ beta*c[i*ldc+j] unless beta == ±0)
//
// the same FMAs in the same order, and the same final scaling, as
// gemmKernelAVX512(k, 12, 32, a, 1, csa, b, ldb, c, ldc, alpha, beta): the
// bits are the same. It prefetches A and B eight k steps ahead (hints,
// which never fault, may reach past the slices). Preconditions (checked
// by stridedTile): k ≥ 1, csa ≥ 12, ldb ≥ 32, len(a) ≥ (k−1)·csa + 12,
// len(b) ≥ (k−1)·ldb + 32, len(c) ≥ 11·ldc + 32.
//
// Requires: AVX512F.
//
//go:noescape
func gemmStridedAVX512(k int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// gemmStridedAVX2 is gemmStridedAVX512 for the AVX2 level's 6×16 tile: the
// same FMAs in the same order, and the same final scaling, as
// gemmKernelAVX2(k, 6, 16, a, 1, csa, b, ldb, c, ldc, alpha, beta), with
// immediate offsets for the six A values and prefetches of A and B eight k
// steps ahead. Preconditions (checked by stridedTile): k ≥ 1, csa ≥ 6,
// ldb ≥ 16, len(a) ≥ (k−1)·csa + 6, len(b) ≥ (k−1)·ldb + 16,
// len(c) ≥ 5·ldc + 16.
//
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func gemmStridedAVX2(k int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// stridedTileFor returns the level's full-tile kernel for A read as MR
// contiguous floats per k step (see stridedTile), or nil.
func stridedTileFor(kn *gemmKernel) func(k int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	switch kn {
	case &avx512Gemm:
		return gemmStridedAVX512
	case &avx2Gemm:
		return gemmStridedAVX2
	}
	return nil
}
