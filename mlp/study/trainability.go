package study

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp"
)

// Schoenholz et al.'s (2017) trainability experiment, coarse enough for two
// cores: tanh networks of Width units and depth L, weights N(0, σ_w²/n) and
// biases N(0, σ_b²), softmax outputs with the cross-entropy cost, plain SGD.
// A cell of the (σ_w², L) grid is trainable if its training accuracy after
// Steps steps reaches Threshold. Mean-field theory predicts trainability
// for L < n·ξ_c with n ≈ 6, ξ_c the correlation depth scale.

// TrainabilityConfig is the grid and the training of Trainability.
type TrainabilityConfig struct {
	SigmaW2s []float64 // columns
	Depths   []int     // rows: numbers of tanh layers (L − 1 hidden, plus the softmax)
	SigmaB2  float64
	Width    int
	Steps    int     // SGD steps (default 300)
	Batch    int     // default 128
	Eta      float64 // default 1e-3
	// EvalImages is the size of the fixed subset (the first images of the
	// data) on which the training accuracy is measured; default 10 000.
	EvalImages int
	Threshold  float64 // trainable if accuracy ≥ Threshold; default 0.2
	Seed       uint64
	// Threads runs that many cells at once, each on one goroutine (so the
	// result does not depend on it); default GOMAXPROCS.
	Threads  int
	Progress func(n int)
}

// TrainabilitySpec is what a trainability grid adds to a sweep's
// (SweepConfig.Trainability, SweepGrid.Trainability): the columns' σ_w²
// (whose mean-field initialisers are the sweep's Inits), σ_b², the SGD
// steps, the evaluation subset, the threshold and the seed.
type TrainabilitySpec struct {
	SigmaW2s   []float64 `json:"sigma_w2s"`
	SigmaB2    float64   `json:"sigma_b2"`
	Steps      int       `json:"steps"`
	EvalImages int       `json:"eval_images"`
	Threshold  float64   `json:"threshold"`
	Seed       uint64    `json:"seed"`
}

// TrainCell is one trained cell.
type TrainCell struct {
	SigmaW2  float64 `json:"sigma_w2"`
	Depth    int     `json:"depth"`
	Accuracy float64 `json:"accuracy"`
	// XiC is the theory's ξ_c for (σ_w², σ_b²), Ratio = L/(6ξ_c).
	XiC       float64 `json:"xi_c"`
	Ratio     float64 `json:"depth_over_6xi_c"`
	Trainable bool    `json:"trainable"`
	Diverged  bool    `json:"diverged"`
}

func (c *TrainabilityConfig) defaults() {
	if c.Width <= 0 {
		c.Width = 300
	}
	if c.Steps <= 0 {
		c.Steps = 300
	}
	if c.Batch <= 0 {
		c.Batch = 128
	}
	if c.Eta <= 0 {
		c.Eta = 1e-3
	}
	if c.EvalImages <= 0 {
		c.EvalImages = 10000
	}
	if c.Threshold <= 0 {
		c.Threshold = 0.2
	}
	if c.Threads <= 0 {
		c.Threads = runtime.GOMAXPROCS(0)
	}
}

// Sweep returns the sweep whose runs are the grid's cells, for data of
// inputs inputs and outputs classes: depths Depths (as L), initialisers
// meanfield:σ_w²,σ_b² for each column, tanh, SGD, one seed. Its runs, in
// grid order, are the cells row by row (Depths × SigmaW2s); RunShard shards
// it and MergeShards merges it like any sweep.
func (c TrainabilityConfig) Sweep(inputs, outputs int) SweepConfig {
	c.defaults()
	sc := SweepConfig{Inputs: inputs, Outputs: outputs, Width: c.Width, Depths: slices.Clone(c.Depths),
		Activations: []mlp.Activation{mlp.Tanh}, Optimizers: []Optimizer{OptSGD}, Seeds: 1,
		Batch: c.Batch, Eta: c.Eta, Threads: c.Threads, Progress: c.Progress,
		Trainability: &TrainabilitySpec{SigmaW2s: slices.Clone(c.SigmaW2s), SigmaB2: c.SigmaB2, Steps: c.Steps,
			EvalImages: c.EvalImages, Threshold: c.Threshold, Seed: c.Seed}}
	for _, w := range c.SigmaW2s {
		sc.Inits = append(sc.Inits, mlp.MeanField(w, c.SigmaB2))
	}
	return sc
}

// TrainabilityFlops returns the floating-point operations of the grid's
// training (forward, backward, weight gradients) and evaluation.
func TrainabilityFlops(cfg TrainabilityConfig, inputs, outputs int) float64 {
	cfg.defaults()
	var f float64
	for _, L := range cfg.Depths {
		f += float64(trainabilityRunFLOPs(inputs, cfg.Width, outputs, L, cfg.Steps, cfg.Batch, cfg.EvalImages))
	}
	return f * float64(len(cfg.SigmaW2s))
}

// trainabilityRunFLOPs counts the multiply-adds (×2) of one cell of depth
// L: per SGD step, 2·m·n_in·n_out for the first layer's forward and 2 more
// for its weight gradient (no δ⁰), three such products for every other
// layer; 2·n_in·n_out per evaluated image. Biases and activations are left
// out. It is exact in int64 for any grid that fits in memory.
func trainabilityRunFLOPs(inputs, width, outputs, L, steps, batch, eval int) int64 {
	sizes := trainSizes(inputs, outputs, width, L)
	var pass, fwd int64
	for l := 1; l < len(sizes); l++ {
		w := int64(sizes[l]) * int64(sizes[l-1])
		mul := int64(3)
		if l == 1 {
			mul = 2
		}
		pass += mul * 2 * w
		fwd += 2 * w
	}
	return int64(steps)*int64(batch)*pass + int64(eval)*fwd
}

// trainSizes returns [inputs, width × (L−1), outputs]: L layers with
// weights, the last the softmax.
func trainSizes(inputs, outputs, width, L int) []int {
	s := []int{inputs}
	for range L - 1 {
		s = append(s, width)
	}
	return append(s, outputs)
}

// Trainability trains the grid's cells on data, as a sweep (cfg.Sweep) on
// this machine, and returns them in grid order (rows Depths, columns
// SigmaW2s). RunShard trains one shard of the same sweep instead, and
// TrainabilityCells turns the merged runs into the same cells.
func Trainability(data *mlp.Dataset, cfg TrainabilityConfig) ([]TrainCell, error) {
	sc := cfg.Sweep(data.Inputs, data.Outputs)
	if err := checkTrainabilityData(data, sc.Trainability); err != nil {
		return nil, err
	}
	runs, err := Sweep(data, sc)
	if err != nil {
		return nil, err
	}
	return TrainabilityCells(NewSweepGrid(data, sc), runs)
}

func checkTrainabilityData(data *mlp.Dataset, t *TrainabilitySpec) error {
	if data.Labels == nil || data.Len() < t.EvalImages {
		return fmt.Errorf("study: trainability needs labelled data of at least %d images", t.EvalImages)
	}
	return nil
}

// TrainabilityCells returns the cells of a trainability grid's runs (all
// of them, or those a partial merge found), in the runs' order, with the
// theory's ξ_c and the verdict against the grid's threshold.
func TrainabilityCells(g SweepGrid, runs []SweepRun) ([]TrainCell, error) {
	t := g.Trainability
	if t == nil {
		return nil, fmt.Errorf("study: not a trainability grid")
	}
	xi := map[string]float64{}
	sw := map[string]float64{}
	for _, w := range t.SigmaW2s {
		name := mlp.MeanField(w, t.SigmaB2).String()
		sw[name], xi[name] = w, NewMeanField(MFTanh, w, t.SigmaB2).XiC
	}
	cells := make([]TrainCell, 0, len(runs))
	for _, r := range runs {
		w, ok := sw[r.Init]
		if !ok {
			return nil, fmt.Errorf("study: trainability run with initialiser %q, not one of the grid's columns", r.Init)
		}
		c := TrainCell{SigmaW2: w, Depth: r.Depth, Accuracy: r.Accuracy, XiC: xi[r.Init], Diverged: r.Diverged}
		c.Ratio = float64(c.Depth) / (6 * c.XiC)
		c.Trainable = !c.Diverged && c.Accuracy >= t.Threshold
		cells = append(cells, c)
	}
	return cells, nil
}

// trainabilityRun trains the cell of run r of the trainability sweep cfg
// and records its accuracy (and Diverged) in r; the sweep's other
// measurements stay zero.
func trainabilityRun(data *mlp.Dataset, cfg SweepConfig, r *SweepRun) error {
	t := cfg.Trainability
	if err := checkTrainabilityData(data, t); err != nil {
		return err
	}
	c := TrainCell{Depth: r.Depth, SigmaW2: math.NaN()}
	for _, w := range t.SigmaW2s {
		if mlp.MeanField(w, t.SigmaB2).String() == r.Init {
			c.SigmaW2 = w
		}
	}
	if math.IsNaN(c.SigmaW2) {
		return fmt.Errorf("study: trainability run with initialiser %q, not one of the grid's columns", r.Init)
	}
	tc := TrainabilityConfig{Width: cfg.Width, Steps: t.Steps, Batch: cfg.Batch, Eta: cfg.Eta, EvalImages: t.EvalImages,
		Threshold: t.Threshold, Seed: t.Seed, SigmaB2: t.SigmaB2}
	tc.defaults()
	if err := trainCell(data, tc, &c); err != nil {
		return err
	}
	r.Accuracy, r.Diverged = c.Accuracy, c.Diverged
	return nil
}

// newCellTrainer returns the SGD trainer of a cell, its products on an
// engine of budget 1: a cell runs on one goroutine, and Threads cells run
// at once. (A Trainer's own engine otherwise splits every product over
// GOMAXPROCS goroutines, whatever deltacore.SetGemmThreads says, so that
// `-threads 1` used every core and Threads cells oversubscribed them.)
func newCellTrainer(net *mlp.Network, data *mlp.Dataset, cfg TrainabilityConfig, seed uint64) (*mlp.Trainer, error) {
	tr, err := mlp.NewTrainer(net, mlp.SGD{Eta: cfg.Eta, BatchSize: cfg.Batch, Seed: seed}, data)
	if err != nil {
		return nil, err
	}
	eng, err := deltacore.NewEngine(deltacore.EngineConfig{Threads: 1})
	if err != nil {
		return nil, err
	}
	tr.WS.SetEngine(eng)
	return tr, nil
}

// trainCell trains one network and measures its training accuracy.
func trainCell(data *mlp.Dataset, cfg TrainabilityConfig, c *TrainCell) error {
	sizes := trainSizes(data.Inputs, data.Outputs, cfg.Width, c.Depth)
	net, err := mlp.New(mlp.Config{Sizes: sizes, Hidden: mlp.Tanh, Output: mlp.Softmax, Cost: mlp.CrossEntropy})
	if err != nil {
		return err
	}
	seed := cfg.Seed + uint64(c.Depth)*1000 + uint64(math.Round(c.SigmaW2*100))
	net.Init(mlp.MeanField(c.SigmaW2, cfg.SigmaB2), seed)
	tr, err := newCellTrainer(net, data, cfg, seed)
	if err != nil {
		return err
	}
	// Batches in the order of one shuffle of the data (300 × 128 images
	// is less than an epoch of MNIST's 60 000).
	r := mlp.ShuffleRand(seed)
	perm := r.Perm(data.Len())
	n0 := data.Inputs
	x := make([]float32, cfg.Batch*n0)
	labels := make([]int, cfg.Batch)
	pos := 0
	for range cfg.Steps {
		for i := range labels {
			if pos == len(perm) {
				pos = 0
			}
			k := perm[pos]
			pos++
			copy(x[i*n0:(i+1)*n0], data.X[k*n0:(k+1)*n0])
			labels[i] = data.Labels[k]
		}
		if err := tr.Step(x, labels, nil); err != nil {
			return err
		}
	}
	if net.CheckFinite() != nil {
		c.Diverged = true
		return nil
	}
	ws, err := mlp.NewWorkspace(net, 500)
	if err != nil {
		return err
	}
	ws.SetEngine(tr.WS.Engine())
	correct := 0
	for i := 0; i < cfg.EvalImages; i += 500 {
		j := min(i+500, cfg.EvalImages)
		if err := ws.Forward(data.X[i*n0 : j*n0]); err != nil {
			return err
		}
		correct += ws.Correct(data.Labels[i:j])
	}
	c.Accuracy = float64(correct) / float64(cfg.EvalImages)
	c.Trainable = c.Accuracy >= cfg.Threshold
	return nil
}

// TrainabilityVerdict is the comparison of a trained grid with the rule
// "trainable iff L < 6ξ_c" (the paper's figure), as P1–P4.
type TrainabilityVerdict struct {
	// Agree is the fraction of all cells the rule gets right, AgreeFar
	// that of the cells with L/6ξ_c outside [0.75, 1.33] (NaN if none).
	Agree    float64 `json:"agree_all"`
	AgreeFar float64 `json:"agree_far"`
	FarCells int     `json:"far_cells"`
	P1       bool    `json:"p1"`
	// BestCutoff is the agreement of the best rule "trainable iff L < D"
	// that ignores σ_w² (over every D), P2 the rule beating it by 10 points.
	BestCutoff      float64 `json:"best_depth_cutoff_agree"`
	BestCutoffDepth float64 `json:"best_depth_cutoff"`
	P2              bool    `json:"p2"`
	// Deepest is the deepest trainable L of each σ_w² column (0: none).
	Deepest []int `json:"deepest_trainable"`
	// P3: the deepest trainable L peaks in the σ_w² ∈ [1.5, 2.0] columns at
	// ≥ 4× the σ_w² = 1.0 column, and σ_w² = 4.0 trains at least as deep as
	// σ_w² = 1.0. P3Applies is false when the grid lacks those columns.
	P3        bool `json:"p3"`
	P3Applies bool `json:"p3_applies"`
	// BestN is the n that best fits "trainable iff L < n·ξ_c" (the middle
	// of the best interval on a grid of n), BestNAgree its agreement; P4:
	// BestN in [3, 12].
	BestN      float64 `json:"best_n"`
	BestNAgree float64 `json:"best_n_agree"`
	P4         bool    `json:"p4"`
}

// MarshalJSON writes the verdict with agree_far null when no cell lies far
// from the boundary (AgreeFar NaN, which encoding/json cannot write).
func (v TrainabilityVerdict) MarshalJSON() ([]byte, error) {
	type plain TrainabilityVerdict
	w := struct {
		plain
		AgreeFar *float64 `json:"agree_far"`
	}{plain: plain(v)}
	if !math.IsNaN(v.AgreeFar) {
		w.AgreeFar = &v.AgreeFar
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads what MarshalJSON writes (null agree_far as NaN).
func (v *TrainabilityVerdict) UnmarshalJSON(b []byte) error {
	type plain TrainabilityVerdict
	w := struct {
		*plain
		AgreeFar *float64 `json:"agree_far"`
	}{plain: (*plain)(v)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	v.AgreeFar = math.NaN()
	if w.AgreeFar != nil {
		v.AgreeFar = *w.AgreeFar
	}
	return nil
}

// JudgeTrainability evaluates P1–P4 on a complete grid.
func JudgeTrainability(cells []TrainCell, sigmaW2s []float64) TrainabilityVerdict {
	var v TrainabilityVerdict
	agree := func(pred func(c TrainCell) bool, filter func(c TrainCell) bool) (float64, int) {
		ok, n := 0, 0
		for _, c := range cells {
			if filter != nil && !filter(c) {
				continue
			}
			n++
			if pred(c) == c.Trainable {
				ok++
			}
		}
		if n == 0 {
			return math.NaN(), 0
		}
		return float64(ok) / float64(n), n
	}
	rule := func(c TrainCell) bool { return float64(c.Depth) < 6*c.XiC }
	v.Agree, _ = agree(rule, nil)
	v.AgreeFar, v.FarCells = agree(rule, func(c TrainCell) bool { return c.Ratio < 0.75 || c.Ratio > 1.33 })
	v.P1 = v.Agree >= 0.8 && (v.FarCells == 0 || v.AgreeFar >= 0.9)
	// Depth cutoffs: below every depth, between each pair, above all.
	depthSet := map[int]bool{}
	for _, c := range cells {
		depthSet[c.Depth] = true
	}
	var depths []int
	for d := range depthSet {
		depths = append(depths, d)
	}
	sort.Ints(depths)
	cuts := []float64{float64(depths[0])}
	for i := 1; i < len(depths); i++ {
		cuts = append(cuts, float64(depths[i-1]+depths[i])/2)
	}
	cuts = append(cuts, float64(depths[len(depths)-1])+1)
	v.BestCutoff = -1
	for _, D := range cuts {
		a, _ := agree(func(c TrainCell) bool { return float64(c.Depth) < D }, nil)
		if a > v.BestCutoff {
			v.BestCutoff, v.BestCutoffDepth = a, D
		}
	}
	v.P2 = v.Agree-v.BestCutoff >= 0.10-1e-12
	// Deepest trainable per column.
	v.Deepest = make([]int, len(sigmaW2s))
	col := func(w float64) int {
		for j, x := range sigmaW2s {
			if math.Abs(x-w) < 1e-9 {
				return j
			}
		}
		return -1
	}
	for _, c := range cells {
		if j := col(c.SigmaW2); j >= 0 && c.Trainable && c.Depth > v.Deepest[j] {
			v.Deepest[j] = c.Depth
		}
	}
	j1, j4 := col(1.0), col(4.0)
	peak, peakMid := 0, 0
	for j, w := range sigmaW2s {
		peak = max(peak, v.Deepest[j])
		if w >= 1.5-1e-9 && w <= 2.0+1e-9 {
			peakMid = max(peakMid, v.Deepest[j])
		}
	}
	v.P3Applies = j1 >= 0 && j4 >= 0 && peakMid > 0
	if v.P3Applies {
		v.P3 = peakMid == peak && peakMid >= 4*v.Deepest[j1] && v.Deepest[j4] >= v.Deepest[j1]
	}
	// The n of "L < n·ξ_c" that agrees best: scan n, take the middle of the
	// longest best run.
	best, bestLo, bestHi := -1.0, 0.0, 0.0
	for n := 0.5; n <= 40; n += 0.05 {
		a, _ := agree(func(c TrainCell) bool { return float64(c.Depth) < n*c.XiC }, nil)
		switch {
		case a > best+1e-12:
			best, bestLo, bestHi = a, n, n
		case math.Abs(a-best) <= 1e-12 && math.Abs(n-0.05-bestHi) < 1e-9:
			bestHi = n
		}
	}
	v.BestN, v.BestNAgree = (bestLo+bestHi)/2, best
	v.P4 = v.BestN >= 3 && v.BestN <= 12
	return v
}
