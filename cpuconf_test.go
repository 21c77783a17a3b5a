package deltacore

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/deltacore/deltacore/internal/israce"
)

// TestBlockingRuleTunedCPU checks that the cache rule gives back the
// blocking measured on the CPU it was fitted to (AMD family 26: L1d 48 KiB,
// L2 1 MiB) for the AVX-512 and AVX2 tiles, as cpuconf.go claims.
func TestBlockingRuleTunedCPU(t *testing.T) {
	e := lookup(cpuTable, cpuInfo{vendor: "amd", family: 26, model: 2})
	if e == nil {
		t.Fatal("no table entry for AMD family 26")
	}
	for _, tile := range []struct {
		l      Level
		mr, nr int
	}{{AVX512, 12, 32}, {AVX2, 6, 16}} {
		got := blockingRule(tile.mr, tile.nr, 48<<10, 1<<20)
		if want := e.block[tile.l]; got != want {
			t.Errorf("blockingRule(%d, %d, 48 KiB, 1 MiB) = %+v, want the table's %+v", tile.mr, tile.nr, got, want)
		}
	}
}

// TestBlockingRuleValues checks the rule against values worked out by hand
// and its invariants over a range of cache sizes and tiles.
func TestBlockingRuleValues(t *testing.T) {
	for _, c := range []struct {
		mr, nr, l1d, l2 int
		want            blocking
	}{
		// Intel family 6 model 167: L1d 48 KiB, L2 2 MiB.
		{12, 32, 48 << 10, 2 << 20, blocking{512, 48, 1024}},
		// 32 KiB L1d: kc = 16384/48 = 341 → 336; mc = 65536/1344 = 48 → 48; nc = 1 MiB/1344 = 780 → 768.
		{12, 32, 32 << 10, 1 << 20, blocking{336, 48, 768}},
		// NEON 8×12, 32 KiB L1d, 1 MiB L2: kc 512, mc 32, nc 512 (a multiple of 12: 504).
		{8, 12, 32 << 10, 1 << 20, blocking{512, 32, 504}},
		// Tiny caches hit the lower bounds.
		{12, 32, 4 << 10, 16 << 10, blocking{128, 12, 128}},
		// Huge caches hit the upper bounds.
		{6, 16, 1 << 20, 1 << 30, blocking{512, 1020, 4096}},
	} {
		if got := blockingRule(c.mr, c.nr, c.l1d, c.l2); got != c.want {
			t.Errorf("blockingRule(%d, %d, %d, %d) = %+v, want %+v", c.mr, c.nr, c.l1d, c.l2, got, c.want)
		}
	}
	for _, tile := range [][2]int{{12, 32}, {6, 16}, {8, 12}, {4, 8}} {
		mr, nr := tile[0], tile[1]
		for l1d := 1 << 10; l1d <= 1<<20; l1d *= 2 {
			for l2 := l1d; l2 <= 1<<28; l2 *= 4 {
				b := blockingRule(mr, nr, l1d, l2)
				if b.kc < ruleMinKC || b.kc > ruleMaxKC || b.kc%16 != 0 ||
					b.mc < mr || b.mc%mr != 0 || b.nc < 4*nr || b.nc > ruleMaxNC || b.nc%nr != 0 {
					t.Fatalf("blockingRule(%d, %d, %d, %d) = %+v breaks a bound", mr, nr, l1d, l2, b)
				}
			}
		}
	}
}

func TestLookup(t *testing.T) {
	for _, c := range []struct {
		cpu  cpuInfo
		want string
	}{
		{cpuInfo{vendor: "amd", family: 26, model: 2}, "AMD family 26 (Turin-like)"},
		{cpuInfo{vendor: "amd", family: 26, model: 17}, "AMD family 26 (Turin-like)"},
		{cpuInfo{vendor: "amd", family: 25, model: 17}, ""},
		{cpuInfo{vendor: "intel", family: 6, model: 167}, "Intel family 6 model 167"},
		{cpuInfo{vendor: "intel", family: 6, model: 143}, ""},
		{cpuInfo{vendor: "arm", family: 6, model: 167}, ""},
	} {
		got := ""
		if e := lookup(cpuTable, c.cpu); e != nil {
			got = e.name
		}
		if got != c.want {
			t.Errorf("lookup(%+v) = %q, want %q", c.cpu, got, c.want)
		}
	}
	if k := (cpuInfo{vendor: cleanVendor("Genuine Intel!"), family: 6, model: 167}).key(); k != "genuineintel-6-167" {
		t.Errorf("key = %q", k)
	}
	if v := cleanVendor(" "); v != "unknown" {
		t.Errorf("cleanVendor(\" \") = %q, want unknown", v)
	}
}

// withTuning applies the choices for CPU c to the kernels for the duration
// of the test, then restores those of this CPU.
func withTuning(t *testing.T, c cpuInfo, table []cpuEntry) Tuning {
	t.Cleanup(func() { tuning = applyTuning(detectCPU(), cpuTable, archLevels()) })
	return applyTuning(c, table, archLevels())
}

// TestApplyTuning checks where each level's blocking comes from: the table,
// the cache rule, or the compiled-in values when cpuid knows no caches.
func TestApplyTuning(t *testing.T) {
	for _, l := range Levels() {
		if l == Generic {
			continue
		}
		kn := gemmImplFor(l)
		def := builtinBlocking[kn]

		// AMD family 26 names the x86 levels; others (neon) follow the rule.
		tu := withTuning(t, cpuInfo{vendor: "amd", family: 26, l1d: 32 << 10, l2: 256 << 10}, cpuTable)
		lt := levelOf(t, tu, l)
		if want, ok := cpuTable[0].block[l]; ok {
			if (blocking{lt.KC, lt.MC, lt.NC}) != want || !strings.Contains(lt.Why, "table entry") {
				t.Errorf("%s on AMD family 26: %+v, want the table's %+v", l, lt, want)
			}
		} else if want := blockingRule(kn.mr, kn.nr, 32<<10, 256<<10); (blocking{lt.KC, lt.MC, lt.NC}) != want || !strings.Contains(lt.Why, "cache rule") {
			t.Errorf("%s on AMD family 26 (no entry for the level): %+v, want the rule's %+v", l, lt, want)
		}
		if tu.Entry == "" || tu.CPU != "amd-26-0" {
			t.Errorf("AMD family 26: entry %q, CPU %q", tu.Entry, tu.CPU)
		}

		tu = withTuning(t, cpuInfo{vendor: "intel", family: 6, model: 85, l1d: 32 << 10, l2: 1 << 20}, cpuTable)
		lt = levelOf(t, tu, l)
		if want := blockingRule(kn.mr, kn.nr, 32<<10, 1<<20); (blocking{lt.KC, lt.MC, lt.NC}) != want ||
			(blocking{kn.kc, kn.mc, kn.nc}) != want || !strings.Contains(lt.Why, "cache rule") {
			t.Errorf("%s on an unlisted CPU: %+v (kernel %d %d %d), want the rule's %+v", l, lt, kn.kc, kn.mc, kn.nc, want)
		}
		if tu.Entry != "" {
			t.Errorf("unlisted CPU matched %q", tu.Entry)
		}

		tu = withTuning(t, cpuInfo{vendor: "intel", family: 6, model: 85, l1d: -1, l2: 0}, cpuTable)
		lt = levelOf(t, tu, l)
		if (blocking{lt.KC, lt.MC, lt.NC}) != def || !strings.Contains(lt.Why, "no L1d/L2") {
			t.Errorf("%s without cache sizes: %+v, want the built-in %+v", l, lt, def)
		}
	}
}

func levelOf(t *testing.T, tu Tuning, l Level) LevelTuning {
	t.Helper()
	for _, lt := range tu.Levels {
		if lt.Level == l {
			return lt
		}
	}
	t.Fatalf("tuning has no level %s: %+v", l, tu)
	return LevelTuning{}
}

// TestSgemmBlockings runs packed-path products that cross the kc, mc and nc
// blocks under every blocking a CPU can get: each table entry's, the cache
// rule's for a few cache sizes (the tiny ones give small blocks, so that
// many block edges are crossed cheaply) and this CPU's.
func TestSgemmBlockings(t *testing.T) {
	caches := [][2]int{{4 << 10, 16 << 10}, {32 << 10, 256 << 10}, {48 << 10, 2 << 20}}
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		if kn == &genericGemm {
			t.Skip("the generic kernel keeps its blocking")
		}
		l := CurrentLevel()
		old := blocking{kn.kc, kn.mc, kn.nc}
		t.Cleanup(func() { kn.kc, kn.mc, kn.nc = old.kc, old.mc, old.nc })
		bs := []blocking{old}
		for _, e := range cpuTable {
			if b, ok := e.block[l]; ok {
				bs = append(bs, b)
			}
		}
		for _, c := range caches {
			bs = append(bs, blockingRule(kn.mr, kn.nr, c[0], c[1]))
		}
		rng := rand.New(rand.NewPCG(5, 6))
		seen := map[blocking]bool{}
		for i, b := range bs {
			if seen[b] {
				continue
			}
			seen[b] = true
			// k > directMaxK forces the packed path.
			m, n, k := 2*b.mc+5, b.nc+kn.nr+5, max(directMaxK+1, b.kc+37)
			if (testing.Short() || israce.Enabled) && m*n*k > 16<<20 ||
				os.Getenv("DELTACORE_SLOW_EMULATION") != "" && m*n*k > 4<<20 {
				continue // the float64 reference (and emulation) is slow
			}
			kn.kc, kn.mc, kn.nc = b.kc, b.mc, b.nc
			tr := gemmTrans[i%4]
			t.Run(fmt.Sprintf("kc=%d,mc=%d,nc=%d", b.kc, b.mc, b.nc), func(t *testing.T) {
				g := newGemmCase(rng, tr[0], tr[1], m, n, k, -1.5, gemmBetas[i%3], i%2)
				runGemmCase(t, g)
			})
		}
	})
}

func TestSetGemmBlocking(t *testing.T) {
	for _, l := range Levels() {
		kn := gemmImplFor(l)
		if l == Generic {
			if err := SetGemmBlocking(l, 256, 128, 1024); err == nil {
				t.Error("generic: no error")
			}
			continue
		}
		t.Cleanup(func() { tuning = applyTuning(detectCPU(), cpuTable, archLevels()) })
		for _, bad := range [][3]int{{0, kn.mr, kn.nr}, {64, kn.mr - 1, kn.nr}, {64, kn.mr, kn.nr - 1}, {64, 0, kn.nr}, {1 << 17, kn.mr, kn.nr}} {
			if err := SetGemmBlocking(l, bad[0], bad[1], bad[2]); err == nil {
				t.Errorf("%s %v: no error", l, bad)
			}
		}
		if err := SetGemmBlocking(l, 96, 2*kn.mr, 3*kn.nr); err != nil {
			t.Fatal(err)
		}
		if kn.kc != 96 || kn.mc != 2*kn.mr || kn.nc != 3*kn.nr {
			t.Errorf("%s: kernel blocking %d %d %d", l, kn.kc, kn.mc, kn.nc)
		}
		lt := levelOf(t, CurrentTuning(), l)
		if lt.KC != 96 || lt.MC != 2*kn.mr || lt.NC != 3*kn.nr || lt.Why != "set by SetGemmBlocking" {
			t.Errorf("%s: CurrentTuning %+v", l, lt)
		}
		// The products stay right with it, and with blocks that are not
		// whole tiles.
		rng := rand.New(rand.NewPCG(7, 8))
		runGemmCase(t, newGemmCase(rng, NoTrans, Trans, 2*kn.mc+3, 3*kn.nc+1, directMaxK+5, 1, 0.5, 1))
		if err := SetGemmBlocking(l, 100, kn.mr+1, kn.nr+3); err != nil {
			t.Fatal(err)
		}
		runGemmCase(t, newGemmCase(rng, Trans, NoTrans, 3*kn.mr+5, 4*kn.nr+7, directMaxK+3, -1, 0, 0))
	}
}

// TestSgemmPartialBlocks runs the packed path, on one thread (so that one
// part spans several blocks), with mc and nc that are not multiples of the
// tile and beta ≠ 0: a tile that reached past its block would be computed
// twice, the second time scaling by beta a C already written. (nc 512 with
// NEON's NR 12 did exactly that for n > 512 before the driver kept tiles
// inside their block.)
func TestSgemmPartialBlocks(t *testing.T) {
	defer SetGemmThreads(SetGemmThreads(1))
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		old := blocking{kn.kc, kn.mc, kn.nc}
		defer func() { kn.kc, kn.mc, kn.nc = old.kc, old.mc, old.nc }()
		rng := rand.New(rand.NewPCG(9, 10))
		for i, b := range []blocking{
			{kc: 100, mc: kn.mr + 1, nc: kn.nr + 3},
			{kc: 256, mc: 2*kn.mr - 1, nc: 3*kn.nr - 1},
			{kc: 300, mc: 2 * kn.mr, nc: 2*kn.nr + kn.nr/2},
		} {
			kn.kc, kn.mc, kn.nc = b.kc, b.mc, b.nc
			tr := gemmTrans[i%4]
			runGemmCase(t, newGemmCase(rng, tr[0], tr[1], 3*b.mc+2, 3*b.nc+5, directMaxK+7, -1.5, gemmBetas[1+i%2], i%2))
		}
	})
}
