package study

import (
	"math"
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
	if !(rows[0].Variance < rows[1].Variance/4) {
		t.Errorf("orthogonal variance %g is not well below Gaussian %g", rows[0].Variance, rows[1].Variance)
	}
}
