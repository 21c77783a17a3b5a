package fuzz

import (
	"math"
	"testing"

	"github.com/deltacore/deltacore"
)

// refTanh returns tanh(z); refTanhPrime returns sech²(z) = 1/cosh²(z), with
// its relative accuracy for every z (cosh ≥ 1, +Inf gives 0 where the exact
// value is below 2⁻¹⁰²²).
func refTanh(z float32) float64 { return math.Tanh(float64(z)) }

func refTanhPrime(z float32) float64 {
	c := math.Cosh(float64(z))
	return 1 / (c * c)
}

// tanhPrimeTiny: below it TanhPrime's bound is absolute (4σ′(2z) with σ′(2z)
// subnormal).
const tanhPrimeTiny = 0x1p-124

func tanhOK(got, z float32) bool {
	switch {
	case isNaN32(z):
		return isNaN32(got)
	case math.IsInf(float64(z), 0):
		return float64(got) == math.Copysign(1, float64(z))
	case isNaN32(got) || got < -1 || got > 1 || z != 0 && math.Signbit(float64(got)) != math.Signbit(float64(z)):
		return false
	}
	exact := refTanh(z)
	floor := 0.0
	if math.Abs(exact) < minNormal {
		floor = 0x1p-149
	}
	return within(got, exact, sigmoidULP, floor)
}

func tanhPrimeOK(got, z float32) bool {
	switch {
	case isNaN32(z):
		return isNaN32(got)
	case math.IsInf(float64(z), 0):
		return got == 0
	case isNaN32(got) || got < 0 || got > 1:
		return false
	}
	exact := refTanhPrime(z)
	floor := 0.0
	if exact < tanhPrimeTiny {
		floor = tanhPrimeTiny
	}
	return within(got, exact, sigmoidULP, floor)
}

func mulTanhPrimeOK(got, delta, z float32) bool {
	sp := refTanhPrime(z)
	d := float64(delta)
	switch {
	case isNaN32(delta) || isNaN32(z):
		return isNaN32(got)
	case math.IsInf(float64(z), 0):
		if math.IsInf(d, 0) {
			return isNaN32(got)
		}
		return got == 0
	case math.IsInf(d, 0):
		if float64(got) == d {
			return true
		}
		return sp < tanhPrimeTiny && isNaN32(got)
	}
	exact := d * sp
	floor := 0.0
	if sp < tanhPrimeTiny {
		floor = tanhPrimeTiny * math.Abs(d)
	}
	return within(got, exact, mulPrimeULP, floor)
}

// checkMulTanhPrime is checkMulSigmoidPrime for tanh′.
func checkMulTanhPrime(r reporter, what string, fn elemKernel, raw []byte, p layout, inPlace bool) bool {
	r.Helper()
	var d0, z []float32
	if inPlace {
		z = rawFloats(raw)
		d0 = z
	} else {
		n := min(len(raw)/8, maxElems)
		d0 = rawFloats(raw[:4*n])
		z = rawFloats(raw[4*n : 8*n])
	}
	zg := guardedCopy(0, z, p, inGuard)
	dg := zg
	if !inPlace {
		dg = guardedCopy(1, d0, p>>4, outGuard)
	}
	zsnap := zg.snapshot()
	fn(dg.s(), zg.s())
	ok := true
	if inPlace {
		ok = zg.checkGuards(r, what+": delta = z", inGuard)
	} else {
		ok = zg.checkUnchanged(r, what+": input z", zsnap) && ok
		ok = dg.checkGuards(r, what+": delta", outGuard) && ok
	}
	bad := 0
	for i, got := range dg.s() {
		if !mulTanhPrimeOK(got, d0[i], z[i]) {
			e := float64(d0[i]) * refTanhPrime(z[i])
			r.Errorf("%s: n=%d i=%d: %s·tanh′(%s) = %s, want %.9g (%.2f ULP)", what, len(z), i, f32(d0[i]), f32(z[i]), f32(got), e, ulpErr(got, e))
			ok = false
			if bad++; bad == maxErrors {
				break
			}
		}
	}
	return ok
}

func FuzzTanh(f *testing.F) {
	for _, a := range elemSeeds(false) {
		f.Add(a.raw, uint8(a.p), a.inPlace)
	}
	f.Fuzz(func(t *testing.T, raw []byte, p uint8, inPlace bool) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkUnary(t, "Tanh/isa="+l.String(), "tanh", deltacore.Tanh, tanhOK, refTanh, raw, layout(p), inPlace)
		})
	})
}

func FuzzTanhPrime(f *testing.F) {
	for _, a := range elemSeeds(false) {
		f.Add(a.raw, uint8(a.p), a.inPlace)
	}
	f.Fuzz(func(t *testing.T, raw []byte, p uint8, inPlace bool) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkUnary(t, "TanhPrime/isa="+l.String(), "tanh′", deltacore.TanhPrime, tanhPrimeOK, refTanhPrime, raw, layout(p), inPlace)
		})
	})
}

func FuzzMulTanhPrime(f *testing.F) {
	for _, a := range elemSeeds(true) {
		f.Add(a.raw, uint8(a.p), a.inPlace)
	}
	f.Fuzz(func(t *testing.T, raw []byte, p uint8, inPlace bool) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkMulTanhPrime(t, "MulTanhPrime/isa="+l.String(), deltacore.MulTanhPrime, raw, layout(p), inPlace)
		})
	})
}
