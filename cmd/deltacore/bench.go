package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/bench"
	"github.com/deltacore/deltacore/internal/atomicfile"
)

const benchUsage = `usage: deltacore bench [flags]
       deltacore bench compare [flags] a.json b.json … | dir
       deltacore bench gotest report.json
       deltacore bench tune [flags]

deltacore bench measures the machine's limits (single-core FP32 FMA peak,
clock, copy bandwidth), runs every kernel at every ISA level (and Sgemm on
the peer libraries), prints a table on stdout and writes a JSON report.
Each figure is the median of --count samples, shown with ±half the range of
the samples and its fraction of the relevant limit.

deltacore bench compare lines up reports from several machines or runs: a
table of the rates and their ratios to the first report, and a PNG chart.
Given a directory (bench/results), it compares every report in it.

deltacore bench gotest prints a report in Go's benchmark format (as
--gotest writes it), for benchstat.

deltacore bench tune searches the GEMM blocking on this machine and prints
a table entry for cpuconf.go.

flags of bench:
`

func cmdBench(args []string) int {
	if len(args) > 0 && args[0] == "compare" {
		return cmdBenchCompare(args[1:])
	}
	if len(args) > 0 && args[0] == "gotest" {
		return cmdBenchGoTest(args[1:])
	}
	if len(args) > 0 && args[0] == "tune" {
		return cmdBenchTune(args[1:])
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(os.Stderr, benchUsage)
		fs.PrintDefaults()
	}
	quick := fs.Bool("quick", false, "run the quick set (well under a minute)")
	filter := fs.String("filter", "", "run only results whose name matches this regular expression\n(names look like Sgemm/isa=avx2/m=256,n=256,k=256 or Sgemm/peer=gonum/…)")
	threads := fs.Int("threads", 1, "GOMAXPROCS during the run (the peers' thread count too)")
	levels := fs.String("levels", "", "comma-separated ISA levels to run (default: every level this CPU has)")
	noPeers := fs.Bool("no-peers", false, "leave out the Sgemm peers (gonum, openblas)")
	out := fs.String("out", "", "JSON report file (default deltacore-out/bench-<host>-<date>.json; \"-\" for none)")
	count := fs.Int("count", 0, "samples per result: medians and spread are over these (default 3 with --quick, else 5)")
	sample := fs.Duration("sample", 0, "target duration of one sample (default 20ms with --quick, else 100ms)")
	timer := fs.String("timer", "wall", "time the samples by the wall clock (wall) or by the process's CPU time\n(process-cpu: leaves out the time other processes held the core; needs --threads 1, Linux)")
	markdown := fs.Bool("markdown", false, "print the table as Markdown")
	gotest := fs.String("gotest", "", "also write the results in Go's benchmark format to this file, one line per sample,\nfor benchstat (\"-\": standard output, after the table)")
	list := fs.Bool("list", false, "list the names of the results that would run, and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "deltacore bench: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := runBench(*quick, *filter, *threads, *levels, *noPeers, *out, *count, *sample, *timer, *markdown, *list, *gotest); err != nil {
		fmt.Fprintln(os.Stderr, "deltacore bench:", err)
		return 1
	}
	return 0
}

func runBench(quick bool, filter string, threads int, levels string, noPeers bool, out string,
	count int, sample time.Duration, timer string, markdown, list bool, gotest string) error {
	o := bench.RunOptions{Quick: quick, NoPeers: noPeers, Count: count, SampleTime: sample, Threads: threads, Timer: timer}
	if timer == bench.TimerCPU && threads != 1 {
		return fmt.Errorf("--timer %s needs --threads 1", timer)
	}
	if !list {
		withPeerEnv(threads, noPeers)
	}
	if o.Count <= 0 {
		o.Count = 5
		if quick {
			o.Count = 3
		}
	}
	if o.SampleTime <= 0 {
		o.SampleTime = 100 * time.Millisecond
		if quick {
			o.SampleTime = 20 * time.Millisecond
		}
	}
	if threads < 1 {
		return fmt.Errorf("--threads %d: want at least 1", threads)
	}
	if filter != "" {
		re, err := regexp.Compile(filter)
		if err != nil {
			return fmt.Errorf("--filter: %v", err)
		}
		o.Filter = re
	}
	if levels != "" {
		for _, s := range strings.Split(levels, ",") {
			l, err := deltacore.ParseLevel(s)
			if err != nil {
				return fmt.Errorf("--levels: %v", err)
			}
			if !deltacore.Available(l) {
				return fmt.Errorf("--levels: level %s is not available on this CPU or build (available: %v)", l, deltacore.Levels())
			}
			o.Levels = append(o.Levels, l)
		}
	}
	names := o.Names()
	if list {
		for _, n := range names {
			fmt.Println(n)
		}
		return nil
	}
	if len(names) == 0 {
		return errors.New("no benchmark matches the filter and levels (see --list)")
	}

	rep := bench.NewReport()
	if out == "" {
		host := rep.Machine.Hostname
		if host == "" {
			host = "unknown"
		}
		out = filepath.Join("deltacore-out", fmt.Sprintf("bench-%s-%s.json", sanitize(host), rep.Date.Format("20060102-150405")))
	}
	runtime.GOMAXPROCS(threads)
	if threads == 1 {
		// One thread: keep the samples on one OS thread. Not with more:
		// a locked goroutine that waits for its product's other parts is
		// woken through a hand-off to its own thread, which cost our
		// two-goroutine 512³ a fifth of its speed (Intel 6/167: 201–243
		// against 263–295 GFLOP/s unlocked).
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}

	start := time.Now()
	progress := func(s string) { fmt.Fprintln(os.Stderr, s) }
	progress(fmt.Sprintf("deltacore bench: measuring the limits, then %d results × %d samples of ~%v",
		len(names), o.Count, o.SampleTime))
	lo := bench.LimitOptions{Progress: progress}
	if quick {
		lo.Samples = 6
	}
	rep.Config.LoadStart, _ = bench.LoadAverage()
	rep.Limits = bench.MeasureLimits(lo)
	o.Limits, o.Machine, o.Progress = rep.Limits, rep.Machine, os.Stderr

	rep.Config = bench.Config{Quick: quick, Filter: filter, Threads: threads, Count: o.Count, Timer: timer,
		SampleTime: o.SampleTime.Seconds(), LoadStart: rep.Config.LoadStart}
	ls := o.Levels
	if ls == nil {
		ls = deltacore.Levels()
	}
	for _, l := range ls {
		rep.Config.Levels = append(rep.Config.Levels, l.String())
	}
	if !noPeers {
		for _, p := range bench.Peers() {
			rep.Config.Peers = append(rep.Config.Peers, p.Name)
		}
	}
	res, err := bench.Run(o)
	rep.Results = res
	rep.Config.LoadEnd, _ = bench.LoadAverage()
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("deltacore bench: done in %.1fs", time.Since(start).Seconds()))

	rep.Describe(os.Stdout)
	fmt.Println()
	if err := rep.WriteTable(os.Stdout, markdown); err != nil {
		return err
	}
	fmt.Println("\nper level or peer: median rate, ±half the range of the samples, % of the limit in column vs\n" +
		"(peak: FMA peak of the level (avx2: ymm) × threads; lanes: FMA lane rate = peak/2 per element; bw: copy bandwidth)")
	if gotest == "-" {
		fmt.Println()
		if err := rep.WriteGoTest(os.Stdout); err != nil {
			return err
		}
	} else if gotest != "" {
		if err := writeGoTestFile(rep, gotest); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "deltacore bench: wrote %s\n", gotest)
	}
	if out == "-" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o777); err != nil {
		return err
	}
	// Atomically (internal/atomicfile), unlike bench.Report.WriteFile.
	if err := atomicfile.Write(out, rep.Encode); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "deltacore bench: wrote %s\n", out)
	return nil
}

// sanitize keeps a host name safe as part of a file name.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, s)
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments, and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func cmdBenchCompare(args []string) int {
	fs := flag.NewFlagSet("bench compare", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(os.Stderr, "usage: deltacore bench compare [flags] a.json b.json … | dir …\n\n"+
			"Prints the rates of every report side by side with their ratios to the first\n"+
			"report, and draws them as a PNG bar chart. A directory (bench/results) stands\n"+
			"for every report in it. With --readme, writes the README's per-CPU speed tables:\n"+
			"  deltacore bench compare --readme README.md bench/results\n\nflags:\n")
		fs.PrintDefaults()
	}
	pngOut := fs.String("png", filepath.Join("deltacore-out", "compare.png"), "PNG chart file (\"-\" for none)")
	width := fs.Int("width", 0, "chart width in pixels (default 1000)")
	height := fs.Int("height", 0, "chart height in pixels (default: from the number of rows)")
	markdown := fs.Bool("markdown", false, "print the table as Markdown")
	readme := fs.String("readme", "", "instead of the table and chart, write the per-CPU Markdown tables (one column per report,\n"+
		"one report allowed) into this file's generated block (README.md), or print them (\"-\")")
	args, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	var reps []*bench.Report
	var files []string
	for _, a := range args {
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			rs, paths, err := bench.ReadDir(a)
			if err != nil {
				fmt.Fprintln(os.Stderr, "deltacore bench compare:", err)
				return 1
			}
			reps, files = append(reps, rs...), append(files, paths...)
			continue
		}
		r, err := bench.ReadFile(a)
		if err != nil {
			fmt.Fprintln(os.Stderr, "deltacore bench compare:", err)
			return 1
		}
		reps, files = append(reps, r), append(files, a)
	}
	if *readme != "" {
		if len(reps) == 0 {
			fmt.Fprintln(os.Stderr, "deltacore bench compare: --readme needs a report or a directory of them")
			return 2
		}
		if err := writeReadme(reps, *readme); err != nil {
			fmt.Fprintln(os.Stderr, "deltacore bench compare:", err)
			return 1
		}
		return 0
	}
	if len(reps) < 2 {
		fmt.Fprintln(os.Stderr, "deltacore bench compare: need at least two report files")
		fs.Usage()
		return 2
	}
	cmp, err := bench.Compare(reps)
	if err != nil {
		fmt.Fprintln(os.Stderr, "deltacore bench compare:", err)
		return 1
	}
	for i, f := range files {
		fmt.Printf("%s = %s\n", cmp.Labels[i], f)
	}
	if err := cmp.WriteText(os.Stdout, *markdown); err != nil {
		fmt.Fprintln(os.Stderr, "deltacore bench compare:", err)
		return 1
	}
	if *pngOut == "-" {
		return 0
	}
	if err := writePNG(cmp, *pngOut, *width, *height); err != nil {
		fmt.Fprintln(os.Stderr, "deltacore bench compare:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "deltacore bench compare: wrote %s\n", *pngOut)
	return 0
}

// writePNG writes the comparison's chart to path atomically
// (internal/atomicfile): never a half-written PNG.
func writePNG(cmp *bench.Comparison, path string, w, h int) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	return atomicfile.Write(path, func(f io.Writer) error { return cmp.WritePNG(f, w, h) })
}

// writeGoTestFile writes rep in Go's benchmark format to path, atomically.
func writeGoTestFile(rep *bench.Report, path string) error {
	if d := filepath.Dir(path); d != "." {
		if err := os.MkdirAll(d, 0o777); err != nil {
			return err
		}
	}
	return atomicfile.Write(path, rep.WriteGoTest)
}

// cmdBenchGoTest prints a JSON report in Go's benchmark format.
func cmdBenchGoTest(args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(os.Stderr, "usage: deltacore bench gotest report.json\n\n"+
			"Prints the report in Go's benchmark format (one line per sample), for benchstat:\n"+
			"  deltacore bench gotest a.json > a.txt; deltacore bench gotest b.json > b.txt\n"+
			"  go run golang.org/x/perf/cmd/benchstat@latest a.txt b.txt")
		if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return 0
		}
		return 2
	}
	r, err := bench.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "deltacore bench gotest:", err)
		return 1
	}
	if err := r.WriteGoTest(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "deltacore bench gotest:", err)
		return 1
	}
	return 0
}

// writeReadme writes the per-CPU tables of reps into the generated block of
// the file at path, or prints them when path is "-".
func writeReadme(reps []*bench.Report, path string) error {
	var b strings.Builder
	if err := bench.WriteMarkdownByCPU(&b, reps); err != nil {
		return err
	}
	if path == "-" {
		_, err := fmt.Print(b.String())
		return err
	}
	changed, err := bench.UpdateReadme(path, []byte(b.String()))
	if err != nil {
		return err
	}
	if changed {
		fmt.Fprintf(os.Stderr, "deltacore bench compare: updated the speed tables in %s\n", path)
	} else {
		fmt.Fprintf(os.Stderr, "deltacore bench compare: %s is up to date\n", path)
	}
	return nil
}
