//go:build arm64 && !purego

package deltacore

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deltacore/deltacore/internal/memguard"
)

// These tests call gemmKernelNEON directly, for every tile shape, with the
// operand layouts the driver passes (op(A) in place as A or Aᵀ, B packed or
// in place) and a packed A panel, against a float64 reference.

const ngMR, ngNR = 8, 12

// ngSentinel fills the memory around C; it must survive bit for bit.
const ngSentinel = -7777.25

// ngCase is one call of the micro-kernel with its operands.
type ngCase struct {
	k, mr, nr   int
	a           []float32
	rsa, csa    int
	b           []float32
	ldb         int
	c           []float32
	ldc         int
	alpha, beta float32
	aLay, bLay  string

	cbuf   []float32 // C with cOff sentinels in front and behind
	cOff   int
	c0     []float32 // C before the call
	ref    []float64 // reference, mr×nr
	scale  []float64 // Σ|alpha·a·b| + |beta·c|, mr×nr
	filled bool
}

func (g *ngCase) String() string {
	return fmt.Sprintf("k=%d mr=%d nr=%d A=%s(rsa=%d,csa=%d) B=%s(ldb=%d) ldc=%d alpha=%v beta=%v",
		g.k, g.mr, g.nr, g.aLay, g.rsa, g.csa, g.bLay, g.ldb, g.ldc, g.alpha, g.beta)
}

// ngALayouts are the A layouts: a packed panel (rsa 1, csa MR), op(A) = A
// in place (rsa = lda, csa 1) and op(A) = Aᵀ in place (rsa 1, csa = lda).
var ngALayouts = []string{"packed", "A", "At"}

// ngBLayouts: a packed panel (ldb NR) and op(B) = B in place.
var ngBLayouts = []string{"packed", "B"}

// ngNew builds a case. Every element of A and B the kernel may not read is
// NaN, so reading one poisons a result; C is NaN when beta == 0 (it must
// not be read), and is surrounded by sentinels, its row padding included.
func ngNew(rng *rand.Rand, k, mr, nr int, aLay, bLay string, alpha, beta float32) *ngCase {
	g := &ngCase{k: k, mr: mr, nr: nr, aLay: aLay, bLay: bLay, alpha: alpha, beta: beta}
	switch aLay {
	case "packed":
		g.rsa, g.csa = 1, ngMR
	case "A":
		g.rsa, g.csa = k+2, 1
	case "At":
		g.rsa, g.csa = 1, mr+3
	}
	nan := float32(math.NaN())
	g.a = make([]float32, (mr-1)*g.rsa+(k-1)*g.csa+1)
	for i := range g.a {
		g.a[i] = nan
	}
	for i := 0; i < mr; i++ {
		for p := 0; p < k; p++ {
			g.a[i*g.rsa+p*g.csa] = float32(rng.Float64()*2 - 1)
		}
	}
	g.ldb = ngNR
	if bLay == "B" {
		g.ldb = nr + 5
	}
	g.b = make([]float32, (k-1)*g.ldb+nr)
	for i := range g.b {
		if i%g.ldb < nr {
			g.b[i] = float32(rng.Float64()*2 - 1)
		} else {
			g.b[i] = nan
		}
	}
	g.ldc = nr + 3
	g.cOff = 5
	clen := (mr-1)*g.ldc + nr
	g.cbuf = make([]float32, clen+2*g.cOff)
	for i := range g.cbuf {
		g.cbuf[i] = ngSentinel
	}
	g.c = g.cbuf[g.cOff : g.cOff+clen : g.cOff+clen]
	for i := 0; i < mr; i++ {
		for j := 0; j < nr; j++ {
			if beta == 0 {
				g.c[i*g.ldc+j] = nan
			} else {
				g.c[i*g.ldc+j] = float32(rng.Float64()*2 - 1)
			}
		}
	}
	g.c0 = append([]float32(nil), g.c...)
	g.reference()
	return g
}

// reference computes the float64 result and error scale of every element
// of the tile, plainly.
func (g *ngCase) reference() {
	g.ref = make([]float64, g.mr*g.nr)
	g.scale = make([]float64, g.mr*g.nr)
	for i := 0; i < g.mr; i++ {
		for j := 0; j < g.nr; j++ {
			var s, sa float64
			for p := 0; p < g.k; p++ {
				v := float64(g.a[i*g.rsa+p*g.csa]) * float64(g.b[p*g.ldb+j])
				s += v
				sa += math.Abs(v)
			}
			r := float64(g.alpha) * s
			sc := math.Abs(float64(g.alpha)) * sa
			if g.beta != 0 {
				cv := float64(g.beta) * float64(g.c0[i*g.ldc+j])
				r += cv
				sc += math.Abs(cv)
			}
			g.ref[i*g.nr+j] = r
			g.scale[i*g.nr+j] = sc
		}
	}
}

func (g *ngCase) run() {
	gemmKernelNEON(g.k, g.mr, g.nr, g.a, g.rsa, g.csa, g.b, g.ldb, g.c, g.ldc, g.alpha, g.beta)
}

// check compares the tile with the reference against the documented bound
// 2·k·2⁻²⁴·(|alpha|·Σ|a·b| + |beta·c|), and checks that every element of
// C's memory outside the tile still holds the sentinel.
func (g *ngCase) check(t *testing.T) {
	t.Helper()
	const eps = 1.0 / (1 << 24)
	bad := 0
	for i := 0; i < g.mr; i++ {
		for j := 0; j < g.nr; j++ {
			got := g.c[i*g.ldc+j]
			want := g.ref[i*g.nr+j]
			tol := 2*float64(g.k)*eps*g.scale[i*g.nr+j] + 1e-30
			if math.IsNaN(float64(got)) || math.IsInf(float64(got), 0) || math.Abs(float64(got)-want) > tol {
				if bad < 3 {
					t.Errorf("%v: C[%d,%d] = %v, want %v (tol %g)", g, i, j, got, want, tol)
				}
				bad++
			}
		}
	}
	for x, v := range g.cbuf {
		q := x - g.cOff
		inTile := q >= 0 && q < len(g.c) && q%g.ldc < g.nr
		if !inTile && math.Float32bits(v) != math.Float32bits(ngSentinel) {
			t.Errorf("%v: C memory at offset %d (outside the tile) changed to %v", g, q, v)
			bad++
			break
		}
	}
	if bad > 0 {
		t.FailNow()
	}
}

var (
	ngAlphas = []float32{1, -1.5, 0, 0.3}
	ngBetas  = []float32{0, float32(math.Copysign(0, -1)), 1, -1.5, 0.25}
)

// TestNEONGemmKernelTiles runs every tile shape mr ≤ 8, nr ≤ 12 with every
// k in 1…20, on every layout; alpha and beta rotate along.
func TestNEONGemmKernelTiles(t *testing.T) {
	neonSkip(t)
	rng := rand.New(rand.NewPCG(11, 12))
	n := 0
	for mr := 1; mr <= ngMR; mr++ {
		for nr := 1; nr <= ngNR; nr++ {
			for k := 1; k <= 20; k++ {
				for _, al := range ngALayouts {
					for _, bl := range ngBLayouts {
						g := ngNew(rng, k, mr, nr, al, bl, ngAlphas[n%len(ngAlphas)], ngBetas[(n/len(ngAlphas))%len(ngBetas)])
						n++
						g.run()
						g.check(t)
					}
				}
			}
		}
	}
	t.Logf("%d tiles", n)
}

// TestNEONGemmKernelAlphaBeta runs every alpha × beta on a few shapes, wide
// and narrow, full and partial: beta = ±0 must not read C (NaN there).
func TestNEONGemmKernelAlphaBeta(t *testing.T) {
	neonSkip(t)
	rng := rand.New(rand.NewPCG(13, 14))
	for _, s := range [][3]int{{8, 12, 7}, {3, 5, 4}, {8, 3, 9}, {1, 1, 1}, {7, 11, 33}} {
		for _, alpha := range ngAlphas {
			for _, beta := range ngBetas {
				for _, al := range ngALayouts {
					g := ngNew(rng, s[2], s[0], s[1], al, "B", alpha, beta)
					g.run()
					g.check(t)
				}
			}
		}
	}
}

// TestNEONGemmKernelLargeK runs long sums (the driver's kc and beyond).
func TestNEONGemmKernelLargeK(t *testing.T) {
	neonSkip(t)
	rng := rand.New(rand.NewPCG(15, 16))
	for _, k := range []int{255, 256, 257, 1000, 2049} {
		for _, s := range [][2]int{{8, 12}, {5, 10}, {8, 4}, {1, 3}, {6, 1}, {2, 7}} {
			for _, al := range ngALayouts {
				for _, bl := range ngBLayouts {
					for _, beta := range []float32{0, 1} {
						g := ngNew(rng, k, s[0], s[1], al, bl, -1.25, beta)
						g.run()
						g.check(t)
					}
				}
			}
		}
	}
}

// TestNEONGemmKernelDuplicateColumns checks the edge scheme directly: a
// column the kernel holds twice (e.g. columns 6 and 7 of an nr = 10 tile,
// or every lane of an nr = 1 tile) must give exactly what the same column
// gives in a full-width tile with the same operands.
func TestNEONGemmKernelDuplicateColumns(t *testing.T) {
	neonSkip(t)
	rng := rand.New(rand.NewPCG(17, 18))
	for nr := 1; nr <= ngNR; nr++ {
		for _, beta := range []float32{0, 0.5} {
			full := ngNew(rng, 37, ngMR, ngNR, "A", "B", 1.5, beta)
			g := ngNew(rng, 37, ngMR, nr, "A", "B", 1.5, beta)
			// Same A and B columns 0…nr−1 and same C as the full tile.
			copy(g.a, full.a[:len(g.a)])
			g.rsa = full.rsa
			g.a = full.a
			for p := 0; p < g.k; p++ {
				copy(g.b[p*g.ldb:p*g.ldb+nr], full.b[p*full.ldb:p*full.ldb+nr])
			}
			for i := 0; i < ngMR; i++ {
				copy(g.c[i*g.ldc:i*g.ldc+nr], full.c[i*full.ldc:i*full.ldc+nr])
			}
			g.c0 = append(g.c0[:0], g.c...)
			g.reference()
			full.run()
			g.run()
			g.check(t)
			for i := 0; i < ngMR; i++ {
				for j := 0; j < nr; j++ {
					x, y := g.c[i*g.ldc+j], full.c[i*full.ldc+j]
					if math.Float32bits(x) != math.Float32bits(y) {
						t.Fatalf("nr=%d beta=%v: C[%d,%d] = %v, full tile gives %v", nr, beta, i, j, x, y)
					}
				}
			}
		}
	}
}

// TestNEONGemmKernelGuardPages places A, B and C against PROT_NONE pages, at
// their end and at their start, so that any access past either end faults.
func TestNEONGemmKernelGuardPages(t *testing.T) {
	neonSkip(t)
	if !memguard.Supported {
		t.Skip("no guard pages on this OS")
	}
	rng := rand.New(rand.NewPCG(19, 20))
	for mr := 1; mr <= ngMR; mr++ {
		for nr := 1; nr <= ngNR; nr++ {
			for _, k := range []int{1, 6} {
				for _, al := range ngALayouts {
					for _, atEnd := range []bool{true, false} {
						beta := float32(0)
						if (mr+nr)%2 == 0 {
							beta = 1
						}
						g := ngNew(rng, k, mr, nr, al, "packed", 1, beta)
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
						g.a, g.b = guard(g.a), guard(g.b)
						c := guard(g.c)
						if addr, bad := faults(func() {
							gemmKernelNEON(g.k, g.mr, g.nr, g.a, g.rsa, g.csa, g.b, g.ldb, c, g.ldc, g.alpha, g.beta)
						}); bad {
							t.Fatalf("%v (atEnd %v): fault at %#x", g, atEnd, addr)
						}
						copy(g.c, c)
						g.check(t)
						for _, b := range bufs {
							b.Free()
						}
					}
				}
			}
		}
	}
}

// TestNEONGemmKernelAllocs checks that the //go:noescape declaration keeps
// the operands on the stack.
func TestNEONGemmKernelAllocs(t *testing.T) {
	neonSkip(t)
	rng := rand.New(rand.NewPCG(21, 22))
	g := ngNew(rng, 16, ngMR, ngNR, "A", "packed", 1, 1)
	if n := testing.AllocsPerRun(10, g.run); n != 0 {
		t.Errorf("gemmKernelNEON: %v allocations per call, want 0", n)
	}
}

// TestNEONGemmLevel checks that the neon level uses this kernel.
func TestNEONGemmLevel(t *testing.T) {
	neonSkip(t)
	kn := gemmImplFor(NEON)
	if kn.mr != ngMR || kn.nr != ngNR {
		t.Fatalf("gemmImplFor(NEON) tile = %d×%d, want %d×%d", kn.mr, kn.nr, ngMR, ngNR)
	}
	if kn.kc < 1 || kn.mc%kn.mr != 0 || kn.nc%kn.nr != 0 && kn.nc < kn.nr {
		t.Fatalf("gemmImplFor(NEON) blocking kc=%d mc=%d nc=%d", kn.kc, kn.mc, kn.nc)
	}
}

// ngDotOperands builds rows of A (mr×k) and B (nr×k) with NaN in the row
// padding, so a read past k poisons a sum.
func ngDotOperands(rng *rand.Rand, rows, k, ld int) []float32 {
	x := make([]float32, (rows-1)*ld+k)
	for i := range x {
		if i%ld < k {
			x[i] = float32(rng.Float64()*2 - 1)
		} else {
			x[i] = float32(math.NaN())
		}
	}
	return x
}

// ngDotCheck checks out[i*4+j] for i < mr, j < nr against the float64 dot
// products with the bound 2·k·2⁻²⁴·Σ|a·b|.
func ngDotCheck(t *testing.T, what string, k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32) {
	t.Helper()
	const eps = 1.0 / (1 << 24)
	for i := 0; i < mr; i++ {
		for j := 0; j < nr; j++ {
			var s, sa float64
			for p := 0; p < k; p++ {
				v := float64(a[i*lda+p]) * float64(b[j*ldb+p])
				s += v
				sa += math.Abs(v)
			}
			got := out[i*4+j]
			tol := 2*float64(k)*eps*sa + 1e-30
			if math.IsNaN(float64(got)) || math.Abs(float64(got)-s) > tol {
				t.Fatalf("%s k=%d mr=%d nr=%d lda=%d ldb=%d: out[%d] = %v, want %v (tol %g)", what, k, mr, nr, lda, ldb, i*4+j, got, s, tol)
			}
		}
	}
}

// TestNEONGemmDot runs the dot tile for every mr, nr ≤ 4 and k in 1…40 and
// a few large k, with out surrounded by sentinels.
func TestNEONGemmDot(t *testing.T) {
	neonSkip(t)
	rng := rand.New(rand.NewPCG(23, 24))
	ks := []int{}
	for k := 1; k <= 40; k++ {
		ks = append(ks, k)
	}
	ks = append(ks, 511, 512, 1001)
	for _, k := range ks {
		for mr := 1; mr <= 4; mr++ {
			for nr := 1; nr <= 4; nr++ {
				lda, ldb := k+1+k%3, k+2
				a := ngDotOperands(rng, mr, k, lda)
				b := ngDotOperands(rng, nr, k, ldb)
				buf := make([]float32, 16+8)
				for i := range buf {
					buf[i] = ngSentinel
				}
				out := buf[4:20:20]
				gemmDotNEON(k, mr, nr, a, lda, b, ldb, out)
				for i, v := range buf {
					if (i < 4 || i >= 20) && v != ngSentinel {
						t.Fatalf("k=%d mr=%d nr=%d: wrote outside out at %d", k, mr, nr, i-4)
					}
				}
				ngDotCheck(t, "gemmDotNEON", k, mr, nr, a, lda, b, ldb, out)
			}
		}
	}
}

// TestNEONGemmDotGuardPages places A, B and out against PROT_NONE pages.
func TestNEONGemmDotGuardPages(t *testing.T) {
	neonSkip(t)
	if !memguard.Supported {
		t.Skip("no guard pages on this OS")
	}
	rng := rand.New(rand.NewPCG(25, 26))
	for _, k := range []int{1, 3, 4, 5, 16, 19} {
		for mr := 1; mr <= 4; mr++ {
			for nr := 1; nr <= 4; nr++ {
				for _, atEnd := range []bool{true, false} {
					var bufs []*memguard.Buffer
					guard := func(x []float32) []float32 {
						buf, err := memguard.New(len(x))
						if err != nil {
							t.Fatal(err)
						}
						bufs = append(bufs, buf)
						y := buf.AtStart(len(x))
						if atEnd {
							y = buf.AtEnd(len(x))
						}
						copy(y, x)
						return y
					}
					a := guard(ngDotOperands(rng, mr, k, k))
					b := guard(ngDotOperands(rng, nr, k, k+1))
					out := guard(make([]float32, 16))
					if addr, bad := faults(func() { gemmDotNEON(k, mr, nr, a, k, b, k+1, out) }); bad {
						t.Fatalf("k=%d mr=%d nr=%d atEnd=%v: fault at %#x", k, mr, nr, atEnd, addr)
					}
					ngDotCheck(t, "guarded gemmDotNEON", k, mr, nr, a, k, b, k+1, out)
					for _, x := range bufs {
						x.Free()
					}
				}
			}
		}
	}
}
