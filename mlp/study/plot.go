package study

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// PlotWidth and PlotHeight are the size of every PNG the study writes, in
// pixels (at PlotDPI).
const (
	PlotWidth  = 900
	PlotHeight = 560
	PlotDPI    = 96
)

// Series is one curve of a plot: a median line and, when Lo and Hi are not
// nil, a shaded band between them (the 5–95 % band over seeds).
type Series struct {
	Name   string
	X      []float64
	Y      []float64
	Lo, Hi []float64
}

// Figure describes a line plot.
type Figure struct {
	Title, XLabel, YLabel string
	LogY                  bool
	Series                []Series
}

// palette: colour-blind-safe (Okabe and Ito).
var palette = []color.RGBA{
	{0, 114, 178, 255}, {213, 94, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{230, 159, 0, 255}, {86, 180, 233, 255}, {240, 228, 66, 255}, {0, 0, 0, 255},
}

// SavePNG draws the figure into a PNG file of PlotWidth×PlotHeight pixels.
// With LogY, points that are not positive are left out (a log axis cannot
// show them).
func (f Figure) SavePNG(path string) error {
	p := plot.New()
	p.Title.Text = f.Title
	p.X.Label.Text = f.XLabel
	p.Y.Label.Text = f.YLabel
	if f.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	keep := func(y float64) bool {
		return !math.IsNaN(y) && !math.IsInf(y, 0) && (!f.LogY || y > 0)
	}
	for i, s := range f.Series {
		col := palette[i%len(palette)]
		if s.Lo != nil && s.Hi != nil {
			var poly plotter.XYs
			for j := range s.X {
				if keep(s.Lo[j]) && keep(s.Hi[j]) {
					poly = append(poly, plotter.XY{X: s.X[j], Y: s.Hi[j]})
				}
			}
			for j := len(s.X) - 1; j >= 0; j-- {
				if keep(s.Lo[j]) && keep(s.Hi[j]) {
					poly = append(poly, plotter.XY{X: s.X[j], Y: s.Lo[j]})
				}
			}
			if len(poly) >= 3 {
				band, err := plotter.NewPolygon(poly)
				if err != nil {
					return fmt.Errorf("study: plot %q: %w", f.Title, err)
				}
				band.Color = color.NRGBA{R: col.R, G: col.G, B: col.B, A: 50}
				band.LineStyle.Width = 0
				p.Add(band)
			}
		}
		var pts plotter.XYs
		for j := range s.X {
			if keep(s.Y[j]) {
				pts = append(pts, plotter.XY{X: s.X[j], Y: s.Y[j]})
			}
		}
		if len(pts) == 0 {
			continue
		}
		var th plot.Thumbnailer
		if len(pts) == 1 {
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return fmt.Errorf("study: plot %q: %w", f.Title, err)
			}
			sc.Color = col
			p.Add(sc)
			th = sc
		} else {
			l, err := plotter.NewLine(pts)
			if err != nil {
				return fmt.Errorf("study: plot %q: %w", f.Title, err)
			}
			l.Color = col
			l.Width = vg.Points(1.5)
			p.Add(l)
			th = l
		}
		if s.Name != "" {
			p.Legend.Add(s.Name, th)
		}
	}
	// A log axis over one value: gonum would widen it by ±1, below 0.
	if f.LogY && p.Y.Min > 0 && p.Y.Min == p.Y.Max {
		p.Y.Min, p.Y.Max = p.Y.Min/2, p.Y.Max*2
	}
	// Headroom above the data for the legend.
	if f.LogY && p.Y.Max > 0 && p.Y.Min > 0 {
		p.Y.Max *= math.Pow(p.Y.Max/p.Y.Min, 0.25)
	} else {
		p.Y.Max += 0.25 * (p.Y.Max - p.Y.Min)
	}
	w := vg.Length(PlotWidth) * vg.Inch / PlotDPI
	h := vg.Length(PlotHeight) * vg.Inch / PlotDPI
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PlotDPI))
	p.Draw(draw.New(c))
	return savePNG(path, c)
}

// logTicks labels a log axis at 1, 2 and 5 times the powers of ten when it
// spans at most three decades (so a short axis still has labels), and at the
// powers of ten otherwise, with unlabelled minor ticks between.
type logTicks struct{}

func (logTicks) Ticks(min, max float64) []plot.Tick {
	if min <= 0 || max <= min {
		return nil
	}
	lo, hi := math.Floor(math.Log10(min)), math.Ceil(math.Log10(max))
	dense := hi-lo <= 3
	var ts []plot.Tick
	for e := lo; e <= hi; e++ {
		p := math.Pow(10, e)
		for m := 1; m <= 9; m++ {
			v := float64(m) * p
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || (dense && (m == 2 || m == 5)) {
				t.Label = strconv.FormatFloat(v, 'g', 3, 64)
			}
			ts = append(ts, t)
		}
	}
	return ts
}
