package deltacore

import "fmt"

// Activation selects the non-linearity that DenseForwardAct and
// DenseBackwardAct fuse into the product: f in the forward step, f′ in the
// backward one.
type Activation uint8

// The fused activations.
const (
	// ActSigmoid: σ and σ′ (Sigmoid, MulSigmoidPrime), as DenseForward and
	// DenseBackward.
	ActSigmoid Activation = iota
	// ActTanh: tanh and tanh′ (Tanh, MulTanhPrime).
	ActTanh
	numActivations
)

// String returns "sigmoid" or "tanh".
func (f Activation) String() string {
	switch f {
	case ActSigmoid:
		return "sigmoid"
	case ActTanh:
		return "tanh"
	}
	return fmt.Sprintf("Activation(%d)", uint8(f))
}

func checkActivation(fn string, f Activation) {
	if f >= numActivations {
		panic(fmt.Sprintf("deltacore: %s: unknown activation %d", fn, uint8(f)))
	}
}

// activate returns the epilogue's f (σ or tanh) at t's level.
func (e *epilogue) activate(t *kernelTable) func(dst, z []float32) {
	if e.f == ActTanh {
		return t.tanh
	}
	return t.sigmoid
}

// mulPrime returns the epilogue's δ step (delta ⊙= f′(z)) at t's level.
func (e *epilogue) mulPrime(t *kernelTable) func(delta, z []float32) {
	if e.f == ActTanh {
		return t.mulTanhPrime
	}
	return t.mulSigmoidPrime
}

// DenseForwardAct is DenseForward with the activation f: act = f(z), fused
// into each tile of the product as DenseForward fuses σ. With ActSigmoid it
// is DenseForward; with ActTanh the activations have Tanh's accuracy.
func DenseForwardAct(f Activation, m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	defaultEngine.DenseForwardAct(f, m, n, k, x, ldx, w, ldw, bias, z, ldz, act, ldact)
}

// DenseForwardAct is the package function DenseForwardAct (see there) on
// this engine.
func (e *Engine) DenseForwardAct(f Activation, m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	checkActivation("DenseForwardAct", f)
	e.denseForward(&denseForwardActNames, f, m, n, k, x, ldx, w, ldw, bias, z, ldz, act, ldact)
}

// DenseBackwardAct is DenseBackward with the activation f:
// δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ f′(zˡ), f′ fused into each tile of the product. With
// ActSigmoid it is DenseBackward; with ActTanh the factor has TanhPrime's
// accuracy.
func DenseBackwardAct(f Activation, m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int) {
	defaultEngine.DenseBackwardAct(f, m, n, nn, dnext, lddn, w, ldw, z, ldz, d, ldd)
}

// DenseBackwardAct is the package function DenseBackwardAct (see there) on
// this engine.
func (e *Engine) DenseBackwardAct(f Activation, m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int) {
	checkActivation("DenseBackwardAct", f)
	e.denseBackward(&denseBackwardActNames, f, m, n, nn, dnext, lddn, w, ldw, z, ldz, d, ldd)
}
