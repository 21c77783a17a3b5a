package fuzz

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/deltacore/deltacore"
)

// The float64 references, written plainly and independently of the
// library's own formulas. Each is within a few float64 ULP of the exact
// value, far inside the float32 bounds checked against them.

// refSigmoid returns σ(z) = 1/(1+e^(−z)). For z < −709, e^(−z) overflows
// to +Inf and the result is 0, where the exact value is below 2⁻¹⁰²².
func refSigmoid(z float32) float64 {
	return 1 / (1 + math.Exp(-float64(z)))
}

// refSigmoidPrime returns σ′(z) = σ(z)·σ(−z) = 1/((1+e^z)(1+e^(−z))),
// which keeps its relative accuracy for every z: both factors are ≥ 1.
func refSigmoidPrime(z float32) float64 {
	x := float64(z)
	return 1 / ((1 + math.Exp(x)) * (1 + math.Exp(-x)))
}

// Accuracy contracts, as documented in kernels.go.
const (
	sigmoidULP  = 4   // Sigmoid, SigmoidPrime
	mulPrimeULP = 4.5 // MulSigmoidPrime
)

// elemKernel is the signature shared by Sigmoid, SigmoidPrime and
// MulSigmoidPrime (the first argument is the output, or delta).
type elemKernel func(dst, z []float32)

// checkSigmoid runs fn (σ) on the floats in raw and checks it against
// refSigmoid. With inPlace, dst is z.
func checkSigmoid(r reporter, what string, fn elemKernel, raw []byte, p layout, inPlace bool) bool {
	r.Helper()
	return checkUnary(r, what, "σ", fn, sigmoidOK, refSigmoid, raw, p, inPlace)
}

// checkUnary runs fn on the floats in raw (in place when inPlace), checks the
// guards around its input and output and that the input is unchanged, and
// checks every result with ok, reporting it against ref.
func checkUnary(r reporter, what, name string, fn elemKernel, ok func(got, z float32) bool,
	ref func(float32) float64, raw []byte, p layout, inPlace bool) bool {
	r.Helper()
	z := rawFloats(raw)
	zg := guardedCopy(0, z, p, inGuard)
	dg := zg
	if !inPlace {
		dg = newGuarded(1, len(z), p>>4, outGuard)
	}
	zsnap := zg.snapshot()
	fn(dg.s(), zg.s())
	good := true
	if inPlace {
		good = zg.checkGuards(r, what+": z (in place)", inGuard)
	} else {
		good = zg.checkUnchanged(r, what+": input z", zsnap) && good
		good = dg.checkGuards(r, what+": dst", outGuard) && good
	}
	bad := 0
	for i, got := range dg.s() {
		if !ok(got, z[i]) {
			r.Errorf("%s: n=%d i=%d: %s(%s) = %s, want %.9g (%.2f ULP)", what, len(z), i, name, f32(z[i]), f32(got),
				ref(z[i]), ulpErr(got, ref(z[i])))
			good = false
			if bad++; bad == maxErrors {
				break
			}
		}
	}
	return good
}

func sigmoidOK(got, z float32) bool {
	switch {
	case isNaN32(z):
		return isNaN32(got)
	case math.IsInf(float64(z), -1):
		return got == 0
	case math.IsInf(float64(z), 1):
		return got == 1
	case isNaN32(got) || got < 0 || got > 1:
		return false
	}
	return within(got, refSigmoid(z), sigmoidULP, floorFor(refSigmoid(z)))
}

// floorFor returns the absolute error allowed where the exact value is
// below the smallest normal float32 (2⁻¹²⁶), and 0 elsewhere.
func floorFor(exact float64) float64 {
	if math.Abs(exact) < minNormal {
		return minNormal
	}
	return 0
}

// checkSigmoidPrime runs fn (σ′) on the floats in raw and checks it against
// refSigmoidPrime, by relative error over the whole range, saturation
// included.
func checkSigmoidPrime(r reporter, what string, fn elemKernel, raw []byte, p layout, inPlace bool) bool {
	r.Helper()
	return checkUnary(r, what, "σ′", fn, sigmoidPrimeOK, refSigmoidPrime, raw, p, inPlace)
}

func sigmoidPrimeOK(got, z float32) bool {
	switch {
	case isNaN32(z):
		return isNaN32(got)
	case math.IsInf(float64(z), 0):
		return got == 0
	case isNaN32(got) || got < 0 || got > 0.25:
		return false
	}
	exact := refSigmoidPrime(z)
	return within(got, exact, sigmoidULP, floorFor(exact))
}

// checkMulSigmoidPrime splits raw into delta (first half) and z (second
// half), both reinterpreted as float32, runs fn (delta ⊙= σ′(z)) and checks
// every element against delta·refSigmoidPrime(z). With inPlace, delta is z
// and the first half alone is used.
func checkMulSigmoidPrime(r reporter, what string, fn elemKernel, raw []byte, p layout, inPlace bool) bool {
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
		if !mulSigmoidPrimeOK(got, d0[i], z[i]) {
			r.Errorf("%s: n=%d i=%d: %s·σ′(%s) = %s, want %.9g (%.2f ULP)", what, len(z), i, f32(d0[i]), f32(z[i]),
				f32(got), float64(d0[i])*refSigmoidPrime(z[i]), ulpErr(got, float64(d0[i])*refSigmoidPrime(z[i])))
			ok = false
			if bad++; bad == maxErrors {
				break
			}
		}
	}
	return ok
}

func mulSigmoidPrimeOK(got, delta, z float32) bool {
	sp := refSigmoidPrime(z)
	d := float64(delta)
	switch {
	case isNaN32(delta) || isNaN32(z):
		return isNaN32(got)
	case math.IsInf(float64(z), 0):
		// σ′(±Inf) is exactly 0: a finite delta gives ±0, an infinite one NaN.
		if math.IsInf(d, 0) {
			return isNaN32(got)
		}
		return got == 0
	case math.IsInf(d, 0):
		// Inf·σ′(z) is ±Inf, unless σ′(z) is below the smallest normal and
		// the kernel's σ′ was allowed to round it to 0 (Inf·0 = NaN).
		if float64(got) == d {
			return true
		}
		return sp < minNormal && isNaN32(got)
	}
	exact := d * sp
	floor := 0.0
	if sp < minNormal {
		floor = minNormal * math.Abs(d)
	}
	return within(got, exact, mulPrimeULP, floor)
}

// ---------------------------------------------------------------------------
// Seeds.

// specials are the float32 inputs that every elementwise seed set contains:
// zeros, NaN (quiet, negative, signalling), infinities, subnormals, the
// normal range's ends, and the σ and σ′ saturation and underflow edges.
var specials = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1, 0.5, -0.5,
	float32(math.NaN()), math.Float32frombits(0xffc00001), math.Float32frombits(0x7f800001),
	float32(math.Inf(1)), float32(math.Inf(-1)),
	math.Float32frombits(1), math.Float32frombits(0x807fffff), 0x1p-126, -0x1p-126,
	math.MaxFloat32, -math.MaxFloat32, 1e-8, -1e-8,
	8, -8, 16.6, -16.6, 17, -17, 36, -36, 87.3, -87.3, 88.8, -88.8, 103.3, -103.3, 104, -104, 1e4, -1e30,
}

// elemSeed returns n float32 values as raw bytes: specials at every third
// position, always one at the last position, and values spread over the
// interesting range [−120, 120) elsewhere.
func elemSeed(n int, salt uint64) []byte {
	r := newRand(uint64(n)*31 + salt)
	raw := make([]byte, 4*n)
	for i := 0; i < n; i++ {
		v := float32(r.Float64()*240 - 120)
		if i%3 == 0 || i == n-1 {
			v = specials[(i/3+n+int(salt))%len(specials)]
		}
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return raw
}

type elemArgs struct {
	raw     []byte
	p       layout
	inPlace bool
}

// elemSeeds is the seed set of the elementwise targets: every edge length,
// at several alignments, on the heap and against guard pages, out of place
// and in place. For MulSigmoidPrime (pairs), a seed of 2n values gives n
// pairs.
func elemSeeds(pairs bool) []elemArgs {
	var s []elemArgs
	for i, n := range edgeLens {
		m := n
		if pairs {
			m = 2 * n
		}
		// Placements rotate through heap, page end and page start for
		// both slices; alignments through 0–3.
		pl := []layout{0, 8, 12} // heap, page end, page start
		p1 := layout(i&3) | pl[i%3] | (layout((i+2)&3)|pl[(i+1)%3])<<4
		s = append(s, elemArgs{elemSeed(m, 0), p1, false})
		s = append(s, elemArgs{elemSeed(m, 1), layout((i+1)&3) | pl[(i+2)%3], true})
	}
	return s
}

// ---------------------------------------------------------------------------
// Targets.

func FuzzSigmoid(f *testing.F) {
	for _, a := range elemSeeds(false) {
		f.Add(a.raw, uint8(a.p), a.inPlace)
	}
	f.Fuzz(func(t *testing.T, raw []byte, p uint8, inPlace bool) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkSigmoid(t, "Sigmoid/isa="+l.String(), deltacore.Sigmoid, raw, layout(p), inPlace)
		})
	})
}

func FuzzSigmoidPrime(f *testing.F) {
	for _, a := range elemSeeds(false) {
		f.Add(a.raw, uint8(a.p), a.inPlace)
	}
	f.Fuzz(func(t *testing.T, raw []byte, p uint8, inPlace bool) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkSigmoidPrime(t, "SigmoidPrime/isa="+l.String(), deltacore.SigmoidPrime, raw, layout(p), inPlace)
		})
	})
}

func FuzzMulSigmoidPrime(f *testing.F) {
	for _, a := range elemSeeds(true) {
		f.Add(a.raw, uint8(a.p), a.inPlace)
	}
	f.Fuzz(func(t *testing.T, raw []byte, p uint8, inPlace bool) {
		defer panicOnFault()()
		forEachLevel(t, func(l deltacore.Level) {
			checkMulSigmoidPrime(t, "MulSigmoidPrime/isa="+l.String(), deltacore.MulSigmoidPrime, raw, layout(p), inPlace)
		})
	})
}
