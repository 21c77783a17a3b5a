package deltacore

import (
	"fmt"
	"testing"
)

// gemvBenchShapes: an L2/L3-resident 1024² matrix (4 MiB), a 4096² one
// (64 MiB, streamed from memory), and a layer-sized 30×784.
var gemvBenchShapes = [][2]int{{1024, 1024}, {4096, 4096}, {30, 784}, {784, 30}}

// BenchmarkSgemv is Sgemv with unit strides at every level, both
// transposes. GB/s counts the bytes of A streamed (the bound for a large
// A); GFLOP/s counts 2·m·n.
func BenchmarkSgemv(b *testing.B) {
	forEachBenchLevel(b, func(b *testing.B) {
		for _, s := range gemvBenchShapes {
			for _, tA := range []Transpose{NoTrans, Trans} {
				m, n := s[0], s[1]
				b.Run(fmt.Sprintf("m=%d,n=%d,t=%c", m, n, tA), func(b *testing.B) {
					lenX, lenY := n, m
					if tA == Trans {
						lenX, lenY = m, n
					}
					a, x, y := benchRand(m*n), benchRand(lenX), benchRand(lenY)
					b.ReportAllocs()
					for b.Loop() {
						Sgemv(tA, m, n, 1, a, n, x, 1, 0.5, y, 1)
					}
					sec := b.Elapsed().Seconds()
					b.ReportMetric(4*float64(m)*float64(n)*float64(b.N)/sec/1e9, "GB/s")
					b.ReportMetric(2*float64(m)*float64(n)*float64(b.N)/sec/1e9, "GFLOP/s")
				})
			}
		}
	})
}
