package study

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/deltacore/deltacore/mlp"
)

// Pennington, Schoenholz and Ganguli (2017), "Resurrecting the sigmoid in
// deep learning through dynamical isometry": at criticality (σ_w²μ₁ = 1)
// the squared singular values λ of the input–output Jacobian
// J = D^L W^L ⋯ D^1 W^1 have mean 1 and, by free probability, variance
//
//	σ²_JJᵀ = L·(μ₂/μ₁² − 1 − s₁),   μ_k = ∫Dz φ′(√q* z)^(2k),
//
// with s₁ the first S-transform coefficient of WWᵀ: −1 for Gaussian
// weights, 0 for orthogonal ones. For tanh with small q*, μ₂/μ₁² ≈ 1:
// orthogonal weights keep J nearly isometric (variance ≈ 0) at any depth,
// Gaussian ones do not (variance ≈ L).
//
// That prediction is for the infinite-width limit, where the mean of λ is
// exactly (σ_w²μ₁)^L = 1. At finite width N each network's overall gain
// varies: the forward pass's length qˡ wanders around q* (relative noise
// √(2/N) per layer, relaxing only over ξ_q ≈ 30 layers at criticality), so
// the layers' factors σ_w²·mean(φ′²) drift together, and all λ of one draw
// share a common factor c with ln c spread by about ±1 at N = 400, L = 160.
// The raw variance scales as c²: one draw's var λ there ranges from 4 to
// 16 000 (32 draws; their mean λ from 0.18 to 8.3), and a float64 numpy
// reference of the same network gives the same picture (32 draws: var λ
// 0.8 … 1846, mean λ 0.08 … 4.0). That is why a single draw read 44
// against 160. The comparison that matches the prediction's assumption is
// the variance of each draw's spectrum normalised to mean 1, var λ/(mean
// λ)²: 157 ± 6.5 over those 32 draws against 160.3 (102 … 243 per draw).
// The rows carry both, per draw and as mean ± standard error, and
// FiniteNVariance, the raw variance's width-N expectation under the model
// in which the D are independent of the forward pass (208 there; the
// tanh network's raw variance is heavier still through the wandering qˡ).

// SpectraConfig configures JacobianSpectra.
type SpectraConfig struct {
	Width   int   // default 400
	Depths  []int // default 10, 40, 160
	QStar   float64
	Samples int // inputs (one network each) per cell; default 2
	Seed    uint64
	// Weights lists the weight kinds to measure, "orthogonal" and/or
	// "gaussian"; default both.
	Weights []string
}

// SpectrumRow is one (weights, depth) cell: the measured mean and variance
// of the eigenvalues of JJᵀ (averaged over the samples) beside the theory.
type SpectrumRow struct {
	Width      int     `json:"width"`
	Weights    string  `json:"weights"` // "orthogonal" or "gaussian"
	Depth      int     `json:"depth"`
	SigmaW2    float64 `json:"sigma_w2"`
	SigmaB2    float64 `json:"sigma_b2"`
	QStar      float64 `json:"q_star"`
	Mean       float64 `json:"mean_sq_sv"`
	Variance   float64 `json:"var_sq_sv"`
	Prediction float64 `json:"var_sq_sv_prediction"`
	// PredictionN is the expected variance at this width (FiniteNVariance);
	// Prediction is its N → ∞ limit.
	PredictionN float64 `json:"var_sq_sv_prediction_width_n"`
	// VarianceSE is the standard error of Variance (the mean over the
	// draws; 0 for one draw), VarianceMedian the draws' median, and
	// DrawVariances and DrawMeans each draw's variance and mean.
	VarianceSE     float64   `json:"var_sq_sv_stderr"`
	VarianceMedian float64   `json:"var_sq_sv_median"`
	DrawVariances  []float64 `json:"draw_var_sq_sv"`
	// NormVariance is the mean over the draws of var λ/(mean λ)², the
	// variance of the draw's spectrum scaled to mean 1 (what Prediction
	// assumes), with its standard error NormVarianceSE and each draw's
	// value in DrawNormVariances.
	NormVariance      float64   `json:"var_sq_sv_normalised"`
	NormVarianceSE    float64   `json:"var_sq_sv_normalised_stderr"`
	DrawNormVariances []float64 `json:"draw_var_sq_sv_normalised"`
	DrawMeans         []float64 `json:"draw_mean_sq_sv"`
	Mu1               float64   `json:"mu1"`
	Mu2               float64   `json:"mu2"`
}

// FiniteNVariance returns the expected variance of the eigenvalues of JJᵀ
// at width n and depth L, J = D^L W^L ⋯ D^1 W^1 with W N(0, σ_w²/n)
// (orthogonal false) or √σ_w² times a Haar orthogonal matrix, and D
// diagonal with independent entries d, σ_w²·E d² = c1 and σ_w⁴·E d⁴ = c2
// (c1 = σ_w²μ₁, c2 = σ_w⁴μ₂ for tanh at q*). It iterates, exactly under
// those assumptions, the expectations M = E[tr(A²)/n] and S = E[(tr A/n)²]
// of A = JJᵀ over one layer A → D W A Wᵀ D:
//
//	Gaussian:   M' = c1²((1+1/n)M + S) + (c2−c1²)(S + 2M/n)
//	            S' = (c2/n)(S + 2M/n) + (1 − 1/n)c1²S
//	orthogonal: M' = c1²M + (c2−c1²)(nS + 2M)/(n+2)
//	            S' = (c2(nS + 2M) + c1²((n+1)nS − 2M)) / (n(n+2))
//
// from Wick's theorem and the Haar moments E[B_ii²] = ((tr A)² + 2tr A²)/
// (n(n+2)), E[B_ii B_jj] = ((n+1)(tr A)² − 2tr A²)/((n−1)n(n+2)), starting
// from A = I (M = S = 1); the variance is M − S. As n → ∞ it is
// L·(c2/c1² − 1 − s₁) at c1 = 1, the free-probability prediction.
// TestFiniteNVariance checks it against a Monte-Carlo with D drawn
// independently. In a tanh network D follows the forward pass, whose
// length wanders at finite width and makes the layers' gains drift
// together: the network's raw variance is then heavier-tailed than this
// model's (see JacobianSpectra).
func FiniteNVariance(n, L int, c1, c2 float64, orthogonal bool) float64 {
	N := float64(n)
	M, S := 1.0, 1.0
	for range L {
		if orthogonal {
			M, S = c1*c1*M+(c2-c1*c1)*(N*S+2*M)/(N+2), (c2*(N*S+2*M)+c1*c1*((N+1)*N*S-2*M))/(N*(N+2))
		} else {
			M, S = c1*c1*((1+1/N)*M+S)+(c2-c1*c1)*(S+2*M/N), (c2/N)*(S+2*M/N)+(1-1/N)*c1*c1*S
		}
	}
	return M - S
}

// CriticalTanhForQStar returns the critical (σ_w², σ_b²) of tanh whose
// fixed point q* is the given one, by bisection on σ_b² (q* at
// criticality grows with σ_b²).
func CriticalTanhForQStar(q float64) (sw2, sb2 float64) {
	lo, hi := 1e-12, 1.0
	for range 100 {
		mid := math.Sqrt(lo * hi)
		w := CriticalSigmaW2(MFTanh, mid)
		if qStarTanh(w, mid) < q {
			lo = mid
		} else {
			hi = mid
		}
	}
	sb2 = math.Sqrt(lo * hi)
	return CriticalSigmaW2(MFTanh, sb2), sb2
}

// biased wraps an initialiser, drawing the biases N(0, σ_b²) after it.
type biased struct {
	mlp.Initializer
	sb2 float64
}

func (b biased) InitLayer(r *rand.Rand, w, bias []float32, nIn, nOut int) {
	b.Initializer.InitLayer(r, w, bias, nIn, nOut)
	s := math.Sqrt(b.sb2)
	for i := range bias {
		bias[i] = float32(r.NormFloat64() * s)
	}
}

// JacobianSpectra measures the spectrum of JJᵀ for orthogonal and Gaussian
// weights at each depth, for tanh at the critical point with the given q*.
// J (Width × Width) is computed in one batched backward pass: Width copies
// of the input, the identity as output gradients, then the input gradient
// (δ's scales keep it exact at any depth). tr(JJᵀ)/n and tr((JJᵀ)²)/n are
// formed in float64, so the variance needs no eigendecomposition.
func JacobianSpectra(cfg SpectraConfig) ([]SpectrumRow, error) {
	if cfg.Width <= 0 {
		cfg.Width = 400
	}
	if len(cfg.Depths) == 0 {
		cfg.Depths = []int{10, 40, 160}
	}
	if cfg.QStar <= 0 {
		cfg.QStar = 1.0 / 64
	}
	if cfg.Samples <= 0 {
		cfg.Samples = 2
	}
	for _, w := range cfg.Weights {
		if w != "orthogonal" && w != "gaussian" {
			return nil, fmt.Errorf("study: spectra: weights %q: want orthogonal or gaussian", w)
		}
	}
	sw2, sb2 := CriticalTanhForQStar(cfg.QStar)
	s := math.Sqrt(cfg.QStar)
	mu1 := int1(cfg.QStar, func(z float64) float64 { p := tanhPrime(s * z); return p * p })
	mu2 := int1(cfg.QStar, func(z float64) float64 { p := tanhPrime(s * z); return p * p * p * p })
	n := cfg.Width
	var rows []SpectrumRow
	for _, wt := range []struct {
		name string
		init mlp.Initializer
		s1   float64
		orth bool
	}{
		{"orthogonal", biased{mlp.Orthogonal(math.Sqrt(sw2)), sb2}, 0, true},
		{"gaussian", mlp.MeanField(sw2, sb2), -1, false},
	} {
		if len(cfg.Weights) > 0 && !slices.Contains(cfg.Weights, wt.name) {
			continue
		}
		for _, L := range cfg.Depths {
			sizes := make([]int, L+1)
			for i := range sizes {
				sizes[i] = n
			}
			net, err := mlp.New(mlp.Config{Sizes: sizes, Hidden: mlp.Tanh, Output: mlp.Tanh, Cost: mlp.Quadratic})
			if err != nil {
				return nil, err
			}
			ws, err := mlp.NewWorkspace(net, n)
			if err != nil {
				return nil, err
			}
			ws.SetWeightGradients(false)
			row := SpectrumRow{Width: n, Weights: wt.name, Depth: L, SigmaW2: sw2, SigmaB2: sb2, QStar: cfg.QStar, Mu1: mu1, Mu2: mu2,
				Prediction:  float64(L) * (mu2/(mu1*mu1) - 1 - wt.s1),
				PredictionN: FiniteNVariance(n, L, sw2*mu1, sw2*sw2*mu2, wt.orth)}
			x := make([]float32, n*n)
			g := make([]float32, n*n)
			for i := 0; i < n; i++ {
				g[i*n+i] = 1
			}
			jac := make([]float32, n*n)
			jj := make([]float64, n*n)
			for k := range cfg.Samples {
				r := mlp.NewRand(cfg.Seed + uint64(1000*L+k) + uint64(len(wt.name)))
				net.InitRand(wt.init, r)
				// An input whose h¹ has variance q*: x ~ N(0, (q* − σ_b²)/σ_w²).
				sx := math.Sqrt(math.Max(0, cfg.QStar-sb2) / sw2)
				for p := 0; p < n; p++ {
					v := float32(r.NormFloat64() * sx)
					for i := 0; i < n; i++ {
						x[i*n+p] = v
					}
				}
				if err := ws.Forward(x); err != nil {
					return nil, err
				}
				if err := ws.BackwardOutputGrad(g); err != nil {
					return nil, err
				}
				if _, err := ws.InputGradient(jac); err != nil {
					return nil, err
				}
				// jac row i = e_iᵀJ; JJᵀ[a][b] = Σ_p J[a][p]·J[b][p].
				for a := 0; a < n; a++ {
					ra := jac[a*n : (a+1)*n]
					for b := a; b < n; b++ {
						rb := jac[b*n : (b+1)*n]
						var t float64
						for p := range ra {
							t += float64(ra[p]) * float64(rb[p])
						}
						jj[a*n+b], jj[b*n+a] = t, t
					}
				}
				var tr, tr2 float64
				for a := 0; a < n; a++ {
					tr += jj[a*n+a]
				}
				for _, v := range jj {
					tr2 += v * v
				}
				m1 := tr / float64(n)
				row.DrawMeans = append(row.DrawMeans, m1)
				row.DrawVariances = append(row.DrawVariances, tr2/float64(n)-m1*m1)
				row.DrawNormVariances = append(row.DrawNormVariances, (tr2/float64(n)-m1*m1)/(m1*m1))
			}
			row.Mean = meanOf(row.DrawMeans)
			row.Variance, row.VarianceSE = meanSE(row.DrawVariances)
			row.NormVariance, row.NormVarianceSE = meanSE(row.DrawNormVariances)
			row.VarianceMedian = Quantile(row.DrawVariances, 0.5)
			if math.IsNaN(row.Mean) {
				return nil, fmt.Errorf("study: Jacobian of depth %d is not finite", L)
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// meanSE returns the mean of xs and its standard error (0 for one value).
func meanSE(xs []float64) (mean, se float64) {
	mean = meanOf(xs)
	if k := len(xs); k > 1 {
		var ss float64
		for _, v := range xs {
			ss += (v - mean) * (v - mean)
		}
		se = math.Sqrt(ss / float64(k-1) / float64(k))
	}
	return mean, se
}

func meanOf(xs []float64) float64 {
	var t float64
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}
