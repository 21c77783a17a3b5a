package deltacore

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmarks of the BLAS-1 kernels and reductions, one sub-benchmark per
// available level, e.g. BenchmarkDot/isa=avx512/n=4096. Compare levels with
//
//	go test -run '^$' -bench 'Axpy|Scal|Dot|SumSquares|ColSums' -count 8 . | tee b.txt
//	benchstat -col /isa b.txt

var b1BenchLengths = []int{4096, 1 << 20}

// b1BenchEachLevel runs f as one sub-benchmark per available level, with that
// level set and the previous one restored afterwards.
func b1BenchEachLevel(b *testing.B, f func(b *testing.B)) {
	for _, l := range Levels() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			old := CurrentLevel()
			if err := SetLevel(l); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = SetLevel(old) })
			f(b)
		})
	}
}

// b1Report reports the rate of work done in units of unit per second (1e9).
func b1Report(b *testing.B, perOp float64, unit string) {
	b.ReportMetric(perOp*float64(b.N)/b.Elapsed().Seconds()/1e9, unit)
}

func b1BenchRand(n int) []float32 {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(2*r.Float64() - 1)
	}
	return x
}

func BenchmarkAxpy(b *testing.B) {
	b1BenchEachLevel(b, func(b *testing.B) {
		for _, n := range b1BenchLengths {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, y := b1BenchRand(n), b1BenchRand(n)
				b.SetBytes(int64(12 * n)) // read x and y, write y
				b.ReportAllocs()
				for b.Loop() {
					Axpy(1e-6, x, y)
				}
				b1Report(b, 2*float64(n), "GFLOP/s")
			})
		}
	})
}

func BenchmarkScal(b *testing.B) {
	b1BenchEachLevel(b, func(b *testing.B) {
		for _, n := range b1BenchLengths {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x := b1BenchRand(n)
				b.SetBytes(int64(8 * n)) // read and write x
				b.ReportAllocs()
				for b.Loop() {
					Scal(1, x)
				}
				b1Report(b, float64(n), "GFLOP/s")
			})
		}
	})
}

var b1Sink32 float32
var b1Sink64 float64

func BenchmarkDot(b *testing.B) {
	b1BenchEachLevel(b, func(b *testing.B) {
		for _, n := range b1BenchLengths {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x, y := b1BenchRand(n), b1BenchRand(n + 1)[1:]
				b.SetBytes(int64(8 * n))
				b.ReportAllocs()
				var s float32
				for b.Loop() {
					s += Dot(x, y)
				}
				b1Sink32 = s
				b1Report(b, 2*float64(n), "GFLOP/s")
			})
		}
	})
}

func BenchmarkSumSquares(b *testing.B) {
	b1BenchEachLevel(b, func(b *testing.B) {
		for _, n := range b1BenchLengths {
			b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
				x := b1BenchRand(n)
				b.SetBytes(int64(4 * n))
				b.ReportAllocs()
				var s float64
				for b.Loop() {
					s += SumSquares(x)
				}
				b1Sink64 = s
				b1Report(b, float64(n), "Gelem/s")
			})
		}
	})
}

func BenchmarkColSums(b *testing.B) {
	shapes := []struct{ rows, cols int }{{1000, 30}, {10, 100}, {64, 1000}, {64, 1024}, {1024, 1024}}
	b1BenchEachLevel(b, func(b *testing.B) {
		for _, s := range shapes {
			b.Run(fmt.Sprintf("rows=%d,cols=%d", s.rows, s.cols), func(b *testing.B) {
				a := b1BenchRand(s.rows * s.cols)
				dst := make([]float32, s.cols)
				b.SetBytes(int64(4 * s.rows * s.cols))
				b.ReportAllocs()
				for b.Loop() {
					ColSums(dst, a, s.rows, s.cols, s.cols)
				}
				b1Report(b, float64(s.rows*s.cols), "Gelem/s")
			})
		}
	})
}
