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
			if c.Rows[ri].Unit != res.Unit {
				return nil, fmt.Errorf("bench: %s is in %s in report A but in %s in report %s",
					k, c.Rows[ri].Unit, res.Unit, c.Labels[i])
			}
			c.Rows[ri].Results[i] = res
		}
	}
	return c, nil
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
// and tall enough to give every bar 9 pixels.
func ChartSize(rows, reports int) (width, height int) {
	return 1000, 140 + rows*(reports*9+8)
}

// WritePNG draws a horizontal bar chart: one group of bars per row, one bar
// per report, the length of each bar its median rate over report A's (so
// report A's bars all have length 1 and kernels of different units share
// one axis). A zero width or height takes the size from ChartSize.
func (c *Comparison) WritePNG(w io.Writer, width, height int) error {
	dw, dh := ChartSize(len(c.Rows), len(c.Reports))
	if width <= 0 {
		width = dw
	}
	if height <= 0 {
		height = dh
	}
	p := plot.New()
	p.Title.Text = "deltacore bench: rate relative to report A"
	p.X.Label.Text = "ratio to A (longer is faster)"
	p.X.Min = 0
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	n := len(c.Rows)
	// Row 0 at the top: the nominal axis counts from the bottom.
	labels := make([]string, n)
	for i, row := range c.Rows {
		labels[n-1-i] = row.Kernel + " " + row.Impl.Label() + " " + row.Shape
	}
	barW := vg.Length(float64(height-140) / float64(max(n, 1)) / float64(len(c.Reports)+1) * 72 / 96)
	barW = max(barW, 1)
	for i := range c.Reports {
		vals := make(plotter.Values, n)
		for ri := range c.Rows {
			if q, ok := c.Rows[ri].Ratio(i); ok {
				vals[n-1-ri] = q
			}
		}
		bars, err := plotter.NewBarChart(vals, barW)
		if err != nil {
			return err
		}
		bars.Horizontal = true
		bars.LineStyle.Width = 0
		bars.Color = plotutil.Color(i)
		// Report A on top within each group.
		bars.Offset = vg.Length(float64(len(c.Reports)-1)/2-float64(i)) * barW
		p.Add(bars)
		r := c.Reports[i]
		p.Legend.Add(fmt.Sprintf("%s: %s %s", c.Labels[i], r.Machine.Hostname, r.Date.Format("2006-01-02 15:04")), bars)
	}
	p.NominalY(labels...)
	// A line at ratio 1: report A.
	ref, err := plotter.NewLine(plotter.XYs{{X: 1, Y: -0.5}, {X: 1, Y: float64(n) - 0.5}})
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
