package study

import (
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/deltacore/deltacore/mlp"
)

func TestSweep(t *testing.T) {
	data := testData(60, 20, 4)
	cfg := SweepConfig{Inputs: 20, Outputs: 4, Width: 6, Depths: []int{1, 3},
		Inits:       []mlp.Initializer{mlp.NielsenDefault, fixedInit{}},
		Activations: []mlp.Activation{mlp.Sigmoid, mlp.Tanh},
		Optimizers:  []Optimizer{OptSGD, OptMomentum, OptNesterov},
		Seeds:       2, Epochs: 3, Batch: 20, Eta: 0.1, Mu: 0.9, Threads: 1}
	runs1, err := Sweep(data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs1) != 2*2*2*3*2 {
		t.Fatalf("%d runs", len(runs1))
	}
	cfg.Threads = 3
	runs3, err := Sweep(data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(runs1, runs3) {
		t.Fatal("results depend on the thread count")
	}
	// The fixed initialiser at depth 3, sigmoid: the speeds at
	// initialisation are those of the float64 reference.
	ref := refSpeeds([]int{20, 6, 6, 6, 4}, data, 0, 0, 0)[0]
	found := false
	for _, r := range runs1 {
		if r.Init == "fixed" && r.Depth == 3 && r.Activation == "sigmoid" {
			found = true
			for l, v := range r.SpeedsInit {
				if math.Abs(v-ref[l]) > 1e-5*ref[l] {
					t.Errorf("speed %d at init %g, float64 reference %g", l+1, v, ref[l])
				}
			}
			if r.RatioInit != r.SpeedsInit[0]/r.SpeedsInit[2] {
				t.Error("bad ratio")
			}
			if !(r.Cost < r.CostInit) {
				t.Errorf("%s: training did not lower the cost: %g → %g", r.Optimizer, r.CostInit, r.Cost)
			}
		}
	}
	if !found {
		t.Fatal("grid point missing")
	}
	gs := SummariseSweep(runs1)
	if len(gs) != 2*2*2*3 {
		t.Fatalf("%d groups", len(gs))
	}
	figs := SweepFigures(gs)
	if len(figs) != 4 {
		t.Fatalf("%d figures", len(figs))
	}
	dir := t.TempDir()
	for name, f := range figs {
		p := filepath.Join(dir, name+".png")
		if err := f.SavePNG(p); err != nil {
			t.Fatal(err)
		}
		checkPNG(t, p)
	}
	if _, err := Sweep(data, SweepConfig{Inputs: 20, Outputs: 4, Width: 6, Depths: []int{0}, Seeds: 1,
		Inits: []mlp.Initializer{fixedInit{}}, Activations: []mlp.Activation{mlp.Sigmoid}, Optimizers: []Optimizer{OptSGD}}); err == nil {
		t.Error("no error for depth 0")
	}
}
