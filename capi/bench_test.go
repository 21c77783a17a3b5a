package main

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/deltacore/deltacore"
)

// BenchmarkSgemmGo times, in Go, the products capi/ctest/bench.c times
// through the C ABI (row-major, one thread): deltacore.Sgemm directly, and
// the library's own path (the column-major core on dcblas) without the cgo
// call. The difference to bench.c's figures is the cost of the C boundary.
func BenchmarkSgemmGo(b *testing.B) {
	defer deltacore.SetGemmThreads(deltacore.SetGemmThreads(1))
	r := rand.New(rand.NewPCG(1, 1))
	for _, sh := range []struct {
		m, n, k int
		tb      deltacore.Transpose
	}{{256, 256, 256, deltacore.NoTrans}, {10, 30, 784, deltacore.Trans}, {10, 30, 784, deltacore.NoTrans}} {
		m, n, k := sh.m, sh.n, sh.k
		a, bb, c := randSlice(r, m*k), randSlice(r, k*n), randSlice(r, m*n)
		ldb := n
		if sh.tb == deltacore.Trans {
			ldb = k
		}
		flops := 2 * float64(m*n*k)
		name := fmt.Sprintf("%dx%dx%d_N%c", m, n, k, sh.tb)
		b.Run("deltacore.Sgemm/"+name, func(b *testing.B) {
			for b.Loop() {
				deltacore.Sgemm(deltacore.NoTrans, sh.tb, m, n, k, 1, a, k, bb, ldb, 0, c, n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run("capi.sgemm/"+name, func(b *testing.B) {
			tb := byte('N')
			if sh.tb == deltacore.Trans {
				tb = 'T'
			}
			for b.Loop() {
				// Row-major C = A·op(B) as the CBLAS wrapper calls it.
				sgemm(tb, 'N', n, m, k, 1, &bb[0], ldb, &a[0], k, 0, &c[0], n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
