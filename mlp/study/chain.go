package study

import "math"

// This file is the single-neuron chain of Nielsen's §5.2: a network of four
// sigmoid neurons in a row, where
//
//	∂C/∂b₁ = σ′(z₁) w₂ σ′(z₂) w₃ σ′(z₃) w₄ σ′(z₄) ∂C/∂a₄.
//
// Every factor wⱼσ′(zⱼ₋₁) is at most |wⱼ|/4, so with |w| < 4 the gradient
// shrinks geometrically down the chain (vanishing), and with large weights and
// z ≈ 0 it grows (exploding). The two computations below are exact in float64.

// sigmoidPrime64 is σ′(z) computed from z as e^−|z|/(1+e^−|z|)².
func sigmoidPrime64(z float64) float64 {
	t := math.Exp(-math.Abs(z))
	return t / ((1 + t) * (1 + t))
}

func sigmoid64(z float64) float64 {
	t := math.Exp(-math.Abs(z))
	if z >= 0 {
		return 1 / (1 + t)
	}
	return t / (1 + t)
}

// ChainFactor is one factor of the chain rule product for ∂C/∂b₁.
type ChainFactor struct {
	Name  string  `json:"name"`  // "σ′(z1)", "w2", …
	Value float64 `json:"value"` // the factor
	// Product is the running product from σ′(z₁) up to and including this
	// factor.
	Product float64 `json:"product"`
}

// Chain is the chain of four neurons: weights w₂…w₄ (w[0] is w₁, the weight
// from the input), biases b₁…b₄, input x, and target y for the quadratic
// cost C = (a₄ − y)²/2.
type Chain struct {
	W [4]float64 `json:"w"`
	B [4]float64 `json:"b"`
	X float64    `json:"x"`
	Y float64    `json:"y"`
}

// ExplodingChain returns Nielsen's exploding example: every weight w, and the
// biases chosen so that every zⱼ = 0, so that each factor wσ′(z) is w/4
// (25 for w = 100).
func ExplodingChain(w float64) Chain {
	c := Chain{X: 1, Y: 0}
	for j := range c.W {
		c.W[j] = w
	}
	// z₁ = w·x + b₁ = 0, and aⱼ = σ(0) = ½ so zⱼ = w/2 + bⱼ = 0.
	c.B[0] = -w * c.X
	for j := 1; j < 4; j++ {
		c.B[j] = -w / 2
	}
	return c
}

// Factors runs the chain forward and returns the factors of ∂C/∂b₁ in the
// order of Nielsen's expression, with the running product; the last entry's
// Product is ∂C/∂b₁ itself. It also returns ∂C/∂b₁ computed by plain
// backpropagation, as a check.
func (c Chain) Factors() (fs []ChainFactor, grad float64) {
	var z, a [4]float64
	in := c.X
	for j := 0; j < 4; j++ {
		z[j] = c.W[j]*in + c.B[j]
		a[j] = sigmoid64(z[j])
		in = a[j]
	}
	dCda4 := a[3] - c.Y
	p := 1.0
	add := func(name string, v float64) {
		p *= v
		fs = append(fs, ChainFactor{Name: name, Value: v, Product: p})
	}
	add("σ′(z1)", sigmoidPrime64(z[0]))
	for j := 1; j < 4; j++ {
		add("w"+string(rune('1'+j)), c.W[j])
		add("σ′(z"+string(rune('1'+j))+")", sigmoidPrime64(z[j]))
	}
	add("∂C/∂a4", dCda4)
	// Backpropagation, written separately: δ₄ = ∂C/∂a₄·σ′(z₄), δⱼ = wⱼ₊₁δⱼ₊₁σ′(zⱼ).
	d := dCda4 * sigmoidPrime64(z[3])
	for j := 2; j >= 0; j-- {
		d = c.W[j+1] * d * sigmoidPrime64(z[j])
	}
	return fs, d
}

// UnstableWidth returns the width of the set of inputs a for which
// |w·σ′(w·a + b)| ≥ 1 (Nielsen's problem in §5.3): zero for |w| ≤ 4, else
//
//	(2/|w|)·ln(|w|(1+√(1−4/|w|))/2 − 1).
//
// It does not depend on b.
func UnstableWidth(w float64) float64 {
	aw := math.Abs(w)
	if aw <= 4 {
		return 0
	}
	r := math.Sqrt(1 - 4/aw)
	// σ′(z) = 1/|w| at z* = ln(s/(1−s)), s = (1+r)/2; the set in z is
	// [−z*, z*], and in a it is 2z*/|w| wide. s/(1−s) = (1+r)/(1−r), which
	// equals |w|(1+r)/2 − 1; the ratio form is the better conditioned one.
	return 2 / aw * math.Log((1+r)/(1-r))
}

// MaxUnstableWidth returns the |w| that maximises UnstableWidth and the
// maximum, by golden-section search on [4, 100] (the function is unimodal
// there).
func MaxUnstableWidth() (w, width float64) {
	lo, hi := 4.0, 100.0
	g := (math.Sqrt(5) - 1) / 2
	x1, x2 := hi-g*(hi-lo), lo+g*(hi-lo)
	f1, f2 := UnstableWidth(x1), UnstableWidth(x2)
	for hi-lo > 1e-10 {
		if f1 < f2 {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + g*(hi-lo)
			f2 = UnstableWidth(x2)
		} else {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - g*(hi-lo)
			f1 = UnstableWidth(x1)
		}
	}
	w = (lo + hi) / 2
	return w, UnstableWidth(w)
}
