package bench

import (
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Comparison lines up the results of several reports (from several machines,
// builds or runs) by kernel, implementation and shape.
type Comparison struct {
	Reports []*Report
	Labels  []string // "A", "B", …: the column titles
	Rows    []CompareRow
}

// CompareRow is one kernel, implementation and shape; Results[i] is report
// i's result, nil where report i has none.
type CompareRow struct {
	Kernel  string
	Impl    Impl
	Shape   string
	Unit    string
	Results []*Result
}

// Ratio returns the median rate of report i over that of report 0, and
// whether both exist.
func (r *CompareRow) Ratio(i int) (float64, bool) {
	a, b := r.Results[0], r.Results[i]
	if a == nil || b == nil || a.Rate.Median == 0 {
		return 0, false
	}
	return b.Rate.Median / a.Rate.Median, true
}

// Overlap reports whether the sample ranges [min, max] of reports 0 and i
// overlap: then the difference is within the noise of the runs.
func (r *CompareRow) Overlap(i int) bool {
	a, b := r.Results[0], r.Results[i]
	return a != nil && b != nil && a.Rate.Min <= b.Rate.Max && b.Rate.Min <= a.Rate.Max
}

// Compare lines up the reports; the first is the baseline of the ratios.
// Rows follow the order of the first report, then the rows that only later
// reports have.
func Compare(reports []*Report) (*Comparison, error) {
	if len(reports) < 2 {
		return nil, errors.New("bench: compare needs at least two reports")
	}
	if len(reports) > 26 {
		return nil, errors.New("bench: compare takes at most 26 reports")
	}
	c := lineUp(reports)
	for _, row := range c.Rows {
		for i, res := range row.Results {
			if res != nil && res.Unit != row.Unit {
				return nil, fmt.Errorf("bench: %s is in %s in report A but in %s in report %s",
					res.Key(), row.Unit, res.Unit, c.Labels[i])
			}
		}
	}
	return c, nil
}

// lineUp lines up the results of the reports by Result.Key, in the order of
// the first report, then the rows that only later reports have; a row's
// unit is that of its first result.
func lineUp(reports []*Report) *Comparison {
	c := &Comparison{Reports: reports}
	index := map[string]int{}
	for i, rep := range reports {
		c.Labels = append(c.Labels, string(rune('A'+i)))
		for j := range rep.Results {
			res := &rep.Results[j]
			k := res.Key()
			ri, ok := index[k]
			if !ok {
				ri = len(c.Rows)
				index[k] = ri
				c.Rows = append(c.Rows, CompareRow{Kernel: res.Kernel, Impl: res.Impl, Shape: res.Shape,
					Unit: res.Unit, Results: make([]*Result, len(reports))})
			}
			c.Rows[ri].Results[i] = res
		}
	}
	return c
}

// WriteText writes the legend of the reports and a table: for each row, the
// median rate of every report with its spread and fraction of the limit,
// then the ratio of every later report to report A ("~" marks a ratio whose
// sample ranges overlap, i.e. within the noise), and a geometric mean of
// the ratios at the end.
func (c *Comparison) WriteText(w io.Writer, markdown bool) error {
	for i, r := range c.Reports {
		var b strings.Builder
		r.Describe(&b)
		lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
		for j, l := range lines {
			prefix := "   "
			if j == 0 {
				prefix = c.Labels[i] + ": "
			}
			fmt.Fprintf(w, "%s%s\n", prefix, l)
		}
	}
	fmt.Fprintln(w)
	t := &table{header: []string{"kernel", "impl", "shape", "unit"}, right: make([]bool, 4)}
	for _, l := range c.Labels {
		t.addGroup(l)
	}
	for i := 1; i < len(c.Labels); i++ {
		t.header = append(t.header, c.Labels[i]+"/"+c.Labels[0])
		t.right = append(t.right, true)
	}
	logSum := make([]float64, len(c.Reports))
	nRatio := make([]int, len(c.Reports))
	for ri := range c.Rows {
		row := &c.Rows[ri]
		rowCells := []string{row.Kernel, row.Impl.Label(), row.Shape, row.Unit}
		for _, res := range row.Results {
			rowCells = append(rowCells, cells(res)...)
		}
		for i := 1; i < len(row.Results); i++ {
			q, ok := row.Ratio(i)
			if !ok {
				rowCells = append(rowCells, "—")
				continue
			}
			s := fmt.Sprintf("%.2f", q)
			if row.Overlap(i) {
				s += "~"
			} else {
				s += " "
			}
			rowCells = append(rowCells, s)
			logSum[i] += math.Log(q)
			nRatio[i]++
		}
		t.add(rowCells...)
	}
	geo := []string{"geomean", "", "", ""}
	for range c.Reports {
		geo = append(geo, "", "", "")
	}
	for i := 1; i < len(c.Reports); i++ {
		if nRatio[i] == 0 {
			geo = append(geo, "—")
		} else {
			geo = append(geo, fmt.Sprintf("%.2f ", math.Exp(logSum[i]/float64(nRatio[i]))))
		}
	}
	t.add(geo...)
	if err := t.write(w, markdown); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nper report: median rate, ±half the range of the samples, %% of the limit "+
		"(peak: FMA peak of the level (avx2: ymm) × threads; lanes: FMA lane rate = peak/2 per element; bw: copy bandwidth).\n"+
		"ratios: median of each report over A's; ~ marks overlapping sample ranges (within noise).\n")
	return err
}

// ChartSize returns the size in pixels of the chart of rows rows and
// reports reports that WritePNG draws when given no size: 1000 pixels wide,
// and tall enough to give every bar 10 pixels.
func ChartSize(rows, reports int) (width, height int) {
	rowPx := rowPixels(reports)
	return 1000, 150 + (rows+legendRows(reports, rowPx))*rowPx
}

func rowPixels(reports int) int { return max(reports-1, 1)*10 + 10 }

// legendRows is the number of empty rows at the top of the chart that make
// room for the legend (about 18 pixels per entry).
func legendRows(reports, rowPx int) int {
	return (max(reports-1, 1)*18 + rowPx - 1) / rowPx
}

// log2Ticks labels an axis in log₂ units with the ratios 2^k.
type log2Ticks struct{}

func (log2Ticks) Ticks(lo, hi float64) []plot.Tick {
	a, b := math.Floor(lo), math.Ceil(hi)
	step := math.Max(1, math.Ceil((b-a)/12))
	var ts []plot.Tick
	for k := a; k <= b; k += step {
		ts = append(ts, plot.Tick{Value: k, Label: ratioLabel(math.Exp2(k))})
	}
	return ts
}

func ratioLabel(q float64) string {
	if q >= 1 {
		return fmt.Sprintf("×%g", q)
	}
	return fmt.Sprintf("×1/%g", 1/q)
}

// WritePNG draws a horizontal bar chart of the ratios to report A: one
// group of bars per row, one bar per later report, on a log₂ axis, so a bar
// to the right of the middle line is faster than A and one to the left
// slower, by the factor on the axis (kernels of different units share the
// axis). A row that a report lacks has no bar there and says so in its
// label. A zero width or height takes the size from ChartSize.
func (c *Comparison) WritePNG(w io.Writer, width, height int) error {
	dw, dh := ChartSize(len(c.Rows), len(c.Reports))
	if width <= 0 {
		width = dw
	}
	if height <= 0 {
		height = dh
	}
	p := plot.New()
	r0 := c.Reports[0]
	p.Title.Text = fmt.Sprintf("deltacore bench: rate relative to A (%s %s, %s)",
		r0.Machine.Hostname, r0.Date.Format("2006-01-02 15:04"), r0.Machine.Brand)
	p.X.Label.Text = "ratio to A (log scale; right of the line is faster)"
	p.X.Tick.Marker = log2Ticks{}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	n := len(c.Rows)
	extra := legendRows(len(c.Reports), rowPixels(len(c.Reports)))
	// Row 0 at the top, under the legend rows: the axis counts from the
	// bottom.
	labels := make([]string, n+extra)
	lo, hi := -1.0, 1.0
	for i := range c.Rows {
		row := &c.Rows[i]
		label := row.Kernel + " " + row.Impl.Label() + " " + row.Shape
		var missing []string
		for j, res := range row.Results {
			if res == nil {
				missing = append(missing, c.Labels[j])
			}
		}
		if len(missing) > 0 {
			label += " [missing: " + strings.Join(missing, ",") + "]"
		}
		labels[n-1-i] = label
	}
	nb := len(c.Reports) - 1
	plotH := float64(height-150) * 72 / 96 // points
	barW := vg.Length(plotH / float64(n+extra) / float64(nb+1))
	barW = max(barW, 0.5)
	for i := 1; i < len(c.Reports); i++ {
		vals := make(plotter.Values, n+extra)
		for ri := range c.Rows {
			if q, ok := c.Rows[ri].Ratio(i); ok && q > 0 {
				v := math.Log2(q)
				vals[n-1-ri] = v
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		bars, err := plotter.NewBarChart(vals, barW)
		if err != nil {
			return err
		}
		bars.Horizontal = true
		bars.LineStyle.Width = 0
		bars.Color = plotutil.Color(i - 1)
		// The first later report on top within each group.
		bars.Offset = vg.Length(float64(nb-1)/2-float64(i-1)) * barW
		p.Add(bars)
		r := c.Reports[i]
		p.Legend.Add(fmt.Sprintf("%s: %s %s, %s", c.Labels[i], r.Machine.Hostname,
			r.Date.Format("2006-01-02 15:04"), r.Machine.Brand), bars)
	}
	p.X.Min, p.X.Max = math.Floor(lo), math.Ceil(hi)
	p.NominalY(labels...)
	// The line of ratio 1: as fast as A.
	ref, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n+extra) - 0.5}})
	if err != nil {
		return err
	}
	ref.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(ref)
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	cv := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(96))
	p.Draw(draw.New(cv))
	_, err = vgimg.PngCanvas{Canvas: cv}.WriteTo(w)
	return err
}
