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
func threadSeconds() float64 {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return float64(ts.Sec) + float64(ts.Nsec)*1e-9
}
