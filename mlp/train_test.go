package mlp

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/deltacore/deltacore"
)

// toyData returns n samples of a learnable 3-class problem.
func toyData(n, inputs, classes int, seed uint64) *Dataset {
	r := NewRand(seed)
	d := &Dataset{X: make([]float32, n*inputs), Inputs: inputs, Labels: make([]int, n)}
	for i := 0; i < n; i++ {
		c := r.IntN(classes)
		d.Labels[i] = c
		for j := 0; j < inputs; j++ {
			v := 0.3 * r.Float64()
			if j%classes == c {
				v += 0.6
			}
			d.X[i*inputs+j] = float32(v)
		}
	}
	return d
}

// refTrain runs the same optimiser in float64 on the reference network,
// with gradients from finite differences, full batch.
func refTrain(r *refNet, opt SGD, xs, ys [][]float64, steps int) {
	L := len(r.sizes) - 1
	n := float64(len(xs))
	vw := make([][]float64, L+1)
	vb := make([][]float64, L+1)
	for l := 1; l <= L; l++ {
		vw[l] = make([]float64, len(r.w[l]))
		vb[l] = make([]float64, len(r.b[l]))
	}
	for t := 0; t < steps; t++ {
		mu := opt.MomentumAt(t)
		if opt.Nesterov {
			for l := 1; l <= L; l++ {
				for i := range r.w[l] {
					r.w[l][i] += mu * vw[l][i]
				}
				for i := range r.b[l] {
					r.b[l][i] += mu * vb[l][i]
				}
			}
		}
		gw := make([][]float64, L+1)
		gb := make([][]float64, L+1)
		for l := 1; l <= L; l++ {
			gw[l], gb[l] = r.fdGrad(l, func() float64 { return r.batchCost(xs, ys, nil) })
		}
		for l := 1; l <= L; l++ {
			for i := range r.w[l] {
				g := gw[l][i] + opt.Lambda/n*r.w[l][i]
				if opt.Momentum == 0 {
					r.w[l][i] = (1-opt.Eta*opt.Lambda/n)*r.w[l][i] - opt.Eta*gw[l][i]
					continue
				}
				if opt.Nesterov {
					r.w[l][i] -= mu * vw[l][i]
				}
				vw[l][i] = mu*vw[l][i] - opt.Eta*g
				r.w[l][i] += vw[l][i]
			}
			for i := range r.b[l] {
				if opt.Momentum == 0 {
					r.b[l][i] -= opt.Eta * gb[l][i]
					continue
				}
				if opt.Nesterov {
					r.b[l][i] -= mu * vb[l][i]
				}
				vb[l][i] = mu*vb[l][i] - opt.Eta*gb[l][i]
				r.b[l][i] += vb[l][i]
			}
		}
	}
}

// TestOptimisersAgainstReference runs plain SGD with L2, classical momentum
// and Nesterov momentum (with and without Sutskever's schedule) for a few
// full-batch steps and compares every parameter with the float64 reference.
func TestOptimisersAgainstReference(t *testing.T) {
	opts := map[string]SGD{
		"sgd":               {Eta: 0.5, Lambda: 2},
		"momentum":          {Eta: 0.5, Lambda: 2, Momentum: 0.9},
		"nesterov":          {Eta: 0.5, Lambda: 2, Momentum: 0.9, Nesterov: true},
		"nesterov-schedule": {Eta: 0.5, Lambda: 2, Momentum: 0.99, Nesterov: true, MomentumSchedule: true},
	}
	for name, opt := range opts {
		t.Run(name, func(t *testing.T) {
			net, _ := New(Config{Sizes: []int{4, 5, 3}})
			net.Init(NielsenDefault, 3)
			data := toyData(6, 4, 3, 1)
			ref := refFrom(net)
			xs := make([][]float64, data.Len())
			ys := make([][]float64, data.Len())
			for i := range xs {
				for _, v := range data.X[i*4 : i*4+4] {
					xs[i] = append(xs[i], float64(v))
				}
				ys[i] = make([]float64, 3)
				ys[i][data.Labels[i]] = 1
			}
			tr, err := NewTrainer(net, opt, data)
			if err != nil {
				t.Fatal(err)
			}
			const steps = 4
			for i := 0; i < steps; i++ {
				if err := tr.Epoch(nil); err != nil {
					t.Fatal(err)
				}
			}
			refTrain(ref, opt, xs, ys, steps)
			for l := 1; l <= net.Layers(); l++ {
				for i, v := range net.w[l] {
					if math.Abs(float64(v)-ref.w[l][i]) > 1e-4*(1+math.Abs(ref.w[l][i])) {
						t.Errorf("w[%d][%d] = %g, reference %g", l, i, v, ref.w[l][i])
					}
				}
				for i, v := range net.b[l] {
					if math.Abs(float64(v)-ref.b[l][i]) > 1e-4*(1+math.Abs(ref.b[l][i])) {
						t.Errorf("b[%d][%d] = %g, reference %g", l, i, v, ref.b[l][i])
					}
				}
			}
		})
	}
}

func TestMomentumSchedule(t *testing.T) {
	o := SGD{Momentum: 0.995, MomentumSchedule: true}
	for _, c := range []struct {
		t    int
		want float64
	}{{0, 0.5}, {249, 0.5}, {250, 0.75}, {500, 1 - math.Pow(2, -1-math.Log2(3))}, {750, 0.875}, {1750, 0.9375}, {1 << 20, 0.995}} {
		if got := o.MomentumAt(c.t); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("μ_%d = %v, want %v", c.t, got, c.want)
		}
	}
	if got := (&SGD{Momentum: 0.9}).MomentumAt(1000); got != 0.9 {
		t.Errorf("constant μ = %v", got)
	}
}

func trainOnce(t *testing.T, seed uint64, opt SGD) *Network {
	t.Helper()
	net, _ := New(Config{Sizes: []int{12, 10, 8, 3}})
	net.Init(NielsenDefault, seed)
	data := toyData(200, 12, 3, 5)
	opt.Seed = seed
	tr, err := NewTrainer(net, opt, data)
	if err != nil {
		t.Fatal(err)
	}
	for e := 0; e < 3; e++ {
		if err := tr.Epoch(nil); err != nil {
			t.Fatal(err)
		}
	}
	return net
}

func TestSameSeedSameWeights(t *testing.T) {
	for _, opt := range []SGD{
		{Eta: 0.5, Lambda: 5, BatchSize: 10},
		{Eta: 0.1, Lambda: 1, BatchSize: 7, Momentum: 0.9, Nesterov: true, MomentumSchedule: true},
	} {
		a := trainOnce(t, 42, opt)
		b := trainOnce(t, 42, opt)
		if !a.Equal(b) {
			t.Errorf("%+v: same seed gave different weights", opt)
		}
		c := trainOnce(t, 43, opt)
		if a.Equal(c) {
			t.Errorf("%+v: different seeds gave the same weights", opt)
		}
	}
}

// TestTrainingLearns checks that training lowers the cost and reaches a
// high accuracy on the toy problem, for every optimiser.
func TestTrainingLearns(t *testing.T) {
	for _, opt := range []SGD{
		{Eta: 1, Lambda: 0.1, BatchSize: 10},
		{Eta: 0.2, BatchSize: 10, Momentum: 0.9},
		{Eta: 0.2, BatchSize: 10, Momentum: 0.9, Nesterov: true},
		{Eta: 2, BatchSize: 0}, // full batch
	} {
		net, _ := New(Config{Sizes: []int{12, 10, 3}})
		net.Init(NielsenDefault, 1)
		data := toyData(300, 12, 3, 2)
		test := toyData(300, 12, 3, 3)
		ws, _ := NewWorkspace(net, 64)
		before, err := Evaluate(ws, test, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := NewTrainer(net, opt, data)
		if err != nil {
			t.Fatal(err)
		}
		for e := 0; e < 20; e++ {
			if err := tr.Epoch(nil); err != nil {
				t.Fatal(err)
			}
		}
		after, _ := Evaluate(ws, test, 0, 0)
		if !(after.Cost < before.Cost) || after.Accuracy < 0.95 {
			t.Errorf("%+v: cost %.4f → %.4f, accuracy %.3f → %.3f", opt, before.Cost, after.Cost, before.Accuracy, after.Accuracy)
		}
	}
}

// setLevel switches the kernel level for the rest of the test.
func setLevel(t *testing.T, l deltacore.Level) {
	t.Helper()
	old := deltacore.CurrentLevel()
	if err := deltacore.SetLevel(l); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deltacore.SetLevel(old) })
}

// TestLevelsAgree trains the same network on every available kernel level
// and compares outputs, δˡ and the trained weights with the generic level.
func TestLevelsAgree(t *testing.T) {
	run := func(t *testing.T, l deltacore.Level) (*Network, []float32, [][]float32) {
		setLevel(t, l)
		net, _ := New(Config{Sizes: []int{40, 33, 17, 10}})
		net.Init(NielsenDefault, 11)
		data := toyData(120, 40, 10, 4)
		ws, _ := NewWorkspace(net, 120)
		ws.Forward(data.X)
		ws.BackwardLabels(data.Labels)
		out := ws.Output().CopyTo(make([]float32, 120*10))
		var ds [][]float32
		for k := 1; k <= 3; k++ {
			ds = append(ds, ws.Delta(k).CopyTo(make([]float32, ws.Delta(k).Len())))
		}
		tr, err := NewTrainer(net, SGD{Eta: 0.5, Lambda: 5, BatchSize: 13, Momentum: 0.5, Seed: 1}, data)
		if err != nil {
			t.Fatal(err)
		}
		for e := 0; e < 3; e++ {
			tr.Epoch(nil)
		}
		return net, out, ds
	}
	var gNet *Network
	var gOut []float32
	var gDs [][]float32
	t.Run("isa=generic", func(t *testing.T) { gNet, gOut, gDs = run(t, deltacore.Generic) })
	for _, l := range deltacore.Levels() {
		if l == deltacore.Generic {
			continue
		}
		t.Run("isa="+l.String(), func(t *testing.T) {
			net, out, ds := run(t, l)
			cmp := func(what string, got, want []float32, tol float64) {
				scale := 0.0
				for _, v := range want {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
				for i := range want {
					if math.Abs(float64(got[i]-want[i])) > tol*scale {
						t.Errorf("%s[%d] = %g, generic %g", what, i, got[i], want[i])
						return
					}
				}
			}
			cmp("output", out, gOut, 1e-5)
			for k := range ds {
				cmp("delta", ds[k], gDs[k], 1e-4)
			}
			for k := 1; k <= net.Layers(); k++ {
				cmp("w", net.w[k], gNet.w[k], 1e-3)
				cmp("b", net.b[k], gNet.b[k], 1e-3)
			}
		})
	}
}

// rootAllocs returns the allocations of one deltacore.DenseBackward call.
// The generic DenseBackward of the root package (gemm.go) lets its row
// buffer escape to the heap; that is not this package's allocation, so the
// tests below allow exactly that many per sigmoid hidden layer, and log it.
func rootAllocs(t *testing.T) float64 {
	d, w, z := make([]float32, 10*12), make([]float32, 12*15), make([]float32, 10*15)
	out := make([]float32, 10*15)
	a := testing.AllocsPerRun(20, func() {
		deltacore.DenseBackward(10, 15, 12, d, 12, w, 15, z, 15, out, 15)
	})
	if a != 0 {
		t.Logf("deltacore.DenseBackward at level %v allocates %v times per call (root package, not mlp)", deltacore.CurrentLevel(), a)
	}
	return a
}

func TestNoAllocations(t *testing.T) {
	root := rootAllocs(t)
	net, _ := New(Config{Sizes: []int{20, 15, 12, 10}})
	net.Init(NielsenDefault, 1)
	data := toyData(50, 20, 10, 1)
	for _, h := range []Activation{Sigmoid, Tanh, ReLU} {
		net.cfg.Hidden = h
		ws, _ := NewWorkspace(net, 10)
		x, labels := data.X[:10*20], data.Labels[:10]
		observed := 0
		allowed := 0.0
		if h == Sigmoid {
			allowed = 2 * root // two hidden layers
		}
		if a := testing.AllocsPerRun(20, func() {
			ws.Forward(x)
			ws.BackwardLabels(labels)
		}); a != allowed {
			t.Errorf("%v: Forward+Backward: %v allocations", h, a)
		}
		remove := ws.Observe(func(p *Pass) { observed += int(p.GradB(1).Norm()*0) + 1 })
		if a := testing.AllocsPerRun(20, func() {
			ws.Forward(x)
			ws.BackwardLabels(labels)
		}); a != allowed {
			t.Errorf("%v: Forward+Backward with an observer: %v allocations", h, a)
		}
		remove()
		if observed == 0 {
			t.Errorf("observer not called")
		}
	}
	net.cfg.Hidden = Sigmoid
	for _, opt := range []SGD{
		{Eta: 0.5, Lambda: 5, BatchSize: 10},
		{Eta: 0.5, Lambda: 5, BatchSize: 10, Momentum: 0.9, Nesterov: true, MomentumSchedule: true},
	} {
		tr, _ := NewTrainer(net, opt, data)
		tr.Epoch(nil)
		if a := testing.AllocsPerRun(10, func() {
			tr.Step(data.X[:10*20], data.Labels[:10], nil)
		}); a != 2*root {
			t.Errorf("%+v: Step: %v allocations", opt, a)
		}
		if a := testing.AllocsPerRun(5, func() { tr.Epoch(nil) }); a != 5*2*root {
			t.Errorf("%+v: Epoch: %v allocations", opt, a)
		}
	}
}

func TestObserverSeesPass(t *testing.T) {
	net, _ := New(Config{Sizes: []int{6, 5, 4, 3}})
	net.Init(NielsenDefault, 1)
	data := toyData(40, 6, 3, 1)
	tr, _ := NewTrainer(net, SGD{Eta: 0.1, BatchSize: 8}, data)
	var calls, lastIndex int
	var speeds [][]float64
	remove := tr.WS.Observe(func(p *Pass) {
		calls++
		lastIndex = p.Index()
		if p.Batch() != 8 || p.Layers() != 3 {
			t.Errorf("batch %d, layers %d", p.Batch(), p.Layers())
		}
		// ∂C/∂bˡ is the column mean of δˡ.
		var s []float64
		for l := 1; l <= p.Layers(); l++ {
			d := p.Delta(l)
			sums := d.ColSums(make([]float32, d.Cols()))
			gb := p.GradB(l)
			for j := range sums {
				if want := sums[j] / 8; math.Abs(float64(gb.At(0, j)-want)) > 1e-6 {
					t.Errorf("GradB(%d)[%d] = %g, mean δ %g", l, j, gb.At(0, j), want)
				}
			}
			s = append(s, gb.Norm())
			if p.Z(l).Rows() != 8 || p.A(l).Cols() != net.Size(l) || p.GradW(l).Rows() != net.Size(l) {
				t.Errorf("bad view shapes")
			}
		}
		if c := p.Cost(); !(c > 0) {
			t.Errorf("cost %v", c)
		}
		speeds = append(speeds, s)
	})
	tr.Epoch(nil)
	if calls != 5 || lastIndex != 4 || len(speeds) != 5 {
		t.Errorf("calls %d, last index %d", calls, lastIndex)
	}
	remove()
	tr.Epoch(nil)
	if calls != 5 {
		t.Errorf("observer called after removal")
	}
}

func TestBadInput(t *testing.T) {
	wantErr := func(err error, subs ...string) {
		t.Helper()
		if err == nil {
			t.Errorf("no error, want one mentioning %q", subs)
			return
		}
		for _, s := range subs {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not mention %q", err, s)
			}
		}
	}
	_, err := New(Config{Sizes: []int{784, 0, 10}})
	wantErr(err, "layer 1 has 0 units")
	_, err = New(Config{Sizes: []int{784}})
	wantErr(err, "at least")
	_, err = New(Config{Sizes: []int{3, 2}, Output: Tanh})
	wantErr(err, "cross-entropy", "sigmoid")

	net, _ := New(Config{Sizes: []int{4, 3, 2}})
	ws, _ := NewWorkspace(net, 3)
	wantErr(ws.BackwardLabels([]int{0}), "Forward first")
	wantErr(ws.Forward(make([]float32, 7)), "wrong input width", "7", "4")
	wantErr(ws.Forward(make([]float32, 16)), "4 samples", "capacity 3")
	wantErr(ws.Forward(nil), "empty")
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8}
	if err := ws.Forward(x); err != nil {
		t.Fatal(err)
	}
	wantErr(ws.BackwardLabels([]int{0, 2}), "label 2 of sample 1", "out of range 0 … 1")
	wantErr(ws.BackwardLabels([]int{0}), "1 labels", "2 samples")
	wantErr(ws.Backward([]float32{1, 0, 1}), "3 target values")
	ws.SetCheckFinite(true)
	x[6] = float32(math.NaN())
	err = ws.Forward(x)
	wantErr(err, "sample 1, position 2", "NaN")
	if !errors.Is(err, ErrNotFinite) {
		t.Errorf("NaN error does not wrap ErrNotFinite")
	}
	x[6] = float32(math.Inf(1))
	wantErr(ws.Forward(x), "+Inf")
	ws.SetCheckFinite(false)
	if err := ws.Forward(x); err != nil {
		t.Errorf("unchecked Forward: %v", err)
	}

	data := &Dataset{X: make([]float32, 10), Inputs: 5, Labels: []int{0, 1}}
	_, err = NewTrainer(net, SGD{Eta: 1}, data)
	wantErr(err, "5 inputs", "n⁰ = 4")
	data = &Dataset{X: make([]float32, 8), Inputs: 4, Labels: []int{0, 7}}
	_, err = NewTrainer(net, SGD{Eta: 1}, data)
	wantErr(err, "label 7 of sample 1")
	data.Labels[1] = 1
	_, err = NewTrainer(net, SGD{Eta: 0}, data)
	wantErr(err, "learning rate")
	_, err = NewTrainer(net, SGD{Eta: 1, Momentum: 1}, data)
	wantErr(err, "momentum")
	wantErr(net.SetWeights(1, make([]float32, 5)), "3×4 = 12")
	wantErr(net.SetWeights(3, nil), "out of range")
	wantErr(net.SetBiases(2, make([]float32, 3)), "2 biases")
	_, err = NewWorkspace(net, 0)
	wantErr(err, "capacity")
	_, err = ParseInitializer("bogus")
	wantErr(err, "unknown initializer")
}

func TestInitializers(t *testing.T) {
	sizes := []int{300, 200, 400}
	for _, in := range []Initializer{NielsenDefault, Large, GlorotStandard, GlorotNormalized, Sparse, Orthogonal(1.5)} {
		net, _ := New(Config{Sizes: sizes})
		net.Init(in, 7)
		again, _ := New(Config{Sizes: sizes})
		again.Init(in, 7)
		if !net.Equal(again) {
			t.Errorf("%v: not reproducible", in)
		}
		p, err := ParseInitializer(in.String())
		if err != nil || p.String() != in.String() {
			t.Errorf("%v: ParseInitializer(%q) = %v, %v", in, in.String(), p, err)
		}
		for l := 1; l <= 2; l++ {
			nIn, nOut := sizes[l-1], sizes[l]
			w := net.Weights(l)
			var s, s2 float64
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, v := range w {
				s += float64(v)
				s2 += float64(v) * float64(v)
				lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
			}
			n := float64(len(w))
			variance := s2/n - (s/n)*(s/n)
			var want float64
			switch in {
			case NielsenDefault:
				want = 1 / float64(nIn)
			case Large:
				want = 1
			case GlorotStandard:
				want = 1 / (3 * float64(nIn))
				if hi > 1/math.Sqrt(float64(nIn)) || lo < -1/math.Sqrt(float64(nIn)) {
					t.Errorf("glorot: weight outside the interval")
				}
			case GlorotNormalized:
				want = 2 / float64(nIn+nOut)
			case Sparse:
				want = 15 / float64(nIn)
				for j := 0; j < nOut; j++ {
					nz := 0
					for _, v := range w[j*nIn : (j+1)*nIn] {
						if v != 0 {
							nz++
						}
					}
					if nz != 15 {
						t.Fatalf("sparse: unit %d of layer %d has %d non-zero weights", j, l, nz)
					}
				}
			default: // orthogonal, gain 1.5
				want = 1.5 * 1.5 / float64(max(nIn, nOut))
				// W Wᵀ = gain²·I (rows) or WᵀW = gain²·I (columns).
				checkOrthogonal(t, w, nOut, nIn, 1.5)
			}
			if math.Abs(variance-want) > 0.1*want {
				t.Errorf("%v layer %d: weight variance %g, want %g", in, l, variance, want)
			}
		}
	}
}

func checkOrthogonal(t *testing.T, w []float32, rows, cols int, gain float64) {
	t.Helper()
	at := func(i, j int) float64 { return float64(w[i*cols+j]) }
	if rows <= cols {
		for i := 0; i < rows; i += 37 {
			for j := 0; j < rows; j += 23 {
				var d float64
				for k := 0; k < cols; k++ {
					d += at(i, k) * at(j, k)
				}
				want := 0.0
				if i == j {
					want = gain * gain
				}
				if math.Abs(d-want) > 1e-5 {
					t.Errorf("orthogonal rows %d·%d = %g, want %g", i, j, d, want)
				}
			}
		}
		return
	}
	for i := 0; i < cols; i += 37 {
		for j := 0; j < cols; j += 23 {
			var d float64
			for k := 0; k < rows; k++ {
				d += at(k, i) * at(k, j)
			}
			want := 0.0
			if i == j {
				want = gain * gain
			}
			if math.Abs(d-want) > 1e-5 {
				t.Errorf("orthogonal columns %d·%d = %g, want %g", i, j, d, want)
			}
		}
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	net, _ := New(Config{Sizes: []int{7, 5, 3}, Hidden: Tanh, Cost: Quadratic, Output: ReLU})
	net.Init(NielsenDefault, 3)
	path := filepath.Join(dir, "net.dcn")
	if err := net.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(net) {
		t.Fatal("loaded network differs")
	}
	// Overwrite atomically; no temporary file left behind.
	net.Init(Large, 4)
	if err := net.Save(path); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries after Save, want 1", len(ents))
	}
	if got, _ = Load(path); got == nil || !got.Equal(net) {
		t.Fatal("reloaded network differs")
	}
	data, _ := net.MarshalBinary()
	for n := 0; n < len(data); n++ {
		if _, err := Unmarshal(data[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
	}
	if _, err := Unmarshal(append(data[:len(data):len(data)], 0)); err == nil {
		t.Fatal("extended file: no error")
	}
	for i := range data {
		for _, bit := range []byte{1, 0x80} {
			bad := append([]byte(nil), data...)
			bad[i] ^= bit
			if _, err := Unmarshal(bad); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("byte %d flipped: error %v", i, err)
			}
		}
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file: no error")
	}
	os.WriteFile(path, data[:len(data)-9], 0o644)
	if _, err := Load(path); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("truncated file: %v", err)
	}
}

// TestDenseTargetsMatchLabels trains once with labels and once with the
// equivalent one-hot dense targets: the shuffle and the arithmetic are the
// same, so the weights must be bit-identical.
func TestDenseTargetsMatchLabels(t *testing.T) {
	data := toyData(90, 8, 3, 6)
	dense := &Dataset{X: data.X, Inputs: 8, Targets: make([]float32, 90*3), Outputs: 3}
	for i, c := range data.Labels {
		dense.Targets[i*3+c] = 1
	}
	var nets []*Network
	for _, d := range []*Dataset{data, dense} {
		net, _ := New(Config{Sizes: []int{8, 6, 3}})
		net.Init(GlorotNormalized, 2)
		tr, err := NewTrainer(net, SGD{Eta: 0.3, Lambda: 1, BatchSize: 7, Momentum: 0.8, Seed: 9}, d)
		if err != nil {
			t.Fatal(err)
		}
		for e := 0; e < 3; e++ {
			if err := tr.Epoch(nil); err != nil {
				t.Fatal(err)
			}
		}
		nets = append(nets, net)
	}
	if !nets[0].Equal(nets[1]) {
		t.Error("dense one-hot targets and labels trained to different weights")
	}
}

// TestMiniBatchEpochsAgainstReference trains with mini-batches, a fresh
// shuffle per epoch and a smaller last batch (23 samples in batches of 5:
// 5, 5, 5, 5, 3), and compares every parameter with a float64 transcription
// of the book's network2.py update, w ← (1 − ηλ/n)·w − (η/m)·Σ∇w with n the
// training set's size and m the batch's, b ← b − (η/m)·Σ∇b, gradients by
// finite differences. The reference draws its order as documented for
// SGD.Seed: a Fisher–Yates shuffle of 0 … n−1 per epoch, from ShuffleRand(Seed).
func TestMiniBatchEpochsAgainstReference(t *testing.T) {
	const n, inputs, classes, batch, epochs = 23, 6, 3, 5, 3
	opt := SGD{Eta: 0.5, Lambda: 5, BatchSize: batch, Seed: 7}
	net, _ := New(Config{Sizes: []int{inputs, 5, classes}})
	net.Init(NielsenDefault, 2)
	data := toyData(n, inputs, classes, 4)
	ref := refFrom(net)
	xs := make([][]float64, n)
	ys := make([][]float64, n)
	for i := range xs {
		for _, v := range data.X[i*inputs : (i+1)*inputs] {
			xs[i] = append(xs[i], float64(v))
		}
		ys[i] = make([]float64, classes)
		ys[i][data.Labels[i]] = 1
	}
	tr, err := NewTrainer(net, opt, data)
	if err != nil {
		t.Fatal(err)
	}
	for e := 0; e < epochs; e++ {
		if err := tr.Epoch(nil); err != nil {
			t.Fatal(err)
		}
	}
	if tr.Steps() != epochs*5 {
		t.Fatalf("%d steps, want %d", tr.Steps(), epochs*5)
	}

	rng := ShuffleRand(opt.Seed)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	L := len(ref.sizes) - 1
	for e := 0; e < epochs; e++ {
		for i := n - 1; i > 0; i-- {
			j := rng.IntN(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		for i := 0; i < n; i += batch {
			var bx, by [][]float64
			for _, p := range perm[i:min(i+batch, n)] {
				bx, by = append(bx, xs[p]), append(by, ys[p])
			}
			gw := make([][]float64, L+1)
			gb := make([][]float64, L+1)
			for l := 1; l <= L; l++ {
				// batchCost is the mean over the batch: ∂/∂w of it is
				// (1/m)·Σ∇w.
				gw[l], gb[l] = ref.fdGrad(l, func() float64 { return ref.batchCost(bx, by, nil) })
			}
			for l := 1; l <= L; l++ {
				for k := range ref.w[l] {
					ref.w[l][k] = (1-opt.Eta*opt.Lambda/n)*ref.w[l][k] - opt.Eta*gw[l][k]
				}
				for k := range ref.b[l] {
					ref.b[l][k] -= opt.Eta * gb[l][k]
				}
			}
		}
	}
	for l := 1; l <= net.Layers(); l++ {
		for i, v := range net.w[l] {
			if math.Abs(float64(v)-ref.w[l][i]) > 1e-4*(1+math.Abs(ref.w[l][i])) {
				t.Errorf("w[%d][%d] = %g, reference %g", l, i, v, ref.w[l][i])
			}
		}
		for i, v := range net.b[l] {
			if math.Abs(float64(v)-ref.b[l][i]) > 1e-4*(1+math.Abs(ref.b[l][i])) {
				t.Errorf("b[%d][%d] = %g, reference %g", l, i, v, ref.b[l][i])
			}
		}
	}
}

// TestShuffleUniform records the order in which the trainer presents 4
// samples (batch size 1) over many epochs: every epoch must be a fresh
// permutation, and the 24 permutations must be equally likely (a χ² test
// with 23 degrees of freedom; 60 is beyond its 0.99999 quantile, ≈ 56).
func TestShuffleUniform(t *testing.T) {
	const n, epochs = 4, 24000
	data := &Dataset{X: []float32{0, 1, 2, 3}, Inputs: 1, Labels: []int{0, 0, 0, 0}}
	net, _ := New(Config{Sizes: []int{1, 2}})
	net.Init(NielsenDefault, 1)
	tr, err := NewTrainer(net, SGD{Eta: 1e-9, BatchSize: 1, Seed: 3}, data)
	if err != nil {
		t.Fatal(err)
	}
	var order []int
	tr.WS.Observe(func(p *Pass) { order = append(order, int(p.A(0).At(0, 0))) })
	counts := map[[n]int]int{}
	same := 0
	var prev [n]int
	for e := 0; e < epochs; e++ {
		order = order[:0]
		if err := tr.Epoch(nil); err != nil {
			t.Fatal(err)
		}
		var p [n]int
		seen := 0
		for i, s := range order {
			p[i] = s
			seen |= 1 << s
		}
		if len(order) != n || seen != 1<<n-1 {
			t.Fatalf("epoch %d presented %v, not a permutation of 0 … %d", e, order, n-1)
		}
		if p == prev {
			same++
		}
		prev = p
		counts[p]++
	}
	if len(counts) != 24 {
		t.Fatalf("%d distinct orders in %d epochs, want all 24", len(counts), epochs)
	}
	want := float64(epochs) / 24
	var chi2 float64
	for _, c := range counts {
		chi2 += (float64(c) - want) * (float64(c) - want) / want
	}
	if chi2 > 60 {
		t.Errorf("χ² = %.1f over 23 degrees of freedom: the shuffle is not uniform (%v)", chi2, counts)
	}
	// An epoch repeats the previous order with probability 1/24.
	if f := float64(same) / epochs; math.Abs(f-1.0/24) > 0.01 {
		t.Errorf("an epoch repeated the previous order %d times in %d (%.3f, want ≈ 1/24): not reshuffled per epoch?", same, epochs, f)
	}
}

// TestShuffleStreamOwn checks that the shuffle does not reuse the random
// words of the initialiser for the same seed (as it did when both came from
// NewRand): programs pass one seed to both.
func TestShuffleStreamOwn(t *testing.T) {
	for seed := uint64(0); seed < 100; seed++ {
		a, b := NewRand(seed), ShuffleRand(seed)
		same := 0
		for i := 0; i < 8; i++ {
			if a.Uint64() == b.Uint64() {
				same++
			}
		}
		if same > 0 {
			t.Fatalf("seed %d: ShuffleRand and NewRand share %d of their first 8 words", seed, same)
		}
	}
}

// TestNoAllocationsSplit checks that Forward+Backward and a training step
// allocate nothing when their products split across goroutines: batch 1000
// of [784, 100, 10] with 2 threads, on the default engine
// (SetGemmThreads(2)) and on an engine of its own, across GCs.
func TestNoAllocationsSplit(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocation counts differ under coverage")
	}
	if testing.Short() {
		t.Skip("batch-1000 passes")
	}
	net, _ := New(Config{Sizes: []int{784, 100, 10}})
	net.Init(NielsenDefault, 1)
	data := toyData(1000, 784, 10, 2)
	eng, err := deltacore.NewEngine(deltacore.EngineConfig{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	old := deltacore.SetGemmThreads(2)
	defer deltacore.SetGemmThreads(old)
	for _, e := range []*deltacore.Engine{nil, eng} {
		ws, _ := NewWorkspace(net, 1000)
		ws.SetEngine(e)
		pass := func() {
			ws.Forward(data.X)
			ws.BackwardLabels(data.Labels)
		}
		for range 10 { // warm up: buffers, and the runtime's free goroutines
			pass()
		}
		if a := testing.AllocsPerRun(5, pass); a != 0 {
			t.Errorf("engine %p: Forward+Backward of 1000 samples at 2 threads: %v allocations", e, a)
		}
		if a := testing.AllocsPerRun(2, func() { runtime.GC(); runtime.GC(); pass() }); a != 0 {
			t.Errorf("engine %p: Forward+Backward after two GCs: %v allocations", e, a)
		}
	}
	tr, _ := NewTrainer(net, SGD{Eta: 0.1, BatchSize: 1000, NoShuffle: true}, data)
	tr.WS.SetEngine(eng)
	step := func() { tr.Step(data.X, data.Labels, nil) }
	for range 10 {
		step()
	}
	if a := testing.AllocsPerRun(5, step); a != 0 {
		t.Errorf("Step of 1000 samples at 2 threads: %v allocations", a)
	}
}
