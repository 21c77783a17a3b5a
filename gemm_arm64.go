//go:build !purego

package deltacore

// gemmImplFor returns the micro-kernel of level l. Until a NEON micro-kernel
// exists (see the interface in gemm_generic.go), arm64 uses the generic one.
func gemmImplFor(Level) *gemmKernel { return &genericGemm }
