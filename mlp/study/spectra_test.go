package study

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestJacobianSpectra: at criticality with small q*, orthogonal weights keep
// the squared singular values of J concentrated (variance near the free-
// probability prediction L(μ₂/μ₁² − 1), small), Gaussian ones spread them
// (variance near L·μ₂/μ₁²); the mean stays near 1 for both.
func TestJacobianSpectra(t *testing.T) {
	rows, err := JacobianSpectra(SpectraConfig{Width: 120, Depths: []int{8}, Samples: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	m := NewMeanField(MFTanh, rows[0].SigmaW2, rows[0].SigmaB2)
	if math.Abs(m.Chi1-1) > 1e-9 || math.Abs(m.QStar-1.0/64) > 1e-6 {
		t.Errorf("critical point: χ₁ = %g, q* = %g", m.Chi1, m.QStar)
	}
	for _, r := range rows {
		if math.Abs(r.Mean-1) > 0.3 {
			t.Errorf("%s: mean squared singular value %g, want ≈ 1", r.Weights, r.Mean)
		}
		// Finite width (120) and two samples: within 40 % + 0.1.
		if math.Abs(r.Variance-r.Prediction) > 0.4*r.Prediction+0.1 {
			t.Errorf("%s L=%d: variance %g, prediction %g", r.Weights, r.Depth, r.Variance, r.Prediction)
		}
	}
	for _, r := range rows {
		if len(r.DrawVariances) != 2 || len(r.DrawMeans) != 2 || r.Width != 120 {
			t.Errorf("%s: %d draws recorded, width %d", r.Weights, len(r.DrawVariances), r.Width)
			continue
		}
		if m := (r.DrawVariances[0] + r.DrawVariances[1]) / 2; r.Variance != m || r.VarianceMedian != m ||
			math.Abs(r.VarianceSE-math.Abs(r.DrawVariances[0]-r.DrawVariances[1])/2) > 1e-12*m {
			t.Errorf("%s: variance %g, median %g, s.e. %g of draws %v", r.Weights, r.Variance, r.VarianceMedian, r.VarianceSE, r.DrawVariances)
		}
		for i, v := range r.DrawVariances {
			if m := r.DrawMeans[i]; r.DrawNormVariances[i] != v/(m*m) {
				t.Errorf("%s draw %d: normalised variance %g, want %g/%g²", r.Weights, i, r.DrawNormVariances[i], v, m)
			}
		}
		if m := (r.DrawNormVariances[0] + r.DrawNormVariances[1]) / 2; r.NormVariance != m ||
			math.Abs(r.NormVarianceSE-math.Abs(r.DrawNormVariances[0]-r.DrawNormVariances[1])/2) > 1e-12*m {
			t.Errorf("%s: normalised variance %g ± %g of draws %v", r.Weights, r.NormVariance, r.NormVarianceSE, r.DrawNormVariances)
		}
		// Scaled to mean 1 the spectrum meets the prediction closely.
		if math.Abs(r.NormVariance-r.Prediction) > 0.25*r.Prediction+0.02 {
			t.Errorf("%s L=%d: normalised variance %g, prediction %g", r.Weights, r.Depth, r.NormVariance, r.Prediction)
		}
		c1, c2 := r.SigmaW2*r.Mu1, r.SigmaW2*r.SigmaW2*r.Mu2
		if want := FiniteNVariance(120, 8, c1, c2, r.Weights == "orthogonal"); r.PredictionN != want {
			t.Errorf("%s: width-N prediction %g, want %g", r.Weights, r.PredictionN, want)
		}
	}
	g, err := JacobianSpectra(SpectraConfig{Width: 120, Depths: []int{8}, Samples: 2, Seed: 1, Weights: []string{"gaussian"}})
	if err != nil || len(g) != 1 || g[0].Weights != "gaussian" || g[0].Variance != rows[1].Variance {
		t.Errorf("Gaussian weights alone: %v, %+v", err, g)
	}
	if _, err := JacobianSpectra(SpectraConfig{Width: 8, Depths: []int{2}, Weights: []string{"uniform"}}); err == nil {
		t.Error("unknown weight kind accepted")
	}
	if !(rows[1].PredictionN > rows[1].Prediction) {
		t.Errorf("Gaussian: the width-120 expectation %g is not above the limit %g", rows[1].PredictionN, rows[1].Prediction)
	}
	if !(rows[0].Variance < rows[1].Variance/4) {
		t.Errorf("orthogonal variance %g is not well below Gaussian %g", rows[0].Variance, rows[1].Variance)
	}
}

// TestFiniteNVariance: the width-n expectation of var(λ(JJᵀ)) against a
// plain float64 Monte-Carlo of J = D^L W^L ⋯ D^1 W^1 at n = 6, with D's
// squared entries drawn independently of W from {a, b} (the formula's
// assumption, under which it is exact), for Gaussian and Haar orthogonal W
// (QR of a Gaussian matrix with the signs of R's diagonal fixed); and the
// N → ∞ limit L·(c2/c1² − 1 − s₁).
func TestFiniteNVariance(t *testing.T) {
	const n, L, draws = 6, 4, 60000
	sw2, a, b := 1.3, 0.5, 1.1 // d² ∈ {a, b}, equally likely
	c1 := sw2 * (a + b) / 2
	c2 := sw2 * sw2 * (a*a + b*b) / 2
	r := rand.New(rand.NewPCG(1, 2))
	for _, orth := range []bool{false, true} {
		var sum, sumSq float64
		J := make([]float64, n*n)
		W := make([]float64, n*n)
		T := make([]float64, n*n)
		for range draws {
			for i := range J {
				J[i] = 0
			}
			for i := 0; i < n; i++ {
				J[i*n+i] = 1
			}
			for range L {
				for i := range W {
					W[i] = r.NormFloat64()
				}
				if orth {
					haar(W, n)
					for i := range W {
						W[i] *= math.Sqrt(sw2)
					}
				} else {
					for i := range W {
						W[i] *= math.Sqrt(sw2 / n)
					}
				}
				for i := 0; i < n; i++ {
					d := math.Sqrt(a)
					if r.IntN(2) == 1 {
						d = math.Sqrt(b)
					}
					for j := 0; j < n; j++ {
						var s float64
						for k := 0; k < n; k++ {
							s += W[i*n+k] * J[k*n+j]
						}
						T[i*n+j] = d * s
					}
				}
				copy(J, T)
			}
			// var λ = tr((JJᵀ)²)/n − (tr(JJᵀ)/n)².
			var tr, tr2 float64
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					var s float64
					for k := 0; k < n; k++ {
						s += J[i*n+k] * J[j*n+k]
					}
					tr2 += s * s
					if i == j {
						tr += s
					}
				}
			}
			v := tr2/n - (tr/n)*(tr/n)
			sum += v
			sumSq += v * v
		}
		mean := sum / draws
		se := math.Sqrt((sumSq/draws - mean*mean) / draws)
		want := FiniteNVariance(n, L, c1, c2, orth)
		t.Logf("orthogonal %v: Monte-Carlo %g ± %g, FiniteNVariance %g, N → ∞ %g", orth, mean, se, want, FiniteNVariance(1<<30, L, c1, c2, orth))
		if math.Abs(mean-want) > 4*se {
			t.Errorf("orthogonal %v: Monte-Carlo %g ± %g, FiniteNVariance %g", orth, mean, se, want)
		}
	}
	// The limit: c1 = 1, c2 = 1.02: L·0.02 orthogonal, L·1.02 Gaussian.
	for _, orth := range []bool{false, true} {
		want := 160 * (1.02 - 1)
		if !orth {
			want += 160
		}
		if got := FiniteNVariance(1<<30, 160, 1, 1.02, orth); math.Abs(got-want) > 1e-3*want {
			t.Errorf("n → ∞, orthogonal %v: %g, want %g", orth, got, want)
		}
	}
	// At width 400 the Gaussian expectation at L = 160 is well above the limit.
	if g := FiniteNVariance(400, 160, 1, 1.0017, false); !(g > 200 && g < 215) {
		t.Errorf("n = 400, L = 160, Gaussian: %g, want about 208", g)
	}
}

// haar replaces the n × n matrix w (rows) by the Q of its QR decomposition
// with R's diagonal made positive (modified Gram–Schmidt on the columns): a
// Haar orthogonal matrix when w is Gaussian.
func haar(w []float64, n int) {
	for j := 0; j < n; j++ {
		for k := 0; k < j; k++ {
			var d float64
			for i := 0; i < n; i++ {
				d += w[i*n+j] * w[i*n+k]
			}
			for i := 0; i < n; i++ {
				w[i*n+j] -= d * w[i*n+k]
			}
		}
		var s float64
		for i := 0; i < n; i++ {
			s += w[i*n+j] * w[i*n+j]
		}
		s = math.Sqrt(s)
		for i := 0; i < n; i++ {
			w[i*n+j] /= s
		}
	}
}
