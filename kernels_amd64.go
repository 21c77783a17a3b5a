//go:build !purego

package deltacore

//go:generate go run ./_gen/kernels

import (
	"unsafe"

	"github.com/klauspost/cpuid/v2"
)

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

// ---------------------------------------------------------------------------
// σ, σ′, δ step, tanh, tanh′ (the generated part of kernels_amd64.s).

// σ, σ′, the δ step, tanh and tanh′: the assembly kernels in the generated
// part of kernels_amd64.s (edit _gen/kernels, then go generate). Each computes, for every i < len(z),
// what the generic kernel of the same operation computes
// (kernels_generic.go), through a vectorised exponential: range reduction
// n = round(v·log2 e), r in two parts (Cody–Waite), a minimax polynomial
// for e^r, and scaling by 2ⁿ.
//
//   - AVX-512: for w = z (σ) or −|z| (σ′), clamped to [−110, 64], and
//     kf = round(32·w·log2 e)/32 = e + j/32: σ(w) = 2^e/q with
//     q = T[j]·p + 2^e, T[j] = 2^(−j/32) from a 32-entry table (VPERMI2PS
//     on two registers), p ≈ e^(−r) of degree 3 on |r| ≤ ln2/64; 1/q from
//     VRCP14PS and one Newton step, scaled by 2^e with VSCALEFPS (exact,
//     correct underflow); σ′ = u − u² with u = σ(−|z|). 18 vector
//     operations per 16 elements, σ′ 19, VRCP14PS counted as its 3
//     micro-operations (the degree-6 form without a table took 20 and 21;
//     the earlier t = e^(−|z|) form, with its sign blend and exact 1 + t,
//     25–27).
//   - AVX2: T = e^(−z) (σ) or e^(|z|) (σ′), with 2ⁿ built in the exponent
//     field (clamping keeps it exact, +0 or +Inf); d = 1 + T in one FMA;
//     σ = 1/d and σ′ = u − u² with u = 1/d, by VDIVPS. This needs no sign
//     blend and no NaN repair, which is what makes it fast without
//     VSCALEFPS.
//
// σ′ is computed from the exponential, never as σ(1 − σ), so it keeps its
// relative accuracy in saturation down to the subnormals.
//
// Preconditions, checked by the exported wrappers in kernels.go: len(dst)
// (or len(delta)) == len(z) > 0, and dst is z or does not overlap it. The
// kernels handle every length: the AVX-512 ones finish with a K-masked
// iteration, the AVX2 ones with a zero-padded buffer on the stack; neither
// reads or writes a byte outside the slices, and every element goes through
// the same arithmetic wherever it lies in the slice.
//
// Accuracy: σ and σ′ within 4 ULP (relative to the exact value, wherever it
// is a normal float32; absolute 2⁻¹²⁶ below that), the δ step within 4.5 ULP
// of delta[i]·σ′(z[i]) (plus 2⁻¹²⁶·|delta[i]| where σ′ is subnormal);
// σ(−∞) = 0, σ(+∞) = 1, σ′(±∞) = 0, NaN in gives NaN out, and no input
// overflows. Measured over all 2³² float32 inputs (TestSigmoidExhaustive,
// DELTACORE_EXHAUSTIVE=1, on an AMD Zen 5), with deltas in ±[2⁻⁸, 2⁸) for
// the δ step:
//
//	level    σ          σ′         δ step
//	avx512   3.18 ULP   3.57 ULP   3.96 ULP   (Intel Xeon, family 6 model 167)
//	avx2     2.48 ULP   2.48 ULP   3.48 ULP
//
// (avx512 before the 32-entry table: 2.49, 2.49 and 3.48 ULP; the table's
// entries, rounded to float32, add up to 0.93·2⁻²⁴ relative.)
//
// tanh, tanh′ and the tanh δ step (the tanh* kernels, generated from the
// same exponential on scaled constants; see the generator) are held to the
// bounds Tanh, TanhPrime and MulTanhPrime document. Seen over all 2³²
// inputs at avx512 (TestTanhExhaustive, on the Intel Xeon) and by
// TestTanhAccuracy's sample at avx2 (every 509th float32 bit pattern, all of
// [−60, 60] in steps of 2⁻¹² and [−1, 1] in steps of 2⁻²⁰):
//
//	level    tanh       tanh′      δ step
//	avx512   2.91 ULP   3.57 ULP   3.92 ULP   (tanh 2.63 in its earlier, slower form)
//	avx2     3.07 ULP   2.37 ULP   2.72 ULP

// sigmoidAVX512 sets dst[i] = σ(z[i]) = 1/(1+e^(−z[i])):
//
//	for i, v := range z {
//		dst[i] = σ(v)
//	}
//
// len(dst) == len(z) > 0; handles the tail (any length). Max error 4 ULP
// for outputs ≥ 2⁻¹²⁶, absolute 2⁻¹²⁶ below.
// Requires: AVX512F.
//
//go:noescape
func sigmoidAVX512(dst, z []float32)

// sigmoidPrimeAVX512 sets dst[i] = σ′(z[i]) = t/(1+t)² with t = e^(−|z[i]|):
//
//	for i, v := range z {
//		dst[i] = σ′(v)
//	}
//
// len(dst) == len(z) > 0; handles the tail. Max error 4 ULP for outputs
// ≥ 2⁻¹²⁶, absolute 2⁻¹²⁶ below.
// Requires: AVX512F.
//
//go:noescape
func sigmoidPrimeAVX512(dst, z []float32)

// mulSigmoidPrimeAVX512 sets delta[i] *= σ′(z[i]):
//
//	for i, v := range z {
//		delta[i] *= σ′(v)
//	}
//
// len(delta) == len(z) > 0; handles the tail. Max error 4.5 ULP of
// delta[i]·σ′(z[i]) (plus 2⁻¹²⁶·|delta[i]| where σ′ is subnormal).
// Requires: AVX512F.
//
//go:noescape
func mulSigmoidPrimeAVX512(delta, z []float32)

// sigmoidAVX2 is sigmoidAVX512 for AVX2 (σ = 1/(1 + e^(−z)), see above):
// same contract; handles the tail.
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func sigmoidAVX2(dst, z []float32)

// sigmoidPrimeAVX2 is sigmoidPrimeAVX512 for AVX2 (from e^|z|, see above):
// same contract; handles the tail.
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func sigmoidPrimeAVX2(dst, z []float32)

// mulSigmoidPrimeAVX2 is mulSigmoidPrimeAVX512 for AVX2: same contract;
// handles the tail.
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func mulSigmoidPrimeAVX2(delta, z []float32)

// sigmoidTableAVX2 installs the AVX2 σ, σ′ and δ-step kernels in t.
func sigmoidTableAVX2(t *kernelTable) {
	t.sigmoid = withNT(sigmoidAVX2, sigmoidAVX2NT, ntStepAVX2)
	t.sigmoidPrime = withNT(sigmoidPrimeAVX2, sigmoidPrimeAVX2NT, ntStepAVX2)
	t.mulSigmoidPrime = mulSigmoidPrimeAVX2
	t.tanh = withNT(tanhAVX2, tanhAVX2NT, ntStepAVX2)
	t.tanhPrime = withNT(tanhPrimeAVX2, tanhPrimeAVX2NT, ntStepAVX2)
	t.mulTanhPrime = mulTanhPrimeAVX2
}

// sigmoidTableAVX512 installs the AVX-512 σ, σ′ and δ-step kernels in t.
func sigmoidTableAVX512(t *kernelTable) {
	t.sigmoid = withNT(sigmoidAVX512, sigmoidAVX512NT, ntStepAVX512)
	t.sigmoidPrime = withNT(sigmoidPrimeAVX512, sigmoidPrimeAVX512NT, ntStepAVX512)
	t.mulSigmoidPrime = mulSigmoidPrimeAVX512
	t.tanh = withNT(tanhAVX512, tanhAVX512NT, ntStepAVX512T)
	t.tanhPrime = withNT(tanhPrimeAVX512, tanhPrimeAVX512NT, ntStepAVX512)
	t.mulTanhPrime = mulTanhPrimeAVX512
}

// Non-temporal stores. An output that does not fit in the caches is
// written back to memory anyway; storing it with ordinary stores first
// reads every destination line from memory (the read for ownership), so a
// DRAM-resident σ moves three bytes for every two it needs. The NT kernels
// (σ, σ′, tanh, tanh′; the generator's bodyNT) store with VMOVNTPS, which
// writes whole lines without reading them, and end with SFENCE. Go's
// memmove (Go 1.26, runtime/memmove_amd64.s) does the same for forward
// copies of 1 MiB and more on CPUs where it uses AVX (gobble_big_data_fwd:
// PREFETCHNTA and VMOVNTDQ, then SFENCE), AMD's included; on Intel CPUs with
// ERMS and FSRM (the Xeon of issue 16) it uses REP MOVSQ instead for
// 16-byte aligned copies of 2 KiB and more, whose microcode avoids the read
// for ownership on large copies by itself. The
// δ steps keep ordinary stores: they read delta before writing it, so there
// is no read to save.

// ntMinBytes is the smallest output, in bytes, that the σ, σ′, tanh and
// tanh′ kernels write with non-temporal stores: 8 MiB, above the L2 of
// every x86 core so far (2 MiB on the Intel Xeon of issue 16, 1 MiB on AMD
// Zen 5) and above its share of a server's L3 (about 2–4 MiB per core).
// Below it the output stays in cache for the next kernel to read, which
// non-temporal stores would prevent.
const ntMinBytes = 8 << 20

// ntMinElems is ntMinBytes in float32; tests lower it (setNTMinForTest) so
// that the NT path runs on small, guarded slices.
var ntMinElems = ntMinBytes / 4

// The NT kernels' steps, in float32: their loops take whole iterations of
// the interleaved macro only.
const (
	ntStepAVX512  = 6 * 16 // nvec512 vectors of 16
	ntStepAVX512T = 6 * 16 // tanh512 keeps 6 vectors in flight
	ntStepAVX2    = 4 * 8
)

// ntSplit returns how withNT splits an n-element output at dst: h elements
// up to the first 64-byte boundary, then m (a multiple of step, possibly 0)
// for the NT kernel; the rest goes to the ordinary kernel. A dst that is not
// 4-byte aligned (possible only through unsafe) gets m = 0.
func ntSplit(dst uintptr, n, step int) (h, m int) {
	if dst%4 != 0 {
		return 0, 0
	}
	h = min(int(-dst%64/4), n)
	m = (n - h) / step * step
	return h, m
}

// withNT returns a kernel that runs nt, the non-temporal variant of k, on
// the 64-byte aligned middle of outputs of ntMinElems or more, and k on the
// rest. Both compute the same bits (the same macros), so an element's
// result does not depend on the path.
func withNT(k, nt func(dst, z []float32), step int) func(dst, z []float32) {
	return func(dst, z []float32) {
		n := len(z)
		if n < ntMinElems {
			k(dst, z)
			return
		}
		h, m := ntSplit(uintptr(unsafe.Pointer(&dst[0])), n, step)
		if m == 0 {
			k(dst, z)
			return
		}
		if h > 0 {
			k(dst[:h], z[:h])
		}
		nt(dst[h:h+m], z[h:h+m])
		if h+m < n {
			k(dst[h+m:], z[h+m:])
		}
	}
}

// The NT kernels: as the kernel without NT in the name, for a 64-byte
// aligned dst and len(z) a non-zero multiple of the kernel's step.

//go:noescape
func sigmoidAVX512NT(dst, z []float32)

//go:noescape
func sigmoidPrimeAVX512NT(dst, z []float32)

//go:noescape
func tanhAVX512NT(dst, z []float32)

//go:noescape
func tanhPrimeAVX512NT(dst, z []float32)

//go:noescape
func sigmoidAVX2NT(dst, z []float32)

//go:noescape
func sigmoidPrimeAVX2NT(dst, z []float32)

//go:noescape
func tanhAVX2NT(dst, z []float32)

//go:noescape
func tanhPrimeAVX2NT(dst, z []float32)

// tanhAVX512 sets dst[i] = tanh(z[i]) = (2ⁿ − e^(−2s))/(2ⁿ + e^(−2s)), on z
// clamped to [−10, 10], 2z = n·ln2 + 2s (see the generator):
//
//	for i, v := range z {
//		dst[i] = tanh(v)
//	}
//
// len(dst) == len(z) > 0; handles the tail.
// Requires: AVX512F.
//
//go:noescape
func tanhAVX512(dst, z []float32)

// tanhPrimeAVX512 sets dst[i] = tanh′(z[i]) = 4σ′(2z[i]); handles the tail.
// Requires: AVX512F.
//
//go:noescape
func tanhPrimeAVX512(dst, z []float32)

// mulTanhPrimeAVX512 sets delta[i] *= tanh′(z[i]); handles the tail.
// Requires: AVX512F.
//
//go:noescape
func mulTanhPrimeAVX512(delta, z []float32)

// tanhAVX2 is tanhAVX512 for AVX2 (with VDIVPS): same contract.
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func tanhAVX2(dst, z []float32)

// tanhPrimeAVX2 is tanhPrimeAVX512 for AVX2: same contract.
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func tanhPrimeAVX2(dst, z []float32)

// mulTanhPrimeAVX2 is mulTanhPrimeAVX512 for AVX2: same contract.
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func mulTanhPrimeAVX2(delta, z []float32)

// ---------------------------------------------------------------------------
// BLAS-1 (the hand-written part of kernels_amd64.s, from
// _gen/kernels/blas1_amd64.s.in).

// blas1TableAVX2 installs the AVX2 BLAS-1 kernels and reductions in t.
func blas1TableAVX2(t *kernelTable) {
	t.axpy = axpyAVX2
	t.scal = scalAVX2
	t.dot = dotAVX2
	t.sumSquares = sumSquaresAVX2
	t.colSums = colSumsAVX2Whole
}

// colSumsAVX2Whole runs colSumsAVX2 on the columns that fill whole 8-lane
// vectors and sums the last cols mod 8 columns in Go, in the same row order,
// so the result stays bit-identical to colSumsGeneric. colSumsAVX2 then
// never issues a VMASKMOVPS with a masked-off lane: AMD documents faults on
// masked-off lanes as implementation-dependent, and QEMU's TCG (CI's
// qemu-x86_64 -cpu Haswell) does fault on them at a guard page.
func colSumsAVX2Whole(dst, a []float32, rows, cols, lda int) {
	whole := cols &^ 7
	if whole > 0 {
		colSumsAVX2(dst[:whole], a[:(rows-1)*lda+whole], rows, whole, lda)
	}
	if whole < cols {
		colSumsGeneric(dst[whole:], a[whole:], rows, cols-whole, lda)
	}
}

// blas1TableAVX512 installs the AVX-512 BLAS-1 kernels and reductions in t.
func blas1TableAVX512(t *kernelTable) {
	t.axpy = axpyAVX512
	t.scal = scalAVX512
	t.dot = dotAVX512
	t.sumSquares = sumSquaresAVX512
	t.colSums = colSumsAVX512
}

// The kernels below are called only through the tables, by the exported
// functions of kernels.go, which have checked the arguments: no slice is
// empty, and paired slices have equal lengths. Each kernel handles every
// length (no multiple-of-W precondition): the AVX2 versions finish with a
// scalar loop, the AVX-512 versions with K-masked loads and stores. None
// reads or writes a byte outside its slices.

// axpyAVX2 computes
//
//	for i, v := range x {
//		y[i] = math.FMA(alpha, v, y[i]) // in float32: one rounding
//	}
//
// A scalar head first brings y to a 32-byte boundary; every element gets the
// same single rounding whatever the alignment.
// Preconditions: len(x) == len(y) > 0; x and y are the same slice or do not
// overlap.
// Requires: AVX2, FMA3.
//
//go:noescape
func axpyAVX2(alpha float32, x, y []float32)

// axpyAVX512 computes the same as axpyAVX2, 16 lanes at a time, with a
// masked head up to a 64-byte boundary of y and a masked tail.
//
// Preconditions: len(x) == len(y) > 0; x and y are the same slice or do not
// overlap.
// Requires: AVX512F.
//
//go:noescape
func axpyAVX512(alpha float32, x, y []float32)

// scalAVX2 computes
//
//	for i := range x {
//		x[i] *= alpha
//	}
//
// bit-identically to scalGeneric. Precondition: len(x) > 0.
// Requires: AVX2, FMA3.
//
//go:noescape
func scalAVX2(alpha float32, x []float32)

// scalAVX512 computes the same as scalAVX2, 16 lanes at a time.
// Precondition: len(x) > 0.
// Requires: AVX512F.
//
//go:noescape
func scalAVX512(alpha float32, x []float32)

// dotAVX2 returns Σ x[i]·y[i] in float32, as (fma32 rounds once)
//
//	var acc [64]float32 // eight Y accumulators of eight lanes
//	i := 0
//	for ; i+64 <= n; i += 64 {
//		for k := range acc {
//			acc[k] = fma32(x[i+k], y[i+k], acc[k])
//		}
//	}
//	for k := range 32 { // when the first loop ran
//		acc[k] += acc[k+32]
//	}
//	for ; i+8 <= n; i += 8 {
//		for k := range 8 {
//			acc[k] = fma32(x[i+k], y[i+k], acc[k])
//		}
//	}
//	s := the 32 sums acc[0:32], added pairwise
//	for ; i < n; i++ {
//		s = fma32(x[i], y[i], s)
//	}
//	return s
//
// within the bound n·2⁻²⁴·Σ|x[i]·y[i]| of Dot. The order of the operations
// depends on n only, not on the addresses, so equal inputs give
// bit-identical results wherever they lie in memory.
// Preconditions: len(x) == len(y) > 0.
// Requires: AVX2, FMA3.
//
//go:noescape
func dotAVX2(x, y []float32) float32

// dotAVX512 returns Σ x[i]·y[i] as dotAVX2 does, with eight accumulators of
// sixteen lanes (blocks of 128, folded to 64 partial sums, then blocks of
// 16) and a masked tail of n mod 16 products added into the partial sums
// before they are summed pairwise. As in dotAVX2, the order depends on n
// only.
// Preconditions: len(x) == len(y) > 0.
// Requires: AVX512F.
//
//go:noescape
func dotAVX512(x, y []float32) float32

// sumSquaresAVX2 returns
//
//	var s float64
//	for _, v := range x {
//		s = math.FMA(float64(v), float64(v), s)
//	}
//	return s
//
// with 32 interleaved float64 partial sums (blocks of 32, then of 4, then a
// scalar tail; the order depends on n only): every float32 is converted to
// float64 (VCVTPS2PD), its square is exact, and the sum has relative error at
// most n·2⁻⁵³, with no overflow or underflow for any finite input.
// Precondition: len(x) > 0.
// Requires: AVX2, FMA3.
//
//go:noescape
func sumSquaresAVX2(x []float32) float64

// sumSquaresAVX512 returns Σ x[i]² in float64 as sumSquaresAVX2 does, with 64
// interleaved partial sums and a masked tail.
// Precondition: len(x) > 0.
// Requires: AVX512F, AVX512VL.
//
//go:noescape
func sumSquaresAVX512(x []float32) float64

// colSumsAVX2 computes
//
//	copy(dst, a[:cols])
//	for i := 1; i < rows; i++ {
//		for j := range dst {
//			dst[j] += a[i*lda+j]
//		}
//	}
//
// bit-identically to colSumsGeneric: each column is summed over i in order,
// in float32.
// Preconditions: rows ≥ 1, cols ≥ 1, lda ≥ cols, len(dst) == cols,
// len(a) == (rows−1)·lda + cols; dst does not overlap a.
// Requires: AVX2.
//
//go:noescape
func colSumsAVX2(dst, a []float32, rows, cols, lda int)

// colSumsAVX512 computes the same as colSumsAVX2, bit-identically to
// colSumsGeneric, 64 columns at a time with masked edges.
// Preconditions: as colSumsAVX2.
// Requires: AVX512F, AVX512BW.
//
//go:noescape
func colSumsAVX512(dst, a []float32, rows, cols, lda int)
