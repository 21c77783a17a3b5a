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

// TestGemmStrided checks the full-tile kernels for A read as MR
// contiguous floats per k step (op(A) = Aᵀ in place; gemmStridedAVX512,
// gemmStridedAVX2) bit for bit against their level's general kernel on the
// same operands and against the float64 reference, with A and B strides wider than the tile (in place, NaN
// between the rows read) and equal to it (packed), k with and without a
// tail past the unrolling, and every kind of beta (NaN in C when it is 0,
// which must not survive); the padding of C must survive.
func TestGemmStrided(t *testing.T) {
	for _, kc := range []struct {
		level   Level
		mr, nr  int
		strided func(k int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
		general generalFn
	}{
		{AVX512, 12, 32, gemmStridedAVX512, gemmKernelAVX512},
		{AVX2, 6, 16, gemmStridedAVX2, gemmKernelAVX2},
	} {
		t.Run(kc.level.String(), func(t *testing.T) {
			if !Available(kc.level) {
				t.Skipf("no %v on this CPU", kc.level)
			}
			testGemmStrided(t, kc.mr, kc.nr, kc.strided, kc.general)
		})
	}
}

func testGemmStrided(t *testing.T, MR, NR int, strided func(k int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32), general generalFn) {
	rng := rand.New(rand.NewPCG(49, 50))
	const ldc = 35
	for _, k := range []int{1, 2, 3, 4, 5, 7, 9, 33, 1000} {
		for _, st := range [][2]int{{MR, NR}, {90, NR}, {MR + 1, 784}} {
			csa, ldb := st[0], st[1]
			for _, ab := range [][2]float32{{1, 0}, {-1.5, 0}, {1, 1}, {-1.5, -1.5}, {2, float32(math.Copysign(0, -1))}} {
				alpha, beta := ab[0], ab[1]
				a := randMatrix(rng, k, MR, csa, float32(math.NaN()))[:(k-1)*csa+MR]
				b := randMatrix(rng, k, NR, ldb, float32(math.NaN()))[:(k-1)*ldb+NR]
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
				stridedTile(strided, k, MR, NR, a, csa, b, ldb, got, ldc, alpha, beta)
				general(k, MR, NR, a, 1, csa, b, ldb, want, ldc, alpha, beta)
				for x := range got {
					if math.Float32bits(got[x]) != math.Float32bits(want[x]) {
						t.Fatalf("k=%d csa=%d ldb=%d alpha=%v beta=%v: c[%d] = %v, the general kernel gives %v", k, csa, ldb, alpha, beta, x, got[x], want[x])
					}
				}
				checkTile(t, k, MR, NR, a, 1, csa, b, ldb, c0, got, ldc, alpha, beta)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("stridedTile took a short A")
		}
	}()
	stridedTile(strided, 2, MR, NR, make([]float32, 2*MR-1), MR, make([]float32, 2*NR), NR, make([]float32, (MR-1)*ldc+NR), ldc, 1, 0)
}
