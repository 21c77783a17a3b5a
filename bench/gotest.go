package bench

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// GoTestPkg is the pkg: line of WriteGoTest's output.
const GoTestPkg = "github.com/deltacore/deltacore"

// WriteGoTest writes the report in Go's benchmark text format
// (golang.org/design/14313-benchmark-format), the format of `go test
// -bench`, so that benchstat compares two reports (two CPUs, two versions):
//
//	goos: linux
//	goarch: amd64
//	pkg: github.com/deltacore/deltacore
//	cpu: Intel(R) Xeon(R) Processor
//	cpu-key: intel-6-167
//	BenchmarkSgemm/isa=avx512/m=256,n=256,k=256   120   209318 ns/op   160.3 GFLOP/s
//
// with one benchmark line per sample (ns/op and the rate in the result's
// unit) and the name suffix -N when the run used N > 1 threads, as go test
// writes GOMAXPROCS. A result of a report written before samples were kept
// gets one line, its median. Besides goos, goarch, pkg and cpu, the header
// carries cpu-key (vendor-family-model, as bench/results names files),
// threads and timer, which benchstat shows when they differ.
func (r *Report) WriteGoTest(w io.Writer) error {
	bw := bufio.NewWriter(w)
	cpu := r.Machine.Brand
	if cpu == "" {
		cpu = "unknown"
	}
	fmt.Fprintf(bw, "goos: %s\ngoarch: %s\npkg: %s\ncpu: %s\n", oneLine(r.Machine.OS), oneLine(r.Machine.Arch), GoTestPkg, oneLine(cpu))
	fmt.Fprintf(bw, "cpu-key: %s\nthreads: %d\n", r.Machine.Key(), r.Config.Threads)
	if r.Config.Timer != "" {
		fmt.Fprintf(bw, "timer: %s\n", oneLine(r.Config.Timer))
	}
	suffix := ""
	if r.Config.Threads > 1 {
		suffix = "-" + strconv.Itoa(r.Config.Threads)
	}
	for i := range r.Results {
		res := &r.Results[i]
		name := "Benchmark" + benchName(res.Name) + suffix
		ns := res.Samples
		if len(ns) == 0 {
			ns = []float64{res.NsOp.Median}
		}
		// rate = work/ns for every sample; the fastest sample has both the
		// largest rate and the least ns, so work = Rate.Max·NsOp.Min.
		work := res.Rate.Max * res.NsOp.Min
		iters := max(res.Iters, 1)
		for _, v := range ns {
			if v <= 0 {
				continue
			}
			fmt.Fprintf(bw, "%s \t%8d\t%12s ns/op\t%10s %s\n", name, iters,
				formatSig(v), formatSig(work/v), unitName(res.Unit))
		}
	}
	return bw.Flush()
}

// Key is the machine's name in bench/results: vendor-family-model, e.g.
// intel-6-167. It is CPUKey when the report has it; for older reports it
// is made from cpuid's vendor string ("GenuineIntel" → "intel",
// "AuthenticAMD" → "amd").
func (m *Machine) Key() string {
	if m.CPUKey != "" {
		return m.CPUKey
	}
	v := strings.ToLower(m.Vendor)
	switch v {
	case "genuineintel":
		v = "intel"
	case "authenticamd":
		v = "amd"
	case "hygongenuine":
		v = "hygon"
	}
	var b strings.Builder
	for _, c := range v {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		b.WriteString("unknown")
	}
	return fmt.Sprintf("%s-%d-%d", b.String(), m.Family, m.Model)
}

// benchName makes a result name a valid benchmark name: no white space.
func benchName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return '_'
		}
		return r
	}, s)
}

// unitName makes a unit one word, as the format requires.
func unitName(u string) string {
	if u == "" {
		return "rate"
	}
	return benchName(u)
}

// oneLine keeps a header value on its line.
func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// formatSig writes x with 7 significant digits and no exponent.
func formatSig(x float64) string {
	d := 0
	if a := math.Abs(x); a > 0 {
		d = max(0, 6-int(math.Floor(math.Log10(a))))
	}
	return strconv.FormatFloat(x, 'f', d, 64)
}
