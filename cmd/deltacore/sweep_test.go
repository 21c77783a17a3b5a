package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp"
	"github.com/deltacore/deltacore/mlp/mnist"
	"github.com/deltacore/deltacore/mlp/study"
)

// runCommandEnv is runCommand with extra environment variables (and the
// shard variables of the test's own environment removed).
func runCommandEnv(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
		// Under qemu-user the test binary cannot start itself again
		// unless binfmt_misc is registered, which CI does not do.
		t.Skip("re-runs the test binary as the command: not under emulation")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"-test.run=^$", "--"}, args...)...)
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "SLURM_") && !strings.HasPrefix(e, "JOB_COMPLETION_INDEX=") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Env = append(append(cmd.Env, envRunMain+"=1"), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if err != nil {
		if x, ok := err.(*exec.ExitError); ok {
			return o.String(), e.String(), x.ExitCode()
		}
		t.Fatalf("deltacore %v: %v", args, err)
	}
	return o.String(), e.String(), 0
}

// tinyMNIST writes a 60-image, 6×5-pixel training set in MNIST's IDX format.
func tinyMNIST(t *testing.T) string {
	return fakeMNIST(t, 60, 6, 5)
}

// fakeMNIST writes an n-image, rows×cols-pixel training set in MNIST's IDX
// format.
func fakeMNIST(t *testing.T, n, rows, cols int) string {
	t.Helper()
	dir := t.TempDir()
	img := binary.BigEndian.AppendUint32(nil, 0x803)
	for _, d := range []int{n, rows, cols} {
		img = binary.BigEndian.AppendUint32(img, uint32(d))
	}
	lab := binary.BigEndian.AppendUint32(nil, 0x801)
	lab = binary.BigEndian.AppendUint32(lab, uint32(n))
	for i := 0; i < n; i++ {
		for p := 0; p < rows*cols; p++ {
			img = append(img, byte((i*37+p*11+(i*p)%13)%256))
		}
		lab = append(lab, byte(i*7%10))
	}
	if err := os.WriteFile(filepath.Join(dir, mnist.TrainImages), img, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, mnist.TrainLabels), lab, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func sweepArgs(data string) []string {
	return []string{"study", "sweep", "-data", data, "-images", "60", "-depths", "1,3,2", "-width", "6",
		"-init", "nielsen,glorot", "-activations", "sigmoid,tanh", "-optimizers", "sgd,momentum",
		"-seeds", "2", "-epochs", "2", "-batch", "20", "-quiet"}
}

func mustRun(t *testing.T, env []string, args ...string) string {
	t.Helper()
	out, errOut, code := runCommandEnv(t, env, args...)
	if code != 0 {
		t.Fatalf("deltacore %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Errorf("%s and %s differ", a, b)
	}
}

// TestSweepShardCommand runs a small sweep whole and in 3 shards, the shard
// taken from -shard, Slurm's environment and Kubernetes's, and checks that
// the merge writes the same CSV and JSON bytes, that a shard run twice does
// nothing, and how merge treats an incomplete set.
func TestSweepShardCommand(t *testing.T) {
	if testing.Short() || os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
		t.Skip("trains 48 small networks about 3 times over")
	}
	data := tinyMNIST(t)
	dir := t.TempDir()
	whole, shards, merged := filepath.Join(dir, "whole"), filepath.Join(dir, "shards"), filepath.Join(dir, "merged")
	out := mustRun(t, nil, append(sweepArgs(data), "-out", whole)...)
	if !strings.Contains(out, "GFLOP/s") || !strings.Contains(out, "Sweep: 48 runs") {
		t.Errorf("unsharded output lacks the run count or the FLOP rate:\n%s", out)
	}
	mustRun(t, nil, append(sweepArgs(data), "-out", shards, "-shard", "0/3")...)
	out = mustRun(t, []string{"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_MIN=0"}, append(sweepArgs(data), "-out", shards)...)
	if !strings.Contains(out, "shard 1/3 (from SLURM_ARRAY_TASK_ID") {
		t.Errorf("Slurm shard output:\n%s", out)
	}
	files := []string{filepath.Join(shards, "sweep-shard-0-of-3.json"), filepath.Join(shards, "sweep-shard-1-of-3.json"),
		filepath.Join(shards, "sweep-shard-2-of-3.json")}

	// Two of three shards: merge names the missing one and fails, -partial
	// writes sweep.partial.* and says so in provenance.json.
	out, errOut, code := runCommandEnv(t, nil, "study", "sweep", "merge", "-out", merged, files[0], files[1])
	if code == 0 || !strings.Contains(errOut, "missing shards (of 3): 2") || !strings.Contains(errOut, "incomplete") || !strings.Contains(errOut, "run ") {
		t.Errorf("merge of 2 of 3 shards: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(merged, "sweep.csv")); err == nil {
		t.Error("failed merge wrote sweep.csv")
	}
	_, errOut, code = runCommandEnv(t, nil, "study", "sweep", "merge", "-partial", "-out", merged, files[0], files[1])
	if code != 0 || !strings.Contains(errOut, "PARTIAL") {
		t.Errorf("merge -partial: exit %d\n%s", code, errOut)
	}
	var prov sweepProvenance
	b, err := os.ReadFile(filepath.Join(merged, "provenance.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &prov); err != nil || !prov.Partial || len(prov.MissingShards) != 1 || prov.Runs+len(prov.MissingRuns) != 48 {
		t.Errorf("partial provenance.json: %v %s", err, b)
	}
	if _, err := os.Stat(filepath.Join(merged, "sweep.partial.csv")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(merged, "sweep.csv")); err == nil {
		t.Error("merge -partial wrote sweep.csv")
	}

	out = mustRun(t, []string{"JOB_COMPLETION_INDEX=2"}, append(sweepArgs(data), "-out", shards, "-shards", "3")...)
	if !strings.Contains(out, "shard 2/3 (from JOB_COMPLETION_INDEX)") {
		t.Errorf("Kubernetes shard output:\n%s", out)
	}
	before, _ := os.ReadFile(files[2])
	out = mustRun(t, []string{"JOB_COMPLETION_INDEX=2"}, append(sweepArgs(data), "-out", shards, "-shards", "3")...)
	if !strings.Contains(out, "already done") {
		t.Errorf("second run of shard 2:\n%s", out)
	}
	if after, _ := os.ReadFile(files[2]); !bytes.Equal(before, after) {
		t.Error("second run of a finished shard changed its file")
	}

	out = mustRun(t, nil, append([]string{"study", "sweep", "merge", "-out", merged}, files...)...)
	sameFile(t, filepath.Join(whole, "sweep.csv"), filepath.Join(merged, "sweep.csv"))
	sameFile(t, filepath.Join(whole, "sweep.json"), filepath.Join(merged, "sweep.json"))
	for _, png := range []string{"sweep-ratio-tanh.png", "sweep-cost-sigmoid.png"} {
		if _, err := os.Stat(filepath.Join(merged, png)); err != nil {
			t.Error(err)
		}
	}
	b, _ = os.ReadFile(filepath.Join(merged, "provenance.json"))
	prov = sweepProvenance{}
	if err := json.Unmarshal(b, &prov); err != nil || prov.Partial || len(prov.RunInfo) != 48 || len(prov.Levels) != 1 || prov.RunInfo[5].Host == "" {
		t.Errorf("provenance.json: %v %s", err, b)
	}

	// A damaged file is named.
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, before[:len(before)-40], 0o644)
	_, errOut, code = runCommandEnv(t, nil, "study", "sweep", "merge", "-out", merged, files[0], files[1], bad)
	if code == 0 || !strings.Contains(errOut, bad) {
		t.Errorf("merge with a truncated file: exit %d\n%s", code, errOut)
	}
	// A shard of another grid is named.
	mustRun(t, nil, append(sweepArgs(data), "-out", filepath.Join(dir, "other"), "-shard", "2/3", "-eta", "0.2")...)
	other := filepath.Join(dir, "other", "sweep-shard-2-of-3.json")
	_, errOut, code = runCommandEnv(t, nil, "study", "sweep", "merge", "-out", merged, files[0], files[1], other)
	if code == 0 || !strings.Contains(errOut, other) || !strings.Contains(errOut, "different grid") {
		t.Errorf("merge with another grid's shard: exit %d\n%s", code, errOut)
	}
	// Resuming into another grid's file is refused.
	_, errOut, code = runCommandEnv(t, nil, append(sweepArgs(data), "-out", filepath.Join(dir, "other"), "-shard", "2/3")...)
	if code == 0 || !strings.Contains(errOut, "different grid") {
		t.Errorf("shard into another grid's file: exit %d\n%s", code, errOut)
	}
}

// TestSweepShardKilled stops a shard twice while it runs, first with
// SIGTERM (Slurm's preemption and time limit, Kubernetes's eviction: the
// finished runs are written before it exits), then with SIGKILL (nothing
// can be done then: the last complete file stays), and restarts it each
// time; the restarts resume, and the merged result is byte-identical to
// the unsharded sweep's.
func TestSweepShardKilled(t *testing.T) {
	if testing.Short() || os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
		t.Skip("trains 24 networks of about 0.1 s each three times")
	}
	if deltacore.CurrentLevel().String() == "generic" {
		t.Skip("at the generic level the runs take 17 times longer; resuming does not depend on the level and is tested at the others")
	}
	data := fakeMNIST(t, 1500, 14, 14)
	args := []string{"study", "sweep", "-data", data, "-images", "1500", "-depths", "2,3", "-width", "64",
		"-init", "nielsen,glorot", "-activations", "sigmoid,relu", "-optimizers", "sgd", "-seeds", "3",
		"-epochs", "6", "-batch", "50", "-threads", "1", "-quiet"}
	dir := t.TempDir()
	shards := filepath.Join(dir, "shards")
	path := filepath.Join(shards, "sweep-shard-0-of-1.json")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	runs := func() int {
		f, err := study.LoadShardFile(path)
		if err != nil {
			return 0 // not there yet: files are replaced whole, never seen half-written
		}
		return len(f.Runs)
	}
	// stopAfter starts the shard, waits until its file holds more than
	// `after` runs, sends sig and returns the exit code, the runs in the
	// file when the signal was sent and what the command wrote.
	stopAfter := func(after int, sig os.Signal) (code, seen int, out string) {
		cmd := exec.Command(exe, append([]string{"-test.run=^$", "--"}, append(args, "-out", shards, "-shard", "0/1")...)...)
		cmd.Env = append(os.Environ(), envRunMain+"=1")
		var o bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &o
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		for seen = runs(); seen <= after && seen < 24; seen = runs() {
			select {
			case <-exited:
				t.Fatalf("the shard finished before it could be stopped (after %d runs):\n%s", after, o.String())
			case <-time.After(2 * time.Millisecond):
			}
		}
		cmd.Process.Signal(sig)
		<-exited
		return cmd.ProcessState.ExitCode(), seen, o.String()
	}
	code, seen, out := stopAfter(0, syscall.SIGTERM)
	if code != 1 || !strings.Contains(out, "interrupted") || !strings.Contains(out, "run the same command again to resume") {
		t.Fatalf("SIGTERM: exit %d\n%s", code, out)
	}
	saved := runs()
	if saved < seen || saved >= 24 {
		t.Fatalf("after SIGTERM the file holds %d runs (%d before the signal, 24 in all)", saved, seen)
	}
	_, seen2, out := stopAfter(saved, syscall.SIGKILL)
	if !strings.Contains(out, fmt.Sprintf("%d of 24 runs already done", saved)) {
		t.Errorf("the restart after SIGTERM does not say it resumes %d runs:\n%s", saved, out)
	}
	killed := runs()
	t.Logf("SIGTERM after %d runs: %d saved; SIGKILL after %d runs: %d in the file", seen, saved, seen2, killed)
	if killed < seen2 || (killed == 24 && seen2 < 24) {
		t.Fatalf("after SIGKILL the file holds %d runs (%d seen before the signal)", killed, seen2)
	}
	if killed == 24 {
		t.Log("the shard finished before SIGKILL reached it (a fast machine): its resume is not exercised")
	}
	out = mustRun(t, nil, append(args, "-out", shards, "-shard", "0/1")...)
	if !strings.Contains(out, fmt.Sprintf("(%d resumed)", killed)) {
		t.Errorf("the restart after SIGKILL does not say it resumed %d runs:\n%s", killed, out)
	}
	mustRun(t, nil, append(args, "-out", filepath.Join(dir, "whole"))...)
	mustRun(t, nil, "study", "sweep", "merge", "-out", filepath.Join(dir, "merged"), path)
	sameFile(t, filepath.Join(dir, "whole", "sweep.csv"), filepath.Join(dir, "merged", "sweep.csv"))
	sameFile(t, filepath.Join(dir, "whole", "sweep.json"), filepath.Join(dir, "merged", "sweep.json"))
}

// TestSweepShardFlags: bad shard flags and environments are clear errors
// that exit 1 before any work; -h documents sharding and merge.
func TestSweepShardFlags(t *testing.T) {
	if os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
		t.Skip("runs the command in child processes, which qemu-user cannot start without binfmt; TestResolveShard covers the logic")
	}
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"-shard", "4/4"}, "0 ≤ K < N"},
		{nil, []string{"-shard", "x"}, "want K/N"},
		{nil, []string{"-shard", "1/x"}, "want K/N"},
		{nil, []string{"-shard", "-1/3"}, "0 ≤ K < N"},
		{nil, []string{"-shard", "0/0"}, "N ≥ 1"},
		{nil, []string{"-shard", "1/3", "-shards", "4"}, "disagree"},
		{nil, []string{"-shards", "3"}, "without JOB_COMPLETION_INDEX"},
		{nil, []string{"-shards", "-2"}, "want N ≥ 1"},
		{[]string{"JOB_COMPLETION_INDEX=1"}, nil, "give -shards N"},
		{[]string{"JOB_COMPLETION_INDEX=3"}, []string{"-shards", "3"}, "not below -shards 3"},
		{[]string{"JOB_COMPLETION_INDEX=one"}, []string{"-shards", "3"}, "not an integer"},
		{[]string{"SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_COUNT=4", "SLURM_ARRAY_TASK_MIN=0"}, nil, "--array=0-3"},
		{[]string{"SLURM_ARRAY_TASK_ID=1"}, nil, "SLURM_ARRAY_TASK_COUNT is not"},
		{[]string{"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_COUNT=4"}, []string{"-shards", "3"}, "Slurm array has 4 tasks"},
		{nil, []string{"stray"}, "unexpected argument"},
	} {
		args := append([]string{"study", "sweep", "-data", "/nonexistent"}, c.args...)
		_, errOut, code := runCommandEnv(t, c.env, args...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v %v: exit %d, stderr %q; want exit 1 and %q", c.env, c.args, code, errOut, c.want)
		}
	}
	_, errOut, code := runCommandEnv(t, nil, "study", "sweep", "merge")
	if code != 1 || !strings.Contains(errOut, "no shard files") {
		t.Errorf("merge without files: exit %d, %q", code, errOut)
	}
	_, errOut, code = runCommandEnv(t, nil, "study", "sweep", "-h")
	for _, w := range []string{"-shard K/N", "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "merge", "-partial", "-shards N"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("sweep -h does not mention %q:\n%s", w, errOut)
		}
	}
	if code != 0 {
		t.Errorf("sweep -h: exit %d", code)
	}
	_, errOut, _ = runCommandEnv(t, nil, "study", "sweep", "merge", "-h")
	if !strings.Contains(errOut, "provenance.json") || !strings.Contains(errOut, "-partial") {
		t.Errorf("sweep merge -h:\n%s", errOut)
	}
}

func TestResolveShard(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		flag   string
		shards int
		get    func(string) string
		k, n   int
	}{
		{"", 0, env(), 0, 0},
		{"2/5", 0, env("SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_COUNT", "4"), 2, 5}, // the flag wins
		{"", 0, env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4"), 3, 4},
		{"", 0, env("SLURM_ARRAY_TASK_ID", "8", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "5"), 3, 4},
		{"", 6, env("JOB_COMPLETION_INDEX", "5"), 5, 6},
		{" 1 / 2 ", 2, env(), 1, 2},
	} {
		k, n, _, err := resolveShard(c.flag, c.shards, c.get)
		if err != nil || k != c.k || n != c.n {
			t.Errorf("resolveShard(%q, %d): %d/%d, %v; want %d/%d", c.flag, c.shards, k, n, err, c.k, c.n)
		}
	}
}

// BenchmarkSweepMerge1000 merges 10 synthetic shard files holding a
// 1000-run grid (5 depths × 2 initialisers × 2 activations × 2 optimisers ×
// 25 seeds) as `deltacore study sweep merge` does: read and check the files,
// then write sweep.csv, sweep.json, the 4 plots and provenance.json.
// "check" is the reading and checking alone.
//
//	go test ./cmd/deltacore -run '^$' -bench SweepMerge1000
func BenchmarkSweepMerge1000(b *testing.B) {
	data := &mlp.Dataset{X: make([]float32, 20*8), Inputs: 8, Labels: make([]int, 20), Outputs: 10}
	cfg := study.SweepConfig{Inputs: 8, Outputs: 10, Width: 30, Depths: []int{1, 2, 3, 4, 5},
		Inits:       []mlp.Initializer{mlp.NielsenDefault, mlp.GlorotNormalized},
		Activations: []mlp.Activation{mlp.Sigmoid, mlp.Tanh},
		Optimizers:  []study.Optimizer{study.OptSGD, study.OptMomentum}, Seeds: 25, Epochs: 5, Batch: 10, Eta: 0.1, Mu: 0.9}
	g := study.NewSweepGrid(data, cfg)
	runs := g.Runs()
	if len(runs) != 1000 {
		b.Fatalf("%d runs", len(runs))
	}
	const n = 10
	dir := b.TempDir()
	assign := g.AssignShards(n)
	var paths []string
	for k := 0; k < n; k++ {
		f := &study.ShardFile{Format: study.ShardFormat, Version: "bench", Grid: g, GridHash: g.Hash(), Shard: k, Shards: n}
		for i, r := range runs {
			if assign[i] != k {
				continue
			}
			f.Assigned = append(f.Assigned, i)
			x := float64(i+1) / 1001
			for l := 0; l < r.Depth; l++ {
				r.SpeedsInit = append(r.SpeedsInit, x/float64(l+1))
				r.SpeedsEnd = append(r.SpeedsEnd, x/float64(l+2))
			}
			r.RatioInit, r.RatioEnd = r.SpeedsInit[0]/r.SpeedsInit[r.Depth-1], r.SpeedsEnd[0]/r.SpeedsEnd[r.Depth-1]
			r.CostInit, r.Cost, r.Accuracy = 3+x, 1+x, 0.5+x/3
			f.Runs = append(f.Runs, study.ShardRun{Index: i, Level: "avx512", CPU: "bench CPU", Host: "node-1",
				Start: "2026-01-01T00:00:00Z", WallSeconds: 12.5, FLOPs: g.RunFLOPs(r.Depth), Result: r})
		}
		p := study.ShardPath(dir, k, n)
		if err := f.Save(p); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	b.Run("check", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			m, err := study.MergeShards(paths)
			if err != nil || !m.Complete() {
				b.Fatal(err)
			}
		}
	})
	b.Run("check+write", func(b *testing.B) {
		out := b.TempDir()
		for i := 0; i < b.N; i++ {
			m, err := study.MergeShards(paths)
			if err != nil || !m.Complete() {
				b.Fatal(err)
			}
			if _, err := writeSweep(out, m.PresentRuns(), sweepProvenance{Runs: len(m.Runs)}, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}
