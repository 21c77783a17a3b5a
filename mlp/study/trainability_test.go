package study

import (
	"math"
	"path/filepath"
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

// TestTrainabilityRuns trains a tiny grid on separable synthetic data: the
// shards cover the grid once, shallow networks learn, accuracies are in
// range.
func TestTrainabilityRuns(t *testing.T) {
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
	cfg := TrainabilityConfig{SigmaW2s: []float64{1, 2}, Depths: []int{2, 3}, SigmaB2: 0.05, Width: 16,
		Steps: 200, Batch: 32, Eta: 0.1, EvalImages: 300, Threshold: 0.6, Threads: 2}
	var all []TrainCell
	for s := range 3 {
		cfg.Shard, cfg.Shards = s, 3
		cells, err := Trainability(d, cfg)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cells...)
	}
	if len(all) != 4 {
		t.Fatalf("%d cells from the shards, want 4", len(all))
	}
	for _, c := range all {
		if !(c.Accuracy >= 0 && c.Accuracy <= 1) || c.Diverged {
			t.Errorf("cell %+v", c)
		}
		if c.Depth == 2 && !c.Trainable {
			t.Errorf("a 2-layer network did not learn separable data: %+v", c)
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
