package mlp_test

import (
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/deltacore/deltacore/mlp"
	"github.com/deltacore/deltacore/mlp/mnist"
)

// TestFloat32MatchesFloat64OnMNIST trains [784, 100, 10] on MNIST with the
// book's settings (η = 0.5, λ = 5, mini-batches of 10, cross-entropy) twice
// from the same initial parameters and in the same order: with mlp.Trainer
// (float32, SIMD kernels) and with a plain float64 transcription of
// network2.py's update_mini_batch and backprop, written here. After every
// epoch the two must classify the 10 000 test images alike, to within a few
// images: float32 does not cost accuracy.
//
// By default it trains on 10 000 images for 2 epochs (a few seconds);
// DELTACORE_F64_NTRAIN and DELTACORE_F64_EPOCHS choose more (50000 and 30
// are the book's run, about two minutes here), DELTACORE_F64_SEED the seed,
// DELTACORE_F64_ETA the learning rate (0.5; the book's 98 % run is 60
// epochs at 0.1).
func TestFloat32MatchesFloat64OnMNIST(t *testing.T) {
	if testing.Short() || os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
		t.Skip("trains on MNIST for seconds natively; minutes under -short or emulation")
	}
	dir, err := mnist.DefaultDir()
	if err != nil {
		t.Skip(err)
	}
	train, test, err := mnist.Load(dir, mnist.PixelScale)
	if err != nil {
		t.Skip(err)
	}
	ntrain, epochs := envInt(t, "DELTACORE_F64_NTRAIN", 10000), envInt(t, "DELTACORE_F64_EPOCHS", 2)
	const H = 100
	seed := uint64(envInt(t, "DELTACORE_F64_SEED", 1))
	opt := mlp.SGD{Eta: envFloat(t, "DELTACORE_F64_ETA", 0.5), Lambda: 5, BatchSize: 10, Seed: seed}

	net, _ := mlp.New(mlp.Config{Sizes: []int{784, H, 10}})
	net.Init(mlp.NielsenDefault, seed)
	ref := newRef64(net)
	trainSet := train.Head(ntrain).Dataset()
	tr, err := mlp.NewTrainer(net, opt, trainSet)
	if err != nil {
		t.Fatal(err)
	}
	ws, _ := mlp.NewWorkspace(net, 1000)
	tr64 := sparseRows(trainSet)
	te64 := sparseRows(test.Dataset())

	// The order documented for SGD.Seed: a Fisher–Yates shuffle per epoch.
	rng := mlp.ShuffleRand(seed)
	perm := make([]int, ntrain)
	for i := range perm {
		perm[i] = i
	}
	for e := 1; e <= epochs; e++ {
		if err := tr.Epoch(nil); err != nil {
			t.Fatal(err)
		}
		for i := ntrain - 1; i > 0; i-- {
			j := rng.IntN(i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		for i := 0; i < ntrain; i += opt.BatchSize {
			ref.step(tr64, perm[i:min(i+opt.BatchSize, ntrain)], opt.Eta, opt.Lambda, ntrain)
		}
		r32, err := mlp.Evaluate(ws, test.Dataset(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		c64 := ref.correct(te64)
		t.Logf("epoch %d: test accuracy float32 %.2f%%, float64 %.2f%%", e, 100*r32.Accuracy, 100*float64(c64)/float64(len(te64)))
		if d := r32.Correct - c64; d < -5 || d > 5 {
			t.Errorf("epoch %d: float32 classifies %d test images right, float64 %d", e, r32.Correct, c64)
		}
	}
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return v
}

func envFloat(t *testing.T, name string, def float64) float64 {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		t.Fatalf("%s=%q: want a positive number", name, s)
	}
	return v
}

// row64 is an image as its non-zero pixels (most of MNIST is 0), in float64.
type row64 struct {
	idx   []int
	val   []float64
	label int
}

func sparseRows(d *mlp.Dataset) []row64 {
	rows := make([]row64, d.Len())
	for i := range rows {
		for k, v := range d.X[i*d.Inputs : (i+1)*d.Inputs] {
			if v != 0 {
				rows[i].idx = append(rows[i].idx, k)
				rows[i].val = append(rows[i].val, float64(v))
			}
		}
		rows[i].label = d.Labels[i]
	}
	return rows
}

// ref64 is a float64 [784, H, 10] sigmoid network with cross-entropy cost,
// trained as network2.py does.
type ref64 struct {
	h                  int
	w1, b1, w2, b2     []float64
	nw1, nb1, nw2, nb2 []float64
	a1, d1, a2, d2     []float64
}

func newRef64(n *mlp.Network) *ref64 {
	f := func(x []float32) []float64 {
		o := make([]float64, len(x))
		for i, v := range x {
			o[i] = float64(v)
		}
		return o
	}
	h := n.Size(1)
	return &ref64{h: h, w1: f(n.Weights(1)), b1: f(n.Biases(1)), w2: f(n.Weights(2)), b2: f(n.Biases(2)),
		nw1: make([]float64, 784*h), nb1: make([]float64, h), nw2: make([]float64, 10*h), nb2: make([]float64, 10),
		a1: make([]float64, h), d1: make([]float64, h), a2: make([]float64, 10), d2: make([]float64, 10)}
}

func sigmoid64(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func (r *ref64) forward(x *row64) {
	for j := 0; j < r.h; j++ {
		z, w := r.b1[j], r.w1[j*784:(j+1)*784]
		for p, k := range x.idx {
			z += w[k] * x.val[p]
		}
		r.a1[j] = sigmoid64(z)
	}
	for j := 0; j < 10; j++ {
		z, w := r.b2[j], r.w2[j*r.h:(j+1)*r.h]
		for k, a := range r.a1 {
			z += w[k] * a
		}
		r.a2[j] = sigmoid64(z)
	}
}

// step is update_mini_batch: sum the per-sample gradients of the batch, then
// w ← (1 − ηλ/n)·w − (η/m)·Σ∇w and b ← b − (η/m)·Σ∇b.
func (r *ref64) step(data []row64, batch []int, eta, lambda float64, n int) {
	clear(r.nw1)
	clear(r.nb1)
	clear(r.nw2)
	clear(r.nb2)
	h := r.h
	for _, p := range batch {
		x := &data[p]
		r.forward(x)
		for j := 0; j < 10; j++ {
			y := 0.0
			if j == x.label {
				y = 1
			}
			r.d2[j] = r.a2[j] - y // cross-entropy with sigmoid outputs
			r.nb2[j] += r.d2[j]
			for k, a := range r.a1 {
				r.nw2[j*h+k] += r.d2[j] * a
			}
		}
		for k := 0; k < h; k++ {
			var g float64
			for j := 0; j < 10; j++ {
				g += r.w2[j*h+k] * r.d2[j]
			}
			r.d1[k] = g * r.a1[k] * (1 - r.a1[k])
			r.nb1[k] += r.d1[k]
			nw := r.nw1[k*784 : (k+1)*784]
			for q, c := range x.idx {
				nw[c] += r.d1[k] * x.val[q]
			}
		}
	}
	decay, s := 1-eta*(lambda/float64(n)), eta/float64(len(batch))
	for i := range r.w1 {
		r.w1[i] = decay*r.w1[i] - s*r.nw1[i]
	}
	for i := range r.w2 {
		r.w2[i] = decay*r.w2[i] - s*r.nw2[i]
	}
	for i := range r.b1 {
		r.b1[i] -= s * r.nb1[i]
	}
	for i := range r.b2 {
		r.b2[i] -= s * r.nb2[i]
	}
}

// correct returns how many images the network classifies right (the first
// largest output, as np.argmax).
func (r *ref64) correct(data []row64) int {
	c := 0
	for i := range data {
		r.forward(&data[i])
		best := 0
		for j, v := range r.a2 {
			if v > r.a2[best] {
				best = j
			}
		}
		if best == data[i].label {
			c++
		}
	}
	return c
}
