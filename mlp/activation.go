package mlp

import (
	"math"

	"github.com/deltacore/deltacore"
)

// σ and tanh go through the deltacore kernels (fused into the dense steps
// by Workspace); ReLU is computed here in plain Go, one element at a time.

// kernelAct returns the deltacore activation of f (Sigmoid or Tanh).
func kernelAct(f Activation) deltacore.Activation {
	if f == Tanh {
		return deltacore.ActTanh
	}
	return deltacore.ActSigmoid
}

// applyActivation sets a[i] = f(z[i]) for every i.
func applyActivation(f Activation, a, z []float32) {
	switch f {
	case Sigmoid:
		deltacore.Sigmoid(a, z)
	case Tanh:
		deltacore.Tanh(a[:len(z)], z)
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
		deltacore.MulTanhPrime(d[:len(z)], z)
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

// ActivationPrime sets dst[i] = f′(z[i]) for every i (len(dst) must be at
// least len(z)): σ′ and tanh′ with the deltacore kernels (relatively
// accurate in saturation), ReLU′ in Go. It is meant for studies that look at
// the factors f′(zˡ) of the backward pass.
func ActivationPrime(f Activation, dst, z []float32) {
	dst = dst[:len(z)]
	switch f {
	case Sigmoid:
		deltacore.SigmoidPrime(dst, z)
		return
	case Tanh:
		deltacore.TanhPrime(dst, z)
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
