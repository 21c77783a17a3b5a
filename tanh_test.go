package deltacore_test

import (
	"math"
	"testing"

	"github.com/deltacore/deltacore"
)

// tanhRef is tanh(z) in float64.
func tanhRef(z float32) float64 { return math.Tanh(float64(z)) }

// tanhPrimeRef is tanh′(z) = sech²(z) = 1/cosh²(z) in float64 (+Inf cosh
// gives 0, where the exact value is below 2⁻¹⁰²²).
func tanhPrimeRef(z float32) float64 {
	c := math.Cosh(float64(z))
	return 1 / (c * c)
}

const tanhPrimeTiny = 0x1p-124

// tanhBoundOK: relative 4 ULP where |tanh(z)| ≥ 2⁻¹²⁶, absolute 2⁻¹⁴⁹ below;
// the sign of z (tanh is odd; a zero result's sign is not specified); NaN
// for NaN; within [−1, 1].
func tanhBoundOK(got, z float32) bool {
	ref := tanhRef(z)
	if math.IsNaN(ref) {
		return isNaN32(got)
	}
	if isNaN32(got) || got < -1 || got > 1 || z != 0 && math.Signbit(float64(got)) != math.Signbit(float64(z)) {
		return false
	}
	d := math.Abs(float64(got) - ref)
	if math.Abs(ref) >= minNormal32 {
		return d <= 4*ulp32(ref)
	}
	return d <= minSubnormal32
}

// tanhPrimeBoundOK: relative 4 ULP where tanh′(z) ≥ 2⁻¹²⁴, absolute 2⁻¹²⁴
// below; in [0, 1]; NaN for NaN.
func tanhPrimeBoundOK(got, z float32) bool {
	ref := tanhPrimeRef(z)
	if math.IsNaN(ref) {
		return isNaN32(got)
	}
	if isNaN32(got) || got < 0 || got > 1 {
		return false
	}
	d := math.Abs(float64(got) - ref)
	if ref >= tanhPrimeTiny {
		return d <= 4*ulp32(ref)
	}
	return d <= tanhPrimeTiny
}

// mulTanhPrimeOK: within 4.5 ULP of delta·tanh′(z), plus 2⁻¹²⁴·|delta|
// where tanh′(z) < 2⁻¹²⁴.
func mulTanhPrimeOK(delta, z, got float32) bool {
	return mulPrimeOK(tanhPrimeRef, tanhPrimeTiny, delta, z, got)
}

var (
	tanhKernel         = unaryKernel{"Tanh", deltacore.Tanh, tanhRef, tanhBoundOK}
	tanhPrimeKernel    = unaryKernel{"TanhPrime", deltacore.TanhPrime, tanhPrimeRef, tanhPrimeBoundOK}
	mulTanhPrimeKernel = mulPrimeKernel{"MulTanhPrime", deltacore.MulTanhPrime, tanhPrimeRef, mulTanhPrimeOK}
)

// The sweep (every length at every offset pair, with guards, in place and
// not), the specials at every position and the dense sweep of the bit
// patterns, on every level, as for σ (kernels_test.go).
func TestTanh(t *testing.T)         { testUnary(t, tanhKernel) }
func TestTanhPrime(t *testing.T)    { testUnary(t, tanhPrimeKernel) }
func TestMulTanhPrime(t *testing.T) { testMulPrime(t, mulTanhPrimeKernel) }

// TestTanhLimits checks the exact values Tanh and TanhPrime promise.
func TestTanhLimits(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		z := []float32{-inf32, inf32, nan32, -nan32, 0, negZero, -maxFloat, maxFloat, 20, -20}
		s := make([]float32, len(z))
		p := make([]float32, len(z))
		deltacore.Tanh(s, z)
		deltacore.TanhPrime(p, z)
		want := []float32{-1, 1, nan32, nan32, 0, negZero, -1, 1, 1, -1}
		for i := range z {
			if !(bits(s[i]) == bits(want[i]) || s[i] == want[i] && z[i] == 0 || isNaN32(s[i]) && isNaN32(want[i])) {
				t.Errorf("tanh(%s) = %s, want %s", fmtF(z[i]), fmtF(s[i]), fmtF(want[i]))
			}
		}
		for i, w := range []float32{0, 0, nan32, nan32, 1, 1, 0, 0} {
			if !(p[i] == w || isNaN32(p[i]) && isNaN32(w)) {
				t.Errorf("tanh′(%s) = %s, want %g", fmtF(z[i]), fmtF(p[i]), w)
			}
		}
	})
}
