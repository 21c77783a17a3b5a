package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deltacore/deltacore"
)

// sgemmShape is one benchmarked product: op(A) m×k, op(B) k×n.
type sgemmShape struct {
	tA, tB  byte
	m, n, k int
}

func (s sgemmShape) String() string {
	return fmt.Sprintf("m=%d,n=%d,k=%d,op=%c%c", s.m, s.n, s.k, s.tA, s.tB)
}

// sgemmShapes are the square products and the shapes of the networks we
// study (issue 3): forward A·Bᵀ, weight gradient Aᵀ·B, δ propagation A·B.
var sgemmShapes = []sgemmShape{
	{'N', 'N', 256, 256, 256},
	{'N', 'N', 512, 512, 512},
	{'N', 'N', 1024, 1024, 1024},
	{'N', 'N', 2048, 2048, 2048},
	{'N', 'T', 1000, 30, 784},
	{'T', 'N', 30, 784, 1000},
	{'N', 'N', 1000, 30, 30},
	{'N', 'T', 10, 30, 784},
	{'N', 'N', 10, 30, 30},
}

// operands returns A, B and C for s, filled with values in [-1, 1).
func operands(s sgemmShape) (a []float32, lda int, b []float32, ldb int, c []float32) {
	rng := rand.New(rand.NewPCG(1, 2))
	fill := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.Float64()*2 - 1)
		}
		return x
	}
	lda, ldb = s.k, s.n
	if s.tA == 'T' {
		lda = s.m
	}
	if s.tB == 'T' {
		ldb = s.k
	}
	return fill(s.m * s.k), lda, fill(s.k * s.n), ldb, fill(s.m * s.n)
}

func reportGFLOPS(b *testing.B, s sgemmShape) {
	b.ReportMetric(2*float64(s.m)*float64(s.n)*float64(s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkSgemm runs every shape with each deltacore level (isa=avx512,
// isa=avx2, isa=generic for the smaller ones) and each peer (isa=gonum,
// isa=openblas), all on one thread.
func BenchmarkSgemm(b *testing.B) {
	defer deltacore.SetGemmThreads(deltacore.SetGemmThreads(1))
	old := deltacore.CurrentLevel()
	defer deltacore.SetLevel(old)
	for _, s := range sgemmShapes {
		big := float64(s.m)*float64(s.n)*float64(s.k) > 600*600*600
		for _, l := range deltacore.Levels() {
			if l == deltacore.Generic && big {
				continue
			}
			b.Run(fmt.Sprintf("isa=%s/%v", l, s), func(b *testing.B) {
				deltacore.SetLevel(l)
				a, lda, bb, ldb, c := operands(s)
				for b.Loop() {
					deltacore.Sgemm(deltacore.Transpose(s.tA), deltacore.Transpose(s.tB), s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				}
				reportGFLOPS(b, s)
			})
		}
		deltacore.SetLevel(old)
		for _, p := range Peers() {
			b.Run(fmt.Sprintf("isa=%s/%v", p.Name, s), func(b *testing.B) {
				a, lda, bb, ldb, c := operands(s)
				for b.Loop() {
					p.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				}
				reportGFLOPS(b, s)
			})
		}
	}
}

// BenchmarkSgemmThreads runs the square products with 1 and 2 goroutines at
// the best level.
func BenchmarkSgemmThreads(b *testing.B) {
	defer deltacore.SetGemmThreads(deltacore.SetGemmThreads(1))
	for _, s := range sgemmShapes[:4] {
		for _, th := range []int{1, 2} {
			b.Run(fmt.Sprintf("isa=%s/%v/threads=%d", deltacore.CurrentLevel(), s, th), func(b *testing.B) {
				deltacore.SetGemmThreads(th)
				a, lda, bb, ldb, c := operands(s)
				for b.Loop() {
					deltacore.Sgemm('N', 'N', s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				}
				reportGFLOPS(b, s)
			})
		}
	}
}

// TestPeersAgree checks that the peers compute the same products as
// deltacore (within the Sgemm error bound), so the benchmarks compare
// like with like.
func TestPeersAgree(t *testing.T) {
	for _, s := range []sgemmShape{{'N', 'T', 100, 30, 78}, {'T', 'N', 30, 78, 100}, {'N', 'N', 67, 45, 33}, {'T', 'T', 20, 30, 40}} {
		a, lda, bb, ldb, c := operands(s)
		want := append([]float32(nil), c...)
		deltacore.Sgemm(deltacore.Transpose(s.tA), deltacore.Transpose(s.tB), s.m, s.n, s.k, 1.5, a, lda, bb, ldb, 0.5, want, s.n)
		for _, p := range Peers() {
			got := append([]float32(nil), c...)
			p.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1.5, a, lda, bb, ldb, 0.5, got, s.n)
			for i := range got {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-4*float64(s.k) {
					t.Fatalf("%s %v: element %d = %v, deltacore %v", p.Name, s, i, got[i], want[i])
				}
			}
		}
	}
}
