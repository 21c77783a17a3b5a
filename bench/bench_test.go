package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/bench/internal/peak"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleReport is a report with every field set, as a run would fill it.
func sampleReport() *Report {
	r := NewReport()
	r.Date = time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)
	r.Config = Config{Quick: true, Filter: "Sgemm", Threads: 1, Levels: []string{"avx2", "generic"},
		Peers: []string{"gonum"}, Count: 3, Timer: TimerWall, SampleTime: 0.02}
	r.Limits = Limits{FMAPeakGFLOPS: 115, FMAKernel: "avx2-ymm",
		FMA:      []FMALimit{{Kernel: "avx2-ymm", GFLOPS: NewStat([]float64{110, 115, 112}), FlopsPerCycle: 32}},
		ClockGHz: 3.6, Clock: NewStat([]float64{3.5, 3.6}), FlopsPerCycle: 32,
		BandwidthGBps: 30, Bandwidth: NewStat([]float64{28, 30}), BufferBytes: 256 << 20, Timer: "thread-cpu", Elapsed: 1.5}
	r.Results = []Result{{
		Name: "Sgemm/isa=avx2/m=256,n=256,k=256", Kernel: "Sgemm", Impl: Impl{Level: "avx2"},
		Shape: "m=256,n=256,k=256", Unit: UnitGFLOPS, Rate: NewStat([]float64{90, 80, 95}),
		NsOp: NewStat([]float64{3.5e5, 4e5, 3.7e5}), Iters: 50, Bytes: 786432, Limit: LimitPeak, OfPeak: 0.78,
	}, {
		Name: "Sgemm/peer=gonum/m=256,n=256,k=256", Kernel: "Sgemm", Impl: Impl{Peer: "gonum"},
		Shape: "m=256,n=256,k=256", Unit: UnitGFLOPS, Rate: NewStat([]float64{9, 10, 11}),
		NsOp: NewStat([]float64{3e6, 3.3e6, 3.7e6}), Iters: 5, Bytes: 786432, Limit: LimitPeak, OfPeak: 0.087,
	}}
	return r
}

func TestReportRoundTrip(t *testing.T) {
	r := sampleReport()
	if r.Machine.Arch == "" || r.Machine.OS == "" || r.Build.GoVersion == "" || len(r.Machine.Levels) == 0 {
		t.Fatalf("NewReport did not identify the machine and build: %+v %+v", r.Machine, r.Build)
	}
	var buf bytes.Buffer
	if err := r.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("round trip changed the report:\n got %+v\nwant %+v", got, r)
	}
	// The file's version field is what readers check.
	var head map[string]any
	if err := json.Unmarshal(buf.Bytes(), &head); err != nil {
		t.Fatal(err)
	}
	if head["version"] != float64(ReportVersion) || head["format"] != ReportFormat {
		t.Errorf("format, version = %v, %v; want %q, %d", head["format"], head["version"], ReportFormat, ReportVersion)
	}
	// And through a file.
	path := filepath.Join(t.TempDir(), "r.json")
	if err := r.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFile(path); err != nil || !reflect.DeepEqual(got, r) {
		t.Errorf("ReadFile: %v, equal %v", err, reflect.DeepEqual(got, r))
	}
}

func TestDecodeErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := sampleReport().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	withVersion := func(v string) string {
		return strings.Replace(good, `"version": 1,`, `"version": `+v+`,`, 1)
	}
	if !strings.Contains(good, `"version": 1,`) {
		t.Fatalf("encoded report lacks the version line:\n%s", good)
	}
	for _, tc := range []struct {
		name, data string
		version    int // the VersionError's, -1 for another kind of error
		msg        string
	}{
		{"newer", withVersion("2"), 2, "version 2 is newer than this program understands (version 1)"},
		{"much newer", withVersion("17"), 17, "newer"},
		{"older", withVersion("0"), 0, "no version field"},
		{"missing", strings.Replace(good, `"version": 1,`, ``, 1), 0, "no version field"},
		{"string", withVersion(`"1"`), 0, "no version field"},
		{"fraction", withVersion("1.5"), 0, "no version field"},
		{"negative", withVersion("-1"), 0, "no version field"},
		{"other format", strings.Replace(good, ReportFormat, "something-else", 1), -1, "not a deltacore bench report"},
		{"not json", "version: 1", -1, "not valid JSON"},
		{"truncated", good[:len(good)/2], -1, "not valid JSON"},
		{"bad field", strings.Replace(good, `"threads": 1`, `"threads": "one"`, 1), -1, "report version 1"},
	} {
		_, err := Decode([]byte(tc.data))
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %q does not contain %q", tc.name, err, tc.msg)
		}
		var ve *VersionError
		if isVE := errors.As(err, &ve); isVE != (tc.version >= 0) || (isVE && ve.Version != tc.version) {
			t.Errorf("%s: error %#v, want a VersionError with version %d: %v", tc.name, err, tc.version, isVE)
		}
	}
	// An older version than ours, once there is one, has its own message.
	if msg := (&VersionError{Version: ReportVersion - 1}).Error(); ReportVersion > 1 && !strings.Contains(msg, "older") {
		t.Errorf("older version message: %q", msg)
	}
	// Fields a newer writer adds without a version change are ignored.
	extra := strings.Replace(good, `"results":`, `"future_field": {"x": 1}, "results":`, 1)
	if _, err := Decode([]byte(extra)); err != nil {
		t.Errorf("unknown field: %v", err)
	}
}

func TestStat(t *testing.T) {
	s := NewStat([]float64{5, 1, 4, 2, 3})
	want := Stat{Median: 3, Min: 1, Max: 5, P10: 1.4, P90: 4.6, N: 5}
	for _, d := range []float64{s.P10 - want.P10, s.P90 - want.P90} {
		if d > 1e-12 || d < -1e-12 {
			t.Errorf("NewStat = %+v, want %+v", s, want)
		}
	}
	s.P10, s.P90 = want.P10, want.P90
	if s != want {
		t.Errorf("NewStat = %+v, want %+v", s, want)
	}
	if got := s.Spread(); got != 2.0/3 {
		t.Errorf("Spread = %v, want %v", got, 2.0/3)
	}
	if (NewStat(nil) != Stat{}) {
		t.Errorf("NewStat(nil) = %+v", NewStat(nil))
	}
	if s := NewStat([]float64{7}); s.Median != 7 || s.P10 != 7 || s.P90 != 7 || s.N != 1 {
		t.Errorf("NewStat([7]) = %+v", s)
	}
}

func readFixtures(t *testing.T) []*Report {
	var rs []*Report
	for _, f := range []string{"testdata/a.json", "testdata/b.json"} {
		r, err := ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	return rs
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bench -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test ./bench -run %s -update rewrites it):\n--- got\n%s\n--- want\n%s",
			path, t.Name(), got, want)
	}
}

func TestCompareText(t *testing.T) {
	c, err := Compare(readFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	var text, md bytes.Buffer
	if err := c.WriteText(&text, false); err != nil {
		t.Fatal(err)
	}
	golden(t, "compare.golden", text.Bytes())
	if err := c.WriteText(&md, true); err != nil {
		t.Fatal(err)
	}
	golden(t, "compare.md.golden", md.Bytes())
}

func TestCompareRows(t *testing.T) {
	c, err := Compare(readFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	// The rows of A in order, then those only B has.
	var keys []string
	for _, r := range c.Rows {
		keys = append(keys, r.Kernel+"/"+r.Impl.String()+"/"+r.Shape)
	}
	want := []string{
		"Sgemm/isa=avx512/m=256,n=256,k=256", "Sgemm/isa=avx2/m=256,n=256,k=256",
		"Sgemm/peer=gonum/m=256,n=256,k=256", "Sigmoid/isa=avx2/n=4096",
		"Axpy/isa=avx2/n=16777216", "Dot/isa=avx2/n=4096",
	}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("rows %q, want %q", keys, want)
	}
	if q, ok := c.Rows[0].Ratio(1); !ok || q != 1.5 {
		t.Errorf("ratio avx512 = %v, %v; want 1.5", q, ok)
	}
	if c.Rows[0].Overlap(1) || !c.Rows[1].Overlap(1) {
		t.Errorf("Overlap: avx512 %v (want false), avx2 %v (want true)", c.Rows[0].Overlap(1), c.Rows[1].Overlap(1))
	}
	if _, ok := c.Rows[3].Ratio(1); ok {
		t.Error("ratio of a row that B lacks")
	}
	if _, err := Compare(c.Reports[:1]); err == nil {
		t.Error("Compare of one report: no error")
	}
}

func TestComparePNG(t *testing.T) {
	c, err := Compare(readFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	w, h := ChartSize(len(c.Rows), len(c.Reports))
	for _, size := range [][2]int{{0, 0}, {640, 480}} {
		var buf bytes.Buffer
		if err := c.WritePNG(&buf, size[0], size[1]); err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("not a PNG: %v", err)
		}
		wantW, wantH := w, h
		if size[0] > 0 {
			wantW, wantH = size[0], size[1]
		}
		if cfg.Width != wantW || cfg.Height != wantH {
			t.Errorf("PNG is %d×%d, want %d×%d", cfg.Width, cfg.Height, wantW, wantH)
		}
		if _, err := png.Decode(bytes.NewReader(buf.Bytes())); err != nil {
			t.Errorf("PNG does not decode: %v", err)
		}
	}
}

func TestTable(t *testing.T) {
	r := readFixtures(t)[0]
	var buf bytes.Buffer
	if err := r.WriteTable(&buf, false); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.golden", buf.Bytes())
}

func TestSuiteNames(t *testing.T) {
	seen := map[string]bool{}
	name := regexp.MustCompile(`^[A-Z][A-Za-z]+/(isa|peer)=[a-z0-9]+/[a-z]+=\d+(,[a-z]+=[0-9A-Z]+)*$`)
	quick := 0
	for _, c := range Suite(false) {
		if c.Work <= 0 || c.Bytes <= 0 || (c.Unit != UnitGFLOPS && c.Unit != UnitGElems) {
			t.Errorf("%s %s: work %v, bytes %v, unit %q", c.Kernel, c.Shape, c.Work, c.Bytes, c.Unit)
		}
		for _, im := range []Impl{{Level: "avx2"}, {Peer: "gonum"}} {
			n := c.Name(im)
			if !name.MatchString(n) {
				t.Errorf("bad name %q", n)
			}
			if seen[n] {
				t.Errorf("duplicate name %q", n)
			}
			seen[n] = true
		}
		if c.Quick {
			quick++
		}
	}
	if got := len(Suite(true)); got != quick || quick == 0 {
		t.Errorf("quick suite has %d cases, want %d", got, quick)
	}
	for _, k := range []string{"Sigmoid", "SigmoidPrime", "MulSigmoidPrime", "Axpy", "Dot", "SumSquares",
		"ColSums", "Sgemm", "DenseForward", "DenseBackward"} {
		if len(KernelCases(k)) == 0 {
			t.Errorf("no cases for %s", k)
		}
	}
	if got := SgemmShapes[3].String(); got != "m=1000,n=30,k=784,op=NT" {
		t.Errorf("shape name %q", got)
	}
}

// TestFullSuiteRuns calls every case of the full suite once on the current
// level and on every peer, so that a wrong stride or shape in a case panics
// here rather than in a long run (the 1024³ product is left out: the generic
// level takes seconds for it).
func TestFullSuiteRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MiB")
	}
	for _, c := range Suite(false) {
		if c.Work > 1e9 {
			continue
		}
		p := c.Prepare()
		ims := []Impl{{Level: deltacore.CurrentLevel().String()}}
		if c.Peers {
			for _, pe := range Peers() {
				ims = append(ims, Impl{Peer: pe.Name})
			}
		}
		for _, im := range ims {
			op := p.Op(im)
			if op == nil {
				t.Errorf("%s: no op", c.Name(im))
				continue
			}
			op()
		}
	}
}

// smallCases are the cases cheap enough to run many times in a test.
func smallCases() []*Case {
	var cs []*Case
	for _, c := range Suite(true) {
		if c.Work <= 1e6 && c.Bytes <= 1e6 {
			cs = append(cs, c)
		}
	}
	return cs
}

// TestZeroAllocs checks that the timed calls allocate nothing, on every
// level (the peers are not ours to check).
// It runs under -race too: Sgemm's packing buffers are no longer in a
// sync.Pool, which the race detector empties at random on purpose.
func TestZeroAllocs(t *testing.T) {
	for _, c := range smallCases() {
		p := c.Prepare()
		for _, l := range deltacore.Levels() {
			im := Impl{Level: l.String()}
			op := p.Op(im)
			var allocs float64
			if err := WithLevel(l, func() { allocs = testing.AllocsPerRun(20, op) }); err != nil {
				t.Fatal(err)
			}
			if allocs != 0 {
				t.Errorf("%s: %v allocations per call", c.Name(im), allocs)
			}
		}
	}
}

func TestRunSmoke(t *testing.T) {
	before := deltacore.CurrentLevel()
	o := RunOptions{Quick: true, Filter: regexp.MustCompile(`^(Sgemm/.*/m=10,n=30,k=30|Dot/.*n=4096)$`),
		Count: 2, SampleTime: time.Millisecond, Threads: 1,
		Limits:  Limits{FMAPeakGFLOPS: 100, BandwidthGBps: 20},
		Machine: Machine{CacheL2: 1 << 20}}
	names := o.Names()
	res, err := Run(o)
	if err != nil {
		t.Fatal(err)
	}
	if deltacore.CurrentLevel() != before {
		t.Errorf("Run left the level at %v, was %v", deltacore.CurrentLevel(), before)
	}
	if len(res) != len(names) || len(res) < 2*len(deltacore.Levels())+1 {
		t.Fatalf("%d results for %d names %q", len(res), len(names), names)
	}
	sawPeer := false
	for i, r := range res {
		if r.Name != names[i] || r.Name != r.Kernel+"/"+r.Impl.String()+"/"+r.Shape {
			t.Errorf("result %d is %q, want %q", i, r.Name, names[i])
		}
		if r.Rate.N != 2 || !(r.Rate.Median > 0) || !(r.NsOp.Median > 0) || !(r.OfPeak > 0) {
			t.Errorf("%s: rate %+v ns/op %+v fraction %v", r.Name, r.Rate, r.NsOp, r.OfPeak)
		}
		want := LimitPeak
		if r.Kernel == "Dot" {
			want = LimitLanes
		}
		if r.Limit != want {
			t.Errorf("%s: limit %q, want %q", r.Name, r.Limit, want)
		}
		sawPeer = sawPeer || r.Impl.Peer == "gonum"
	}
	if !sawPeer {
		t.Error("no gonum result")
	}
	o.Timer = "sundial"
	if _, err := Run(o); err == nil {
		t.Error("unknown timer: no error")
	}
}

func TestLimitOf(t *testing.T) {
	l := Limits{FMAPeakGFLOPS: 100, BandwidthGBps: 24, FMA: []FMALimit{
		{Kernel: "avx2-ymm", GFLOPS: Stat{Max: 50}}, {Kernel: "avx512-zmm", GFLOPS: Stat{Max: 100}}}}
	m := Machine{CacheL2: 1 << 20}
	small := elementwiseCase(elementwise[3], 4096) // Axpy, 48 KiB
	big := elementwiseCase(elementwise[3], 1<<24)  // Axpy, 192 MiB
	gemm := sgemmCase(SgemmShapes[0])
	avx2, avx512, gonum := Impl{Level: "avx2"}, Impl{Level: "avx512"}, Impl{Peer: "gonum"}
	for _, tc := range []struct {
		c       *Case
		im      Impl
		rate    float64
		threads int
		limit   string
		frac    float64
	}{
		{gemm, avx512, 50, 1, LimitPeak, 0.5},
		{gemm, avx512, 50, 2, LimitPeak, 0.25},
		{gemm, avx2, 25, 1, LimitPeak, 0.5}, // the ymm peak
		{gemm, gonum, 25, 1, LimitPeak, 0.25},
		{small, avx512, 10, 1, LimitLanes, 0.2},
		{small, avx2, 10, 1, LimitLanes, 0.4},
		{big, avx512, 1, 1, LimitBandwidth, 0.5}, // 1 Gelem/s × 12 B = 12 GB/s of 24
	} {
		lim, f := limitOf(tc.c, tc.im, tc.rate, tc.threads, l, m)
		if lim != tc.limit || f < tc.frac*(1-1e-12) || f > tc.frac*(1+1e-12) {
			t.Errorf("%s %s at %v: %s %v, want %s %v", tc.c.Kernel, tc.c.Shape, tc.rate, lim, f, tc.limit, tc.frac)
		}
	}
	if lim, f := limitOf(gemm, avx2, 50, 1, Limits{}, m); lim != LimitPeak || f != 0 {
		t.Errorf("no peak: %s %v", lim, f)
	}
}

func TestMeasureLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 256 MiB")
	}
	var lines []string
	l := MeasureLimits(LimitOptions{Samples: 2, SampleTime: time.Millisecond, BufferBytes: 8 << 20,
		Progress: func(s string) { lines = append(lines, s) }})
	if !(l.BandwidthGBps > 0) || l.BufferBytes != 8<<20 || l.Bandwidth.N != 2 {
		t.Errorf("bandwidth: %+v", l)
	}
	if len(peak.FMAKernels()) > 0 {
		if !(l.FMAPeakGFLOPS > 0) || l.FMAKernel == "" || len(l.FMA) != len(peak.FMAKernels()) {
			t.Errorf("FMA peak: %+v", l)
		}
		if !(l.ClockGHz > 0) || !(l.FlopsPerCycle > 0) {
			t.Errorf("clock: %+v", l)
		}
	}
	if len(lines) == 0 {
		t.Error("no progress")
	}
}

// The benchmarks: one function per kernel, sub-benchmarks per level and
// shape, e.g. BenchmarkSigmoid/isa=avx512/n=4096. They report GFLOP/s or
// Gelem/s (and, for GFLOP/s, the fraction of this machine's FMA peak, which
// the first of them measures). BenchmarkSgemm lives in sgemm_test.go and
// calls benchKernel(b, "Sgemm") the same way, which adds the peers
// (peer=gonum, peer=openblas with -tags openblas).

var peakLimits = sync.OnceValue(func() Limits {
	var l Limits
	for _, k := range peak.FMAKernels() {
		st := NewStat(sampleRate(k.Run, k.FlopsPerIter, 5, 5*time.Millisecond))
		l.FMA = append(l.FMA, FMALimit{Kernel: k.Name, GFLOPS: st})
		l.FMAPeakGFLOPS = max(l.FMAPeakGFLOPS, st.Max)
	}
	return l
})

// fmaPeak returns the FMA peak for a level ("" for a peer), measured once.
func fmaPeak(level string) float64 {
	l := peakLimits()
	return l.PeakFor(level)
}

// benchKernel runs every case of kernel on every level (and, for Sgemm, on
// every peer) as sub-benchmarks named isa=<level>/<shape> or
// peer=<name>/<shape>.
func benchKernel(b *testing.B, kernel string) {
	cases := KernelCases(kernel)
	if len(cases) == 0 {
		b.Fatalf("no cases for kernel %q", kernel)
	}
	prepared := make([]func() *Prepared, len(cases))
	for i, c := range cases {
		prepared[i] = sync.OnceValue(c.Prepare) // allocate only if a sub-benchmark runs
	}
	var ims []Impl
	for _, l := range deltacore.Levels() {
		ims = append(ims, Impl{Level: l.String()})
	}
	for _, p := range Peers() {
		ims = append(ims, Impl{Peer: p.Name})
	}
	for _, im := range ims {
		b.Run(im.String(), func(b *testing.B) {
			for i, c := range cases {
				if im.Peer != "" && !c.Peers {
					continue
				}
				b.Run(c.Shape, func(b *testing.B) {
					op := prepared[i]().Op(im)
					if im.Peer == "" {
						l, _ := deltacore.ParseLevel(im.Level)
						old := deltacore.CurrentLevel()
						if err := deltacore.SetLevel(l); err != nil {
							b.Fatal(err)
						}
						b.Cleanup(func() { deltacore.SetLevel(old) })
					}
					measure(b, c, im, op)
				})
			}
		})
	}
}

func measure(b *testing.B, c *Case, im Impl, op func()) {
	var pk float64
	if c.Unit == UnitGFLOPS {
		pk = fmaPeak(im.Level)
	}
	b.ReportAllocs()
	b.SetBytes(int64(c.Bytes))
	op() // warm the caches and the pools
	b.ResetTimer()
	for b.Loop() {
		op()
	}
	rate := c.Work * float64(b.N) / b.Elapsed().Seconds() / 1e9
	b.ReportMetric(rate, c.Unit)
	if pk > 0 {
		b.ReportMetric(100*rate/pk, "%peak")
	}
}

func BenchmarkSigmoid(b *testing.B)         { benchKernel(b, "Sigmoid") }
func BenchmarkSigmoidPrime(b *testing.B)    { benchKernel(b, "SigmoidPrime") }
func BenchmarkMulSigmoidPrime(b *testing.B) { benchKernel(b, "MulSigmoidPrime") }
func BenchmarkAxpy(b *testing.B)            { benchKernel(b, "Axpy") }
func BenchmarkDot(b *testing.B)             { benchKernel(b, "Dot") }
func BenchmarkSumSquares(b *testing.B)      { benchKernel(b, "SumSquares") }
func BenchmarkColSums(b *testing.B)         { benchKernel(b, "ColSums") }
func BenchmarkDenseForward(b *testing.B)    { benchKernel(b, "DenseForward") }
func BenchmarkDenseBackward(b *testing.B)   { benchKernel(b, "DenseBackward") }
