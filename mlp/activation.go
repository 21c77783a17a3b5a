package mlp

import (
	"math"

	"github.com/deltacore/deltacore"
)

// The activations other than the sigmoid are computed here in plain Go, one
// element at a time; the sigmoid goes through the kernels.

// applyActivation sets a[i] = f(z[i]) for every i.
func applyActivation(f Activation, a, z []float32) {
	switch f {
	case Sigmoid:
		deltacore.Sigmoid(a, z)
	case Tanh:
		a = a[:len(z)]
		for i, v := range z {
			a[i] = float32(math.Tanh(float64(v)))
		}
	case ReLU:
		a = a[:len(z)]
		for i, v := range z {
			if v > 0 {
				a[i] = v
			} else if v <= 0 {
				a[i] = 0
			} else {
				a[i] = v // NaN stays NaN
			}
		}
	}
}

// mulActivationPrime sets d[i] *= f′(z[i]) for every i.
func mulActivationPrime(f Activation, d, z []float32) {
	switch f {
	case Sigmoid:
		deltacore.MulSigmoidPrime(d, z)
	case Tanh:
		d = d[:len(z)]
		for i, v := range z {
			d[i] *= tanhPrime(v)
		}
	case ReLU:
		d = d[:len(z)]
		for i, v := range z {
			if !(v > 0) {
				if v <= 0 {
					d[i] = 0
				} else {
					d[i] = v // NaN
				}
			}
		}
	}
}

// tanhPrime returns tanh′(z) = 1 − tanh²(z) = sech²(z), computed from z as
// 4t/(1+t)² with t = e^(−2|z|), so that it keeps its relative accuracy in
// saturation (1 − tanh² is exactly 0 in float32 from |z| ≈ 9 on).
func tanhPrime(z float32) float32 {
	t := math.Exp(-2 * math.Abs(float64(z)))
	d := 1 + t
	return float32(4 * t / (d * d))
}

// ActivationPrime sets dst[i] = f′(z[i]) for every i (len(dst) must be at
// least len(z)): σ′ with the deltacore kernel, tanh′ and ReLU′ in Go. It is
// meant for studies that look at the factors f′(zˡ) of the backward pass.
func ActivationPrime(f Activation, dst, z []float32) {
	dst = dst[:len(z)]
	if f == Sigmoid {
		deltacore.SigmoidPrime(dst, z)
		return
	}
	for i := range dst {
		dst[i] = 1
	}
	mulActivationPrime(f, dst, z)
}

// softplus returns ln(1+eˣ) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}
