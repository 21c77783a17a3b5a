package mlp

import (
	"fmt"
	"math"
	"testing"

	"github.com/deltacore/deltacore"
)

// sameParams fails the test unless a and b have bit-identical weights and
// biases, naming the first difference.
func sameParams(t *testing.T, what string, a, b *Network) {
	t.Helper()
	for l := 1; l <= a.Layers(); l++ {
		for i, v := range a.w[l] {
			if math.Float32bits(v) != math.Float32bits(b.w[l][i]) {
				t.Fatalf("%s: w[%d][%d] = %g, want %g", what, l, i, v, b.w[l][i])
			}
		}
		for i, v := range a.b[l] {
			if math.Float32bits(v) != math.Float32bits(b.b[l][i]) {
				t.Fatalf("%s: b[%d][%d] = %g, want %g", what, l, i, v, b.b[l][i])
			}
		}
	}
}

// TestFusedStepBitIdentical: plain SGD's step fused into the backward pass
// (no observer) leaves the weights bit for bit where the separate update
// (the same trainer with an observer registered) and a hand-written step
// (Forward, BackwardLabels or Backward, then deltacore's Scal and Axpy on
// every layer) leave them, step after step, on every kernel level: shallow
// and deep networks, tanh/softmax as the trainability study and sigmoid,
// with and without weight decay, and deep sigmoid networks whose δ is
// rescaled (checked).
func TestFusedStepBitIdentical(t *testing.T) {
	cases := []fusedCase{
		{0, 0, Tanh, Softmax, CrossEntropy, 0, false, false},
		{2, 24, Tanh, Softmax, CrossEntropy, 0, false, false},
		{12, 40, Tanh, Softmax, CrossEntropy, 0, false, false},
		{3, 20, Sigmoid, Sigmoid, CrossEntropy, 5, false, false},
		{3, 20, Sigmoid, Sigmoid, Quadratic, 0, true, false},
		{40, 20, Sigmoid, Sigmoid, CrossEntropy, 0, false, true},
		{40, 20, Sigmoid, Sigmoid, CrossEntropy, 5, false, true},
		{70, 16, Sigmoid, Sigmoid, Quadratic, 1, true, true},
	}
	for _, lv := range deltacore.Levels() {
		for _, c := range cases {
			name := fmt.Sprintf("isa=%v/%v-%v-%v/hidden=%d/lambda=%g/dense=%v", lv, c.act, c.out, c.cost, c.hidden, c.lambda, c.dense)
			t.Run(name, func(t *testing.T) {
				setLevel(t, lv)
				c.run(t)
			})
		}
	}
}

type fusedCase struct {
	hidden, width int
	act, out      Activation
	cost          Cost
	lambda        float64
	dense         bool
	rescaled      bool // δ¹ must carry a scale
}

func (c fusedCase) run(t *testing.T) {
	const m, n0, nL, steps = 9, 30, 10, 5
	sizes := []int{n0}
	for range c.hidden {
		sizes = append(sizes, c.width)
	}
	sizes = append(sizes, nL)
	net, err := New(Config{Sizes: sizes, Hidden: c.act, Output: c.out, Cost: c.cost})
	if err != nil {
		t.Fatal(err)
	}
	net.Init(NielsenDefault, 11)
	data := toyData(m*steps, n0, nL, 3)
	if c.dense {
		r := NewRand(4)
		data.Targets = make([]float32, data.Len()*nL)
		for i := range data.Targets {
			data.Targets[i] = float32(r.Float64())
		}
		data.Labels, data.Outputs = nil, nL
	}
	opt := SGD{Eta: 0.3, Lambda: c.lambda, BatchSize: m, NoShuffle: true}
	newTr := func() *Trainer {
		tr, err := NewTrainer(net.Clone(), opt, data)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	fused, plain := newTr(), newTr()
	calls := 0
	plain.WS.Observe(func(*Pass) { calls++ })
	hand := net.Clone()
	ws, err := NewWorkspace(hand, m)
	if err != nil {
		t.Fatal(err)
	}
	eta, decay := float32(opt.Eta), opt.Eta*opt.Lambda/float64(data.Len())
	for s := range steps {
		b := data.Slice(s*m, (s+1)*m)
		for _, tr := range []*Trainer{fused, plain} {
			if err := tr.Step(b.X, b.Labels, b.Targets); err != nil {
				t.Fatal(err)
			}
		}
		if !fused.WS.fused || plain.WS.fused {
			t.Fatalf("step %d: fused path taken %v without an observer, %v with one", s, fused.WS.fused, plain.WS.fused)
		}
		if err := ws.Forward(b.X); err != nil {
			t.Fatal(err)
		}
		if c.dense {
			err = ws.Backward(b.Targets)
		} else {
			err = ws.BackwardLabels(b.Labels)
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := ws.DeltaExp(1) != 0; got != c.rescaled {
			t.Fatalf("step %d: δ¹ scale 2^%d, want a scale: %v", s, ws.DeltaExp(1), c.rescaled)
		}
		for l := 1; l <= hand.Layers(); l++ {
			if decay != 0 {
				deltacore.Scal(float32(1-decay), hand.w[l])
			}
			deltacore.Axpy(-eta, ws.gw[l], hand.w[l])
			deltacore.Axpy(-eta, ws.gb[l], hand.b[l])
		}
		sameParams(t, fmt.Sprintf("step %d, fused vs separate update", s), fused.Net, plain.Net)
		sameParams(t, fmt.Sprintf("step %d, fused vs by hand", s), fused.Net, hand)
	}
	if calls != steps || fused.Steps() != steps || plain.Steps() != steps {
		t.Errorf("observer calls %d, steps %d and %d, want %d", calls, fused.Steps(), plain.Steps(), steps)
	}
	if fused.Net.Equal(net) {
		t.Error("training left the weights unchanged")
	}
}

// TestFusedStepNotTaken: with an observer registered the step waits for it
// (the observer sees the weights of the pass, and the gradients), and
// momentum (classical, Nesterov) always takes the separate update; a
// removed observer lets the fused path back.
func TestFusedStepNotTaken(t *testing.T) {
	sizes := []int{12, 10, 10, 10, 3}
	data := toyData(16, 12, 3, 2)
	for _, opt := range []SGD{
		{Eta: 0.5, BatchSize: 8},
		{Eta: 0.5, Lambda: 2, BatchSize: 8},
		{Eta: 0.5, Momentum: 0.9, BatchSize: 8},
		{Eta: 0.5, Momentum: 0.9, Nesterov: true, BatchSize: 8},
	} {
		net, _ := New(Config{Sizes: sizes, Hidden: Tanh, Output: Softmax})
		net.Init(NielsenDefault, 1)
		tr, err := NewTrainer(net, opt, data)
		if err != nil {
			t.Fatal(err)
		}
		before := net.Clone()
		seen := 0
		remove := tr.WS.Observe(func(p *Pass) {
			seen++
			if opt.Nesterov {
				return // the pass is at the look-ahead point
			}
			for l := 1; l <= p.Layers(); l++ {
				if !equalBits(p.Network().w[l], before.w[l]) || !equalBits(p.Network().b[l], before.b[l]) {
					t.Errorf("%+v: layer %d changed before the observer ran", opt, l)
				}
			}
		})
		for range 3 {
			before = net.Clone()
			if err := tr.Step(data.X[:8*12], data.Labels[:8], nil); err != nil {
				t.Fatal(err)
			}
			if tr.WS.fused {
				t.Errorf("%+v: fused path taken with an observer", opt)
			}
			if net.Equal(before) {
				t.Errorf("%+v: the step changed nothing", opt)
			}
		}
		if seen != 3 {
			t.Errorf("%+v: observer called %d times, want 3", opt, seen)
		}
		remove()
		if err := tr.Step(data.X[:8*12], data.Labels[:8], nil); err != nil {
			t.Fatal(err)
		}
		if want := opt.Momentum == 0; tr.WS.fused != want {
			t.Errorf("%+v: fused = %v after the observer's removal, want %v", opt, tr.WS.fused, want)
		}
		if tr.WS.sgd != nil {
			t.Errorf("%+v: the workspace keeps the trainer's step after Step", opt)
		}
		// The trainer's workspace used by hand does not step.
		before = net.Clone()
		if err := tr.WS.Forward(data.X[:8*12]); err != nil {
			t.Fatal(err)
		}
		if err := tr.WS.BackwardLabels(data.Labels[:8]); err != nil {
			t.Fatal(err)
		}
		if tr.WS.fused || !net.Equal(before) {
			t.Errorf("%+v: a Backward outside Step changed the weights", opt)
		}
	}
}

func equalBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}
