package deltacore

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// sigBenchSizes are the lengths benchmarked: one that fits in L1 (4096
// float32 = 16 KiB per slice) and one that streams from memory (16M
// elements = 64 MiB per slice).
var sigBenchSizes = []int{4096, 1 << 24}

// sigBenchInput returns n values of z spread over [−20, 20], where σ is
// neither 0 nor 1 and every branch-free path does real work.
func sigBenchInput(n int) []float32 {
	r := rand.New(rand.NewPCG(1, 2))
	z := make([]float32, n)
	for i := range z {
		z[i] = float32(r.Float64()*40 - 20)
	}
	return z
}

// sigBench runs fn(dst, z) for every level and size, as
// Benchmark<Op>/isa=<level>/n=<n>. Throughput is reported as bytes of z and
// dst (GB/s) and as elements per second (Gelem/s).
func sigBench(b *testing.B, bytesPerElem int, fn func(dst, z []float32)) {
	for _, l := range Levels() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			old := CurrentLevel()
			if err := SetLevel(l); err != nil {
				b.Fatal(err)
			}
			defer SetLevel(old)
			for _, n := range sigBenchSizes {
				b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
					z := sigBenchInput(n)
					dst := make([]float32, n)
					for i := range dst {
						dst[i] = 1
					}
					b.SetBytes(int64(bytesPerElem * n))
					b.ReportAllocs()
					for b.Loop() {
						fn(dst, z)
					}
					b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
				})
			}
		})
	}
}

func BenchmarkSigmoid(b *testing.B) { sigBench(b, 8, Sigmoid) }

func BenchmarkSigmoidPrime(b *testing.B) { sigBench(b, 8, SigmoidPrime) }

// BenchmarkMulSigmoidPrime reads z and delta and writes delta. delta is
// multiplied in place by values in (0, 1/4] on every iteration, so it passes
// through the subnormal range to zero after a few dozen iterations; a CPU
// with slow subnormal arithmetic would show it here (none was seen on the
// AMD Zen 5 these kernels were tuned on).
func BenchmarkMulSigmoidPrime(b *testing.B) { sigBench(b, 12, MulSigmoidPrime) }
