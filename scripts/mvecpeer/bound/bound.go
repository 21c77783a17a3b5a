//go:build amd64 && !purego

// Package bound holds the instruction-mix bound loops of deltacore's σ and
// σ′ kernels, for mvecpeer (a cgo package, which cannot hold Go assembly
// itself). bound_amd64.s is generated with the kernels, by
// go run ./_gen/kernels; _gen/kernels/bound.go explains the loops.
//
// Each function runs n iterations; one iteration issues Unroll vectors'
// worth of the kernel's instructions (16 lanes for the 512 loops, 8 for
// the 256 ones) without their data dependencies, so its time is the issue
// bound of those instructions on the CPU it runs on: a kernel that runs at
// it gets no faster without fewer instructions. The 512 loops need
// AVX-512 F and DQ, the 256 loops AVX2 and FMA3.
package bound

// Unroll is the generator's: vectors per iteration.
const Unroll = 4

// Sigmoid512 issues σ's AVX-512 instructions (deltacore's sigmoidAVX512).
func Sigmoid512(n int)

// Prime512 issues σ′'s AVX-512 instructions (sigmoidPrimeAVX512).
func Prime512(n int)

// Sigmoid256 issues σ's AVX2 instructions (sigmoidAVX2).
func Sigmoid256(n int)

// Prime256 issues σ′'s AVX2 instructions (sigmoidPrimeAVX2).
func Prime256(n int)
