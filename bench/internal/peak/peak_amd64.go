//go:build !purego

package peak

import "github.com/klauspost/cpuid/v2"

// fmaLoopAVX2 runs iters iterations of 12 independent
//
//	acc[j] += x*y   (8 float32 lanes each, VFMADD231PS on ymm)
//
// that is 192 flops per iteration, and discards the accumulators.
// Requires: AVX, FMA3.
//
//go:noescape
func fmaLoopAVX2(iters int, x, y float32)

// fmaLoopAVX512 is fmaLoopAVX2 on zmm registers: 384 flops per iteration.
// Requires: AVX512F.
//
//go:noescape
func fmaLoopAVX512(iters int, x, y float32)

// addChain runs iters×32 dependent one-cycle integer adds.
//
//go:noescape
func addChain(iters int)

// FMAKernels returns the FMA loops this CPU can run, narrowest first.
func FMAKernels() []FMA {
	var ks []FMA
	if cpuid.CPU.Supports(cpuid.AVX, cpuid.FMA3) {
		ks = append(ks, FMA{Name: "avx2-ymm", FlopsPerIter: 12 * 8 * 2,
			Run: func(n int) { fmaLoopAVX2(n, 1e-3, 1e-3) }})
	}
	if cpuid.CPU.Supports(cpuid.AVX512F) {
		ks = append(ks, FMA{Name: "avx512-zmm", FlopsPerIter: 12 * 16 * 2,
			Run: func(n int) { fmaLoopAVX512(n, 1e-3, 1e-3) }})
	}
	return ks
}

// AddChain returns a loop of iters×AddChainLen dependent one-cycle adds, or
// nil.
func AddChain() func(iters int) { return addChain }

// AddChainLen is the number of dependent adds per iteration of AddChain.
const AddChainLen = 32
