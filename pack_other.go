//go:build purego || !amd64

package deltacore

// packNFor returns the level's copier of full B panels (see packBNFast)
// and its width: none on this architecture.
func packNFor(kn *gemmKernel) (func(dst, src []float32, ldb, nr, kb int), int) {
	return nil, 0
}
