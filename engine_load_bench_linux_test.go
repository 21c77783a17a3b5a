package deltacore

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// processSeconds returns the CPU time of the whole process (every thread:
// the workers, the garbage collector, the scheduler), or 0.
func processSeconds() float64 { return clockSeconds(unix.CLOCK_PROCESS_CPUTIME_ID) }

// BenchmarkEngineLoad is issue 15's load goal: 64 goroutines, each with
// its own engine, running the 100×784×30 forward product (DenseForward
// with bias and σ, m = 100, n = 30, k = 784), against one goroutine
// running the same products alone; both in each run, one after the other,
// so that a ratio comes from one process (use -count 5 for a range):
//
//	go test -run '^$' -bench EngineLoad -count 5 .
//
// The goal is throughput with 64 goroutines ≥ 0.9× the single goroutine's
// rate per core. It reports, for the single goroutine (1-) and the 64
// (64-): products/s (wall clock), products/s/core (64: divided by
// GOMAXPROCS; the one goroutine uses one core) and products/cpu-s, from
// the CPU time of the whole process (garbage collector and scheduler
// included), which leaves out the time other processes held the cores of
// a loaded machine. wall-ratio is 64-products/s/core over 1-products/s and
// means something only on an idle machine; cpu-ratio is the same from CPU
// time. budget=1 gives every engine one thread; budget=0 GOMAXPROCS (the
// product is below the split threshold, so it runs on one goroutine
// either way). engines=64 gives each goroutine its own engine; engines=1
// has all 64 share one (its buffer list and lock).
func BenchmarkEngineLoad(b *testing.B) {
	const m, n, k, workers = 100, 30, 784, 64
	x := benchRand(m * k)
	w := benchRand(n * k)
	bias := benchRand(n)
	for _, v := range []struct {
		budget int
		shared bool
	}{{1, false}, {0, false}, {0, true}} {
		name := fmt.Sprintf("budget=%d/engines=%d", v.budget, workers)
		if v.shared {
			name = fmt.Sprintf("budget=%d/engines=1", v.budget)
		}
		b.Run(name, func(b *testing.B) {
			single := mustEngine(b, EngineConfig{Threads: v.budget})
			engines := make([]*Engine, workers)
			for i := range engines {
				engines[i] = single
				if !v.shared {
					engines[i] = mustEngine(b, EngineConfig{Threads: v.budget})
				}
			}
			z, act := make([]float32, m*n), make([]float32, m*n)
			zs, acts := make([][]float32, workers), make([][]float32, workers)
			for i := range zs {
				zs[i], acts[i] = make([]float32, m*n), make([]float32, m*n)
			}
			// Warm every engine up, so that neither phase pays for its
			// first buffers.
			single.DenseForward(m, n, k, x, k, w, k, bias, z, n, act, n)
			for i, e := range engines {
				e.DenseForward(m, n, k, x, k, w, k, bias, zs[i], n, acts[i], n)
			}
			b.ResetTimer()
			// Phase 1: one goroutine, b.N products.
			t0, c0 := time.Now(), processSeconds()
			for range b.N {
				single.DenseForward(m, n, k, x, k, w, k, bias, z, n, act, n)
			}
			wall1, cpu1, done1 := time.Since(t0).Seconds(), processSeconds()-c0, b.N
			// Phase 2: 64 goroutines, b.N products in all.
			per := (b.N + workers - 1) / workers
			t0, c0 = time.Now(), processSeconds()
			var wg sync.WaitGroup
			for i, e := range engines {
				wg.Go(func() {
					for range per {
						e.DenseForward(m, n, k, x, k, w, k, bias, zs[i], n, acts[i], n)
					}
				})
			}
			wg.Wait()
			wall64, cpu64, done64 := time.Since(t0).Seconds(), processSeconds()-c0, per*workers
			b.StopTimer()
			procs := float64(runtime.GOMAXPROCS(0))
			r1, r64 := float64(done1)/wall1, float64(done64)/wall64
			b.ReportMetric(r1, "1-products/s")
			b.ReportMetric(r64, "64-products/s")
			b.ReportMetric(r64/procs, "64-products/s/core")
			b.ReportMetric((r64/procs)/r1, "wall-ratio")
			if cpu1 > 0 && cpu64 > 0 {
				p1, p64 := float64(done1)/cpu1, float64(done64)/cpu64
				b.ReportMetric(p1, "1-products/cpu-s")
				b.ReportMetric(p64, "64-products/cpu-s")
				b.ReportMetric(p64/p1, "cpu-ratio")
			}
		})
	}
}

func mustEngine(b *testing.B, cfg EngineConfig) *Engine {
	e, err := NewEngine(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return e
}
