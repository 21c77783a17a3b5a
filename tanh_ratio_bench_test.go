//go:build linux

package deltacore

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the CPU time the calling OS thread has used
// (CLOCK_THREAD_CPUTIME_ID, nanosecond resolution).
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// BenchmarkTanhSigmaRatio reports tanh's speed relative to σ's for the
// three kernels (tanh/σ, tanh′/σ′, the δ steps), on every level, from the
// CPU time of the benchmark's own thread rather than wall time, so that a
// loaded machine (other processes taking the cores) does not skew the
// ratio: the two kernels alternate in rounds of 200 calls on 4096 elements
// and each keeps its fastest round. The δ steps start every call from the
// same delta (the copy is in both timings), so that neither runs into
// subnormal deltas, which tanh′ ≤ 1 would reach far later than σ′ ≤ 1/4.
// Metrics: <op>-ratio = σ time / tanh time (≥ 0.9 is the goal), and the
// tanh kernel's ns per element.
func BenchmarkTanhSigmaRatio(b *testing.B) {
	const n, calls = 4096, 200
	z := sigBenchInput(n)
	dst := make([]float32, n)
	d0 := make([]float32, n)
	for i := range d0 {
		d0[i] = float32(i%13) - 6
	}
	type pair struct {
		name       string
		sig, tanh  func(dst, z []float32)
		freshDelta bool
	}
	pairs := []pair{
		{"act", Sigmoid, Tanh, false},
		{"prime", SigmoidPrime, TanhPrime, false},
		{"mulprime", MulSigmoidPrime, MulTanhPrime, true},
	}
	for _, l := range Levels() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			runtime.LockOSThread() // the thread's CPU clock must be this goroutine's
			defer runtime.UnlockOSThread()
			old := CurrentLevel()
			if err := SetLevel(l); err != nil {
				b.Fatal(err)
			}
			defer SetLevel(old)
			round := func(p pair, fn func(dst, z []float32)) time.Duration {
				t0 := threadCPU()
				for range calls {
					if p.freshDelta {
						copy(dst, d0)
					}
					fn(dst, z)
				}
				return threadCPU() - t0
			}
			for b.Loop() {
				for _, p := range pairs {
					best := [2]time.Duration{1 << 62, 1 << 62}
					for range 15 {
						best[0] = min(best[0], round(p, p.sig))
						best[1] = min(best[1], round(p, p.tanh))
					}
					b.ReportMetric(float64(best[0])/float64(best[1]), p.name+"-ratio")
					b.ReportMetric(float64(best[1])/(calls*n), p.name+"-ns/elem")
				}
			}
		})
	}
}

// BenchmarkDenseTanhSigmaRatio is BenchmarkTanhSigmaRatio for the fused
// dense steps (one goroutine per product): σ time / tanh time for
// DenseForwardAct and DenseBackwardAct on Nielsen's first layer at batch 10
// and the trainability study's width-300 layers at batch 128.
func BenchmarkDenseTanhSigmaRatio(b *testing.B) {
	defer SetGemmThreads(SetGemmThreads(1))
	for _, s := range [][3]int{{10, 30, 784}, {128, 300, 300}} {
		m, n, k := s[0], s[1], s[2]
		x, w, bias := benchRand(m*k), benchRand(n*k), benchRand(n)
		z, act := benchRand(m*n), benchRand(m*n)
		dn, wn := benchRand(m*k), benchRand(k*n)
		b.Run(fmt.Sprintf("m=%d,n=%d,k=%d", m, n, k), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			fwd := func(f Activation) { DenseForwardAct(f, m, n, k, x, k, w, k, bias, z, n, act, n) }
			bwd := func(f Activation) { DenseBackwardAct(f, m, n, k, dn, k, wn, n, z, n, act, n) }
			calls := max(1, 2e6/(m*n*k))
			round := func(fn func(Activation), f Activation) time.Duration {
				t0 := threadCPU()
				for range calls {
					fn(f)
				}
				return threadCPU() - t0
			}
			for b.Loop() {
				for _, op := range []struct {
					name string
					fn   func(Activation)
				}{{"forward", fwd}, {"backward", bwd}} {
					best := [2]time.Duration{1 << 62, 1 << 62}
					for range 15 {
						best[0] = min(best[0], round(op.fn, ActSigmoid))
						best[1] = min(best[1], round(op.fn, ActTanh))
					}
					b.ReportMetric(float64(best[0])/float64(best[1]), op.name+"-ratio")
					b.ReportMetric(2*float64(m*n*k)*float64(calls)/float64(best[1]), op.name+"-tanh-GFLOP/s")
				}
			}
		})
	}
}
