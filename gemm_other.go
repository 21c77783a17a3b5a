//go:build purego || !(amd64 || arm64)

package deltacore

// gemmImplFor returns the micro-kernel of level l: with the purego tag, or
// on an architecture without assembly kernels, the generic one.
func gemmImplFor(Level) *gemmKernel { return &genericGemm }
