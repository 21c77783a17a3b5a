//go:build !purego

package deltacore

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmPackedAVX512 checks the packed path's full-tile kernel against
// the float64 reference and, bit for bit, against gemmKernelAVX512 on the
// same packed operands (the packed path mixes the two within one product:
// full tiles on one, edges on the other), for k with and without a tail
// past the unrolling, and every kind of beta; the padding of C must
// survive.
func TestGemmPackedAVX512(t *testing.T) {
	if !Available(AVX512) {
		t.Skip("no AVX-512 on this CPU")
	}
	rng := rand.New(rand.NewPCG(47, 48))
	const ldc = 35
	for _, k := range []int{1, 2, 3, 4, 5, 7, 8, 9, 33, 512} {
		for _, ab := range [][2]float32{{1, 0}, {-1.5, 0}, {1, 1}, {-1.5, -1.5}, {2, float32(math.Copysign(0, -1))}} {
			alpha, beta := ab[0], ab[1]
			a := randMatrix(rng, k, 12, 12, 0)
			b := randMatrix(rng, k, 32, 32, 0)
			c0 := randMatrix(rng, 12, 32, ldc, gemmSentinel)
			if beta == 0 {
				for i := 0; i < 12; i++ {
					for j := 0; j < 32; j++ {
						c0[i*ldc+j] = float32(math.NaN())
					}
				}
			}
			got := append([]float32(nil), c0...)
			want := append([]float32(nil), c0...)
			gemmPackedAVX512(k, a, b, got, ldc, alpha, beta)
			gemmKernelAVX512(k, 12, 32, a, 1, 12, b, 32, want, ldc, alpha, beta)
			for x := range got {
				if math.Float32bits(got[x]) != math.Float32bits(want[x]) {
					t.Fatalf("k=%d alpha=%v beta=%v: c[%d] = %v, gemmKernelAVX512 gives %v", k, alpha, beta, x, got[x], want[x])
				}
			}
			for i := 0; i < 12; i++ {
				for j := 0; j < ldc && i*ldc+j < len(got); j++ {
					g := float64(got[i*ldc+j])
					if j >= 32 {
						if g != gemmSentinel {
							t.Fatalf("k=%d: padding c[%d,%d] overwritten", k, i, j)
						}
						continue
					}
					var s, sc float64
					for p := 0; p < k; p++ {
						v := float64(a[p*12+i]) * float64(b[p*32+j])
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
						t.Fatalf("k=%d alpha=%v beta=%v: c[%d,%d] = %v, want %v (tol %g)", k, alpha, beta, i, j, g, ref, tol)
					}
				}
			}
		}
	}
}
