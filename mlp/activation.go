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
	case Softmax:
		panic("mlp: applyActivation: softmax is applied per row (softmaxRows)")
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

// softmaxRows sets each row of a (m rows of n) to the softmax of the same
// row of z, in float64 with the row maximum subtracted: aⱼ = e^(zⱼ−max) /
// Σₖ e^(zₖ−max). NaN in a row gives NaN in that row.
func softmaxRows(a, z []float32, m, n int) {
	for i := 0; i < m; i++ {
		zr, ar := z[i*n:(i+1)*n], a[i*n:(i+1)*n]
		mx := math.Inf(-1)
		for _, v := range zr {
			mx = math.Max(mx, float64(v))
		}
		var s float64
		for _, v := range zr {
			s += math.Exp(float64(v) - mx)
		}
		for j, v := range zr {
			ar[j] = float32(math.Exp(float64(v)-mx) / s)
		}
	}
}

// logSumExp returns ln Σ e^zⱼ in float64 without overflow.
func logSumExp(z []float32) float64 {
	mx := math.Inf(-1)
	for _, v := range z {
		mx = math.Max(mx, float64(v))
	}
	if math.IsInf(mx, 0) {
		return mx
	}
	var s float64
	for _, v := range z {
		s += math.Exp(float64(v) - mx)
	}
	return mx + math.Log(s)
}

// ActivationPrime sets dst[i] = f′(z[i]) for every i (len(dst) must be at
// least len(z)): σ′ and tanh′ with the deltacore kernels (relatively
// accurate in saturation), ReLU′ in Go. It is meant for studies that look at
// the factors f′(zˡ) of the backward pass. Softmax is not element-wise (its
// Jacobian is diag(a) − aaᵀ); for it dst is set to 1, as the cross-entropy
// cost's δᴸ = aᴸ − y takes the place of the factor.
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
	if f == Softmax {
		return
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
