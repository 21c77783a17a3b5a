package mlp

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deltacore/deltacore"
)

// Dataset is a set of samples: N rows of Inputs values in X (row-major), and
// either class labels (Labels, one per sample, for one-hot targets) or dense
// targets (Targets, N rows of Outputs values).
type Dataset struct {
	X       []float32
	Inputs  int
	Labels  []int
	Targets []float32
	Outputs int
}

// Len returns the number of samples.
func (d *Dataset) Len() int {
	if d.Inputs <= 0 {
		return 0
	}
	return len(d.X) / d.Inputs
}

// Slice returns the samples [i, j) as a dataset sharing d's storage.
func (d *Dataset) Slice(i, j int) *Dataset {
	s := &Dataset{X: d.X[i*d.Inputs : j*d.Inputs], Inputs: d.Inputs, Outputs: d.Outputs}
	if d.Labels != nil {
		s.Labels = d.Labels[i:j]
	}
	if d.Targets != nil {
		s.Targets = d.Targets[i*d.Outputs : j*d.Outputs]
	}
	return s
}

// Check returns an error if the dataset does not fit the network: wrong
// input width, a label out of range, targets of the wrong size.
func (d *Dataset) Check(net *Network) error {
	if d.Inputs != net.Inputs() {
		return fmt.Errorf("mlp: data set has %d inputs per sample, the network takes n⁰ = %d", d.Inputs, net.Inputs())
	}
	if len(d.X)%d.Inputs != 0 {
		return fmt.Errorf("mlp: data set has %d input values, not a whole number of samples of %d", len(d.X), d.Inputs)
	}
	n := d.Len()
	if n == 0 {
		return fmt.Errorf("mlp: data set is empty")
	}
	nL := net.Outputs()
	switch {
	case d.Labels != nil:
		if len(d.Labels) != n {
			return fmt.Errorf("mlp: data set has %d labels for %d samples", len(d.Labels), n)
		}
		for i, c := range d.Labels {
			if c < 0 || c >= nL {
				return fmt.Errorf("mlp: label %d of sample %d is out of range 0 … %d", c, i, nL-1)
			}
		}
	case d.Targets != nil:
		if d.Outputs != nL {
			return fmt.Errorf("mlp: data set has %d targets per sample, the network has nᴸ = %d outputs", d.Outputs, nL)
		}
		if len(d.Targets) != n*nL {
			return fmt.Errorf("mlp: data set has %d target values for %d samples of %d", len(d.Targets), n, nL)
		}
	default:
		return fmt.Errorf("mlp: data set has neither labels nor targets")
	}
	return nil
}

// SGD configures stochastic gradient descent. With Momentum = 0 a step is
// the book's (Nielsen, eq. 93):
//
//	w ← (1 − ηλ/n)·w − η·∂C/∂w,   b ← b − η·∂C/∂b
//
// with ∂C/∂· averaged over the mini-batch. With momentum μ the L2 term is
// part of the gradient g = ∂C/∂w + (λ/n)·w, and (Sutskever et al. 2013)
//
//	classical: v ← μ·v − η·g(θ);          θ ← θ + v
//	Nesterov:  v ← μ·v − η·g(θ + μ·v);    θ ← θ + v
//
// A full-batch gradient descent is the case BatchSize ≥ the data set size.
type SGD struct {
	Eta    float64 // learning rate η
	Lambda float64 // L2 weight decay λ (weights only, not biases)
	// N is the n of the decay term ηλ/n; 0 means the training set's size.
	N         int
	BatchSize int // mini-batch size; 0 or ≥ the data set size means full batch
	// Momentum is μ, or μ_max when MomentumSchedule is set; 0 is plain SGD.
	Momentum float64
	Nesterov bool
	// MomentumSchedule uses Sutskever's μ_t = min(1 − 2^(−1−log₂(⌊t/250⌋+1)), μ_max)
	// with t the step number, instead of a constant μ.
	MomentumSchedule bool
	// Seed drives the per-epoch shuffle: every epoch presents the samples
	// in the order of a fresh Fisher–Yates shuffle of the previous epoch's
	// order, drawn from ShuffleRand(Seed), in batches of BatchSize (the last
	// one smaller when BatchSize does not divide the set's size).
	Seed uint64
	// NoShuffle keeps the data set's order in every epoch.
	NoShuffle bool
}

// Validate returns an error if an option is out of range: η not positive
// and finite, λ negative or infinite, μ outside [0, 1), Nesterov without μ,
// a negative batch size or N. NewTrainer calls it; a program can call it
// first to report a bad option before it loads its data.
func (o SGD) Validate() error {
	if !(o.Eta > 0) || math.IsInf(o.Eta, 0) {
		return fmt.Errorf("mlp: learning rate η = %v must be positive and finite", o.Eta)
	}
	if !(o.Lambda >= 0) || math.IsInf(o.Lambda, 0) {
		return fmt.Errorf("mlp: weight decay λ = %v must be ≥ 0 and finite", o.Lambda)
	}
	if !(o.Momentum >= 0 && o.Momentum < 1) {
		return fmt.Errorf("mlp: momentum μ = %v must be in [0, 1)", o.Momentum)
	}
	if o.Nesterov && o.Momentum == 0 {
		return fmt.Errorf("mlp: Nesterov needs a momentum μ > 0")
	}
	if o.BatchSize < 0 {
		return fmt.Errorf("mlp: batch size %d < 0", o.BatchSize)
	}
	if o.N < 0 {
		return fmt.Errorf("mlp: N = %d < 0", o.N)
	}
	return nil
}

// MomentumAt returns the μ of step t: Momentum, or Sutskever's schedule.
func (o *SGD) MomentumAt(t int) float64 {
	if !o.MomentumSchedule {
		return o.Momentum
	}
	mu := 1 - math.Pow(2, -1-math.Log2(float64(t/250)+1))
	return math.Min(mu, o.Momentum)
}

// Trainer trains a network with SGD. It owns a workspace of the batch size
// (Workspace, to register observers on), the velocities, a shuffle buffer
// and the generator; after NewTrainer, steps and epochs allocate nothing.
//
// Its matrix products run on a deltacore.Engine of its own, with the
// default configuration (up to GOMAXPROCS goroutines per product, its own
// packing buffers), so trainers on several goroutines never touch the
// process-wide deltacore.SetGemmThreads. WS.SetEngine replaces it, for
// example with an engine of budget 1 when many trainers run at once; the
// results do not depend on it.
type Trainer struct {
	Net *Network
	Opt SGD
	WS  *Workspace

	data  *Dataset
	n     int
	batch int
	rng   *rand.Rand
	perm  []int
	xbuf  []float32
	lbuf  []int
	ybuf  []float32
	vw    [][]float32 // velocities (momentum only)
	vb    [][]float32
	saveW [][]float32 // θ during the Nesterov look-ahead
	saveB [][]float32
	step  int
	epoch int
	sgd   sgdStep // the plain step of the current Step, for a fused pass
}

// NewTrainer checks the configuration and the data set against the network
// and allocates everything training needs.
func NewTrainer(net *Network, opt SGD, data *Dataset) (*Trainer, error) {
	if err := data.Check(net); err != nil {
		return nil, err
	}
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	n := data.Len()
	batch := opt.BatchSize
	if batch == 0 || batch > n {
		batch = n
	}
	ws, err := NewWorkspace(net, batch)
	if err != nil {
		return nil, err
	}
	eng, err := deltacore.NewEngine(deltacore.EngineConfig{})
	if err != nil {
		return nil, err
	}
	ws.SetEngine(eng)
	t := &Trainer{Net: net, Opt: opt, WS: ws, data: data, n: n, batch: batch, rng: ShuffleRand(opt.Seed)}
	t.perm = make([]int, n)
	for i := range t.perm {
		t.perm[i] = i
	}
	if batch < n && !opt.NoShuffle {
		t.xbuf = make([]float32, batch*data.Inputs)
		if data.Labels != nil {
			t.lbuf = make([]int, batch)
		} else {
			t.ybuf = make([]float32, batch*data.Outputs)
		}
	}
	L := net.Layers()
	if opt.Momentum > 0 {
		t.vw, t.vb = make([][]float32, L+1), make([][]float32, L+1)
		for l := 1; l <= L; l++ {
			t.vw[l] = make([]float32, len(net.w[l]))
			t.vb[l] = make([]float32, len(net.b[l]))
		}
		if opt.Nesterov {
			t.saveW, t.saveB = make([][]float32, L+1), make([][]float32, L+1)
			for l := 1; l <= L; l++ {
				t.saveW[l] = make([]float32, len(net.w[l]))
				t.saveB[l] = make([]float32, len(net.b[l]))
			}
		}
	}
	return t, nil
}

// Steps returns the number of SGD steps taken so far (t).
func (t *Trainer) Steps() int { return t.step }

// Epochs returns the number of epochs completed.
func (t *Trainer) Epochs() int { return t.epoch }

// BatchSize returns the effective batch size.
func (t *Trainer) BatchSize() int { return t.batch }

// Epoch runs one epoch: a fresh shuffle (unless NoShuffle or full batch),
// then one step per mini-batch; the last batch may be smaller. progress, if
// not nil, is called after every step with the samples done so far.
func (t *Trainer) Epoch(progress func(done int)) error {
	d := t.data
	shuffle := t.xbuf != nil
	if shuffle {
		for i := len(t.perm) - 1; i > 0; i-- { // Fisher–Yates
			j := t.rng.IntN(i + 1)
			t.perm[i], t.perm[j] = t.perm[j], t.perm[i]
		}
	}
	for i := 0; i < t.n; i += t.batch {
		j := min(i+t.batch, t.n)
		m := j - i
		var x, y []float32
		var labels []int
		if shuffle {
			k := d.Inputs
			x = t.xbuf[:m*k]
			for r, p := range t.perm[i:j] {
				copy(x[r*k:(r+1)*k], d.X[p*k:(p+1)*k])
			}
			if d.Labels != nil {
				labels = t.lbuf[:m]
				for r, p := range t.perm[i:j] {
					labels[r] = d.Labels[p]
				}
			} else {
				o := d.Outputs
				y = t.ybuf[:m*o]
				for r, p := range t.perm[i:j] {
					copy(y[r*o:(r+1)*o], d.Targets[p*o:(p+1)*o])
				}
			}
		} else {
			x = d.X[i*d.Inputs : j*d.Inputs]
			if d.Labels != nil {
				labels = d.Labels[i:j]
			} else {
				y = d.Targets[i*d.Outputs : j*d.Outputs]
			}
		}
		if err := t.Step(x, labels, y); err != nil {
			return err
		}
		if progress != nil {
			progress(j)
		}
	}
	t.epoch++
	return nil
}

// Step takes one SGD step on the batch x with labels (or, when labels is
// nil, dense targets y). Observers of t.WS see the pass before the update.
//
// For plain SGD (no momentum) with no observer registered, the backward
// pass applies the step to each layer as soon as its gradients are final
// (Workspace.fuseSGD), while its weights and gradients are in cache; the
// result is bit for bit that of the separate update, which every other
// case takes.
func (t *Trainer) Step(x []float32, labels []int, y []float32) error {
	if t.vw == nil {
		t.sgd = t.plainStep()
		t.WS.sgd = &t.sgd
	}
	err := t.pass(x, labels, y)
	fused := t.WS.sgd != nil && t.WS.fused
	t.WS.sgd = nil
	if err != nil {
		return err
	}
	if fused {
		t.step++
		return nil
	}
	t.update()
	return nil
}

// pass runs the forward and backward pass of a step (at the look-ahead
// point for Nesterov momentum, restored on an error).
func (t *Trainer) pass(x []float32, labels []int, y []float32) error {
	net := t.Net
	L := net.Layers()
	mu := float32(t.Opt.MomentumAt(t.step))
	nesterov := t.Opt.Nesterov && t.vw != nil
	if nesterov {
		// Evaluate the gradient at the look-ahead point θ + μv.
		for l := 1; l <= L; l++ {
			copy(t.saveW[l], net.w[l])
			copy(t.saveB[l], net.b[l])
			deltacore.Axpy(mu, t.vw[l], net.w[l])
			deltacore.Axpy(mu, t.vb[l], net.b[l])
		}
	}
	err := t.WS.Forward(x)
	if err == nil {
		if labels != nil {
			err = t.WS.BackwardLabels(labels)
		} else {
			err = t.WS.Backward(y)
		}
	}
	if err != nil {
		if nesterov {
			for l := 1; l <= L; l++ {
				copy(net.w[l], t.saveW[l])
				copy(net.b[l], t.saveB[l])
			}
		}
		return err
	}
	return nil
}

// updateBlock is the block of weights that update scales and then steps
// while it is in L1 (16 KiB of w and 16 KiB of ∂C/∂w).
const updateBlock = 4096

// sgdStep is a plain SGD step (no momentum): w ← (1−decay)·w − η·∂C/∂w,
// b ← b − η·∂C/∂b.
type sgdStep struct {
	eta   float32
	decay float64 // ηλ/n
}

// plainStep returns the step of t.Opt without momentum.
func (t *Trainer) plainStep() sgdStep {
	nDecay := t.Opt.N
	if nDecay == 0 {
		nDecay = t.n
	}
	return sgdStep{eta: float32(t.Opt.Eta), decay: t.Opt.Eta * t.Opt.Lambda / float64(nDecay)}
}

// apply takes the step on layer l of ws's network from ws's gradients.
// Trainer.update and a fused backward pass (Workspace.fuseSGD) both take
// the step here, so their results are the same bit for bit.
func (s *sgdStep) apply(ws *Workspace, l int) {
	w, b := ws.net.w[l], ws.net.b[l]
	if s.decay != 0 {
		// w ← (1−decay)·w − η·∂C/∂w, block by block so that each block of
		// w is still in L1 for the second pass. The kernels are
		// elementwise and the blocks multiples of their vector loops, so
		// the result is the two passes' bit for bit.
		gw := ws.gw[l]
		for i := 0; i < len(w); i += updateBlock {
			j := min(i+updateBlock, len(w))
			deltacore.Scal(float32(1-s.decay), w[i:j])
			deltacore.Axpy(-s.eta, gw[i:j], w[i:j])
		}
		deltacore.Axpy(-s.eta, ws.gb[l], b)
		return
	}
	deltacore.Axpy(-s.eta, ws.gw[l], w)
	deltacore.Axpy(-s.eta, ws.gb[l], b)
}

// update takes the SGD step from the gradients of the last pass.
func (t *Trainer) update() {
	net := t.Net
	L := net.Layers()
	ws := t.WS
	if t.vw == nil {
		s := t.plainStep()
		for l := 1; l <= L; l++ {
			s.apply(ws, l)
		}
		t.step++
		return
	}
	mu := float32(t.Opt.MomentumAt(t.step))
	nesterov := t.Opt.Nesterov && t.vw != nil
	eta := float32(t.Opt.Eta)
	nDecay := t.Opt.N
	if nDecay == 0 {
		nDecay = t.n
	}
	decay := t.Opt.Eta * t.Opt.Lambda / float64(nDecay)
	for l := 1; l <= L; l++ {
		w, b := net.w[l], net.b[l]
		vw, vb := t.vw[l], t.vb[l]
		// v ← μv − η(∂C/∂w + (λ/n)w), with w the point of the gradient.
		deltacore.Scal(mu, vw)
		deltacore.Axpy(-eta, ws.gw[l], vw)
		if decay != 0 {
			deltacore.Axpy(float32(-decay), w, vw)
		}
		deltacore.Scal(mu, vb)
		deltacore.Axpy(-eta, ws.gb[l], vb)
		if nesterov {
			copy(w, t.saveW[l])
			copy(b, t.saveB[l])
		}
		deltacore.Axpy(1, vw, w)
		deltacore.Axpy(1, vb, b)
	}
	t.step++
}

// Result is an evaluation of a network on a data set.
type Result struct {
	N        int     // samples
	Cost     float64 // mean cost, plus the L2 term ½(λ/n)Σ‖w‖² if asked
	Correct  int     // samples whose largest output is at their label
	Accuracy float64 // Correct / N (NaN for dense targets)
}

// Evaluate runs the network on the data set, in batches of ws's capacity,
// and returns the mean cost (plus ½(λ/N)·Σ‖wˡ‖² when lambda > 0, the book's
// total_cost; N = n when n > 0, else the data set's size) and the accuracy.
// ws must belong to net.
func Evaluate(ws *Workspace, data *Dataset, lambda float64, n int) (Result, error) {
	net := ws.net
	if err := data.Check(net); err != nil {
		return Result{}, err
	}
	N := data.Len()
	var r Result
	r.N = N
	var cost float64
	for i := 0; i < N; i += ws.capacity {
		j := min(i+ws.capacity, N)
		if err := ws.Forward(data.X[i*data.Inputs : j*data.Inputs]); err != nil {
			return Result{}, err
		}
		if data.Labels != nil {
			cost += ws.CostSum(data.Labels[i:j], nil)
			r.Correct += ws.Correct(data.Labels[i:j])
		} else {
			cost += ws.CostSum(nil, data.Targets[i*data.Outputs:j*data.Outputs])
		}
	}
	r.Cost = cost / float64(N)
	if lambda > 0 {
		if n <= 0 {
			n = N
		}
		r.Cost += 0.5 * lambda / float64(n) * net.WeightSumSquares()
	}
	if data.Labels != nil {
		r.Accuracy = float64(r.Correct) / float64(N)
	} else {
		r.Accuracy = math.NaN()
	}
	return r, nil
}

// WeightSumSquares returns Σₗ ‖wˡ‖², in float64.
func (n *Network) WeightSumSquares() float64 {
	var s float64
	for l := 1; l <= n.Layers(); l++ {
		s += deltacore.SumSquares(n.w[l])
	}
	return s
}
