package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func trainabilityArgs(data string) []string {
	return []string{"study", "trainability", "-data", data, "-images", "60", "-eval", "40", "-depths", "2,4,3",
		"-sigma-w2", "1,1.76,4", "-width", "6", "-steps", "12", "-batch", "10", "-eta", "0.05", "-threshold", "0.15", "-quiet"}
}

// TestTrainabilityShardCommand: the trainability grid run whole and in 3
// shards (from -shard and from Slurm's environment), merged by `study
// trainability merge` and by `study sweep merge`, writes the same
// trainability.json and .csv bytes; the verdict is there; an incomplete set
// is refused with the missing shard named, and written only with -partial.
func TestTrainabilityShardCommand(t *testing.T) {
	if testing.Short() || os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
		t.Skip("trains 9 small networks 3 times over")
	}
	data := tinyMNIST(t)
	dir := t.TempDir()
	whole, shards := filepath.Join(dir, "whole"), filepath.Join(dir, "shards")
	out := mustRun(t, nil, append(trainabilityArgs(data), "-out", whole)...)
	for _, want := range []string{"P1", "P4", "GFLOP/s", "6ξ_c"} {
		if !strings.Contains(out, want) {
			t.Errorf("unsharded output lacks %q:\n%s", want, out)
		}
	}
	var res trainabilityResult
	b, err := os.ReadFile(filepath.Join(whole, "trainability.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil || len(res.Cells) != 9 || res.Verdict == nil || res.Partial {
		t.Fatalf("trainability.json: %v, %d cells, verdict %v", err, len(res.Cells), res.Verdict)
	}
	mustRun(t, nil, append(trainabilityArgs(data), "-out", shards, "-shard", "0/3")...)
	mustRun(t, []string{"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_COUNT=3"}, append(trainabilityArgs(data), "-out", shards)...)
	files := []string{filepath.Join(shards, "sweep-shard-0-of-3.json"), filepath.Join(shards, "sweep-shard-1-of-3.json")}
	// Two of three shards: refused, then written as partial.
	m := filepath.Join(dir, "partial")
	_, errOut, code := runCommand(t, "study", "trainability", "merge", "-out", m, files[0], files[1])
	if code == 0 || !strings.Contains(errOut, "missing shards (of 3): 2") {
		t.Errorf("incomplete merge: exit %d, stderr:\n%s", code, errOut)
	}
	mustRun(t, nil, "study", "trainability", "merge", "-partial", "-out", m, files[0], files[1])
	if _, err := os.Stat(filepath.Join(m, "trainability.partial.json")); err != nil {
		t.Error(err)
	}
	mustRun(t, nil, append(trainabilityArgs(data), "-out", shards, "-shard", "2/3")...)
	again := mustRun(t, nil, append(trainabilityArgs(data), "-out", shards, "-shard", "2/3")...)
	if !strings.Contains(again, "already done") {
		t.Errorf("a finished shard run again did not say so:\n%s", again)
	}
	files = append(files, filepath.Join(shards, "sweep-shard-2-of-3.json"))
	for _, merge := range [][]string{
		{"study", "trainability", "merge"},
		{"study", "sweep", "merge"},
		{"study", "trainability", "-merge", strings.Join(files, ",")},
	} {
		dst := filepath.Join(dir, strings.Join(merge, "_"))
		args := append(merge, "-out", dst)
		if len(merge) == 3 && merge[2] == "merge" {
			args = append(args, files...)
		}
		out := mustRun(t, nil, args...)
		if !strings.Contains(out, "P3") {
			t.Errorf("%v: no verdict printed:\n%s", merge, out)
		}
		for _, f := range []string{"trainability.json", "trainability.csv"} {
			sameFile(t, filepath.Join(whole, f), filepath.Join(dst, f))
		}
	}
	// Shards of a plain sweep are not a trainability grid.
	sw := filepath.Join(dir, "sweep")
	mustRun(t, nil, append(sweepArgs(data), "-out", sw, "-shard", "0/1")...)
	if _, errOut, code := runCommand(t, "study", "trainability", "merge", "-out", sw, filepath.Join(sw, "sweep-shard-0-of-1.json")); code == 0 || !strings.Contains(errOut, "not of a trainability grid") {
		t.Errorf("trainability merge of sweep shards: exit %d, %s", code, errOut)
	}
}
