//go:build !purego

package deltacore

import "github.com/klauspost/cpuid/v2"

// archLevels returns the levels this CPU can run, best first. AVX2 needs the
// separate FMA3 bit as well as AVX2; AVX512 needs F, VL, BW and DQ and, since
// its kernels finish tails with AVX2 code, the AVX2 level too. cpuid checks
// with XGETBV that the OS saves the YMM and ZMM state.
func archLevels() []Level {
	var ls []Level
	hasAVX2 := cpuid.CPU.Supports(cpuid.AVX, cpuid.AVX2, cpuid.FMA3)
	if hasAVX2 && cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512DQ) {
		ls = append(ls, AVX512)
	}
	if hasAVX2 {
		ls = append(ls, AVX2)
	}
	return append(ls, Generic)
}

// The tables start as copies of the generic one; each assembly kernel
// replaces its entry. They are built during package variable
// initialisation, before any init function runs.
var (
	avx2Table = func() kernelTable {
		t := genericTable
		t.level = AVX2
		sigmoidTableAVX2(&t)
		blas1TableAVX2(&t)
		gemvTableAVX2(&t)
		return t
	}()
	avx512Table = func() kernelTable {
		t := genericTable
		t.level = AVX512
		sigmoidTableAVX512(&t)
		blas1TableAVX512(&t)
		gemvTableAVX512(&t)
		return t
	}()
)

// tableFor returns the kernel table of level l.
func tableFor(l Level) *kernelTable {
	switch l {
	case AVX512:
		return &avx512Table
	case AVX2:
		return &avx2Table
	}
	return &genericTable
}
