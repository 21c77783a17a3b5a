//go:build !purego

package bench

import "github.com/klauspost/cpuid/v2"

// fmaLoopNEON runs iters iterations of 16 independent
//
//	acc[j] += x*y   (4 float32 lanes each, FMLA .4S)
//
// that is 128 flops per iteration, and discards the accumulators.
// Requires: ASIMD.
//
//go:noescape
func fmaLoopNEON(iters int, x, y float32)

// addChain runs iters×32 dependent one-cycle integer adds.
//
//go:noescape
func addChain(iters int)

func fmaKernels() []fmaKernel {
	if !cpuid.CPU.Supports(cpuid.ASIMD) {
		return nil
	}
	return []fmaKernel{{Name: "neon-q", FlopsPerIter: 16 * 4 * 2,
		run: func(n int) { fmaLoopNEON(n, 1e-3, 1e-3) }}}
}

func addChainKernel() func(iters int) { return addChain }

const addChainLen = 32
