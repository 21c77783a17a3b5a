package bench

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/deltacore/deltacore"
	"golang.org/x/sys/unix"
)

// threadCPU returns the CPU time of the calling OS thread.
func threadCPU() time.Duration {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return time.Duration(ts.Nano())
}

// TestCPUTime prints, for every level and OpenBLAS (with -tags openblas),
// the best of 7 rounds of GFLOP/s per second of the calling thread's CPU
// time (CLOCK_THREAD_CPUTIME_ID), one line per shape. On a machine shared
// with other jobs, wall-clock benchmarks swing by 2–5×; CPU time of the
// pinned thread does not count the time other processes hold the core,
// so these figures are far steadier (cache sharing still shows). It runs
// only when DELTACORE_CPUTIME names shapes ("all", or a substring such as
// "op=NT"):
//
//	DELTACORE_CPUTIME=all go test -tags openblas -run CPUTime -v ./bench
//
// The rates are single-threaded; gonum is left out (too slow to repeat).
func TestCPUTime(t *testing.T) {
	sel := os.Getenv("DELTACORE_CPUTIME")
	if sel == "" {
		t.Skip()
	}
	runtime.LockOSThread()
	defer deltacore.SetGemmThreads(deltacore.SetGemmThreads(1))
	for _, s := range sgemmShapes {
		if !strings.Contains(s.String(), sel) && sel != "all" {
			continue
		}
		a, lda, bb, ldb, c := operands(s)
		type impl struct {
			name string
			f    func()
		}
		var impls []impl
		for _, l := range deltacore.Levels() {
			if l == deltacore.Generic {
				continue
			}
			impls = append(impls, impl{l.String(), func() {
				deltacore.SetLevel(l)
				deltacore.Sgemm(deltacore.Transpose(s.tA), deltacore.Transpose(s.tB), s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
			}})
		}
		for _, p := range Peers() {
			if p.Name == "gonum" {
				continue
			}
			impls = append(impls, impl{p.Name, func() { p.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n) }})
		}
		flop := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		reps := max(1, int(2e8/flop))
		best := make([]float64, len(impls))
		for round := 0; round < 7; round++ {
			for i, im := range impls {
				im.f()
				t0 := threadCPU()
				for r := 0; r < reps; r++ {
					im.f()
				}
				g := flop * float64(reps) / (threadCPU() - t0).Seconds() / 1e9
				best[i] = max(best[i], g)
			}
		}
		var out []string
		for i, im := range impls {
			out = append(out, fmt.Sprintf("%s %.1f", im.name, best[i]))
		}
		fmt.Printf("%-30v %s\n", s, strings.Join(out, "  "))
	}
}

// processCPU returns the CPU time of the whole process (all threads).
func processCPU() time.Duration {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts)
	return time.Duration(ts.Nano())
}

// TestCPUTimeThreads prints, for the square products at the best level,
// GFLOP per second of process CPU time with 1 and 2 goroutines, and the
// wall-clock rates. On an idle machine the speed-up of 2 goroutines is the
// wall ratio; on a shared one, the CPU-time ratio (2 goroutines / 1) shows
// the parallel efficiency: 1.0 means the split adds no work, so 2 free
// cores would run it twice as fast. Runs when DELTACORE_CPUTIME=threads.
func TestCPUTimeThreads(t *testing.T) {
	if os.Getenv("DELTACORE_CPUTIME") != "threads" {
		t.Skip()
	}
	defer deltacore.SetGemmThreads(deltacore.SetGemmThreads(1))
	for _, s := range sgemmShapes[:4] {
		a, lda, bb, ldb, c := operands(s)
		flop := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		reps := max(1, int(4e8/flop))
		var cpu, wall [3]float64
		for round := 0; round < 5; round++ {
			for _, th := range []int{1, 2} {
				deltacore.SetGemmThreads(th)
				deltacore.Sgemm('N', 'N', s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				c0, w0 := processCPU(), time.Now()
				for r := 0; r < reps; r++ {
					deltacore.Sgemm('N', 'N', s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				}
				cpu[th] = max(cpu[th], flop*float64(reps)/(processCPU()-c0).Seconds()/1e9)
				wall[th] = max(wall[th], flop*float64(reps)/time.Since(w0).Seconds()/1e9)
			}
		}
		fmt.Printf("%-30v cpu-time GFLOP/s 1: %.1f 2: %.1f (ratio %.2f)   wall GFLOP/s 1: %.1f 2: %.1f (ratio %.2f)\n",
			s, cpu[1], cpu[2], cpu[2]/cpu[1], wall[1], wall[2], wall[2]/wall[1])
	}
}
