package bench

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deltacore/deltacore"
)

// BenchmarkSgemv runs the Sgemv cases on every level and every peer that
// has an Sgemv (gonum; OpenBLAS with the openblas tag).
func BenchmarkSgemv(b *testing.B) { benchKernel(b, "Sgemv") }

// TestSgemvPeersAgree checks that every peer's Sgemv computes what
// deltacore.Sgemv does (within the error bound, against a float64
// reference), with unit and other strides, so the benchmarks compare like
// with like.
func TestSgemvPeersAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, s := range []SgemvShape{{'N', 37, 53, false}, {'T', 37, 53, false}, {'N', 1, 9, false}, {'T', 9, 1, false}} {
		for _, inc := range []int{1, 2} {
			lenX, lenY := s.N, s.M
			if s.TA == 'T' {
				lenX, lenY = s.M, s.N
			}
			a := make([]float32, s.M*s.N)
			x := make([]float32, (lenX-1)*inc+1)
			y0 := make([]float32, (lenY-1)*inc+1)
			for _, v := range [][]float32{a, x, y0} {
				for i := range v {
					v[i] = float32(rng.Float64()*2 - 1)
				}
			}
			ref := make([]float64, lenY)
			for i := range ref {
				s64 := 0.5 * float64(y0[i*inc])
				for j := 0; j < lenX; j++ {
					var aij float32
					if s.TA == 'T' {
						aij = a[j*s.N+i]
					} else {
						aij = a[i*s.N+j]
					}
					s64 += 1.5 * float64(aij) * float64(x[j*inc])
				}
				ref[i] = s64
			}
			check := func(name string, f SgemvFunc) {
				y := append([]float32(nil), y0...)
				f(s.TA, s.M, s.N, 1.5, a, s.N, x, inc, 0.5, y, inc)
				for i := range ref {
					if d := math.Abs(float64(y[i*inc]) - ref[i]); d > 1e-5*float64(lenX+1) {
						t.Fatalf("%s %v inc %d: y[%d] = %v, want %v", name, s, inc, i, y[i*inc], ref[i])
					}
				}
			}
			check("deltacore", func(tA byte, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
				deltacore.Sgemv(deltacore.Transpose(tA), m, n, alpha, a, lda, x, incX, beta, y, incY)
			})
			for _, p := range Peers() {
				if p.Sgemv != nil {
					check(p.Name, p.Sgemv)
				}
			}
		}
	}
}
