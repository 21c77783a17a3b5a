package study

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/deltacore/deltacore/mlp"
)

// TestJudgeTrainability: a grid that follows the rule exactly passes P1
// and P4 (with n near 6), and beats every depth cutoff when the boundary
// depends on σ_w²; a grid where depth alone decides fails P2.
func TestJudgeTrainability(t *testing.T) {
	ws := []float64{1.0, 1.5, 1.76, 2.0, 3.0, 4.0}
	ds := []int{10, 20, 45, 70, 100, 150}
	var follow, blind []TrainCell
	for _, d := range ds {
		for _, w := range ws {
			xi := NewMeanField(MFTanh, w, 0.05).XiC
			c := TrainCell{SigmaW2: w, Depth: d, XiC: xi, Ratio: float64(d) / (6 * xi)}
			c.Trainable = float64(d) < 6*xi
			follow = append(follow, c)
			c.Trainable = d < 50
			blind = append(blind, c)
		}
	}
	v := JudgeTrainability(follow, ws)
	if v.Agree != 1 || !v.P1 || !v.P4 || math.Abs(v.BestN-6) > 1.5 || !v.P2 {
		t.Errorf("rule-following grid: %+v", v)
	}
	if !v.P3Applies || !v.P3 {
		t.Errorf("rule-following grid P3: deepest %v", v.Deepest)
	}
	b := JudgeTrainability(blind, ws)
	if b.BestCutoff != 1 || b.P2 {
		t.Errorf("depth-only grid: %+v", b)
	}
	var sb strings.Builder
	WriteTrainabilityTable(&sb, follow, ws, ds, v)
	if !strings.Contains(sb.String(), "P1") || !strings.Contains(sb.String(), "P4") {
		t.Errorf("table:\n%s", sb.String())
	}
	if err := SaveTrainabilityPNG(filepath.Join(t.TempDir(), "t.png"), follow, ws, ds, 0.05); err != nil {
		t.Error(err)
	}
}

// trainabilityTestData is separable synthetic data: class c lifts the
// inputs k ≡ c (mod classes) by 1.
func trainabilityTestData() *mlp.Dataset {
	const n, in, classes = 600, 12, 3
	r := mlp.NewRand(5)
	d := &mlp.Dataset{X: make([]float32, n*in), Inputs: in, Labels: make([]int, n), Outputs: classes}
	for i := 0; i < n; i++ {
		c := i % classes
		d.Labels[i] = c
		for k := 0; k < in; k++ {
			v := 0.3 * r.NormFloat64()
			if k%classes == c {
				v += 1
			}
			d.X[i*in+k] = float32(v)
		}
	}
	return d
}

// TestTrainabilityRuns trains a tiny grid on separable synthetic data:
// shallow networks learn, accuracies are in range, cells come in grid
// order with the theory's ξ_c, and a subset larger than the data is
// refused.
func TestTrainabilityRuns(t *testing.T) {
	d := trainabilityTestData()
	cfg := TrainabilityConfig{SigmaW2s: []float64{1, 2}, Depths: []int{2, 3}, SigmaB2: 0.05, Width: 16,
		Steps: 200, Batch: 32, Eta: 0.1, EvalImages: 300, Threshold: 0.6, Threads: 2}
	all, err := Trainability(d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Fatalf("%d cells, want 4", len(all))
	}
	for i, c := range all {
		if c.Depth != cfg.Depths[i/2] || c.SigmaW2 != cfg.SigmaW2s[i%2] {
			t.Errorf("cell %d is (L %d, σ_w² %g), want grid order", i, c.Depth, c.SigmaW2)
		}
		if !(c.Accuracy >= 0 && c.Accuracy <= 1) || c.Diverged {
			t.Errorf("cell %+v", c)
		}
		if c.Depth == 2 && !c.Trainable {
			t.Errorf("a 2-layer network did not learn separable data: %+v", c)
		}
		xi := NewMeanField(MFTanh, c.SigmaW2, 0.05).XiC
		if c.XiC != xi || c.Ratio != float64(c.Depth)/(6*xi) || c.Trainable != (c.Accuracy >= 0.6) {
			t.Errorf("cell %+v: ξ_c %g, ratio or verdict wrong", c, xi)
		}
	}
	if _, err := Trainability(d, TrainabilityConfig{SigmaW2s: []float64{1}, Depths: []int{2}, EvalImages: 601}); err == nil {
		t.Error("an evaluation subset larger than the data was accepted")
	}
}

// TestTrainabilityShards: the trainability grid is a sweep; its shards,
// run through RunShard (once resumed: a shard run twice trains nothing)
// and merged with MergeShards, give the unsharded cells bit for bit, and
// the grid hash names the trainability settings.
func TestTrainabilityShards(t *testing.T) {
	d := trainabilityTestData()
	cfg := TrainabilityConfig{SigmaW2s: []float64{1, 1.76, 4}, Depths: []int{2, 5, 3}, SigmaB2: 0.05, Width: 8,
		Steps: 40, Batch: 16, Eta: 0.05, EvalImages: 200, Threshold: 0.6, Seed: 3, Threads: 2}
	ref, err := Trainability(d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	refJS, _ := json.Marshal(ref)
	sc := cfg.Sweep(d.Inputs, d.Outputs)
	grid := NewSweepGrid(d, sc)
	if grid.Trainability == nil || len(grid.Runs()) != 9 {
		t.Fatalf("grid %+v", grid)
	}
	other := cfg
	other.Steps++
	if NewSweepGrid(d, other.Sweep(d.Inputs, d.Outputs)).Hash() == grid.Hash() {
		t.Error("the grid hash does not see the number of steps")
	}
	// The sweep's FLOP estimate is the trainability count.
	var f int64
	for _, r := range grid.Runs() {
		f += grid.RunFLOPs(r.Depth)
	}
	if float64(f) != TrainabilityFlops(cfg, d.Inputs, d.Outputs) {
		t.Errorf("grid FLOPs %d, TrainabilityFlops %g", f, TrainabilityFlops(cfg, d.Inputs, d.Outputs))
	}
	for _, n := range []int{1, 2, 4} {
		dir := t.TempDir()
		paths := runShards(t, d, sc, dir, n, "test")
		rep, err := RunShard(context.Background(), d, sc, ShardConfig{Shard: 0, Shards: n, Path: paths[0], Version: "test"})
		if err != nil || rep.Ran != 0 {
			t.Fatalf("shard 0/%d run twice: ran %d, %v", n, rep.Ran, err)
		}
		m, err := MergeShards(paths)
		if err != nil || !m.Complete() {
			t.Fatalf("merge of %d shards: %v", n, err)
		}
		cells, err := TrainabilityCells(m.Grid, m.PresentRuns())
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(cells)
		if !bytes.Equal(js, refJS) {
			t.Errorf("%d shards merged:\n%s\nunsharded:\n%s", n, js, refJS)
		}
	}
}

// TestCellTrainerOneThread: a cell's products stay on its goroutine (engine
// budget 1) even when GOMAXPROCS is larger, since Trainability runs Threads
// cells at once; the Trainer's default engine would take GOMAXPROCS.
func TestCellTrainerOneThread(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	net, err := mlp.New(mlp.Config{Sizes: []int{4, 3, 2}, Hidden: mlp.Tanh, Output: mlp.Softmax, Cost: mlp.CrossEntropy})
	if err != nil {
		t.Fatal(err)
	}
	data := &mlp.Dataset{X: make([]float32, 8*4), Inputs: 4, Labels: make([]int, 8), Outputs: 2}
	cfg := TrainabilityConfig{Batch: 4}
	cfg.defaults()
	cfg.Batch = 4
	tr, err := newCellTrainer(net, data, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.WS.Engine().Threads(); got != 1 {
		t.Fatalf("cell trainer engine budget %d, want 1 (GOMAXPROCS %d)", got, runtime.GOMAXPROCS(0))
	}
}

// TestTrainabilityVerdictJSON: a grid with no cell far from the boundary
// (AgreeFar NaN) still encodes, as null, and reads back; other verdicts
// round-trip exactly with the field names of their tags.
func TestTrainabilityVerdictJSON(t *testing.T) {
	xi := NewMeanField(MFTanh, 4, 0.05).XiC
	near := []TrainCell{{SigmaW2: 4, Depth: 45, XiC: xi, Ratio: 45 / (6 * xi), Trainable: true}}
	v := JudgeTrainability(near, []float64{4})
	if v.FarCells != 0 || !math.IsNaN(v.AgreeFar) {
		t.Fatalf("cell at L/6ξ_c = %.3f: far cells %d, agree_far %g", near[0].Ratio, v.FarCells, v.AgreeFar)
	}
	b, err := json.Marshal(v)
	if err != nil || !strings.Contains(string(b), `"agree_far":null`) || !strings.Contains(string(b), `"p1":`) {
		t.Fatalf("%s, %v", b, err)
	}
	var back TrainabilityVerdict
	if err := json.Unmarshal(b, &back); err != nil || !math.IsNaN(back.AgreeFar) || back.Agree != v.Agree || back.BestN != v.BestN {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	ws := []float64{1, 4}
	var cells []TrainCell
	for _, d := range []int{10, 100} {
		for _, w := range ws {
			x := NewMeanField(MFTanh, w, 0.05).XiC
			cells = append(cells, TrainCell{SigmaW2: w, Depth: d, XiC: x, Ratio: float64(d) / (6 * x), Trainable: d == 10})
		}
	}
	v = JudgeTrainability(cells, ws)
	b, err = json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	back = TrainabilityVerdict{}
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, v) {
		t.Errorf("round trip: %+v, want %+v (%v)", back, v, err)
	}
}
