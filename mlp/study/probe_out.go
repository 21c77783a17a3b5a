package study

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
)

// WriteTable prints the probe, one row per layer.
func (r *ProbeResult) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "network %v, %s hidden units, cost %.4g\n", r.Sizes, r.Hidden, r.Cost)
	fmt.Fprintf(w, "%5s %6s %10s %22s %8s %7s %18s %9s %9s %10s %10s %10s\n", "layer", "units", "‖∂C/∂b‖",
		"‖δ‖ per sample p05…p95", "mean f′", "satur.", "act mean/std/p98", "‖w‖_F", "‖w‖₂", "‖Jₗ‖₂ med", "gain med", "product")
	for _, l := range r.Layers {
		fac, gain, prod := "-", "-", "-"
		if l.Factor != nil {
			fac = strconv.FormatFloat(l.Factor.Median, 'g', 4, 64)
			gain = strconv.FormatFloat(l.Gain.Median, 'g', 4, 64)
			prod = strconv.FormatFloat(l.Product, 'g', 4, 64)
		}
		fmt.Fprintf(w, "%5d %6d %10.4g %10.3g…%-11.3g %8.4g %6.1f%% %5.2f/%5.2f/%5.2f %9.4g %9.4g %10s %10s %10s\n",
			l.Layer, l.Units, l.Speed, l.DeltaNorm.P05, l.DeltaNorm.P95, l.MeanPrime, 100*l.Saturated,
			l.ActMean, l.ActStd, l.ActP98, l.WNorm, l.WSpectral, fac, gain, prod)
	}
	fmt.Fprintf(w, "\n%s\n", r.Verdict)
}

// WriteFiles writes probe.json, probe-delta-norms.csv (every sample's ‖δˡ‖),
// probe-delta-norms.png (their distribution per layer, sorted, log scale)
// and probe-factors.png (median ‖Jₗ‖₂, observed gain and running product
// per layer) into dir, names prefixed by prefix.
func (r *ProbeResult) WriteFiles(dir, prefix string) ([]string, error) {
	var paths []string
	p := filepath.Join(dir, prefix+".json")
	if err := WriteJSON(p, r); err != nil {
		return paths, err
	}
	paths = append(paths, p)
	var rows [][]string
	dist := Figure{Title: fmt.Sprintf("Per-sample ‖δˡ‖, network %v (%s): each sample's error, sorted", r.Sizes, r.Hidden),
		XLabel: "fraction of samples", YLabel: "‖δˡ‖", LogY: true}
	for _, l := range r.Layers {
		n := len(l.DeltaNorms)
		s := Series{Name: fmt.Sprintf("layer %d", l.Layer), X: make([]float64, n), Y: l.DeltaNorms}
		for i, v := range l.DeltaNorms {
			s.X[i] = (float64(i) + 0.5) / float64(n)
			rows = append(rows, []string{strconv.Itoa(l.Layer), strconv.Itoa(i), fmtF(v)})
		}
		dist.Series = append(dist.Series, s)
	}
	p = filepath.Join(dir, prefix+"-delta-norms.csv")
	if err := WriteCSV(p, []string{"layer", "rank", "delta_norm"}, rows); err != nil {
		return paths, err
	}
	paths = append(paths, p)
	p = filepath.Join(dir, prefix+"-delta-norms.png")
	if err := dist.SavePNG(p); err != nil {
		return paths, err
	}
	paths = append(paths, p)
	fac := Figure{Title: fmt.Sprintf("Eq. (124) factor by factor, network %v (%s)", r.Sizes, r.Hidden),
		XLabel: "hidden layer l", YLabel: "value", LogY: true}
	var x, fm, flo, fhi, gm, prod, mp []float64
	for _, l := range r.Layers {
		if l.Factor == nil {
			continue
		}
		x = append(x, float64(l.Layer))
		fm, flo, fhi = append(fm, l.Factor.Median), append(flo, l.Factor.P05), append(fhi, l.Factor.P95)
		gm = append(gm, l.Gain.Median)
		prod = append(prod, l.Product)
		mp = append(mp, l.MeanPrime)
	}
	fac.Series = []Series{
		{Name: "‖Σ′(zˡ)(wˡ⁺¹)ᵀ‖₂ (median, 5–95%)", X: x, Y: fm, Lo: flo, Hi: fhi},
		{Name: "observed ‖δˡ‖/‖δˡ⁺¹‖ (median)", X: x, Y: gm},
		{Name: "product of factors l … L−1", X: x, Y: prod},
		{Name: "mean f′(zˡ)", X: x, Y: mp},
	}
	p = filepath.Join(dir, prefix+"-factors.png")
	if err := fac.SavePNG(p); err != nil {
		return paths, err
	}
	return append(paths, p), nil
}
