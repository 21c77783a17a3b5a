package study

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestGaussHermite(t *testing.T) {
	for _, c := range []struct {
		f    func(float64) float64
		want float64
	}{
		{func(z float64) float64 { return 1 }, 1},
		{func(z float64) float64 { return z * z }, 1},
		{func(z float64) float64 { return z * z * z * z }, 3},
		{func(z float64) float64 { return math.Cos(z) }, math.Exp(-0.5)},
	} {
		for _, q := range []float64{1, 100} { // Gauss–Hermite, trapezoid
			if got := int1(q, c.f); math.Abs(got-c.want) > 1e-12 {
				t.Errorf("q = %g: ∫Dz = %.15g, want %.15g", q, got, c.want)
			}
		}
	}
	if got := int2(1, func(a, b float64) float64 { return a * a * b * b }); math.Abs(got-1) > 1e-12 {
		t.Errorf("∫Dz₁Dz₂ z₁²z₂² = %g", got)
	}
}

// TestMeanFieldKnown: the values the papers give. Schoenholz et al. (2017):
// tanh with σ_b² = 0.05 is critical at σ_w² ≈ 1.76; at σ_b² = 0 the
// critical point is σ_w² = 1 with q* = 0, χ₁ = φ′(0)² = 1. ReLU's is 2.
func TestMeanFieldKnown(t *testing.T) {
	if c := CriticalSigmaW2(MFTanh, 0.05); math.Abs(c-1.76) > 0.005 {
		t.Errorf("critical σ_w² (tanh, σ_b² = 0.05) = %g, want ≈ 1.76", c)
	}
	if c := CriticalSigmaW2(MFTanh, 0); math.Abs(c-1) > 1e-9 {
		t.Errorf("critical σ_w² (tanh, σ_b² = 0) = %g, want 1", c)
	}
	m := NewMeanField(MFTanh, 1, 0)
	if m.QStar != 0 || math.Abs(m.Chi1-1) > 1e-12 || !math.IsInf(m.XiC, 1) {
		t.Errorf("tanh (1, 0): q* = %g χ₁ = %g ξ_c = %g, want 0, 1, +Inf", m.QStar, m.Chi1, m.XiC)
	}
	if c := CriticalSigmaW2(MFReLU, 0.3); c != 2 {
		t.Errorf("ReLU critical σ_w² = %g", c)
	}
	r := NewMeanField(MFReLU, 1.5, 0.05)
	if math.Abs(r.QStar-0.2) > 1e-15 || r.Chi1 != 0.75 {
		t.Errorf("ReLU (1.5, 0.05): q* = %g χ₁ = %g, want 0.2, 0.75", r.QStar, r.Chi1)
	}
	// The critical line rises with σ_b².
	line := CriticalLine(MFTanh, []float64{0.2, 0, 0.05})
	if line[0].SigmaB2 != 0 || !(line[0].SigmaW2 < line[1].SigmaW2 && line[1].SigmaW2 < line[2].SigmaW2) {
		t.Errorf("critical line %v", line)
	}
	// Ordered below, chaotic above, with c* < 1 and finite ξ_c on both sides.
	lo, hi := NewMeanField(MFTanh, 1.3, 0.05), NewMeanField(MFTanh, 2.5, 0.05)
	if !lo.Ordered || lo.CStar != 1 || hi.Ordered || !(hi.CStar < 1 && hi.CStar > 0) || !(hi.ChiC < 1) {
		t.Errorf("phases: %+v / %+v", lo, hi)
	}
}

// mcMaps evaluates, by plain Monte Carlo over fixed Gaussian draws, the
// definitions at the theory's values for φ itself (no quadrature, no
// sigmoid-to-tanh mapping): the length map at q*, χ₁ at q*, and the
// correlation map at c* (with q*). If the theory is right, the maps return
// q* and c* (they are fixed points) and χ₁ agrees.
func mcMaps(phi, dphi func(float64) float64, sw2, sb2, qs, cs float64) (q, chi1, c float64) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 400000
	s := math.Sqrt(qs)
	rr := math.Sqrt(1 - cs*cs)
	var sq, sd, sc float64
	for range n {
		z1, z2 := r.NormFloat64(), r.NormFloat64()
		v := phi(s * z1)
		d := dphi(s * z1)
		sq += v * v
		sd += d * d
		sc += v * phi(s*(cs*z1+rr*z2))
	}
	q = sw2*sq/n + sb2
	chi1 = sw2 * sd / n
	c = (sw2*sc/n + sb2) / qs
	return q, chi1, c
}

func TestMeanFieldMonteCarlo(t *testing.T) {
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	dsig := func(x float64) float64 { s := sig(x); return s * (1 - s) }
	dtanh := func(x float64) float64 { c := math.Cosh(x); return 1 / (c * c) }
	for _, c := range []struct {
		act      MFActivation
		phi, dp  func(float64) float64
		sw2, sb2 float64
	}{
		{MFTanh, math.Tanh, dtanh, 2.5, 0.05},
		{MFTanh, math.Tanh, dtanh, 1.2, 0.3},
		// The sigmoid through the tanh mapping, against the sigmoid itself.
		{MFSigmoid, sig, dsig, 4, 0.5},
		{MFSigmoid, sig, dsig, 200, 0.05},
	} {
		m := NewMeanField(c.act, c.sw2, c.sb2)
		q, chi1, cs := mcMaps(c.phi, c.dp, c.sw2, c.sb2, m.QStar, m.CStar)
		if math.Abs(m.QStar/q-1) > 0.005 || math.Abs(m.Chi1/chi1-1) > 0.01 {
			t.Errorf("%v (%g, %g): q* = %g, χ₁ = %g; Monte Carlo length map at q* %g, χ₁ %g", c.act, c.sw2, c.sb2, m.QStar, m.Chi1, q, chi1)
		}
		if math.Abs(m.CStar-cs) > 0.005 {
			t.Errorf("%v (%g, %g): c* = %g; Monte Carlo correlation map at c* %g", c.act, c.sw2, c.sb2, m.CStar, cs)
		}
		if c.act == MFTanh && c.sw2 > 2 && !(m.CStar < 0.9) {
			t.Errorf("%v (%g, %g): c* = %g, want the chaotic fixed point < 1", c.act, c.sw2, c.sb2, m.CStar)
		}
	}
}

// TestDeltaSlope: on random tanh networks the per-layer slope of ln‖δˡ‖ is
// ½ ln χ₁, in the ordered phase (where δ¹ of 100 layers is far below
// float32's range, so the δ scales are needed) and in the chaotic one.
func TestDeltaSlope(t *testing.T) {
	for _, sw2 := range []float64{0.8, 2.5} {
		m := NewMeanField(MFTanh, sw2, 0.05)
		got, _, err := MeasureDeltaSlope(MFTanh, sw2, 0.05, SlopeConfig{Width: 200, Depth: 100, Nets: 2, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-m.SlopeTheory) > 0.01 {
			t.Errorf("σ_w² = %g: measured slope %.4f, theory ½ ln χ₁ = %.4f", sw2, got, m.SlopeTheory)
		}
	}
}

func TestMeanFieldJSON(t *testing.T) {
	b, err := json.Marshal(NewMeanField(MFReLU, 3, 0.1))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"q_star":null`, `"chi1":1.5`, `"c_star":1`, `"xi_q":null`, `"xi_c":null`, `"slope_measured":null`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("JSON %s lacks %s", b, k)
		}
	}
}
