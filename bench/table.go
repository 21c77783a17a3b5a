package bench

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// table is a grid of strings printed with aligned columns, or as Markdown.
type table struct {
	header []string
	rows   [][]string
	right  []bool // right-align column i
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer, markdown bool) error {
	ncol := len(t.header)
	width := make([]int, ncol)
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i := 0; i < ncol && i < len(r); i++ {
			width[i] = max(width[i], utf8.RuneCountInString(r[i]))
		}
	}
	if markdown {
		for i := range width {
			width[i] = max(width[i], 3) // the width of the --- line
		}
	}
	var b strings.Builder
	line := func(r []string) {
		if markdown {
			b.WriteString("|")
		}
		for i := 0; i < ncol; i++ {
			cell := ""
			if i < len(r) {
				cell = r[i]
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell))
			if markdown {
				cell = strings.ReplaceAll(cell, "|", `\|`)
				if i < len(t.right) && t.right[i] {
					fmt.Fprintf(&b, " %s%s |", pad, cell)
				} else {
					fmt.Fprintf(&b, " %s%s |", cell, pad)
				}
				continue
			}
			if i > 0 {
				b.WriteString("  ")
			}
			if i < len(t.right) && t.right[i] {
				b.WriteString(pad + cell)
			} else if i < ncol-1 {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(cell)
			}
		}
		b.WriteString("\n")
	}
	line(t.header)
	if markdown {
		b.WriteString("|")
		for i := 0; i < ncol; i++ {
			dash := strings.Repeat("-", max(width[i], 3))
			if i < len(t.right) && t.right[i] {
				dash = dash[1:] + ":"
			}
			fmt.Fprintf(&b, " %s |", dash)
		}
		b.WriteString("\n")
	}
	for _, r := range t.rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// limitLabel is the short name of a limit in tables.
func limitLabel(l string) string {
	switch l {
	case LimitPeak:
		return "peak"
	case LimitLanes:
		return "lanes"
	case LimitBandwidth:
		return "bw"
	}
	return l
}

// cells formats one result in three columns: "95.1", "±2%", "83%"; a
// missing result as "—", "", "".
func cells(r *Result) []string {
	if r == nil {
		return []string{"—", "", ""}
	}
	return []string{fmtRate(r.Rate.Median), fmtSpread(r.Rate), fmtFraction(r.OfPeak)}
}

// addGroup appends the three column titles of a group of cells: the label
// over the rate, then "±" and "%" over the spread and the fraction.
func (t *table) addGroup(label string) {
	t.header = append(t.header, label, "±", "%")
	t.right = append(t.right, true, true, true)
}

// Describe writes a few lines that identify the report's machine, build and
// limits.
func (r *Report) Describe(w io.Writer) {
	m, b, l, c := &r.Machine, &r.Build, &r.Limits, &r.Config
	fmt.Fprintf(w, "machine: %s (%s family %d model %d stepping %d) %s, %d logical cores (%d usable), L1d %s, L2 %s, L3 %s\n",
		m.Brand, m.Vendor, m.Family, m.Model, m.Stepping, m.Hostname, m.LogicalCores, m.NumCPU,
		kib(m.CacheL1D), kib(m.CacheL2), kib(m.CacheL3))
	fmt.Fprintf(w, "limits:  %s\n", l.summary())
	rev := b.VCSRevision
	if rev == "" {
		rev = "unknown"
	} else if len(rev) > 12 {
		rev = rev[:12]
	}
	if b.VCSModified {
		rev += "+dirty"
	}
	goamd64 := ""
	if b.GOAMD64 != "" {
		goamd64 = " GOAMD64=" + b.GOAMD64
	}
	if b.GOARM64 != "" {
		goamd64 += " GOARM64=" + b.GOARM64
	}
	tags := ""
	if b.Tags != "" {
		tags = " tags=" + b.Tags
	}
	fmt.Fprintf(w, "build:   %s %s/%s%s%s, %s %s rev %s\n", b.GoVersion, m.OS, m.Arch, goamd64, tags,
		b.MainModule, b.ModuleVersion, rev)
	fmt.Fprintf(w, "run:     %s, threads %d, %d samples of ~%gs (%s time), levels %s, peers %s\n",
		r.Date.Format("2006-01-02 15:04 UTC"), c.Threads, c.Count, c.SampleTime, c.Timer,
		strings.Join(c.Levels, ","), orNone(c.Peers))
	if c.LoadStart > 0 || c.LoadEnd > 0 {
		fmt.Fprintf(w, "load:    %.2f at the start, %.2f at the end (1-minute load average; %d CPUs)\n",
			c.LoadStart, c.LoadEnd, m.NumCPU)
	}
}

// kib prints a cache size; cpuid reports -1 for unknown.
func kib(b int) string {
	if b <= 0 {
		return "?"
	}
	return fmt.Sprintf("%d KiB", b>>10)
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ",")
}

func (l *Limits) summary() string {
	var parts []string
	if l.ClockGHz > 0 {
		parts = append(parts, fmt.Sprintf("clock %.2f GHz", l.ClockGHz))
	}
	if l.FMAPeakGFLOPS > 0 {
		s := fmt.Sprintf("FMA peak %.1f GFLOP/s (%s", l.FMAPeakGFLOPS, l.FMAKernel)
		for _, f := range l.FMA {
			if f.Kernel != l.FMAKernel {
				s += fmt.Sprintf("; %s %.1f", f.Kernel, f.GFLOPS.Max)
			}
		}
		s += ")"
		if l.FlopsPerCycle > 0 {
			s += fmt.Sprintf(", %.1f flop/cycle", l.FlopsPerCycle)
		}
		parts = append(parts, s)
	} else {
		parts = append(parts, "FMA peak not measured")
	}
	if l.BandwidthGBps > 0 {
		parts = append(parts, fmt.Sprintf("copy %.1f GB/s", l.BandwidthGBps))
	}
	if l.Timer != "" {
		parts = append(parts, l.Timer+" time")
	}
	return strings.Join(parts, ", ")
}

// WriteTable writes the results as a table: one row per kernel and shape,
// three columns per implementation (levels, then peers): the median rate,
// the spread of the samples (±half their range) and the fraction of the
// limit named in the "vs" column: peak (FMA peak of the level, see
// Limits.PeakFor), lanes (FMA lane rate,
// half the peak, for elementwise kernels in cache) or bw (copy bandwidth).
func (r *Report) WriteTable(w io.Writer, markdown bool) error {
	var impls []Impl
	seenImpl := map[Impl]bool{}
	type rowKey struct{ kernel, shape string }
	var rows []rowKey
	seenRow := map[rowKey]bool{}
	byImpl := map[rowKey]map[Impl]*Result{}
	for i := range r.Results {
		res := &r.Results[i]
		if !seenImpl[res.Impl] {
			seenImpl[res.Impl] = true
			impls = append(impls, res.Impl)
		}
		k := rowKey{res.Kernel, res.Shape}
		if !seenRow[k] {
			seenRow[k] = true
			rows = append(rows, k)
			byImpl[k] = map[Impl]*Result{}
		}
		byImpl[k][res.Impl] = res
	}
	// Levels before peers, each group in order of appearance.
	var ordered []Impl
	for _, peer := range []bool{false, true} {
		for _, im := range impls {
			if (im.Peer != "") == peer {
				ordered = append(ordered, im)
			}
		}
	}
	t := &table{header: []string{"kernel", "shape", "unit", "vs"}, right: make([]bool, 4)}
	for _, im := range ordered {
		t.addGroup(im.Label())
	}
	for _, k := range rows {
		var unit, limit string
		row := []string{k.kernel, k.shape}
		var cs []string
		for _, im := range ordered {
			res := byImpl[k][im]
			if res == nil {
				cs = append(cs, "", "", "")
				continue
			}
			unit, limit = res.Unit, limitLabel(res.Limit)
			cs = append(cs, cells(res)...)
		}
		row = append(row, unit, limit)
		t.add(append(row, cs...)...)
	}
	return t.write(w, markdown)
}
