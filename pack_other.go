//go:build purego || !amd64

package deltacore

// packNFor returns the level's copier of full B panels (see packBNFast)
// and its width: none on this architecture.
func packNFor(kn *gemmKernel) (func(dst, src []float32, ldb, nr, kb int), int) {
	return nil, 0
}

// packSliverFor returns the level's copier of full A slivers from
// op(A) = Aᵀ: none on this architecture.
func packSliverFor(kn *gemmKernel) (func(dst, src []float32, lda, nr, kb int), int) {
	return nil, 0
}

// packBlockNFor returns the level's packer of several full B panels at
// once: none on this architecture.
func packBlockNFor(kn *gemmKernel) (func(dst, src []float32, ldb, kb, nq, ps int), int) {
	return nil, 0
}

// packedTileFor returns the level's full-tile kernel for packed operands:
// none on this architecture.
func packedTileFor(kn *gemmKernel) func(k int, a, b, c []float32, ldc int, alpha, beta float32) {
	return nil
}

// stridedTileFor returns the level's full-tile kernel for A read as MR
// contiguous floats per k step: none on this architecture.
func stridedTileFor(kn *gemmKernel) func(k int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	return nil
}
