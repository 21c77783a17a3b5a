package deltacore

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/deltacore/deltacore/internal/israce"
	"github.com/deltacore/deltacore/internal/memguard"
)

// forEachGemmLevel runs f once per level this CPU can run, as subtest
// isa=<level>, with that level active; the previous level is restored after.
// Under the race detector it runs the current level only (CI's race pass
// sets DELTACORE_ISA=generic, whose Go kernels the detector instruments;
// the assembly levels run in the passes without -race, and took two thirds
// of the race pass's time in the root package).
func forEachGemmLevel(t *testing.T, f func(t *testing.T, kn *gemmKernel)) {
	cur := CurrentLevel()
	for _, l := range Levels() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			if israce.Enabled && l != cur {
				t.Skipf("race detector: only the current level, %v", cur)
			}
			old := CurrentLevel()
			if err := SetLevel(l); err != nil {
				t.Skip(err)
			}
			t.Cleanup(func() { SetLevel(old) })
			f(t, gemmImplFor(l))
		})
	}
}

// gemmCase is one Sgemm call with its operands.
type gemmCase struct {
	tA, tB        Transpose
	m, n, k       int
	alpha, beta   float32
	a, b, c       []float32
	lda, ldb, ldc int
}

func (g *gemmCase) String() string {
	return fmt.Sprintf("%c%c m=%d n=%d k=%d alpha=%v beta=%v lda=%d ldb=%d ldc=%d",
		g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.beta, g.lda, g.ldb, g.ldc)
}

// newGemmCase builds operands with row strides pad larger than the minimum.
// Padding elements of A and B are NaN, so reading them poisons the result;
// padding of C holds a sentinel that must survive. With beta == 0, C holds
// NaN, which must not survive.
func newGemmCase(rng *rand.Rand, tA, tB Transpose, m, n, k int, alpha, beta float32, pad int) *gemmCase {
	g := &gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, beta: beta}
	aRows, aCols := m, k
	if tA == Trans {
		aRows, aCols = k, m
	}
	bRows, bCols := k, n
	if tB == Trans {
		bRows, bCols = n, k
	}
	g.lda, g.ldb, g.ldc = max(1, aCols)+pad, max(1, bCols)+pad, max(1, n)+pad
	g.a = randMatrix(rng, aRows, aCols, g.lda, float32(math.NaN()))
	g.b = randMatrix(rng, bRows, bCols, g.ldb, float32(math.NaN()))
	g.c = randMatrix(rng, m, n, g.ldc, gemmSentinel)
	if beta == 0 {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				g.c[i*g.ldc+j] = float32(math.NaN())
			}
		}
	}
	return g
}

const gemmSentinel = 12345.5

// randMatrix returns rows×cols values in [-1, 1) with row stride ld; the
// padding columns hold fill. The slice ends right after the last used
// element.
func randMatrix(rng *rand.Rand, rows, cols, ld int, fill float32) []float32 {
	n := 0
	if rows > 0 && cols > 0 {
		n = (rows-1)*ld + cols
	}
	x := make([]float32, n)
	for i := range x {
		if i%ld < cols {
			x[i] = float32(rng.Float64()*2 - 1)
		} else {
			x[i] = fill
		}
	}
	return x
}

// opAt returns op(X)[r, c] for a matrix X stored with row stride ld.
// packedLD returns the leading dimensions of op(A) (m×k) and op(B) (k×n)
// stored without padding, as the tests and benchmarks lay them out.
func packedLD(tA, tB Transpose, m, n, k int) (lda, ldb int) {
	lda, ldb = k, n
	if tA == Trans {
		lda = m
	}
	if tB == Trans {
		ldb = k
	}
	return lda, ldb
}

func opAt(x []float32, ld int, t Transpose, r, c int) float64 {
	if t == Trans {
		return float64(x[c*ld+r])
	}
	return float64(x[r*ld+c])
}

// refGemm returns the float64 reference of C = alpha*op(A)*op(B) + beta*C
// and the error scale Σ_p |α·a_ip·b_pj| + |β·c_ij| of every element, from
// the operands before the call (c0 is C before the call).
func refGemm(g *gemmCase, c0 []float32) (ref, scale []float64) {
	ref = make([]float64, g.m*g.n)
	scale = make([]float64, g.m*g.n)
	for i := 0; i < g.m; i++ {
		for j := 0; j < g.n; j++ {
			var s, sa float64
			for p := 0; p < g.k; p++ {
				v := opAt(g.a, g.lda, g.tA, i, p) * opAt(g.b, g.ldb, g.tB, p, j)
				s += v
				sa += math.Abs(v)
			}
			r := float64(g.alpha) * s
			sc := math.Abs(float64(g.alpha)) * sa
			if g.alpha == 0 {
				r, sc = 0, 0
			}
			if g.beta != 0 {
				cv := float64(g.beta) * float64(c0[i*g.ldc+j])
				r += cv
				sc += math.Abs(cv)
			}
			ref[i*g.n+j] = r
			scale[i*g.n+j] = sc
		}
	}
	return ref, scale
}

// checkGemm compares C with the reference element-wise against the bound
// 2·k·2⁻²⁴·scale + tiny, and checks that C's padding is untouched.
func checkGemm(t *testing.T, g *gemmCase, ref, scale []float64, what string) {
	t.Helper()
	const eps = 1.0 / (1 << 24)
	bad := 0
	for i := 0; i < g.m; i++ {
		for j := 0; j < g.ldc && i*g.ldc+j < len(g.c); j++ {
			got := g.c[i*g.ldc+j]
			if j >= g.n {
				if got != gemmSentinel {
					t.Errorf("%s %v: padding C[%d,%d] = %v changed", what, g, i, j, got)
					return
				}
				continue
			}
			want := ref[i*g.n+j]
			tol := 2*float64(max(g.k, 1))*eps*scale[i*g.n+j] + 1e-30
			if math.IsNaN(float64(got)) || math.Abs(float64(got)-want) > tol {
				if bad < 5 {
					t.Errorf("%s %v: C[%d,%d] = %v, want %v (tol %g)", what, g, i, j, got, want, tol)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%s %v: %d bad elements", what, g, bad)
	}
}

// runGemmCase calls Sgemm on g and checks the result.
func runGemmCase(t *testing.T, g *gemmCase) {
	t.Helper()
	c0 := append([]float32(nil), g.c...)
	ref, scale := refGemm(g, c0)
	Sgemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc)
	checkGemm(t, g, ref, scale, "Sgemm")
}

var (
	gemmTrans  = [4][2]Transpose{{NoTrans, NoTrans}, {NoTrans, Trans}, {Trans, NoTrans}, {Trans, Trans}}
	gemmAlphas = []float32{1, -1.5, 0}
	gemmBetas  = []float32{0, 1, -1.5}
)

// TestSgemmSizes sweeps every m, n and k in 0…2·max(MR, NR)+3 of the level:
// all (m, n) pairs with k cycling through a sample, and all k with (m, n)
// cycling; the transposes, alpha, beta and stride padding rotate along.
func TestSgemmSizes(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(1, 2))
		top := 2*max(kn.mr, kn.nr) + 3
		ks := []int{0, 1, 2, 3, 7, 8, 16, 17, 33, top}
		idx := 0
		next := func(m, n, k int) {
			tr := gemmTrans[idx%4]
			alpha := gemmAlphas[(idx/4)%3]
			if idx%7 == 0 {
				alpha = 1
			}
			beta := gemmBetas[(idx/12)%3]
			g := newGemmCase(rng, tr[0], tr[1], m, n, k, alpha, beta, idx%3)
			runGemmCase(t, g)
			idx++
		}
		for m := 0; m <= top; m++ {
			for n := 0; n <= top; n++ {
				next(m, n, ks[(m+n)%len(ks)])
			}
		}
		mns := []int{1, 5, kn.mr, kn.mr + 1, kn.nr - 1, kn.nr, 2*kn.mr + 3, top}
		for k := 0; k <= top; k++ {
			for _, m := range mns {
				next(m, mns[(k+m)%len(mns)], k)
			}
		}
	})
}

// TestSgemmLarge runs large and odd shapes, including ones that cross the
// kc, mc and nc blocks of the packed path, in all four transpose modes.
func TestSgemmLarge(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(3, 4))
		shapes := [][3]int{
			{257, 131, 300},
			{kn.mc + 7, kn.nr*3 + 5, kn.kc + 1},
			{2*kn.mc + 1, 2*kn.nr + 1, 2*kn.kc + 3},
			{150, 2*kn.nc + 13, kn.kc + 101},
			{1000, 30, 30}, {30, 300, 1000}, {10, 30, 784}, {400, 400, 64},
			// A·Bᵀ on the swap path (n·k > directMaxB): one partial
			// panel, a few rows past a full panel (dot tile), two
			// panels and a bit; one or two rows (gemv path, one block
			// of B and several).
			{20, 1000, 100}, {kn.nr + 5, 800, 129}, {2*kn.nr + 3, 1600, 65}, {2*kn.nr + 9, 1000, 100},
			{kn.nr + 1, 1000, 100}, {1, 333, 100}, {1, 70, 2000}, {2, 301, 100},
		}
		if os.Getenv("DELTACORE_SLOW_EMULATION") != "" && !testing.Short() {
			// Under emulation without -short (the arm64 cpu-max pass,
			// where this test took a third of the time): the large
			// shapes on fewer rows or columns, each still past its
			// blocks or bounds (257×131×300 is covered by the others).
			// -short and -race skip the shapes over 4 Mi multiply-adds.
			shapes = slices.DeleteFunc(shapes, func(s [3]int) bool { return s == [3]int{257, 131, 300} })
			for i, s := range shapes {
				switch s {
				case [3]int{150, 2*kn.nc + 13, kn.kc + 101}:
					shapes[i][0] = kn.mr + 1
				case [3]int{30, 300, 1000}:
					shapes[i][1] = 120
				case [3]int{400, 400, 64}:
					shapes[i] = [3]int{200, 200, 64}
				}
			}
		}
		for si, s := range shapes {
			if (testing.Short() || israce.Enabled) && s[0]*s[1]*s[2] > 4<<20 {
				continue // the float64 reference is slow under -race
			}
			for ti, tr := range gemmTrans {
				beta := gemmBetas[(si+ti)%3]
				g := newGemmCase(rng, tr[0], tr[1], s[0], s[1], s[2], -1.5, beta, (si+ti)%2)
				runGemmCase(t, g)
			}
		}
	})
}

// TestSgemmAlphaZero checks that alpha == 0 and k == 0 only scale C and
// never read A or B (here: they hold NaN).
func TestSgemmAlphaZero(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		for _, k := range []int{0, 5} {
			for _, alpha := range []float32{0, 2} {
				if k != 0 && alpha != 0 {
					continue
				}
				for _, beta := range gemmBetas {
					m, n := 7, 9
					a := make([]float32, m*max(k, 1))
					b := make([]float32, max(k, 1)*n)
					for i := range a {
						a[i] = float32(math.NaN())
					}
					for i := range b {
						b[i] = float32(math.NaN())
					}
					c := make([]float32, m*n)
					for i := range c {
						c[i] = float32(i)
						if beta == 0 {
							c[i] = float32(math.NaN())
						}
					}
					Sgemm(NoTrans, NoTrans, m, n, k, alpha, a, max(k, 1), b, n, beta, c, n)
					for i, v := range c {
						want := beta * float32(i)
						if beta == 0 {
							want = 0
						}
						if v != want {
							t.Fatalf("k=%d alpha=%v beta=%v: c[%d] = %v, want %v", k, alpha, beta, i, v, want)
						}
					}
				}
			}
		}
	})
}

// faults reports whether f faulted on a memory access (a guard page).
func faults(f func()) (addr uintptr, faulted bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(interface{ Addr() uintptr }); ok {
				addr = e.Addr()
			}
			faulted = true
			if _, ok := r.(interface{ Addr() uintptr }); !ok {
				panic(r)
			}
		}
	}()
	f()
	return 0, false
}

// TestSgemmGuardPages places A, B and C each against a PROT_NONE page, at
// their end and at their start, so that any access outside the slices
// faults, over edge shapes of every tile and both paths.
func TestSgemmGuardPages(t *testing.T) {
	if !memguard.Supported {
		t.Skip("no guard pages on this OS")
	}
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(5, 6))
		shapes := [][3]int{
			{1, 1, 1}, {kn.mr - 1, kn.nr - 1, 3}, {kn.mr + 1, kn.nr + 1, 5}, {2*kn.mr + 3, 2*kn.nr + 3, 17},
			{3, 2*kn.nr + 3, 2}, {5, 9, 40}, {kn.mc + 5, kn.nr + 3, kn.kc + 3}, {130, 70, 1100},
			// The dot tiles (A·Bᵀ, few rows) with partial last blocks
			// of rows and columns: 4×4 for 6×7, 5×3 (AVX-512) for 9×31
			// and 7×5.
			{6, 7, 33}, {9, 31, 37}, {7, 5, 20},
			// The swap path (A·Bᵀ, 16…128 rows, k ≥ 64, n·k >
			// directMaxB), with the dot tile on the rows past a full
			// panel (the gemv kernel for one or two when MR is a
			// multiple of 4); one and two rows of A·Bᵀ on the gemv path.
			{kn.nr + 3, 1600 + kn.mr - 1, 65}, {kn.nr + 2, 1600 + 3, 64}, {17, 1600 + 5, 64}, {1, 37, 40}, {2, 6, 17},
		}
		reduced := reducedTests()
		if reduced {
			// Under -short, -race or emulation (where this test took 38 s
			// of the qemu Haswell pass): the packed shape on fewer rows
			// (still past mc, a partial panel and kc block), and below,
			// each transpose pair with both ends and both betas but not
			// all four pairings.
			i := slices.Index(shapes, [3]int{130, 70, 1100})
			shapes[i] = [3]int{kn.mc + 5, 2*kn.nr + 3, directMaxK + 6}
		}
		for _, s := range shapes {
			for ti, tr := range gemmTrans {
				for ai, atEnd := range []bool{true, false} {
					for bi, beta := range []float32{0, 1} {
						if reduced && (ti+ai)%2 != bi {
							continue
						}
						g := newGemmCase(rng, tr[0], tr[1], s[0], s[1], s[2], 1, beta, 1)
						var bufs []*memguard.Buffer
						guard := func(x []float32) []float32 {
							buf, err := memguard.New(len(x))
							if err != nil {
								t.Fatal(err)
							}
							bufs = append(bufs, buf)
							var y []float32
							if atEnd {
								y = buf.AtEnd(len(x))
							} else {
								y = buf.AtStart(len(x))
							}
							copy(y, x)
							return y
						}
						g.a, g.b, g.c = guard(g.a), guard(g.b), guard(g.c)
						c0 := append([]float32(nil), g.c...)
						ref, scale := refGemm(g, c0)
						if addr, bad := faults(func() {
							Sgemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc)
						}); bad {
							t.Fatalf("%v (atEnd %v): fault at %#x", g, atEnd, addr)
						}
						checkGemm(t, g, ref, scale, "guarded Sgemm")
						for _, b := range bufs {
							b.Free()
						}
					}
				}
			}
		}
	})
}

// TestSgemmPanics checks that bad arguments panic with a message naming the
// argument.
func TestSgemmPanics(t *testing.T) {
	x := make([]float32, 100)
	cases := []struct {
		name string
		f    func()
		want string
	}{
		{"tA", func() { Sgemm('X', NoTrans, 2, 2, 2, 1, x, 2, x, 2, 0, x, 2) }, "tA"},
		{"tB", func() { Sgemm(NoTrans, 0, 2, 2, 2, 1, x, 2, x, 2, 0, x, 2) }, "tB"},
		{"m", func() { Sgemm(NoTrans, NoTrans, -1, 2, 2, 1, x, 2, x, 2, 0, x, 2) }, "m = -1"},
		{"n", func() { Sgemm(NoTrans, NoTrans, 2, -1, 2, 1, x, 2, x, 2, 0, x, 2) }, "n = -1"},
		{"k", func() { Sgemm(NoTrans, NoTrans, 2, 2, -1, 1, x, 2, x, 2, 0, x, 2) }, "k = -1"},
		{"lda", func() { Sgemm(NoTrans, NoTrans, 2, 2, 3, 1, x, 2, x, 2, 0, x, 2) }, "lda"},
		{"ldaT", func() { Sgemm(Trans, NoTrans, 3, 2, 2, 1, x, 2, x, 2, 0, x, 2) }, "lda"},
		{"ldb", func() { Sgemm(NoTrans, NoTrans, 2, 3, 2, 1, x, 2, x, 2, 0, x, 3) }, "ldb"},
		{"ldbT", func() { Sgemm(NoTrans, Trans, 2, 2, 3, 1, x, 3, x, 2, 0, x, 2) }, "ldb"},
		{"ldc", func() { Sgemm(NoTrans, NoTrans, 2, 3, 2, 1, x, 2, x, 3, 0, x, 2) }, "ldc"},
		{"ld0", func() { Sgemm(NoTrans, NoTrans, 0, 0, 0, 1, x, 0, x, 1, 0, x, 1) }, "lda"},
		{"lena", func() { Sgemm(NoTrans, NoTrans, 10, 10, 11, 1, x, 11, x, 10, 0, x, 10) }, "len(a)"},
		{"lenb", func() { Sgemm(NoTrans, NoTrans, 10, 10, 10, 1, x, 10, x[:99], 10, 0, x, 10) }, "len(b)"},
		{"lenc", func() { Sgemm(NoTrans, NoTrans, 10, 10, 10, 1, x, 10, x, 10, 0, x[:95], 10) }, "len(c)"},
		{"fwdbias", func() { DenseForward(2, 3, 2, x, 2, x, 2, x[:2], x[50:], 3, nil, 0) }, "len(bias)"},
		{"fwdldact", func() { DenseForward(2, 3, 2, x, 2, x, 2, nil, x[50:], 3, x[70:], 2) }, "ldact"},
		{"bwdldz", func() { DenseBackward(2, 3, 2, x, 2, x, 3, x[50:], 2, x[70:], 3) }, "ldz"},
		{"bwdalias", func() { DenseBackward(2, 3, 2, x, 2, x, 3, x[50:], 3, x[50:], 4) }, "ldd"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				s, _ := r.(string)
				if r == nil || !strings.Contains(s, c.want) || !strings.HasPrefix(s, "deltacore: ") {
					t.Fatalf("panic %v, want a message naming %q", r, c.want)
				}
			}()
			c.f()
		})
	}
}

// sigma64 and sigmaPrime64 are the float64 references of σ and σ′.
func sigma64(z float64) float64      { return 1 / (1 + math.Exp(-z)) }
func sigmaPrime64(z float64) float64 { e := math.Exp(-math.Abs(z)); return e / ((1 + e) * (1 + e)) }

// TestDenseForward checks z = x·wᵀ + bias and act = σ(z) against float64.
func TestDenseForward(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(7, 8))
		const eps = 1.0 / (1 << 24)
		big := [3]int{300, 300, 300} // direct, all of Bᵀ packed, split in two at two threads
		if reducedTests() {
			big = [3]int{100, 300, 300} // the same on a third of the rows (48 s of a loaded qemu Haswell pass)
		}
		for _, s := range [][3]int{{1, 1, 1}, {10, 30, 784}, {kn.mr + 1, kn.nr + 3, 5}, {1000, 30, 30}, {37, 70, 0}, big, {35, 1000, 100}, {20, 1600, 64}, {1, 100, 64}, {2, 70, 30}} {
			for _, withBias := range []bool{true, false} {
				for _, withAct := range []bool{true, false} {
					m, n, k := s[0], s[1], s[2]
					ldx, ldw, ldz, lda := max(k, 1)+1, max(k, 1)+2, n+3, n+1
					x := randMatrix(rng, m, k, ldx, float32(math.NaN()))
					w := randMatrix(rng, n, k, ldw, float32(math.NaN()))
					var bias, act []float32
					if withBias {
						bias = randMatrix(rng, 1, n, n, 0)
					}
					z := randMatrix(rng, m, n, ldz, gemmSentinel)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							z[i*ldz+j] = float32(math.NaN())
						}
					}
					if withAct {
						act = randMatrix(rng, m, n, lda, gemmSentinel)
					}
					if k == 0 {
						x, w = nil, nil
					}
					DenseForward(m, n, k, x, ldx, w, ldw, bias, z, ldz, act, lda)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							var r, sc float64
							for p := 0; p < k; p++ {
								v := float64(x[i*ldx+p]) * float64(w[j*ldw+p])
								r += v
								sc += math.Abs(v)
							}
							if bias != nil {
								r += float64(bias[j])
								sc += math.Abs(float64(bias[j]))
							}
							got := float64(z[i*ldz+j])
							tol := 2*float64(k+1)*eps*sc + 1e-30
							if !(math.Abs(got-r) <= tol) {
								t.Fatalf("m=%d n=%d k=%d: z[%d,%d] = %v, want %v", m, n, k, i, j, got, r)
							}
							if act != nil {
								// σ of the computed z, within 4 ULP (relative 2⁻²¹).
								want := sigma64(got)
								if g := float64(act[i*lda+j]); !(math.Abs(g-want) <= 4*eps*2*want+1e-38) {
									t.Fatalf("m=%d n=%d k=%d: act[%d,%d] = %v, want %v", m, n, k, i, j, g, want)
								}
							}
						}
						for j := n; j < ldz && i*ldz+j < len(z); j++ {
							if z[i*ldz+j] != gemmSentinel {
								t.Fatalf("z padding overwritten")
							}
						}
						for j := n; act != nil && j < lda && i*lda+j < len(act); j++ {
							if act[i*lda+j] != gemmSentinel {
								t.Fatalf("act padding overwritten")
							}
						}
					}
				}
			}
		}
	})
}

// TestDenseBackward checks d = (dnext·w) ⊙ σ′(z) against float64, with d
// separate from z and with d aliasing z.
func TestDenseBackward(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(9, 10))
		const eps = 1.0 / (1 << 24)
		type shape struct {
			m, n, nn int
			tight    bool // d and z with row stride n: whole-row σ′ calls
		}
		shapes := []shape{{1, 1, 1, false}, {1000, 30, 30, false}, {10, 784, 30, false}, {kn.mr + 1, kn.nr + 3, 5, false}, {5, 7, 0, false},
			{200, 300, 1100, false}, // packed (nn > directMaxK), a partial kc block
			{530, 70, 1100, false},  // packed, more than packRows rows: two blocks of partial sums when d is z
			{200, 600, 500, false},  // packed (m·nn and n·nn past the direct bounds), two nc blocks on AVX
			{1000, 100, 100, false}, // direct, strips of rows (m·nn > directMaxA)
			{1000, 100, 100, true}, {300, 70, 1100, true},
			{1000, 300, 90, false}} // direct, d·z past the scratch matrix: the per-tile fallback
		if reducedTests() {
			// Under -short, -race or emulation (where this test took 52 s
			// of the qemu Haswell pass): the same paths and edges, each
			// on fewer rows or columns.
			shapes = []shape{{1, 1, 1, false}, {1000, 30, 30, false}, {10, 784, 30, false}, {kn.mr + 1, kn.nr + 3, 5, false}, {5, 7, 0, false},
				{37, 2*kn.nr + 5, 1100, false},
				{packRows + kn.mr + 1, 7, 1025, false},
				{5, kn.nc + 3, 1030, false}, // two nc blocks on every level
				{1000, kn.nr + 3, 100, false},
				{1000, kn.nr + 3, 100, true}, {3*kn.mr + 1, 70, 1100, true},
				{1000, 300, 90, false}}
			if kn.kc >= 512 {
				// packed with nn in one kc block: the smallest such
				// m·n·nn (m·nn and n·nn just past 96 Ki floats).
				shapes = append(shapes, shape{193, 200, 512, false})
			}
		}
		for _, s := range shapes {
			for _, alias := range []bool{false, true} {
				m, n, nn := s.m, s.n, s.nn
				lddn, ldw, ldz := max(nn, 1)+1, n+2, n+3
				tight := s.tight
				if tight {
					ldz = n
				}
				dn := randMatrix(rng, m, nn, lddn, float32(math.NaN()))
				w := randMatrix(rng, nn, n, ldw, float32(math.NaN()))
				z := randMatrix(rng, m, n, ldz, gemmSentinel)
				for i := range z {
					if z[i] != gemmSentinel {
						z[i] *= 20 // reach into saturation
					}
				}
				z0 := append([]float32(nil), z...)
				d, ldd := z, ldz
				if !alias {
					ldd = n + 1
					if tight {
						ldd = n
					}
					d = randMatrix(rng, m, n, ldd, gemmSentinel)
				}
				if nn == 0 {
					dn, w = nil, nil
				}
				DenseBackward(m, n, nn, dn, lddn, w, ldw, z, ldz, d, ldd)
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						var r, sc float64
						for q := 0; q < nn; q++ {
							v := float64(dn[i*lddn+q]) * float64(w[q*ldw+j])
							r += v
							sc += math.Abs(v)
						}
						sp := sigmaPrime64(float64(z0[i*ldz+j]))
						want := r * sp
						// product error, then σ′ (4 ULP) and the multiply.
						tol := (2*float64(nn)*eps*sc+math.Abs(r)*5*eps)*sp + 1e-38
						if got := float64(d[i*ldd+j]); !(math.Abs(got-want) <= tol) {
							t.Fatalf("m=%d n=%d nn=%d alias=%v: d[%d,%d] = %v, want %v (tol %g)", m, n, nn, alias, i, j, got, want, tol)
						}
					}
					for j := n; j < ldd && i*ldd+j < len(d); j++ {
						if d[i*ldd+j] != gemmSentinel {
							t.Fatalf("d padding overwritten")
						}
					}
				}
			}
		}
	})
}

// TestSgemmAliasStride runs op(B) = B with row strides that are multiples
// of aliasStride, which the direct path packs, on each of its branches:
// all panels packed with column panels outer and with row tiles outer, one
// panel at a time; and on the packed path. The padding of B is NaN.
func TestSgemmAliasStride(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(13, 14))
		shapes := [][3]int{
			{40, 300, 200},               // all panels packed, column panels outer
			{200, 100, 600},              // all panels packed, row tiles outer (m·k > directMaxA)
			{50, 1000, 200},              // one panel at a time (n·k > directMaxB)
			{kn.mr + 1, 2*kn.nr + 3, 70}, // partial tiles
			{100, 500, 1100},             // packed path (k > directMaxK)
		}
		if reducedTests() {
			// Under -short, -race or emulation (96 s of a loaded qemu
			// Haswell pass): each branch on fewer rows or columns.
			shapes = [][3]int{{40, 300, 200}, {directMaxA/600 + 1, kn.nr + 3, 600}, {kn.mr + 3, 1000, 200},
				{kn.mr + 1, 2*kn.nr + 3, 70}, {2*kn.mr + 1, 2*kn.nr + 5, 1100}}
		}
		for _, s := range shapes {
			for _, ldb := range []int{aliasStride, 2 * aliasStride} {
				m, n, k := s[0], s[1], s[2]
				ldb = max(ldb, (n+aliasStride-1)/aliasStride*aliasStride)
				g := &gemmCase{tA: NoTrans, tB: NoTrans, m: m, n: n, k: k, alpha: 1.5, beta: 0.5, lda: k + 1, ldb: ldb, ldc: n + 2}
				g.a = randMatrix(rng, m, k, g.lda, float32(math.NaN()))
				g.b = randMatrix(rng, k, n, g.ldb, float32(math.NaN()))
				g.c = randMatrix(rng, m, n, g.ldc, gemmSentinel)
				runGemmCase(t, g)
			}
		}
	})
}

// TestChoosePath checks that the shapes the tests use for each path take
// it, so that a change of the rules cannot leave a path untested.
func TestChoosePath(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		hasDot := kn.dot != nil
		for _, c := range []struct {
			tA, tB  bool
			m, n, k int
			ep      uint8
			want    uint8
			ok      bool // the level has the path
		}{
			{false, true, 1, 333, 100, epNone, pathGemv, hasDot},
			{false, true, 2, 70, 30, epForward, pathGemv, hasDot},
			{false, true, 20, 1000, 100, epNone, pathSwap, true},
			{false, true, 2*kn.nr + 3, 1600, 65, epForward, pathSwap, true},
			{false, true, 9, 301, 40, epNone, pathDot, hasDot},
			{false, true, 100, 30, 784, epNone, pathDirect, true},
			{false, false, 1000, 30, 30, epBackward, pathDirect, true},
			{false, false, 1000, 100, 100, epBackward, pathDirect, true},
			{false, false, 200, 300, 1100, epBackward, pathPacked, true},
			{false, false, 200, 600, 500, epBackward, pathPacked, true},
			{false, true, 43, 77, 1030, epNone, pathPacked, true},
			{false, false, 64, 4096, 1024, epNone, pathPacked, true},
			{false, false, 1, 1024, 128, epBackward, pathPacked, true},
			{false, false, 30, 784, 1000, epNone, pathDirect, true},
		} {
			g := gemmArgs{kern: kn, tA: c.tA, tB: c.tB, m: c.m, n: c.n, k: c.k, ep: epilogue{kind: c.ep}, ldb: c.n}
			if got := choosePath(&g); c.ok && got != c.want {
				t.Errorf("tA=%v tB=%v m=%d n=%d k=%d ep=%d: path %d, want %d", c.tA, c.tB, c.m, c.n, c.k, c.ep, got, c.want)
			}
		}
	})
}

// TestSgemmConcurrent runs many products from many goroutines at once and
// compares them bit for bit with the same products run one after another;
// it also checks that the number of goroutines per product does not change
// any bit.
func TestSgemmConcurrent(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(11, 12))
		shapes := [][3]int{{10, 30, 30}, {64, 64, 64}, {300, 200, 300}, {130, 33, 700}, {500, 500, 100}, {400, 300, 400}}
		// Under -short, -race or emulation (where this test took two of
		// the Haswell pass's nine minutes): one case per shape and
		// transpose pair up to 8, at 3 threads only.
		ncases, threadCounts := 24, []int{1, 2, 3}
		if testing.Short() || israce.Enabled || os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
			ncases, threadCounts = 8, []int{3}
			// And the large shapes on about a third of the work (still
			// 130 s of a loaded Haswell pass), each still split in three
			// on its path: direct, direct, packed (k > directMaxK).
			shapes[2], shapes[4], shapes[5] = [3]int{150, 200, 300}, [3]int{250, 300, 100}, [3]int{100, 70, 1030}
		}
		var cases []*gemmCase
		for i := 0; i < ncases; i++ {
			s := shapes[i%len(shapes)]
			tr := gemmTrans[i%4]
			cases = append(cases, newGemmCase(rng, tr[0], tr[1], s[0], s[1], s[2], 1, 0.5, i%2))
		}
		run := func(g *gemmCase) []float32 {
			c := append([]float32(nil), g.c...)
			Sgemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc)
			return c
		}
		old := SetGemmThreads(1)
		t.Cleanup(func() { SetGemmThreads(old) })
		want := make([][]float32, len(cases))
		for i, g := range cases {
			want[i] = run(g)
		}
		for _, threads := range threadCounts {
			SetGemmThreads(threads)
			got := make([][]float32, len(cases))
			var wg sync.WaitGroup
			for i, g := range cases {
				wg.Go(func() { got[i] = run(g) })
			}
			wg.Wait()
			for i := range cases {
				for j := range want[i] {
					if math.Float32bits(got[i][j]) != math.Float32bits(want[i][j]) {
						t.Fatalf("threads=%d %v: element %d = %v, serial %v", threads, cases[i], j, got[i][j], want[i][j])
					}
				}
			}
		}
	})
}

// TestSgemmAllocs checks that small products, and the fused layers, do not
// allocate once their packing buffers exist (also under -race: they are
// kept in a free list, not a sync.Pool).
func TestSgemmAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocation counts differ under coverage")
	}
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		a := make([]float32, 1000*784)
		b := make([]float32, 784*1000)
		c := make([]float32, 1000*1000)
		bias := make([]float32, 30)
		runs, gcRuns := 20, 3
		if reducedTests() {
			runs, gcRuns = 5, 2 // 61 s of a loaded qemu Haswell pass
		}
		for _, s := range [][3]int{{10, 30, 30}, {10, 30, 784}, {1000, 30, 30}, {64, 64, 64}} {
			for _, tr := range gemmTrans {
				m, n, k := s[0], s[1], s[2]
				lda, ldb := packedLD(tr[0], tr[1], m, n, k)
				f := func() { Sgemm(tr[0], tr[1], m, n, k, 1, a, lda, b, ldb, 0, c, n) }
				if allocs := testing.AllocsPerRun(runs, f); allocs != 0 {
					t.Errorf("Sgemm %c%c %v: %v allocs per call", tr[0], tr[1], s, allocs)
				}
				// The buffers outlive garbage collections (a sync.Pool
				// would be empty after two).
				gc := func() { runtime.GC(); runtime.GC(); f() }
				if allocs := testing.AllocsPerRun(gcRuns, gc); allocs != 0 {
					t.Errorf("Sgemm %c%c %v after two GCs: %v allocs per call", tr[0], tr[1], s, allocs)
				}
			}
			m, n, k := s[0], s[1], s[2]
			if n <= 30 {
				f := func() { DenseForward(m, n, k, a, k, b, k, bias, c, n, c[m*n:], n) }
				if allocs := testing.AllocsPerRun(runs, f); allocs != 0 {
					t.Errorf("DenseForward %v: %v allocs per call", s, allocs)
				}
				g := func() { DenseBackward(m, n, k, a, k, b, n, c, n, c, n) }
				if allocs := testing.AllocsPerRun(runs, g); allocs != 0 {
					t.Errorf("DenseBackward %v: %v allocs per call", s, allocs)
				}
			}
		}
	})
}

// TestDotCMatchesOut checks the dot tiles that store into C (dotC, dot2C)
// against their out form bit for bit, times alpha, on every tile size up to
// the full tile and k with and without a tail, and that they write nothing
// of C but the mr×nr tile (every other element of a padded C keeps its
// sentinel).
func TestDotCMatchesOut(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		tiles := []struct {
			dot      func(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32)
			dotC     func(k, mr, nr int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha float32)
			dmr, dnr int
		}{{kn.dot, kn.dotC, kn.dmr, kn.dnr}, {kn.dot2, kn.dot2C, kn.dmr2, kn.dnr2}}
		rng := rand.New(rand.NewPCG(21, 22))
		tested := false
		for _, tl := range tiles {
			if tl.dotC == nil {
				continue
			}
			tested = true
			for _, k := range []int{1, 15, 16, 37, 784} {
				a := make([]float32, tl.dmr*k)
				b := make([]float32, tl.dnr*k)
				for i := range a {
					a[i] = float32(rng.NormFloat64())
				}
				for i := range b {
					b[i] = float32(rng.NormFloat64())
				}
				for mr := 1; mr <= tl.dmr; mr++ {
					for nr := 1; nr <= tl.dnr; nr++ {
						out := make([]float32, 4*tl.dmr)
						tl.dot(k, mr, nr, a, k, b, k, out)
						const ldc, sentinel = 7, float32(-12345)
						c := make([]float32, (tl.dmr+2)*ldc)
						for i := range c {
							c[i] = sentinel
						}
						alpha := float32(0.37)
						tl.dotC(k, mr, nr, a, k, b, k, c[ldc+1:ldc+1+(mr-1)*ldc+nr], ldc, alpha)
						for i := range tl.dmr + 2 {
							for j := range ldc {
								r, col := i-1, j-1
								got := c[i*ldc+j]
								if r >= 0 && r < mr && col >= 0 && col < nr {
									if want := alpha * out[r*4+col]; math.Float32bits(got) != math.Float32bits(want) {
										t.Errorf("k=%d mr=%d nr=%d: c[%d][%d] = %g, want %g (alpha·out)", k, mr, nr, r, col, got, want)
									}
									var ref, mag float64 // plain float64
									for p := range k {
										ref += float64(a[r*k+p]) * float64(b[col*k+p])
										mag += math.Abs(float64(a[r*k+p]) * float64(b[col*k+p]))
									}
									if d := math.Abs(float64(got) - float64(alpha)*ref); d > float64(alpha)*(float64(k)*0x1p-23*mag)+0x1p-23*math.Abs(float64(alpha)*ref) {
										t.Errorf("k=%d mr=%d nr=%d: c[%d][%d] = %g, float64 reference %g", k, mr, nr, r, col, got, float64(alpha)*ref)
									}
								} else if got != sentinel {
									t.Errorf("k=%d mr=%d nr=%d: wrote %g outside the tile at (%d, %d)", k, mr, nr, got, r, col)
								}
							}
						}
					}
				}
			}
		}
		if !tested {
			t.Skip("no dot tile that stores into C at this level")
		}
	})
}
