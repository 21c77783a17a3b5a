//go:build !purego

package deltacore

// The assembly kernels in sigmoid_amd64.s. Each computes, for every i < len(z),
// what the generic kernel of the same operation computes (kernels_generic.go),
// through a vectorised t = e^(−|z|): range reduction n = round(−|z|·log2 e),
// r = |z| + n·ln2 in two parts (Cody–Waite), a degree-6 minimax polynomial
// for e^(−r), and scaling by 2ⁿ through the exponent (VSCALEFPS on AVX-512,
// an integer add and one multiplication on AVX2, so that subnormal t round
// once). σ = num/(1+t) and σ′ = t/(1+t)² are then computed with 1+t held
// exactly as d+e and one remainder correction of the quotient (the method
// is described at the top of sigmoid_amd64.s).
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
// DELTACORE_EXHAUSTIVE=1, on an AMD Zen 5): σ at most 1.49 ULP, σ′ at most
// 1.50 ULP, the δ step at most 2.41 ULP (with deltas in ±[2⁻⁸, 2⁸)), on
// both levels.

// sigmoidAVX512 sets dst[i] = σ(z[i]) = 1/(1+e^(−z[i])):
//
//	for i, v := range z {
//		dst[i] = σ(v)
//	}
//
// len(dst) == len(z) > 0; handles the tail (any length). Max error 4 ULP
// for outputs ≥ 2⁻¹²⁶, absolute 2⁻¹²⁶ below.
// Requires: AVX512F, AVX512DQ.
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

// sigmoidAVX2 is sigmoidAVX512 for AVX2: same loop, same contract, same
// accuracy; handles the tail.
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func sigmoidAVX2(dst, z []float32)

// sigmoidPrimeAVX2 is sigmoidPrimeAVX512 for AVX2: same loop, same contract,
// same accuracy; handles the tail.
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func sigmoidPrimeAVX2(dst, z []float32)

// mulSigmoidPrimeAVX2 is mulSigmoidPrimeAVX512 for AVX2: same loop, same
// contract, same accuracy; handles the tail.
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func mulSigmoidPrimeAVX2(delta, z []float32)

// sigmoidTableAVX2 installs the AVX2 σ, σ′ and δ-step kernels in t.
func sigmoidTableAVX2(t *kernelTable) {
	t.sigmoid = sigmoidAVX2
	t.sigmoidPrime = sigmoidPrimeAVX2
	t.mulSigmoidPrime = mulSigmoidPrimeAVX2
}

// sigmoidTableAVX512 installs the AVX-512 σ, σ′ and δ-step kernels in t.
func sigmoidTableAVX512(t *kernelTable) {
	t.sigmoid = sigmoidAVX512
	t.sigmoidPrime = sigmoidPrimeAVX512
	t.mulSigmoidPrime = mulSigmoidPrimeAVX512
}
