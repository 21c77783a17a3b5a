package deltacore

import (
	"fmt"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// BenchmarkBlocking compares, in one process and interleaved (with -count),
// the blocking this CPU got (cur) with the one the cache rule computes from
// its cache sizes (rule), on square products of the best level:
//
//	go test -run '^$' -bench Blocking -count 5 -cpu 1 .
//
// Besides the wall-clock GFLOP/s it reports thread-GFLOP/s, from the CPU
// time of the benchmarking thread, which leaves out the time other
// processes held the core on a loaded machine (use -cpu 1: with more
// threads the products are split and the one thread's time means nothing).
func BenchmarkBlocking(b *testing.B) {
	l := CurrentLevel()
	kn := gemmImplFor(l)
	cur := blocking{kn.kc, kn.mc, kn.nc}
	c := detectCPU()
	variants := []struct {
		name string
		bl   blocking
	}{{"cur", cur}}
	if c.l1d > 0 && c.l2 > 0 {
		if r := blockingRule(kn.mr, kn.nr, c.l1d, c.l2); r != cur {
			variants = append(variants, struct {
				name string
				bl   blocking
			}{"rule", r})
		}
	}
	defer func() { kn.kc, kn.mc, kn.nc = cur.kc, cur.mc, cur.nc }()
	for _, n := range []int{512, 1024} {
		a := make([]float32, n*n)
		bb := make([]float32, n*n)
		cc := make([]float32, n*n)
		for i := range a {
			a[i] = float32(i%7) - 3
			bb[i] = float32(i%5) - 2
		}
		for _, v := range variants {
			name := fmt.Sprintf("isa=%s/m=%d/blocking=%s,kc=%d,mc=%d,nc=%d", l, n, v.name, v.bl.kc, v.bl.mc, v.bl.nc)
			b.Run(name, func(b *testing.B) {
				kn.kc, kn.mc, kn.nc = v.bl.kc, v.bl.mc, v.bl.nc
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				t0 := threadSeconds()
				for b.Loop() {
					Sgemm(NoTrans, NoTrans, n, n, n, 1, a, n, bb, n, 0, cc, n)
				}
				flops := 2 * float64(n) * float64(n) * float64(n) * float64(b.N)
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				if dt := threadSeconds() - t0; dt > 0 {
					b.ReportMetric(flops/dt/1e9, "thread-GFLOP/s")
				}
			})
		}
	}
}

// threadSeconds is the CPU time of the calling OS thread, or 0.
func threadSeconds() float64 { return clockSeconds(unix.CLOCK_THREAD_CPUTIME_ID) }

// clockSeconds reads a clock_gettime clock in seconds, or 0.
func clockSeconds(clock int32) float64 {
	var ts unix.Timespec
	if unix.ClockGettime(clock, &ts) != nil {
		return 0
	}
	return float64(ts.Sec) + float64(ts.Nsec)*1e-9
}

// BenchmarkDotTiles compares, on the batch-10 forward product A·Bᵀ
// (10×30×784), the level's dot tiles with and without its second tile
// (dot2: AVX-512's 5×3 beside 4×4), to see whether a CPU prefers another:
//
//	go test -run '^$' -bench DotTiles -count 5 -cpu 1 .
func BenchmarkDotTiles(b *testing.B) {
	l := CurrentLevel()
	kn := gemmImplFor(l)
	if kn.dot2 == nil {
		b.Skipf("level %s has one dot tile", l)
	}
	dot2 := kn.dot2
	defer func() { kn.dot2 = dot2 }()
	const m, n, k = 10, 30, 784
	a := make([]float32, m*k)
	w := make([]float32, n*k)
	c := make([]float32, m*n)
	for i := range a {
		a[i] = float32(i%7) - 3
	}
	for i := range w {
		w[i] = float32(i%5) - 2
	}
	for _, with := range []bool{true, false} {
		name := fmt.Sprintf("isa=%s/m=%d,n=%d,k=%d,op=NT/tiles=%d×%d", l, m, n, k, kn.dmr, kn.dnr)
		if with {
			name += fmt.Sprintf("+%d×%d", kn.dmr2, kn.dnr2)
		}
		b.Run(name, func(b *testing.B) {
			kn.dot2 = nil
			if with {
				kn.dot2 = dot2
			}
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			t0 := threadSeconds()
			for b.Loop() {
				Sgemm(NoTrans, Trans, m, n, k, 1, a, k, w, k, 0, c, n)
			}
			flops := 2 * float64(m) * float64(n) * float64(k) * float64(b.N)
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			if dt := threadSeconds() - t0; dt > 0 {
				b.ReportMetric(flops/dt/1e9, "thread-GFLOP/s")
			}
		})
	}
}
