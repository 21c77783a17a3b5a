package bench

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// goTestLine is one benchmark line of Go's benchmark format.
type goTestLine struct {
	name   string
	iters  int
	values map[string]float64 // unit → value
}

// parseGoTest parses Go's benchmark text format as the spec
// (golang.org/design/14313-benchmark-format) and benchfmt read it:
// configuration lines "key: value" (key: no upper case letters, no
// white space), benchmark lines "Benchmark<Name> <iterations> (<value>
// <unit>)+" with fields separated by white space, anything else ignored.
// It fails on a line that starts with "Benchmark" but does not parse, which
// the parsers would skip silently.
func parseGoTest(t *testing.T, text string) (config map[string]string, lines []goTestLine) {
	t.Helper()
	config = map[string]string{}
	for ln, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			f := strings.Fields(l)
			if len(f) < 4 || len(f)%2 != 0 {
				t.Fatalf("line %d: %d fields, want 2 + value/unit pairs: %q", ln+1, len(f), l)
			}
			if len(f[0]) == len("Benchmark") || unicode.IsLower(rune(f[0][len("Benchmark")])) {
				t.Fatalf("line %d: name %q: Benchmark must be followed by an upper-case letter", ln+1, f[0])
			}
			n, err := strconv.Atoi(f[1])
			if err != nil || n < 1 {
				t.Fatalf("line %d: iterations %q", ln+1, f[1])
			}
			gl := goTestLine{name: f[0], iters: n, values: map[string]float64{}}
			for i := 2; i < len(f); i += 2 {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("line %d: value %q", ln+1, f[i])
				}
				gl.values[f[i+1]] = v
			}
			lines = append(lines, gl)
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok || k == "" || strings.ContainsFunc(k, func(r rune) bool { return unicode.IsUpper(r) || unicode.IsSpace(r) }) {
			t.Fatalf("line %d: neither a configuration nor a benchmark line: %q", ln+1, l)
		}
		if len(lines) > 0 {
			t.Fatalf("line %d: configuration line %q after the benchmarks", ln+1, l)
		}
		config[k] = strings.TrimSpace(v)
	}
	return config, lines
}

func TestWriteGoTest(t *testing.T) {
	r := readReport(t, "testdata/a.json")
	// Give the first result samples (as a new report has) and leave the
	// others without (as an old report).
	res := &r.Results[0]
	res.Samples = []float64{2e6, 1.8e6, 2.2e6}
	res.NsOp = NewStat(append([]float64(nil), res.Samples...))
	work := res.Rate.Median * res.NsOp.Median
	res.Rate = NewStat([]float64{work / 2e6, work / 1.8e6, work / 2.2e6})
	r.Config.Threads = 2

	var buf bytes.Buffer
	if err := r.WriteGoTest(&buf); err != nil {
		t.Fatal(err)
	}
	config, lines := parseGoTest(t, buf.String())
	for k, want := range map[string]string{"goos": "linux", "goarch": "amd64", "pkg": GoTestPkg,
		"cpu": "AMD EPYC 9575F 64-Core Processor", "cpu-key": "amd-26-2", "threads": "2", "timer": "wall"} {
		if config[k] != want {
			t.Errorf("config %s = %q, want %q\n%s", k, config[k], want, buf.String())
		}
	}
	want := len(r.Results) - 1 + len(res.Samples)
	if len(lines) != want {
		t.Fatalf("%d benchmark lines, want %d:\n%s", len(lines), want, buf.String())
	}
	li := 0
	for i := range r.Results {
		res := &r.Results[i]
		ns := res.Samples
		if ns == nil {
			ns = []float64{res.NsOp.Median}
		}
		for _, v := range ns {
			l := lines[li]
			li++
			if l.name != "Benchmark"+res.Name+"-2" {
				t.Errorf("name %q, want Benchmark%s-2", l.name, res.Name)
			}
			if l.iters != res.Iters {
				t.Errorf("%s: iterations %d, want %d", l.name, l.iters, res.Iters)
			}
			if got := l.values["ns/op"]; math.Abs(got-v) > 1e-6*v {
				t.Errorf("%s: %v ns/op, want %v", l.name, l.values["ns/op"], v)
			}
			rate, ok := l.values[res.Unit]
			wantRate := res.Rate.Max * res.NsOp.Min / v
			if !ok || math.Abs(rate-wantRate) > 1e-5*wantRate {
				t.Errorf("%s: %v %s, want %v", l.name, rate, res.Unit, wantRate)
			}
		}
	}
	// The median sample's rate is the report's median rate.
	if got := lines[0].values[res.Unit]; math.Abs(got-res.Rate.Median) > 1e-5*res.Rate.Median {
		t.Errorf("first sample rate %v, want the median %v", got, res.Rate.Median)
	}

	// One thread: no -N suffix, as go test writes it.
	r.Config.Threads = 1
	buf.Reset()
	if err := r.WriteGoTest(&buf); err != nil {
		t.Fatal(err)
	}
	_, lines = parseGoTest(t, buf.String())
	if lines[0].name != "Benchmark"+r.Results[0].Name {
		t.Errorf("one thread: name %q, want no suffix", lines[0].name)
	}
}

func TestMachineKey(t *testing.T) {
	for _, c := range []struct {
		m    Machine
		want string
	}{
		{Machine{Vendor: "GenuineIntel", Family: 6, Model: 167}, "intel-6-167"},
		{Machine{Vendor: "AuthenticAMD", Family: 26, Model: 2}, "amd-26-2"},
		{Machine{Vendor: "", Family: 0, Model: 0}, "unknown-0-0"},
		{Machine{Vendor: "AuthenticAMD", Family: 26, Model: 2, CPUKey: "amd-26-17"}, "amd-26-17"},
	} {
		if got := c.m.Key(); got != c.want {
			t.Errorf("%+v.Key() = %q, want %q", c.m, got, c.want)
		}
	}
}

func readReport(t *testing.T, path string) *Report {
	t.Helper()
	r, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
