//go:build !purego

package deltacore

// blas1TableAVX2 installs the AVX2 BLAS-1 kernels and reductions in t.
func blas1TableAVX2(t *kernelTable) {}

// blas1TableAVX512 installs the AVX-512 BLAS-1 kernels and reductions in t.
func blas1TableAVX512(t *kernelTable) {}
