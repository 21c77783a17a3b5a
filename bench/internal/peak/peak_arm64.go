//go:build !purego

package peak

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

// FMAKernels returns the FMA loops this CPU can run, narrowest first.
func FMAKernels() []FMA {
	if !cpuid.CPU.Supports(cpuid.ASIMD) {
		return nil
	}
	return []FMA{{Name: "neon-q", FlopsPerIter: 16 * 4 * 2,
		Run: func(n int) { fmaLoopNEON(n, 1e-3, 1e-3) }}}
}

// AddChain returns a loop of iters×AddChainLen dependent one-cycle adds, or
// nil.
func AddChain() func(iters int) { return addChain }

// AddChainLen is the number of dependent adds per iteration of AddChain.
const AddChainLen = 32
