package deltacore

import (
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// tanhRef returns the float64 references: tanh(z) (math.Tanh, within an
// ULP of float64) and tanh′(z) = 4t/(1+t)² with t = e^(−2|z|), written
// plainly from the definition sech²(z) = 4/(e^z + e^(−z))².
func tanhRef(z float32) (s, p float64) {
	x := float64(z)
	t := math.Exp(-2 * math.Abs(x))
	d := 1 + t
	return math.Tanh(x), 4 * t / (d * d)
}

const (
	tanhPrimeTiny = 0x1p-124 // below it, tanh′ = 4σ′(2z) has σ′'s absolute error ×4
)

// tanhErr measures got against exact: ULPs of exact where |exact| ≥ tiny
// (relative bound maxULP), absolute floor below.
func tanhErr(got float32, exact float64, maxULP, tiny, floor float64) (ulps float64, ok bool) {
	g := float64(got)
	if math.IsNaN(exact) {
		return 0, math.IsNaN(g)
	}
	if math.IsNaN(g) || math.IsInf(g, 0) {
		return math.Inf(1), false
	}
	d := math.Abs(g - exact)
	if math.Abs(exact) < tiny {
		return 0, d <= floor
	}
	ulps = d / sigULP(exact)
	return ulps, ulps <= maxULP
}

// tanhCheck runs Tanh, TanhPrime and MulTanhPrime on z at the current level
// and checks every result against the documented bounds.
func tanhCheck(t *testing.T, z []float32, st *[3]sigStats, base uint64) {
	n := len(z)
	s := make([]float32, n)
	p := make([]float32, n)
	d := make([]float32, n)
	for i := range d {
		d[i] = sigDelta(base + uint64(i))
	}
	Tanh(s, z)
	TanhPrime(p, z)
	MulTanhPrime(d, z)
	for i, v := range z {
		es, ep := tanhRef(v)
		u, ok := tanhErr(s[i], es, sigMaxULP, sigTiny, 0x1p-149)
		if !math.IsNaN(es) && !(s[i] >= -1 && s[i] <= 1) {
			ok = false
		}
		if !math.IsNaN(es) && v != 0 && math.Signbit(float64(s[i])) != math.Signbit(float64(v)) {
			ok = false // tanh is odd: the sign of z (a zero's sign is not specified)
		}
		st[0].add(t, v, s[i], es, u, ok)

		u, ok = tanhErr(p[i], ep, sigMaxULP, tanhPrimeTiny, tanhPrimeTiny)
		st[1].add(t, v, p[i], ep, u, ok)

		delta := float64(sigDelta(base + uint64(i)))
		em := delta * ep
		floor := 0.0
		if ep < tanhPrimeTiny {
			floor = tanhPrimeTiny * math.Abs(delta)
		}
		u, ok = tanhErr(d[i], em, sigMaxULPMu, sigTiny, sigTiny+floor)
		if !ok && floor > 0 && math.Abs(em) >= sigTiny {
			ok = math.Abs(float64(d[i])-em) <= sigMaxULPMu*sigULP(em)+floor
		}
		if floor > 0 {
			u = 0
		}
		st[2].add(t, v, d[i], em, u, ok)
	}
}

func tanhNewStats() *[3]sigStats {
	return &[3]sigStats{{name: "Tanh"}, {name: "TanhPrime"}, {name: "MulTanhPrime"}}
}

// tanhSpecials adds the thresholds of tanh to σ's: where n changes from 0
// (|z| = ln2/4), where tanh rounds to 1 (≈ 9.01), where tanh′ leaves the
// normal range of σ′(2z) (≈ 43.3) and where 2z overflows.
func tanhSpecials() []float32 {
	zs := sigSpecials()
	for _, v := range []float32{0.1732, 0.17329, 0.1733, 0.35, 0.55, 0.625, 9, 9.01, 9.02, 43.3, 43.4, 44, 51.9, 52, 0x1p126, 0x1p127, 0x1.fffffep127} {
		zs = append(zs, v, -v)
	}
	return zs
}

func TestTanhAccuracy(t *testing.T) {
	stride := uint64(509)
	if testing.Short() {
		stride = 65521
	}
	for _, l := range Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			sigSetLevel(t, l)
			st := tanhNewStats()
			const chunk = 1 << 16
			z := make([]float32, 0, chunk)
			var base uint64
			flush := func() {
				tanhCheck(t, z, st, base)
				base += uint64(len(z))
				z = z[:0]
			}
			for b := uint64(0); b < 1<<32; b += stride {
				z = append(z, math.Float32frombits(uint32(b)))
				if len(z) == chunk {
					flush()
				}
			}
			// All of [−60, 60] in steps of 2⁻¹² (2⁻⁶ with -short), and
			// [−1, 1] in steps of 2⁻²⁰, where tanh's cancellation would be.
			step := 0x1p-12
			if testing.Short() {
				step = 0x1p-6
			}
			for x := -60.0; x <= 60; x += step {
				z = append(z, float32(x))
				if len(z) == chunk {
					flush()
				}
			}
			for x := -1.0; x <= 1; x += step / 256 {
				z = append(z, float32(x))
				if len(z) == chunk {
					flush()
				}
			}
			z = append(z, tanhSpecials()...)
			flush()
			for i := range st {
				st[i].log(t)
			}
		})
	}
}

// TestTanhSaturation checks that tanh′ keeps its relative accuracy where tanh
// saturates: 1 − tanh² computed in float32 is 0 there.
func TestTanhSaturation(t *testing.T) {
	zs := []float32{5, 9, 10, 15, 20, 30, 40, 43, -9, -10, -20, -30, -43}
	for _, l := range Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			sigSetLevel(t, l)
			got := make([]float32, len(zs))
			TanhPrime(got, zs)
			for i, z := range zs {
				_, ref := tanhRef(z)
				if ref < tanhPrimeTiny {
					t.Fatalf("reference tanh′(%g) = %g is below the relative range", z, ref)
				}
				if u := math.Abs(float64(got[i])-ref) / sigULP(ref); !(u <= sigMaxULP) {
					t.Errorf("tanh′(%g) = %g, want %g (%.2f ULP)", z, got[i], ref, u)
				}
				if z >= 10 {
					th := float32(math.Tanh(float64(z)))
					if th*th != 1 {
						t.Errorf("naive 1 − tanh² at %g is not 0 (the test's premise)", z)
					}
				}
			}
		})
	}
}

// TestTanhExhaustive checks every float32 input on every level; it runs
// only with DELTACORE_EXHAUSTIVE=1 (minutes);
// DELTACORE_EXHAUSTIVE_LEVELS=avx2,avx512 restricts it to those levels.
func TestTanhExhaustive(t *testing.T) {
	if os.Getenv("DELTACORE_EXHAUSTIVE") != "1" {
		t.Skip("set DELTACORE_EXHAUSTIVE=1 to check all 2^32 inputs")
	}
	levels := Levels()
	if only := os.Getenv("DELTACORE_EXHAUSTIVE_LEVELS"); only != "" {
		levels = slices.DeleteFunc(levels, func(l Level) bool {
			return !slices.Contains(strings.Split(only, ","), l.String())
		})
	}
	for _, l := range levels {
		t.Run("isa="+l.String(), func(t *testing.T) {
			sigSetLevel(t, l)
			workers := runtime.GOMAXPROCS(0)
			stats := make([]*[3]sigStats, workers)
			var wg sync.WaitGroup
			const chunk = 1 << 16
			for w := range workers {
				stats[w] = tanhNewStats()
				wg.Add(1)
				go func() {
					defer wg.Done()
					z := make([]float32, chunk)
					for c := uint64(w); c < 1<<32/chunk; c += uint64(workers) {
						for i := range z {
							z[i] = math.Float32frombits(uint32(c*chunk + uint64(i)))
						}
						tanhCheck(t, z, stats[w], c*chunk)
					}
				}()
			}
			wg.Wait()
			all := tanhNewStats()
			for _, s := range stats {
				for f := range s {
					if s[f].maxULP > all[f].maxULP {
						all[f].maxULP, all[f].worst = s[f].maxULP, s[f].worst
					}
					all[f].failures += s[f].failures
				}
			}
			for f := range all {
				all[f].log(t)
			}
		})
	}
}

// TestTanhPositionIndependent: an element's result does not depend on where
// it lies in the slice (interleaved loops, single vectors, tails).
func TestTanhPositionIndependent(t *testing.T) {
	const n = 211
	z := make([]float32, n)
	for i := range z {
		z[i] = float32(i)*0.37 - 39
	}
	copy(z[100:], tanhSpecials())
	same := func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b) }
	for _, l := range Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			sigSetLevel(t, l)
			for f, fn := range []func(dst, z []float32){Tanh, TanhPrime, MulTanhPrime} {
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
