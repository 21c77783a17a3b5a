package deltacore

import (
	"fmt"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// Per-CPU choices, made once at start, the way BLIS picks a sub-configuration.
//
// The micro-kernels (gemm_amd64.go, gemm_arm64.go) carry a register tile
// MR×NR that the instruction set fixes, and a cache blocking (kc, mc, nc)
// that depends on the core they run on. At package initialisation the CPU is
// looked up in cpuTable by vendor, family and model:
//
//   - a matching entry gives the blocking of each level it names, values
//     found by measurement on that CPU;
//   - otherwise, and for the levels an entry does not name, the blocking is
//     computed from the L1d and L2 sizes that cpuid reports (blockingRule);
//   - when cpuid reports no cache sizes (0 or −1, as on most arm64 systems),
//     each level keeps the blocking compiled into its kernel value.
//
// The generic level's Go kernel keeps its own blocking everywhere: it is
// bound by Go's code generation, not by the caches.
//
// Nothing else is chosen per CPU today. On the one CPU besides the tuned one
// that was measured (Intel family 6 model 167, a loaded machine), the
// choices made on AMD win there too: the AVX-512 σ beat the AVX2 σ (1.0–1.2
// against 0.7–0.95 Gelem/s at n = 4096, wall time), and the 5×3 dot tile
// beside 4×4 beat 4×4 alone on the batch-10 forward product 10×30×784 NT
// (136.6 against 109.2 GFLOP/s thread time, +25%, 8 interleaved runs of
// BenchmarkDotTiles). So every CPU runs its level's σ, dot tiles and
// micro-kernel; a cpuEntry is where a measured difference would go.
//
// CurrentTuning reports what was chosen and why; `deltacore cpu` prints it.

// blocking is the cache blocking of the packed GEMM path (see gemm.go).
type blocking struct{ kc, mc, nc int }

// cpuEntry is one CPU (or family of CPUs) of the table.
type cpuEntry struct {
	vendor string // as cpuInfo.key spells it: "amd", "intel", …
	family int
	models []int // nil: every model of the family
	name   string
	note   string             // where the values come from
	block  map[Level]blocking // per level; a level absent follows blockingRule
}

// cpuTable holds the CPUs whose blocking was measured.
var cpuTable = []cpuEntry{
	{
		vendor: "amd", family: 26, name: "AMD family 26 (Turin-like)",
		note: "swept on 2048³ (gemm.go's blocking comment)",
		block: map[Level]blocking{
			AVX512: {kc: 512, mc: 48, nc: 512},
			AVX2:   {kc: 512, mc: 48, nc: 512},
		},
	},
	{
		vendor: "intel", family: 6, models: []int{167}, name: "Intel family 6 model 167",
		// The cache rule gives nc 1024 here (L2 2 MiB); at 1024³ it measured
		// 2.4% slower than nc 512 in thread CPU time (149.2 against 145.7
		// GFLOP/s, p = 0.023, 8 interleaved runs of BenchmarkBlocking under
		// load ~13 on 2 cores); at 512³ nc ≥ n either way. So the values
		// tuned on AMD stay, for AVX-512 (measured) and AVX2 (whose rule
		// also gives nc 1024; not measured separately).
		//
		// With op(A) packed into slivers (gemmPackedRows) and the
		// packed-operand kernel, kc 256 · nc 1024 (a 12×256 sliver, 12 KiB,
		// stays in L1 beside the streaming B panels; the B block is 1 MiB)
		// beat kc 512 · nc 512 in 6 interleaved rounds, process CPU time,
		// load ~15 (GFLOP/s, medians of the rounds): 1024³ 163 → 171, NT
		// 256×1024² 158 → 157, NN 256×2048² 148 → 151, 128×4096² 127 → 137,
		// 64×4096×1024 110 → 117.
		//
		// AVX2 keeps the AMD values: with its packed path, kc 512 · nc 512
		// against the cache rule's nc 1024 measured level (BenchmarkBlocking
		// at AVX2, 6 interleaved rounds, idle, GFLOP/s: 512³ 106–111
		// against 104–110, 1024³ 102–106 against 102–106), and `deltacore
		// bench tune -level avx2` found nothing 3 % better.
		note: "AVX-512 kc 256, nc 1024 measured with packed A (6 rounds); AVX2 kept the AMD values (level with the cache rule's)",
		block: map[Level]blocking{
			AVX512: {kc: 256, mc: 48, nc: 1024},
			AVX2:   {kc: 512, mc: 48, nc: 512},
		},
	},
}

// cpuInfo is what the choice depends on.
type cpuInfo struct {
	vendor        string // lower case, [a-z0-9] only
	family, model int
	l1d, l2       int // bytes per core; ≤ 0 when unknown
}

// key is the CPU's name in bench/results: vendor-family-model.
func (c cpuInfo) key() string { return fmt.Sprintf("%s-%d-%d", c.vendor, c.family, c.model) }

// detectCPU reads cpuInfo from cpuid.
func detectCPU() cpuInfo {
	c := cpuid.CPU
	v := c.VendorID.String()
	if c.VendorID == cpuid.VendorUnknown {
		v = c.VendorString
	}
	return cpuInfo{vendor: cleanVendor(v), family: c.Family, model: c.Model, l1d: c.Cache.L1D, l2: c.Cache.L2}
}

// cleanVendor lower-cases v and keeps only letters and digits, so that it
// can name a file; "" becomes "unknown".
func cleanVendor(v string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(v) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}

// lookup returns the table entry of c, or nil.
func lookup(table []cpuEntry, c cpuInfo) *cpuEntry {
	for i := range table {
		e := &table[i]
		if e.vendor != c.vendor || e.family != c.family {
			continue
		}
		if e.models == nil {
			return e
		}
		for _, m := range e.models {
			if m == c.model {
				return e
			}
		}
	}
	return nil
}

// Bounds of blockingRule.
const (
	ruleMaxKC = 512  // larger kc measured slower on the tuned CPU (768·384: 153 against 168 GFLOP/s)
	ruleMinKC = 128  // below this the C tile's loads and stores per kc block dominate
	ruleMaxNC = 4096 // a larger B block gains nothing once C's passes are few
)

// blockingRule computes the blocking of a kernel with an mr×nr tile from the
// per-core L1d and L2 sizes, in bytes:
//
//	kc: the A sliver of a micro-kernel call (mr rows × kc floats) fills half
//	    of L1d, leaving the other half to the B rows and the C tile
//	    streaming through: kc = L1d/2 / (4·mr), a multiple of 16, within
//	    [128, 512];
//	mc: the A block (mc × kc floats), which each B panel sweeps, is at most
//	    twice L1d: mc = 2·L1d / (4·kc), a multiple of mr, at least mr;
//	nc: the B block (kc × nc floats), which every mc block reuses, fills L2:
//	    nc = L2 / (4·kc), a multiple of nr, within [4·nr, 4096].
//
// The rule is fitted to the one blocking sweep we have (AMD family 26:
// L1d 48 KiB, L2 1 MiB), whose best values it reproduces for the AVX-512
// (12×32) and AVX2 (6×16) tiles alike: kc 512, mc 48, nc 512. It is a
// starting point for CPUs never measured, not a measurement.
func blockingRule(mr, nr, l1d, l2 int) blocking {
	kc := l1d / 2 / (4 * mr) / 16 * 16
	kc = max(ruleMinKC, min(ruleMaxKC, kc))
	mc := max(mr, 2*l1d/(4*kc)/mr*mr)
	nc := l2 / (4 * kc) / nr * nr
	nc = max(4*nr, min(ruleMaxNC/nr*nr, nc))
	return blocking{kc: kc, mc: mc, nc: nc}
}

// LevelTuning is the GEMM configuration of one level on this CPU.
type LevelTuning struct {
	Level      Level
	MR, NR     int    // register tile of the micro-kernel
	KC, MC, NC int    // cache blocking of the packed path
	Dot        string // dot tiles for A·Bᵀ with few rows, e.g. "4×4 5×3"; "" when B is packed instead
	Why        string // where the blocking comes from
}

// Tuning is what was chosen for this CPU at start, and why.
type Tuning struct {
	// CPU is vendor-family-model as cpuid reports it, e.g. "intel-6-167":
	// the name under which bench/results keeps this CPU's report.
	CPU string
	// L1d and L2 are the per-core cache sizes in bytes that cpuid reports
	// (0 when it reports none).
	L1d, L2 int
	// Entry names the table entry that matched, "" if none did.
	Entry  string
	Levels []LevelTuning // the levels this CPU can run, best first
}

// tuning is set once, at initialisation.
var tuning Tuning

func init() {
	// archLevels, not Levels: level.go's init, which sets detected, may
	// run after this one.
	tuning = applyTuning(detectCPU(), cpuTable, archLevels())
}

// CurrentTuning returns the per-CPU choices made at start: the matching
// table entry, if any, and the blocking of each level with its reason.
func CurrentTuning() Tuning {
	t := tuning
	t.Levels = append([]LevelTuning(nil), tuning.Levels...)
	return t
}

// builtinBlocking holds each kernel's compiled-in blocking, recorded before
// applyTuning first changes it.
var builtinBlocking = map[*gemmKernel]blocking{}

// applyTuning sets the blocking of the kernels of levels ls for CPU c and
// returns the record of it. It runs at initialisation (and in tests, which
// restore the kernels after).
func applyTuning(c cpuInfo, table []cpuEntry, ls []Level) Tuning {
	t := Tuning{CPU: c.key(), L1d: max(0, c.l1d), L2: max(0, c.l2)}
	e := lookup(table, c)
	if e != nil {
		t.Entry = e.name
	}
	for _, l := range ls {
		kn := gemmImplFor(l)
		def, ok := builtinBlocking[kn]
		if !ok {
			def = blocking{kc: kn.kc, mc: kn.mc, nc: kn.nc}
			builtinBlocking[kn] = def
		}
		b, why := chooseBlocking(l, kn, def, c, e)
		kn.kc, kn.mc, kn.nc = b.kc, b.mc, b.nc
		lt := LevelTuning{Level: l, MR: kn.mr, NR: kn.nr, KC: b.kc, MC: b.mc, NC: b.nc, Why: why}
		if kn.dot != nil {
			lt.Dot = fmt.Sprintf("%d×%d", kn.dmr, kn.dnr)
			if kn.dot2 != nil {
				lt.Dot += fmt.Sprintf(" %d×%d", kn.dmr2, kn.dnr2)
			}
		}
		t.Levels = append(t.Levels, lt)
	}
	return t
}

// chooseBlocking returns the blocking of level l's kernel kn (whose
// compiled-in blocking is def) on CPU c with table entry e (nil if none),
// and the reason.
func chooseBlocking(l Level, kn *gemmKernel, def blocking, c cpuInfo, e *cpuEntry) (blocking, string) {
	if kn == &genericGemm {
		return def, "built in (the Go kernel is not tuned per CPU)"
	}
	if e != nil {
		if b, ok := e.block[l]; ok {
			return b, "table entry " + e.name + ": " + e.note
		}
	}
	if c.l1d <= 0 || c.l2 <= 0 {
		return def, "built in (cpuid reports no L1d/L2 size)"
	}
	return blockingRule(kn.mr, kn.nr, c.l1d, c.l2),
		fmt.Sprintf("cache rule for L1d %d KiB, L2 %d KiB (kc = L1d/2/(4·MR), mc = 2·L1d/(4·kc), nc = L2/(4·kc))", c.l1d>>10, c.l2>>10)
}

// SetGemmBlocking sets the cache blocking (kc, mc, nc; see gemm.go) of
// level l's GEMM micro-kernel, for tuning (`deltacore bench tune`) and
// benchmarks. mc must be at least the kernel's MR and nc at least its NR
// (CurrentTuning lists them); multiples of them waste no partial tiles at
// the block edges. It must not be called while any product runs:
// the blocking is read without synchronisation. The generic level's
// blocking cannot be set.
func SetGemmBlocking(l Level, kc, mc, nc int) error {
	kn := gemmImplFor(l)
	if kn == &genericGemm || !Available(l) {
		return fmt.Errorf("deltacore: SetGemmBlocking: level %s has no tunable GEMM kernel on this CPU", l)
	}
	if kc < 1 || mc < kn.mr || nc < kn.nr || kc > 1<<16 || mc > 1<<16 || nc > 1<<16 {
		return fmt.Errorf("deltacore: SetGemmBlocking(%s, %d, %d, %d): want 1 ≤ kc, %d ≤ mc, %d ≤ nc, each at most 65536",
			l, kc, mc, nc, kn.mr, kn.nr)
	}
	kn.kc, kn.mc, kn.nc = kc, mc, nc
	for i := range tuning.Levels {
		if lt := &tuning.Levels[i]; lt.Level == l {
			lt.KC, lt.MC, lt.NC = kc, mc, nc
			lt.Why = "set by SetGemmBlocking"
		}
	}
	return nil
}
