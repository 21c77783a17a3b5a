package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteMarkdownByCPU checks the per-CPU tables on the two test reports
// against a golden file, and their structure against the reports: a line
// per CPU, a table per kernel, every result's median in its CPU's column.
func TestWriteMarkdownByCPU(t *testing.T) {
	a, b := readReport(t, "testdata/a.json"), readReport(t, "testdata/b.json")
	a.Config.LoadStart, a.Config.LoadEnd = 13.2, 12.8 // 16 CPUs: not under load
	b.Config.LoadStart, b.Config.LoadEnd = 17.5, 16.1 // 16 CPUs: under load
	var buf bytes.Buffer
	if err := WriteMarkdownByCPU(&buf, []*Report{a, b}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	golden(t, "results.md.golden", buf.Bytes())
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "- **amd-26-2**: AMD EPYC") || strings.Contains(lines[0], "under load") {
		t.Errorf("first CPU line: %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "- **intel-6-143**: Intel") || !strings.Contains(lines[1], "recorded under load") {
		t.Errorf("second CPU line: %q", lines[1])
	}
	for _, k := range []string{"Sgemm, GFLOP/s:", "Sigmoid, Gelem/s:", "Axpy, Gelem/s:", "Dot, Gelem/s:"} {
		if !strings.Contains(out, "\n"+k+"\n") {
			t.Errorf("no table %q:\n%s", k, out)
		}
	}
	// Sgemm avx512 256³: 100 on A, 150 on B.
	if !strings.Contains(out, "| m=256,n=256,k=256 | avx512 |      100 |  87% |         150 | 107% |") {
		t.Errorf("Sgemm avx512 row missing or wrong:\n%s", out)
	}
	// One report alone is a table too.
	buf.Reset()
	if err := WriteMarkdownByCPU(&buf, []*Report{b}); err != nil || !strings.Contains(buf.String(), "| intel-6-143 |") {
		t.Errorf("one report: %v\n%s", err, buf.String())
	}
	buf.Reset()
	if err := WriteMarkdownByCPU(&buf, nil); err != nil || buf.String() != ReadmeNoResults+"\n" {
		t.Errorf("no reports: %v, %q", err, buf.String())
	}
}

// TestReadDir checks that a results directory is read in name order and
// that a report under another CPU's name is refused.
func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	for src, dst := range map[string]string{"testdata/a.json": "amd-26-2.json", "testdata/b.json": "intel-6-143.json"} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reps, paths, err := ReadDir(dir)
	if err != nil || len(reps) != 2 || filepath.Base(paths[0]) != "amd-26-2.json" || reps[1].Machine.Family != 6 {
		t.Fatalf("ReadDir: %v, %v", err, paths)
	}
	if err := os.Rename(filepath.Join(dir, "intel-6-143.json"), filepath.Join(dir, "intel-6-167.json")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "name it intel-6-143.json") {
		t.Errorf("misnamed report: %v", err)
	}
	if reps, _, err := ReadDir(t.TempDir()); err != nil || len(reps) != 0 {
		t.Errorf("empty directory: %v, %d reports", err, len(reps))
	}
	if _, _, err := ReadDir(filepath.Join(dir, "nosuch")); err == nil {
		t.Error("missing directory: no error")
	}
}

func TestUpdateReadme(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	text := "# x\n\nbefore\n" + ReadmeBegin + "\nold\n" + ReadmeEnd + "\nafter\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := UpdateReadme(path, []byte("new\ntables\n"))
	if err != nil || !changed {
		t.Fatalf("UpdateReadme: %v, %v", changed, err)
	}
	data, _ := os.ReadFile(path)
	if want := "# x\n\nbefore\n" + ReadmeBegin + "\nnew\ntables\n" + ReadmeEnd + "\nafter\n"; string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
	if body, err := ReadmeBlock(path); err != nil || body != "new\ntables" {
		t.Errorf("ReadmeBlock = %q, %v", body, err)
	}
	if changed, err := UpdateReadme(path, []byte("new\ntables")); err != nil || changed {
		t.Errorf("second update: %v, %v; want unchanged", changed, err)
	}
	if err := os.WriteFile(path, []byte("no block\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := UpdateReadme(path, []byte("x")); err == nil {
		t.Error("README without the block: no error")
	}
}

// TestReadmeCurrent checks that the README's generated speed tables are
// what `deltacore bench compare --readme README.md bench/results` makes of
// the reports in bench/results now.
func TestReadmeCurrent(t *testing.T) {
	body, err := ReadmeBlock("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	reps, _, err := ReadDir("results")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteMarkdownByCPU(&buf, reps); err != nil {
		t.Fatal(err)
	}
	want := buf.String()
	if strings.TrimRight(body, "\n") != strings.TrimRight(want, "\n") {
		t.Errorf("README.md's generated block is stale: run\n\tgo run ./cmd/deltacore bench compare --readme README.md bench/results\n--- README\n%s\n--- generated\n%s", body, want)
	}
}
