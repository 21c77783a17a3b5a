package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp/mnist"
	"github.com/deltacore/deltacore/mlp/study"
)

const trainabilityUsage = `usage: deltacore study trainability [flags]

Schoenholz et al.'s (2017) trainability experiment on MNIST, coarse enough
for two cores: tanh networks of width 300 and depth L, weights N(0, σ_w²/n),
biases N(0, σ_b²), softmax cross-entropy, plain SGD (η = 10⁻³, batch 128,
300 steps); a cell is trainable if its training accuracy on the first
10 000 images reaches 0.2. It prints the grid, draws the heat map with the
6ξ_c curve, and judges the rule "trainable iff L < 6ξ_c" (P1–P4). The full
8 × 8 grid is about 115 TFLOP; -quick runs 6 × 6. -shard i/n trains every
n-th cell (for several machines); -merge a.json,b.json,… joins the shards'
JSON and judges the whole grid.

flags:
`

type trainabilityReport struct {
	SigmaB2  float64                    `json:"sigma_b2"`
	SigmaW2s []float64                  `json:"sigma_w2s"`
	Depths   []int                      `json:"depths"`
	Shard    string                     `json:"shard"`
	Seconds  float64                    `json:"seconds"`
	GFLOP    float64                    `json:"gflop"`
	Cells    []study.TrainCell          `json:"cells"`
	Verdict  *study.TrainabilityVerdict `json:"verdict,omitempty"`
}

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

func cmdStudyTrainability(args []string) {
	fs := flag.NewFlagSet("study trainability", flag.ExitOnError)
	quick := fs.Bool("quick", false, "the 6 × 6 grid (σ_w² 1, 1.5, 1.76, 2, 3, 4; L 10, 20, 45, 70, 100, 150)")
	sw2Flag := fs.String("sigma-w2", "1,1.25,1.5,1.76,2,2.5,3,4", "σ_w² columns")
	depthFlag := fs.String("depths", "10,20,30,45,70,100,150,200", "depths L (layers with weights)")
	sb2 := fs.Float64("sigma-b2", 0.05, "σ_b²")
	width := fs.Int("width", 300, "units per hidden layer")
	steps := fs.Int("steps", 300, "SGD steps")
	batch := fs.Int("batch", 128, "batch size")
	eta := fs.Float64("eta", 1e-3, "learning rate")
	evalN := fs.Int("eval", 10000, "training images the accuracy is measured on")
	threshold := fs.Float64("threshold", 0.2, "trainable if the accuracy reaches this")
	seed := fs.Uint64("seed", 1, "seed")
	threads := fs.Int("threads", 0, "cells trained at once (0: GOMAXPROCS)")
	shard := fs.String("shard", "0/1", "train the cells i, i+n, i+2n, … of the grid (i/n)")
	merge := fs.String("merge", "", "join these shard JSON files (comma-separated) instead of training")
	out := fs.String("out", "deltacore-out", "folder for the plot and JSON")
	data := fs.String("data", "", "directory of the MNIST IDX files (default: the GoMNIST module's data)")
	asJSON := fs.Bool("json", false, "print the JSON report instead of the table")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), trainabilityUsage)
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() > 0 {
		fail(fmt.Errorf("study trainability: unexpected argument %q", fs.Arg(0)))
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
	var si, sn int
	if _, err := fmt.Sscanf(*shard, "%d/%d", &si, &sn); err != nil || sn < 1 || si < 0 || si >= sn {
		fail(fmt.Errorf("study trainability: -shard %q: want i/n with 0 ≤ i < n", *shard))
	}
	rep := trainabilityReport{SigmaB2: *sb2, SigmaW2s: sw2s, Depths: depths, Shard: *shard}
	if *merge != "" {
		for _, f := range strings.Split(*merge, ",") {
			b, err := os.ReadFile(strings.TrimSpace(f))
			if err != nil {
				fail(err)
			}
			var part trainabilityReport
			if err := json.Unmarshal(b, &part); err != nil {
				fail(fmt.Errorf("study trainability: %s: %w", f, err))
			}
			rep.SigmaB2, rep.SigmaW2s, rep.Depths = part.SigmaB2, part.SigmaW2s, part.Depths
			rep.Cells = append(rep.Cells, part.Cells...)
			rep.Seconds += part.Seconds
			rep.GFLOP += part.GFLOP
		}
		rep.Shard = "merged"
	} else {
		cfg := study.TrainabilityConfig{SigmaW2s: sw2s, Depths: depths, SigmaB2: *sb2, Width: *width, Steps: *steps,
			Batch: *batch, Eta: *eta, EvalImages: *evalN, Threshold: *threshold, Seed: *seed, Threads: goroutines(*threads),
			Shard: si, Shards: sn}
		train, err := mnist.LoadTrainHead(*data, 60000, mnist.PixelScale)
		if err != nil {
			fail(err)
		}
		ds := train.Dataset()
		// Each cell trains on one goroutine; the products inside stay on it.
		defer deltacore.SetGemmThreads(deltacore.SetGemmThreads(1))
		cells := len(sw2s) * len(depths)
		bar := newProgress("trainability", (cells-si+sn-1)/sn, *quiet)
		cfg.Progress = bar.Add
		t0 := time.Now()
		rep.Cells, err = study.Trainability(ds, cfg)
		if err != nil {
			fail(err)
		}
		bar.Finish()
		rep.Seconds = time.Since(t0).Seconds()
		rep.GFLOP = study.TrainabilityFlops(cfg, ds.Inputs, ds.Outputs) / 1e9 * float64(len(rep.Cells)) / float64(cells)
	}
	complete := len(rep.Cells) == len(rep.SigmaW2s)*len(rep.Depths)
	if complete {
		v := study.JudgeTrainability(rep.Cells, rep.SigmaW2s)
		rep.Verdict = &v
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	name := "trainability"
	if rep.Shard != "0/1" && rep.Shard != "merged" {
		name += "-shard" + strings.ReplaceAll(rep.Shard, "/", "of")
	}
	js := filepath.Join(*out, name+".json")
	if err := study.WriteJSON(js, rep); err != nil {
		fail(err)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fail(err)
		}
		return
	}
	fmt.Printf("trainability, tanh, width %d, σ_b² = %g, %d steps of SGD (η = %g, batch %d); accuracy %% on %d training images, * = trainable (≥ %g)\n\n",
		*width, rep.SigmaB2, *steps, *eta, *batch, *evalN, *threshold)
	var v study.TrainabilityVerdict
	if rep.Verdict != nil {
		v = *rep.Verdict
	}
	study.WriteTrainabilityTable(os.Stdout, rep.Cells, rep.SigmaW2s, rep.Depths, v)
	if !complete {
		fmt.Printf("\n(shard %s: %d of %d cells; merge the shards' JSON with -merge for the verdict)\n", rep.Shard, len(rep.Cells), len(rep.SigmaW2s)*len(rep.Depths))
	}
	if rep.Seconds > 0 {
		fmt.Printf("\n%.0f s, %.0f GFLOP, %.1f GFLOP/s\n", rep.Seconds, rep.GFLOP, rep.GFLOP/rep.Seconds)
	}
	png := filepath.Join(*out, name+".png")
	if complete {
		if err := study.SaveTrainabilityPNG(png, rep.Cells, rep.SigmaW2s, rep.Depths, rep.SigmaB2); err != nil {
			fail(err)
		}
		fmt.Printf("wrote %s %s\n", png, js)
	} else {
		fmt.Printf("wrote %s\n", js)
	}
}
