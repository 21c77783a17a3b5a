package deltacore

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmTileGeneric checks the generic level's micro-kernel against a
// float64 reference and, bit for bit, against gemmKernelGeneric (the
// contract written plainly), for every tile size up to 4×8, A packed (rsa
// 1, csa 4) and in place (either stride), k from 1 up, and every kind of
// beta; C's padding must survive.
func TestGemmTileGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	const ldb, ldc = 11, 13
	for _, k := range []int{1, 2, 3, 8, 65} {
		for _, st := range [][2]int{{1, 4}, {k + 2, 1}, {1, 7}} { // rsa, csa
			rsa, csa := st[0], st[1]
			for mr := 1; mr <= 4; mr++ {
				for nr := 1; nr <= 8; nr++ {
					for _, ab := range [][2]float32{{1, 0}, {-1.5, 0}, {1, 1}, {0.75, -1.5}, {2, float32(math.Copysign(0, -1))}} {
						alpha, beta := ab[0], ab[1]
						a := make([]float32, (mr-1)*rsa+(k-1)*csa+1)
						for i := range a {
							a[i] = float32(rng.Float64()*2 - 1)
						}
						b := randMatrix(rng, k, nr, ldb, float32(math.NaN()))
						c0 := randMatrix(rng, mr, ldc, ldc, 0)
						for i := range c0 {
							if i%ldc >= nr {
								c0[i] = gemmSentinel
							} else if beta == 0 {
								c0[i] = float32(math.NaN()) // must not be read
							}
						}
						got := append([]float32(nil), c0...)
						want := append([]float32(nil), c0...)
						gemmTileGeneric(k, mr, nr, a, rsa, csa, b, ldb, got, ldc, alpha, beta)
						gemmKernelGeneric(k, mr, nr, a, rsa, csa, b, ldb, want, ldc, alpha, beta)
						for x := range got {
							if math.Float32bits(got[x]) != math.Float32bits(want[x]) {
								t.Fatalf("k=%d mr=%d nr=%d rsa=%d csa=%d alpha=%v beta=%v: c[%d] = %v, gemmKernelGeneric gives %v",
									k, mr, nr, rsa, csa, alpha, beta, x, got[x], want[x])
							}
						}
						checkTile(t, k, mr, nr, a, rsa, csa, b, ldb, c0, got, ldc, alpha, beta)
					}
				}
			}
		}
	}
}

// checkTile checks a micro-kernel's tile got (mr rows of ldc floats; c0 as
// it was before the call) against a float64 reference, alpha·Σₚ a(i,p)·
// b(p,j) + beta·c0(i,j) with a(i,p) = a[i*rsa+p*csa] and b(p,j) =
// b[p*ldb+j], within the error bound of k+1 float32 roundings on each
// term; columns nr…ldc−1 must still hold gemmSentinel.
func checkTile(t *testing.T, k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c0, got []float32, ldc int, alpha, beta float32) {
	t.Helper()
	for i := 0; i < mr; i++ {
		for j := 0; j < ldc && i*ldc+j < len(got); j++ {
			g := float64(got[i*ldc+j])
			if j >= nr {
				if g != gemmSentinel {
					t.Fatalf("k=%d mr=%d nr=%d: padding c[%d,%d] overwritten", k, mr, nr, i, j)
				}
				continue
			}
			var s, sc float64
			for p := 0; p < k; p++ {
				v := float64(a[i*rsa+p*csa]) * float64(b[p*ldb+j])
				s += v
				sc += math.Abs(v)
			}
			ref := float64(alpha) * s
			tol := 2 * float64(k+1) * 0x1p-24 * math.Abs(float64(alpha)) * sc
			if beta != 0 {
				bc := float64(beta) * float64(c0[i*ldc+j])
				ref += bc
				tol += 2 * float64(k+1) * 0x1p-24 * math.Abs(bc)
			}
			if !(math.Abs(g-ref) <= tol+1e-30) {
				t.Fatalf("k=%d mr=%d nr=%d alpha=%v beta=%v: c[%d,%d] = %v, want %v (tol %g)", k, mr, nr, alpha, beta, i, j, g, ref, tol)
			}
		}
	}
}

// TestGemmDotGeneric checks the generic level's dot tile against plain
// float64 dot products for every tile size up to 2×4 and k from 0 up, rows
// of A and B lda and ldb apart; out must hold exactly the tile's sums and
// keep its other elements.
func TestGemmDotGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(63, 64))
	for _, k := range []int{0, 1, 7, 16, 37, 300} {
		lda, ldb := k+3, k+5
		a := randMatrix(rng, 2, k, lda, float32(math.NaN()))
		b := randMatrix(rng, 4, k, ldb, float32(math.NaN()))
		for mr := 1; mr <= 2; mr++ {
			for nr := 1; nr <= 4; nr++ {
				out := make([]float32, 8)
				for i := range out {
					out[i] = gemmSentinel
				}
				gemmDotGeneric(k, mr, nr, a, lda, b, ldb, out)
				for i := 0; i < 2; i++ {
					for j := 0; j < 4; j++ {
						got := float64(out[i*4+j])
						if i >= mr || j >= nr {
							if got != gemmSentinel {
								t.Fatalf("k=%d mr=%d nr=%d: out[%d*4+%d] written", k, mr, nr, i, j)
							}
							continue
						}
						var ref, mag float64
						for p := 0; p < k; p++ {
							v := float64(a[i*lda+p]) * float64(b[j*ldb+p])
							ref += v
							mag += math.Abs(v)
						}
						if d := math.Abs(got - ref); d > float64(k)*0x1p-23*mag {
							t.Fatalf("k=%d mr=%d nr=%d: out[%d*4+%d] = %v, want %v", k, mr, nr, i, j, got, ref)
						}
					}
				}
			}
		}
	}
}
