package deltacore_test

// Tests of the public kernel API on every ISA level this CPU can run. Each
// kernel is checked against an independent float64 reference written out
// plainly below, with the exact error bounds that kernels.go documents, over
// every length 0…4·16+3 and a few large ones, start offsets 0–3, in-place
// aliasing where the API allows it, sentinels around outputs, NaN guards
// around inputs (so that an overread changes a reduction), and guard pages
// (an access one element outside a slice faults).

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"testing"
	"unsafe"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/internal/memguard"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---------------------------------------------------------------------------
// Levels.

// startLevel is the level the package chose at initialisation: the best one,
// or the one DELTACORE_ISA capped it to.
var startLevel = deltacore.CurrentLevel()

// testLevels returns the levels the tests run: every level in Levels() at or
// below the start level, so that DELTACORE_ISA=avx2 keeps AVX-512 code from
// running at all and DELTACORE_ISA=generic tests the pure-Go kernels alone.
func testLevels() []deltacore.Level {
	ls := deltacore.Levels()
	if i := slices.Index(ls, startLevel); i >= 0 {
		return ls[i:]
	}
	return ls
}

// setLevelDuringTest switches the package to level l and restores the
// previous level when t and its subtests end (math/big's setDuringTest).
func setLevelDuringTest(t testing.TB, l deltacore.Level) {
	t.Helper()
	old := deltacore.CurrentLevel()
	require.NoError(t, deltacore.SetLevel(l))
	t.Cleanup(func() {
		if err := deltacore.SetLevel(old); err != nil {
			t.Errorf("restoring level %s: %v", old, err)
		}
	})
}

// forEachLevel runs f in one subtest per level this CPU can run, named
// isa=avx512, isa=avx2, isa=neon, isa=generic, with that level active.
// Levels above the DELTACORE_ISA cap are skipped.
func forEachLevel(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	run := testLevels()
	for _, l := range deltacore.Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			if !slices.Contains(run, l) {
				t.Skipf("level %s is above %s=%s", l, deltacore.EnvVar, os.Getenv(deltacore.EnvVar))
			}
			setLevelDuringTest(t, l)
			f(t)
		})
	}
}

// slowEmulation is set by .ci/run (DELTACORE_SLOW_EMULATION=1) when the tests
// run under qemu-user: the largest sizes and the dense sweeps then scale down.
var slowEmulation = os.Getenv("DELTACORE_SLOW_EMULATION") != ""

// maxVec is the widest vector, in float32 lanes, of any level (AVX-512).
const maxVec = 16

// sweepLengths returns every length 0…4·16+3 and a few large ones.
func sweepLengths() []int {
	var ns []int
	for n := 0; n <= 4*maxVec+3; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 1000, 4097)
	if !slowEmulation {
		ns = append(ns, 65536+5)
	}
	return ns
}

// offsetPairs are the start offsets (in elements, 0–3) of the output and of
// the input slice: both aligned alike, and one element apart.
var offsetPairs = [][2]int{{0, 0}, {1, 1}, {2, 2}, {3, 3}, {0, 1}, {1, 2}, {2, 3}, {3, 0}}

// ---------------------------------------------------------------------------
// Float helpers and the float64 references.

const (
	minNormal32    = 0x1p-126
	minSubnormal32 = 0x1p-149
)

var (
	nan32    = float32(math.NaN())
	inf32    = float32(math.Inf(1))
	negZero  = math.Float32frombits(0x8000_0000)
	maxFloat = float32(math.MaxFloat32)
)

func isNaN32(x float32) bool { return x != x }
func isInf32(x float32) bool { return math.IsInf(float64(x), 0) }
func bits(x float32) uint32  { return math.Float32bits(x) }
func fmtF(x float32) string  { return fmt.Sprintf("%g (%#08x)", x, bits(x)) }
func sameResult(a, b float32) bool {
	return bits(a) == bits(b) || (isNaN32(a) && isNaN32(b))
}

// round32 rounds x to the nearest float32, to ±Inf beyond the largest one.
func round32(x float64) float32 {
	if math.Abs(x) >= 0x1p128-0x1p103 {
		return float32(math.Copysign(math.Inf(1), x))
	}
	return float32(x)
}

// ulp32 returns the spacing of the float32 values around the exact value x:
// 2^(e−23) for 2^e ≤ |x| < 2^(e+1), and 2⁻¹⁴⁹ for |x| below 2⁻¹²⁶.
func ulp32(x float64) float64 {
	ax := math.Abs(x)
	if ax < minNormal32 {
		return minSubnormal32
	}
	_, e := math.Frexp(ax) // ax = f·2^e with 0.5 ≤ f < 1
	return math.Ldexp(1, e-24)
}

// sigmoidRef is σ(z) = 1/(1+e^(−z)) in float64.
func sigmoidRef(z float32) float64 {
	return 1 / (1 + math.Exp(-float64(z)))
}

// sigmoidPrimeRef is σ′(z) = e^(−|z|)/(1+e^(−|z|))² in float64.
func sigmoidPrimeRef(z float32) float64 {
	e := math.Exp(-math.Abs(float64(z)))
	return e / ((1 + e) * (1 + e))
}

// errULP returns |got−ref| in float32 ULPs of ref, for messages.
func errULP(got float32, ref float64) float64 {
	return math.Abs(float64(got)-ref) / ulp32(ref)
}

// sigmoidBoundOK reports whether got is within the documented bound of σ and
// σ′ around the exact value ref: relative error at most 4 ULP where ref is a
// normal float32, absolute error at most 2⁻¹²⁶ below that; NaN for NaN.
func sigmoidBoundOK(got float32, ref float64) bool {
	if math.IsNaN(ref) {
		return isNaN32(got)
	}
	if isNaN32(got) || isInf32(got) {
		return false
	}
	d := math.Abs(float64(got) - ref)
	if math.Abs(ref) >= minNormal32 {
		return d <= 4*ulp32(ref)
	}
	return d <= minNormal32
}

// mulSigmoidPrimeOK reports whether got is within the documented bound of
// delta·σ′(z): 4.5 ULP of the exact product, plus 2⁻¹²⁶·|delta| where σ′(z)
// is below the normal range.
func mulSigmoidPrimeOK(delta, z, got float32) bool {
	return mulPrimeOK(sigmoidPrimeRef, minNormal32, delta, z, got)
}

// mulPrimeOK reports whether got is within 4.5 ULP of delta·f′(z) (prime is
// the float64 f′), plus tiny·|delta| where f′(z) < tiny (f′ may then round
// to 0, and ∞·0 is NaN).
func mulPrimeOK(prime func(z float32) float64, tiny float64, delta, z, got float32) bool {
	s := prime(z)
	e := float64(delta) * s
	if math.IsNaN(e) {
		return isNaN32(got)
	}
	if isInf32(delta) {
		if s < tiny {
			return true
		}
		return got == float32(e)
	}
	if isNaN32(got) || isInf32(got) {
		return false
	}
	tol := 4.5 * ulp32(e)
	if s < tiny {
		tol += tiny * math.Abs(float64(delta))
	}
	return math.Abs(float64(got)-e) <= tol
}

// axpyOK reports whether got is y + alpha·x with one rounding (fused) or two
// (product, then sum).
func axpyOK(alpha, x, y, got float32) bool {
	two := float32(alpha*x) + y // the conversion forces the product's rounding
	if sameResult(got, two) {
		return true
	}
	e := float64(y) + float64(alpha)*float64(x) // within 2⁻⁵³ of exact
	if math.IsNaN(e) {
		return isNaN32(got)
	}
	if r := round32(e); isInf32(r) || isInf32(got) {
		return got == r
	}
	if isNaN32(got) {
		return false
	}
	return math.Abs(float64(got)-e) <= (0x1p-24+0x1p-52)*math.Abs(e)+0x1p-150
}

// specials are the inputs every elementwise kernel must get right.
var specials = []float32{
	nan32, -nan32, inf32, -inf32, 0, negZero, 1, -1, 0.5, -0.5,
	minSubnormal32, -minSubnormal32, 0x1p-130, -0x1p-140, minNormal32, -minNormal32, 1e-8, -1e-8,
	9, -9, 16, 16.6, 17, -17, 17.5, 30, -30, 50, -50, 80, -80,
	87.3, -87.3, 88.7, -88.7, 88.8, -88.8, 89, -89,
	103.9, -103.9, 104, -104, 105, -105, 1000, -1000,
	1e30, -1e30, maxFloat, -maxFloat,
}

func newRand(name string) *rand.Rand {
	var h uint64 = 14695981039346656037
	for _, c := range name {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return rand.New(rand.NewPCG(h, 0x5eed))
}

// mixedInputs returns n values for the σ kernels: mostly uniform in
// [−20, 20], some in [−120, 120], and every fifth a special value.
func mixedInputs(rng *rand.Rand, n int) []float32 {
	z := make([]float32, n)
	for i := range z {
		switch r := rng.IntN(10); {
		case r < 6:
			z[i] = float32(40*rng.Float64() - 20)
		case r < 8:
			z[i] = float32(240*rng.Float64() - 120)
		default:
			z[i] = specials[rng.IntN(len(specials))]
		}
	}
	return z
}

// uniform returns n values uniform in [−1, 1).
func uniform(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(2*rng.Float64() - 1)
	}
	return x
}

// smallInts returns n integers in [−4, 4] as float32: their products and
// every partial sum stay exact in float32, so any summation order must give
// the exact result.
func smallInts(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.IntN(9) - 4)
	}
	return x
}

// ---------------------------------------------------------------------------
// Guarded vectors.

const guardLen = 2 * maxVec

var (
	// inGuard surrounds inputs: a NaN, so that an overread shows in a reduction.
	inGuard = math.Float32frombits(0x7fc0_0bad)
	// outGuard surrounds outputs: no kernel maps it to itself.
	outGuard = float32(-12345.678)
)

// guarded is a slice of n float32 values at offset off inside a larger
// buffer whose other elements are a guard value.
type guarded struct {
	buf    []float32
	lo, hi int
	guard  float32
}

func newGuarded(vals []float32, off int, guard float32) *guarded {
	n := len(vals)
	g := &guarded{buf: make([]float32, guardLen+off+n+guardLen), lo: guardLen + off, hi: guardLen + off + n, guard: guard}
	for i := range g.buf {
		g.buf[i] = guard
	}
	copy(g.buf[g.lo:g.hi], vals)
	return g
}

// s returns the slice, with its capacity cut to its length.
func (g *guarded) s() []float32 { return g.buf[g.lo:g.hi:g.hi] }

// guardsOK reports where a guard element changed, or "" if none did.
func (g *guarded) guardsOK() string {
	for i, v := range g.buf {
		if (i < g.lo || i >= g.hi) && bits(v) != bits(g.guard) {
			return fmt.Sprintf("guard element %d (slice is [%d, %d)) changed from %s to %s",
				i, g.lo, g.hi, fmtF(g.guard), fmtF(v))
		}
	}
	return ""
}

// unchanged reports where the slice no longer holds want, or "".
func (g *guarded) unchanged(want []float32) string {
	for i, v := range g.s() {
		if bits(v) != bits(want[i]) {
			return fmt.Sprintf("input element %d changed from %s to %s", i, fmtF(want[i]), fmtF(v))
		}
	}
	return ""
}

// reporter prints the first few failures of a sweep and stops at its end.
type reporter struct {
	t *testing.T
	n int
}

func (r *reporter) errorf(format string, args ...any) {
	r.t.Helper()
	r.n++
	if r.n <= 8 {
		r.t.Errorf(format, args...)
	}
}

func (r *reporter) check(what, msg string) {
	r.t.Helper()
	if msg != "" {
		r.errorf("%s: %s", what, msg)
	}
}

func (r *reporter) done() {
	r.t.Helper()
	if r.n > 8 {
		r.t.Fatalf("%d failures in all (first 8 shown)", r.n)
	}
	if r.n > 0 {
		r.t.FailNow()
	}
}

// ---------------------------------------------------------------------------
// σ and σ′.

// unaryKernel is one elementwise activation kernel (σ, σ′, tanh, tanh′;
// tanh_test.go has the tanh ones) with its float64 reference and its
// documented bound, for the table-driven tests below.
type unaryKernel struct {
	name string
	call func(dst, z []float32)
	ref  func(z float32) float64
	ok   func(got, z float32) bool // got is within the bound (and range) of f(z)
}

// sigmoidOK returns the bound check of σ or σ′ (ref): sigmoidBoundOK, and
// every result in [0, maxOut] (σ in [0, 1], σ′ ≥ 0).
func sigmoidOK(ref func(z float32) float64, maxOut float32) func(got, z float32) bool {
	return func(got, z float32) bool {
		return sigmoidBoundOK(got, ref(z)) && (isNaN32(got) || got >= 0 && got <= maxOut)
	}
}

var (
	sigmoidKernel      = unaryKernel{"Sigmoid", deltacore.Sigmoid, sigmoidRef, sigmoidOK(sigmoidRef, 1)}
	sigmoidPrimeKernel = unaryKernel{"SigmoidPrime", deltacore.SigmoidPrime, sigmoidPrimeRef, sigmoidOK(sigmoidPrimeRef, maxFloat)}
)

// checkUnary checks got[i] against k.ref(z[i]) for every i.
func checkUnary(r *reporter, k unaryKernel, what string, z, got []float32) {
	r.t.Helper()
	for i, v := range got {
		if !k.ok(v, z[i]) {
			ref := k.ref(z[i])
			r.errorf("%s: %s(%s)[%d] = %s, want %.9g ± 4 ULP (error %.2f ULP)",
				what, k.name, fmtF(z[i]), i, fmtF(v), ref, errULP(v, ref))
		}
	}
}

func testUnarySweep(t *testing.T, k unaryKernel) {
	rng := newRand(k.name)
	r := &reporter{t: t}
	for _, n := range sweepLengths() {
		for _, o := range offsetPairs {
			z := mixedInputs(rng, n)
			in := newGuarded(z, o[1], inGuard)
			out := newGuarded(make([]float32, n), o[0], outGuard)
			k.call(out.s(), in.s())
			what := fmt.Sprintf("n=%d dst+%d z+%d", n, o[0], o[1])
			checkUnary(r, k, what, z, out.s())
			r.check(what+" dst", out.guardsOK())
			r.check(what+" z", in.guardsOK())
			r.check(what+" z", in.unchanged(z))
			if o[0] != o[1] {
				continue
			}
			// In place: dst is z.
			io := newGuarded(z, o[0], outGuard)
			k.call(io.s(), io.s())
			what = fmt.Sprintf("n=%d in place +%d", n, o[0])
			checkUnary(r, k, what, z, io.s())
			r.check(what, io.guardsOK())
		}
	}
	r.done()
}

// testUnarySpecials puts every special value at every position of a
// 4·16+3-element vector (so each one meets every lane and the tail).
func testUnarySpecials(t *testing.T, k unaryKernel) {
	r := &reporter{t: t}
	n := 4*maxVec + 3
	for rot := range specials {
		z := make([]float32, n)
		for i := range z {
			z[i] = specials[(i+rot)%len(specials)]
		}
		dst := make([]float32, n)
		k.call(dst, z)
		checkUnary(r, k, fmt.Sprintf("specials rotated %d", rot), z, dst)
	}
	r.done()
}

// testUnaryDense checks a strided sweep over all 2³² float32 bit patterns,
// in chunks of 4099 values.
func testUnaryDense(t *testing.T, k unaryKernel) {
	step := uint64(4093)
	if slowEmulation || testing.Short() {
		step = 65521
	}
	r := &reporter{t: t}
	const chunk = 4099
	z := make([]float32, 0, chunk)
	dst := make([]float32, chunk)
	flush := func() {
		k.call(dst[:len(z)], z)
		checkUnary(r, k, "dense sweep", z, dst[:len(z)])
		z = z[:0]
	}
	for b := uint64(0); b < 1<<32; b += step {
		z = append(z, math.Float32frombits(uint32(b)))
		if len(z) == chunk {
			flush()
		}
	}
	flush()
	r.done()
}

func testUnary(t *testing.T, k unaryKernel) {
	forEachLevel(t, func(t *testing.T) {
		t.Run("sweep", func(t *testing.T) { testUnarySweep(t, k) })
		t.Run("specials", func(t *testing.T) { testUnarySpecials(t, k) })
		t.Run("dense", func(t *testing.T) { testUnaryDense(t, k) })
	})
}

func TestSigmoid(t *testing.T)      { testUnary(t, sigmoidKernel) }
func TestSigmoidPrime(t *testing.T) { testUnary(t, sigmoidPrimeKernel) }

// TestSigmoidLimits checks the exact values kernels.go promises: σ(−∞) = 0,
// σ(+∞) = 1, σ′(±∞) = 0, NaN for NaN; the other extreme inputs only within
// the documented bounds.
func TestSigmoidLimits(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		z := []float32{-inf32, inf32, nan32, -nan32, 0, negZero, -maxFloat, maxFloat, 200, -200}
		s := make([]float32, len(z))
		p := make([]float32, len(z))
		deltacore.Sigmoid(s, z)
		deltacore.SigmoidPrime(p, z)
		assert.Equal(t, float32(0), s[0], "σ(−∞)")
		assert.Equal(t, float32(1), s[1], "σ(+∞)")
		assert.True(t, isNaN32(s[2]), "σ(NaN) = %v", s[2])
		assert.True(t, isNaN32(s[3]), "σ(−NaN) = %v", s[3])
		assert.Equal(t, float32(0), p[0], "σ′(−∞)")
		assert.Equal(t, float32(0), p[1], "σ′(+∞)")
		assert.True(t, isNaN32(p[2]), "σ′(NaN) = %v", p[2])
		assert.True(t, isNaN32(p[3]), "σ′(−NaN) = %v", p[3])
		for i := 4; i < len(z); i++ {
			assert.True(t, sigmoidBoundOK(s[i], sigmoidRef(z[i])), "σ(%g) = %g", z[i], s[i])
			assert.True(t, sigmoidBoundOK(p[i], sigmoidPrimeRef(z[i])), "σ′(%g) = %g", z[i], p[i])
			assert.True(t, s[i] >= 0 && s[i] <= 1, "σ(%g) = %g is outside [0, 1]", z[i], s[i])
			assert.GreaterOrEqual(t, p[i], float32(0), "σ′(%g)", z[i])
		}
	})
}

// TestSigmoidPrimeSaturation checks that σ′ keeps its relative accuracy where
// σ saturates: σ(z)(1−σ(z)) computed in float32 is already 0 there.
func TestSigmoidPrimeSaturation(t *testing.T) {
	zs := []float32{10, 16, 17, 20, 30, 50, 80, 87, -10, -17, -30, -50, -80, -87}
	forEachLevel(t, func(t *testing.T) {
		got := make([]float32, len(zs))
		deltacore.SigmoidPrime(got, zs)
		delta := make([]float32, len(zs))
		for i := range delta {
			delta[i] = 1
		}
		deltacore.MulSigmoidPrime(delta, zs)
		for i, z := range zs {
			ref := sigmoidPrimeRef(z)
			require.GreaterOrEqual(t, ref, minNormal32)
			assert.Greater(t, got[i], float32(0), "σ′(%g)", z)
			assert.LessOrEqual(t, errULP(got[i], ref), 4.0, "σ′(%g) = %g, want %g", z, got[i], ref)
			assert.LessOrEqual(t, errULP(delta[i], ref), 4.5, "1·σ′(%g) = %g, want %g", z, delta[i], ref)
			if z >= 30 {
				s := float32(sigmoidRef(z))
				assert.Zero(t, s*(1-s), "naive σ(1−σ) at %g (documents why σ′ is computed from z)", z)
			}
		}
	})
}

// ---------------------------------------------------------------------------
// MulSigmoidPrime.

// deltaInputs returns n values for delta: mostly uniform in [−10, 10], some
// specials (NaN, ±Inf, ±0, subnormal, huge).
func deltaInputs(rng *rand.Rand, n int) []float32 {
	ds := []float32{nan32, inf32, -inf32, 0, negZero, minSubnormal32, -0x1p-135, 1e30, -maxFloat, maxFloat}
	d := make([]float32, n)
	for i := range d {
		if rng.IntN(8) == 0 {
			d[i] = ds[rng.IntN(len(ds))]
		} else {
			d[i] = float32(20*rng.Float64() - 10)
		}
	}
	return d
}

// mulPrimeKernel is delta ⊙ f′(z) in place (MulSigmoidPrime,
// MulTanhPrime) with the float64 reference of f′ and the documented bound.
type mulPrimeKernel struct {
	name  string
	call  func(delta, z []float32)
	prime func(z float32) float64
	ok    func(delta, z, got float32) bool
}

var mulSigmoidPrimeKernel = mulPrimeKernel{"MulSigmoidPrime", deltacore.MulSigmoidPrime, sigmoidPrimeRef, mulSigmoidPrimeOK}

func checkMulPrime(r *reporter, k mulPrimeKernel, what string, delta, z, got []float32) {
	r.t.Helper()
	for i, v := range got {
		if !k.ok(delta[i], z[i], v) {
			e := float64(delta[i]) * k.prime(z[i])
			r.errorf("%s: %s [%d] delta = %s, z = %s: got %s, want %.9g ± 4.5 ULP (error %.2f ULP)",
				what, k.name, i, fmtF(delta[i]), fmtF(z[i]), fmtF(v), e, errULP(v, e))
		}
	}
}

// testMulPrime runs k on every length of the sweep at every offset pair,
// with guards, in place (delta is z) and not; then every special z at every
// position with several deltas; on every level.
func testMulPrime(t *testing.T, k mulPrimeKernel) {
	forEachLevel(t, func(t *testing.T) {
		rng := newRand(k.name)
		r := &reporter{t: t}
		for _, n := range sweepLengths() {
			for _, o := range offsetPairs {
				z := mixedInputs(rng, n)
				d := deltaInputs(rng, n)
				zg := newGuarded(z, o[1], inGuard)
				dg := newGuarded(d, o[0], outGuard)
				k.call(dg.s(), zg.s())
				what := fmt.Sprintf("n=%d delta+%d z+%d", n, o[0], o[1])
				checkMulPrime(r, k, what, d, z, dg.s())
				r.check(what+" delta", dg.guardsOK())
				r.check(what+" z", zg.guardsOK())
				r.check(what+" z", zg.unchanged(z))
				if o[0] == o[1] {
					// In place: delta is z, so delta[i] = z[i]·f′(z[i]).
					io := newGuarded(z, o[0], outGuard)
					k.call(io.s(), io.s())
					what = fmt.Sprintf("n=%d in place +%d", n, o[0])
					checkMulPrime(r, k, what, z, z, io.s())
					r.check(what, io.guardsOK())
				}
			}
		}
		// Every special z at every position, with several deltas.
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
				k.call(got, z)
				checkMulPrime(r, k, fmt.Sprintf("specials rotated %d, delta %g", rot, dv), d, z, got)
			}
		}
		r.done()
	})
}

func TestMulSigmoidPrime(t *testing.T) { testMulPrime(t, mulSigmoidPrimeKernel) }

// ---------------------------------------------------------------------------
// BLAS-1: Axpy, Scal, Dot.

var alphas = []float32{0, 1, -1, 0.5, -2.75, 1e-3, 3e4}

// axpyInputs returns n values: mostly uniform in [−100, 100], some specials
// (only where they keep the fused and unfused results comparable: no
// value near the overflow threshold in x).
func axpyInputs(rng *rand.Rand, n int, forY bool) []float32 {
	sp := []float32{nan32, inf32, -inf32, 0, negZero, minSubnormal32, -0x1p-140, 1e30, -1e-30}
	if forY {
		sp = append(sp, maxFloat, -maxFloat)
	}
	x := make([]float32, n)
	for i := range x {
		if rng.IntN(10) == 0 {
			x[i] = sp[rng.IntN(len(sp))]
		} else {
			x[i] = float32(200*rng.Float64() - 100)
		}
	}
	return x
}

func checkAxpy(r *reporter, what string, alpha float32, x, y, got []float32) {
	r.t.Helper()
	for i, v := range got {
		if !axpyOK(alpha, x[i], y[i], v) {
			r.errorf("%s: alpha = %g, x[%d] = %s, y = %s: got %s, want %.9g",
				what, alpha, i, fmtF(x[i]), fmtF(y[i]), fmtF(v), float64(y[i])+float64(alpha)*float64(x[i]))
		}
	}
}

func TestAxpy(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		rng := newRand("Axpy")
		r := &reporter{t: t}
		for _, n := range sweepLengths() {
			for _, o := range offsetPairs {
				alpha := alphas[rng.IntN(len(alphas))]
				x := axpyInputs(rng, n, false)
				y := axpyInputs(rng, n, true)
				xg := newGuarded(x, o[1], inGuard)
				yg := newGuarded(y, o[0], outGuard)
				deltacore.Axpy(alpha, xg.s(), yg.s())
				what := fmt.Sprintf("n=%d y+%d x+%d", n, o[0], o[1])
				checkAxpy(r, what, alpha, x, y, yg.s())
				r.check(what+" y", yg.guardsOK())
				r.check(what+" x", xg.guardsOK())
				r.check(what+" x", xg.unchanged(x))
				if o[0] == o[1] {
					io := newGuarded(y, o[0], outGuard)
					deltacore.Axpy(alpha, io.s(), io.s())
					what = fmt.Sprintf("n=%d in place +%d", n, o[0])
					checkAxpy(r, what, alpha, y, y, io.s())
					r.check(what, io.guardsOK())
				}
			}
		}
		// Exact case: small integers give exact results with one rounding or two.
		for _, n := range sweepLengths() {
			x, y := smallInts(rng, n), smallInts(rng, n)
			got := slices.Clone(y)
			deltacore.Axpy(3, x, got)
			for i := range got {
				if got[i] != y[i]+3*x[i] {
					r.errorf("integers n=%d: y[%d] = %g, want %g", n, i, got[i], y[i]+3*x[i])
				}
			}
		}
		r.done()
	})
}

func TestScal(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		rng := newRand("Scal")
		r := &reporter{t: t}
		scalAlphas := []float32{0, 1, -1, 0.5, 3, -1e-20, 1e20, nan32, inf32}
		for _, n := range sweepLengths() {
			for off := range 4 {
				alpha := scalAlphas[rng.IntN(len(scalAlphas))]
				x := mixedInputs(rng, n)
				xg := newGuarded(x, off, outGuard)
				deltacore.Scal(alpha, xg.s())
				what := fmt.Sprintf("n=%d x+%d alpha=%g", n, off, alpha)
				for i, v := range xg.s() {
					// One correctly rounded product: the float64 product is exact.
					want := round32(float64(alpha) * float64(x[i]))
					if !sameResult(v, want) {
						r.errorf("%s: x[%d] = %s: got %s, want %s", what, i, fmtF(x[i]), fmtF(v), fmtF(want))
					}
				}
				r.check(what, xg.guardsOK())
			}
		}
		r.done()
	})
}

// dotRef returns Σ x[i]·y[i] and Σ |x[i]·y[i]| in float64 (each product is
// exact in float64).
func dotRef(x, y []float32) (sum, abs float64) {
	for i := range x {
		p := float64(x[i]) * float64(y[i])
		sum += p
		abs += math.Abs(p)
	}
	return sum, abs
}

// dotOK reports whether got is within n·2⁻²⁴·Σ|xy| of the exact dot product
// (plus underflow of the products, and the reference's own rounding).
func dotOK(x, y []float32, got float32) (bool, float64) {
	ref, abs := dotRef(x, y)
	n := float64(len(x))
	tol := n*0x1p-24*abs + n*0x1p-150 + n*0x1p-53*abs
	return !isNaN32(got) && math.Abs(float64(got)-ref) <= tol, ref
}

func TestDot(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		rng := newRand("Dot")
		r := &reporter{t: t}
		for _, n := range sweepLengths() {
			for _, o := range offsetPairs {
				x, y := uniform(rng, n), uniform(rng, n)
				if rng.IntN(2) == 0 {
					for i := range x { // spread the magnitudes
						x[i] = float32(math.Ldexp(float64(x[i]), rng.IntN(40)-20))
					}
				}
				xg := newGuarded(x, o[0], inGuard)
				yg := newGuarded(y, o[1], inGuard)
				got := deltacore.Dot(xg.s(), yg.s())
				what := fmt.Sprintf("n=%d x+%d y+%d", n, o[0], o[1])
				if ok, ref := dotOK(x, y, got); !ok {
					r.errorf("%s: Dot = %g, want %.9g within n·2⁻²⁴·Σ|xy|", what, got, ref)
				}
				r.check(what+" x", xg.unchanged(x))
				r.check(what+" y", yg.unchanged(y))
				r.check(what+" x", xg.guardsOK())
				r.check(what+" y", yg.guardsOK())
				if o[0] == o[1] {
					got := deltacore.Dot(xg.s(), xg.s())
					if ok, ref := dotOK(x, x, got); !ok {
						r.errorf("%s: Dot(x, x) = %g, want %.9g", what, got, ref)
					}
				}
				// Small integers: every order of summation is exact, so a
				// dropped or repeated element shows even for large n.
				xi, yi := smallInts(rng, n), smallInts(rng, n)
				xig := newGuarded(xi, o[0], inGuard)
				yig := newGuarded(yi, o[1], inGuard)
				var exact float32
				for i := range xi {
					exact += xi[i] * yi[i]
				}
				if got := deltacore.Dot(xig.s(), yig.s()); got != exact {
					r.errorf("integers %s: Dot = %g, want exactly %g", what, got, exact)
				}
			}
		}
		r.done()
	})
}

// TestDotSpecials puts NaN and ±Inf at every position of every length
// 1…4·16+3.
func TestDotSpecials(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		r := &reporter{t: t}
		for n := 1; n <= 4*maxVec+3; n++ {
			ones := make([]float32, n)
			for i := range ones {
				ones[i] = 1
			}
			for p := range n {
				x := slices.Clone(ones)
				x[p] = nan32
				if got := deltacore.Dot(x, ones); !isNaN32(got) {
					r.errorf("n=%d: NaN at %d: Dot = %g, want NaN", n, p, got)
				}
				if got := deltacore.Dot(ones, x); !isNaN32(got) {
					r.errorf("n=%d: NaN in y at %d: Dot = %g, want NaN", n, p, got)
				}
				x[p] = -inf32
				if got := deltacore.Dot(x, ones); got != -inf32 {
					r.errorf("n=%d: −Inf at %d: Dot = %g, want −Inf", n, p, got)
				}
				y := slices.Clone(ones)
				y[p] = 0
				if got := deltacore.Dot(x, y); !isNaN32(got) {
					r.errorf("n=%d: −Inf·0 at %d: Dot = %g, want NaN", n, p, got)
				}
			}
		}
		r.done()
	})
}

// ---------------------------------------------------------------------------
// Reductions: SumSquares, Norm, ColSums.

// sumSquaresRef returns Σ x[i]² rounded once from an (effectively) exact sum.
func sumSquaresRef(x []float32) float64 {
	s := new(big.Float).SetPrec(256)
	var sq big.Float
	sq.SetPrec(256)
	for _, v := range x {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			var n float64
			for _, v := range x {
				n += float64(v) * float64(v)
			}
			return n // NaN or +Inf, as IEEE arithmetic says
		}
		sq.SetFloat64(f * f) // exact: a float32 squared fits in float64
		s.Add(s, &sq)
	}
	r, _ := s.Float64()
	return r
}

func TestSumSquares(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		rng := newRand("SumSquares")
		r := &reporter{t: t}
		for _, n := range sweepLengths() {
			for off := range 4 {
				x := uniform(rng, n)
				for i := range x {
					x[i] = float32(math.Ldexp(float64(x[i]), rng.IntN(120)-60))
				}
				xg := newGuarded(x, off, inGuard)
				got := deltacore.SumSquares(xg.s())
				ref := sumSquaresRef(x)
				what := fmt.Sprintf("n=%d x+%d", n, off)
				if math.IsNaN(got) || math.Abs(got-ref) > float64(n)*0x1p-53*ref {
					r.errorf("%s: SumSquares = %.17g, want %.17g within n·2⁻⁵³ relative", what, got, ref)
				}
				if nrm := deltacore.Norm(xg.s()); nrm != math.Sqrt(got) {
					r.errorf("%s: Norm = %.17g, want √SumSquares = %.17g", what, nrm, math.Sqrt(got))
				}
				r.check(what, xg.unchanged(x))
				r.check(what, xg.guardsOK())
				xi := smallInts(rng, n)
				xig := newGuarded(xi, off, inGuard)
				var want float64
				for _, v := range xi {
					want += float64(v * v)
				}
				if got := deltacore.SumSquares(xig.s()); got != want {
					r.errorf("integers %s: SumSquares = %g, want exactly %g", what, got, want)
				}
			}
		}
		r.done()
	})
}

func TestSumSquaresRange(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		r := &reporter{t: t}
		for _, n := range []int{1, 2, 3, 15, 16, 17, 31, 33, 67, 1000} {
			fill := func(v float32) []float32 {
				x := make([]float32, n)
				for i := range x {
					x[i] = v
				}
				return x
			}
			// Subnormal gradients never round to zero.
			if got, want := deltacore.SumSquares(fill(minSubnormal32)), float64(n)*0x1p-298; got != want {
				r.errorf("n=%d: SumSquares of 2⁻¹⁴⁹ = %g, want %g", n, got, want)
			}
			if got := deltacore.Norm(fill(-0x1p-140)); got != math.Sqrt(float64(n))*0x1p-140 {
				r.errorf("n=%d: Norm of −2⁻¹⁴⁰ = %g, want %g", n, got, math.Sqrt(float64(n))*0x1p-140)
			}
			// Huge ones never overflow.
			want := float64(n) * float64(float32(1e38)) * float64(float32(1e38))
			if got := deltacore.SumSquares(fill(1e38)); math.IsInf(got, 0) || math.Abs(got-want) > float64(n)*0x1p-53*want {
				r.errorf("n=%d: SumSquares of 1e38 = %g, want %g", n, got, want)
			}
			if got := deltacore.Norm(fill(-maxFloat)); math.IsInf(got, 0) || got < float64(maxFloat) {
				r.errorf("n=%d: Norm of −MaxFloat32 = %g", n, got)
			}
			// NaN and ±Inf at every position.
			for p := range n {
				x := fill(0.5)
				x[p] = -inf32
				if got := deltacore.SumSquares(x); !math.IsInf(got, 1) {
					r.errorf("n=%d: −Inf at %d: SumSquares = %g, want +Inf", n, p, got)
				}
				x[p] = nan32
				if got := deltacore.SumSquares(x); !math.IsNaN(got) {
					r.errorf("n=%d: NaN at %d: SumSquares = %g, want NaN", n, p, got)
				}
				x[0], x[n-1] = inf32, nan32
				if got := deltacore.SumSquares(x); !math.IsNaN(got) {
					r.errorf("n=%d: Inf and NaN: SumSquares = %g, want NaN", n, got)
				}
			}
		}
		assert.Equal(t, 5.0, deltacore.Norm([]float32{3, -4}))
		r.done()
	})
}

// colSumsRef is the plain in-order float32 loop that ColSums must match bit
// for bit: dst[j] = a[j] + a[lda+j] + a[2·lda+j] + …, left to right.
func colSumsRef(a []float32, rows, cols, lda int) []float32 {
	dst := make([]float32, cols)
	if rows == 0 {
		return dst
	}
	for j := range cols {
		s := a[j]
		for i := 1; i < rows; i++ {
			s += a[i*lda+j]
		}
		dst[j] = s
	}
	return dst
}

// colSumsMatrix returns a rows×cols matrix with row stride lda: values in
// [−1, 1) with a few specials, and NaN in the gaps between rows, which
// ColSums must not read.
func colSumsMatrix(rng *rand.Rand, rows, cols, lda int) []float32 {
	need := 0
	if rows > 0 && cols > 0 {
		need = (rows-1)*lda + cols
	}
	a := make([]float32, need)
	for i := range a {
		if i%lda >= cols {
			a[i] = inGuard
			continue
		}
		switch rng.IntN(40) {
		case 0:
			a[i] = specials[rng.IntN(len(specials))]
		case 1:
			a[i] = float32(math.Ldexp(2*rng.Float64()-1, rng.IntN(200)-100))
		default:
			a[i] = float32(2*rng.Float64() - 1)
		}
	}
	return a
}

func TestColSums(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		rng := newRand("ColSums")
		r := &reporter{t: t}
		check := func(rows, cols, lda, dOff, aOff int) {
			a := colSumsMatrix(rng, rows, cols, lda)
			ag := newGuarded(a, aOff, inGuard)
			dg := newGuarded(make([]float32, cols), dOff, outGuard)
			deltacore.ColSums(dg.s(), ag.s(), rows, cols, lda)
			want := colSumsRef(a, rows, cols, lda)
			what := fmt.Sprintf("rows=%d cols=%d lda=%d dst+%d a+%d", rows, cols, lda, dOff, aOff)
			for j, v := range dg.s() {
				if !sameResult(v, want[j]) {
					r.errorf("%s: dst[%d] = %s, want %s", what, j, fmtF(v), fmtF(want[j]))
				}
			}
			r.check(what+" dst", dg.guardsOK())
			r.check(what+" a", ag.guardsOK())
			r.check(what+" a", ag.unchanged(a))
		}
		for cols := 0; cols <= 4*maxVec+3; cols++ {
			for _, rows := range []int{0, 1, 2, 3, 5, 17} {
				for k, pad := range []int{0, 1, 3, 16} {
					lda := max(cols+pad, 1)
					check(rows, cols, lda, offsetPairs[k][0], offsetPairs[(k+cols)%len(offsetPairs)][1])
				}
			}
		}
		check(64, 1000, 1000, 0, 0)
		check(33, 1000, 1003, 1, 2)
		check(3, 4097, 4100, 3, 1)
		check(4097, 3, 5, 2, 0)
		if !slowEmulation {
			check(2, 65536+5, 65536+5, 0, 3)
		}
		r.done()
	})
}

// ---------------------------------------------------------------------------
// Guard pages.

// guardedCall runs f with faults turned into panics, and fails t with the
// faulting address if f touches a guard page.
func guardedCall(t *testing.T, what string, f func()) {
	t.Helper()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if fault, ok := r.(interface{ Addr() uintptr }); ok {
				t.Fatalf("%s: memory fault at address %#x: %v", what, fault.Addr(), r)
			}
			panic(r)
		}
	}()
	f()
}

func span(s []float32) string {
	if cap(s) == 0 {
		return "[empty]"
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	return fmt.Sprintf("[%#x, %#x)", p, p+uintptr(4*len(s)))
}

// activationKernels are the six elementwise kernels of the activations, as
// TestGuardPages runs them.
var activationKernels = []struct {
	name string
	fn   func(dst, z []float32)
}{
	{"Sigmoid", deltacore.Sigmoid}, {"SigmoidPrime", deltacore.SigmoidPrime}, {"MulSigmoidPrime", deltacore.MulSigmoidPrime},
	{"Tanh", deltacore.Tanh}, {"TanhPrime", deltacore.TanhPrime}, {"MulTanhPrime", deltacore.MulTanhPrime},
}

// TestGuardPages runs every kernel on slices that end exactly where an
// inaccessible page begins, and on slices that begin exactly where one ends,
// for every length 0…4·16+3 and a few large ones: one element of overread or
// overwrite faults.
func TestGuardPages(t *testing.T) {
	if !memguard.Supported {
		t.Skip("guard pages are not supported on this OS")
	}
	lengths := sweepLengths()[:4*maxVec+4]
	lengths = append(lengths, 1000, 4097)
	const maxN = 4097
	const maxNeed = 3*maxN + 2*2
	var bufs [2]*memguard.Buffer
	for i := range bufs {
		b, err := memguard.New(maxNeed)
		require.NoError(t, err)
		t.Cleanup(b.Free)
		bufs[i] = b
	}
	type placement struct {
		name string
		at   func(b *memguard.Buffer, n int) []float32
	}
	placements := []placement{
		{"end", (*memguard.Buffer).AtEnd},
		{"start", (*memguard.Buffer).AtStart},
	}
	fill := func(s []float32, v float32) []float32 {
		for i := range s {
			s[i] = v + float32(i%7)
		}
		return s
	}
	forEachLevel(t, func(t *testing.T) {
		for _, pl := range placements {
			for _, n := range lengths {
				what := func(kernel string, s ...[]float32) string {
					m := fmt.Sprintf("%s at %s n=%d", kernel, pl.name, n)
					for _, x := range s {
						m += " " + span(x)
					}
					return m
				}
				dst := func() []float32 { return fill(pl.at(bufs[0], n), 0.5) }
				src := func() []float32 { return fill(pl.at(bufs[1], n), -3) }
				var d, z []float32
				for _, k := range activationKernels {
					d, z = dst(), src()
					guardedCall(t, what(k.name, d, z), func() { k.fn(d, z) })
					d = dst()
					guardedCall(t, what(k.name+" in place", d), func() { k.fn(d, d) })
				}
				d, z = dst(), src()
				guardedCall(t, what("Axpy", z, d), func() { deltacore.Axpy(1.5, z, d) })
				d = dst()
				guardedCall(t, what("Axpy in place", d), func() { deltacore.Axpy(-2, d, d) })
				d = dst()
				guardedCall(t, what("Scal", d), func() { deltacore.Scal(3, d) })
				d, z = dst(), src()
				var dot float32
				guardedCall(t, what("Dot", d, z), func() { dot = deltacore.Dot(d, z) })
				if ok, ref := dotOK(d, z, dot); !ok {
					t.Errorf("%s: Dot = %g, want %g", what("Dot", d, z), dot, ref)
				}
				var ss float64
				guardedCall(t, what("SumSquares", z), func() { ss = deltacore.SumSquares(z) })
				if ref := sumSquaresRef(z); math.Abs(ss-ref) > float64(n)*0x1p-53*ref {
					t.Errorf("%s: SumSquares = %g, want %g", what("SumSquares", z), ss, ref)
				}
				guardedCall(t, what("Norm", z), func() { ss = deltacore.Norm(z) })
				// ColSums: the last row of a ends at the guard page (or
				// the first begins at one), with and without row padding.
				for _, sh := range [][3]int{{3, n, n + 2}, {3, n, max(n, 1)}, {n, 1, 2}, {n, 2, 2}} {
					rows, cols, lda := sh[0], sh[1], sh[2]
					need := 0
					if rows > 0 && cols > 0 {
						need = (rows-1)*lda + cols
					}
					a := fill(pl.at(bufs[1], need), 1)
					d := pl.at(bufs[0], cols)
					guardedCall(t, what(fmt.Sprintf("ColSums rows=%d cols=%d lda=%d", rows, cols, lda), d, a),
						func() { deltacore.ColSums(d, a, rows, cols, lda) })
				}
			}
		}
	})
}

// ---------------------------------------------------------------------------
// Allocations, bad input, empty input.

func TestZeroAllocs(t *testing.T) {
	const n = 1000
	rng := newRand("allocs")
	z, d := mixedInputs(rng, n), uniform(rng, n)
	dst := make([]float32, n)
	a := uniform(rng, 10*n)
	cs := make([]float32, n)
	calls := []struct {
		name string
		f    func()
	}{
		{"Sigmoid", func() { deltacore.Sigmoid(dst, z) }},
		{"SigmoidPrime", func() { deltacore.SigmoidPrime(dst, z) }},
		{"MulSigmoidPrime", func() { copy(dst, d); deltacore.MulSigmoidPrime(dst, z) }},
		{"Axpy", func() { deltacore.Axpy(0.5, d, dst) }},
		{"Scal", func() { deltacore.Scal(0.5, dst) }},
		{"Dot", func() { _ = deltacore.Dot(d, z) }},
		{"SumSquares", func() { _ = deltacore.SumSquares(d) }},
		{"Norm", func() { _ = deltacore.Norm(d) }},
		{"ColSums", func() { deltacore.ColSums(cs, a, 10, n, n) }},
	}
	forEachLevel(t, func(t *testing.T) {
		for _, c := range calls {
			assert.Zero(t, testing.AllocsPerRun(50, c.f), "%s allocates", c.name)
		}
	})
}

// panicMessage returns the value f panics with, as a string, and whether it
// panicked.
func panicMessage(f func()) (msg string, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			msg, panicked = fmt.Sprint(r), true
		}
	}()
	f()
	return "", false
}

func TestBadInput(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		buf := make([]float32, 64)
		for i := range buf {
			buf[i] = float32(i)
		}
		orig := slices.Clone(buf)
		s := func(lo, hi int) []float32 { return buf[lo:hi:hi] }
		cases := []struct {
			name  string
			f     func()
			words []string // the message names these
		}{
			{"Sigmoid short dst", func() { deltacore.Sigmoid(s(0, 3), s(10, 14)) }, []string{"Sigmoid", "dst", "z"}},
			{"Sigmoid long dst", func() { deltacore.Sigmoid(s(0, 5), s(10, 14)) }, []string{"Sigmoid", "dst", "z"}},
			{"Sigmoid empty dst", func() { deltacore.Sigmoid(nil, s(10, 14)) }, []string{"Sigmoid", "dst", "z"}},
			{"Sigmoid overlap", func() { deltacore.Sigmoid(s(1, 11), s(0, 10)) }, []string{"Sigmoid", "dst", "z", "overlap"}},
			{"SigmoidPrime short dst", func() { deltacore.SigmoidPrime(s(0, 3), s(10, 14)) }, []string{"SigmoidPrime", "dst", "z"}},
			{"SigmoidPrime overlap", func() { deltacore.SigmoidPrime(s(0, 10), s(9, 19)) }, []string{"SigmoidPrime", "dst", "z", "overlap"}},
			{"MulSigmoidPrime short delta", func() { deltacore.MulSigmoidPrime(s(0, 3), s(10, 14)) }, []string{"MulSigmoidPrime", "delta", "z"}},
			{"MulSigmoidPrime overlap", func() { deltacore.MulSigmoidPrime(s(2, 12), s(0, 10)) }, []string{"MulSigmoidPrime", "delta", "z", "overlap"}},
			{"Axpy short y", func() { deltacore.Axpy(2, s(10, 14), s(0, 3)) }, []string{"Axpy", "x", "y"}},
			{"Axpy short x", func() { deltacore.Axpy(2, s(10, 11), s(0, 3)) }, []string{"Axpy", "x", "y"}},
			{"Axpy overlap", func() { deltacore.Axpy(2, s(0, 10), s(5, 15)) }, []string{"Axpy", "x", "y", "overlap"}},
			{"Dot short y", func() { deltacore.Dot(s(0, 4), s(10, 13)) }, []string{"Dot", "x", "y"}},
			{"Dot nil x", func() { deltacore.Dot(nil, s(10, 13)) }, []string{"Dot", "x", "y"}},
			{"ColSums rows < 0", func() { deltacore.ColSums(s(0, 3), s(10, 40), -1, 3, 3) }, []string{"ColSums", "rows"}},
			{"ColSums cols < 0", func() { deltacore.ColSums(s(0, 0), s(10, 40), 2, -1, 3) }, []string{"ColSums", "cols"}},
			{"ColSums len(dst) != cols", func() { deltacore.ColSums(s(0, 2), s(10, 40), 2, 3, 3) }, []string{"ColSums", "dst", "cols"}},
			{"ColSums lda < cols", func() { deltacore.ColSums(s(0, 3), s(10, 40), 2, 3, 2) }, []string{"ColSums", "lda"}},
			{"ColSums lda = 0", func() { deltacore.ColSums(s(0, 0), s(10, 40), 2, 0, 0) }, []string{"ColSums", "lda"}},
			{"ColSums short a", func() { deltacore.ColSums(s(0, 3), s(10, 17), 3, 3, 3) }, []string{"ColSums", "len(a)"}},
			{"ColSums short a with lda", func() { deltacore.ColSums(s(0, 3), s(10, 20), 3, 3, 5) }, []string{"ColSums", "len(a)"}},
			{"ColSums overlap", func() { deltacore.ColSums(s(5, 8), s(0, 20), 2, 3, 10) }, []string{"ColSums", "dst", "a", "overlap"}},
			{"ColSums dst is a", func() { deltacore.ColSums(s(0, 3), s(0, 3), 1, 3, 3) }, []string{"ColSums", "dst", "a", "overlap"}},
		}
		for _, c := range cases {
			msg, panicked := panicMessage(c.f)
			if !assert.True(t, panicked, "%s: no panic", c.name) {
				continue
			}
			assert.Contains(t, msg, "deltacore: ", c.name)
			for _, w := range c.words {
				assert.Contains(t, msg, w, "%s: message %q does not name %q", c.name, msg, w)
			}
			// The check runs before any kernel: nothing was written.
			require.Equal(t, orig, buf, "%s: memory changed by a call that panicked", c.name)
		}
	})
}

func TestEmptyInput(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		buf := []float32{1, 2, 3, 4}
		e := buf[2:2]
		assert.NotPanics(t, func() {
			for _, s := range [][]float32{nil, {}, e} {
				deltacore.Sigmoid(s, nil)
				deltacore.Sigmoid(nil, s)
				deltacore.Sigmoid(s, s)
				deltacore.SigmoidPrime(s, e)
				deltacore.MulSigmoidPrime(s, e)
				deltacore.Axpy(2, s, e)
				deltacore.Scal(2, s)
				assert.Zero(t, deltacore.Dot(s, e))
				assert.Zero(t, deltacore.SumSquares(s))
				assert.Zero(t, deltacore.Norm(s))
				deltacore.ColSums(s, s, 0, 0, 1)
				deltacore.ColSums(s, nil, 7, 0, 1)
			}
		})
		assert.Equal(t, []float32{1, 2, 3, 4}, buf)
		dst := []float32{5, 6, 7}
		deltacore.ColSums(dst, nil, 0, 3, 3)
		assert.Equal(t, []float32{0, 0, 0}, dst, "ColSums with no rows")
	})
}

// ---------------------------------------------------------------------------
// Concurrency.

type allResults struct {
	sig, sigp, msp, axpy, scal, cols []float32
	dot                              float32
	ss                               float64
}

func runAll(z, d, a []float32, rows, cols int) allResults {
	n := len(z)
	r := allResults{
		sig: make([]float32, n), sigp: make([]float32, n), msp: slices.Clone(d),
		axpy: slices.Clone(d), scal: slices.Clone(z), cols: make([]float32, cols),
	}
	deltacore.Sigmoid(r.sig, z)
	deltacore.SigmoidPrime(r.sigp, z)
	deltacore.MulSigmoidPrime(r.msp, z)
	deltacore.Axpy(-0.75, z, r.axpy)
	deltacore.Scal(1.5, r.scal)
	r.dot = deltacore.Dot(z, d)
	r.ss = deltacore.SumSquares(z)
	deltacore.ColSums(r.cols, a, rows, cols, cols)
	return r
}

func sameAll(a, b allResults) string {
	for _, p := range []struct {
		name string
		x, y []float32
	}{{"Sigmoid", a.sig, b.sig}, {"SigmoidPrime", a.sigp, b.sigp}, {"MulSigmoidPrime", a.msp, b.msp},
		{"Axpy", a.axpy, b.axpy}, {"Scal", a.scal, b.scal}, {"ColSums", a.cols, b.cols}} {
		for i := range p.x {
			if !sameResult(p.x[i], p.y[i]) {
				return fmt.Sprintf("%s[%d] = %s, serial %s", p.name, i, fmtF(p.x[i]), fmtF(p.y[i]))
			}
		}
	}
	if !sameResult(a.dot, b.dot) {
		return fmt.Sprintf("Dot = %g, serial %g", a.dot, b.dot)
	}
	if a.ss != b.ss && !(math.IsNaN(a.ss) && math.IsNaN(b.ss)) {
		return fmt.Sprintf("SumSquares = %g, serial %g", a.ss, b.ss)
	}
	return ""
}

// TestConcurrent calls every kernel from many goroutines at once and checks
// that each gets exactly what a serial call gets (run it with -race).
func TestConcurrent(t *testing.T) {
	const goroutines, iters = 8, 20
	rng := newRand("concurrent")
	n := 4*maxVec + 3 + 1000
	z, d := mixedInputs(rng, n), deltaInputs(rng, n)
	rows, cols := 17, 67
	a := uniform(rng, rows*cols)
	forEachLevel(t, func(t *testing.T) {
		serial := runAll(z, d, a, rows, cols)
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for it := range iters {
					if msg := sameAll(runAll(z, d, a, rows, cols), serial); msg != "" {
						t.Errorf("goroutine %d, iteration %d: %s", g, it, msg)
						return
					}
				}
			})
		}
		wg.Wait()
	})
}

// TestConcurrentSetLevel switches levels while other goroutines run
// kernels: each call runs whole on one level, so every result is within
// bounds.
func TestConcurrentSetLevel(t *testing.T) {
	setLevelDuringTest(t, deltacore.CurrentLevel())
	rng := newRand("setlevel")
	z := mixedInputs(rng, 4*maxVec+3+100)
	levels := testLevels()
	stop := make(chan struct{})
	var switcher, wg sync.WaitGroup
	switcher.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := deltacore.SetLevel(levels[i%len(levels)]); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for g := range 4 {
		wg.Go(func() {
			r := &reporter{t: t}
			dst := make([]float32, len(z))
			for it := range 50 {
				deltacore.Sigmoid(dst, z)
				for i, v := range dst {
					if !sigmoidBoundOK(v, sigmoidRef(z[i])) {
						r.errorf("goroutine %d, iteration %d: σ(%s) = %s", g, it, fmtF(z[i]), fmtF(v))
						break
					}
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	switcher.Wait()
}
