package mlp

import (
	"fmt"
	"math"

	"github.com/deltacore/deltacore"
)

// Workspace holds everything a forward and backward pass over a batch of up
// to Capacity samples needs: zˡ, aˡ and δˡ for every layer (Capacity × nˡ
// each, batch-major), and the gradients ∂C/∂wˡ, ∂C/∂bˡ. It is allocated once;
// Forward and Backward allocate nothing.
//
// A workspace belongs to one network and one goroutine. Several workspaces
// may read the same network concurrently (one per goroutine).
//
// Its matrix products run on a deltacore.Engine (see SetEngine): the
// package's default engine unless one is set.
type Workspace struct {
	net      *Network
	eng      *deltacore.Engine // nil: deltacore's default engine
	capacity int
	m        int       // rows of the last Forward; 0 before the first
	x        []float32 // a⁰ of the last Forward: the caller's slice
	z, a, d  [][]float32
	gw, gb   [][]float32
	// dexp[l] is δˡ's power-of-two scale: the true δˡ is d[l]·2^dexp[l].
	// gbs[l] is ∂C/∂bˡ at that scale (the column mean of d[l]); gb[l] is
	// the true value, rounded to float32.
	dexp []int
	gbs  [][]float32

	noRescale bool // tests: the backward pass without scales

	checkFinite bool
	noGradW     bool
	// deferW1 leaves ∂C/∂w¹, the observers and the pass count to a Group,
	// which computes the first layers' weight gradients of its networks in
	// stacked products (see Group.Step).
	deferW1 bool
	// rows, set by Group.StepBatch around its passes, is the batch packed
	// for the first layer's forward product (deltacore.DenseForwardRows,
	// the same results as DenseForwardAct) when x is its X.
	rows *deltacore.PackedRows
	// sgd, set by Trainer.Step for plain SGD (no momentum) around its
	// pass, lets finishBackward apply the step to each layer as soon as
	// that layer's gradients are final and δˡ⁻¹ no longer needs wˡ, while
	// wˡ and ∂C/∂wˡ are still in cache; see fuseSGD. fused records whether
	// the last backward pass did.
	sgd   *sgdStep
	fused bool

	forwarded, backwarded bool
	// Targets of the last Backward, for Pass.Cost.
	y      []float32
	labels []int

	passes    int
	observers []observerEntry
	nextID    int
	pass      Pass
}

// NewWorkspace allocates a workspace for batches of up to capacity samples.
func NewWorkspace(net *Network, capacity int) (*Workspace, error) {
	if capacity <= 0 {
		return nil, fmt.Errorf("mlp: workspace capacity %d: need at least one sample", capacity)
	}
	units := 0
	for _, n := range net.cfg.Sizes[1:] {
		units += n
	}
	if float64(capacity)*float64(units)*3 > MaxParams {
		return nil, fmt.Errorf("mlp: workspace for %d samples × %d units is too large", capacity, units)
	}
	L := net.Layers()
	ws := &Workspace{
		net:      net,
		capacity: capacity,
		z:        make([][]float32, L+1),
		a:        make([][]float32, L+1),
		d:        make([][]float32, L+1),
		gw:       make([][]float32, L+1),
		gb:       make([][]float32, L+1),
		gbs:      make([][]float32, L+1),
		dexp:     make([]int, L+1),
	}
	for l := 1; l <= L; l++ {
		n := net.cfg.Sizes[l]
		ws.z[l] = make([]float32, capacity*n)
		ws.a[l] = make([]float32, capacity*n)
		ws.d[l] = make([]float32, capacity*n)
		ws.gw[l] = make([]float32, len(net.w[l]))
		ws.gb[l] = make([]float32, n)
		ws.gbs[l] = make([]float32, n)
	}
	ws.pass.ws = ws
	return ws, nil
}

// Network returns the workspace's network.
func (ws *Workspace) Network() *Network { return ws.net }

// Capacity returns the largest batch the workspace takes.
func (ws *Workspace) Capacity() int { return ws.capacity }

// Batch returns the number of samples of the last Forward (0 before it).
func (ws *Workspace) Batch() int { return ws.m }

// SetEngine makes the workspace run its matrix products on e (its thread
// budget, level cap and packing buffers); nil means deltacore's default
// engine, the one the package functions and SetGemmThreads use. The
// results do not depend on the engine's thread budget, bit for bit.
func (ws *Workspace) SetEngine(e *deltacore.Engine) { ws.eng = e }

// Engine returns the engine set by SetEngine (nil: the default engine).
func (ws *Workspace) Engine() *deltacore.Engine { return ws.eng }

// SetCheckFinite turns on (or off) a check of every input for NaN and ±Inf
// in Forward, and of the targets in Backward; a bad value is an error that
// wraps ErrNotFinite and names the sample and the position. The check
// costs one pass over the input; it is off by default.
func (ws *Workspace) SetCheckFinite(on bool) { ws.checkFinite = on }

// SetWeightGradients turns the computation of ∂C/∂wˡ in Backward on (the
// default) or off. Off saves a third of the backward work for studies that
// only need δˡ and ∂C/∂bˡ; GradW then panics.
func (ws *Workspace) SetWeightGradients(on bool) { ws.noGradW = !on }

// Forward runs the network on a batch: x holds m samples of n⁰ inputs each,
// one sample per row (len(x) = m·n⁰, 1 ≤ m ≤ Capacity). It computes zˡ and
// aˡ for every layer. The workspace keeps x as a⁰ for Backward and the
// observers, without copying it: x must not change until Backward returns.
func (ws *Workspace) Forward(x []float32) error {
	ws.forwarded, ws.backwarded = false, false
	n0 := ws.net.cfg.Sizes[0]
	if len(x) == 0 {
		return fmt.Errorf("mlp: Forward: empty input (want m × %d values, m ≥ 1)", n0)
	}
	if len(x)%n0 != 0 {
		return fmt.Errorf("mlp: Forward: wrong input width: %d values is not a whole number of samples of n⁰ = %d inputs", len(x), n0)
	}
	m := len(x) / n0
	if m > ws.capacity {
		return fmt.Errorf("mlp: Forward: batch of %d samples is larger than the workspace capacity %d", m, ws.capacity)
	}
	if ws.checkFinite {
		if i := firstNonFinite(x); i >= 0 {
			return fmt.Errorf("mlp: Forward: input of sample %d, position %d is %v: %w", i/n0, i%n0, x[i], ErrNotFinite)
		}
	}
	ws.m, ws.x = m, x
	sizes := ws.net.cfg.Sizes
	L := ws.net.Layers()
	in := x
	for l := 1; l <= L; l++ {
		n, k := sizes[l], sizes[l-1]
		z, a := ws.z[l][:m*n], ws.a[l][:m*n]
		if f := ws.net.activation(l); f == Sigmoid || f == Tanh {
			if r := ws.rows; l == 1 && r != nil && len(r.X()) == len(x) && &r.X()[0] == &x[0] {
				ws.eng.DenseForwardRows(kernelAct(f), r, n, ws.net.w[l], k, ws.net.b[l], z, n, a, n)
			} else {
				ws.eng.DenseForwardAct(kernelAct(f), m, n, k, in, k, ws.net.w[l], k, ws.net.b[l], z, n, a, n)
			}
		} else if f == Softmax {
			ws.eng.DenseForward(m, n, k, in, k, ws.net.w[l], k, ws.net.b[l], z, n, nil, n)
			softmaxRows(a, z, m, n)
		} else {
			ws.eng.DenseForward(m, n, k, in, k, ws.net.w[l], k, ws.net.b[l], z, n, nil, n)
			applyActivation(f, a, z)
		}
		in = a
	}
	ws.forwarded = true
	return nil
}

func (ws *Workspace) checkBackward(fn string) error {
	if !ws.forwarded {
		return fmt.Errorf("mlp: %s: no Forward since the last change (call Forward first)", fn)
	}
	return nil
}

// Backward computes δᴸ from the targets y (m × nᴸ, one row per sample of the
// last Forward), then δᴸ⁻¹ … δ¹ in place, then the gradients of the cost
// averaged over the batch, and calls the observers.
//
// δ of any depth: each δˡ is stored with a power-of-two scale (DeltaExp),
// applied whenever ‖δˡ‖ leaves [2^−60, 2^60], so a 120-layer sigmoid
// network, whose δ¹ is some 10⁻⁸⁰ in norm, has every δˡ to float32's
// relative accuracy. Scaling by a power of two is exact: the results are
// bit for bit those of an unscaled pass wherever float32 would not have
// underflowed. The gradients GradW and GradB, which training uses, are the
// true values in float32; an update below half an ulp of a weight is lost
// whatever we do, so training is unchanged.
func (ws *Workspace) Backward(y []float32) error {
	if err := ws.checkBackward("Backward"); err != nil {
		return err
	}
	nL := ws.net.Outputs()
	if len(y) != ws.m*nL {
		return fmt.Errorf("mlp: Backward: %d target values for %d samples of %d outputs (want %d)", len(y), ws.m, nL, ws.m*nL)
	}
	if ws.checkFinite {
		if i := firstNonFinite(y); i >= 0 {
			return fmt.Errorf("mlp: Backward: target of sample %d, output %d is %v: %w", i/nL, i%nL, y[i], ErrNotFinite)
		}
	}
	L := ws.net.Layers()
	d, a := ws.d[L][:ws.m*nL], ws.a[L][:ws.m*nL]
	if ws.net.cfg.Output == Softmax {
		// ∂/∂zⱼ of −Σₖ yₖ ln aₖ is aⱼ·Σₖ yₖ − yⱼ: aⱼ − yⱼ when y sums to 1.
		for i := 0; i < ws.m; i++ {
			var sy float32
			for _, v := range y[i*nL : (i+1)*nL] {
				sy += v
			}
			for j := i * nL; j < (i+1)*nL; j++ {
				d[j] = a[j]*sy - y[j]
			}
		}
	} else {
		for i := range d {
			d[i] = a[i] - y[i]
		}
	}
	ws.y, ws.labels = y, nil
	ws.finishBackward(ws.net.cfg.Cost == Quadratic)
	return nil
}

// BackwardLabels is Backward with one-hot targets: sample i's target is 1 at
// output labels[i] and 0 elsewhere. A label outside 0 … nᴸ−1 is an error.
func (ws *Workspace) BackwardLabels(labels []int) error {
	if err := ws.checkBackward("BackwardLabels"); err != nil {
		return err
	}
	if len(labels) != ws.m {
		return fmt.Errorf("mlp: BackwardLabels: %d labels for a batch of %d samples", len(labels), ws.m)
	}
	nL := ws.net.Outputs()
	for i, c := range labels {
		if c < 0 || c >= nL {
			return fmt.Errorf("mlp: BackwardLabels: label %d of sample %d is out of range 0 … %d", c, i, nL-1)
		}
	}
	L := ws.net.Layers()
	d := ws.d[L][:ws.m*nL]
	copy(d, ws.a[L][:ws.m*nL])
	for i, c := range labels {
		d[i*nL+c] -= 1
	}
	ws.y, ws.labels = nil, labels
	ws.finishBackward(ws.net.cfg.Cost == Quadratic)
	return nil
}

// BackwardOutputGrad backpropagates a given ∂C/∂aᴸ (g, m × nᴸ) instead of a
// cost's: δᴸ = g ⊙ f′(zᴸ). With g a row of unit vectors this yields rows of
// the Jacobian ∂aᴸ/∂zˡ, which is what Jacobian studies need. The network's
// cost plays no part; Pass.Cost is NaN for such a pass.
func (ws *Workspace) BackwardOutputGrad(g []float32) error {
	if err := ws.checkBackward("BackwardOutputGrad"); err != nil {
		return err
	}
	nL := ws.net.Outputs()
	if len(g) != ws.m*nL {
		return fmt.Errorf("mlp: BackwardOutputGrad: %d values for %d samples of %d outputs (want %d)", len(g), ws.m, nL, ws.m*nL)
	}
	L := ws.net.Layers()
	ws.y, ws.labels = nil, nil
	if ws.net.cfg.Output == Softmax {
		// δᴸ = Jᵀg with the softmax Jacobian diag(a) − aaᵀ: aⱼ(gⱼ − g·a).
		d, a := ws.d[L][:ws.m*nL], ws.a[L][:ws.m*nL]
		for i := 0; i < ws.m; i++ {
			var ga float64
			for j := 0; j < nL; j++ {
				ga += float64(g[i*nL+j]) * float64(a[i*nL+j])
			}
			for j := 0; j < nL; j++ {
				k := i*nL + j
				d[k] = float32(float64(a[k]) * (float64(g[k]) - ga))
			}
		}
		ws.finishBackward(false)
		return nil
	}
	copy(ws.d[L][:ws.m*nL], g)
	ws.finishBackward(true)
	return nil
}

// finishBackward runs the backward pass from ∂C/∂aᴸ (or, for cross-entropy
// with sigmoid outputs, δᴸ itself) in d[L].
//
// Each δˡ is kept with a power-of-two scale, δˡ = d[l]·2^dexp[l], so that
// the gradient of a deep network does not underflow in float32 (a sigmoid
// network's δ shrinks about 4.9× per layer and would be subnormal some 50
// layers below the output). After δˡ is computed, if ‖δˡ‖ (over the batch,
// in float64) has drifted below 2^−60 or above 2^60, d[l] is multiplied by
// a power of two that brings ‖δˡ‖ to [½, 1) and dexp[l] records it. Scaling
// by a power of two is exact, and every later operation commutes with it,
// so the stored values are bit for bit 2^−dexp[l] times what an unscaled
// pass computes wherever that pass did not underflow; a network whose δ
// stays within 2^±60 (every network of ordinary depth) runs exactly as
// without scales.
//
// The gradients of layer l+1 are computed right after δˡ, while δˡ⁺¹ (and
// wˡ⁺¹) are still in cache, rather than in a second loop over the layers
// that would read every δˡ and aˡ⁻¹ back from memory: δˡ⁺¹ and its scale
// are final once δˡ is computed and rescaled, so each gradient is the same
// product of the same operands, bit for bit. When fuseSGD allows it, the
// SGD step of layer l+1 follows at once (see there).
func (ws *Workspace) finishBackward(mulOutputPrime bool) {
	sizes := ws.net.cfg.Sizes
	L := ws.net.Layers()
	m := ws.m
	fuse := ws.fuseSGD()
	ws.fused = fuse
	if mulOutputPrime {
		n := sizes[L]
		mulActivationPrime(ws.net.cfg.Output, ws.d[L][:m*n], ws.z[L][:m*n])
	}
	ws.dexp[L] = 0
	ws.rescale(L)
	for l := L - 1; l >= 1; l-- {
		n, nn := sizes[l], sizes[l+1]
		d, z := ws.d[l][:m*n], ws.z[l][:m*n]
		if f := ws.net.activation(l); f == Sigmoid || f == Tanh {
			ws.eng.DenseBackwardAct(kernelAct(f), m, n, nn, ws.d[l+1], nn, ws.net.w[l+1], n, z, n, d, n)
		} else {
			ws.eng.Sgemm(deltacore.NoTrans, deltacore.NoTrans, m, n, nn, 1, ws.d[l+1], nn, ws.net.w[l+1], n, 0, d, n)
			mulActivationPrime(f, d, z)
		}
		ws.dexp[l] = ws.dexp[l+1]
		ws.rescale(l)
		// δˡ is final: layer l+1's gradients, and with fuse its step (wˡ⁺¹
		// is not read again in this pass).
		ws.layerGrads(l + 1)
		if fuse {
			ws.sgd.apply(ws, l+1)
		}
	}
	ws.layerGrads(1)
	if fuse {
		ws.sgd.apply(ws, 1)
	}
	ws.backwarded = true
	if !ws.deferW1 {
		ws.endPass()
	}
}

// fuseSGD reports whether the backward pass may apply the SGD step of
// ws.sgd layer by layer as it goes (Trainer.Step sets ws.sgd for plain SGD
// only: no momentum, so no Nesterov look-ahead). It may not when an
// observer is registered, as observers see the whole pass with the
// parameters as they were during it (see Pass), nor for a Group's deferred
// ∂C/∂w¹ (deferW1), whose step waits for the stacked product. The fused
// step is the same Scal and Axpy calls on the same values as
// Trainer.update's, layer by layer, so the weights are bit for bit those
// of the unfused step; it only moves each layer's update to where wˡ and
// ∂C/∂wˡ are still in cache (for a 100-layer network of width 300, 36 MB
// of weights and as much of gradients that the separate update streams
// from memory again).
func (ws *Workspace) fuseSGD() bool {
	return ws.sgd != nil && len(ws.observers) == 0 && !ws.deferW1
}

// layerGrads sets ∂C/∂wˡ (unless weight gradients are off, or deferred to
// a Group for l = 1) and ∂C/∂bˡ from the final δˡ.
func (ws *Workspace) layerGrads(l int) {
	n, m := ws.net.cfg.Sizes[l], ws.m
	in := ws.x
	if l > 1 {
		in = ws.a[l-1]
	}
	if !ws.noGradW && !(l == 1 && ws.deferW1) {
		ws.gradW(l, in)
	}
	inv := float32(1 / float64(m))
	deltacore.ColSums(ws.gbs[l], ws.d[l], m, n, n)
	deltacore.Scal(inv, ws.gbs[l])
	copy(ws.gb[l], ws.gbs[l])
	if s := ws.dexp[l]; s != 0 {
		ldexpSlice(ws.gb[l], s)
	}
}

// gradW sets ∂C/∂wˡ = 2^s·(1/m)·(δˡ)ᵀ·in, s = dexp[l], from the stored
// δˡ and the layer's input in (m×nˡ⁻¹). With alpha = 2^s/m (exact while it
// is a normal float32) the product is bit for bit the unscaled pass's.
func (ws *Workspace) gradW(l int, in []float32) {
	n, k, m := ws.net.cfg.Sizes[l], ws.net.cfg.Sizes[l-1], ws.m
	inv := float32(1 / float64(m))
	if alpha, ok := scaledAlpha(inv, ws.dexp[l]); ok {
		ws.eng.Sgemm(deltacore.Trans, deltacore.NoTrans, n, k, m, alpha, ws.d[l], n, in, k, 0, ws.gw[l], k)
		return
	}
	ws.eng.Sgemm(deltacore.Trans, deltacore.NoTrans, n, k, m, inv, ws.d[l], n, in, k, 0, ws.gw[l], k)
	ldexpSlice(ws.gw[l], ws.dexp[l])
}

// endPass calls the observers and counts the pass.
func (ws *Workspace) endPass() {
	if len(ws.observers) > 0 {
		ws.notify()
	}
	ws.passes++
}

// Rescaling bounds: ‖δˡ‖ is kept within [2^rescaleLo, 2^rescaleHi].
const (
	rescaleLo = -60
	rescaleHi = 60
)

// rescale brings d[l] back to a norm in [½, 1) by a power of two when its
// norm has left [2^rescaleLo, 2^rescaleHi], and records the power in
// dexp[l].
func (ws *Workspace) rescale(l int) {
	if ws.noRescale {
		return
	}
	d := ws.d[l][:ws.m*ws.net.cfg.Sizes[l]]
	ss := deltacore.SumSquares(d)
	if ss == 0 || math.IsNaN(ss) || math.IsInf(ss, 0) {
		return
	}
	_, e := math.Frexp(math.Sqrt(ss)) // ‖d‖ = f·2^e, f in [½, 1)
	if e >= rescaleLo && e <= rescaleHi {
		return
	}
	scalePow2(d, -e)
	ws.dexp[l] += e
}

// scalePow2 multiplies x by 2^k in steps of powers of two that float32
// represents as normal numbers; each step is exact unless its results are
// subnormal.
func scalePow2(x []float32, k int) {
	for k != 0 {
		step := min(max(k, -126), 127)
		deltacore.Scal(float32(math.Ldexp(1, step)), x)
		k -= step
	}
}

// scaledAlpha returns alpha·2^s when that is a normal float32 (and so
// exact).
func scaledAlpha(alpha float32, s int) (float32, bool) {
	v := math.Ldexp(float64(alpha), s)
	if math.Abs(v) < 0x1p-126 || math.Abs(v) > math.MaxFloat32 {
		return 0, false
	}
	return float32(v), true
}

// ldexpSlice sets x[i] = x[i]·2^s rounded once to float32 (values below the
// float32 range become subnormal or zero, above it ±Inf).
func ldexpSlice(x []float32, s int) {
	if s >= -126 && s <= 127 {
		deltacore.Scal(float32(math.Ldexp(1, s)), x) // one correctly rounded product
		return
	}
	for i, v := range x {
		x[i] = float32(math.Ldexp(float64(v), s))
	}
}

// InputGradient sets dst (m × n⁰) to ∂Cᵢ/∂xᵢ = δ¹ᵢ·w¹ for every sample i of
// the last Backward: the gradient of each sample's own cost (or, after
// BackwardOutputGrad, of gᵢ·aᴸᵢ) with respect to its input, one
// vector-Jacobian product per sample, δ¹'s scale applied (true values in
// float32). It returns dst[:m·n⁰].
func (ws *Workspace) InputGradient(dst []float32) ([]float32, error) {
	if !ws.backwarded {
		return nil, fmt.Errorf("mlp: InputGradient: no Backward since the last Forward")
	}
	n0, n1 := ws.net.cfg.Sizes[0], ws.net.cfg.Sizes[1]
	if len(dst) < ws.m*n0 {
		return nil, fmt.Errorf("mlp: InputGradient: len(dst) = %d < %d samples × %d inputs", len(dst), ws.m, n0)
	}
	dst = dst[:ws.m*n0]
	if alpha, ok := scaledAlpha(1, ws.dexp[1]); ok {
		ws.eng.Sgemm(deltacore.NoTrans, deltacore.NoTrans, ws.m, n0, n1, alpha, ws.d[1], n1, ws.net.w[1], n0, 0, dst, n0)
	} else {
		ws.eng.Sgemm(deltacore.NoTrans, deltacore.NoTrans, ws.m, n0, n1, 1, ws.d[1], n1, ws.net.w[1], n0, 0, dst, n0)
		ldexpSlice(dst, ws.dexp[1])
	}
	return dst, nil
}

// Delta returns δˡ (m × nˡ) of the last Backward, for l in 1 … L, as stored:
// the true δˡ is Delta(l)·2^DeltaExp(l).
func (ws *Workspace) Delta(l int) Matrix { return ws.pass.Delta(l) }

// DeltaExp returns the power-of-two scale of δˡ (see Pass.DeltaExp).
func (ws *Workspace) DeltaExp(l int) int { return ws.pass.DeltaExp(l) }

// Speed returns ‖∂C/∂bˡ‖ of the last Backward in float64 (see Pass.Speed).
func (ws *Workspace) Speed(l int) float64 { return ws.pass.Speed(l) }

// LogSpeed returns ln ‖∂C/∂bˡ‖ of the last Backward (see Pass.LogSpeed).
func (ws *Workspace) LogSpeed(l int) float64 { return ws.pass.LogSpeed(l) }

// Z returns zˡ (m × nˡ) of the last Forward, for l in 1 … L.
func (ws *Workspace) Z(l int) Matrix { return ws.pass.Z(l) }

// A returns aˡ (m × nˡ) of the last Forward, for l in 0 … L (a⁰ is the input).
func (ws *Workspace) A(l int) Matrix { return ws.pass.A(l) }

// Output returns aᴸ of the last Forward.
func (ws *Workspace) Output() Matrix { return ws.pass.A(ws.net.Layers()) }

// GradW returns ∂C/∂wˡ (nˡ × nˡ⁻¹) of the last Backward.
func (ws *Workspace) GradW(l int) Matrix { return ws.pass.GradW(l) }

// GradB returns ∂C/∂bˡ (1 × nˡ) of the last Backward.
func (ws *Workspace) GradB(l int) Matrix { return ws.pass.GradB(l) }

// Predict sets dst[i] to the index of the largest output of sample i of the
// last Forward (the first one on ties) and returns dst[:m].
func (ws *Workspace) Predict(dst []int) []int {
	nL := ws.net.Outputs()
	dst = dst[:ws.m]
	out := ws.a[ws.net.Layers()]
	for i := range dst {
		row := out[i*nL : (i+1)*nL]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		dst[i] = best
	}
	return dst
}

// Correct returns the number of samples of the last Forward whose largest
// output is at their label.
func (ws *Workspace) Correct(labels []int) int {
	nL := ws.net.Outputs()
	out := ws.a[ws.net.Layers()]
	c := 0
	for i := 0; i < ws.m && i < len(labels); i++ {
		row := out[i*nL : (i+1)*nL]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		if best == labels[i] {
			c++
		}
	}
	return c
}

// CostSum returns the cost summed over the samples of the last Forward,
// against one-hot labels (when labels is not nil) or dense targets y
// (m × nᴸ), in float64. Cross-entropy is computed from zᴸ as
// y·softplus(−z) + (1−y)·softplus(z) (sigmoid outputs) or
// Σ y·(logsumexp(z) − z) (softmax outputs), which is exact where aᴸ has
// rounded to 0 or 1.
func (ws *Workspace) CostSum(labels []int, y []float32) float64 {
	nL := ws.net.Outputs()
	L := ws.net.Layers()
	z, a := ws.z[L], ws.a[L]
	var s float64
	if ws.net.cfg.Output == Softmax {
		// C = −Σⱼ yⱼ ln aⱼ = Σⱼ yⱼ (lse(z) − zⱼ), exact where aⱼ rounds to 0.
		for i := 0; i < ws.m; i++ {
			row := z[i*nL : (i+1)*nL]
			lse := logSumExp(row)
			for j, v := range row {
				t := 0.0
				if labels != nil {
					if labels[i] == j {
						t = 1
					}
				} else {
					t = float64(y[i*nL+j])
				}
				if t != 0 {
					s += t * (lse - float64(v))
				}
			}
		}
		return s
	}
	for i := 0; i < ws.m; i++ {
		for j := 0; j < nL; j++ {
			var t float64
			if labels != nil {
				if labels[i] == j {
					t = 1
				}
			} else {
				t = float64(y[i*nL+j])
			}
			k := i*nL + j
			switch ws.net.cfg.Cost {
			case CrossEntropy:
				zz := float64(z[k])
				if t != 0 {
					s += t * softplus(-zz)
				}
				if t != 1 {
					s += (1 - t) * softplus(zz)
				}
			case Quadratic:
				e := float64(a[k]) - t
				s += 0.5 * e * e
			}
		}
	}
	return s
}

// Matrix is a read-only view of a rows × cols row-major float32 matrix held
// by a workspace. It stays valid until the next Forward or Backward of that
// workspace changes the values.
type Matrix struct {
	rows, cols int
	data       []float32
}

// Rows returns the number of rows (samples, for zˡ, aˡ and δˡ).
func (v Matrix) Rows() int { return v.rows }

// Cols returns the number of columns (units).
func (v Matrix) Cols() int { return v.cols }

// Len returns Rows()·Cols().
func (v Matrix) Len() int { return v.rows * v.cols }

// At returns element (i, j).
func (v Matrix) At(i, j int) float32 {
	if uint(i) >= uint(v.rows) || uint(j) >= uint(v.cols) {
		panic(fmt.Sprintf("mlp: Matrix.At(%d, %d) out of range %d × %d", i, j, v.rows, v.cols))
	}
	return v.data[i*v.cols+j]
}

// CopyTo copies the matrix, row-major, into dst (len(dst) ≥ Len()) and
// returns dst[:Len()].
func (v Matrix) CopyTo(dst []float32) []float32 {
	return dst[:copy(dst[:v.rows*v.cols], v.data)]
}

// CopyRow copies row i into dst (len(dst) ≥ Cols()) and returns dst[:Cols()].
func (v Matrix) CopyRow(dst []float32, i int) []float32 {
	return dst[:copy(dst[:v.cols], v.row(i))]
}

func (v Matrix) row(i int) []float32 {
	if uint(i) >= uint(v.rows) {
		panic(fmt.Sprintf("mlp: Matrix row %d out of range 0 … %d", i, v.rows-1))
	}
	return v.data[i*v.cols : (i+1)*v.cols]
}

// SumSquares returns the sum of the squares of all elements, in float64
// (deltacore.SumSquares: no underflow for any float32).
func (v Matrix) SumSquares() float64 { return deltacore.SumSquares(v.data) }

// Norm returns the Frobenius norm (the Euclidean norm for a single row).
func (v Matrix) Norm() float64 { return math.Sqrt(v.SumSquares()) }

// RowNorm returns the Euclidean norm of row i (for δˡ: ‖δˡ‖ of sample i).
func (v Matrix) RowNorm(i int) float64 { return deltacore.Norm(v.row(i)) }

// RowNorms sets dst[i] to the Euclidean norm of row i, for every row, and
// returns dst[:Rows()].
func (v Matrix) RowNorms(dst []float64) []float64 {
	dst = dst[:v.rows]
	for i := range dst {
		dst[i] = deltacore.Norm(v.data[i*v.cols : (i+1)*v.cols])
	}
	return dst
}

// ColSums sets dst[j] to the sum of column j over all rows (deltacore.ColSums,
// in float32) and returns dst[:Cols()].
func (v Matrix) ColSums(dst []float32) []float32 {
	dst = dst[:v.cols]
	deltacore.ColSums(dst, v.data, v.rows, v.cols, max(v.cols, 1))
	return dst
}

// Observer is called after every backward pass of the workspace it is
// registered on, with a view of the whole pass. It must not keep p or the
// matrices beyond the call, and must not call Forward or Backward of that
// workspace.
type Observer func(p *Pass)

type observerEntry struct {
	id int
	fn Observer
}

// Observe registers fn to be called after every backward pass, in order of
// registration, and returns a function that removes it. With no observer
// registered a backward pass does no observer work at all. An observer on
// a Trainer's workspace also makes a plain SGD step wait for the end of the
// pass instead of being taken layer by layer inside it (see fuseSGD; the
// weights are the same bit for bit).
func (ws *Workspace) Observe(fn Observer) (remove func()) {
	id := ws.nextID
	ws.nextID++
	ws.observers = append(ws.observers, observerEntry{id, fn})
	return func() {
		for i, e := range ws.observers {
			if e.id == id {
				ws.observers = append(ws.observers[:i:i], ws.observers[i+1:]...)
				return
			}
		}
	}
}

func (ws *Workspace) notify() {
	for _, e := range ws.observers {
		e.fn(&ws.pass)
	}
}

// Pass is what an observer sees after a backward pass: every zˡ, aˡ, δˡ of
// the batch and the gradients, as read-only views, and the network's
// parameters as they were during the pass (the trainer updates them only
// after the observers return).
type Pass struct {
	ws *Workspace
}

// Network returns the network of the pass. Observers must not change it.
func (p *Pass) Network() *Network { return p.ws.net }

// Layers returns L.
func (p *Pass) Layers() int { return p.ws.net.Layers() }

// Batch returns m, the number of samples of the pass.
func (p *Pass) Batch() int { return p.ws.m }

// Index returns the number of backward passes of the workspace before this
// one (0 for the first): for a Trainer, the step number t.
func (p *Pass) Index() int { return p.ws.passes }

func (p *Pass) layer(fn string, l, lo int) int {
	L := p.ws.net.Layers()
	if l < lo || l > L {
		panic(fmt.Sprintf("mlp: %s(%d): layer out of range %d … %d", fn, l, lo, L))
	}
	if !p.ws.forwarded {
		panic(fmt.Sprintf("mlp: %s: no Forward has run", fn))
	}
	return p.ws.net.cfg.Sizes[l]
}

// Z returns zˡ (m × nˡ), l in 1 … L.
func (p *Pass) Z(l int) Matrix {
	n := p.layer("Z", l, 1)
	return Matrix{p.ws.m, n, p.ws.z[l][:p.ws.m*n]}
}

// A returns aˡ (m × nˡ), l in 0 … L; a⁰ is the input.
func (p *Pass) A(l int) Matrix {
	n := p.layer("A", l, 0)
	if l == 0 {
		return Matrix{p.ws.m, n, p.ws.x}
	}
	return Matrix{p.ws.m, n, p.ws.a[l][:p.ws.m*n]}
}

func (p *Pass) needBackward(fn string) {
	if !p.ws.backwarded {
		panic(fmt.Sprintf("mlp: %s: no Backward since the last Forward", fn))
	}
}

// Delta returns δˡ = ∂C/∂zˡ per sample (m × nˡ), l in 1 … L, as stored: the
// true δˡ is Delta(l)·2^DeltaExp(l) (the scale is 0, and Delta(l) the true
// δˡ, unless δ has shrunk below 2^−60 or grown above 2^60 in norm, which
// happens in deep networks only). It is the gradient of the sample's own
// cost; the batch's cost is their mean, so ∂C/∂bˡ is the column mean of δˡ.
func (p *Pass) Delta(l int) Matrix {
	n := p.layer("Delta", l, 1)
	p.needBackward("Delta")
	return Matrix{p.ws.m, n, p.ws.d[l][:p.ws.m*n]}
}

// DeltaExp returns the power-of-two scale s of δˡ: δˡ = Delta(l)·2^s. The
// backward pass keeps one such scale per layer so that δ of any depth is
// representable (see Workspace.Backward); norms of δˡ in float64 are
// Delta(l).Norm()·2^s, or math.Ldexp(Delta(l).Norm(), s).
func (p *Pass) DeltaExp(l int) int {
	p.layer("DeltaExp", l, 1)
	p.needBackward("DeltaExp")
	return p.ws.dexp[l]
}

// Speed returns the book's speed of learning of layer l, ‖∂C/∂bˡ‖, in
// float64 with δˡ's scale: unlike GradB(l).Norm() it does not underflow to
// 0 in deep networks (down to about 10⁻³⁰⁸; LogSpeed has no limit).
func (p *Pass) Speed(l int) float64 {
	n := p.layer("Speed", l, 1)
	p.needBackward("Speed")
	return math.Ldexp(deltacore.Norm(p.ws.gbs[l][:n]), p.ws.dexp[l])
}

// LogSpeed returns ln ‖∂C/∂bˡ‖ (−Inf when the gradient is zero), for depths
// where even float64 underflows.
func (p *Pass) LogSpeed(l int) float64 {
	n := p.layer("LogSpeed", l, 1)
	p.needBackward("LogSpeed")
	return math.Log(deltacore.Norm(p.ws.gbs[l][:n])) + float64(p.ws.dexp[l])*math.Ln2
}

// GradW returns ∂C/∂wˡ (nˡ × nˡ⁻¹), averaged over the batch, without the L2
// term: the true value (δˡ's scale applied), rounded to float32. In a deep
// network it may be subnormal or 0 where the true gradient is not; that
// loses nothing for training, as an update below half an ulp of a weight
// leaves the weight unchanged whatever precision the gradient had. It panics if weight gradients are turned off.
func (p *Pass) GradW(l int) Matrix {
	n := p.layer("GradW", l, 1)
	p.needBackward("GradW")
	if p.ws.noGradW {
		panic("mlp: GradW: weight gradients are turned off (SetWeightGradients)")
	}
	return Matrix{n, p.ws.net.cfg.Sizes[l-1], p.ws.gw[l]}
}

// GradB returns ∂C/∂bˡ (1 × nˡ), averaged over the batch, the true value
// rounded to float32 (what training uses): the book's "speed of learning"
// of layer l is GradB(l).Norm(), which in a deep network may underflow;
// Speed(l) gives it in float64 with δˡ's scale.
func (p *Pass) GradB(l int) Matrix {
	n := p.layer("GradB", l, 1)
	p.needBackward("GradB")
	return Matrix{1, n, p.ws.gb[l]}
}

// Cost returns the cost of the pass, averaged over the batch, computed on
// demand (it costs one pass over the outputs). It is NaN for a pass run by
// BackwardOutputGrad.
func (p *Pass) Cost() float64 {
	p.needBackward("Cost")
	if p.ws.labels == nil && p.ws.y == nil {
		return math.NaN()
	}
	return p.ws.CostSum(p.ws.labels, p.ws.y) / float64(p.ws.m)
}
