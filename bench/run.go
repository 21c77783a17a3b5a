package bench

import (
	"fmt"
	"io"
	"regexp"
	"runtime"
	"time"

	"github.com/deltacore/deltacore"
)

// RunOptions selects and paces the cases that Run measures.
type RunOptions struct {
	Quick      bool              // the --quick set
	Filter     *regexp.Regexp    // keep names (Case.Name) that match; nil keeps all
	Levels     []deltacore.Level // levels to measure; nil means deltacore.Levels()
	NoPeers    bool              // leave the Sgemm peers out
	Count      int               // samples per result (default 5)
	SampleTime time.Duration     // target duration of one sample (default 100ms)
	Threads    int               // used to scale the FMA peak; the caller sets GOMAXPROCS
	// Timer is TimerWall (the default) or TimerCPU: the process's CPU time,
	// which leaves out the time other processes held the core. TimerCPU
	// needs Threads == 1 (CPU time adds up over threads) and Linux.
	Timer    string
	Limits   Limits    // the machine's limits, for the fractions
	Machine  Machine   // for the cache sizes
	Progress io.Writer // a line per result, if not nil
}

// The timers of RunOptions.Timer.
const (
	TimerWall = "wall"
	TimerCPU  = "process-cpu"
)

type runItem struct {
	c   *Case
	ims []Impl
}

// Plan returns the cases and implementations Run would measure.
func (o *RunOptions) plan() []runItem {
	levels := o.Levels
	if levels == nil {
		levels = deltacore.Levels()
	}
	var items []runItem
	for _, c := range Suite(o.Quick) {
		var ims []Impl
		for _, l := range levels {
			ims = append(ims, Impl{Level: l.String()})
		}
		if c.Peers && !o.NoPeers {
			for _, p := range Peers() {
				if c.prepareV == nil || p.Sgemv != nil {
					ims = append(ims, Impl{Peer: p.Name})
				}
			}
		}
		var keep []Impl
		for _, im := range ims {
			if o.Filter == nil || o.Filter.MatchString(c.Name(im)) {
				keep = append(keep, im)
			}
		}
		if len(keep) > 0 {
			items = append(items, runItem{c, keep})
		}
	}
	return items
}

// Names returns the names of the results Run would produce, in order.
func (o *RunOptions) Names() []string {
	var ns []string
	for _, it := range o.plan() {
		for _, im := range it.ims {
			ns = append(ns, it.c.Name(im))
		}
	}
	return ns
}

// Run measures the selected cases. For each case it allocates the buffers
// once, calibrates every implementation to about SampleTime per sample, and
// then takes Count rounds in which every implementation gets one sample in
// turn, so that a slow phase of a noisy machine hits all of them alike and
// the ratios between them stay fair. Each Result holds the median and the
// spread of the samples and its fraction of the relevant limit.
func Run(o RunOptions) ([]Result, error) {
	if o.Count <= 0 {
		o.Count = 5
	}
	if o.SampleTime <= 0 {
		o.SampleTime = 100 * time.Millisecond
	}
	if o.Threads <= 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	clock := func() float64 { return float64(time.Now().UnixNano()) * 1e-9 }
	switch o.Timer {
	case "", TimerWall:
	case TimerCPU:
		if o.Threads != 1 {
			return nil, fmt.Errorf("bench: the %s timer needs one thread, not %d", TimerCPU, o.Threads)
		}
		if _, ok := processTime(); !ok {
			return nil, fmt.Errorf("bench: the %s timer is not available on this system", TimerCPU)
		}
		clock = func() float64 { t, _ := processTime(); return t }
	default:
		return nil, fmt.Errorf("bench: unknown timer %q (want %s or %s)", o.Timer, TimerWall, TimerCPU)
	}
	for _, p := range Peers() {
		if p.SetThreads != nil {
			p.SetThreads(o.Threads)
		}
	}
	items := o.plan()
	total := 0
	for _, it := range items {
		total += len(it.ims)
	}
	var results []Result
	for _, it := range items {
		p := it.c.Prepare()
		ops := make([]func(), len(it.ims))
		iters := make([]int, len(it.ims))
		samples := make([][]float64, len(it.ims))
		for i, im := range it.ims {
			ops[i] = p.Op(im)
			if ops[i] == nil {
				return results, fmt.Errorf("bench: %s: no such implementation", it.c.Name(im))
			}
			err := onImpl(im, func() { iters[i] = calibrate(repeat(ops[i]), o.SampleTime) })
			if err != nil {
				return results, err
			}
		}
		for range o.Count {
			for i, im := range it.ims {
				run := repeat(ops[i])
				var d float64
				onImpl(im, func() {
					t0 := clock()
					run(iters[i])
					d = clock() - t0
				})
				if d > 0 {
					samples[i] = append(samples[i], d/float64(iters[i]))
				}
			}
		}
		for i, im := range it.ims {
			r := o.result(it.c, im, iters[i], samples[i])
			results = append(results, r)
			if o.Progress != nil {
				fmt.Fprintf(o.Progress, "[%d/%d] %-48s %s %s\n", len(results), total, r.Name,
					fmtRate(r.Rate.Median), r.Unit+" "+fmtSpread(r.Rate))
			}
		}
		runtime.GC() // drop the buffers before the next case
	}
	return results, nil
}

func repeat(op func()) func(n int) {
	return func(n int) {
		for range n {
			op()
		}
	}
}

// onImpl runs f with deltacore on im's level; for a peer, as is.
func onImpl(im Impl, f func()) error {
	if im.Peer != "" {
		f()
		return nil
	}
	l, err := deltacore.ParseLevel(im.Level)
	if err != nil {
		return err
	}
	return WithLevel(l, f)
}

// result turns the per-call times of the samples into a Result.
func (o *RunOptions) result(c *Case, im Impl, iters int, secsPerOp []float64) Result {
	ns := make([]float64, len(secsPerOp))
	rates := make([]float64, len(secsPerOp))
	for i, s := range secsPerOp {
		ns[i] = s * 1e9
		rates[i] = c.Work / s / 1e9
	}
	r := Result{
		Name: c.Name(im), Kernel: c.Kernel, Impl: im, Shape: c.Shape, Unit: c.Unit,
		Rate: NewStat(rates), NsOp: NewStat(ns), Iters: iters, Bytes: c.Bytes,
	}
	r.Limit, r.OfPeak = limitOf(c, im, r.Rate.Median, o.Threads, o.Limits, o.Machine)
	return r
}

// limitOf picks the limit that bounds a case on im and returns rate as a
// fraction of it. Matrix products are measured against the FMA peak of im's
// level (Limits.PeakFor) times the threads. Elementwise kernels whose data fit in the L2 cache are measured
// against the FMA lane rate (half the peak: one FMA per element would reach
// 100%, so the inverse of the fraction is what one element costs in FMA
// slots); larger ones against the copy bandwidth, counting the least traffic
// of the kernel (Case.Bytes).
func limitOf(c *Case, im Impl, rate float64, threads int, l Limits, m Machine) (string, float64) {
	peak := l.PeakFor(im.Level) * float64(threads)
	if c.Unit == UnitGFLOPS {
		if peak == 0 {
			return LimitPeak, 0
		}
		return LimitPeak, rate / peak
	}
	l2 := m.CacheL2
	if l2 <= 0 {
		l2 = 1 << 20
	}
	if c.Bytes <= float64(l2) {
		if peak == 0 {
			return LimitLanes, 0
		}
		return LimitLanes, rate / (peak / 2)
	}
	if l.BandwidthGBps == 0 {
		return LimitBandwidth, 0
	}
	return LimitBandwidth, rate * (c.Bytes / c.Work) / l.BandwidthGBps
}

// fmtRate prints a rate with three significant digits.
func fmtRate(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3f", v)
	}
}

// fmtSpread prints the spread of a stat as "±3%".
func fmtSpread(s Stat) string {
	return fmt.Sprintf("±%.0f%%", 100*s.Spread())
}

// fmtFraction prints a fraction of a limit as a percentage, or "" if unknown.
func fmtFraction(f float64) string {
	switch {
	case f == 0:
		return ""
	case f < 0.01:
		return fmt.Sprintf("%.1f%%", 100*f)
	default:
		return fmt.Sprintf("%.0f%%", 100*f)
	}
}
