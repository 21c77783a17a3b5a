//go:build purego || !(amd64 || arm64)

package bench

// Without assembly there is no loop whose instruction mix and dependency
// chains we control, so the FMA peak and the clock are not measured: the
// report leaves them at zero and the fractions of peak empty.

func fmaKernels() []fmaKernel { return nil }

func addChainKernel() func(iters int) { return nil }

const addChainLen = 0
