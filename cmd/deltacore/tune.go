package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/bench"
)

// tuneBlocking is one (kc, mc, nc) tried and its rates in GFLOP/s.
type tuneBlocking struct {
	kc, mc, nc int
	rates      []float64
}

func (b *tuneBlocking) best() float64 { return slices.Max(b.rates) }

func (b *tuneBlocking) median() float64 {
	r := append([]float64(nil), b.rates...)
	sort.Float64s(r)
	return r[len(r)/2]
}

// tuneTimer times f: thread CPU time where it can be read (the time other
// processes held the core is left out), else the wall clock.
func tuneTimer() (func(f func()) float64, string) {
	if _, ok := bench.ThreadTime(); ok {
		return func(f func()) float64 {
			t0, _ := bench.ThreadTime()
			f()
			t1, _ := bench.ThreadTime()
			return t1 - t0
		}, "thread-cpu"
	}
	return func(f func()) float64 {
		t0 := time.Now()
		f()
		return time.Since(t0).Seconds()
	}, "wall"
}

// tuneCandidates are the values tried for kc, and for mc and nc as
// multiples of MR and NR.
var (
	tuneKC      = []int{128, 192, 256, 384, 512, 768, 1024}
	tuneMCTiles = []int{1, 2, 4, 8, 16, 32}
	tuneNCTiles = []int{4, 8, 16, 32, 64, 128}
)

func cmdBenchTune(args []string) int {
	fs := flag.NewFlagSet("bench tune", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(os.Stderr, "usage: deltacore bench tune [flags]\n\n"+
			"Searches the GEMM blocking (kc, mc, nc) of one ISA level on this machine, one\n"+
			"thread, by coordinate descent from the blocking in use (kc, then mc, then nc,\n"+
			"twice) on a square Sgemm, and prints a cpuTable entry for cpuconf.go.\n"+
			"Run it on an otherwise idle machine.\n\nflags:\n")
		fs.PrintDefaults()
	}
	size := fs.Int("size", 1024, "m = n = k of the product (at least 320, so that it takes the packed path)")
	samples := fs.Int("samples", 5, "timed products per blocking; a blocking scores its best")
	level := fs.String("level", "", "ISA level to tune (default: the level in use)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || *size < 320 || *size > 8192 || *samples < 1 {
		fs.Usage()
		return 2
	}
	l := deltacore.CurrentLevel()
	if *level != "" {
		var err error
		if l, err = deltacore.ParseLevel(*level); err != nil || !deltacore.Available(l) {
			fmt.Fprintf(os.Stderr, "deltacore bench tune: --level %s: not available here (%v)\n", *level, deltacore.Levels())
			return 2
		}
	}
	if err := tune(os.Stdout, l, *size, *samples); err != nil {
		fmt.Fprintln(os.Stderr, "deltacore bench tune:", err)
		return 1
	}
	return 0
}

func tune(w io.Writer, l deltacore.Level, n, samples int) error {
	var lt *deltacore.LevelTuning
	tu := deltacore.CurrentTuning()
	for i := range tu.Levels {
		if tu.Levels[i].Level == l {
			lt = &tu.Levels[i]
		}
	}
	if lt == nil {
		return fmt.Errorf("level %s not in this CPU's tuning", l)
	}
	start := *lt
	defer deltacore.SetGemmBlocking(l, start.KC, start.MC, start.NC)
	prev := deltacore.CurrentLevel()
	if err := deltacore.SetLevel(l); err != nil {
		return err
	}
	defer deltacore.SetLevel(prev)
	old := runtime.GOMAXPROCS(1) // one thread: the product is not split
	defer runtime.GOMAXPROCS(old)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	timer, timerName := tuneTimer()

	a := make([]float32, n*n)
	b := make([]float32, n*n)
	c := make([]float32, n*n)
	for i := range a {
		a[i] = float32(i%13)/13 - 0.5
		b[i] = float32(i%7)/7 - 0.5
	}
	flops := 2 * float64(n) * float64(n) * float64(n)
	tried := map[[3]int]*tuneBlocking{}
	measure := func(kc, mc, nc int) (*tuneBlocking, error) {
		key := [3]int{kc, mc, nc}
		if t, ok := tried[key]; ok {
			return t, nil
		}
		if err := deltacore.SetGemmBlocking(l, kc, mc, nc); err != nil {
			return nil, err
		}
		t := &tuneBlocking{kc: kc, mc: mc, nc: nc}
		deltacore.Sgemm(deltacore.NoTrans, deltacore.NoTrans, n, n, n, 1, a, n, b, n, 0, c, n) // warm up
		for range samples {
			d := timer(func() {
				deltacore.Sgemm(deltacore.NoTrans, deltacore.NoTrans, n, n, n, 1, a, n, b, n, 0, c, n)
			})
			if d > 0 {
				t.rates = append(t.rates, flops/d/1e9)
			}
		}
		if len(t.rates) == 0 {
			return nil, errors.New("the timer measured nothing")
		}
		tried[key] = t
		fmt.Fprintf(w, "  kc %4d  mc %4d  nc %5d   best %6.1f  median %6.1f GFLOP/s\n", kc, mc, nc, t.best(), t.median())
		return t, nil
	}
	fmt.Fprintf(w, "deltacore bench tune: %s, level %s (tile %d×%d), Sgemm %d³, one thread, best of %d products (%s time)\n",
		tu.CPU, l, start.MR, start.NR, n, samples, timerName)
	fmt.Fprintf(w, "starting from kc %d, mc %d, nc %d (%s)\n", start.KC, start.MC, start.NC, start.Why)
	cur, err := measure(start.KC, start.MC, start.NC)
	if err != nil {
		return err
	}
	base := cur
	for pass := 0; pass < 2; pass++ {
		for dim := 0; dim < 3; dim++ {
			var vals []int
			switch dim {
			case 0:
				vals = tuneKC
			case 1:
				for _, m := range tuneMCTiles {
					vals = append(vals, m*start.MR)
				}
			case 2:
				for _, m := range tuneNCTiles {
					vals = append(vals, m*start.NR)
				}
			}
			for _, v := range vals {
				kc, mc, nc := cur.kc, cur.mc, cur.nc
				switch dim {
				case 0:
					kc = v
				case 1:
					mc = v
				case 2:
					nc = v
				}
				t, err := measure(kc, mc, nc)
				if err != nil {
					return err
				}
				if t.best() > cur.best() {
					cur = t
				}
			}
		}
	}
	// Re-measure the start and the winner side by side, so that drift of
	// the machine during the search does not decide.
	delete(tried, [3]int{base.kc, base.mc, base.nc})
	delete(tried, [3]int{cur.kc, cur.mc, cur.nc})
	fmt.Fprintln(w, "again, side by side:")
	base, _ = measure(base.kc, base.mc, base.nc)
	win, err := measure(cur.kc, cur.mc, cur.nc)
	if err != nil {
		return err
	}
	gain := win.best()/base.best() - 1
	fmt.Fprintf(w, "\nbest: kc %d, mc %d, nc %d: %.1f GFLOP/s, %+.1f%% against the blocking in use (%.1f)\n",
		win.kc, win.mc, win.nc, win.best(), 100*gain, base.best())
	if gain < 0.03 {
		fmt.Fprintln(w, "under 3%: within the noise of one run, so the entry below keeps the blocking in use")
		win = base
	}
	fmt.Fprintf(w, "\na cpuTable entry for cpuconf.go (send it with the output of `deltacore cpu`):\n\n")
	fmt.Fprintf(w, "\t{\n\t\tvendor: %q, family: %d, models: []int{%d}, name: %q,\n", vendorOf(tu.CPU), familyOf(tu.CPU), modelOf(tu.CPU), tu.CPU)
	fmt.Fprintf(w, "\t\tnote: %q,\n", fmt.Sprintf("deltacore bench tune --size %d, %s", n, time.Now().UTC().Format("2006-01-02")))
	fmt.Fprintf(w, "\t\tblock: map[Level]blocking{\n\t\t\t%s: {kc: %d, mc: %d, nc: %d},\n\t\t},\n\t},\n",
		levelConst(l), win.kc, win.mc, win.nc)
	return nil
}

// The parts of a CPU key vendor-family-model.
func keyParts(key string) (string, int, int) {
	var fam, mod int
	i := strings.LastIndex(key, "-")
	j := strings.LastIndex(key[:max(i, 0)], "-")
	if i < 0 || j < 0 {
		return key, 0, 0
	}
	fmt.Sscan(key[j+1:i], &fam)
	fmt.Sscan(key[i+1:], &mod)
	return key[:j], fam, mod
}

func vendorOf(key string) string { v, _, _ := keyParts(key); return v }
func familyOf(key string) int    { _, f, _ := keyParts(key); return f }
func modelOf(key string) int     { _, _, m := keyParts(key); return m }

// levelConst is the Go name of a level's constant.
func levelConst(l deltacore.Level) string {
	switch l {
	case deltacore.AVX512:
		return "AVX512"
	case deltacore.AVX2:
		return "AVX2"
	case deltacore.NEON:
		return "NEON"
	}
	return "Generic"
}
