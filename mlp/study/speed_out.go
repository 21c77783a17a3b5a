package study

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// WriteTable prints the speeds at initialisation, per network and hidden
// layer: median and 5–95 % band over seeds beside the book's single draw,
// then the ratio of the last to the first hidden layer.
func (r *SpeedReport) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "Speed of learning ‖∂C/∂bˡ‖ at initialisation: %d images, %d networks per size (book: one draw)\n",
		r.Images, r.Config.InitSeeds)
	fmt.Fprintf(w, "%-24s %6s %11s %11s %11s %9s\n", "network", "layer", "median", "p05", "p95", "book")
	for _, ns := range r.Nets {
		for l, b := range ns.Init {
			name := ""
			if l == 0 {
				name = fmt.Sprint(ns.Sizes)
			}
			book := "-"
			if l < len(ns.Book) {
				book = strconv.FormatFloat(ns.Book[l], 'g', 3, 64)
			}
			fmt.Fprintf(w, "%-24s %6d %11.4g %11.4g %11.4g %9s\n", name, l+1, b.Median, b.P05, b.P95, book)
		}
		book := "-"
		if len(ns.Book) > 1 {
			book = strconv.FormatFloat(ns.Book[len(ns.Book)-1]/ns.Book[0], 'f', 1, 64)
		}
		fmt.Fprintf(w, "%-24s %6s %11.1f %11.1f %11.1f %9s\n", "", "last/1", ns.Ratio.Median, ns.Ratio.P05, ns.Ratio.P95, book)
	}
	if len(r.Nets) > 0 && len(r.Nets[0].Curves) > 0 {
		fmt.Fprintf(w, "\nSpeeds during training (%d full-batch steps, η=%g, λ=%g, %d networks per size): median before the first and the last step\n",
			len(r.Nets[0].Curves), r.Config.Eta, r.Config.Lambda, r.Config.TrainSeeds)
		fmt.Fprintf(w, "%-24s %6s %11s %11s\n", "network", "layer", "step 0", fmt.Sprintf("step %d", len(r.Nets[0].Curves)-1))
		for _, ns := range r.Nets {
			last := ns.Curves[len(ns.Curves)-1]
			for l := range ns.Init {
				name := ""
				if l == 0 {
					name = fmt.Sprint(ns.Sizes)
				}
				fmt.Fprintf(w, "%-24s %6d %11.4g %11.4g\n", name, l+1, ns.Curves[0][l].Median, last[l].Median)
			}
		}
	}
	fmt.Fprintf(w, "\n%.3g GFLOP in %.1f s: %.1f GFLOP/s sustained\n", r.Flops/1e9, r.Elapsed.Seconds(), r.GFLOPS())
	if r.ZeroInputs > 0 {
		fmt.Fprintf(w, "(%d inputs are 0 in every image and were left out of the first layer, which changes no result;\n"+
			"with them, -dense, the same passes are %.3g GFLOP: %.1f GFLOP/s of those)\n",
			r.ZeroInputs, r.DenseFlops/1e9, r.DenseFlops/r.Elapsed.Seconds()/1e9)
	}
}

// InitJSON is the machine-readable table of the speeds at initialisation.
type InitJSON struct {
	Images int           `json:"images"`
	Seeds  int           `json:"seeds"`
	Nets   []InitNetJSON `json:"nets"`
}

// InitNetJSON is one network's row of InitJSON.
type InitNetJSON struct {
	Sizes  []int           `json:"sizes"`
	Layers []InitLayerJSON `json:"hidden_layers"`
	Ratio  Band            `json:"ratio_last_first"`
}

// InitLayerJSON is one hidden layer's speeds at initialisation.
type InitLayerJSON struct {
	Layer int `json:"layer"`
	Band
	Book *float64 `json:"book,omitempty"`
}

// InitTable returns the machine-readable table of the speeds at
// initialisation (deltacore study --json).
func (r *SpeedReport) InitTable() InitJSON {
	t := InitJSON{Images: r.Images, Seeds: r.Config.InitSeeds}
	for _, ns := range r.Nets {
		row := InitNetJSON{Sizes: ns.Sizes, Ratio: ns.Ratio}
		for l, b := range ns.Init {
			lj := InitLayerJSON{Layer: l + 1, Band: b}
			if l < len(ns.Book) {
				v := ns.Book[l]
				lj.Book = &v
			}
			row.Layers = append(row.Layers, lj)
		}
		t.Nets = append(t.Nets, row)
	}
	return t
}

// curvePoint is one recorded speed, for the JSON of every point.
type curvePoint struct {
	Seed  int     `json:"seed"`
	Step  int     `json:"step"`
	Layer int     `json:"layer"`
	Speed float64 `json:"speed"`
}

// WriteFiles writes into dir: speeds-init.json and speeds-init.csv (every
// network's speed at initialisation), and per network speeds-<sizes>.png
// (median and 5–95 % band per hidden layer, log y axis, like the book's
// figures), speeds-<sizes>.csv and speeds-<sizes>.json (every point of every
// training curve). It returns the paths written.
func (r *SpeedReport) WriteFiles(dir string) ([]string, error) {
	var paths []string
	add := func(p string, err error) error {
		if err == nil {
			paths = append(paths, p)
		}
		return err
	}
	p := filepath.Join(dir, "speeds-init.json")
	if err := add(p, WriteJSON(p, r.InitTable())); err != nil {
		return paths, err
	}
	var rows [][]string
	for _, ns := range r.Nets {
		for s, v := range ns.InitRaw {
			for l, x := range v {
				rows = append(rows, []string{ns.Name(), strconv.Itoa(s), strconv.Itoa(l + 1), fmtF(x)})
			}
		}
	}
	p = filepath.Join(dir, "speeds-init.csv")
	if err := add(p, WriteCSV(p, []string{"network", "seed", "layer", "speed"}, rows)); err != nil {
		return paths, err
	}
	for _, ns := range r.Nets {
		if len(ns.Curves) == 0 {
			continue
		}
		rows = rows[:0]
		var pts []curvePoint
		for s, c := range ns.CurvesRaw {
			for t, v := range c {
				for l, x := range v {
					rows = append(rows, []string{strconv.Itoa(s), strconv.Itoa(t), strconv.Itoa(l + 1), fmtF(x)})
					pts = append(pts, curvePoint{s, t, l + 1, x})
				}
			}
		}
		base := filepath.Join(dir, "speeds-"+ns.Name())
		if err := add(base+".csv", WriteCSV(base+".csv", []string{"seed", "step", "layer", "speed"}, rows)); err != nil {
			return paths, err
		}
		js := struct {
			Sizes  []int        `json:"sizes"`
			Eta    float64      `json:"eta"`
			Lambda float64      `json:"lambda"`
			Images int          `json:"images"`
			Median [][]float64  `json:"median"` // [step][layer-1]
			Points []curvePoint `json:"points"`
		}{Sizes: ns.Sizes, Eta: r.Config.Eta, Lambda: r.Config.Lambda, Images: r.Images, Points: pts}
		for _, bs := range ns.Curves {
			m := make([]float64, len(bs))
			for l, b := range bs {
				m[l] = b.Median
			}
			js.Median = append(js.Median, m)
		}
		if err := add(base+".json", WriteJSON(base+".json", js)); err != nil {
			return paths, err
		}
		if err := add(base+".png", r.curveFigure(ns).SavePNG(base+".png")); err != nil {
			return paths, err
		}
	}
	return paths, nil
}

func (r *SpeedReport) curveFigure(ns NetSpeeds) Figure {
	f := Figure{
		Title: fmt.Sprintf("Speed of learning, network %s (median and 5–95%% band over %d seeds)",
			strings.Trim(fmt.Sprint(ns.Sizes), "[]"), len(ns.CurvesRaw)),
		XLabel: "gradient-descent step (full batch of " + strconv.Itoa(r.Images) + " images)",
		YLabel: "‖∂C/∂bˡ‖",
		LogY:   true,
	}
	x := make([]float64, len(ns.Curves))
	for t := range x {
		x[t] = float64(t)
	}
	for l := range ns.Init {
		s := Series{Name: fmt.Sprintf("hidden layer %d", l+1), X: x,
			Y: make([]float64, len(x)), Lo: make([]float64, len(x)), Hi: make([]float64, len(x))}
		for t, bs := range ns.Curves {
			s.Y[t], s.Lo[t], s.Hi[t] = bs[l].Median, bs[l].P05, bs[l].P95
		}
		f.Series = append(f.Series, s)
	}
	return f
}

func fmtF(x float64) string { return strconv.FormatFloat(x, 'g', 9, 64) }
