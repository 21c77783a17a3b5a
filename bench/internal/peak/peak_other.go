//go:build purego || !(amd64 || arm64)

package peak

// Without assembly there is no loop whose instruction mix and dependency
// chains we control, so the FMA peak and the clock are not measured: the
// report leaves them at zero and the fractions of peak empty.

// FMAKernels returns the FMA loops this CPU can run, narrowest first.
func FMAKernels() []FMA { return nil }

// AddChain returns a loop of iters×AddChainLen dependent one-cycle adds, or
// nil.
func AddChain() func(iters int) { return nil }

// AddChainLen is the number of dependent adds per iteration of AddChain.
const AddChainLen = 0
