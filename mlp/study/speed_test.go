package study

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp"
)

// fixedInit sets seed-free weights: the same network for every seed.
type fixedInit struct{}

func (fixedInit) InitLayer(_ *rand.Rand, w, b []float32, nIn, nOut int) {
	for j := 0; j < nOut; j++ {
		for i := 0; i < nIn; i++ {
			w[j*nIn+i] = float32(0.9 * math.Sin(float64(7*j+3*i+nIn)))
		}
		b[j] = float32(0.5 * math.Cos(float64(5*j+nOut)))
	}
}
func (fixedInit) String() string { return "fixed" }

func testData(m, nIn, classes int) *mlp.Dataset {
	d := &mlp.Dataset{X: make([]float32, m*nIn), Inputs: nIn, Labels: make([]int, m)}
	for i := range d.X {
		d.X[i] = float32(math.Mod(float64(i)*0.618034, 1)) // in [0, 1), like pixels
	}
	for i := range d.Labels {
		d.Labels[i] = (i * 7) % classes
	}
	return d
}

// refNet is a float64 copy of a network with fixedInit's weights.
type refNet struct {
	sizes []int
	w, b  [][]float64
}

func newRefNet(sizes []int) *refNet {
	L := len(sizes) - 1
	r := &refNet{sizes: sizes, w: make([][]float64, L+1), b: make([][]float64, L+1)}
	for l := 1; l <= L; l++ {
		w32 := make([]float32, sizes[l]*sizes[l-1])
		b32 := make([]float32, sizes[l])
		fixedInit{}.InitLayer(nil, w32, b32, sizes[l-1], sizes[l])
		for _, v := range w32 {
			r.w[l] = append(r.w[l], float64(v))
		}
		for _, v := range b32 {
			r.b[l] = append(r.b[l], float64(v))
		}
	}
	return r
}

// pass runs sample s forward and backward (sigmoid units, cross-entropy
// cost), written plainly, and returns aˡ and δˡ for every layer.
func (r *refNet) pass(data *mlp.Dataset, s int) (a, d [][]float64) {
	sizes, L := r.sizes, len(r.sizes)-1
	a = make([][]float64, L+1)
	d = make([][]float64, L+1)
	a[0] = make([]float64, sizes[0])
	for i := range a[0] {
		a[0][i] = float64(data.X[s*sizes[0]+i])
	}
	for l := 1; l <= L; l++ {
		a[l] = make([]float64, sizes[l])
		for j := range a[l] {
			v := r.b[l][j]
			for i := 0; i < sizes[l-1]; i++ {
				v += r.w[l][j*sizes[l-1]+i] * a[l-1][i]
			}
			a[l][j] = 1 / (1 + math.Exp(-v))
		}
	}
	d[L] = make([]float64, sizes[L])
	for j := range d[L] {
		y := 0.0
		if data.Labels[s] == j {
			y = 1
		}
		d[L][j] = a[L][j] - y // cross-entropy with sigmoid output
	}
	for l := L - 1; l >= 1; l-- {
		d[l] = make([]float64, sizes[l])
		for i := range d[l] {
			v := 0.0
			for j := range d[l+1] {
				v += r.w[l+1][i+j*sizes[l]] * d[l+1][j]
			}
			d[l][i] = v * a[l][i] * (1 - a[l][i])
		}
	}
	return a, d
}

// refSpeeds trains the float64 network and returns the hidden speeds before
// each step (at least one row).
func refSpeeds(sizes []int, data *mlp.Dataset, eta, lambda float64, steps int) [][]float64 {
	r := newRefNet(sizes)
	L := len(sizes) - 1
	m := data.Len()
	var curve [][]float64
	for t := 0; t < max(steps, 1); t++ {
		gw := make([][]float64, L+1)
		gb := make([][]float64, L+1)
		for l := 1; l <= L; l++ {
			gw[l] = make([]float64, len(r.w[l]))
			gb[l] = make([]float64, len(r.b[l]))
		}
		for s := 0; s < m; s++ {
			a, d := r.pass(data, s)
			for l := 1; l <= L; l++ {
				for j := range d[l] {
					gb[l][j] += d[l][j] / float64(m)
					for i := 0; i < sizes[l-1]; i++ {
						gw[l][j*sizes[l-1]+i] += d[l][j] * a[l-1][i] / float64(m)
					}
				}
			}
		}
		row := make([]float64, L-1)
		for l := 1; l < L; l++ {
			ss := 0.0
			for _, v := range gb[l] {
				ss += v * v
			}
			row[l-1] = math.Sqrt(ss)
		}
		curve = append(curve, row)
		for l := 1; l <= L; l++ {
			for i := range r.w[l] {
				r.w[l][i] = (1-eta*lambda/float64(m))*r.w[l][i] - eta*gw[l][i]
			}
			for i := range r.b[l] {
				r.b[l][i] -= eta * gb[l][i]
			}
		}
	}
	return curve
}

func TestSpeedsAgainstFloat64(t *testing.T) {
	sizes := []int{20, 8, 7, 6, 4}
	data := testData(50, 20, 4)
	const steps = 30
	want := refSpeeds(sizes, data, 0.5, 5, steps)
	for _, lvl := range deltacore.Levels() {
		t.Run("isa="+lvl.String(), func(t *testing.T) {
			old := deltacore.CurrentLevel()
			if err := deltacore.SetLevel(lvl); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { deltacore.SetLevel(old) })
			rep, err := Speeds(data, SpeedConfig{Nets: [][]int{sizes}, InitSeeds: 3, TrainSeeds: 2, Steps: steps,
				Eta: 0.5, Lambda: 5, Init: fixedInit{}, Threads: 2})
			if err != nil {
				t.Fatal(err)
			}
			ns := rep.Nets[0]
			for l, b := range ns.Init {
				for _, v := range []float64{b.Median, b.P05, b.P95} {
					if math.Abs(v-want[0][l]) > 1e-5*want[0][l] {
						t.Errorf("init layer %d: %g, float64 reference %g", l+1, v, want[0][l])
					}
				}
			}
			for st, row := range ns.Curves {
				for l, b := range row {
					if math.Abs(b.Median-want[st][l]) > 1e-4*want[st][l] {
						t.Errorf("step %d layer %d: %g, float64 reference %g", st, l+1, b.Median, want[st][l])
					}
				}
			}
			if r := want[0][len(want[0])-1] / want[0][0]; math.Abs(ns.Ratio.Median-r) > 1e-4*r {
				t.Errorf("ratio %g, want %g", ns.Ratio.Median, r)
			}
		})
	}
}

func TestSpeedFiles(t *testing.T) {
	sizes := []int{20, 8, 7, 4}
	data := testData(30, 20, 4)
	rep, err := Speeds(data, SpeedConfig{Nets: [][]int{sizes, {20, 5, 5, 5, 4}}, InitSeeds: 5, TrainSeeds: 3, Steps: 7, Seed: 1,
		Eta: BookEta, Lambda: BookLambda})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := rep.WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2+2*3 {
		t.Fatalf("wrote %v", paths)
	}
	checkPNG(t, filepath.Join(dir, "speeds-20-8-7-4.png"))
	checkPNG(t, filepath.Join(dir, "speeds-20-5-5-5-4.png"))
	f, err := os.Open(filepath.Join(dir, "speeds-20-5-5-5-4.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+3*7*3 {
		t.Fatalf("%d CSV rows, want %d", len(recs), 1+3*7*3)
	}
	var tab InitJSON
	data2, err := os.ReadFile(filepath.Join(dir, "speeds-init.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data2, &tab); err != nil {
		t.Fatal(err)
	}
	if len(tab.Nets) != 2 || len(tab.Nets[1].Layers) != 3 || tab.Nets[1].Layers[2].Median != rep.Nets[1].Init[2].Median {
		t.Fatalf("bad init table %+v", tab)
	}
}

func TestSpeedsErrors(t *testing.T) {
	data := testData(10, 20, 4)
	if _, err := Speeds(data, SpeedConfig{Nets: [][]int{{20, 4}}}); err == nil {
		t.Error("no error for a network without hidden layer")
	}
	if _, err := Speeds(data, SpeedConfig{Nets: [][]int{{21, 5, 4}}, InitSeeds: 2}); err == nil {
		t.Error("no error for a wrong input width")
	}
	if _, err := Speeds(data, SpeedConfig{Nets: [][]int{{20, 5, 4}}, InitSeeds: 4, TrainSeeds: 2, Steps: 3}); err == nil {
		t.Error("no error for training without a learning rate")
	}
	if _, err := Speeds(data, SpeedConfig{Nets: [][]int{{20, 5, 4}}, InitSeeds: 2, TrainSeeds: 3}); err == nil {
		t.Error("no error for more training seeds than seeds")
	}
}

// TestSpeedsNoNetworks: an empty (non-nil) network list is no work, not a
// panic (the thread split divides by the number of jobs).
func TestSpeedsNoNetworks(t *testing.T) {
	data := &mlp.Dataset{X: make([]float32, 4), Inputs: 4, Labels: []int{0}, Outputs: 2}
	rep, err := Speeds(data, SpeedConfig{Nets: [][]int{}, InitSeeds: 1, TrainSeeds: 1, Steps: 1, Eta: 0.1})
	if err != nil || len(rep.Nets) != 0 {
		t.Fatalf("Speeds with no networks: %v, %+v", err, rep)
	}
}

// TestSpeedsLeavesGemmThreads runs two Speeds at once and checks that the
// process-wide deltacore.SetGemmThreads setting is left as it was (each
// worker uses an engine of its own) and that both give the same report.
func TestSpeedsLeavesGemmThreads(t *testing.T) {
	sizes := []int{20, 8, 7, 4}
	data := testData(50, 20, 4)
	old := deltacore.SetGemmThreads(3)
	defer deltacore.SetGemmThreads(old)
	var reps [2]*SpeedReport
	var wg sync.WaitGroup
	for i := range reps {
		wg.Go(func() {
			rep, err := Speeds(data, SpeedConfig{Nets: [][]int{sizes}, InitSeeds: 3, TrainSeeds: 2, Steps: 5,
				Eta: 0.5, Lambda: 5, Init: fixedInit{}, Threads: 1 + i})
			if err != nil {
				t.Error(err)
			}
			reps[i] = rep
		})
	}
	wg.Wait()
	if got := deltacore.SetGemmThreads(3); got != 3 {
		t.Errorf("SetGemmThreads is %d after two concurrent Speeds, want 3", got)
	}
	if t.Failed() {
		return
	}
	a, b := reps[0].Nets[0], reps[1].Nets[0]
	for st := range a.Curves {
		for l := range a.Curves[st] {
			if a.Curves[st][l].Median != b.Curves[st][l].Median {
				t.Errorf("step %d layer %d: %v with 1 thread, %v with 2", st, l+1, a.Curves[st][l].Median, b.Curves[st][l].Median)
			}
		}
	}
}

// TestSpeedsGroupsAsSingles checks that the networks Speeds trains in
// groups (sharing each step's first-layer weight gradient, networks of
// different depths with the same n⁰ and n¹ together), and on the inputs
// that are not 0 in every sample alone (SpeedConfig.Dense false), have the
// curves SpeedCurve gives each alone on all inputs, bit for bit.
func TestSpeedsGroupsAsSingles(t *testing.T) {
	nets := [][]int{{784, 30, 20, 10}, {784, 25, 10}, {784, 30, 20, 20, 10}}
	data := testData(60, 784, 10)
	// Inputs 0 in every sample: a border of 100 and every 7th; and zeros
	// in some samples only elsewhere.
	zero := 0
	for p := 0; p < 784; p++ {
		if p < 100 || p%7 == 3 {
			zero++
			for i := 0; i < 60; i++ {
				data.X[i*784+p] = 0
			}
		} else if p%5 == 0 {
			for i := 0; i < 60; i += 2 {
				data.X[i*784+p] = 0
			}
		}
	}
	const steps, seeds = 6, 2*trainGroup - 1
	for _, dense := range []bool{false, true} {
		rep, err := Speeds(data, SpeedConfig{Nets: nets, InitSeeds: seeds + 1, TrainSeeds: seeds, Steps: steps,
			Eta: 0.5, Lambda: 5, Seed: 9, Threads: 2, Dense: dense})
		if err != nil {
			t.Fatal(err)
		}
		wantZero := zero
		if dense {
			wantZero = 0
		}
		if rep.ZeroInputs != wantZero {
			t.Errorf("dense %v: %d inputs left out, want %d", dense, rep.ZeroInputs, wantZero)
		}
		if !dense && !(rep.Flops < rep.DenseFlops) || dense && rep.Flops != rep.DenseFlops {
			t.Errorf("dense %v: %g flops computed, %g dense", dense, rep.Flops, rep.DenseFlops)
		}
		for i, sizes := range nets {
			for s := 0; s < seeds+1; s++ {
				net, err := mlp.New(mlp.Config{Sizes: sizes})
				if err != nil {
					t.Fatal(err)
				}
				net.Init(mlp.NielsenDefault, 9+uint64(s))
				if s == seeds { // not trained
					want, err := SpeedCurve(net, data, 0.5, 5, 0)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(rep.Nets[i].InitRaw[s], want[0]) {
						t.Errorf("dense %v %v seed %d: speeds at initialisation %v, want %v", dense, sizes, s, rep.Nets[i].InitRaw[s], want[0])
					}
					continue
				}
				want, err := SpeedCurve(net, data, 0.5, 5, steps)
				if err != nil {
					t.Fatal(err)
				}
				got := rep.Nets[i].CurvesRaw[s]
				if len(got) != steps {
					t.Fatalf("%v seed %d: %d curve points, want %d", sizes, s, len(got), steps)
				}
				for st := range want {
					if !slices.Equal(got[st], want[st]) {
						t.Errorf("dense %v %v seed %d step %d: %v in Speeds, %v alone", dense, sizes, s, st, got[st], want[st])
					}
				}
				if !slices.Equal(rep.Nets[i].InitRaw[s], want[0]) {
					t.Errorf("dense %v %v seed %d: speeds at initialisation %v, want %v", dense, sizes, s, rep.Nets[i].InitRaw[s], want[0])
				}
			}
		}
	}
}

func TestKeepExact(t *testing.T) {
	for _, c := range []struct {
		m    int
		nets [][]int
		want bool
	}{
		{1000, BookNets, true},
		{33, [][]int{{784, 30, 10}}, true},
		{32, [][]int{{784, 30, 10}}, false},
		{1000, [][]int{{784, 30, 10}, {1025, 30, 10}}, false},
		{1000, [][]int{{1000, 100, 10}}, false},
	} {
		if got := keepExact(c.m, c.nets); got != c.want {
			t.Errorf("keepExact(%d, %v) = %v, want %v", c.m, c.nets, got, c.want)
		}
	}
	data := testData(20, 784, 10)
	for i := 0; i < 20; i++ {
		data.X[i*784+5] = 0
	}
	rep, err := Speeds(data, SpeedConfig{Nets: [][]int{{784, 30, 10}}, InitSeeds: 2, NoTrain: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ZeroInputs != 0 {
		t.Errorf("20 samples: %d inputs left out, want 0 (the dot path)", rep.ZeroInputs)
	}
}

func TestNonZeroInputs(t *testing.T) {
	d := &mlp.Dataset{X: []float32{
		0, 1, 0, float32(math.NaN()), 0,
		0, 0, float32(math.Copysign(0, -1)), 0, 2,
	}, Inputs: 5, Labels: []int{0, 1}}
	if got, want := nonZeroInputs(d), []int{1, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("nonZeroInputs = %v, want %v (−0 is 0, NaN is not)", got, want)
	}
	k := keepInputs(d, []int{1, 3, 4})
	if k.Inputs != 3 || k.Len() != 2 || k.X[0] != 1 || k.X[5] != 2 || !math.IsNaN(float64(k.X[1])) {
		t.Errorf("keepInputs: %d inputs, X = %v", k.Inputs, k.X)
	}
}
