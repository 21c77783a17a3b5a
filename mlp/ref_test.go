package mlp

import (
	"math"
	"math/rand/v2"
)

// refNet is an independent float64 network, written plainly (one sample at
// a time, loops only), used as the oracle of the tests.
type refNet struct {
	sizes          []int
	hidden, output Activation
	cost           Cost
	w, b           [][]float64 // w[l][j][k] flattened as j*n[l-1]+k
}

func refFrom(n *Network) *refNet {
	r := &refNet{sizes: n.Sizes(), hidden: n.cfg.Hidden, output: n.cfg.Output, cost: n.cfg.Cost}
	r.w = make([][]float64, n.Layers()+1)
	r.b = make([][]float64, n.Layers()+1)
	for l := 1; l <= n.Layers(); l++ {
		for _, v := range n.w[l] {
			r.w[l] = append(r.w[l], float64(v))
		}
		for _, v := range n.b[l] {
			r.b[l] = append(r.b[l], float64(v))
		}
	}
	return r
}

func refAct(f Activation, z float64) float64 {
	switch f {
	case Sigmoid:
		return 1 / (1 + math.Exp(-z))
	case Tanh:
		return math.Tanh(z)
	case ReLU:
		return math.Max(z, 0)
	}
	panic("bad activation")
}

// forward returns the activations of every layer for one sample.
func (r *refNet) forward(x []float64) (zs, as [][]float64) {
	L := len(r.sizes) - 1
	zs = make([][]float64, L+1)
	as = make([][]float64, L+1)
	as[0] = x
	for l := 1; l <= L; l++ {
		n, k := r.sizes[l], r.sizes[l-1]
		f := r.hidden
		if l == L {
			f = r.output
		}
		zs[l] = make([]float64, n)
		as[l] = make([]float64, n)
		for j := 0; j < n; j++ {
			s := r.b[l][j]
			for p := 0; p < k; p++ {
				s += r.w[l][j*k+p] * as[l-1][p]
			}
			zs[l][j] = s
			if f != Softmax {
				as[l][j] = refAct(f, s)
			}
		}
		if f == Softmax {
			var sum float64
			for j := range zs[l] {
				sum += math.Exp(zs[l][j])
			}
			for j := range zs[l] {
				as[l][j] = math.Exp(zs[l][j]) / sum
			}
		}
	}
	return zs, as
}

// sampleCost returns one sample's cost against target y (or, when g is not
// nil, the linear functional Σ g·aᴸ).
func (r *refNet) sampleCost(x, y, g []float64) float64 {
	_, as := r.forward(x)
	a := as[len(as)-1]
	var c float64
	for j := range a {
		switch {
		case g != nil:
			c += g[j] * a[j]
		case r.cost == CrossEntropy && r.output == Softmax:
			c -= y[j] * math.Log(a[j])
		case r.cost == CrossEntropy:
			c -= y[j]*math.Log(a[j]) + (1-y[j])*math.Log(1-a[j])
		default:
			c += 0.5 * (a[j] - y[j]) * (a[j] - y[j])
		}
	}
	return c
}

// batchCost returns the mean cost over the samples.
func (r *refNet) batchCost(xs, ys, gs [][]float64) float64 {
	var c float64
	for i := range xs {
		var g []float64
		if gs != nil {
			g = gs[i]
		}
		var y []float64
		if ys != nil {
			y = ys[i]
		}
		c += r.sampleCost(xs[i], y, g)
	}
	return c / float64(len(xs))
}

// fdGrad returns ∂f/∂p by central differences for every parameter p of
// layer l: (weights, biases).
func (r *refNet) fdGrad(l int, f func() float64) (gw, gb []float64) {
	const h = 1e-6
	d := func(p *float64) float64 {
		old := *p
		*p = old + h
		cp := f()
		*p = old - h
		cm := f()
		*p = old
		return (cp - cm) / (2 * h)
	}
	for i := range r.w[l] {
		gw = append(gw, d(&r.w[l][i]))
	}
	for i := range r.b[l] {
		gb = append(gb, d(&r.b[l][i]))
	}
	return gw, gb
}

func randMatrix(r *rand.Rand, rows, cols int, lo, hi float64) ([]float32, [][]float64) {
	flat := make([]float32, rows*cols)
	m := make([][]float64, rows)
	for i := range m {
		m[i] = make([]float64, cols)
		for j := range m[i] {
			v := float32(lo + (hi-lo)*r.Float64())
			flat[i*cols+j] = v
			m[i][j] = float64(v)
		}
	}
	return flat, m
}
