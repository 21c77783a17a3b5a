package deltacore

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/deltacore/deltacore/internal/israce"
	"github.com/deltacore/deltacore/internal/memguard"
)

// gemvLevels returns the levels the Sgemv tests run: every available level
// at or below the DELTACORE_ISA cap, best first.
func gemvLevels() []Level {
	top := detected[0]
	if v := os.Getenv(EnvVar); v != "" {
		if l, err := ParseLevel(v); err == nil {
			top = capLevel(l)
		}
	}
	var ls []Level
	for _, l := range Levels() {
		if l == Generic || (l.x86() == top.x86() && l.rank() <= top.rank()) || l == top {
			ls = append(ls, l)
		}
	}
	return ls
}

// forEachGemvLevel runs f once per level (subtest isa=<level>) with that
// level active, restoring the previous level afterwards.
func forEachGemvLevel(t *testing.T, f func(t *testing.T)) {
	for _, l := range gemvLevels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			old := CurrentLevel()
			if err := SetLevel(l); err != nil {
				t.Skip(err)
			}
			t.Cleanup(func() { SetLevel(old) })
			f(t)
		})
	}
}

// gemvCase is one Sgemv call with its operands. A's padding columns and
// the gaps of a strided x hold NaN (an overread poisons the result); the
// gaps of a strided y hold gemvSentinel, which must survive; with beta == 0
// the elements of y hold NaN, which must not survive.
type gemvCase struct {
	tA          Transpose
	m, n, lda   int
	alpha, beta float32
	a, x, y     []float32
	incX, incY  int
}

const gemvSentinel = 4321.25

func (g *gemvCase) String() string {
	return fmt.Sprintf("%c m=%d n=%d lda=%d alpha=%v beta=%v incX=%d incY=%d",
		g.tA, g.m, g.n, g.lda, g.alpha, g.beta, g.incX, g.incY)
}

func (g *gemvCase) lens() (lenX, lenY int) {
	if g.tA == Trans {
		return g.m, g.n
	}
	return g.n, g.m
}

// vecIndex returns where element i of a BLAS vector of n elements with
// increment inc lies in its slice.
func vecIndex(i, n, inc int) int {
	if inc > 0 {
		return i * inc
	}
	return (n - 1 - i) * -inc
}

// stridedVec returns a slice holding n random values in [-1, 1) as a BLAS
// vector with increment inc, gaps filled with gap.
func stridedVec(rng *rand.Rand, n, inc int, gap float32) []float32 {
	if n == 0 {
		return nil
	}
	ai := inc
	if ai < 0 {
		ai = -ai
	}
	v := make([]float32, (n-1)*ai+1)
	for i := range v {
		v[i] = gap
	}
	for i := 0; i < n; i++ {
		v[vecIndex(i, n, inc)] = float32(rng.Float64()*2 - 1)
	}
	return v
}

func newGemvCase(rng *rand.Rand, tA Transpose, m, n, pad int, alpha, beta float32, incX, incY int) *gemvCase {
	g := &gemvCase{tA: tA, m: m, n: n, lda: max(1, n) + pad, alpha: alpha, beta: beta, incX: incX, incY: incY}
	g.a = randMatrix(rng, m, n, g.lda, float32(math.NaN()))
	lenX, lenY := g.lens()
	g.x = stridedVec(rng, lenX, incX, float32(math.NaN()))
	g.y = stridedVec(rng, lenY, incY, gemvSentinel)
	if beta == 0 {
		for i := 0; i < lenY; i++ {
			g.y[vecIndex(i, lenY, incY)] = float32(math.NaN())
		}
	}
	return g
}

// refGemv returns the float64 reference of y = alpha*op(A)*x + beta*y and
// the error scale |alpha|·Σ_j|op(A)_ij·x_j| + |beta·y_i| of each element,
// from y0, the y before the call.
func refGemv(g *gemvCase, y0 []float32) (ref, scale []float64) {
	lenX, lenY := g.lens()
	ref = make([]float64, lenY)
	scale = make([]float64, lenY)
	for i := 0; i < lenY; i++ {
		var s, sa float64
		if g.alpha != 0 {
			for j := 0; j < lenX; j++ {
				v := opAt(g.a, g.lda, g.tA, i, j) * float64(g.x[vecIndex(j, lenX, g.incX)])
				s += v
				sa += math.Abs(v)
			}
		}
		r := float64(g.alpha) * s
		sc := math.Abs(float64(g.alpha)) * sa
		if g.beta != 0 {
			yv := float64(g.beta) * float64(y0[vecIndex(i, lenY, g.incY)])
			r += yv
			sc += math.Abs(yv)
		}
		ref[i], scale[i] = r, sc
	}
	return ref, scale
}

// checkGemv compares y with the reference against the documented bound
// 2·(k+1)·2⁻²⁴·scale (+ underflow), and checks that y's gaps hold the
// sentinel.
func checkGemv(t *testing.T, g *gemvCase, ref, scale []float64, what string) {
	t.Helper()
	const eps = 1.0 / (1 << 24)
	lenX, lenY := g.lens()
	bad := 0
	for p, got := range g.y {
		i := -1
		if p%absInc(g.incY) == 0 {
			i = p / absInc(g.incY)
			if g.incY < 0 {
				i = lenY - 1 - i
			}
		}
		if i < 0 {
			if got != gemvSentinel {
				t.Fatalf("%s %v: gap y[%d] = %v changed", what, g, p, got)
			}
			continue
		}
		tol := 2*float64(lenX+1)*eps*scale[i] + 1e-35
		if math.IsNaN(float64(got)) || math.Abs(float64(got)-ref[i]) > tol {
			if bad < 5 {
				t.Errorf("%s %v: y_%d = %v, want %v (tol %g)", what, g, i, got, ref[i], tol)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Fatalf("%s %v: %d bad elements", what, g, bad)
	}
}

func runGemvCase(t *testing.T, g *gemvCase) {
	t.Helper()
	y0 := append([]float32(nil), g.y...)
	ref, scale := refGemv(g, y0)
	Sgemv(g.tA, g.m, g.n, g.alpha, g.a, g.lda, g.x, g.incX, g.beta, g.y, g.incY)
	if g.m == 0 || g.n == 0 {
		// Nothing happens, not even y = beta*y (BLAS's quick return).
		for i := range y0 {
			if math.Float32bits(g.y[i]) != math.Float32bits(y0[i]) {
				t.Fatalf("Sgemv %v: y[%d] = %v changed to %v", g, i, y0[i], g.y[i])
			}
		}
		return
	}
	checkGemv(t, g, ref, scale, "Sgemv")
}

var (
	gemvIncs       = []int{1, 2, 3, -1, -2}
	gemvAlphaBetas = [][2]float32{{1, 0}, {1, 1}, {-1.5, 0.75}, {0.5, -2}, {0, 0}, {0, 1}, {0, -1.5}, {1, 0.5}}
)

// gemvRowDims and gemvColDims are the sizes the sweep uses for m and n: 0,
// 1, every size around the row blocks (4) and the vector widths (4, 8, 16
// lanes, two blocks per iteration), and a few larger ones.
var (
	gemvRowDims = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 31, 32, 33, 100}
	gemvColDims = func() []int {
		var ds []int
		for d := 0; d <= 4*maxVecLanes+3; d++ {
			ds = append(ds, d)
		}
		return append(ds, 100, 255, 1000)
	}()
)

const maxVecLanes = 16

// TestGemvStrides runs every increment pair and alpha/beta pair on small
// shapes of both transposes.
func TestGemvStrides(t *testing.T) {
	forEachGemvLevel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, s := range [][2]int{{0, 0}, {0, 3}, {3, 0}, {1, 1}, {1, 5}, {5, 1}, {3, 17}, {17, 3}, {9, 33}, {33, 9}} {
			for _, tA := range []Transpose{NoTrans, Trans} {
				for _, ix := range gemvIncs {
					for _, iy := range gemvIncs {
						for _, ab := range gemvAlphaBetas {
							runGemvCase(t, newGemvCase(rng, tA, s[0], s[1], 1, ab[0], ab[1], ix, iy))
						}
					}
				}
			}
		}
	})
}

// TestGemvSizes sweeps m and n over gemvRowDims × gemvColDims (both ways
// round) for both transposes, with unit strides mostly and a random other
// increment pair sometimes, then a few large shapes.
func TestGemvSizes(t *testing.T) {
	forEachGemvLevel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		cols := gemvColDims
		if israce.Enabled || testing.Short() || os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
			// Around the vector widths only: the race detector and
			// emulators run the sweep some 20 times slower.
			cols = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100}
		}
		for _, m := range gemvRowDims {
			for _, n := range cols {
				for _, tA := range []Transpose{NoTrans, Trans} {
					ab := gemvAlphaBetas[rng.IntN(4)]
					ix, iy := 1, 1
					if rng.IntN(4) == 0 {
						ix, iy = gemvIncs[rng.IntN(5)], gemvIncs[rng.IntN(5)]
					}
					// Both transposes see every size as m and as n.
					runGemvCase(t, newGemvCase(rng, tA, m, n, rng.IntN(3), ab[0], ab[1], ix, iy))
					runGemvCase(t, newGemvCase(rng, tA, n, m, rng.IntN(3), ab[0], ab[1], ix, iy))
				}
			}
		}
		large := [][2]int{{1000, 1000}, {257, 1031}, {1031, 257}}
		if israce.Enabled || os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
			large = large[1:]
		}
		for _, s := range large {
			for _, tA := range []Transpose{NoTrans, Trans} {
				runGemvCase(t, newGemvCase(rng, tA, s[0], s[1], 3, 1, 0.5, 1, 1))
			}
		}
	})
}

// TestGemvAlphaZero checks that alpha == 0 reads neither A nor x (both
// NaN) and scales y exactly; beta == 1 then leaves y untouched.
func TestGemvAlphaZero(t *testing.T) {
	forEachGemvLevel(t, func(t *testing.T) {
		nan := float32(math.NaN())
		a := []float32{nan, nan, nan, nan, nan, nan}
		x := []float32{nan, nan, nan}
		for _, beta := range []float32{0, 1, -2} {
			y := []float32{1.5, -3}
			Sgemv(NoTrans, 2, 3, 0, a, 3, x, 1, beta, y, 1)
			if y[0] != 1.5*beta || y[1] != -3*beta {
				t.Fatalf("beta %v: y = %v", beta, y)
			}
		}
		// beta == 0 with NaN in y and a non-zero alpha: y is not read.
		y := []float32{nan, nan}
		Sgemv(Trans, 3, 2, 1, []float32{1, 2, 3, 4, 5, 6}, 2, []float32{1, 1, 1}, 1, 0, y, 1)
		if y[0] != 9 || y[1] != 12 {
			t.Fatalf("beta 0: y = %v, want [9 12]", y)
		}
	})
}

// TestGemvGuardPages places A, x and y each against a PROT_NONE page, at
// their end and at their start, so that any access outside the slices
// faults, over shapes around every vector width and row block.
func TestGemvGuardPages(t *testing.T) {
	if !memguard.Supported {
		t.Skip("no guard pages on this OS")
	}
	forEachGemvLevel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		var shapes [][2]int
		for _, m := range []int{1, 2, 3, 4, 5, 7, 8, 9, 13} {
			for _, n := range []int{1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100} {
				shapes = append(shapes, [2]int{m, n})
			}
		}
		for _, s := range shapes {
			for _, tA := range []Transpose{NoTrans, Trans} {
				for _, atEnd := range []bool{true, false} {
					for _, beta := range []float32{0, 1} {
						g := newGemvCase(rng, tA, s[0], s[1], 0, 1, beta, 1, 1)
						var bufs []*memguard.Buffer
						guard := func(v []float32) []float32 {
							buf, err := memguard.New(len(v))
							if err != nil {
								t.Fatal(err)
							}
							bufs = append(bufs, buf)
							var w []float32
							if atEnd {
								w = buf.AtEnd(len(v))
							} else {
								w = buf.AtStart(len(v))
							}
							copy(w, v)
							return w
						}
						g.a, g.x, g.y = guard(g.a), guard(g.x), guard(g.y)
						y0 := append([]float32(nil), g.y...)
						ref, scale := refGemv(g, y0)
						if addr, bad := faults(func() {
							Sgemv(g.tA, g.m, g.n, g.alpha, g.a, g.lda, g.x, g.incX, g.beta, g.y, g.incY)
						}); bad {
							t.Fatalf("%v (atEnd %v): fault at %#x", g, atEnd, addr)
						}
						checkGemv(t, g, ref, scale, "guarded Sgemv")
						for _, b := range bufs {
							b.Free()
						}
					}
				}
			}
		}
	})
}

// TestGemvPanics checks that bad arguments panic, before anything is
// written, with a message naming the argument.
func TestGemvPanics(t *testing.T) {
	v := make([]float32, 100)
	cases := []struct {
		name string
		f    func()
		want string
	}{
		{"tA", func() { Sgemv('C', 2, 2, 1, v, 2, v[50:], 1, 0, v[60:], 1) }, "tA"},
		{"m", func() { Sgemv(NoTrans, -1, 2, 1, v, 2, v[50:], 1, 0, v[60:], 1) }, "m = -1"},
		{"n", func() { Sgemv(NoTrans, 2, -1, 1, v, 2, v[50:], 1, 0, v[60:], 1) }, "n = -1"},
		{"lda", func() { Sgemv(NoTrans, 2, 3, 1, v, 2, v[50:], 1, 0, v[60:], 1) }, "lda"},
		{"lda0", func() { Sgemv(NoTrans, 0, 0, 1, v, 0, v[50:], 1, 0, v[60:], 1) }, "lda"},
		{"incX", func() { Sgemv(NoTrans, 2, 2, 1, v, 2, v[50:], 0, 0, v[60:], 1) }, "incX"},
		{"incY", func() { Sgemv(NoTrans, 2, 2, 1, v, 2, v[50:], 1, 0, v[60:], 0) }, "incY"},
		{"lenx", func() { Sgemv(NoTrans, 2, 3, 1, v, 3, v[50:52], 1, 0, v[60:], 1) }, "len(x)"},
		{"lenxT", func() { Sgemv(Trans, 3, 2, 1, v, 2, v[50:54], 2, 0, v[60:], 1) }, "len(x)"},
		{"lenxNeg", func() { Sgemv(Trans, 3, 2, 1, v, 2, v[50:54], -2, 0, v[60:], 1) }, "len(x)"},
		{"lenxEmpty", func() { Sgemv(Trans, 1, 2, 1, v, 2, nil, 1, 0, v[60:], 1) }, "len(x)"},
		{"lenxMinInt", func() { Sgemv(Trans, 2, 2, 1, v, 2, v[50:], math.MinInt, 0, v[60:], 1) }, "len(x)"},
		{"lenxHuge", func() { Sgemv(Trans, 3, 2, 1, v, 2, v[50:], math.MaxInt/2+1, 0, v[60:], 1) }, "len(x)"},
		{"leny", func() { Sgemv(NoTrans, 3, 2, 1, v, 2, v[50:], 1, 0, v[60:62], 1) }, "len(y)"},
		{"lenyT", func() { Sgemv(Trans, 2, 3, 1, v, 3, v[50:], 1, 0, v[60:64], -2) }, "len(y)"},
		{"lena", func() { Sgemv(NoTrans, 10, 10, 1, v[:99], 10, v, 1, 0, v, 1) }, "len(a)"},
		{"lenaShort", func() { Sgemv(NoTrans, 1, 10, 1, v[:9], 10, v, 1, 0, v, 1) }, "len(a)"},
		{"lenaHuge", func() { Sgemv(NoTrans, 5, 2, 1, v, math.MaxInt/2, v[50:], 1, 0, v[60:], 1) }, "len(a)"},
		{"overlapA", func() { Sgemv(NoTrans, 2, 2, 1, v, 2, v[50:], 1, 0, v[3:], 1) }, "overlap"},
		{"overlapX", func() { Sgemv(NoTrans, 2, 2, 1, v, 2, v[50:], 1, 0, v[51:], 1) }, "overlap"},
		{"overlapXStrided", func() { Sgemv(NoTrans, 3, 2, 1, v, 2, v[50:], 1, 0, v[47:], 2) }, "overlap"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := append([]float32(nil), v...)
			defer func() {
				r := recover()
				s, _ := r.(string)
				if r == nil || !strings.Contains(s, c.want) || !strings.HasPrefix(s, "deltacore: Sgemv: ") {
					t.Fatalf("panic %v, want a message naming %q", r, c.want)
				}
				for i := range v {
					if v[i] != before[i] {
						t.Fatalf("v[%d] changed before the panic", i)
					}
				}
			}()
			c.f()
		})
	}
}

// TestGemvAllocs checks that unit and strided calls allocate nothing once
// the engine's scratch buffers exist, also after garbage collections, on
// the default engine and on an engine of the caller's.
func TestGemvAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocation counts differ under coverage")
	}
	forEachGemvLevel(t, func(t *testing.T) {
		a := make([]float32, 300*200)
		x := make([]float32, 3*300)
		y := make([]float32, 3*300)
		own := testEngine(t, EngineConfig{MaxBufferBytes: 64 << 10})
		for _, e := range []*Engine{nil, own} {
			for _, tA := range []Transpose{NoTrans, Trans} {
				for _, inc := range []int{1, 3, -2} {
					f := func() { e.Sgemv(tA, 300, 200, 1, a, 200, x, inc, 0.5, y, -inc) }
					if allocs := testing.AllocsPerRun(20, f); allocs != 0 {
						t.Errorf("engine %p: Sgemv %c inc %d: %v allocs per call", e, tA, inc, allocs)
					}
					gc := func() { runtime.GC(); runtime.GC(); f() }
					if allocs := testing.AllocsPerRun(3, gc); allocs != 0 {
						t.Errorf("engine %p: Sgemv %c inc %d after two GCs: %v allocs per call", e, tA, inc, allocs)
					}
				}
			}
		}
	})
}

// TestGemvEngineScratch checks that strided Sgemv keeps its scratch vectors
// in the engine it runs on, not process-wide: kept by that engine only,
// within its MaxBufferBytes (vectors longer than the bound are dropped
// after the call), none with a negative bound, and right results whether
// the scratch was kept or not.
func TestGemvEngineScratch(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, c := range []struct {
		limit, m, n int
		kept        bool
	}{
		{4 << 10, 300, 200, true},  // 2·300 floats of scratch fit: kept
		{4 << 10, 600, 600, false}, // 2·600 floats > 4 KiB: dropped
		{-1, 300, 200, false},      // nothing kept
	} {
		e := testEngine(t, EngineConfig{MaxBufferBytes: c.limit})
		before := defaultEngine.keptBufferBytes()
		for _, tA := range []Transpose{NoTrans, Trans} {
			g := newGemvCase(rng, tA, c.m, c.n, 0, 1.5, 0.5, 2, -3)
			y0 := append([]float32(nil), g.y...)
			ref, scale := refGemv(g, y0)
			e.Sgemv(g.tA, g.m, g.n, g.alpha, g.a, g.lda, g.x, g.incX, g.beta, g.y, g.incY)
			checkGemv(t, g, ref, scale, "engine Sgemv")
		}
		kept := e.keptBufferBytes()
		switch {
		case kept > max(c.limit, 0):
			t.Errorf("MaxBufferBytes %d, %d×%d: %d bytes kept", c.limit, c.m, c.n, kept)
		case c.kept && kept == 0:
			t.Errorf("MaxBufferBytes %d, %d×%d: scratch not kept", c.limit, c.m, c.n)
		case !c.kept && kept != 0:
			t.Errorf("MaxBufferBytes %d, %d×%d: %d bytes kept, want none", c.limit, c.m, c.n, kept)
		}
		if after := defaultEngine.keptBufferBytes(); after != before {
			t.Errorf("MaxBufferBytes %d: the default engine's buffers went from %d to %d bytes", c.limit, before, after)
		}
	}
}

// TestGemvConcurrent runs strided calls (which share the default engine's
// scratch buffers) from several goroutines and checks each result bit for bit against
// the same call made alone.
func TestGemvConcurrent(t *testing.T) {
	forEachGemvLevel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 10))
		const workers, calls = 4, 20
		cases := make([]*gemvCase, workers)
		want := make([][]float32, workers)
		for w := range cases {
			tA := []Transpose{NoTrans, Trans}[w%2]
			g := newGemvCase(rng, tA, 37+w, 45-w, 1, 1.5, 0.5, gemvIncs[w+1], gemvIncs[4-w])
			cases[w] = g
			want[w] = append([]float32(nil), g.y...)
			Sgemv(g.tA, g.m, g.n, g.alpha, g.a, g.lda, g.x, g.incX, g.beta, want[w], g.incY)
		}
		var wg sync.WaitGroup
		errs := make([]string, workers)
		for w, g := range cases {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range calls {
					y := append([]float32(nil), g.y...)
					Sgemv(g.tA, g.m, g.n, g.alpha, g.a, g.lda, g.x, g.incX, g.beta, y, g.incY)
					for i := range y {
						if math.Float32bits(y[i]) != math.Float32bits(want[w][i]) {
							errs[w] = fmt.Sprintf("%v: y[%d] = %v, alone %v", g, i, y[i], want[w][i])
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		for _, e := range errs {
			if e != "" {
				t.Error(e)
			}
		}
	})
}
