package study

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp"
	"gonum.org/v1/gonum/mat"
)

// JacobianConfig configures Jacobian.
type JacobianConfig struct {
	// Samples is the number of samples (the first ones of the data set)
	// whose Jacobians are analysed; default 5.
	Samples int
	// Probes is the number of Rademacher vectors of the stochastic trace
	// estimate; default 64.
	Probes int
	// PowerIters bounds the power iteration; default 200.
	PowerIters int
	// Threads is the number of goroutines for the per-layer spectra;
	// default GOMAXPROCS.
	Threads int
	Seed    uint64
}

// LayerSpectrum is the singular-value statistics of the layer Jacobians
// ∂aˡ/∂aˡ⁻¹ = Σ′(zˡ)wˡ (nˡ × nˡ⁻¹) over the analysed samples.
type LayerSpectrum struct {
	Layer int `json:"layer"`
	// MeanSV is the mean singular value (all min(nˡ, nˡ⁻¹) of them, from an
	// eigendecomposition of JJᵀ in float64), averaged over the samples:
	// Glorot and Bengio's (2010) measure, ≈0.5 for tanh with the standard
	// initialisation U[±1/√n] and ≈0.8 with the normalised one.
	MeanSV float64 `json:"mean_sv"`
	MaxSV  float64 `json:"max_sv"`
	MinSV  float64 `json:"min_sv"`
}

// JacobianResult holds the input–output Jacobian J = ∂aᴸ/∂a⁰ statistics,
// averaged over the analysed samples, and the per-layer spectra.
type JacobianResult struct {
	Sizes  []int  `json:"sizes"`
	Hidden string `json:"hidden"`
	// MaxSV is the largest singular value of J, by power iteration on JJᵀ.
	MaxSV float64 `json:"max_sv"`
	// MeanSqSV is the mean squared singular value tr(JJᵀ)/min(nᴸ, n⁰),
	// computed exactly from J; MeanSqSVEst is its Hutchinson estimate
	// E‖Jᵀv‖² over Probes Rademacher vectors v, from vector-Jacobian
	// products alone (what one would do for a wide output layer).
	MeanSqSV    float64         `json:"mean_sq_sv"`
	MeanSqSVEst float64         `json:"mean_sq_sv_estimate"`
	Layers      []LayerSpectrum `json:"layers"`
}

// Jacobian analyses the Jacobians of net at the first cfg.Samples samples of
// data. The input–output Jacobian is built row by row from vector-Jacobian
// products with the network's own backward pass (BackwardOutputGrad with
// unit vectors, then InputGradient), so it runs at kernel speed.
func Jacobian(net *mlp.Network, data *mlp.Dataset, cfg JacobianConfig) (*JacobianResult, error) {
	if cfg.Samples == 0 {
		cfg.Samples = 5
	}
	if cfg.Probes == 0 {
		cfg.Probes = 64
	}
	if cfg.PowerIters == 0 {
		cfg.PowerIters = 200
	}
	if cfg.Threads <= 0 {
		cfg.Threads = runtime.GOMAXPROCS(0)
	}
	if err := data.Check(net); err != nil {
		return nil, err
	}
	m := min(cfg.Samples, data.Len())
	if m < 1 {
		return nil, errors.New("study: no sample to analyse")
	}
	sizes := net.Sizes()
	L := net.Layers()
	n0, nL := sizes[0], sizes[L]
	ws, err := mlp.NewWorkspace(net, m)
	if err != nil {
		return nil, err
	}
	ws.SetWeightGradients(false)
	x := data.X[:m*n0]
	if err := ws.Forward(x); err != nil {
		return nil, err
	}
	res := &JacobianResult{Sizes: sizes, Hidden: net.Config().Hidden.String()}
	// J, one per sample: row k is the VJP with the unit vector e_k.
	jac := make([][]float64, m) // m × (nL × n0)
	for i := range jac {
		jac[i] = make([]float64, nL*n0)
	}
	g := make([]float32, m*nL)
	row := make([]float32, m*n0)
	for k := 0; k < nL; k++ {
		clear(g)
		for i := 0; i < m; i++ {
			g[i*nL+k] = 1
		}
		if err := ws.BackwardOutputGrad(g); err != nil {
			return nil, err
		}
		if _, err := ws.InputGradient(row); err != nil {
			return nil, err
		}
		for i := 0; i < m; i++ {
			for p := 0; p < n0; p++ {
				jac[i][k*n0+p] = float64(row[i*n0+p])
			}
		}
	}
	for i := 0; i < m; i++ {
		// JJᵀ (nL × nL) and its largest eigenvalue by power iteration.
		jjt := make([]float32, nL*nL)
		tr := 0.0
		for a := 0; a < nL; a++ {
			for b := 0; b < nL; b++ {
				s := 0.0
				for p := 0; p < n0; p++ {
					s += jac[i][a*n0+p] * jac[i][b*n0+p]
				}
				jjt[a*nL+b] = float32(s)
				if a == b {
					tr += s
				}
			}
		}
		// ‖J‖₂ = √‖JJᵀ‖₂ and JJᵀ is symmetric positive semi-definite.
		res.MaxSV += math.Sqrt(SpectralNorm(jjt, nL, nL, nil, cfg.PowerIters)) / float64(m)
		res.MeanSqSV += tr / float64(min(nL, n0)) / float64(m)
	}
	// Hutchinson: E_v ‖Jᵀv‖² = tr(JJᵀ) for Rademacher v, all samples at once.
	r := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))
	est := 0.0
	for p := 0; p < cfg.Probes; p++ {
		for i := range g {
			g[i] = float32(1 - 2*int(r.Uint32()&1))
		}
		if err := ws.BackwardOutputGrad(g); err != nil {
			return nil, err
		}
		if _, err := ws.InputGradient(row); err != nil {
			return nil, err
		}
		est += deltacore.SumSquares(row)
	}
	res.MeanSqSVEst = est / float64(cfg.Probes*m*min(nL, n0))
	// Per-layer spectra.
	res.Layers = make([]LayerSpectrum, L)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, cfg.Threads)
	for l := 1; l <= L; l++ {
		f := net.Config().Hidden
		if l == L {
			f = net.Config().Output
		}
		zl := ws.Z(l).CopyTo(make([]float32, m*sizes[l]))
		fp := make([]float32, len(zl))
		mlp.ActivationPrime(f, fp, zl)
		// W Wᵀ once per layer, in float64 (squaring the matrix squares its
		// condition number: float32 would lose the small singular values),
		// then D (W Wᵀ) D per sample.
		nOut, nIn := sizes[l], sizes[l-1]
		gram := gram64(net.Weights(l), nOut, nIn, cfg.Threads)
		res.Layers[l-1].Layer = l
		for i := 0; i < m; i++ {
			wg.Add(1)
			sem <- struct{}{}
			go func(l, i int, d []float32) {
				defer func() { <-sem; wg.Done() }()
				mean, lo, hi, err := layerSVStats(gram, d, nOut, min(nOut, nIn))
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					firstErr = fmt.Errorf("study: layer %d: %w", l, err)
					return
				}
				ls := &res.Layers[l-1]
				ls.MeanSV += mean / float64(m)
				ls.MaxSV += hi / float64(m)
				ls.MinSV += lo / float64(m)
			}(l, i, fp[i*nOut:(i+1)*nOut])
		}
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return res, nil
}

// layerSVStats returns the mean, smallest and largest of the rank largest
// singular values of J = D·W, given the Gram matrix G = W·Wᵀ (n × n) and the
// diagonal d: they are the square roots of the eigenvalues of D·G·D.
func layerSVStats(gram []float64, d []float32, n, rank int) (mean, lo, hi float64, err error) {
	a := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			a.SetSym(i, j, float64(d[i])*gram[i*n+j]*float64(d[j]))
		}
	}
	var e mat.EigenSym
	if !e.Factorize(a, false) {
		return 0, 0, 0, errors.New("eigendecomposition did not converge")
	}
	ev := e.Values(nil) // ascending
	ev = ev[len(ev)-rank:]
	lo = math.Sqrt(max(ev[0], 0))
	hi = math.Sqrt(max(ev[len(ev)-1], 0))
	for _, v := range ev {
		mean += math.Sqrt(max(v, 0))
	}
	return mean / float64(len(ev)), lo, hi, nil
}

// gram64 returns W·Wᵀ (rows × rows) of the rows × cols matrix w, in float64,
// rows spread over threads goroutines.
func gram64(w []float32, rows, cols, threads int) []float64 {
	w64 := make([]float64, len(w))
	for i, v := range w {
		w64[i] = float64(v)
	}
	g := make([]float64, rows*rows)
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := t; i < rows; i += threads {
				ri := w64[i*cols : (i+1)*cols]
				for j := 0; j <= i; j++ {
					rj := w64[j*cols : (j+1)*cols]
					s := 0.0
					for p, v := range ri {
						s += v * rj[p]
					}
					g[i*rows+j], g[j*rows+i] = s, s
				}
			}
		}()
	}
	wg.Wait()
	return g
}
