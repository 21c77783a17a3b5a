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
