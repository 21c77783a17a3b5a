package study

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp"
	"github.com/klauspost/cpuid/v2"
)

// SweepGrid describes a sweep completely: everything its results depend on
// except the ISA level the kernels run at. Its Hash names the grid in shard
// files, so that shards of different grids are never merged.
type SweepGrid struct {
	Inputs      int         `json:"inputs"`
	Outputs     int         `json:"outputs"`
	Width       int         `json:"width"`
	Depths      []int       `json:"depths"`
	Inits       []string    `json:"inits"`
	Activations []string    `json:"activations"`
	Optimizers  []Optimizer `json:"optimizers"`
	Seeds       int         `json:"seeds"`
	Epochs      int         `json:"epochs"`
	Batch       int         `json:"batch"`
	Eta         float64     `json:"eta"`
	Lambda      float64     `json:"lambda"`
	Mu          float64     `json:"mu"`
	// Samples is the number of training samples and DataCRC their CRC-32C
	// and CRC-32 (sizes, inputs' float32 bits and labels).
	Samples int    `json:"samples"`
	DataCRC string `json:"data_crc"`
	// Trainability is set for a trainability grid (SweepConfig.Trainability)
	// and absent from the JSON of other sweeps, whose hashes it leaves as
	// they were.
	Trainability *TrainabilitySpec `json:"trainability,omitempty"`
}

// NewSweepGrid returns the description of the sweep of cfg on data.
func NewSweepGrid(data *mlp.Dataset, cfg SweepConfig) SweepGrid {
	g := SweepGrid{Inputs: cfg.Inputs, Outputs: cfg.Outputs, Width: cfg.Width, Depths: slices.Clone(cfg.Depths),
		Optimizers: slices.Clone(cfg.Optimizers), Seeds: cfg.Seeds, Epochs: cfg.Epochs, Batch: cfg.Batch,
		Eta: cfg.Eta, Lambda: cfg.Lambda, Mu: cfg.Mu, Samples: data.Len(), DataCRC: datasetHash(data)}
	if t := cfg.Trainability; t != nil {
		c := *t
		c.SigmaW2s = slices.Clone(t.SigmaW2s)
		g.Trainability = &c
	}
	for _, in := range cfg.Inits {
		g.Inits = append(g.Inits, in.String())
	}
	for _, a := range cfg.Activations {
		g.Activations = append(g.Activations, a.String())
	}
	return g
}

// datasetHash fingerprints the data with two CRC-32s of different
// polynomials (Castagnoli and IEEE, both in hardware on amd64 and arm64)
// over the sizes, the inputs' float32 bits and the labels: a 64-bit check
// against using other data by mistake, fast enough (about 1 ms for 1000
// MNIST images) to cost nothing per shard. It is not meant to resist
// deliberate collisions.
func datasetHash(d *mlp.Dataset) string {
	c, e := crc32.New(crc32.MakeTable(crc32.Castagnoli)), crc32.NewIEEE()
	w := io.MultiWriter(c, e)
	var b []byte
	for _, v := range []int{d.Len(), d.Inputs, d.Outputs} {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	w.Write(b)
	if len(d.X) > 0 && binary.NativeEndian.Uint16([]byte{1, 0}) == 1 {
		// Little-endian: the float32s' memory is their encoding.
		w.Write(unsafe.Slice((*byte)(unsafe.Pointer(&d.X[0])), 4*len(d.X)))
	} else {
		for _, x := range d.X {
			w.Write(binary.LittleEndian.AppendUint32(b[:0], math.Float32bits(x)))
		}
	}
	b = b[:0]
	for _, l := range d.Labels {
		b = binary.LittleEndian.AppendUint64(b, uint64(l))
	}
	w.Write(b)
	return fmt.Sprintf("crc32c:%08x,crc32:%08x", c.Sum32(), e.Sum32())
}

// Hash returns the hex SHA-256 of the grid's JSON encoding.
func (g SweepGrid) Hash() string {
	b, err := json.Marshal(g)
	if err != nil {
		panic(err) // only ints, strings and finite floats
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Runs returns the grid's runs in grid order (depth, initialiser,
// activation, optimiser, seed, the last varying fastest), with only their
// grid point and seed set. A run's index in this list names it in shard
// files.
func (g SweepGrid) Runs() []SweepRun {
	var runs []SweepRun
	for _, d := range g.Depths {
		for _, in := range g.Inits {
			for _, a := range g.Activations {
				for _, o := range g.Optimizers {
					for s := 0; s < g.Seeds; s++ {
						runs = append(runs, SweepRun{Depth: d, Init: in, Activation: a, Optimizer: o, Seed: s})
					}
				}
			}
		}
	}
	return runs
}

// RunFLOPs estimates the floating-point operations of one run of depth d:
// 6 per weight and sample for each epoch of training (2 forward, 4 backward),
// 6 for each of the two whole-data gradients of the speeds and 2 for each of
// the two evaluations. Biases and activations are left out. For a
// trainability grid it is trainabilityRunFLOPs.
func (g SweepGrid) RunFLOPs(d int) int64 {
	if t := g.Trainability; t != nil {
		return trainabilityRunFLOPs(g.Inputs, g.Width, g.Outputs, d, t.Steps, g.Batch, t.EvalImages)
	}
	return runFLOPs(g.Inputs, g.Width, g.Outputs, d, g.Epochs, g.Samples)
}

// runFLOPs is SweepGrid.RunFLOPs for the grid of c on samples samples.
func (c SweepConfig) runFLOPs(d, samples int) int64 {
	if t := c.Trainability; t != nil {
		return trainabilityRunFLOPs(c.Inputs, c.Width, c.Outputs, d, t.Steps, c.Batch, t.EvalImages)
	}
	return runFLOPs(c.Inputs, c.Width, c.Outputs, d, c.Epochs, samples)
}

func runFLOPs(inputs, width, outputs, depth, epochs, samples int) int64 {
	w := int64(inputs)*int64(width) + int64(depth-1)*int64(width)*int64(width) + int64(width)*int64(outputs)
	return (6*int64(epochs) + 16) * int64(samples) * w
}

// FLOPs estimates the floating-point operations of the whole grid.
func (g SweepGrid) FLOPs() int64 {
	var t int64
	for _, r := range g.Runs() {
		t += g.RunFLOPs(r.Depth)
	}
	return t
}

// String names a run for messages: "run 17 (depth 3, glorot, tanh, sgd, seed 1)".
func runName(i int, r SweepRun) string {
	return fmt.Sprintf("run %d (depth %d, %s, %s, %s, seed %d)", i, r.Depth, r.Init, r.Activation, r.Optimizer, r.Seed)
}

// AssignShards splits the grid's runs over n shards, balanced by their
// estimated cost: longest processing time first, each run (most expensive
// first, grid order among equals) to the shard with the least work so far
// (the lowest-numbered among equals). It returns the shard of each run, in
// grid order. The costs are integers, so every machine computes the same
// assignment.
func (g SweepGrid) AssignShards(n int) []int {
	runs := g.Runs()
	shard := make([]int, len(runs))
	if n < 1 {
		return shard
	}
	order := make([]int, len(runs))
	for i := range order {
		order[i] = i
	}
	cost := func(i int) int64 { return g.RunFLOPs(runs[i].Depth) }
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(cost(b), cost(a)) })
	load := make([]int64, n)
	for _, i := range order {
		k := 0
		for j := 1; j < n; j++ {
			if load[j] < load[k] {
				k = j
			}
		}
		shard[i] = k
		load[k] += cost(i)
	}
	return shard
}

// ShardFormat identifies the format of shard files.
const ShardFormat = "deltacore-sweep-shard/1"

// ShardFile is what one shard of a sweep writes: the whole grid, the runs
// assigned to this shard and the results of those finished so far. It is
// rewritten atomically as runs finish, so it always holds a consistent
// prefix of the shard's work.
type ShardFile struct {
	Format   string    `json:"format"`
	Version  string    `json:"version"`
	Grid     SweepGrid `json:"grid"`
	GridHash string    `json:"grid_sha256"`
	Shard    int       `json:"shard"`
	Shards   int       `json:"shards"`
	// Assigned lists the grid indices of this shard's runs, ascending.
	Assigned []int `json:"assigned"`
	// Runs holds the finished runs, by ascending grid index.
	Runs []ShardRun `json:"runs"`
	// SHA256 is the hex SHA-256 of the compact JSON of the file with this
	// field empty: a file damaged after it was written does not load.
	SHA256 string `json:"sha256"`
}

// ShardRun is one finished run of a shard with where and how it ran.
type ShardRun struct {
	Index int    `json:"index"`
	Level string `json:"level"`
	CPU   string `json:"cpu"`
	// Host, Start (RFC 3339, UTC) and WallSeconds are provenance: merge keeps
	// them out of the results.
	Host        string   `json:"host"`
	Start       string   `json:"start"`
	WallSeconds float64  `json:"wall_s"`
	FLOPs       int64    `json:"flop_estimate"`
	Result      SweepRun `json:"result"`
}

func (f *ShardFile) checksum() string {
	c := *f
	c.SHA256 = ""
	b, err := json.Marshal(&c)
	if err != nil {
		panic(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Save writes f to path atomically and durably (temporary file, fsync,
// rename, fsync of the folder), with its checksum.
func (f *ShardFile) Save(path string) error {
	f.SHA256 = f.checksum()
	b, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// LoadShardFile reads and checks a shard file: format, checksum, the grid's
// hash, the assignment of its runs to its shard and that every finished run
// is the grid's run at its index and records its level and CPU. Every error
// names the file.
func LoadShardFile(path string) (*ShardFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f ShardFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a complete shard file (truncated or corrupted?): %v", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: data after the shard file's JSON", path)
	}
	if f.Format != ShardFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", path, f.Format, ShardFormat)
	}
	if sum := f.checksum(); sum != f.SHA256 {
		return nil, fmt.Errorf("%s: checksum mismatch (file says %.12s…, content is %.12s…): the file was changed or damaged after it was written", path, f.SHA256, sum)
	}
	if h := f.Grid.Hash(); h != f.GridHash {
		return nil, fmt.Errorf("%s: grid hash %.12s… does not match its grid description (%.12s…)", path, f.GridHash, h)
	}
	if f.Version == "" {
		return nil, fmt.Errorf("%s: no deltacore version", path)
	}
	if f.Shards < 1 || f.Shard < 0 || f.Shard >= f.Shards {
		return nil, fmt.Errorf("%s: shard %d of %d", path, f.Shard, f.Shards)
	}
	runs := f.Grid.Runs()
	var want []int
	for i, k := range f.Grid.AssignShards(f.Shards) {
		if k == f.Shard {
			want = append(want, i)
		}
	}
	if !slices.Equal(want, f.Assigned) {
		return nil, fmt.Errorf("%s: its assigned runs are not shard %d/%d's of its grid", path, f.Shard, f.Shards)
	}
	assigned := map[int]bool{}
	for _, i := range want {
		assigned[i] = true
	}
	for j, r := range f.Runs {
		if !assigned[r.Index] {
			return nil, fmt.Errorf("%s: holds run %d, which is not shard %d/%d's", path, r.Index, f.Shard, f.Shards)
		}
		if j > 0 && r.Index <= f.Runs[j-1].Index {
			return nil, fmt.Errorf("%s: runs out of order or twice (run %d after run %d)", path, r.Index, f.Runs[j-1].Index)
		}
		g, got := runs[r.Index], r.Result
		if got.Depth != g.Depth || got.Init != g.Init || got.Activation != g.Activation || got.Optimizer != g.Optimizer || got.Seed != g.Seed {
			return nil, fmt.Errorf("%s: result of %s is labelled depth %d, %s, %s, %s, seed %d", path, runName(r.Index, g),
				got.Depth, got.Init, got.Activation, got.Optimizer, got.Seed)
		}
		if r.Level == "" || r.CPU == "" {
			return nil, fmt.Errorf("%s: %s records no ISA level or CPU", path, runName(r.Index, g))
		}
	}
	return &f, nil
}

// ShardConfig says which shard of a sweep to run and where its file goes.
type ShardConfig struct {
	Shard, Shards int
	Path          string // the shard file; an existing one is resumed
	Version       string // recorded and checked on resume; "" means Version()
	// Checkpoint bounds the time spent rewriting the file: it is written
	// after a run only if at least Checkpoint times the last write's
	// duration (2 ms before the first) has passed since that write or the
	// start (0 means 50: at most about 2% of the time; 1 writes after
	// almost every run). Finished runs not yet written are written at the
	// end, on cancellation (SIGTERM in the CLI) and on error, so a kill
	// that cannot be caught (SIGKILL, a node's crash) loses at most the runs
	// finished in the last Checkpoint write-durations (0.1 s with 2 ms
	// writes) besides those in progress.
	Checkpoint int
	// Log, if set, receives progress messages.
	Log func(format string, args ...any)
}

// ShardReport says what RunShard did.
type ShardReport struct {
	File        *ShardFile
	Resumed     int   // runs found finished in an existing file
	Ran         int   // runs trained now
	FLOPs       int64 // estimated operations of the runs trained now
	WallSeconds float64
	Saves       int     // writes of the shard file
	SaveSeconds float64 // time spent in them
}

// RunShard trains the runs of shard cfg.Shard of cfg.Shards of the sweep
// of sc on data, writing them to the shard file. An existing file for the
// same grid, version and shard is resumed: its finished runs are kept and
// only the others trained, so running a shard twice is harmless. One for a
// different grid, version or shard, or a damaged one, is an error that
// leaves it untouched. When ctx is cancelled, RunShard writes the runs
// finished so far and returns ctx's error at once; the runs in progress are
// abandoned.
func RunShard(ctx context.Context, data *mlp.Dataset, sc SweepConfig, cfg ShardConfig) (*ShardReport, error) {
	if cfg.Shards < 1 || cfg.Shard < 0 || cfg.Shard >= cfg.Shards {
		return nil, fmt.Errorf("study: shard %d/%d: want 0 ≤ K < N", cfg.Shard, cfg.Shards)
	}
	if cfg.Version == "" {
		cfg.Version = Version()
	}
	if cfg.Checkpoint <= 0 {
		cfg.Checkpoint = 50
	}
	logf := cfg.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	runs, inits, err := sweepGridRuns(sc)
	if err != nil {
		return nil, err
	}
	grid := NewSweepGrid(data, sc)
	f := &ShardFile{Format: ShardFormat, Version: cfg.Version, Grid: grid, GridHash: grid.Hash(),
		Shard: cfg.Shard, Shards: cfg.Shards, Runs: []ShardRun{}}
	for i, k := range grid.AssignShards(cfg.Shards) {
		if k == cfg.Shard {
			f.Assigned = append(f.Assigned, i)
		}
	}
	if f.Assigned == nil {
		f.Assigned = []int{}
	}
	rep := &ShardReport{File: f}
	old, err := LoadShardFile(cfg.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("study: cannot resume: %w (move it away to start this shard over)", err)
	case old.GridHash != f.GridHash:
		return nil, fmt.Errorf("study: %s holds shard results of a different grid (%.12s…, this sweep is %.12s…): use another output folder", cfg.Path, old.GridHash, f.GridHash)
	case old.Version != f.Version:
		return nil, fmt.Errorf("study: %s was written by deltacore %s, this is %s: finish it with that version or move it away", cfg.Path, old.Version, f.Version)
	case old.Shard != f.Shard || old.Shards != f.Shards:
		return nil, fmt.Errorf("study: %s is shard %d/%d, not %d/%d", cfg.Path, old.Shard, old.Shards, f.Shard, f.Shards)
	default:
		f.Runs = old.Runs
		rep.Resumed = len(old.Runs)
	}
	finished := map[int]bool{}
	for _, r := range f.Runs {
		finished[r.Index] = true
		runs[r.Index] = r.Result
	}
	var todo []int
	for _, i := range f.Assigned {
		if !finished[i] {
			todo = append(todo, i)
		}
	}
	if rep.Resumed > 0 {
		logf("shard %d/%d: resuming %s: %d of %d runs already done", cfg.Shard, cfg.Shards, cfg.Path, rep.Resumed, len(f.Assigned))
	}
	level, cpu := deltacore.CurrentLevel().String(), strings.TrimSpace(cpuid.CPU.BrandName)
	if cpu == "" {
		cpu = "unknown"
	}
	host, _ := os.Hostname()

	// The state below is guarded by mu, which sweepSubset holds around
	// done. The file is written by write, from a snapshot of f: on the
	// saver goroutine while runs go on, or at the end.
	var mu sync.Mutex
	var lastWrite time.Time
	var lastCost time.Duration
	saved := len(f.Runs) // runs in the file as last written (or found)
	writing, stopped := false, false
	snapshot := func() *ShardFile {
		c := *f
		c.Runs = slices.Clone(f.Runs)
		slices.SortFunc(c.Runs, func(a, b ShardRun) int { return cmp.Compare(a.Index, b.Index) })
		return &c
	}
	write := func(c *ShardFile) (time.Duration, error) {
		t0 := time.Now()
		err := c.Save(cfg.Path)
		return time.Since(t0), err
	}
	wrote := func(c *ShardFile, cost time.Duration) { // with mu held
		lastWrite, lastCost, saved = time.Now(), cost, len(c.Runs)
		rep.Saves++
		rep.SaveSeconds += cost.Seconds()
	}
	t0 := time.Now()
	// Before the first write, assume it takes 2 ms: a shard shorter than
	// Checkpoint × 2 ms is written once, at its end.
	lastWrite, lastCost = t0, 2*time.Millisecond
	if len(todo) == 0 && old == nil {
		// A shard without runs (more shards than runs) still leaves its
		// file, so that merge sees it.
		c := snapshot()
		cost, err := write(c)
		if err != nil {
			return nil, err
		}
		wrote(c, cost)
	}
	var saveErr error
	saveReq := make(chan *ShardFile, 1)
	saverDone := make(chan struct{})
	go func() {
		defer close(saverDone)
		for c := range saveReq {
			cost, err := write(c)
			mu.Lock()
			writing = false
			if err != nil && saveErr == nil {
				saveErr = err
			} else if err == nil {
				wrote(c, cost)
			}
			mu.Unlock()
		}
	}()
	done := func(i int, wall time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return context.Canceled
		}
		if saveErr != nil {
			return saveErr
		}
		c := grid.RunFLOPs(runs[i].Depth)
		f.Runs = append(f.Runs, ShardRun{Index: i, Level: level, CPU: cpu, Host: host,
			Start: time.Now().Add(-wall).UTC().Format(time.RFC3339), WallSeconds: wall.Seconds(), FLOPs: c, Result: runs[i]})
		rep.Ran++
		rep.FLOPs += c
		if !writing && time.Since(lastWrite) >= time.Duration(cfg.Checkpoint)*lastCost {
			writing = true
			saveReq <- snapshot()
		}
		return nil
	}
	errc := make(chan error, 1)
	go func() { errc <- sweepSubset(data, sc, runs, inits, todo, done) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		err = ctx.Err()
	}
	mu.Lock()
	stopped = true
	close(saveReq) // done sends only while not stopped
	mu.Unlock()
	<-saverDone
	mu.Lock()
	defer mu.Unlock()
	if err == nil {
		err = saveErr
	}
	if len(f.Runs) > saved {
		c := snapshot()
		cost, werr := write(c)
		if werr != nil && err == nil {
			err = werr
		} else if werr == nil {
			wrote(c, cost)
		}
	}
	slices.SortFunc(f.Runs, func(a, b ShardRun) int { return cmp.Compare(a.Index, b.Index) })
	rep.WallSeconds = time.Since(t0).Seconds()
	return rep, err
}

// MergedSweep is the union of a sweep's shard files.
type MergedSweep struct {
	Grid     SweepGrid
	GridHash string
	Version  string
	Shards   int
	// Runs holds the grid's runs in grid order; Present says which were
	// found (all of them unless Missing is not empty).
	Runs    []SweepRun
	Present []bool
	// Info holds each present run's provenance, by grid index.
	Info []ShardRun
	// MissingShards and MissingRuns list what the files lack, ascending.
	MissingShards []int
	MissingRuns   []int
	Files         []string
}

// Complete reports whether every run of the grid is present.
func (m *MergedSweep) Complete() bool { return len(m.MissingRuns) == 0 }

// PresentRuns returns the runs found, in grid order.
func (m *MergedSweep) PresentRuns() []SweepRun {
	var out []SweepRun
	for i, r := range m.Runs {
		if m.Present[i] {
			out = append(out, r)
		}
	}
	return out
}

// Levels counts the present runs per ISA level.
func (m *MergedSweep) Levels() map[string]int {
	l := map[string]int{}
	for i, p := range m.Present {
		if p {
			l[m.Info[i].Level]++
		}
	}
	return l
}

// MissingSummary names the missing shards and runs, the runs at most limit
// of them (0: all).
func (m *MergedSweep) MissingSummary(limit int) string {
	var b strings.Builder
	if len(m.MissingShards) > 0 {
		fmt.Fprintf(&b, "missing shards (of %d): %s\n", m.Shards, joinInts(m.MissingShards))
	}
	fmt.Fprintf(&b, "missing %d of %d runs:\n", len(m.MissingRuns), len(m.Runs))
	for j, i := range m.MissingRuns {
		if limit > 0 && j == limit {
			fmt.Fprintf(&b, "  … and %d more\n", len(m.MissingRuns)-limit)
			break
		}
		fmt.Fprintf(&b, "  %s\n", runName(i, m.Runs[i]))
	}
	return b.String()
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, " ")
}

// MergeShards reads shard files and checks that they belong together: the
// same grid, version and shard count, no shard twice, no run twice, and
// levels recorded. Any file that fails is named in the error. Missing
// shards and runs are not an error: they are listed in the result (see
// Complete).
func MergeShards(paths []string) (*MergedSweep, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("study: merge: no shard files")
	}
	var m *MergedSweep
	var first string
	byShard := map[int]string{}
	from := map[int]string{}
	for _, p := range paths {
		f, err := LoadShardFile(p)
		if err != nil {
			return nil, fmt.Errorf("study: merge: %w", err)
		}
		if m == nil {
			first = p
			runs := f.Grid.Runs()
			m = &MergedSweep{Grid: f.Grid, GridHash: f.GridHash, Version: f.Version, Shards: f.Shards,
				Runs: runs, Present: make([]bool, len(runs)), Info: make([]ShardRun, len(runs))}
		}
		switch {
		case f.GridHash != m.GridHash:
			return nil, fmt.Errorf("study: merge: %s is from a different grid than %s (grid %.12s… against %.12s…)", p, first, f.GridHash, m.GridHash)
		case f.Version != m.Version:
			return nil, fmt.Errorf("study: merge: %s was written by deltacore %s, %s by %s", p, f.Version, first, m.Version)
		case f.Shards != m.Shards:
			return nil, fmt.Errorf("study: merge: %s is shard %d of %d, %s is of %d shards", p, f.Shard, f.Shards, first, m.Shards)
		}
		if q, ok := byShard[f.Shard]; ok {
			return nil, fmt.Errorf("study: merge: shard %d/%d given twice: %s and %s", f.Shard, f.Shards, q, p)
		}
		byShard[f.Shard] = p
		for _, r := range f.Runs {
			if q, ok := from[r.Index]; ok { // cannot happen with consistent assignments; kept as a guard
				return nil, fmt.Errorf("study: merge: %s in both %s and %s", runName(r.Index, m.Runs[r.Index]), q, p)
			}
			from[r.Index] = p
			m.Runs[r.Index], m.Present[r.Index], m.Info[r.Index] = r.Result, true, r
		}
		m.Files = append(m.Files, p)
	}
	for k := 0; k < m.Shards; k++ {
		if _, ok := byShard[k]; !ok {
			m.MissingShards = append(m.MissingShards, k)
		}
	}
	for i, p := range m.Present {
		if !p {
			m.MissingRuns = append(m.MissingRuns, i)
		}
	}
	return m, nil
}

// ShardPath returns the name of shard k of n's file in dir.
func ShardPath(dir string, k, n int) string {
	return filepath.Join(dir, fmt.Sprintf("sweep-shard-%d-of-%d.json", k, n))
}
