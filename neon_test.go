//go:build arm64 && !purego

package deltacore

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// These tests call the NEON kernels directly (not through the active table),
// so they exercise the assembly whatever DELTACORE_ISA says.

func neonSkip(t testing.TB) {
	t.Helper()
	if !cpuid.CPU.Supports(cpuid.ASIMD) {
		t.Skip("CPU without ASIMD")
	}
}

func TestNEONLevels(t *testing.T) {
	want := []Level{Generic}
	if cpuid.CPU.Supports(cpuid.ASIMD) {
		want = []Level{NEON, Generic}
	}
	if got := Levels(); !slices.Equal(got, want) {
		t.Fatalf("Levels() = %v, want %v", got, want)
	}
	// DELTACORE_ISA caps the level: neon keeps NEON, generic (and the x86
	// levels, which an arm64 CPU never has) give Generic; unset, empty or
	// unknown leave the best level.
	cur := want[0]
	switch strings.ToLower(strings.TrimSpace(os.Getenv(EnvVar))) {
	case "generic", "avx2", "avx512":
		cur = Generic
	}
	if got := CurrentLevel(); got != cur {
		t.Fatalf("CurrentLevel() = %v with %s=%q, want %v", got, EnvVar, os.Getenv(EnvVar), cur)
	}
	t.Logf("Levels() = %v, CurrentLevel() = %v (%s=%q)", Levels(), CurrentLevel(), EnvVar, os.Getenv(EnvVar))
}

// neonSigmoidRef is σ(z) = 1/(1+e^(−z)) in float64, written plainly: e^(−z)
// may overflow to +Inf for very negative z, which gives exactly 0.
func neonSigmoidRef(z float32) float64 {
	return 1 / (1 + math.Exp(-float64(z)))
}

// neonSigmoidPrimeRef is σ′(z) = e^(−|z|)/(1+e^(−|z|))² in float64.
func neonSigmoidPrimeRef(z float32) float64 {
	t := math.Exp(-math.Abs(float64(z)))
	return t / ((1 + t) * (1 + t))
}

// neonULP returns the error of got against the float64 value want, in
// float32 ULPs of want (the spacing of float32s at |want|); where |want| is
// below the smallest normal float32 2⁻¹²⁶ it returns 0 if the absolute error
// is at most floor and +Inf otherwise. NaN must be checked before.
func neonULP(got float32, want, floor float64) float64 {
	d := math.Abs(float64(got) - want)
	if math.Abs(want) < 0x1p-126 {
		if d <= floor {
			return 0
		}
		return math.Inf(1)
	}
	if math.IsInf(want, 0) {
		if float64(got) == want {
			return 0
		}
		return math.Inf(1)
	}
	_, e := math.Frexp(want) // |want| ∈ [2^(e−1), 2^e)
	return d / math.Ldexp(1, e-1-23)
}

// neonInputs returns the σ test inputs: every 20011th float32 bit pattern
// (about 215 000 values over the whole range, NaNs and subnormals included),
// [−110, 110] in steps of 2⁻⁹, and the special values.
func neonInputs() []float32 {
	var z []float32
	for b := uint64(0); b < 1<<32; b += 20011 {
		z = append(z, math.Float32frombits(uint32(b)))
	}
	for x := -110.0; x <= 110; x += 0x1p-9 {
		z = append(z, float32(x))
	}
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	z = append(z, 0, float32(math.Copysign(0, -1)), inf, -inf, nan, -nan,
		math.Float32frombits(1), math.Float32frombits(0x80000001),
		math.Float32frombits(0x00800000), math.Float32frombits(0x80800000),
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32,
		17, -17, 87.33655, -87.33655, 88.72284, -88.72284, 103.27893, -103.27893,
		103.97208, -103.97208, 104, -104, 109.99, -109.99, 110, -110, 110.01, -110.01,
		1e10, -1e10, 0.34657359, -0.34657359, 0x1p-30, -0x1p-30)
	return z
}

// neonCheckElementwise runs kernel over z in chunks of varying lengths and
// offsets and checks every result against ref within maxULP (absolute floor
// below 2⁻¹²⁶), with check for the special cases. It returns the largest
// error seen, in ULPs.
func neonCheckElementwise(t *testing.T, name string, kernel func(dst, z []float32),
	ref func(float32) float64, check func(z, got float32) string) (worst float64, at float32) {
	t.Helper()
	in := neonInputs()
	dst := make([]float32, len(in))
	// Chunks of every length 1…35 at offsets 0…3 into separate buffers
	// through the whole input, then one call over everything.
	for i, n := 0, 1; i < len(in); n = n%35 + 1 {
		n := min(n, len(in)-i)
		off := n % 4
		buf := make([]float32, off+n+4)
		zb := make([]float32, off+n+4)
		for k := range buf {
			buf[k] = -7 // sentinel
		}
		copy(zb[off:], in[i:i+n])
		kernel(buf[off:off+n], zb[off:off+n])
		for k := range off {
			if buf[k] != -7 {
				t.Fatalf("%s: n=%d off=%d wrote dst[%d] before the slice", name, n, off, k-off)
			}
		}
		for k := off + n; k < len(buf); k++ {
			if buf[k] != -7 {
				t.Fatalf("%s: n=%d off=%d wrote past the slice", name, n, off)
			}
		}
		copy(dst[i:], buf[off:off+n])
		i += n
	}
	all := make([]float32, len(in))
	kernel(all, in)
	inPlace := slices.Clone(in)
	kernel(inPlace, inPlace)
	for i, v := range in {
		got := dst[i]
		if math.Float32bits(all[i]) != math.Float32bits(got) || math.Float32bits(inPlace[i]) != math.Float32bits(got) {
			t.Fatalf("%s(%v): chunked %v, whole %v, in place %v: results depend on position", name, v, got, all[i], inPlace[i])
		}
		if msg := check(v, got); msg != "" {
			t.Fatalf("%s(%v) = %v: %s", name, v, got, msg)
		}
		if v != v {
			continue
		}
		u := neonULP(got, ref(v), 0x1p-126)
		if u > worst {
			worst, at = u, v
		}
	}
	return worst, at
}

func TestNEONSigmoidAccuracy(t *testing.T) {
	neonSkip(t)
	worst, at := neonCheckElementwise(t, "sigmoidNEON", sigmoidNEON, neonSigmoidRef, func(z, s float32) string {
		switch {
		case z != z:
			if s == s {
				return "want NaN"
			}
		case s != s || s < 0 || s > 1:
			return "outside [0, 1]"
		case math.IsInf(float64(z), 1) && s != 1:
			return "want 1"
		case math.IsInf(float64(z), -1) && s != 0:
			return "want 0"
		}
		return ""
	})
	t.Logf("sigmoidNEON: max error %.3f ULP (at z = %v)", worst, at)
	if worst > 4 {
		t.Errorf("sigmoidNEON: max error %.3f ULP at z = %v > 4", worst, at)
	}
}

func TestNEONSigmoidPrimeAccuracy(t *testing.T) {
	neonSkip(t)
	worst, at := neonCheckElementwise(t, "sigmoidPrimeNEON", sigmoidPrimeNEON, neonSigmoidPrimeRef, func(z, s float32) string {
		switch {
		case z != z:
			if s == s {
				return "want NaN"
			}
		case s != s || s < 0 || s > 0.25:
			return "outside [0, 1/4]"
		case math.IsInf(float64(z), 0) && s != 0:
			return "want 0"
		}
		return ""
	})
	t.Logf("sigmoidPrimeNEON: max error %.3f ULP (at z = %v)", worst, at)
	if worst > 4 {
		t.Errorf("sigmoidPrimeNEON: max error %.3f ULP at z = %v > 4", worst, at)
	}
}

// neonMulErr returns the error of got = delta·σ′(z) in ULPs, or 0 if σ′(z)
// is below 2⁻¹²⁶ and got is within the absolute floor 2⁻¹²⁶·|delta| (plus
// the final rounding) of the exact product, +Inf if not.
func neonMulErr(got, delta, z float32) float64 {
	sp := neonSigmoidPrimeRef(z)
	want := float64(delta) * sp
	if math.IsNaN(want) { // ±Inf·0, as for delta = z = ±Inf in place
		if got != got {
			return 0
		}
		return math.Inf(1)
	}
	if sp < 0x1p-126 {
		if math.Abs(float64(got)-want) <= 0x1p-126*math.Abs(float64(delta))+math.Max(0x1p-149, math.Abs(want)*0x1p-24) {
			return 0
		}
		return math.Inf(1)
	}
	return neonULP(got, want, 0x1p-149)
}

func TestNEONMulSigmoidPrimeAccuracy(t *testing.T) {
	neonSkip(t)
	in := neonInputs()
	rng := rand.New(rand.NewPCG(1, 2))
	delta := make([]float32, len(in))
	for i := range delta {
		// |delta| ∈ [2⁻⁴⁰, 2⁴⁰) with random sign and mantissa
		delta[i] = float32(math.Ldexp(1+rng.Float64(), rng.IntN(80)-40))
		if rng.IntN(2) == 0 {
			delta[i] = -delta[i]
		}
	}
	var worst float64
	var at float32
	for n := 0; n <= 35; n++ {
		for off := 0; off < 4; off++ {
			for start := 0; start+n <= len(in); start += 997 * (n + 1) {
				z := make([]float32, off+n)
				d := make([]float32, off+n+1)
				copy(z[off:], in[start:start+n])
				copy(d[off:], delta[start:start+n])
				d[off+n] = -7
				mulSigmoidPrimeNEON(d[off:off+n], z[off:off+n])
				if d[off+n] != -7 {
					t.Fatalf("n=%d off=%d: wrote past delta", n, off)
				}
				for k := range n {
					v, dv, got := in[start+k], delta[start+k], d[off+k]
					if v != v {
						if got == got {
							t.Fatalf("mulSigmoidPrimeNEON: delta=%v z=NaN gave %v", dv, got)
						}
						continue
					}
					if u := neonMulErr(got, dv, v); u > worst {
						worst, at = u, v
					}
				}
			}
		}
	}
	// All inputs once, in one call, and in place (delta = z).
	d := slices.Clone(delta)
	mulSigmoidPrimeNEON(d, in)
	inPlace := slices.Clone(in)
	mulSigmoidPrimeNEON(inPlace, inPlace)
	for i, v := range in {
		if v != v {
			if d[i] == d[i] || inPlace[i] == inPlace[i] {
				t.Fatalf("mulSigmoidPrimeNEON: z=NaN did not give NaN")
			}
			continue
		}
		if u := neonMulErr(d[i], delta[i], v); u > worst {
			worst, at = u, v
		}
		if u := neonMulErr(inPlace[i], v, v); u > worst {
			worst, at = u, v
		}
	}
	t.Logf("mulSigmoidPrimeNEON: max error %.3f ULP (at z = %v)", worst, at)
	if worst > 4.5 {
		t.Errorf("mulSigmoidPrimeNEON: max error %.3f ULP at z = %v > 4.5", worst, at)
	}
}

// neonVec returns n random float32 in [−1, 1) with a few ±0, large and
// subnormal values mixed in when wild is set.
func neonVec(rng *rand.Rand, n int, wild bool) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(2*rng.Float64() - 1)
		if wild {
			switch rng.IntN(8) {
			case 0:
				x[i] *= 0x1p-140
			case 1:
				x[i] *= 1e30
			case 2:
				x[i] = 0
			}
		}
	}
	return x
}

func TestNEONBLAS1(t *testing.T) {
	neonSkip(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n <= 35; n++ {
		for off := 0; off < 4; off++ {
			x := neonVec(rng, off+n+1, false)
			y := neonVec(rng, off+n+1, false)
			x[off+n], y[off+n] = 1e30, 1e30 // guards: a read would change the result
			xs, ys := x[off:off+n], y[off:off+n]
			alpha := float32(2*rng.Float64() - 1)

			// axpy: every element one correctly rounded fused multiply-add.
			y0 := slices.Clone(y)
			axpyNEON(alpha, xs, ys)
			for i := range n {
				e := new(big.Float).SetPrec(200).SetFloat64(float64(alpha) * float64(xs[i])) // exact
				e.Add(e, new(big.Float).SetFloat64(float64(y0[off+i])))
				if want, _ := e.Float32(); ys[i] != want {
					t.Fatalf("axpyNEON n=%d off=%d: y[%d] = %v, want fma %v", n, off, i, ys[i], want)
				}
			}
			if y[off+n] != 1e30 || !slices.Equal(y[:off], y0[:off]) {
				t.Fatalf("axpyNEON n=%d off=%d: wrote outside y", n, off)
			}

			// scal: bit-identical to x[i]*alpha.
			x0 := slices.Clone(x)
			scalNEON(alpha, xs)
			for i := range n {
				if want := x0[off+i] * alpha; xs[i] != want {
					t.Fatalf("scalNEON n=%d: x[%d] = %v, want %v", n, i, xs[i], want)
				}
			}
			if x[off+n] != 1e30 || !slices.Equal(x[:off], x0[:off]) {
				t.Fatalf("scalNEON n=%d off=%d: wrote outside x", n, off)
			}

			// dot: within n·2⁻²⁴·Σ|x·y| of the float64 sum (whose own error
			// is far smaller).
			var ref, abs float64
			for i := range n {
				p := float64(xs[i]) * float64(ys[i])
				ref += p
				abs += math.Abs(p)
			}
			if got := dotNEON(xs, ys); math.Abs(float64(got)-ref) > float64(n)*0x1p-24*abs+0x1p-149 {
				t.Fatalf("dotNEON n=%d off=%d = %v, want %v ± %g", n, off, got, ref, float64(n)*0x1p-24*abs)
			}

			// sumSquares: relative error ≤ n·2⁻⁵³ against the exact sum.
			w := neonVec(rng, off+n+1, true)
			w[off+n] = float32(math.NaN())
			ws := w[off : off+n]
			exact := new(big.Float).SetPrec(2000)
			for _, v := range ws {
				s := new(big.Float).SetPrec(2000).SetFloat64(float64(v))
				exact.Add(exact, s.Mul(s, s))
			}
			want, _ := exact.Float64()
			if got := sumSquaresNEON(ws); math.Abs(got-want) > float64(n)*0x1p-53*want {
				t.Fatalf("sumSquaresNEON n=%d off=%d = %v, want %v", n, off, got, want)
			}
		}
	}
	// Specials.
	inf := float32(math.Inf(1))
	if got := sumSquaresNEON([]float32{1, -inf, 2, 3, 4, 5}); !math.IsInf(got, 1) {
		t.Errorf("sumSquaresNEON with -Inf = %v, want +Inf", got)
	}
	if got := sumSquaresNEON([]float32{1, 2, 3, 4, 5, float32(math.NaN())}); got == got {
		t.Errorf("sumSquaresNEON with NaN = %v, want NaN", got)
	}
	if got := sumSquaresNEON([]float32{0x1p-149, 0x1p-149, 0x1p-149}); got != 3*0x1p-298 {
		t.Errorf("sumSquaresNEON of three 2⁻¹⁴⁹ = %v, want 3·2⁻²⁹⁸", got)
	}
	if got := dotNEON([]float32{1, 2, 3, 4, 5, float32(math.NaN())}, []float32{1, 1, 1, 1, 1, 1}); got == got {
		t.Errorf("dotNEON with NaN = %v, want NaN", got)
	}
	// x and y the same slice.
	x := neonVec(rng, 37, false)
	x0 := slices.Clone(x)
	axpyNEON(0.5, x, x)
	for i := range x {
		if want := float32(float64(x0[i]) * 1.5); x[i] != want {
			t.Fatalf("axpyNEON in place: x[%d] = %v, want %v", i, x[i], want)
		}
	}
}

func TestNEONColSums(t *testing.T) {
	neonSkip(t)
	rng := rand.New(rand.NewPCG(5, 6))
	for rows := 1; rows <= 5; rows++ {
		for cols := 1; cols <= 35; cols++ {
			for _, pad := range []int{0, 1, 3, 16} {
				lda := cols + pad
				a := neonVec(rng, (rows-1)*lda+cols+1, true)
				a[len(a)-1] = float32(math.NaN()) // a read past the end would show
				a = a[:len(a)-1]
				want := make([]float32, cols)
				colSumsGeneric(want, a, rows, cols, lda)
				got := make([]float32, cols+1)
				got[cols] = -7
				colSumsNEON(got[:cols], a, rows, cols, lda)
				if got[cols] != -7 {
					t.Fatalf("colSumsNEON rows=%d cols=%d lda=%d wrote past dst", rows, cols, lda)
				}
				for j := range cols {
					if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
						t.Fatalf("colSumsNEON rows=%d cols=%d lda=%d: dst[%d] = %v, want %v (bit-identical)", rows, cols, lda, j, got[j], want[j])
					}
				}
			}
		}
	}
	// Larger, with rows in the hundreds.
	rows, cols, lda := 300, 77, 80
	a := neonVec(rng, (rows-1)*lda+cols, false)
	want, got := make([]float32, cols), make([]float32, cols)
	colSumsGeneric(want, a, rows, cols, lda)
	colSumsNEON(got, a, rows, cols, lda)
	if !slices.Equal(got, want) {
		t.Fatalf("colSumsNEON %dx%d: not bit-identical to colSumsGeneric", rows, cols)
	}
}

func TestNEONAllocs(t *testing.T) {
	neonSkip(t)
	x := make([]float32, 33)
	y := make([]float32, 33)
	n := testing.AllocsPerRun(10, func() {
		sigmoidNEON(y, x)
		sigmoidPrimeNEON(y, x)
		mulSigmoidPrimeNEON(y, x)
		axpyNEON(1, x, y)
		scalNEON(1, x)
		_ = dotNEON(x, y)
		_ = sumSquaresNEON(x)
		colSumsNEON(y[:11], x, 3, 11, 11)
	})
	if n != 0 {
		t.Errorf("NEON kernels allocate %v times per run, want 0", n)
	}
}
