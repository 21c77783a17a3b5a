package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/klauspost/cpuid/v2"
)

// ReportFormat is the value of every report's "format" field.
const ReportFormat = "deltacore-bench"

// ReportVersion is the version of the report schema this package writes and
// reads. A change that old readers would misread (a renamed or removed
// field, a changed unit or meaning) increments it, and readers refuse every
// version but their own. New fields alone do not: readers ignore fields
// they do not know.
const ReportVersion = 1

// Report is the JSON document that `deltacore bench` writes: who measured
// what, where, how, and the results.
type Report struct {
	Format  string    `json:"format"`  // ReportFormat
	Version int       `json:"version"` // ReportVersion
	Date    time.Time `json:"date"`    // start of the run, UTC
	Machine Machine   `json:"machine"`
	Build   Build     `json:"build"`
	Config  Config    `json:"config"`
	Limits  Limits    `json:"limits"`
	Results []Result  `json:"results"`
}

// Machine identifies the computer.
type Machine struct {
	Hostname       string   `json:"hostname"`
	Vendor         string   `json:"vendor"` // e.g. "AuthenticAMD"
	Brand          string   `json:"brand"`  // the CPU's brand string
	Family         int      `json:"family"`
	Model          int      `json:"model"`
	Stepping       int      `json:"stepping"`
	Features       []string `json:"features"` // cpuid feature names
	CacheL1I       int      `json:"cache_l1i_bytes"`
	CacheL1D       int      `json:"cache_l1d_bytes"`
	CacheL2        int      `json:"cache_l2_bytes"`
	CacheL3        int      `json:"cache_l3_bytes"`
	LogicalCores   int      `json:"logical_cores"`
	PhysicalCores  int      `json:"physical_cores"`
	ThreadsPerCore int      `json:"threads_per_core"`
	NumCPU         int      `json:"num_cpu"` // runtime.NumCPU: the CPUs this process may use
	OS             string   `json:"os"`
	Arch           string   `json:"arch"`
	Levels         []string `json:"levels"` // deltacore.Levels(), best first
	// CPUKey is vendor-family-model (deltacore.Tuning.CPU), the report's
	// file name in bench/results; see Key for reports without it.
	CPUKey string `json:"cpu_key,omitempty"`
}

// Build identifies the program that measured.
type Build struct {
	GoVersion     string `json:"go_version"`
	GOAMD64       string `json:"goamd64,omitempty"`
	GOARM64       string `json:"goarm64,omitempty"`
	Tags          string `json:"tags,omitempty"` // -tags of the build (e.g. openblas, purego)
	MainModule    string `json:"main_module,omitempty"`
	ModuleVersion string `json:"module_version,omitempty"`
	VCSRevision   string `json:"vcs_revision,omitempty"`
	VCSTime       string `json:"vcs_time,omitempty"`
	VCSModified   bool   `json:"vcs_modified,omitempty"`
}

// Config records how the run was made.
type Config struct {
	Quick      bool     `json:"quick"`
	Filter     string   `json:"filter,omitempty"`
	Threads    int      `json:"threads"` // GOMAXPROCS during the run
	Levels     []string `json:"levels"`  // the levels measured
	Peers      []string `json:"peers"`   // the Sgemm peers measured
	Count      int      `json:"count"`   // samples per result
	Timer      string   `json:"timer"`   // TimerWall or TimerCPU
	SampleTime float64  `json:"sample_time_s"`
	// LoadStart and LoadEnd are the 1-minute load average of the machine
	// (Linux /proc/loadavg) when the run started and ended; 0 when
	// unknown. Above the number of CPUs, other processes competed for
	// them.
	LoadStart float64 `json:"load_avg_start,omitempty"`
	LoadEnd   float64 `json:"load_avg_end,omitempty"`
}

// LoadAverage returns the 1-minute load average from /proc/loadavg, and
// false where there is none (not Linux).
func LoadAverage() (float64, bool) {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(f[0], 64)
	return v, err == nil
}

// Stat summarises repeated samples of one quantity.
type Stat struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	P10    float64 `json:"p10"`
	P90    float64 `json:"p90"`
	N      int     `json:"n"`
}

// NewStat summarises xs (which it sorts). Percentiles interpolate linearly
// between the order statistics, so with few samples P10 and P90 lie close
// to Min and Max.
func NewStat(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{}
	}
	sort.Float64s(xs)
	q := func(p float64) float64 {
		pos := p * float64(len(xs)-1)
		i := int(pos)
		if i >= len(xs)-1 {
			return xs[len(xs)-1]
		}
		f := pos - float64(i)
		return xs[i]*(1-f) + xs[i+1]*f
	}
	return Stat{Median: q(0.5), Min: xs[0], Max: xs[len(xs)-1], P10: q(0.1), P90: q(0.9), N: len(xs)}
}

// Spread is the half-width of the range of the samples relative to the
// median: 0.05 means the samples lay within about ±5%.
func (s Stat) Spread() float64 {
	if s.Median == 0 {
		return 0
	}
	return (s.Max - s.Min) / 2 / s.Median
}

// The limits a result can be measured against.
const (
	LimitPeak      = "fma-peak"  // GFLOP/s ÷ single-core FMA peak × threads
	LimitLanes     = "fma-lanes" // Gelem/s ÷ (FMA peak / 2): the share of one FMA lane per element
	LimitBandwidth = "bandwidth" // bytes moved per second ÷ single-core copy bandwidth
)

// Result is one case on one implementation.
type Result struct {
	Name   string `json:"name"` // e.g. "Sgemm/isa=avx2/m=256,n=256,k=256"
	Kernel string `json:"kernel"`
	Impl   Impl   `json:"impl"`
	Shape  string `json:"shape"`
	Unit   string `json:"unit"` // UnitGFLOPS or UnitGElems
	Rate   Stat   `json:"rate"` // in Unit
	NsOp   Stat   `json:"ns_per_op"`
	Iters  int    `json:"iters_per_sample"`
	// Samples are the ns/op of every sample, in the order taken (absent
	// from reports written before it existed). WriteGoTest writes one
	// benchmark line per sample from them.
	Samples []float64 `json:"ns_per_op_samples,omitempty"`
	Bytes   float64   `json:"bytes_per_op"`
	Limit   string    `json:"limit"`              // LimitPeak, LimitLanes or LimitBandwidth
	OfPeak  float64   `json:"fraction,omitempty"` // median rate as a fraction of the limit; 0 if unknown
}

// Key identifies a result across reports: kernel, implementation, shape.
func (r *Result) Key() string { return r.Kernel + "/" + r.Impl.String() + "/" + r.Shape }

// NewReport returns a report with the machine and build filled in and the
// date set to now.
func NewReport() *Report {
	return &Report{
		Format:  ReportFormat,
		Version: ReportVersion,
		Date:    time.Now().UTC().Truncate(time.Second),
		Machine: ThisMachine(),
		Build:   ThisBuild(),
	}
}

// ThisMachine describes the machine the program runs on.
func ThisMachine() Machine {
	c := cpuid.CPU
	host, _ := os.Hostname()
	m := Machine{
		Hostname:       host,
		Vendor:         c.VendorString,
		Brand:          c.BrandName,
		Family:         c.Family,
		Model:          c.Model,
		Stepping:       c.Stepping,
		Features:       c.FeatureSet(),
		CacheL1I:       c.Cache.L1I,
		CacheL1D:       c.Cache.L1D,
		CacheL2:        c.Cache.L2,
		CacheL3:        c.Cache.L3,
		LogicalCores:   c.LogicalCores,
		PhysicalCores:  c.PhysicalCores,
		ThreadsPerCore: c.ThreadsPerCore,
		NumCPU:         runtime.NumCPU(),
		OS:             runtime.GOOS,
		Arch:           runtime.GOARCH,
	}
	for _, l := range deltacore.Levels() {
		m.Levels = append(m.Levels, l.String())
	}
	m.CPUKey = deltacore.CurrentTuning().CPU
	return m
}

// ThisBuild describes the running program, from runtime/debug.ReadBuildInfo.
// A binary built with -buildvcs=false (or run by `go run` or `go test`) has
// no VCS revision.
func ThisBuild() Build {
	b := Build{GoVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	b.MainModule = bi.Main.Path
	b.ModuleVersion = bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "GOAMD64":
			b.GOAMD64 = s.Value
		case "GOARM64":
			b.GOARM64 = s.Value
		case "-tags":
			b.Tags = s.Value
		case "vcs.revision":
			b.VCSRevision = s.Value
		case "vcs.time":
			b.VCSTime = s.Value
		case "vcs.modified":
			b.VCSModified = s.Value == "true"
		}
	}
	return b
}

// Encode writes the report as indented JSON.
func (r *Report) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteFile writes the report to path.
func (r *Report) WriteFile(path string) error {
	var buf bytes.Buffer
	if err := r.Encode(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// VersionError says that a report has a schema version this program cannot
// read.
type VersionError struct {
	Version int // the report's version; 0 when the field is missing
}

func (e *VersionError) Error() string {
	switch {
	case e.Version == 0:
		return "bench: report has no version field: not a deltacore bench report, or damaged"
	case e.Version > ReportVersion:
		return fmt.Sprintf("bench: report version %d is newer than this program understands (version %d): "+
			"use a newer deltacore to read it", e.Version, ReportVersion)
	default:
		return fmt.Sprintf("bench: report version %d is older than this program understands (version %d) "+
			"and not supported: rerun `deltacore bench` to make a new one", e.Version, ReportVersion)
	}
}

// Decode reads one report. It checks the format and the version before it
// decodes anything else, so a report of another version never decodes
// half-right.
func Decode(data []byte) (*Report, error) {
	var head struct {
		Format  string          `json:"format"`
		Version json.RawMessage `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("bench: report is not valid JSON: %w", err)
	}
	if head.Format != ReportFormat {
		return nil, fmt.Errorf("bench: not a deltacore bench report (format %q, want %q)", head.Format, ReportFormat)
	}
	var v float64
	if len(head.Version) == 0 || json.Unmarshal(head.Version, &v) != nil || v != math.Trunc(v) || v < 0 || v > 1e9 {
		return nil, &VersionError{Version: 0}
	}
	if int(v) != ReportVersion {
		return nil, &VersionError{Version: int(v)}
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("bench: report version %d: %w", ReportVersion, err)
	}
	return &r, nil
}

// ReadFile reads the report at path; errors name the file.
func ReadFile(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
