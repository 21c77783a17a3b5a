package deltacore

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// gemmBenchShapes are the square products and the network shapes of issue 3
// (op is the transposes of A and B).
var gemmBenchShapes = []struct {
	op      string
	m, n, k int
}{
	{"NN", 256, 256, 256}, {"NN", 512, 512, 512}, {"NN", 1024, 1024, 1024},
	{"NT", 1000, 30, 784}, {"TN", 30, 784, 1000}, {"NN", 1000, 30, 30},
	{"NT", 10, 30, 784}, {"NN", 10, 30, 30},
}

func benchRand(n int) []float32 {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.Float64()*2 - 1)
	}
	return x
}

// forEachBenchLevel runs f as sub-benchmark isa=<level> for every level.
func forEachBenchLevel(b *testing.B, f func(b *testing.B)) {
	old := CurrentLevel()
	defer SetLevel(old)
	for _, l := range Levels() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			SetLevel(l)
			f(b)
		})
	}
}

func reportGemm(b *testing.B, m, n, k int) {
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkGemm is Sgemm on one goroutine at every level. The comparison
// with gonum and OpenBLAS lives in ./bench.
func BenchmarkGemm(b *testing.B) {
	defer SetGemmThreads(SetGemmThreads(1))
	forEachBenchLevel(b, func(b *testing.B) {
		for _, s := range gemmBenchShapes {
			if CurrentLevel() == Generic && s.m*s.n*s.k > 300*300*300 {
				continue
			}
			b.Run(fmt.Sprintf("m=%d,n=%d,k=%d,op=%s", s.m, s.n, s.k, s.op), func(b *testing.B) {
				tA, tB := Transpose(s.op[0]), Transpose(s.op[1])
				lda, ldb := packedLD(tA, tB, s.m, s.n, s.k)
				a, bb, c := benchRand(s.m*s.k), benchRand(s.k*s.n), benchRand(s.m*s.n)
				b.ReportAllocs()
				for b.Loop() {
					Sgemm(tA, tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				}
				reportGemm(b, s.m, s.n, s.k)
			})
		}
	})
}

// BenchmarkDense is the fused forward (bias + σ) and backward (⊙σ′, in
// place) steps of a 784-30-10 network's layers at batch 10 and 1000.
func BenchmarkDense(b *testing.B) {
	defer SetGemmThreads(SetGemmThreads(1))
	forEachBenchLevel(b, func(b *testing.B) {
		for _, s := range [][3]int{{10, 30, 784}, {1000, 30, 784}, {1000, 30, 10}} {
			m, n, k := s[0], s[1], s[2]
			x, w, bias := benchRand(m*k), benchRand(n*k), benchRand(n)
			z, act := benchRand(m*n), benchRand(m*n)
			b.Run(fmt.Sprintf("op=forward/m=%d,n=%d,k=%d", m, n, k), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					DenseForward(m, n, k, x, k, w, k, bias, z, n, act, n)
				}
				reportGemm(b, m, n, k)
			})
			// Backward through the same layer shape: δ (m×n) from δnext
			// (m×k) and the next layer's k×n weights.
			dn, wn := benchRand(m*k), benchRand(k*n)
			b.Run(fmt.Sprintf("op=backward/m=%d,n=%d,k=%d", m, n, k), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					DenseBackward(m, n, k, dn, k, wn, n, z, n, z, n)
				}
				reportGemm(b, m, n, k)
			})
		}
	})
}
