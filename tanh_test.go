package deltacore_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/internal/memguard"
	"github.com/stretchr/testify/require"
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
	s := tanhPrimeRef(z)
	e := float64(delta) * s
	if math.IsNaN(e) {
		return isNaN32(got)
	}
	if isInf32(delta) {
		if s < tanhPrimeTiny {
			return true // tanh′(z) may round to 0, and ∞·0 is NaN
		}
		return got == float32(e)
	}
	if isNaN32(got) || isInf32(got) {
		return false
	}
	tol := 4.5 * ulp32(e)
	if s < tanhPrimeTiny {
		tol += tanhPrimeTiny * math.Abs(float64(delta))
	}
	return math.Abs(float64(got)-e) <= tol
}

type tanhKernel struct {
	name string
	call func(dst, z []float32)
	ok   func(got, z float32) bool
	ref  func(z float32) float64
}

var tanhKernels = []tanhKernel{
	{"Tanh", deltacore.Tanh, tanhBoundOK, tanhRef},
	{"TanhPrime", deltacore.TanhPrime, tanhPrimeBoundOK, tanhPrimeRef},
}

func checkTanh(r *reporter, k tanhKernel, what string, z, got []float32) {
	r.t.Helper()
	for i, v := range got {
		if !k.ok(v, z[i]) {
			ref := k.ref(z[i])
			r.errorf("%s: %s(%s)[%d] = %s, want %.9g (error %.2f ULP)", what, k.name, fmtF(z[i]), i, fmtF(v), ref, errULP(v, ref))
		}
	}
}

// TestTanhKernels: every length of the sweep at every offset pair, with
// guards around input and output, in place and not, then every special at
// every position, on every level.
func TestTanhKernels(t *testing.T) {
	for _, k := range tanhKernels {
		t.Run(k.name, func(t *testing.T) {
			forEachLevel(t, func(t *testing.T) {
				rng := newRand(k.name)
				r := &reporter{t: t}
				for _, n := range sweepLengths() {
					for _, o := range offsetPairs {
						z := mixedInputs(rng, n)
						in := newGuarded(z, o[1], inGuard)
						out := newGuarded(make([]float32, n), o[0], outGuard)
						k.call(out.s(), in.s())
						what := fmt.Sprintf("n=%d dst+%d z+%d", n, o[0], o[1])
						checkTanh(r, k, what, z, out.s())
						r.check(what+" dst", out.guardsOK())
						r.check(what+" z", in.guardsOK())
						r.check(what+" z", in.unchanged(z))
						if o[0] == o[1] {
							io := newGuarded(z, o[0], outGuard)
							k.call(io.s(), io.s())
							what = fmt.Sprintf("n=%d in place +%d", n, o[0])
							checkTanh(r, k, what, z, io.s())
							r.check(what, io.guardsOK())
						}
					}
				}
				n := 4*maxVec + 3
				for rot := range specials {
					z := make([]float32, n)
					for i := range z {
						z[i] = specials[(i+rot)%len(specials)]
					}
					dst := make([]float32, n)
					k.call(dst, z)
					checkTanh(r, k, fmt.Sprintf("specials rotated %d", rot), z, dst)
				}
				r.done()
			})
		})
	}
}

func TestMulTanhPrime(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		rng := newRand("MulTanhPrime")
		r := &reporter{t: t}
		check := func(what string, delta, z, got []float32) {
			for i, v := range got {
				if !mulTanhPrimeOK(delta[i], z[i], v) {
					e := float64(delta[i]) * tanhPrimeRef(z[i])
					r.errorf("%s: [%d] delta = %s, z = %s: got %s, want %.9g", what, i, fmtF(delta[i]), fmtF(z[i]), fmtF(v), e)
				}
			}
		}
		for _, n := range sweepLengths() {
			for _, o := range offsetPairs {
				z := mixedInputs(rng, n)
				d := deltaInputs(rng, n)
				zg := newGuarded(z, o[1], inGuard)
				dg := newGuarded(d, o[0], outGuard)
				deltacore.MulTanhPrime(dg.s(), zg.s())
				what := fmt.Sprintf("n=%d delta+%d z+%d", n, o[0], o[1])
				check(what, d, z, dg.s())
				r.check(what+" delta", dg.guardsOK())
				r.check(what+" z", zg.guardsOK())
				r.check(what+" z", zg.unchanged(z))
				if o[0] == o[1] {
					io := newGuarded(z, o[0], outGuard)
					deltacore.MulTanhPrime(io.s(), io.s())
					what = fmt.Sprintf("n=%d in place +%d", n, o[0])
					check(what, z, z, io.s())
					r.check(what, io.guardsOK())
				}
			}
		}
		n := 4*maxVec + 3
		for _, dv := range []float32{1, -3.5, 1e30, minSubnormal32, nan32, inf32} {
			for rot := range specials {
				z := make([]float32, n)
				d := make([]float32, n)
				for i := range z {
					z[i] = specials[(i+rot)%len(specials)]
					d[i] = dv
				}
				got := slices.Clone(d)
				deltacore.MulTanhPrime(got, z)
				check(fmt.Sprintf("specials rotated %d, delta %g", rot, dv), d, z, got)
			}
		}
		r.done()
	})
}

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

// TestTanhGuardPages runs the tanh kernels on slices that end exactly where
// an inaccessible page begins, and that begin exactly where one ends.
func TestTanhGuardPages(t *testing.T) {
	if !memguard.Supported {
		t.Skip("guard pages are not supported on this OS")
	}
	lengths := append(sweepLengths()[:4*maxVec+4], 1000, 4097)
	var bufs [2]*memguard.Buffer
	for i := range bufs {
		b, err := memguard.New(4097)
		require.NoError(t, err)
		t.Cleanup(b.Free)
		bufs[i] = b
	}
	fill := func(s []float32, v float32) []float32 {
		for i := range s {
			s[i] = v + float32(i%7)
		}
		return s
	}
	fns := []struct {
		name string
		fn   func(dst, z []float32)
	}{{"Tanh", deltacore.Tanh}, {"TanhPrime", deltacore.TanhPrime}, {"MulTanhPrime", deltacore.MulTanhPrime}}
	forEachLevel(t, func(t *testing.T) {
		for _, at := range []struct {
			name string
			f    func(b *memguard.Buffer, n int) []float32
		}{{"end", (*memguard.Buffer).AtEnd}, {"start", (*memguard.Buffer).AtStart}} {
			for _, n := range lengths {
				for _, k := range fns {
					d, z := fill(at.f(bufs[0], n), 0.5), fill(at.f(bufs[1], n), -3)
					guardedCall(t, fmt.Sprintf("%s at %s n=%d %s %s", k.name, at.name, n, span(d), span(z)), func() { k.fn(d, z) })
					d = fill(at.f(bufs[0], n), 0.5)
					guardedCall(t, fmt.Sprintf("%s in place at %s n=%d", k.name, at.name, n), func() { k.fn(d, d) })
				}
			}
		}
	})
}
