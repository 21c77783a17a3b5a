package deltacore

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmKernelBias checks each level's fnBias on every tile size, in
// place (strided A, B and C): with alpha = 1 it must equal fn followed by
// the float32 addition of the bias, bit for bit (what the Go epilogue
// computes, so the fused path changes no result); with another alpha it
// must be within one rounding of the float64 alpha·s + bias of the
// kernel's s; rows past mr, columns past nr, the padding of C and the bias
// past nr stay untouched (the bias past nr is NaN, and would show).
func TestGemmKernelBias(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		if kn.fnBias == nil {
			t.Skip("no fnBias at this level")
		}
		rng := rand.New(rand.NewPCG(21, 22))
		for _, k := range []int{1, 2, 7, 64} {
			for mr := 1; mr <= kn.mr; mr++ {
				for nr := 1; nr <= kn.nr; nr++ {
					rsa, ldb, ldc := k+1, kn.nr+3, kn.nr+5
					a := randMatrix(rng, mr, k, rsa, float32(math.NaN()))
					b := randMatrix(rng, k, nr, ldb, float32(math.NaN()))
					bias := randMatrix(rng, 1, nr, nr, 0)
					biasNaN := append(bias[:nr:nr], make([]float32, kn.nr)...)
					for j := nr; j < len(biasNaN); j++ {
						biasNaN[j] = float32(math.NaN())
					}
					ref := randMatrix(rng, kn.mr, ldc, ldc, gemmSentinel)
					kn.fn(k, mr, nr, a, rsa, 1, b, ldb, ref, ldc, 1, 0)
					for _, alpha := range []float32{1, -1.5} {
						c := randMatrix(rng, kn.mr, ldc, ldc, gemmSentinel)
						for i := range c {
							c[i] = gemmSentinel
						}
						kn.fnBias(k, mr, nr, a, rsa, 1, b, ldb, c, ldc, alpha, biasNaN)
						for i := 0; i < kn.mr; i++ {
							for j := 0; j < ldc; j++ {
								got := c[i*ldc+j]
								if i >= mr || j >= nr {
									if got != gemmSentinel {
										t.Fatalf("k=%d mr=%d nr=%d: c[%d,%d] = %v outside the tile", k, mr, nr, i, j, got)
									}
									continue
								}
								s := ref[i*ldc+j]
								if alpha == 1 {
									if want := s + bias[j]; math.Float32bits(got) != math.Float32bits(want) {
										t.Fatalf("k=%d mr=%d nr=%d: c[%d,%d] = %v, want fn + bias = %v", k, mr, nr, i, j, got, want)
									}
									continue
								}
								want := float64(alpha)*float64(s) + float64(bias[j])
								if e := math.Abs(float64(got) - want); !(e <= math.Abs(want)*0x1p-24+1e-38) {
									t.Fatalf("k=%d mr=%d nr=%d alpha=%v: c[%d,%d] = %v, want %v", k, mr, nr, alpha, i, j, got, want)
								}
							}
						}
					}
				}
			}
		}
	})
}
