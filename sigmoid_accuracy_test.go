package deltacore

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// sigRef returns the float64 references, written plainly from
// t = e^(−|z|) ∈ [0, 1], so that nothing overflows: σ(z) = 1/(1+t) for
// z ≥ 0 and t/(1+t) for z < 0, and σ′(z) = t/(1+t)². Both are within a few
// float64 ULP of the exact values, far below the float32 tolerances checked
// here. NaN gives NaN.
func sigRef(z float32) (s, p float64) {
	x := float64(z)
	t := math.Exp(-math.Abs(x))
	d := 1 + t
	if x >= 0 {
		s = 1 / d
	} else {
		s = t / d
	}
	return s, t / (d * d)
}

const (
	sigTiny     = 0x1p-126 // smallest normal float32
	sigMaxULP   = 4.0      // documented bound for σ and σ′
	sigMaxULPMu = 4.5      // documented bound for the δ step
)

// sigULP returns the ULP of the float32 binade holding |x| (x normal as a
// float32): 2^(e−23) for |x| ∈ [2^e, 2^(e+1)).
func sigULP(x float64) float64 {
	e := math.Float64bits(x) >> 52 & 0x7ff
	return math.Float64frombits((e - 23) << 52)
}

// sigErr measures got against exact: the error in ULPs of exact where exact
// is a normal float32, and ok reports whether got is within maxULP ULPs
// there, or within floor absolutely where |exact| < 2⁻¹²⁶. NaN and ±Inf are
// never ok unless exact is NaN and got is NaN.
func sigErr(got float32, exact float64, maxULP, floor float64) (ulps float64, ok bool) {
	g := float64(got)
	if math.IsNaN(exact) {
		return 0, math.IsNaN(g)
	}
	if math.IsNaN(g) || math.IsInf(g, 0) {
		return math.Inf(1), false
	}
	d := math.Abs(g - exact)
	if math.Abs(exact) < sigTiny {
		return 0, d <= floor
	}
	ulps = d / sigULP(exact)
	return ulps, ulps <= maxULP
}

// sigDelta returns a delta for index i: a float32 of either sign with
// magnitude in [2⁻⁸, 2⁸), derived from i by a multiplicative hash.
func sigDelta(i uint64) float32 {
	h := uint32((i * 0x9E3779B97F4A7C15) >> 32)
	m := 1 + float64(h&0xFFFF)/0x10000
	e := int(h>>16&15) - 8
	v := float32(math.Ldexp(m, e))
	if h>>31 != 0 {
		v = -v
	}
	return v
}

// sigMulExact returns delta·σ′(z) in float64, given p = σ′(z), and the
// absolute tolerance that MulSigmoidPrime's documentation allows on top of
// 4.5 ULP: 2⁻¹²⁶·|delta| where σ′(z) is subnormal.
func sigMulExact(delta float32, p float64) (exact, floor float64) {
	exact = float64(delta) * p
	if p < sigTiny {
		floor = sigTiny * math.Abs(float64(delta))
	}
	return exact, floor
}

// sigMulErr checks a δ-step result against exact = delta·σ′(z): within
// 4.5 ULP, plus floor (2⁻¹²⁶·|delta|, non-zero only where σ′(z) is
// subnormal), or within 2⁻¹²⁶ + floor absolutely where the product itself is
// below 2⁻¹²⁶. The ULPs it returns count only where floor is 0, so that the
// reported maximum is the relative error of the normal range.
func sigMulErr(got float32, exact, floor float64) (ulps float64, ok bool) {
	ulps, ok = sigErr(got, exact, sigMaxULPMu, sigTiny+floor)
	if floor > 0 && !math.IsNaN(exact) {
		if !ok && math.Abs(exact) >= sigTiny {
			ok = math.Abs(float64(got)-exact) <= sigMaxULPMu*sigULP(exact)+floor
		}
		ulps = 0
	}
	return ulps, ok
}

// sigStats accumulates the largest error seen for one function.
type sigStats struct {
	name     string
	maxULP   float64
	worst    float32
	failures int
}

func (s *sigStats) add(t *testing.T, z float32, got float32, exact float64, ulps float64, ok bool) {
	if ulps > s.maxULP {
		s.maxULP, s.worst = ulps, z
	}
	if !ok {
		s.failures++
		if s.failures <= 10 {
			t.Errorf("%s(%g [%#08x]) = %g [%#08x], want %g (%.2f ULP)", s.name, z, math.Float32bits(z), got, math.Float32bits(got), exact, ulps)
		}
	}
}

func (s *sigStats) log(t *testing.T) {
	t.Logf("%-15s max %.3f ULP at z = %g [%#08x]", s.name, s.maxULP, s.worst, math.Float32bits(s.worst))
	if s.failures > 10 {
		t.Errorf("%s: %d failures in all", s.name, s.failures)
	}
}

// sigSetLevel switches to level l for the rest of the (sub)test.
func sigSetLevel(t *testing.T, l Level) {
	t.Helper()
	old := CurrentLevel()
	if err := SetLevel(l); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := SetLevel(old); err != nil {
			t.Fatal(err)
		}
	})
}

// sigCheck runs Sigmoid, SigmoidPrime and MulSigmoidPrime on z through the
// exported functions at the current level and checks every result.
func sigCheck(t *testing.T, z []float32, st *[3]sigStats, base uint64) {
	n := len(z)
	s := make([]float32, n)
	p := make([]float32, n)
	d := make([]float32, n)
	for i := range d {
		d[i] = sigDelta(base + uint64(i))
	}
	Sigmoid(s, z)
	SigmoidPrime(p, z)
	MulSigmoidPrime(d, z)
	for i, v := range z {
		es, ep := sigRef(v)
		u, ok := sigErr(s[i], es, sigMaxULP, sigTiny)
		if !math.IsNaN(es) && !(s[i] >= 0 && s[i] <= 1) {
			ok = false
		}
		st[0].add(t, v, s[i], es, u, ok)

		u, ok = sigErr(p[i], ep, sigMaxULP, sigTiny)
		st[1].add(t, v, p[i], ep, u, ok)

		em, floor := sigMulExact(sigDelta(base+uint64(i)), ep)
		u, ok = sigMulErr(d[i], em, floor)
		st[2].add(t, v, d[i], em, u, ok)
	}
}

func sigNewStats() *[3]sigStats {
	return &[3]sigStats{{name: "Sigmoid"}, {name: "SigmoidPrime"}, {name: "MulSigmoidPrime"}}
}

// sigSpecials are inputs at the edges: zeros, subnormals, the saturation
// and underflow thresholds, huge values, infinities and NaNs.
func sigSpecials() []float32 {
	inf := float32(math.Inf(1))
	var zs []float32
	for _, v := range []float32{
		0, 0x1p-149, 0x1p-140, math.Float32frombits(0x007fffff), 0x1p-126, 1e-30, 1e-10, 1e-7, 0x1p-24,
		0.25, 0.5, 0.75, 1, 2, 8, 15.9, 16, 16.6, 17, 20, 32, 64, 80, 87, 87.33, 87.34, 88, 88.72, 88.7, 89,
		100, 103, 103.27, 103.28, 103.97, 103.98, 104, 104.5, 110, 200, 1e4, 1e10, 1e30, math.MaxFloat32, inf,
	} {
		zs = append(zs, v, -v)
	}
	for _, b := range []uint32{0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fbfffff, 0x7fffffff, 0xffffffff} {
		zs = append(zs, math.Float32frombits(b))
	}
	return zs
}

func TestSigmoidAccuracy(t *testing.T) {
	stride := uint64(509)
	if testing.Short() {
		stride = 65521
	}
	for _, l := range Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			sigSetLevel(t, l)
			st := sigNewStats()

			// Every stride-th float32 bit pattern, starting at a different
			// offset for each chunk so that the low bits vary too.
			const chunk = 1 << 16
			z := make([]float32, 0, chunk)
			var base uint64
			for b := uint64(0); b < 1<<32; b += stride {
				z = append(z, math.Float32frombits(uint32(b)))
				if len(z) == chunk {
					sigCheck(t, z, st, base)
					base += chunk
					z = z[:0]
				}
			}

			// All of [−110, 110] in steps of 2⁻¹² (2⁻⁶ with -short).
			step := 0x1p-12
			if testing.Short() {
				step = 0x1p-6
			}
			for x := -110.0; x <= 110; x += step {
				z = append(z, float32(x))
				if len(z) == chunk {
					sigCheck(t, z, st, base)
					base += chunk
					z = z[:0]
				}
			}
			z = append(z, sigSpecials()...)
			sigCheck(t, z, st, base)
			for i := range st {
				st[i].log(t)
			}
		})
	}
}

// TestSigmoidSpecials checks the exact limits and NaN propagation, on every
// level and for every length up to 33 so that each value passes through the
// vector body and the tail code.
func TestSigmoidSpecials(t *testing.T) {
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	type want struct {
		z, s, p float32
	}
	cases := []want{
		{-inf, 0, 0}, {inf, 1, 0}, {0, 0.5, 0.25},
		{float32(math.Copysign(0, -1)), 0.5, 0.25},
		{-1e30, 0, 0}, {1e30, 1, 0}, {-104, 0, 0}, {104, 1, 0},
		{-math.MaxFloat32, 0, 0}, {math.MaxFloat32, 1, 0},
	}
	for _, l := range Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			sigSetLevel(t, l)
			for _, c := range cases {
				for n := 1; n <= 33; n++ {
					z := make([]float32, n)
					for i := range z {
						z[i] = c.z
					}
					z[n/2] = nan
					s := make([]float32, n)
					p := make([]float32, n)
					d := make([]float32, n)
					for i := range d {
						d[i] = 3
					}
					Sigmoid(s, z)
					SigmoidPrime(p, z)
					MulSigmoidPrime(d, z)
					for i := range z {
						if i == n/2 {
							if s[i] == s[i] || p[i] == p[i] || d[i] == d[i] {
								t.Errorf("n=%d: NaN in gave σ=%g σ′=%g δ=%g, want NaN", n, s[i], p[i], d[i])
							}
							continue
						}
						if s[i] != c.s || p[i] != c.p || d[i] != 3*c.p {
							t.Errorf("n=%d: z=%g: σ=%g σ′=%g δ=%g, want %g %g %g", n, c.z, s[i], p[i], d[i], c.s, c.p, 3*c.p)
						}
					}
				}
			}
		})
	}
}

// TestSigmoidExhaustive checks every float32 input on every level. It takes
// minutes, so it runs only with DELTACORE_EXHAUSTIVE=1. It calls the level
// tables directly so that all levels run side by side on the same inputs.
// DELTACORE_EXHAUSTIVE_LEVELS=avx2,avx512 restricts it to those levels.
func TestSigmoidExhaustive(t *testing.T) {
	if os.Getenv("DELTACORE_EXHAUSTIVE") != "1" {
		t.Skip("set DELTACORE_EXHAUSTIVE=1 to check all 2^32 inputs")
	}
	levels := Levels()
	if only := os.Getenv("DELTACORE_EXHAUSTIVE_LEVELS"); only != "" {
		levels = slices.DeleteFunc(levels, func(l Level) bool {
			return !slices.Contains(strings.Split(only, ","), l.String())
		})
	}
	type result struct {
		max   [3]float64
		worst [3]float32
		fails [3]int
		first []string
	}
	const chunk = 1 << 16
	workers := runtime.GOMAXPROCS(0)
	results := make([]result, len(levels)*workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			z := make([]float32, chunk)
			exact := make([][3]float64, chunk)
			floors := make([]float64, chunk)
			deltas := make([]float32, chunk)
			out := [3][]float32{make([]float32, chunk), make([]float32, chunk), make([]float32, chunk)}
			for c := uint64(w); c < 1<<32/chunk; c += uint64(workers) {
				for i := range z {
					b := c*chunk + uint64(i)
					v := math.Float32frombits(uint32(b))
					z[i] = v
					deltas[i] = sigDelta(b)
					exact[i][0], exact[i][1] = sigRef(v)
					exact[i][2], floors[i] = sigMulExact(deltas[i], exact[i][1])
				}
				for li, l := range levels {
					tab := tableFor(l)
					tab.sigmoid(out[0], z)
					tab.sigmoidPrime(out[1], z)
					copy(out[2], deltas)
					tab.mulSigmoidPrime(out[2], z)
					r := &results[li*workers+w]
					for i, v := range z {
						for f := range 3 {
							got := out[f][i]
							var u float64
							var ok bool
							if f == 2 {
								u, ok = sigMulErr(got, exact[i][f], floors[i])
							} else {
								u, ok = sigErr(got, exact[i][f], sigMaxULP, sigTiny)
							}
							if f == 0 && !math.IsNaN(exact[i][f]) && !(got >= 0 && got <= 1) {
								ok = false
							}
							if u > r.max[f] {
								r.max[f], r.worst[f] = u, v
							}
							if !ok {
								r.fails[f]++
								if len(r.first) < 5 {
									r.first = append(r.first, fmt.Sprintf("f%d(%g [%#08x]) = %g, want %g (%.2f ULP)", f, v, math.Float32bits(v), got, exact[i][f], u))
								}
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	names := [3]string{"Sigmoid", "SigmoidPrime", "MulSigmoidPrime"}
	for li, l := range levels {
		for f := range 3 {
			var mx float64
			var worst float32
			fails := 0
			for w := range workers {
				r := results[li*workers+w]
				if r.max[f] > mx {
					mx, worst = r.max[f], r.worst[f]
				}
				fails += r.fails[f]
			}
			t.Logf("isa=%-7s %-15s max %.3f ULP at z = %g [%#08x], %d failures", l, names[f], mx, worst, math.Float32bits(worst), fails)
			if fails > 0 {
				t.Errorf("isa=%s %s: %d inputs out of bounds", l, names[f], fails)
			}
		}
		for w := range workers {
			for _, s := range results[li*workers+w].first {
				t.Errorf("isa=%s: %s", l, s)
			}
		}
	}
}

// TestSigmoidPositionIndependent checks, on every level, that an element's
// result does not depend on where it lies in the slice: the interleaved
// main loops, the one-vector loop and the tail code must compute the same
// bits. (The length, offset and guard-page sweeps are in kernels_test.go.)
func TestSigmoidPositionIndependent(t *testing.T) {
	const n = 211
	z := make([]float32, n)
	for i := range z {
		z[i] = float32(i)*0.73 - 77
	}
	copy(z[100:], sigSpecials())
	same := func(a, b float32) bool { return a == b || (a != a && b != b) }
	for _, l := range Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			sigSetLevel(t, l)
			for f, fn := range []func(dst, z []float32){Sigmoid, SigmoidPrime, MulSigmoidPrime} {
				all := make([]float32, n)
				for i := range all {
					all[i] = 0.75
				}
				fn(all, z)
				for off := range 17 {
					part := make([]float32, n-off)
					for i := range part {
						part[i] = 0.75
					}
					fn(part, z[off:])
					for i, v := range part {
						if !same(v, all[off+i]) {
							t.Fatalf("function %d: z[%d] = %g gives %g from offset %d, %g from offset 0", f, off+i, z[off+i], v, off, all[off+i])
						}
					}
				}
			}
		})
	}
}
