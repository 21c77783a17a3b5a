//go:build !purego

package deltacore

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmPacked checks the packed path's full-tile kernels
// (gemmPackedAVX512, gemmPackedAVX2) against the float64 reference and,
// bit for bit, against their level's general kernel on the same packed
// operands (the packed path mixes the two within one product: full tiles on
// one, edges on the other), for k with and without a tail past the
// unrolling, and every kind of beta; the padding of C must survive.
func TestGemmPacked(t *testing.T) {
	for _, kc := range []struct {
		level   Level
		mr, nr  int
		packed  packedFn
		general generalFn
	}{
		{AVX512, 12, 32, gemmPackedAVX512, gemmKernelAVX512},
		{AVX2, 6, 16, gemmPackedAVX2, gemmKernelAVX2},
	} {
		t.Run(kc.level.String(), func(t *testing.T) {
			if !Available(kc.level) {
				t.Skipf("no %v on this CPU", kc.level)
			}
			testGemmPacked(t, kc.mr, kc.nr, kc.packed, kc.general)
		})
	}
}

type (
	packedFn  = func(k int, a, b, c []float32, ldc int, alpha, beta float32)
	generalFn = func(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
)

func testGemmPacked(t *testing.T, MR, NR int, packed packedFn, general generalFn) {
	rng := rand.New(rand.NewPCG(47, 48))
	const ldc = 35
	for _, k := range []int{1, 2, 3, 4, 5, 7, 8, 9, 33, 512} {
		for _, ab := range [][2]float32{{1, 0}, {-1.5, 0}, {1, 1}, {-1.5, -1.5}, {2, float32(math.Copysign(0, -1))}} {
			alpha, beta := ab[0], ab[1]
			a := randMatrix(rng, k, MR, MR, 0)
			b := randMatrix(rng, k, NR, NR, 0)
			c0 := randMatrix(rng, MR, NR, ldc, gemmSentinel)
			if beta == 0 {
				for i := 0; i < MR; i++ {
					for j := 0; j < NR; j++ {
						c0[i*ldc+j] = float32(math.NaN())
					}
				}
			}
			got := append([]float32(nil), c0...)
			want := append([]float32(nil), c0...)
			packed(k, a, b, got, ldc, alpha, beta)
			general(k, MR, NR, a, 1, MR, b, NR, want, ldc, alpha, beta)
			for x := range got {
				if math.Float32bits(got[x]) != math.Float32bits(want[x]) {
					t.Fatalf("k=%d alpha=%v beta=%v: c[%d] = %v, the general kernel gives %v", k, alpha, beta, x, got[x], want[x])
				}
			}
			checkTile(t, k, MR, NR, a, 1, MR, b, NR, c0, got, ldc, alpha, beta)
		}
	}
}

// TestGemmStridedAVX512 checks the full-tile kernel for A read as 12
// contiguous floats per k step (op(A) = Aᵀ in place) bit for bit against
// gemmKernelAVX512 on the same operands and against the float64
// reference, with A and B strides wider than the tile (in place, NaN
// between the rows read) and equal to it (packed), k with and without a
// tail past the unrolling, and every kind of beta (NaN in C when it is 0,
// which must not survive); the padding of C must survive.
func TestGemmStridedAVX512(t *testing.T) {
	if !Available(AVX512) {
		t.Skip("no AVX-512 on this CPU")
	}
	rng := rand.New(rand.NewPCG(49, 50))
	const ldc = 35
	for _, k := range []int{1, 2, 3, 4, 5, 7, 9, 33, 1000} {
		for _, st := range [][2]int{{12, 32}, {90, 32}, {13, 784}} {
			csa, ldb := st[0], st[1]
			for _, ab := range [][2]float32{{1, 0}, {-1.5, 0}, {1, 1}, {-1.5, -1.5}, {2, float32(math.Copysign(0, -1))}} {
				alpha, beta := ab[0], ab[1]
				a := randMatrix(rng, k, 12, csa, float32(math.NaN()))[:(k-1)*csa+12]
				b := randMatrix(rng, k, 32, ldb, float32(math.NaN()))[:(k-1)*ldb+32]
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
				stridedTile(gemmStridedAVX512, k, 12, 32, a, csa, b, ldb, got, ldc, alpha, beta)
				gemmKernelAVX512(k, 12, 32, a, 1, csa, b, ldb, want, ldc, alpha, beta)
				for x := range got {
					if math.Float32bits(got[x]) != math.Float32bits(want[x]) {
						t.Fatalf("k=%d csa=%d ldb=%d alpha=%v beta=%v: c[%d] = %v, gemmKernelAVX512 gives %v", k, csa, ldb, alpha, beta, x, got[x], want[x])
					}
					i, j := x/ldc, x%ldc
					if j >= 32 {
						if got[x] != gemmSentinel {
							t.Fatalf("k=%d: padding c[%d,%d] overwritten", k, i, j)
						}
						continue
					}
					var s, sc float64
					for p := 0; p < k; p++ {
						v := float64(a[p*csa+i]) * float64(b[p*ldb+j])
						s += v
						sc += math.Abs(v)
					}
					ref := float64(alpha) * s
					tol := 2 * float64(k+1) * 0x1p-24 * math.Abs(float64(alpha)) * sc
					if beta != 0 {
						bc := float64(beta) * float64(c0[x])
						ref += bc
						tol += 2 * float64(k+1) * 0x1p-24 * math.Abs(bc)
					}
					if g := float64(got[x]); !(math.Abs(g-ref) <= tol+1e-30) {
						t.Fatalf("k=%d csa=%d ldb=%d alpha=%v beta=%v: c[%d,%d] = %v, want %v (tol %g)", k, csa, ldb, alpha, beta, i, j, g, ref, tol)
					}
				}
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("stridedTile took a short A")
		}
	}()
	stridedTile(gemmStridedAVX512, 2, 12, 32, make([]float32, 12+11), 12, make([]float32, 64), 32, make([]float32, 11*ldc+32), ldc, 1, 0)
}
