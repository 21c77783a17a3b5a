package study

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// edges returns the cell boundaries around sorted centres v: midpoints, and
// half a step beyond the ends.
func edges(v []float64) []float64 {
	e := make([]float64, len(v)+1)
	for i := 1; i < len(v); i++ {
		e[i] = (v[i-1] + v[i]) / 2
	}
	if len(v) == 1 {
		e[0], e[1] = v[0]-0.5, v[0]+0.5
		return e
	}
	e[0] = v[0] - (e[1] - v[0])
	e[len(v)] = v[len(v)-1] + (v[len(v)-1] - e[len(v)-1])
	return e
}

// SaveTrainabilityPNG draws the paper's figure: the training accuracy of
// every cell as a heat map over (σ_w², L), white at chance (0.1) to dark
// blue at 1, with the 6ξ_c curve of mean-field theory over it.
func SaveTrainabilityPNG(path string, cells []TrainCell, sigmaW2s []float64, depths []int, sigmaB2 float64) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Training accuracy, tanh, σ_b² = %g; line: 6ξ_c", sigmaB2)
	p.X.Label.Text = "σ_w²"
	p.Y.Label.Text = "depth L"
	dv := make([]float64, len(depths))
	for i, d := range depths {
		dv[i] = float64(d)
	}
	xe, ye := edges(sigmaW2s), edges(dv)
	for _, c := range cells {
		i, j := -1, -1
		for k, d := range depths {
			if d == c.Depth {
				i = k
			}
		}
		for k, w := range sigmaW2s {
			if math.Abs(w-c.SigmaW2) < 1e-9 {
				j = k
			}
		}
		if i < 0 || j < 0 {
			continue
		}
		poly, err := plotter.NewPolygon(plotter.XYs{{X: xe[j], Y: ye[i]}, {X: xe[j+1], Y: ye[i]}, {X: xe[j+1], Y: ye[i+1]}, {X: xe[j], Y: ye[i+1]}})
		if err != nil {
			return err
		}
		a := math.Max(0, math.Min(1, (c.Accuracy-0.1)/0.9))
		if c.Diverged {
			a = 0
		}
		poly.Color = color.RGBA{uint8(255 * (1 - a)), uint8(255 - 141*a), uint8(255 - 77*a), 255}
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	var pts plotter.XYs
	for k := 0; k <= 80; k++ {
		w := xe[0] + (xe[len(xe)-1]-xe[0])*float64(k)/80
		if w <= 0 {
			continue
		}
		y := 6 * NewMeanField(MFTanh, w, sigmaB2).XiC
		if y > ye[len(ye)-1] || math.IsNaN(y) {
			y = ye[len(ye)-1]
		}
		pts = append(pts, plotter.XY{X: w, Y: y})
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.Color = color.RGBA{213, 94, 0, 255}
	l.Width = vg.Points(2)
	p.Add(l)
	p.X.Min, p.X.Max = xe[0], xe[len(xe)-1]
	p.Y.Min, p.Y.Max = ye[0], ye[len(ye)-1]
	w := vg.Length(PlotWidth) * vg.Inch / PlotDPI
	h := vg.Length(PlotHeight) * vg.Inch / PlotDPI
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PlotDPI))
	p.Draw(draw.New(c))
	return savePNG(path, c)
}

// WriteTrainabilityTable writes the grid as text: one row per depth
// (deepest first), the accuracy in percent per σ_w² column, '*' for a
// trainable cell, and the row of 6ξ_c; then the verdict.
func WriteTrainabilityTable(w io.Writer, cells []TrainCell, sigmaW2s []float64, depths []int, v TrainabilityVerdict) {
	acc := map[[2]float64]TrainCell{}
	for _, c := range cells {
		acc[[2]float64{c.SigmaW2, float64(c.Depth)}] = c
	}
	fmt.Fprintf(w, "%8s", "L \\ σ_w²")
	for _, s := range sigmaW2s {
		fmt.Fprintf(w, " %7g", s)
	}
	fmt.Fprintln(w)
	for i := len(depths) - 1; i >= 0; i-- {
		fmt.Fprintf(w, "%8d", depths[i])
		for _, s := range sigmaW2s {
			c, ok := acc[[2]float64{s, float64(depths[i])}]
			switch {
			case !ok:
				fmt.Fprintf(w, " %7s", "·")
			case c.Diverged:
				fmt.Fprintf(w, " %7s", "NaN")
			default:
				mark := " "
				if c.Trainable {
					mark = "*"
				}
				fmt.Fprintf(w, " %6.1f%s", 100*c.Accuracy, mark)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%8s", "6ξ_c")
	for _, s := range sigmaW2s {
		var xi float64
		for _, c := range cells {
			if c.SigmaW2 == s {
				xi = c.XiC
			}
		}
		fmt.Fprintf(w, " %7.1f", 6*xi)
	}
	fmt.Fprintln(w)
	pf := func(b bool) string {
		if b {
			return "PASS"
		}
		return "FAIL"
	}
	fmt.Fprintf(w, "\nrule \"trainable iff L < 6ξ_c\": agrees with %.0f %% of all %d cells, %.0f %% of the %d with L/6ξ_c outside [0.75, 1.33]\n",
		100*v.Agree, len(cells), 100*v.AgreeFar, v.FarCells)
	fmt.Fprintf(w, "P1 (≥ 90 %% far from the boundary, ≥ 80 %% of all): %s\n", pf(v.P1))
	fmt.Fprintf(w, "P2 (beats the best σ_w²-blind depth cutoff, L < %g at %.0f %%, by ≥ 10 points): %s\n", v.BestCutoffDepth, 100*v.BestCutoff, pf(v.P2))
	ds := make([]string, len(v.Deepest))
	for j, d := range v.Deepest {
		ds[j] = fmt.Sprintf("%g:%d", sigmaW2s[j], d)
	}
	p3 := pf(v.P3)
	if !v.P3Applies {
		p3 = "n/a (the grid lacks the σ_w² = 1.0 or 4.0 column, or nothing trains at 1.5–2.0)"
	}
	fmt.Fprintf(w, "P3 (deepest trainable L by σ_w² %s peaks at 1.5–2.0, ≥ 4× σ_w² = 1.0, and σ_w² = 4.0 ≥ 1.0): %s\n", strings.Join(ds, " "), p3)
	fmt.Fprintf(w, "P4 (best n of \"L < n·ξ_c\" = %.2f, agreeing with %.0f %%, in [3, 12]): %s\n", v.BestN, 100*v.BestNAgree, pf(v.P4))
}
