package main

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/deltacore/deltacore"
)

// BenchmarkSgemmGo times, in Go, the products capi/ctest/bench.c times
// through the C ABI (row-major, one thread): deltacore.Sgemm directly, and
// the library's own path (the column-major core on dcblas) without the cgo
// call. The difference to bench.c's figures is the cost of the C boundary.
// Like bench.c it reports the CPU time of the calling thread per product
// (cpu-ns/op; the goroutine is locked to its thread and the product runs on
// it), which a machine shared with other work inflates far less than wall
// time. The _off16 shapes start their slices 16 bytes past a 64-byte
// boundary, as malloc's and numpy's arrays may.
func BenchmarkSgemmGo(b *testing.B) {
	defer deltacore.SetGemmThreads(deltacore.SetGemmThreads(1))
	r := rand.New(rand.NewPCG(1, 1))
	for _, sh := range []struct {
		m, n, k int
		tb      deltacore.Transpose
		off     int // floats past the 64-byte boundary where the slices start
	}{
		{256, 256, 256, deltacore.NoTrans, 0}, {10, 30, 784, deltacore.Trans, 0}, {10, 30, 784, deltacore.NoTrans, 0},
		{10, 30, 784, deltacore.Trans, 4}, {10, 30, 784, deltacore.NoTrans, 4},
	} {
		m, n, k := sh.m, sh.n, sh.k
		a, bb, c := aligned(r, m*k, sh.off), aligned(r, k*n, sh.off), aligned(r, m*n, sh.off)
		ldb := n
		if sh.tb == deltacore.Trans {
			ldb = k
		}
		flops := 2 * float64(m*n*k)
		name := fmt.Sprintf("%dx%dx%d_N%c", m, n, k, sh.tb)
		if sh.off != 0 {
			name += "_off16"
		}
		b.Run("deltacore.Sgemm/"+name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			t0 := threadCPU()
			for b.Loop() {
				deltacore.Sgemm(deltacore.NoTrans, sh.tb, m, n, k, 1, a, k, bb, ldb, 0, c, n)
			}
			cpuMetrics(b, threadCPU()-t0, flops)
		})
		b.Run("capi.sgemm/"+name, func(b *testing.B) {
			tb := byte('N')
			if sh.tb == deltacore.Trans {
				tb = 'T'
			}
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			t0 := threadCPU()
			for b.Loop() {
				// Row-major C = A·op(B) as the CBLAS wrapper calls it.
				sgemm(tb, 'N', n, m, k, 1, &bb[0], ldb, &a[0], k, 0, &c[0], n)
			}
			cpuMetrics(b, threadCPU()-t0, flops)
		})
	}
}

// aligned returns n random floats starting off floats past a 64-byte
// boundary.
func aligned(r *rand.Rand, n, off int) []float32 {
	s := randSlice(r, n+off+16)
	skip := int(-uintptr(unsafe.Pointer(&s[0])) % 64 / 4)
	return s[skip+off:][:n]
}

// threadCPU returns the CPU time of the calling OS thread.
func threadCPU() time.Duration {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return time.Duration(ts.Nano())
}

func cpuMetrics(b *testing.B, cpu time.Duration, flops float64) {
	perOp := float64(cpu.Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp, "cpu-ns/op")
	b.ReportMetric(flops/perOp, "cpu-GFLOP/s")
}
