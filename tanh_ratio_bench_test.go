//go:build linux

package deltacore

import (
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
