package study

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/deltacore/deltacore/mlp"
)

// Mean-field theory of signal propagation in deep random networks (Poole et
// al. 2016, "Exponential expressivity in deep neural networks through
// transient chaos"; Schoenholz, Gilmer, Ganguli, Sohl-Dickstein 2017, "Deep
// Information Propagation"). For a network with weights N(0, σ_w²/n) and
// biases N(0, σ_b²), in the limit of infinite width, the pre-activations of
// a layer are Gaussian with variance qˡ, and two inputs' pre-activations
// have correlation cˡ:
//
//	qˡ = σ_w² ∫Dz φ(√qˡ⁻¹ z)² + σ_b²                        (length map)
//	cˡ = [σ_w² ∫Dz₁Dz₂ φ(u₁)φ(u₂) + σ_b²] / q*,              (correlation map)
//	     u₁ = √q* z₁, u₂ = √q* (c z₁ + √(1−c²) z₂)
//	χ₁ = σ_w² ∫Dz φ′(√q* z)²                                 (gradient growth per layer)
//	ξ_q⁻¹ = −ln[χ₁ + σ_w² ∫Dz φ″(√q* z) φ(√q* z)]
//	ξ_c⁻¹ = −ln χ_c,  χ_c = σ_w² ∫Dz₁Dz₂ φ′(u₁)φ′(u₂) at c*  (χ_c = χ₁ where c* = 1)
//
// ∫Dz is the standard Gaussian measure. Everything here is float64, the
// integrals by Gauss–Hermite quadrature. A backpropagated gradient's norm
// changes by √χ₁ per layer, so ln‖δˡ‖ has slope ½ ln χ₁ in l; χ₁ = 1 is the
// edge of chaos, where ξ_c diverges.
//
// The sigmoid is done exactly through tanh: σ(x) = (1 + tanh(x/2))/2, so a
// sigmoid network with (σ_w², σ_b²) has, for g = h/2 (h its
// pre-activations), the statistics of a tanh network with
// (σ_w²/16, σ_w²/16 + σ_b²/4) (the constant ½ of σ feeds the next layer
// through the weights; ∫Dz tanh = 0 removes the cross term). Its q* is 4
// times that tanh network's, its χ₁, c* and depth scales are the same.

// MFActivation is an activation the mean-field functions know.
type MFActivation int

// The activations.
const (
	MFTanh MFActivation = iota
	MFSigmoid
	MFReLU
)

// ParseMFActivation returns the activation with the name "tanh", "sigmoid"
// or "relu".
func ParseMFActivation(s string) (MFActivation, error) {
	switch s {
	case "tanh":
		return MFTanh, nil
	case "sigmoid":
		return MFSigmoid, nil
	case "relu":
		return MFReLU, nil
	}
	return 0, fmt.Errorf("study: unknown mean-field activation %q (want tanh, sigmoid or relu)", s)
}

func (a MFActivation) String() string {
	return [...]string{"tanh", "sigmoid", "relu"}[a]
}

// Mlp returns the mlp activation of a.
func (a MFActivation) Mlp() mlp.Activation {
	return [...]mlp.Activation{mlp.Tanh, mlp.Sigmoid, mlp.ReLU}[a]
}

// ghNodes holds Gauss–Hermite nodes scaled for ∫Dz: ∫Dz f(z) ≈ Σ w[i] f(x[i]).
type ghNodes struct{ x, w []float64 }

var gh1 = gaussHermite(161) // 1-D integrals
var gh2 = gaussHermite(81)  // each axis of the 2-D integrals

// gaussHermite returns the n-point rule for the standard Gaussian measure,
// from the physicists' Hermite polynomials by Newton's method (Numerical
// Recipes' gauher, run in float64): ∫e^(−t²) f(t) dt ≈ Σ wᵢ f(tᵢ), so
// ∫Dz f(z) ≈ Σ (wᵢ/√π) f(√2 tᵢ).
func gaussHermite(n int) ghNodes {
	x := make([]float64, n)
	w := make([]float64, n)
	const pim4 = 0.7511255444649425 // π^(−1/4)
	var z float64
	m := (n + 1) / 2
	for i := 0; i < m; i++ {
		switch i {
		case 0:
			z = math.Sqrt(float64(2*n+1)) - 1.85575*math.Pow(float64(2*n+1), -0.16667)
		case 1:
			z -= 1.14 * math.Pow(float64(n), 0.426) / z
		case 2:
			z = 1.86*z - 0.86*x[0]
		case 3:
			z = 1.91*z - 0.91*x[1]
		default:
			z = 2*z - x[i-2]
		}
		var pp float64
		for it := 0; it < 100; it++ {
			p1, p2 := pim4, 0.0
			for j := 1; j <= n; j++ {
				p3 := p2
				p2 = p1
				p1 = z*math.Sqrt(2/float64(j))*p2 - math.Sqrt(float64(j-1)/float64(j))*p3
			}
			pp = math.Sqrt(2*float64(n)) * p2
			z1 := z
			z = z1 - p1/pp
			if math.Abs(z-z1) <= 1e-15*math.Max(1, math.Abs(z)) {
				break
			}
		}
		x[i], x[n-1-i] = z, -z
		w[i] = 2 / (pp * pp)
		w[n-1-i] = w[i]
	}
	g := ghNodes{x: make([]float64, n), w: make([]float64, n)}
	var sum float64
	for _, v := range w {
		sum += v
	}
	for i := range x {
		g.x[i] = math.Sqrt2 * x[i]
		g.w[i] = w[i] / sum // Σw = √π up to rounding; normalised so ∫Dz 1 = 1
	}
	return g
}

// The integrands are φ(√q z) and the like: features of width 1/√q in z.
// Gauss–Hermite resolves them while q ≤ ghMaxQ; above, the nodes near 0 are
// too far apart for tanh′(√q z)², and the rules switch to the trapezoid
// rule on a grid of step 0.2/√q over |z| ≤ 10, which for these analytic
// integrands under a Gaussian converges as fast (its error falls like
// e^(−c/h²)).
const ghMaxQ = 4

// rule returns the nodes for integrands of sharpness q.
func rule(q float64, gh ghNodes) ghNodes {
	if q <= ghMaxQ {
		return gh
	}
	h := 0.2 / math.Sqrt(q)
	n := int(math.Ceil(10 / h))
	r := ghNodes{x: make([]float64, 2*n+1), w: make([]float64, 2*n+1)}
	var sum float64
	for i := range r.x {
		z := float64(i-n) * h
		r.x[i] = z
		r.w[i] = math.Exp(-z * z / 2)
		sum += r.w[i]
	}
	for i := range r.w {
		r.w[i] /= sum
	}
	return r
}

// int1 returns ∫Dz f(z) for an integrand of sharpness q.
func int1(q float64, f func(z float64) float64) float64 {
	g := rule(q, gh1)
	var s float64
	for i, z := range g.x {
		s += g.w[i] * f(z)
	}
	return s
}

// int2 returns ∫Dz₁Dz₂ f(z₁, z₂) for an integrand of sharpness q.
func int2(q float64, f func(z1, z2 float64) float64) float64 {
	g := rule(q, gh2)
	var s float64
	for i, z1 := range g.x {
		var r float64
		for j, z2 := range g.x {
			r += g.w[j] * f(z1, z2)
		}
		s += g.w[i] * r
	}
	return s
}

func tanhPrime(x float64) float64 {
	c := math.Cosh(x)
	return 1 / (c * c)
}

// tanhPrime2 is tanh″(x) = −2 tanh(x) sech²(x).
func tanhPrime2(x float64) float64 { return -2 * math.Tanh(x) * tanhPrime(x) }

// MeanField is the theory's answer for one activation and (σ_w², σ_b²).
type MeanField struct {
	Act     string  `json:"act"`
	SigmaW2 float64 `json:"sigma_w2"`
	SigmaB2 float64 `json:"sigma_b2"`
	// QStar is the fixed point q* of the length map (+Inf where it has
	// none: ReLU with σ_w² ≥ 2 and σ_b² > 0).
	QStar float64 `json:"q_star"`
	// Chi1 is χ₁; Ordered reports χ₁ < 1.
	Chi1    float64 `json:"chi1"`
	Ordered bool    `json:"ordered"`
	// CStar is the stable fixed point of the correlation map (1 in the
	// ordered phase), ChiC the map's slope there.
	CStar float64 `json:"c_star"`
	ChiC  float64 `json:"chi_c"`
	// XiQ and XiC are the depth scales ξ_q and ξ_c in layers (+Inf at
	// criticality).
	XiQ float64 `json:"xi_q"`
	XiC float64 `json:"xi_c"`
	// SlopeTheory is ½ ln χ₁, the per-layer slope of ln‖δˡ‖ (going back
	// from the output). SlopeMeasured is the same slope measured on random
	// networks (MeasureDeltaSlope; NaN if not measured), SlopeStd its
	// standard deviation over the networks.
	SlopeTheory   float64 `json:"slope_theory"`
	SlopeMeasured float64 `json:"slope_measured"`
	SlopeStd      float64 `json:"slope_std"`
}

// MarshalJSON writes the fields, with non-finite numbers as null (JSON has
// no ±Inf or NaN).
func (m MeanField) MarshalJSON() ([]byte, error) {
	out := map[string]any{"act": m.Act, "ordered": m.Ordered}
	for k, x := range map[string]float64{"sigma_w2": m.SigmaW2, "sigma_b2": m.SigmaB2, "q_star": m.QStar,
		"chi1": m.Chi1, "c_star": m.CStar, "chi_c": m.ChiC, "xi_q": m.XiQ, "xi_c": m.XiC, "slope_theory": m.SlopeTheory,
		"slope_measured": m.SlopeMeasured, "slope_std": m.SlopeStd} {
		out[k] = finiteOrNull(x)
	}
	return json.Marshal(out)
}

// finiteOrNull returns x, or nil (JSON null) where x is ±Inf or NaN.
func finiteOrNull(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// tanhParams returns the tanh network equivalent to act with (sw2, sb2)
// and the factor from its q to act's: (sw2, sb2, 1) for tanh, the mapping
// above for the sigmoid.
func tanhParams(act MFActivation, sw2, sb2 float64) (tw2, tb2, qScale float64) {
	if act == MFSigmoid {
		return sw2 / 16, sw2/16 + sb2/4, 4
	}
	return sw2, sb2, 1
}

// qStarTanh returns the fixed point of the tanh length map, by bisection
// (the map is increasing and concave in q, between σ_b² and σ_w² + σ_b²);
// 0 when σ_b² = 0 and σ_w² ≤ 1, where 0 is the only fixed point.
func qStarTanh(sw2, sb2 float64) float64 {
	if sb2 == 0 && sw2 <= 1 {
		return 0
	}
	f := func(q float64) float64 {
		s := math.Sqrt(q)
		return sw2*int1(q, func(z float64) float64 { t := math.Tanh(s * z); return t * t }) + sb2 - q
	}
	lo, hi := math.Max(sb2, 1e-12), sw2+sb2
	for range 200 {
		mid := 0.5 * (lo + hi)
		if f(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo <= 1e-15*hi {
			break
		}
	}
	return 0.5 * (lo + hi)
}

// NewMeanField computes the theory for act and (σ_w², σ_b²).
func NewMeanField(act MFActivation, sw2, sb2 float64) MeanField {
	m := MeanField{Act: act.String(), SigmaW2: sw2, SigmaB2: sb2}
	if act == MFReLU {
		reluMeanField(&m)
	} else {
		tw2, tb2, qs := tanhParams(act, sw2, sb2)
		q := qStarTanh(tw2, tb2)
		m.QStar = qs * q
		s := math.Sqrt(q)
		m.Chi1 = tw2 * int1(q, func(z float64) float64 { p := tanhPrime(s * z); return p * p })
		m.Ordered = m.Chi1 < 1
		lenSlope := m.Chi1 + tw2*int1(q, func(z float64) float64 { return tanhPrime2(s*z) * math.Tanh(s*z) })
		m.XiQ = -1 / math.Log(lenSlope)
		if lenSlope >= 1-1e-12 {
			m.XiQ = math.Inf(1)
		}
		if q == 0 {
			// The zero fixed point (σ_b² = 0, σ_w² ≤ 1): every input shrinks
			// to the origin, where tanh is linear; correlations persist.
			m.CStar, m.ChiC = 1, m.Chi1
		} else {
			cmap := func(c float64) float64 {
				r := math.Sqrt(math.Max(0, 1-c*c))
				return (tw2*int2(q, func(z1, z2 float64) float64 {
					return math.Tanh(s*z1) * math.Tanh(s*(c*z1+r*z2))
				}) + tb2) / q
			}
			m.CStar = 1
			if !m.Ordered {
				m.CStar = bisectFixed(cmap)
			}
			c := m.CStar
			r := math.Sqrt(math.Max(0, 1-c*c))
			m.ChiC = tw2 * int2(q, func(z1, z2 float64) float64 {
				return tanhPrime(s*z1) * tanhPrime(s*(c*z1+r*z2))
			})
			if m.Ordered {
				m.ChiC = m.Chi1
			}
		}
	}
	m.XiC = -1 / math.Log(m.ChiC)
	if m.ChiC >= 1-1e-12 { // critical (to rounding)
		m.XiC = math.Inf(1)
	}
	m.SlopeTheory = 0.5 * math.Log(m.Chi1)
	m.SlopeMeasured, m.SlopeStd = math.NaN(), math.NaN()
	return m
}

// bisectFixed returns the fixed point c* < 1 of an increasing correlation
// map in the chaotic phase: map(c) − c is ≥ 0 at c = −1 and < 0 just
// below 1 (the slope at 1 exceeds 1).
func bisectFixed(cmap func(float64) float64) float64 {
	lo, hi := -1.0, 1-1e-9
	if cmap(hi)-hi >= 0 {
		return 1 // too close to the critical line to resolve
	}
	for range 100 {
		mid := 0.5 * (lo + hi)
		if cmap(mid)-mid >= 0 {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-10 {
			break
		}
	}
	return 0.5 * (lo + hi)
}

// reluMeanField fills m for ReLU in closed form: ∫Dz relu(√q z)² = q/2, so
// q* = σ_b²/(1 − σ_w²/2) (for σ_w² < 2; none above, and 0 for σ_b² = 0),
// χ₁ = σ_w²/2, φ″φ = 0 so ξ_q = −1/ln χ₁; the correlation map is the
// arc-cosine kernel, ∫ relu(u₁)relu(u₂) = q/(2π)·(sin θ + (π − θ) cos θ),
// cos θ = c, and ∫ relu′(u₁)relu′(u₂) = (π − θ)/(2π).
func reluMeanField(m *MeanField) {
	sw2, sb2 := m.SigmaW2, m.SigmaB2
	m.Chi1 = sw2 / 2
	m.Ordered = m.Chi1 < 1
	m.XiQ = -1 / math.Log(m.Chi1)
	switch {
	case sw2 >= 2 && sb2 > 0:
		m.QStar = math.Inf(1)
	case sb2 == 0:
		m.QStar = 0
	default:
		m.QStar = sb2 / (1 - sw2/2)
	}
	// Below σ_w² = 2 the correlation map's slope at c = 1 is χ₁ < 1:
	// ordered, c* = 1. At and above it there is no finite q* to expand
	// around; c* = 1 is reported, with infinite depth scales.
	m.CStar, m.ChiC = 1, m.Chi1
	if !m.Ordered {
		m.XiQ = math.Inf(1)
	}
}

// CriticalSigmaW2 returns the σ_w² at which χ₁ = 1 for the given σ_b², by
// bisection on σ_w² (χ₁ increases with σ_w²): 1 for tanh at σ_b² = 0, about
// 1.76 at σ_b² = 0.05 (Schoenholz et al.), 2 for ReLU.
func CriticalSigmaW2(act MFActivation, sb2 float64) float64 {
	if act == MFReLU {
		return 2
	}
	lo, hi := 1e-3, 1e3
	for range 200 {
		mid := math.Sqrt(lo * hi)
		if NewMeanFieldChi1(act, mid, sb2) < 1 {
			lo = mid
		} else {
			hi = mid
		}
		if hi/lo-1 < 1e-12 {
			break
		}
	}
	return math.Sqrt(lo * hi)
}

// NewMeanFieldChi1 returns χ₁ alone (q* and χ₁, no correlation map).
func NewMeanFieldChi1(act MFActivation, sw2, sb2 float64) float64 {
	if act == MFReLU {
		return sw2 / 2
	}
	tw2, tb2, _ := tanhParams(act, sw2, sb2)
	q := qStarTanh(tw2, tb2)
	s := math.Sqrt(q)
	return tw2 * int1(q, func(z float64) float64 { p := tanhPrime(s * z); return p * p })
}

// CriticalPoint is one point (σ_b², σ_w²) of the critical line χ₁ = 1.
type CriticalPoint struct {
	SigmaB2 float64 `json:"sigma_b2"`
	SigmaW2 float64 `json:"sigma_w2"`
}

// CriticalLine returns the critical σ_w² for each σ_b² given, sorted by σ_b².
func CriticalLine(act MFActivation, sb2s []float64) []CriticalPoint {
	sb2s = append([]float64(nil), sb2s...)
	sort.Float64s(sb2s)
	line := make([]CriticalPoint, len(sb2s))
	for i, b := range sb2s {
		line[i] = CriticalPoint{b, CriticalSigmaW2(act, b)}
	}
	return line
}

// SlopeConfig configures MeasureDeltaSlope.
type SlopeConfig struct {
	// Width and Depth of the networks: Depth layers of Width units after an
	// input of Width (default 300 and 200).
	Width, Depth int
	// Nets is the number of random networks (default 3), Batch the samples
	// per network (default 8).
	Nets, Batch int
	Seed        uint64
}

// MeasureDeltaSlope measures, on random networks of the activation with
// weights N(0, σ_w²/n) and biases N(0, σ_b²) (mlp.MeanField), the
// per-layer slope of ln‖δˡ‖ going back from the output, which mean-field
// theory says is ½ ln χ₁. Each network gets a batch of N(0, 1) inputs and
// a N(0, 1) output gradient (BackwardOutputGrad); ‖δˡ‖ is the batch's
// Frobenius norm with δˡ's power-of-two scale, so it is exact at any depth
// (a 200-layer ordered network's δ¹ is far below float32's range). The
// slope is a least-squares fit over the middle 80 % of the layers (the
// ends are transients). It returns the mean slope over the networks and
// its standard deviation.
func MeasureDeltaSlope(act MFActivation, sw2, sb2 float64, cfg SlopeConfig) (mean, std float64, err error) {
	if cfg.Width <= 0 {
		cfg.Width = 300
	}
	if cfg.Depth <= 0 {
		cfg.Depth = 200
	}
	if cfg.Nets <= 0 {
		cfg.Nets = 3
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 8
	}
	sizes := make([]int, cfg.Depth+1)
	for i := range sizes {
		sizes[i] = cfg.Width
	}
	f := act.Mlp()
	net, err := mlp.New(mlp.Config{Sizes: sizes, Hidden: f, Output: f, Cost: mlp.Quadratic})
	if err != nil {
		return 0, 0, err
	}
	ws, err := mlp.NewWorkspace(net, cfg.Batch)
	if err != nil {
		return 0, 0, err
	}
	ws.SetWeightGradients(false)
	L := cfg.Depth
	lo, hi := L/10+1, L-L/10
	slopes := make([]float64, cfg.Nets)
	for k := range slopes {
		r := mlp.NewRand(cfg.Seed + uint64(k))
		net.InitRand(mlp.MeanField(sw2, sb2), r)
		x := make([]float32, cfg.Batch*cfg.Width)
		g := make([]float32, len(x))
		for i := range x {
			x[i] = float32(r.NormFloat64())
			g[i] = float32(r.NormFloat64())
		}
		if err := ws.Forward(x); err != nil {
			return 0, 0, err
		}
		if err := ws.BackwardOutputGrad(g); err != nil {
			return 0, 0, err
		}
		// Least squares of y = ln‖δˡ‖ on t = L − l (layers back from the output).
		var st, sy, stt, sty, n float64
		for l := lo; l <= hi; l++ {
			y := math.Log(ws.Delta(l).Norm()) + float64(ws.DeltaExp(l))*math.Ln2
			t := float64(L - l)
			st += t
			sy += y
			stt += t * t
			sty += t * y
			n++
		}
		slopes[k] = (n*sty - st*sy) / (n*stt - st*st)
	}
	for _, s := range slopes {
		mean += s
	}
	mean /= float64(len(slopes))
	for _, s := range slopes {
		std += (s - mean) * (s - mean)
	}
	if len(slopes) > 1 {
		std = math.Sqrt(std / float64(len(slopes)-1))
	}
	return mean, std, nil
}
