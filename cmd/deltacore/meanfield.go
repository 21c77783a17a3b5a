package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/deltacore/deltacore/mlp/study"
)

const meanfieldUsage = `usage: deltacore study meanfield [flags]

Mean-field theory of deep random networks (Poole et al. 2016; Schoenholz et
al. 2017) for weights N(0, σ_w²/n) and biases N(0, σ_b²), in float64: the
length map's fixed point q*, χ₁ = σ_w² ∫Dz φ′(√q* z)², the correlation fixed
point c*, the depth scales ξ_q and ξ_c, the critical σ_w² (χ₁ = 1) for
-sigma-b2 and the critical line. Beside the theory, the per-layer slope of
ln‖δˡ‖ measured on random networks (-width × -depth), which theory says is
½ ln χ₁ (with δ's power-of-two scales, so it is exact at any depth).

flags:
`

// meanfieldReport is what -json prints.
type meanfieldReport struct {
	Act             string                `json:"act"`
	SigmaB2         float64               `json:"sigma_b2"`
	CriticalSigmaW2 float64               `json:"critical_sigma_w2"`
	Width           int                   `json:"width,omitempty"`
	Depth           int                   `json:"depth,omitempty"`
	Nets            int                   `json:"nets,omitempty"`
	Points          []study.MeanField     `json:"points"`
	CriticalLine    []study.CriticalPoint `json:"critical_line"`
}

func parseFloats(s string) ([]float64, error) {
	var v []float64
	for _, f := range strings.Split(s, ",") {
		if strings.TrimSpace(f) == "" {
			continue
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return nil, fmt.Errorf("bad value %q (want numbers ≥ 0, comma-separated)", f)
		}
		v = append(v, x)
	}
	return v, nil
}

func fmtG(x float64) string {
	if math.IsInf(x, 1) {
		return "∞"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// cmdStudyMeanField runs the mean-field study.
func cmdStudyMeanField(args []string) {
	fs := flag.NewFlagSet("study meanfield", flag.ExitOnError)
	actFlag := fs.String("act", "tanh", "activation: tanh, sigmoid or relu")
	sw2Flag := fs.String("sigma-w2", "1,1.25,1.5,1.76,2,2.5,3,4", "σ_w² values, comma-separated")
	sb2 := fs.Float64("sigma-b2", 0.05, "σ_b²")
	lineFlag := fs.String("line", "0,0.01,0.02,0.05,0.1,0.2,0.3,0.5,1", "σ_b² values of the critical line")
	width := fs.Int("width", 300, "width of the measured networks")
	depth := fs.Int("depth", 200, "depth of the measured networks (0: no measurement)")
	nets := fs.Int("nets", 3, "random networks per σ_w²")
	seed := fs.Uint64("seed", 1, "seed of the first network")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), meanfieldUsage)
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() > 0 {
		fail(fmt.Errorf("study meanfield: unexpected argument %q", fs.Arg(0)))
	}
	act, err := study.ParseMFActivation(*actFlag)
	if err != nil {
		fail(err)
	}
	sw2s, err := parseFloats(*sw2Flag)
	if err != nil || len(sw2s) == 0 {
		fail(fmt.Errorf("study meanfield: -sigma-w2: %v", err))
	}
	line, err := parseFloats(*lineFlag)
	if err != nil {
		fail(fmt.Errorf("study meanfield: -line: %v", err))
	}
	if !(*sb2 >= 0) || math.IsInf(*sb2, 0) || *width < 1 || *depth < 0 || *nets < 1 {
		fail(fmt.Errorf("study meanfield: need -sigma-b2 ≥ 0, -width ≥ 1, -depth ≥ 0, -nets ≥ 1"))
	}
	rep := meanfieldReport{Act: act.String(), SigmaB2: *sb2, CriticalSigmaW2: study.CriticalSigmaW2(act, *sb2),
		CriticalLine: study.CriticalLine(act, line)}
	if *depth > 0 {
		rep.Width, rep.Depth, rep.Nets = *width, *depth, *nets
	}
	for _, w := range sw2s {
		m := study.NewMeanField(act, w, *sb2)
		if *depth > 0 {
			m.SlopeMeasured, m.SlopeStd, err = study.MeasureDeltaSlope(act, w, *sb2,
				study.SlopeConfig{Width: *width, Depth: *depth, Nets: *nets, Seed: *seed})
			if err != nil {
				fail(err)
			}
		}
		rep.Points = append(rep.Points, m)
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fail(err)
		}
		return
	}
	fmt.Printf("mean-field theory, %s, σ_b² = %g: critical σ_w² = %.4f\n", act, *sb2, rep.CriticalSigmaW2)
	if *depth > 0 {
		fmt.Printf("measured: slope of ln‖δˡ‖ per layer back from the output, %d random networks of %d layers × %d units\n", *nets, *depth, *width)
	}
	fmt.Printf("\n%8s %10s %9s %8s %9s %9s %9s %12s %16s\n", "σ_w²", "q*", "χ₁", "c*", "ξ_q", "ξ_c", "phase", "½ ln χ₁", "measured")
	for _, m := range rep.Points {
		phase := "ordered"
		switch {
		case math.Abs(m.Chi1-1) < 1e-6:
			phase = "critical"
		case !m.Ordered:
			phase = "chaotic"
		}
		meas := "-"
		if !math.IsNaN(m.SlopeMeasured) {
			meas = fmt.Sprintf("%+.4f ± %.4f", m.SlopeMeasured, m.SlopeStd)
		}
		fmt.Printf("%8.4g %10s %9.5f %8.4f %9s %9s %9s %+12.4f %16s\n", m.SigmaW2, fmtG(m.QStar), m.Chi1, m.CStar,
			fmtG(m.XiQ), fmtG(m.XiC), phase, m.SlopeTheory, meas)
	}
	fmt.Printf("\ncritical line (χ₁ = 1):\n%8s %10s\n", "σ_b²", "σ_w²")
	for _, p := range rep.CriticalLine {
		fmt.Printf("%8.4g %10.4f\n", p.SigmaB2, p.SigmaW2)
	}
}

// runSpectra is `deltacore study jacobian -spectra`.
func runSpectra(width int, depthList string, q float64, samples int, seed uint64, weights []string, out string, asJSON bool) {
	depths, err := parseInts(depthList)
	if err != nil || width < 1 || !(q > 0) || samples < 1 {
		fail(fmt.Errorf("study jacobian -spectra: need -width ≥ 1, -depths, -qstar > 0, -samples ≥ 1 (%v)", err))
	}
	rows, err := study.JacobianSpectra(study.SpectraConfig{Width: width, Depths: depths, QStar: q, Samples: samples, Seed: seed, Weights: weights})
	if err != nil {
		fail(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		fail(err)
	}
	js := out + "/jacobian-spectra.json"
	if err := study.WriteJSON(js, rows); err != nil {
		fail(err)
	}
	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			fail(err)
		}
		return
	}
	r0 := rows[0]
	fmt.Printf("Jacobian spectra at criticality (Pennington et al. 2017): tanh, width %d, q* = %g (σ_w² = %.6f, σ_b² = %.3g), %d samples\n",
		width, q, r0.SigmaW2, r0.SigmaB2, samples)
	fmt.Printf("μ₁ = %.6f, μ₂ = %.6f; prediction var(λ) = L·(μ₂/μ₁² − 1 − s₁), s₁ = 0 orthogonal, −1 Gaussian (N → ∞, mean λ = 1)\n", r0.Mu1, r0.Mu2)
	fmt.Printf("var λ/mean²: each draw's spectrum scaled to mean 1, mean over the %d draws ± standard error, min … max;\n", samples)
	fmt.Printf("raw var λ: mean and median over the draws, beside its width-%d expectation with D independent of the forward pass (study.FiniteNVariance)\n\n", width)
	fmt.Printf("%-10s %4s %8s %24s %19s %12s %10s %10s %10s\n", "weights", "L", "mean λ", "var λ/mean² (± s.e.)", "min … max", "prediction", "raw var λ", "median", "E at N")
	for _, r := range rows {
		fmt.Printf("%-10s %4d %8.4f %14.4g ± %-7.2g %9.4g … %-7.4g %12.4g %10.4g %10.4g %10.4g\n", r.Weights, r.Depth, r.Mean, r.NormVariance, r.NormVarianceSE,
			slices.Min(r.DrawNormVariances), slices.Max(r.DrawNormVariances), r.Prediction, r.Variance, r.VarianceMedian, r.PredictionN)
	}
	fmt.Println("\nAt finite width every λ of a draw shares a random overall gain (the forward pass's length wanders around q*), so the raw")
	fmt.Println("var λ of one network is heavy-tailed (Gaussian, N = 400, L = 160: 4 … 16 000 over 32 draws); scaled to mean 1 it is not.")
	fmt.Printf("\nwrote %s\n", js)
}
