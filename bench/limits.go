package bench

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/deltacore/deltacore/bench/internal/peak"
)

// Limits are the machine's single-core limits, measured by MeasureLimits.
// Each figure is the best sample (a limit is what the core can do when
// nothing disturbs it); the Stat beside it shows the spread of the samples.
type Limits struct {
	// FMAPeakGFLOPS is the best single-core FP32 FMA rate over the loops in
	// FMA, in GFLOP/s (an FMA counts as 2 flops); 0 when not measured.
	FMAPeakGFLOPS float64    `json:"fma_peak_gflops"`
	FMAKernel     string     `json:"fma_kernel,omitempty"` // the loop that reached it
	FMA           []FMALimit `json:"fma,omitempty"`
	ClockGHz      float64    `json:"clock_ghz"` // effective core clock; 0 when not measured
	Clock         Stat       `json:"clock"`
	FlopsPerCycle float64    `json:"flops_per_cycle,omitempty"` // FMAPeakGFLOPS / ClockGHz
	BandwidthGBps float64    `json:"bandwidth_gbps"`            // best single-core copy rate, bytes read + written
	Bandwidth     Stat       `json:"bandwidth"`
	BufferBytes   int        `json:"bandwidth_buffer_bytes"`
	// Timer is "thread-cpu" when the samples were timed by the thread's CPU
	// time (Linux: the time other processes held the core is left out), or
	// "wall".
	Timer   string  `json:"timer"`
	Elapsed float64 `json:"elapsed_s"`
}

// FMALimit is the rate of one FMA loop (ymm, zmm or NEON q registers).
type FMALimit struct {
	Kernel        string  `json:"kernel"` // "avx2-ymm", "avx512-zmm", "neon-q"
	GFLOPS        Stat    `json:"gflops"`
	FlopsPerCycle float64 `json:"flops_per_cycle,omitempty"` // best GFLOPS / ClockGHz
}

// LimitOptions sets how long MeasureLimits measures.
type LimitOptions struct {
	Samples     int           // samples of each limit (default 10)
	SampleTime  time.Duration // target duration of one FMA or clock sample (default 10ms)
	BufferBytes int           // size of the copied buffer (default 256 MiB)
	Progress    func(string)  // called with a line of progress, if not nil
}

// calibrate returns an iteration count for run that takes about target.
func calibrate(run func(iters int), target time.Duration) int {
	n := 1
	for {
		t0 := time.Now()
		run(n)
		d := time.Since(t0)
		if d >= target/8 || n >= 1<<40 {
			if d <= 0 {
				return n
			}
			m := int(float64(n) * float64(target) / float64(d))
			return max(m, 1)
		}
		if d <= 0 {
			n *= 100
		} else {
			n = int(float64(n) * float64(target/4) / float64(d))
			n = max(n, 2)
		}
	}
}

// timed returns the seconds f takes, by the thread's CPU time where
// available, else by the wall clock.
func timed(f func()) float64 {
	if t0, ok := threadTime(); ok {
		f()
		t1, _ := threadTime()
		return t1 - t0
	}
	t0 := time.Now()
	f()
	return time.Since(t0).Seconds()
}

// sampleRate calibrates run, then returns samples rates: work units per
// iteration × iterations / seconds / 1e9.
func sampleRate(run func(iters int), workPerIter float64, samples int, target time.Duration) []float64 {
	n := calibrate(run, target)
	rates := make([]float64, 0, samples)
	for range samples {
		d := timed(func() { run(n) })
		if d > 0 {
			rates = append(rates, workPerIter*float64(n)/d/1e9)
		}
	}
	return rates
}

// MeasureLimits measures the single-core FP32 FMA peak with every FMA loop
// the CPU can run (ymm and, with AVX-512, zmm on amd64; q registers on
// arm64), the effective clock with a chain of dependent one-cycle integer
// adds, and the memory bandwidth by copying a large buffer (256 MiB, far
// beyond any cache). Short samples, timed by the thread's CPU time where the
// system has it, and the best of them, keep other processes on a shared
// machine from lowering the limits. It takes about a second.
func MeasureLimits(o LimitOptions) Limits {
	if o.Samples <= 0 {
		o.Samples = 10
	}
	if o.SampleTime <= 0 {
		o.SampleTime = 10 * time.Millisecond
	}
	if o.BufferBytes <= 0 {
		o.BufferBytes = 256 << 20
	}
	progress := func(format string, args ...any) {
		if o.Progress != nil {
			o.Progress(fmt.Sprintf(format, args...))
		}
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := time.Now()
	var l Limits
	l.Timer = "wall"
	if _, ok := threadTime(); ok {
		l.Timer = "thread-cpu"
	}
	if add := peak.AddChain(); add != nil {
		l.Clock = NewStat(sampleRate(add, peak.AddChainLen, o.Samples, o.SampleTime))
		l.ClockGHz = l.Clock.Max
		progress("clock: %.2f GHz (samples %.2f…%.2f)", l.ClockGHz, l.Clock.Min, l.Clock.Max)
	}
	for _, k := range peak.FMAKernels() {
		st := NewStat(sampleRate(k.Run, k.FlopsPerIter, o.Samples, o.SampleTime))
		f := FMALimit{Kernel: k.Name, GFLOPS: st}
		if l.ClockGHz > 0 {
			f.FlopsPerCycle = st.Max / l.ClockGHz
		}
		l.FMA = append(l.FMA, f)
		progress("FMA peak %s: %.1f GFLOP/s (samples %.1f…%.1f)", k.Name, st.Max, st.Min, st.Max)
		if st.Max > l.FMAPeakGFLOPS {
			l.FMAPeakGFLOPS, l.FMAKernel = st.Max, k.Name
		}
	}
	if l.ClockGHz > 0 && l.FMAPeakGFLOPS > 0 {
		l.FlopsPerCycle = l.FMAPeakGFLOPS / l.ClockGHz
	}
	l.Bandwidth = NewStat(copyBandwidth(o.BufferBytes, o.Samples))
	debug.FreeOSMemory() // give the two buffers back before the suites run
	l.BandwidthGBps = l.Bandwidth.Max
	l.BufferBytes = o.BufferBytes
	progress("copy bandwidth: %.1f GB/s (samples %.1f…%.1f, %d MiB buffer)",
		l.BandwidthGBps, l.Bandwidth.Min, l.Bandwidth.Max, o.BufferBytes>>20)
	l.Elapsed = time.Since(start).Seconds()
	return l
}

// copyBandwidth copies a size-byte buffer into another samples times and
// returns the rates in GB/s, counting the bytes read and the bytes written
// (2·size per copy). The copy is the runtime's memmove, which uses wide
// vector moves and, for large sizes on amd64, non-temporal stores.
func copyBandwidth(size, samples int) []float64 {
	src := make([]byte, size)
	dst := make([]byte, size)
	for i := 0; i < size; i += 4096 {
		src[i] = byte(i >> 12)
	}
	copy(dst, src) // fault every page in before timing
	rates := make([]float64, 0, samples)
	for range samples {
		d := timed(func() { copy(dst, src) })
		if d > 0 {
			rates = append(rates, 2*float64(size)/d/1e9)
		}
	}
	return rates
}

// PeakFor returns the FMA peak that bounds kernels of the given level (or
// peer, for which level is ""): the avx2 level cannot use zmm registers, so
// its peak is that of the ymm loop; every other level and every peer is
// held to the machine's best (FMAPeakGFLOPS). On cores with full-width
// AVX-512 units (Zen 5 server parts, Intel server cores with two 512-bit FMA
// ports) the zmm peak is twice the ymm one; on Zen 4 they are equal.
func (l *Limits) PeakFor(level string) float64 {
	if level == "avx2" {
		for _, f := range l.FMA {
			if f.Kernel == "avx2-ymm" {
				return f.GFLOPS.Max
			}
		}
	}
	return l.FMAPeakGFLOPS
}
