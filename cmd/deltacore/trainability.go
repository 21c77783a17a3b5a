package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp/study"
)

const trainabilityUsage = `usage: deltacore study trainability [flags]
       deltacore study trainability -shard K/N [flags]
       deltacore study trainability merge [-out DIR] [-partial] shard-files…

Schoenholz et al.'s (2017) trainability experiment on MNIST, coarse enough
for two cores: tanh networks of width 300 and depth L, weights N(0, σ_w²/n),
biases N(0, σ_b²), softmax cross-entropy, plain SGD (η = 10⁻³, batch 128,
300 steps); a cell is trainable if its training accuracy on the first
10 000 images reaches 0.2. It prints the grid, draws the heat map with the
6ξ_c curve, and judges the rule "trainable iff L < 6ξ_c" (P1–P4). The full
8 × 8 grid is about 115 TFLOP; -quick runs 6 × 6.

It writes trainability.json and trainability.csv (the cells and the
verdict: the same bytes however the grid was run), trainability.png and
trainability-provenance.json (version, levels, CPU, host, date, wall time).

The grid is a sweep (deltacore study sweep -h): each cell is one run, and
it shards like one. -shard K/N (or Slurm's SLURM_ARRAY_TASK_ID/COUNT, or
JOB_COMPLETION_INDEX with -shards N) trains shard K's cells, balanced by
cost, into -out/sweep-shard-K-of-N.json, resumable; scripts/slurm/sweep.sbatch
runs it with STUDY=trainability. merge (or deltacore study sweep merge)
checks the shard files as for any sweep and writes the same
trainability.json and .csv as one process, byte for byte at one ISA level,
with the heat map and P1–P4.

flags:
`

func parseInts(s string) ([]int, error) {
	var v []int
	for _, f := range strings.Split(s, ",") {
		if strings.TrimSpace(f) == "" {
			continue
		}
		x, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || x < 1 {
			return nil, fmt.Errorf("bad value %q (want positive integers, comma-separated)", f)
		}
		v = append(v, x)
	}
	return v, nil
}

// trainabilityResult is trainability.json: the grid's settings, the cells
// in grid order and, for a complete grid, the verdict. Nothing in it
// depends on where, when or in how many pieces the grid ran.
type trainabilityResult struct {
	SigmaB2    float64                    `json:"sigma_b2"`
	SigmaW2s   []float64                  `json:"sigma_w2s"`
	Depths     []int                      `json:"depths"`
	Width      int                        `json:"width"`
	Steps      int                        `json:"steps"`
	Batch      int                        `json:"batch"`
	Eta        float64                    `json:"eta"`
	EvalImages int                        `json:"eval_images"`
	Threshold  float64                    `json:"threshold"`
	Seed       uint64                     `json:"seed"`
	Samples    int                        `json:"samples"`
	GridSHA256 string                     `json:"grid_sha256"`
	Partial    bool                       `json:"partial,omitempty"`
	Cells      []study.TrainCell          `json:"cells"`
	Verdict    *study.TrainabilityVerdict `json:"verdict,omitempty"`
}

func newTrainabilityResult(g study.SweepGrid, cells []study.TrainCell, partial bool) trainabilityResult {
	t := g.Trainability
	r := trainabilityResult{SigmaB2: t.SigmaB2, SigmaW2s: t.SigmaW2s, Depths: g.Depths, Width: g.Width, Steps: t.Steps,
		Batch: g.Batch, Eta: g.Eta, EvalImages: t.EvalImages, Threshold: t.Threshold, Seed: t.Seed, Samples: g.Samples,
		GridSHA256: g.Hash(), Partial: partial, Cells: cells}
	if !partial {
		v := study.JudgeTrainability(cells, t.SigmaW2s)
		r.Verdict = &v
	}
	return r
}

func cmdStudyTrainability(args []string) {
	if len(args) > 0 && args[0] == "merge" {
		cmdStudySweepMerge(args[1:], "study trainability merge")
		return
	}
	fs := flag.NewFlagSet("study trainability", flag.ExitOnError)
	quick := fs.Bool("quick", false, "the 6 × 6 grid (σ_w² 1, 1.5, 1.76, 2, 3, 4; L 10, 20, 45, 70, 100, 150)")
	sw2Flag := fs.String("sigma-w2", "1,1.25,1.5,1.76,2,2.5,3,4", "σ_w² columns")
	depthFlag := fs.String("depths", "10,20,30,45,70,100,150,200", "depths L (layers with weights)")
	sb2 := fs.Float64("sigma-b2", 0.05, "σ_b²")
	width := fs.Int("width", 300, "units per hidden layer")
	steps := fs.Int("steps", 300, "SGD steps")
	batch := fs.Int("batch", 128, "batch size")
	eta := fs.Float64("eta", 1e-3, "learning rate")
	images := fs.Int("images", 60000, "train on the first N MNIST training images")
	evalN := fs.Int("eval", 10000, "training images the accuracy is measured on (the first ones)")
	threshold := fs.Float64("threshold", 0.2, "trainable if the accuracy reaches this")
	seed := fs.Uint64("seed", 1, "seed")
	threads := fs.Int("threads", 0, "cells trained at once, one goroutine each (0: GOMAXPROCS)")
	shardFlag := fs.String("shard", "", "train only shard `K/N` of the grid's cells (0 ≤ K < N); default from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
	shardsFlag := fs.Int("shards", 0, "number of shards `N`, with JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs)")
	merge := fs.String("merge", "", "merge these shard files (comma-separated) instead of training: the same as the merge subcommand")
	out := fs.String("out", "deltacore-out", "folder for the JSON, CSV, plot and provenance (or the shard file)")
	data := fs.String("data", "", "directory of the MNIST IDX files (default: the GoMNIST module's data)")
	asJSON := fs.Bool("json", false, "print trainability.json instead of the table")
	quiet := fs.Bool("quiet", false, "no progress bar")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile (go tool pprof) of the training to this file")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), trainabilityUsage)
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() > 0 {
		fail(fmt.Errorf("study trainability: unexpected argument %q (the subcommand is merge)", fs.Arg(0)))
	}
	if *merge != "" {
		var files []string
		for _, f := range strings.Split(*merge, ",") {
			if f = strings.TrimSpace(f); f != "" {
				files = append(files, f)
			}
		}
		cmdStudySweepMerge(append([]string{"-out", *out}, files...), "study trainability merge")
		return
	}
	if *quick {
		*sw2Flag, *depthFlag = "1,1.5,1.76,2,3,4", "10,20,45,70,100,150"
	}
	sw2s, err := parseFloats(*sw2Flag)
	if err != nil || len(sw2s) == 0 {
		fail(fmt.Errorf("study trainability: -sigma-w2: %v", err))
	}
	depths, err := parseInts(*depthFlag)
	if err != nil || len(depths) == 0 {
		fail(fmt.Errorf("study trainability: -depths: %v", err))
	}
	shard, shards, source, err := resolveShard(*shardFlag, *shardsFlag, os.Getenv)
	if err != nil {
		fail(fmt.Errorf("study trainability: %w", err))
	}
	cfg := study.TrainabilityConfig{SigmaW2s: sw2s, Depths: depths, SigmaB2: *sb2, Width: *width, Steps: *steps,
		Batch: *batch, Eta: *eta, EvalImages: *evalN, Threshold: *threshold, Seed: *seed, Threads: goroutines(*threads)}
	ds, err := loadTrainImages(*data, *images)
	if err != nil {
		fail(err)
	}
	if ds.Len() < *evalN {
		fail(fmt.Errorf("study trainability: -eval %d > -images %d", *evalN, ds.Len()))
	}
	sc := cfg.Sweep(ds.Inputs, ds.Outputs)
	grid := study.NewSweepGrid(ds, sc)
	// Each cell trains on one goroutine; the products inside stay on it.
	defer deltacore.SetGemmThreads(deltacore.SetGemmThreads(1))
	if shards > 0 {
		runSweepShard(ds, sc, grid, shard, shards, source, *out, *quiet)
		return
	}
	bar := newProgress("trainability", len(grid.Runs()), *quiet)
	sc.Progress = bar.Add
	defer startCPUProfile(*cpuprofile)()
	start := time.Now()
	runs, err := study.Sweep(ds, sc)
	bar.Finish()
	if err != nil {
		fail(err)
	}
	wall := time.Since(start).Seconds()
	cells, err := study.TrainabilityCells(grid, runs)
	if err != nil {
		fail(err)
	}
	host, _ := os.Hostname()
	prov := sweepProvenance{Version: study.Version(), GridSHA256: grid.Hash(), Grid: grid, Runs: len(runs),
		Levels: map[string]int{deltacore.CurrentLevel().String(): len(runs)}, CPU: cpuName(), Host: host,
		Written: start.UTC().Format(time.RFC3339), WallSeconds: wall, FLOPs: grid.FLOPs()}
	res := newTrainabilityResult(grid, cells, false)
	paths, err := writeTrainability(*out, res, prov, "")
	if err != nil {
		fail(err)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fail(err)
		}
		fmt.Fprintf(os.Stderr, "%s in %.3g s: %.1f GFLOP/s (level %s, %d cells at once)\n", fmtFLOP(prov.FLOPs), wall,
			float64(prov.FLOPs)/wall/1e9, deltacore.CurrentLevel(), cfg.Threads)
		return
	}
	printTrainability(os.Stdout, res)
	fmt.Printf("\n%s in %.3g s: %.1f GFLOP/s (level %s, %d cells at once)\n", fmtFLOP(prov.FLOPs), wall,
		float64(prov.FLOPs)/wall/1e9, deltacore.CurrentLevel(), cfg.Threads)
	fmt.Printf("wrote %s\n", strings.Join(paths, " "))
}

// printTrainability writes the grid as a table with the verdict.
func printTrainability(w io.Writer, r trainabilityResult) {
	fmt.Fprintf(w, "trainability, tanh, width %d, σ_b² = %g, %d steps of SGD (η = %g, batch %d); accuracy %% on %d training images, * = trainable (≥ %g)\n\n",
		r.Width, r.SigmaB2, r.Steps, r.Eta, r.Batch, r.EvalImages, r.Threshold)
	var v study.TrainabilityVerdict
	if r.Verdict != nil {
		v = *r.Verdict
	}
	study.WriteTrainabilityTable(w, r.Cells, r.SigmaW2s, r.Depths, v)
	if r.Partial {
		fmt.Fprintf(w, "\nPARTIAL: %d of %d cells; the verdict above is not computed\n", len(r.Cells), len(r.SigmaW2s)*len(r.Depths))
	}
}

// writeTrainability writes trainability<suffix>.json, .csv and .png and
// trainability-provenance.json to dir and returns their paths.
func writeTrainability(dir string, r trainabilityResult, prov sweepProvenance, suffix string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	base := filepath.Join(dir, "trainability"+suffix)
	paths := []string{base + ".json", base + ".csv", base + ".png", filepath.Join(dir, "trainability-provenance.json")}
	if err := study.WriteJSON(paths[0], r); err != nil {
		return nil, err
	}
	h := []string{"sigma_w2", "depth", "accuracy", "xi_c", "depth_over_6xi_c", "trainable", "diverged"}
	var rows [][]string
	for _, c := range r.Cells {
		rows = append(rows, []string{strconv.FormatFloat(c.SigmaW2, 'g', -1, 64), strconv.Itoa(c.Depth),
			strconv.FormatFloat(c.Accuracy, 'g', -1, 64), strconv.FormatFloat(c.XiC, 'g', -1, 64),
			strconv.FormatFloat(c.Ratio, 'g', -1, 64), strconv.FormatBool(c.Trainable), strconv.FormatBool(c.Diverged)})
	}
	if err := study.WriteCSV(paths[1], h, rows); err != nil {
		return nil, err
	}
	if err := study.SaveTrainabilityPNG(paths[2], r.Cells, r.SigmaW2s, r.Depths, r.SigmaB2); err != nil {
		return nil, err
	}
	if err := study.WriteJSON(paths[3], prov); err != nil {
		return nil, err
	}
	return paths, nil
}
