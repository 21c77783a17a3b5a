// Package mlp is a minimal fully connected feed-forward network built on the
// deltacore kernels, made for studying how gradients flow through depth
// (Nielsen, Neural Networks and Deep Learning, ch. 5).
//
// Notation follows the book. Layer 0 is the input; layers 1 … L have weights
// wˡ (nˡ × nˡ⁻¹, row-major: w[j*nˡ⁻¹+k] connects unit k of layer l−1 to unit j
// of layer l) and biases bˡ (nˡ). For a batch of m samples every per-sample
// quantity is stored batch-major and row-major, one sample per row:
//
//	zˡ = aˡ⁻¹·(wˡ)ᵀ + bˡ    (m × nˡ)
//	aˡ = f(zˡ)              (m × nˡ)
//	δᴸ = ∂C/∂aᴸ ⊙ f′(zᴸ)    (aᴸ − y for cross-entropy with sigmoid outputs)
//	δˡ = (δˡ⁺¹·wˡ⁺¹) ⊙ f′(zˡ)
//	∂C/∂bˡ = mean over the batch of δˡ,  ∂C/∂wˡ = (δˡ)ᵀ·aˡ⁻¹ / m
//
// A Network holds the parameters; a Workspace, allocated once for a maximal
// batch size, holds zˡ, aˡ, δˡ and the gradients and runs Forward and
// Backward without allocating. Observers registered on a workspace see all of
// it, read-only, after every backward pass. A Trainer runs mini-batch SGD
// (with L2 weight decay, classical or Nesterov momentum) over a Dataset.
//
// Layer indices in this package are the book's: 1 … L for weights, biases, z,
// δ and gradients, 0 … L for activations (a⁰ is the input).
package mlp

import (
	"errors"
	"fmt"
	"math"
)

// Activation is a unit's non-linearity f.
type Activation uint8

// The activations. Sigmoid and Tanh run on the deltacore kernels (the fused
// forward and backward steps and their assembly σ, σ′, tanh and tanh′; tanh′
// keeps its relative accuracy in saturation as σ′ does). ReLU is there for
// comparison: its f and f′ are computed in plain Go, element by element,
// after a kernel product.
const (
	Sigmoid Activation = iota
	Tanh
	ReLU
	// Softmax, aⱼ = e^zⱼ / Σₖ e^zₖ over the units of a sample, is for the
	// output layer only, with the CrossEntropy cost (the multi-class
	// C = −Σⱼ yⱼ ln aⱼ), for which δᴸ = aᴸ − y as with sigmoid outputs.
	// It is computed in Go from zᴸ in float64, with the row maximum
	// subtracted, so it neither overflows nor loses classes to underflow.
	Softmax
	numActivations
)

var activationNames = [...]string{Sigmoid: "sigmoid", Tanh: "tanh", ReLU: "relu", Softmax: "softmax"}

// String returns "sigmoid", "tanh", "relu" or "softmax".
func (f Activation) String() string {
	if f < numActivations {
		return activationNames[f]
	}
	return fmt.Sprintf("Activation(%d)", uint8(f))
}

// ParseActivation returns the activation with the given name.
func ParseActivation(s string) (Activation, error) {
	for i, n := range activationNames {
		if s == n {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("mlp: unknown activation %q (want sigmoid, tanh, relu or softmax)", s)
}

// Cost is the cost function C, averaged over the samples of a batch.
type Cost uint8

// The costs. For one sample with output a and target y:
//
//	CrossEntropy: C = −Σⱼ [yⱼ ln aⱼ + (1−yⱼ) ln(1−aⱼ)] with sigmoid outputs,
//	              C = −Σⱼ yⱼ ln aⱼ with softmax outputs (y a distribution);
//	              for both δᴸ = aᴸ − y.
//	Quadratic:    C = ½‖a − y‖²; δᴸ = (aᴸ − y) ⊙ f′(zᴸ).
const (
	CrossEntropy Cost = iota
	Quadratic
	numCosts
)

var costNames = [...]string{CrossEntropy: "crossentropy", Quadratic: "quadratic"}

// String returns "crossentropy" or "quadratic".
func (c Cost) String() string {
	if c < numCosts {
		return costNames[c]
	}
	return fmt.Sprintf("Cost(%d)", uint8(c))
}

// ParseCost returns the cost with the given name ("crossentropy", also "ce"
// and "cross-entropy"; "quadratic", also "mse").
func ParseCost(s string) (Cost, error) {
	switch s {
	case "crossentropy", "cross-entropy", "ce":
		return CrossEntropy, nil
	case "quadratic", "mse":
		return Quadratic, nil
	}
	return 0, fmt.Errorf("mlp: unknown cost %q (want crossentropy or quadratic)", s)
}

// Config describes a network's shape and functions.
type Config struct {
	// Sizes are the layer sizes n⁰ (inputs), n¹, …, nᴸ (outputs); at least
	// two, all positive.
	Sizes []int
	// Hidden is the activation of layers 1 … L−1, Output that of layer L.
	// Both default to Sigmoid (their zero value).
	Hidden, Output Activation
	// Cost defaults to CrossEntropy (the zero value), which needs
	// Output == Sigmoid or Softmax.
	Cost Cost
}

// MaxUnits bounds every layer size, and MaxParams the total number of
// weights and biases, so that a bad size is an error rather than an
// allocation of many gigabytes.
const (
	MaxUnits  = 1 << 24
	MaxParams = 1 << 30
)

func (c *Config) validate() error {
	if len(c.Sizes) < 2 {
		return fmt.Errorf("mlp: sizes %v: need at least an input and an output layer", c.Sizes)
	}
	if len(c.Sizes) > 1<<10 {
		return fmt.Errorf("mlp: %d layers is more than the limit of %d", len(c.Sizes), 1<<10)
	}
	params := 0
	for i, n := range c.Sizes {
		if n <= 0 {
			return fmt.Errorf("mlp: sizes %v: layer %d has %d units (every layer needs at least one)", c.Sizes, i, n)
		}
		if n > MaxUnits {
			return fmt.Errorf("mlp: sizes %v: layer %d has %d units, more than MaxUnits = %d", c.Sizes, i, n, MaxUnits)
		}
		if i > 0 {
			// n and c.Sizes[i-1] are at most MaxUnits = 2²⁴ and params at
			// most MaxParams = 2³⁰, so in uint64 nothing overflows, even
			// where int has 32 bits.
			p := uint64(params) + uint64(n)*uint64(c.Sizes[i-1]) + uint64(n)
			if p > MaxParams {
				return fmt.Errorf("mlp: sizes %v: more than MaxParams = %d parameters", c.Sizes, MaxParams)
			}
			params = int(p)
		}
	}
	if c.Hidden >= numActivations {
		return fmt.Errorf("mlp: unknown hidden activation %v", c.Hidden)
	}
	if c.Hidden == Softmax && len(c.Sizes) > 2 {
		return fmt.Errorf("mlp: softmax is for the output layer only (hidden activation is softmax)")
	}
	if c.Output >= numActivations {
		return fmt.Errorf("mlp: unknown output activation %v", c.Output)
	}
	if c.Cost >= numCosts {
		return fmt.Errorf("mlp: unknown cost %v", c.Cost)
	}
	if c.Cost == CrossEntropy && c.Output != Sigmoid && c.Output != Softmax {
		return fmt.Errorf("mlp: the cross-entropy cost needs sigmoid or softmax outputs (output activation is %v)", c.Output)
	}
	if c.Cost == Quadratic && c.Output == Softmax {
		return fmt.Errorf("mlp: softmax outputs need the cross-entropy cost")
	}
	return nil
}

// Network is a fully connected feed-forward network: its configuration and
// its parameters. All parameters start at zero; use Init or SetWeights and
// SetBiases. A Network may be read by many workspaces at once (for example
// one per goroutine evaluating it), but must not be changed while they run.
type Network struct {
	cfg Config
	w   [][]float32 // w[l] for l = 1 … L; w[0] is nil
	b   [][]float32
}

// New returns a network with the given configuration and all parameters
// zero. It returns an error for bad sizes (fewer than two layers, a layer of
// zero units) or an inconsistent configuration.
func New(cfg Config) (*Network, error) {
	cfg.Sizes = append([]int(nil), cfg.Sizes...)
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	L := len(cfg.Sizes) - 1
	n := &Network{cfg: cfg, w: make([][]float32, L+1), b: make([][]float32, L+1)}
	for l := 1; l <= L; l++ {
		n.w[l] = make([]float32, cfg.Sizes[l]*cfg.Sizes[l-1])
		n.b[l] = make([]float32, cfg.Sizes[l])
	}
	return n, nil
}

// Config returns a copy of the network's configuration.
func (n *Network) Config() Config {
	c := n.cfg
	c.Sizes = append([]int(nil), c.Sizes...)
	return c
}

// Sizes returns a copy of the layer sizes n⁰ … nᴸ.
func (n *Network) Sizes() []int { return append([]int(nil), n.cfg.Sizes...) }

// Size returns nˡ, the number of units of layer l (0 … L).
func (n *Network) Size(l int) int { return n.cfg.Sizes[l] }

// Layers returns L, the number of layers with weights.
func (n *Network) Layers() int { return len(n.cfg.Sizes) - 1 }

// Inputs returns n⁰, Outputs nᴸ.
func (n *Network) Inputs() int  { return n.cfg.Sizes[0] }
func (n *Network) Outputs() int { return n.cfg.Sizes[len(n.cfg.Sizes)-1] }

// Params returns the number of weights and biases.
func (n *Network) Params() int {
	p := 0
	for l := 1; l <= n.Layers(); l++ {
		p += len(n.w[l]) + len(n.b[l])
	}
	return p
}

// activation returns the activation of layer l (1 … L).
func (n *Network) activation(l int) Activation {
	if l == n.Layers() {
		return n.cfg.Output
	}
	return n.cfg.Hidden
}

func (n *Network) checkLayer(fn string, l int) error {
	if l < 1 || l > n.Layers() {
		return fmt.Errorf("mlp: %s: layer %d out of range 1 … %d", fn, l, n.Layers())
	}
	return nil
}

// Weights returns wˡ (nˡ × nˡ⁻¹, row-major) of layer l in 1 … L. The slice is
// the network's own storage: writing to it changes the network (this is how
// a study sets weights in place), and it must not be changed while a
// workspace uses the network.
func (n *Network) Weights(l int) []float32 {
	if err := n.checkLayer("Weights", l); err != nil {
		panic(err.Error())
	}
	return n.w[l]
}

// Biases returns bˡ of layer l in 1 … L, the network's own storage (see
// Weights).
func (n *Network) Biases(l int) []float32 {
	if err := n.checkLayer("Biases", l); err != nil {
		panic(err.Error())
	}
	return n.b[l]
}

// SetWeights copies w (nˡ × nˡ⁻¹, row-major) into layer l's weights.
func (n *Network) SetWeights(l int, w []float32) error {
	if err := n.checkLayer("SetWeights", l); err != nil {
		return err
	}
	if len(w) != len(n.w[l]) {
		return fmt.Errorf("mlp: SetWeights: layer %d needs %d×%d = %d weights, got %d",
			l, n.cfg.Sizes[l], n.cfg.Sizes[l-1], len(n.w[l]), len(w))
	}
	copy(n.w[l], w)
	return nil
}

// SetBiases copies b (nˡ) into layer l's biases.
func (n *Network) SetBiases(l int, b []float32) error {
	if err := n.checkLayer("SetBiases", l); err != nil {
		return err
	}
	if len(b) != len(n.b[l]) {
		return fmt.Errorf("mlp: SetBiases: layer %d needs %d biases, got %d", l, len(n.b[l]), len(b))
	}
	copy(n.b[l], b)
	return nil
}

// Clone returns a deep copy of the network.
func (n *Network) Clone() *Network {
	c, _ := New(n.cfg)
	for l := 1; l <= n.Layers(); l++ {
		copy(c.w[l], n.w[l])
		copy(c.b[l], n.b[l])
	}
	return c
}

// Equal reports whether two networks have the same configuration and
// bit-identical parameters.
func (n *Network) Equal(o *Network) bool {
	if n.cfg.Hidden != o.cfg.Hidden || n.cfg.Output != o.cfg.Output || n.cfg.Cost != o.cfg.Cost ||
		len(n.cfg.Sizes) != len(o.cfg.Sizes) {
		return false
	}
	for i := range n.cfg.Sizes {
		if n.cfg.Sizes[i] != o.cfg.Sizes[i] {
			return false
		}
	}
	for l := 1; l <= n.Layers(); l++ {
		for i := range n.w[l] {
			if math.Float32bits(n.w[l][i]) != math.Float32bits(o.w[l][i]) {
				return false
			}
		}
		for i := range n.b[l] {
			if math.Float32bits(n.b[l][i]) != math.Float32bits(o.b[l][i]) {
				return false
			}
		}
	}
	return true
}

// CheckFinite returns an error naming the first weight or bias that is NaN
// or infinite.
func (n *Network) CheckFinite() error {
	for l := 1; l <= n.Layers(); l++ {
		if i := firstNonFinite(n.w[l]); i >= 0 {
			return fmt.Errorf("mlp: weight w[%d][%d] = %v is not finite", l, i, n.w[l][i])
		}
		if i := firstNonFinite(n.b[l]); i >= 0 {
			return fmt.Errorf("mlp: bias b[%d][%d] = %v is not finite", l, i, n.b[l][i])
		}
	}
	return nil
}

// ErrNotFinite is wrapped by the errors reporting NaN or infinite values
// when the workspace checks for them (see Workspace.CheckFinite).
var ErrNotFinite = errors.New("not finite")

func firstNonFinite(x []float32) int {
	for i, v := range x {
		// v−v is 0 for finite v and NaN for ±Inf and NaN.
		if v-v != 0 {
			return i
		}
	}
	return -1
}
