package study

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/deltacore/deltacore/mlp"
)

// shardTestGrid is a tiny grid with depths of different cost.
func shardTestGrid() (*mlp.Dataset, SweepConfig) {
	data := testData(40, 12, 4)
	cfg := SweepConfig{Inputs: 12, Outputs: 4, Width: 5, Depths: []int{1, 3, 2},
		Inits:       []mlp.Initializer{mlp.NielsenDefault, fixedInit{}},
		Activations: []mlp.Activation{mlp.Sigmoid, mlp.ReLU},
		Optimizers:  []Optimizer{OptSGD, OptNesterov},
		Seeds:       2, Epochs: 2, Batch: 10, Eta: 0.1, Mu: 0.9, Threads: 2}
	return data, cfg
}

// sweepBytes writes runs as the sweep command does and returns the CSV and
// JSON bytes.
func sweepBytes(t *testing.T, runs []SweepRun) (csv, js []byte) {
	t.Helper()
	dir := t.TempDir()
	h, rows := SweepRows(runs)
	if err := WriteCSV(filepath.Join(dir, "s.csv"), h, rows); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(filepath.Join(dir, "s.json"), runs); err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "s.csv"))
	if err != nil {
		t.Fatal(err)
	}
	js, err = os.ReadFile(filepath.Join(dir, "s.json"))
	if err != nil {
		t.Fatal(err)
	}
	return csv, js
}

func runShards(t *testing.T, data *mlp.Dataset, cfg SweepConfig, dir string, n int, version string) []string {
	t.Helper()
	var paths []string
	for k := 0; k < n; k++ {
		p := ShardPath(dir, k, n)
		if _, err := RunShard(context.Background(), data, cfg, ShardConfig{Shard: k, Shards: n, Path: p, Version: version}); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestShardMergeByteIdentical: N shards, merged, write the same CSV and
// JSON bytes as one unsharded sweep, for several N (including more shards
// than runs of some cost) and thread counts.
func TestShardMergeByteIdentical(t *testing.T) {
	data, cfg := shardTestGrid()
	ref, err := Sweep(data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	refCSV, refJSON := sweepBytes(t, ref)
	for _, n := range []int{1, 3, 5} {
		cfg := cfg
		cfg.Threads = n%2 + 1
		paths := runShards(t, data, cfg, t.TempDir(), n, "v-test")
		m, err := MergeShards(paths)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Complete() || len(m.MissingShards) != 0 {
			t.Fatalf("N=%d: incomplete: %s", n, m.MissingSummary(0))
		}
		for i, r := range m.Info {
			if r.Level == "" || r.CPU == "" || r.Index != i {
				t.Errorf("N=%d: run %d: level %q cpu %q index %d", n, i, r.Level, r.CPU, r.Index)
			}
		}
		csv, js := sweepBytes(t, m.PresentRuns())
		if !bytes.Equal(csv, refCSV) || !bytes.Equal(js, refJSON) {
			t.Errorf("N=%d: merged CSV/JSON differ from the unsharded sweep's", n)
		}
	}
}

// TestAssignShards checks the assignment against its definition: every run
// in exactly one shard, deterministic, and balanced as longest-processing-
// time-first guarantees: no shard exceeds the lightest by more than the
// costliest run.
func TestAssignShards(t *testing.T) {
	data, cfg := shardTestGrid()
	cfg.Depths = []int{1, 2, 3, 4, 5}
	cfg.Seeds = 3
	g := NewSweepGrid(data, cfg)
	runs := g.Runs()
	if len(runs) != 5*2*2*2*3 {
		t.Fatalf("%d runs", len(runs))
	}
	for _, n := range []int{1, 2, 3, 7, 16, 200} {
		a := g.AssignShards(n)
		if !slices.Equal(a, g.AssignShards(n)) {
			t.Fatal("assignment not deterministic")
		}
		load := make([]int64, n)
		var maxRun int64
		for i, k := range a {
			if k < 0 || k >= n {
				t.Fatalf("run %d in shard %d of %d", i, k, n)
			}
			// The cost from its definition: weights times (6 per epoch + 16) per sample.
			d := runs[i].Depth
			w := int64(12*5 + (d-1)*25 + 5*4)
			c := w * int64(6*cfg.Epochs+16) * int64(data.Len())
			if c != g.RunFLOPs(d) {
				t.Fatalf("depth %d: RunFLOPs %d, want %d", d, g.RunFLOPs(d), c)
			}
			load[k] += c
			maxRun = max(maxRun, c)
		}
		if n <= len(runs) && slices.Max(load)-slices.Min(load) > maxRun {
			t.Errorf("N=%d: loads %v differ by more than the costliest run %d", n, load, maxRun)
		}
	}
}

// TestShardResume: a shard whose file holds some finished runs (as after a
// kill) trains only the others, and ends with the unsharded results; run
// again, it trains nothing and changes no result.
func TestShardResume(t *testing.T) {
	data, cfg := shardTestGrid()
	ref, err := Sweep(data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := ShardPath(dir, 1, 2)
	sc := ShardConfig{Shard: 1, Shards: 2, Path: p, Version: "v-test"}
	rep, err := RunShard(context.Background(), data, cfg, sc)
	if err != nil {
		t.Fatal(err)
	}
	all := len(rep.File.Assigned)
	if rep.Ran != all || all < 4 {
		t.Fatalf("ran %d of %d", rep.Ran, all)
	}
	// Keep the first 3 runs, with scribbled results for the other ones'
	// places, as a killed shard leaves them.
	f, err := LoadShardFile(p)
	if err != nil {
		t.Fatal(err)
	}
	kept := slices.Clone(f.Runs[:3])
	f.Runs = f.Runs[:3]
	if err := f.Save(p); err != nil {
		t.Fatal(err)
	}
	var calls int
	cfg.Progress = func(n int) { calls += n }
	rep, err = RunShard(context.Background(), data, cfg, sc)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 3 || rep.Ran != all-3 || calls != all-3 {
		t.Fatalf("resumed %d, ran %d, progress %d; want 3, %d, %d", rep.Resumed, rep.Ran, calls, all-3, all-3)
	}
	f, err = LoadShardFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f.Runs[:3], kept) {
		t.Error("resuming changed the finished runs' records")
	}
	for _, r := range f.Runs {
		if !reflect.DeepEqual(r.Result, ref[r.Index]) {
			t.Errorf("run %d differs from the unsharded sweep after resuming", r.Index)
		}
	}
	before, _ := os.ReadFile(p)
	rep, err = RunShard(context.Background(), data, cfg, sc)
	if err != nil || rep.Ran != 0 || rep.Resumed != all {
		t.Fatalf("second run of a finished shard: ran %d, resumed %d, %v", rep.Ran, rep.Resumed, err)
	}
	after, _ := os.ReadFile(p)
	var b1, b2 ShardFile
	json.Unmarshal(before, &b1)
	json.Unmarshal(after, &b2)
	if !reflect.DeepEqual(b1.Runs, b2.Runs) {
		t.Error("running a finished shard again changed its runs")
	}

	// A cancelled shard saves what it finished and says so.
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Progress = func(int) { cancel() }
	p2 := ShardPath(dir, 0, 2)
	_, err = RunShard(ctx, data, cfg, ShardConfig{Shard: 0, Shards: 2, Path: p2, Version: "v-test"})
	if err != context.Canceled {
		t.Fatalf("cancelled shard: %v", err)
	}
	f, err = LoadShardFile(p2)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Runs) < 1 {
		t.Fatal("cancelled shard saved no finished run")
	}
	for _, r := range f.Runs {
		if !reflect.DeepEqual(r.Result, ref[r.Index]) {
			t.Errorf("run %d of the cancelled shard differs from the unsharded sweep", r.Index)
		}
	}
}

// TestShardResumeRefuses: an existing file of another grid, version or
// shard, or a damaged one, is an error and stays as it was.
func TestShardResumeRefuses(t *testing.T) {
	data, cfg := shardTestGrid()
	dir := t.TempDir()
	p := ShardPath(dir, 0, 2)
	if _, err := RunShard(context.Background(), data, cfg, ShardConfig{Shard: 0, Shards: 2, Path: p, Version: "v1"}); err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(p)
	other := cfg
	other.Eta = 0.2
	for _, c := range []struct {
		name string
		cfg  SweepConfig
		sc   ShardConfig
		want string
	}{
		{"grid", other, ShardConfig{Shard: 0, Shards: 2, Path: p, Version: "v1"}, "different grid"},
		{"version", cfg, ShardConfig{Shard: 0, Shards: 2, Path: p, Version: "v2"}, "written by deltacore v1"},
		{"shard", cfg, ShardConfig{Shard: 1, Shards: 2, Path: p, Version: "v1"}, "is shard 0/2"},
	} {
		_, err := RunShard(context.Background(), data, c.cfg, c.sc)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want one naming %s and saying %q", c.name, err, p, c.want)
		}
		if now, _ := os.ReadFile(p); !bytes.Equal(now, orig) {
			t.Errorf("%s: the file was changed", c.name)
		}
	}
	os.WriteFile(p, orig[:len(orig)/2], 0o644)
	if _, err := RunShard(context.Background(), data, cfg, ShardConfig{Shard: 0, Shards: 2, Path: p, Version: "v1"}); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("truncated file: %v", err)
	}
	if _, err := RunShard(context.Background(), data, cfg, ShardConfig{Shard: 2, Shards: 2, Path: p}); err == nil {
		t.Error("no error for shard 2/2")
	}
}

// TestMergeFaults: every way shard files can fail to belong together is
// an error naming the file; missing shards and runs are listed.
func TestMergeFaults(t *testing.T) {
	data, cfg := shardTestGrid()
	dir := t.TempDir()
	paths := runShards(t, data, cfg, dir, 3, "v1")
	runs := NewSweepGrid(data, cfg).Runs()
	copyTo := func(name string, edit func(b []byte) []byte) string {
		b, err := os.ReadFile(paths[1])
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, edit(b), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	otherCfg := cfg
	otherCfg.Seeds = 3
	otherGrid := runShards(t, data, otherCfg, t.TempDir(), 3, "v1")
	otherVersion := runShards(t, data, cfg, t.TempDir(), 3, "v2")
	otherN := runShards(t, data, cfg, t.TempDir(), 4, "v1")
	truncated := copyTo("truncated.json", func(b []byte) []byte { return b[:len(b)*2/3] })
	// Change one digit of a result: still valid JSON, caught by the checksum.
	corrupted := copyTo("corrupted.json", func(b []byte) []byte {
		i := bytes.Index(b, []byte(`"cost": `)) + len(`"cost": `) + 2
		b = slices.Clone(b)
		if b[i] == '7' {
			b[i] = '8'
		} else {
			b[i] = '7'
		}
		return b
	})
	notJSON := copyTo("garbage.json", func([]byte) []byte { return []byte("not json\n") })
	for _, c := range []struct {
		name  string
		files []string
		bad   string // the file the error must name
		want  string
	}{
		{"grid", []string{paths[0], otherGrid[1], paths[2]}, otherGrid[1], "different grid"},
		{"version", []string{paths[0], paths[1], otherVersion[2]}, otherVersion[2], "v2"},
		{"shard count", []string{paths[0], otherN[1]}, otherN[1], "of 4"},
		{"truncated", []string{paths[0], truncated, paths[2]}, truncated, "truncated"},
		{"corrupted", []string{paths[0], corrupted, paths[2]}, corrupted, "checksum"},
		{"garbage", []string{notJSON, paths[1]}, notJSON, "not a complete shard file"},
		{"twice", []string{paths[0], paths[1], paths[1], paths[2]}, paths[1], "given twice"},
		{"missing file", []string{paths[0], filepath.Join(dir, "nope.json")}, filepath.Join(dir, "nope.json"), "no such file"},
	} {
		_, err := MergeShards(c.files)
		if err == nil || !strings.Contains(err.Error(), c.bad) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v; want one naming %s and saying %q", c.name, err, c.bad, c.want)
		}
	}

	// Shard 1 missing, and shard 2 killed after one run.
	f, err := LoadShardFile(paths[2])
	if err != nil {
		t.Fatal(err)
	}
	f.Runs = f.Runs[:1]
	killed := filepath.Join(dir, "killed.json")
	if err := f.Save(killed); err != nil {
		t.Fatal(err)
	}
	m, err := MergeShards([]string{paths[0], killed})
	if err != nil {
		t.Fatal(err)
	}
	assign := NewSweepGrid(data, cfg).AssignShards(3)
	var want []int
	for i, k := range assign {
		if k == 1 || (k == 2 && i != f.Runs[0].Index) {
			want = append(want, i)
		}
	}
	if m.Complete() || !slices.Equal(m.MissingShards, []int{1}) || !slices.Equal(m.MissingRuns, want) {
		t.Fatalf("missing shards %v runs %v; want [1] and %v", m.MissingShards, m.MissingRuns, want)
	}
	sum := m.MissingSummary(0)
	if !strings.Contains(sum, "missing shards (of 3): 1") || !strings.Contains(sum, runName(want[0], runs[want[0]])) {
		t.Errorf("summary does not name the missing shard and runs:\n%s", sum)
	}
	if got := len(m.PresentRuns()); got != len(runs)-len(want) {
		t.Errorf("%d present runs, want %d", got, len(runs)-len(want))
	}
}

// TestSweepRunJSON: a diverged run (NaN, no end speeds) and an infinite
// value survive the JSON round trip bit for bit.
func TestSweepRunJSON(t *testing.T) {
	in := []SweepRun{
		{Depth: 2, Init: "glorot", Activation: "relu", Optimizer: OptNesterov, Seed: 3, SpeedsInit: []float64{1e-300, math.Inf(1)},
			RatioInit: 0.1, RatioEnd: math.NaN(), CostInit: math.Inf(-1), Cost: math.NaN(), Accuracy: math.NaN(), Diverged: true},
		{Depth: 1, SpeedsInit: []float64{}, SpeedsEnd: []float64{0.30000000000000004}, Cost: math.Copysign(0, -1), Accuracy: 5e-324},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out []SweepRun
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	bits := func(rs []SweepRun) []uint64 {
		var u []uint64
		for _, r := range rs {
			for _, v := range append(append([]float64{r.RatioInit, r.RatioEnd, r.CostInit, r.Cost, r.Accuracy}, r.SpeedsInit...), r.SpeedsEnd...) {
				u = append(u, math.Float64bits(v))
			}
			u = append(u, uint64(len(r.SpeedsInit)), uint64(len(r.SpeedsEnd)))
		}
		return u
	}
	if !slices.Equal(bits(in), bits(out)) || out[0].SpeedsEnd != nil || out[1].SpeedsInit == nil || out[0].Init != "glorot" ||
		out[0].Optimizer != OptNesterov || !out[0].Diverged || out[0].Seed != 3 {
		t.Errorf("round trip changed the runs:\n%s\n%+v", b, out)
	}
	if !strings.Contains(string(b), `"cost":"NaN"`) || !strings.Contains(string(b), `"speeds_end":null`) {
		t.Errorf("unexpected encoding %s", b)
	}
}

// TestSweepFiguresOneDepth: a sweep of one depth (a line of one point per
// series, the same value on a log axis) plots; gonum used to widen such an
// axis below zero and panic, after the CSV and JSON were written.
func TestSweepFiguresOneDepth(t *testing.T) {
	runs := []SweepRun{
		{Depth: 5, Init: "glorot", Activation: "tanh", Optimizer: OptSGD, RatioInit: 0.1, Cost: 3},
		{Depth: 5, Init: "glorot", Activation: "tanh", Optimizer: OptSGD, Seed: 1, RatioInit: 0.1, Cost: 3},
	}
	figs := SweepFigures(SummariseSweep(runs))
	if len(figs) != 2 {
		t.Fatalf("%d figures", len(figs))
	}
	dir := t.TempDir()
	for name, f := range figs {
		p := filepath.Join(dir, name+".png")
		if err := f.SavePNG(p); err != nil {
			t.Fatal(err)
		}
		checkPNG(t, p)
	}
}
