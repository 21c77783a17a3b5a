package study

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/deltacore/deltacore/mlp"
)

// This file looks inside one backward pass, sample by sample and factor by
// factor. Nielsen's eq. (124) writes the error of hidden layer l as
//
//	δˡ = Σ′(zˡ)(wˡ⁺¹)ᵀ Σ′(zˡ⁺¹)(wˡ⁺²)ᵀ … Σ′(zᴸ) ∇ₐC
//
// a product of the factors Jₗ = Σ′(zˡ)(wˡ⁺¹)ᵀ (nˡ × nˡ⁺¹, one per sample:
// Σ′(zˡ) is the diagonal of f′ at that sample's zˡ), each of which maps
// δˡ⁺¹ to δˡ. A gradient vanishes when the factors' norms are below 1 and
// explodes when they are above. Probe measures each of them.

// ProbeConfig configures Probe.
type ProbeConfig struct {
	// SatThreshold: a unit is saturated at a sample when f′(z) is below
	// SatThreshold·max f′ (max σ′ = 1/4, max tanh′ = max ReLU′ = 1).
	// Default 0.1.
	SatThreshold float64
	// PowerIters bounds the power iterations per spectral norm; default 100.
	PowerIters int
	// FactorSamples is the number of samples whose factor norms ‖Jₗ‖₂ are
	// computed (the first ones of the batch); default 200.
	FactorSamples int
}

// LayerProbe is what Probe measures at one layer l.
type LayerProbe struct {
	Layer int `json:"layer"`
	Units int `json:"units"`
	// Speed is ‖∂C/∂bˡ‖ = ‖mean over samples of δˡ‖.
	Speed float64 `json:"speed"`
	// DeltaNorm is the distribution over samples of ‖δˡ‖ (each sample's own
	// error, not the mean), DeltaNorms its sorted values.
	DeltaNorm  Band      `json:"delta_norm"`
	DeltaNorms []float64 `json:"-"`
	// MeanPrime is the mean of f′(zˡ) over units and samples; Saturated the
	// fraction of (unit, sample) pairs with f′(z) < SatThreshold·max f′.
	MeanPrime float64 `json:"mean_fprime"`
	Saturated float64 `json:"saturated"`
	// Activation statistics over units and samples (Glorot and Bengio
	// 2010): mean, standard deviation and 98th percentile of aˡ.
	ActMean float64 `json:"act_mean"`
	ActStd  float64 `json:"act_std"`
	ActP98  float64 `json:"act_p98"`
	// WNorm is the Frobenius norm of wˡ, WSpectral its spectral norm.
	WNorm     float64 `json:"w_frobenius"`
	WSpectral float64 `json:"w_spectral"`
	// Factor is the distribution over samples of ‖Jₗ‖₂ = ‖Σ′(zˡ)(wˡ⁺¹)ᵀ‖₂
	// (hidden layers only), Gain that of the observed ‖δˡ‖/‖δˡ⁺¹‖ (never
	// more than ‖Jₗ‖₂).
	Factor *Band `json:"factor,omitempty"`
	Gain   *Band `json:"gain,omitempty"`
	// Product is the product of the median factors from this layer to
	// L−1: the bound on how much the error shrinks or grows from the
	// output layer's δᴸ down to δˡ.
	Product float64 `json:"product,omitempty"`
}

// ProbeResult is Probe's result for one network and batch.
type ProbeResult struct {
	Sizes  []int        `json:"sizes"`
	Hidden string       `json:"hidden"`
	Cost   float64      `json:"cost"`
	Layers []LayerProbe `json:"layers"` // l = 1 … L
	// Verdict names the factor that dominates: the hidden layer whose
	// median ‖Jₗ‖₂ is farthest from 1 (in log scale), and whether the
	// product vanishes (< 1) or explodes (> 1).
	Verdict string `json:"verdict"`
}

// Probe runs one forward and backward pass of net over data and measures
// every layer. It uses a workspace of its own.
func Probe(net *mlp.Network, data *mlp.Dataset, cfg ProbeConfig) (*ProbeResult, error) {
	if cfg.SatThreshold == 0 {
		cfg.SatThreshold = 0.1
	}
	if cfg.PowerIters == 0 {
		cfg.PowerIters = 100
	}
	if cfg.FactorSamples == 0 {
		cfg.FactorSamples = 200
	}
	if err := data.Check(net); err != nil {
		return nil, err
	}
	m := data.Len()
	ws, err := mlp.NewWorkspace(net, m)
	if err != nil {
		return nil, err
	}
	if err := ws.Forward(data.X); err != nil {
		return nil, err
	}
	res := &ProbeResult{Sizes: net.Sizes(), Hidden: net.Config().Hidden.String()}
	if data.Labels != nil {
		res.Cost = ws.CostSum(data.Labels, nil) / float64(m)
	} else {
		res.Cost = ws.CostSum(nil, data.Targets) / float64(m)
	}
	if err := backward(ws, data); err != nil {
		return nil, err
	}
	L := net.Layers()
	sizes := net.Sizes()
	fprime := make([][]float32, L+1) // f′(zˡ), m × nˡ
	for l := 1; l <= L; l++ {
		f := net.Config().Hidden
		if l == L {
			f = net.Config().Output
		}
		z := ws.Z(l).CopyTo(make([]float32, m*sizes[l]))
		fprime[l] = make([]float32, len(z))
		mlp.ActivationPrime(f, fprime[l], z)
	}
	norms := make([][]float64, L+1)
	for l := 1; l <= L; l++ {
		lp := LayerProbe{Layer: l, Units: sizes[l], Speed: ws.Speed(l)}
		norms[l] = ws.Delta(l).RowNorms(make([]float64, m))
		for i, v := range norms[l] {
			norms[l][i] = math.Ldexp(v, ws.DeltaExp(l)) // δˡ's scale
		}
		lp.DeltaNorms = slices.Sorted(slices.Values(norms[l]))
		lp.DeltaNorm = Band{quantileSorted(lp.DeltaNorms, 0.5), quantileSorted(lp.DeltaNorms, 0.05), quantileSorted(lp.DeltaNorms, 0.95)}
		f := net.Config().Hidden
		if l == L {
			f = net.Config().Output
		}
		maxPrime := 1.0
		if f == mlp.Sigmoid {
			maxPrime = 0.25
		}
		sum, sat := 0.0, 0
		for _, v := range fprime[l] {
			sum += float64(v)
			if float64(v) < cfg.SatThreshold*maxPrime {
				sat++
			}
		}
		lp.MeanPrime = sum / float64(len(fprime[l]))
		lp.Saturated = float64(sat) / float64(len(fprime[l]))
		acts := make([]float64, 0, m*sizes[l])
		a := ws.A(l)
		var s1 float64
		for i := 0; i < m; i++ {
			for j := 0; j < sizes[l]; j++ {
				v := float64(a.At(i, j))
				acts = append(acts, v)
				s1 += v
			}
		}
		lp.ActMean = s1 / float64(len(acts))
		var s2 float64
		for _, v := range acts {
			s2 += (v - lp.ActMean) * (v - lp.ActMean)
		}
		lp.ActStd = math.Sqrt(s2 / float64(len(acts)))
		lp.ActP98 = Quantile(acts, 0.98)
		w := net.Weights(l)
		var ww float64
		for _, v := range w {
			ww += float64(v) * float64(v)
		}
		lp.WNorm = math.Sqrt(ww)
		lp.WSpectral = SpectralNorm(w, sizes[l], sizes[l-1], nil, cfg.PowerIters)
		res.Layers = append(res.Layers, lp)
	}
	// The factors Jₗ = Σ′(zˡ)(wˡ⁺¹)ᵀ for the hidden layers, per sample.
	ns := min(m, cfg.FactorSamples)
	for l := L - 1; l >= 1; l-- {
		w := net.Weights(l + 1) // nˡ⁺¹ × nˡ
		fs := make([]float64, ns)
		gs := make([]float64, 0, m)
		d := make([]float64, sizes[l])
		for i := 0; i < ns; i++ {
			for j := range d {
				d[j] = float64(fprime[l][i*sizes[l]+j])
			}
			fs[i] = SpectralNorm(w, sizes[l+1], sizes[l], d, cfg.PowerIters)
		}
		for i := 0; i < m; i++ {
			if norms[l+1][i] > 0 {
				gs = append(gs, norms[l][i]/norms[l+1][i])
			}
		}
		fb, gb := BandOf(fs), BandOf(gs)
		lp := &res.Layers[l-1]
		lp.Factor, lp.Gain = &fb, &gb
		lp.Product = fb.Median
		if l < L-1 {
			lp.Product *= res.Layers[l].Product
		}
	}
	res.Verdict = verdict(res)
	return res, nil
}

func verdict(r *ProbeResult) string {
	L := len(r.Layers)
	if L < 2 {
		return "no hidden layer"
	}
	worst, wl := 0.0, 0
	for l := 1; l < L; l++ {
		f := r.Layers[l-1].Factor.Median
		if d := math.Abs(math.Log(f)); d >= worst {
			worst, wl = d, l
		}
	}
	p := r.Layers[0].Product
	kind := "vanishes"
	if p > 1 {
		kind = "explodes"
	}
	f := r.Layers[wl-1].Factor.Median
	return fmt.Sprintf("from δᴸ to δ¹ the error %s by a factor %.3g (product of the median ‖Σ′(zˡ)(wˡ⁺¹)ᵀ‖₂); "+
		"the factor farthest from 1 is layer %d's, %.3g (mean f′ %.3g, ‖w%d‖₂ %.3g)",
		kind, p, wl, f, r.Layers[wl-1].MeanPrime, wl+1, r.Layers[wl].WSpectral)
}

// SpectralNorm returns the largest singular value of W·D, where W is the
// rows × cols row-major matrix w and D = diag(d) (the identity when d is
// nil), by power iteration on (WD)ᵀ(WD) from a fixed start, in float64. It
// stops when the estimate changes by less than 1e-9 relative, or after
// iters iterations. ‖Σ′(zˡ)(wˡ⁺¹)ᵀ‖₂ = ‖wˡ⁺¹Σ′(zˡ)‖₂ is SpectralNorm(wˡ⁺¹, …, σ′(zˡ)).
func SpectralNorm(w []float32, rows, cols int, d []float64, iters int) float64 {
	v := make([]float64, cols)
	u := make([]float64, rows)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range v {
		v[i] = r.NormFloat64()
	}
	normalize(v)
	est := 0.0
	for it := 0; it < iters; it++ {
		// u = W D v
		for i := 0; i < rows; i++ {
			row := w[i*cols : (i+1)*cols]
			s := 0.0
			for j, x := range row {
				dv := v[j]
				if d != nil {
					dv *= d[j]
				}
				s += float64(x) * dv
			}
			u[i] = s
		}
		// v = D Wᵀ u
		clear(v)
		for i := 0; i < rows; i++ {
			row := w[i*cols : (i+1)*cols]
			for j, x := range row {
				v[j] += float64(x) * u[i]
			}
		}
		if d != nil {
			for j := range v {
				v[j] *= d[j]
			}
		}
		n := normalize(v) // ‖(WD)ᵀ(WD)v‖ → σ²
		if n == 0 {
			return 0
		}
		s := math.Sqrt(n)
		if math.Abs(s-est) <= 1e-9*s {
			return s
		}
		est = s
	}
	return est
}

func normalize(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	n := math.Sqrt(s)
	if n > 0 {
		for i := range v {
			v[i] /= n
		}
	}
	return n
}
