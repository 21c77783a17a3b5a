package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/bench"
)

// captureStdout runs f with os.Stdout sent to a file and returns what f
// printed.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stdout")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = file
	defer func() { os.Stdout = old }()
	f()
	file.Close()
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestBenchQuickSmoke runs `deltacore bench --quick` with very short samples
// (every case of the quick set, on every level and peer, must finish), then
// `deltacore bench compare` on its report and a fixed one. No figure is
// checked: only that the commands work and their files are well formed.
func TestBenchQuickSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the quick benchmark set")
	}
	dir := t.TempDir()
	rep := filepath.Join(dir, "quick.json")
	var rc int
	out := captureStdout(t, func() {
		rc = cmdBench([]string{"--quick", "--count", "1", "--sample", "1ms", "--out", rep, "--gotest", filepath.Join(dir, "quick.txt")})
	})
	if rc != 0 {
		t.Fatalf("deltacore bench --quick: exit %d\n%s", rc, out)
	}
	for _, want := range []string{"machine:", "limits:", "Sgemm", "gonum", "Sigmoid", "DenseBackward", "ColSums"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	r, err := bench.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Results) == 0 || !r.Config.Quick || r.Config.Count != 1 {
		t.Errorf("report: %d results, config %+v", len(r.Results), r.Config)
	}
	if r.Machine.CPUKey != deltacore.CurrentTuning().CPU || r.Machine.CPUKey == "" {
		t.Errorf("report's cpu key %q, want %q", r.Machine.CPUKey, deltacore.CurrentTuning().CPU)
	}
	// --gotest: the header and one benchmark line per sample (one each with
	// --count 1), as `deltacore bench gotest` prints it from the report.
	gt, err := os.ReadFile(filepath.Join(dir, "quick.txt"))
	if err != nil {
		t.Fatal(err)
	}
	nb := 0
	for _, l := range strings.Split(string(gt), "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			nb++
		}
	}
	if !strings.HasPrefix(string(gt), "goos: ") || nb != len(r.Results) {
		t.Errorf("--gotest file: %d benchmark lines for %d results:\n%s", nb, len(r.Results), gt)
	}
	for _, res := range r.Results {
		if len(res.Samples) != 1 {
			t.Errorf("%s: %d samples kept, want 1", res.Name, len(res.Samples))
		}
	}
	out = captureStdout(t, func() { rc = cmdBench([]string{"gotest", rep}) })
	if rc != 0 || out != string(gt) {
		t.Errorf("bench gotest: exit %d, output differs from the --gotest file:\n%s", rc, out)
	}

	// A results directory: the report under its CPU key, compared with
	// itself and written as the README's tables.
	resDir := filepath.Join(dir, "results")
	if err := os.MkdirAll(resDir, 0o777); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(resDir, r.Machine.Key()+".json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	readme := filepath.Join(dir, "README.md")
	if err := os.WriteFile(readme, []byte("x\n"+bench.ReadmeBegin+"\n"+bench.ReadmeEnd+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	captureStdout(t, func() { rc = cmdBench([]string{"compare", "--readme", readme, resDir}) })
	body, err := bench.ReadmeBlock(readme)
	if rc != 0 || err != nil || !strings.Contains(body, "- **"+r.Machine.Key()+"**") || !strings.Contains(body, "Sgemm, GFLOP/s:") {
		t.Errorf("compare --readme: exit %d, %v:\n%s", rc, err, body)
	}
	out = captureStdout(t, func() { rc = cmdBench([]string{"compare", "--png", "-", resDir, rep}) })
	if rc != 0 || !strings.Contains(out, "B/A") {
		t.Errorf("compare dir and file: exit %d\n%s", rc, out)
	}

	chart := filepath.Join(dir, "cmp.png")
	out = captureStdout(t, func() {
		rc = cmdBench([]string{"compare", rep, "../../bench/testdata/a.json", "--png", chart, "--width", "800"})
	})
	if rc != 0 {
		t.Fatalf("deltacore bench compare: exit %d\n%s", rc, out)
	}
	if !strings.Contains(out, "B/A") || !strings.Contains(out, "geomean") {
		t.Errorf("compare output:\n%s", out)
	}
	data, err = os.ReadFile(chart)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width != 800 {
		t.Errorf("chart: %v, %+v", err, cfg)
	}
}

func TestBenchCompareErrors(t *testing.T) {
	dir := t.TempDir()
	newer := filepath.Join(dir, "newer.json")
	a, err := os.ReadFile("../../bench/testdata/a.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(newer, bytes.Replace(a, []byte(`"version": 1`), []byte(`"version": 9`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	// The error goes to stderr; here only the exit status is checked.
	var rc int
	captureStdout(t, func() {
		rc = cmdBench([]string{"compare", "--png", "-", "../../bench/testdata/a.json", newer})
	})
	if rc != 1 {
		t.Errorf("compare with a newer report: exit %d, want 1", rc)
	}
	captureStdout(t, func() { rc = cmdBench([]string{"compare", "../../bench/testdata/a.json"}) })
	if rc != 2 {
		t.Errorf("compare with one report: exit %d, want 2", rc)
	}
	captureStdout(t, func() { rc = cmdBench([]string{"--levels", "nosuch", "--out", "-"}) })
	if rc != 1 {
		t.Errorf("bad level: exit %d, want 1", rc)
	}
}
