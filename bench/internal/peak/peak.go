// Package peak holds the assembly loops with which package bench measures a
// core's limits: independent FMAs for the FP32 peak and a chain of dependent
// one-cycle adds for the clock. It is a package of its own because Go does
// not allow Go assembly in a package that uses cgo, and package bench may
// (the OpenBLAS peer, build tag openblas).
package peak

// FMA is a loop of independent fused multiply-adds.
type FMA struct {
	Name         string  // "avx2-ymm", "avx512-zmm", "neon-q"
	FlopsPerIter float64 // flops of one iteration (an FMA is 2 per lane)
	Run          func(iters int)
}
