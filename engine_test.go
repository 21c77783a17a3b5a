package deltacore

import (
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deltacore/deltacore/internal/israce"
)

// testEngine returns an engine with the given thread budget that splits
// products of more than 1024 multiply-adds per goroutine, so that small
// shapes split too.
func testEngine(t testing.TB, cfg EngineConfig) *Engine {
	t.Helper()
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.minWork = 1 << 10
	return e
}

func sameBits32(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestThreadInvariance checks the rule written at Engine: the same bits
// for 1, 2, 3 and 7 threads, on every level and path, for shapes whose
// split points (multiples of MR or NR) fall in odd places and leave
// partial tiles in several parts.
func TestThreadInvariance(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(7, 15))
		shapes := [][3]int{
			{37, 531, 45},   // split by columns, direct path
			{517, 29, 60},   // split by rows (few column panels)
			{9, 301, 40},    // dot path for NT
			{43, 77, 1030},  // packed path (k > directMaxK), partial kc block
			{61, 200, 1030}, // packed path split by columns: full tiles on the packed-operand kernel, edges on the general one
			{37, 1001, 100}, // swap path for NT, dot tile on the last rows
			{20, 1601, 64},  // swap path, one partial panel
			{33, 1601, 64},  // swap path, dot tile on the last row
			{1, 517, 64},    // gemv path
			{2, 517, 64},    // gemv path
		}
		if israce.Enabled && kn == &genericGemm {
			shapes = shapes[:3]
		}
		threads := []int{1, 2, 3, 7}
		reduced := reducedTests()
		if reduced {
			// Under -short, -race or emulation (where this test took 36 s
			// of the qemu Haswell pass): the odd thread counts, and on
			// each shape A·Bᵀ (the only pair the dot, swap and gemv
			// paths take) and one other pair, in turn.
			threads = []int{1, 3, 7}
			if os.Getenv("DELTACORE_SLOW_EMULATION") != "" {
				// Emulated, where every goroutine hand-off is slow
				// (still the largest test of the qemu Haswell pass):
				// one split, into the most parts.
				threads = []int{1, 7}
			}
		}
		for si, s := range shapes {
			for ti, tr := range gemmTrans {
				if reduced && ti != 1 && ti != []int{0, 2, 3}[si%3] {
					continue // gemmTrans[1] is A·Bᵀ
				}
				g := newGemmCase(rng, tr[0], tr[1], s[0], s[1], s[2], 1.5, 0.5, ti%2)
				var want []float32
				for _, th := range threads {
					e := testEngine(t, EngineConfig{Threads: th})
					c := append([]float32(nil), g.c...)
					e.Sgemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc)
					if want == nil {
						want = c
						ref, scale := refGemm(g, g.c)
						checkGemm(t, &gemmCase{tA: g.tA, tB: g.tB, m: g.m, n: g.n, k: g.k, alpha: g.alpha, beta: g.beta,
							a: g.a, b: g.b, c: c, lda: g.lda, ldb: g.ldb, ldc: g.ldc}, ref, scale, "threads=1")
					} else if i := sameBits32(c, want); i >= 0 {
						t.Errorf("%v threads=%d: C[%d] = %v, 1 thread %v", g, th, i, c[i], want[i])
					}
				}
			}
			// The fused layers, with bias and σ, and δ in place of z.
			m, n, k := s[0], s[1], s[2]
			x := randMatrix(rng, m, k, k, 0)
			w := randMatrix(rng, n, k, k, 0)
			bias := randMatrix(rng, 1, n, n, 0)
			dn := randMatrix(rng, m, k, k, 0)
			wn := randMatrix(rng, k, n, n, 0)
			var wantZ, wantAct, wantD []float32
			for _, th := range threads {
				e := testEngine(t, EngineConfig{Threads: th})
				z, act := make([]float32, m*n), make([]float32, m*n)
				e.DenseForward(m, n, k, x, k, w, k, bias, z, n, act, n)
				d := append([]float32(nil), z...)
				e.DenseBackward(m, n, k, dn, k, wn, n, d, n, d, n)
				if wantZ == nil {
					wantZ, wantAct, wantD = z, act, d
					continue
				}
				for _, r := range []struct {
					name      string
					got, want []float32
				}{{"z", z, wantZ}, {"act", act, wantAct}, {"d", d, wantD}} {
					if i := sameBits32(r.got, r.want); i >= 0 {
						t.Errorf("%v threads=%d: %s[%d] = %v, 1 thread %v", s, th, r.name, i, r.got[i], r.want[i])
					}
				}
			}
		}
	})
}

// TestNewEngine checks the configuration errors and the level cap.
func TestNewEngine(t *testing.T) {
	if _, err := NewEngine(EngineConfig{Threads: -1}); err == nil {
		t.Error("Threads -1 accepted")
	}
	if _, err := NewEngine(EngineConfig{MaxLevel: "sse9"}); err == nil {
		t.Error("MaxLevel sse9 accepted")
	}
	var zero Engine
	if zero.Threads() != runtime.GOMAXPROCS(0) || zero.Level() != CurrentLevel() {
		t.Errorf("zero Engine: threads %d level %v", zero.Threads(), zero.Level())
	}
	var nilEngine *Engine
	old := SetGemmThreads(5)
	if nilEngine.Threads() != 5 {
		t.Errorf("nil engine has %d threads, want the default engine's 5", nilEngine.Threads())
	}
	SetGemmThreads(old)
	e, err := NewEngine(EngineConfig{Threads: 3, MaxLevel: "generic"})
	if err != nil || e.Threads() != 3 || e.Level() != Generic {
		t.Fatalf("engine %v: threads %d level %v", err, e.Threads(), e.Level())
	}
	// A capped engine computes what the package computes at that level,
	// whatever the current level is.
	rng := rand.New(rand.NewPCG(3, 4))
	g := newGemmCase(rng, NoTrans, Trans, 20, 45, 70, 1, 0, 0)
	run := func(f func(c []float32)) []float32 {
		c := append([]float32(nil), g.c...)
		f(c)
		return c
	}
	capped := run(func(c []float32) {
		e.Sgemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc)
	})
	lv := CurrentLevel()
	SetLevel(Generic)
	generic := run(func(c []float32) { Sgemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc) })
	SetLevel(lv)
	if i := sameBits32(capped, generic); i >= 0 {
		t.Errorf("engine capped at generic: C[%d] = %v, generic level %v", i, capped[i], generic[i])
	}
	for _, l := range Levels() {
		e, _ := NewEngine(EngineConfig{MaxLevel: l.String()})
		if e.Level() != l && e.Level().rank() > l.rank() {
			t.Errorf("cap %v: engine level %v", l, e.Level())
		}
	}
}

// TestEnginesConcurrent runs products from many goroutines on engines of
// different budgets and caps, sharing some engines: every result must equal
// the single-threaded one of the engine's level, bit for bit.
func TestEnginesConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	shapes := [][3]int{{10, 30, 784}, {100, 30, 200}, {64, 64, 64}, {33, 130, 70}}
	var cases []*gemmCase
	for i, s := range shapes {
		tr := gemmTrans[i%4]
		cases = append(cases, newGemmCase(rng, tr[0], tr[1], s[0], s[1], s[2], 1, 0.5, i%2))
	}
	levels := append([]string{""}, func() (s []string) {
		for _, l := range Levels() {
			s = append(s, l.String())
		}
		return
	}()...)
	want := map[Level][][]float32{}
	for _, l := range Levels() {
		e := testEngine(t, EngineConfig{Threads: 1, MaxLevel: l.String()})
		for _, g := range cases {
			c := append([]float32(nil), g.c...)
			e.Sgemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc)
			want[e.Level()] = append(want[e.Level()], c)
		}
	}
	shared := testEngine(t, EngineConfig{Threads: 2})
	var wg sync.WaitGroup
	var bad atomic.Int32
	for w := 0; w < 24; w++ {
		wg.Go(func() {
			e := shared
			if w%3 != 0 {
				e = testEngine(t, EngineConfig{Threads: 1 + w%4, MaxLevel: levels[w%len(levels)]})
			}
			for r := 0; r < 3; r++ {
				for i, g := range cases {
					c := append([]float32(nil), g.c...)
					e.Sgemm(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc)
					if j := sameBits32(c, want[e.Level()][i]); j >= 0 && bad.Add(1) < 5 {
						t.Errorf("worker %d (threads %d, level %v) %v: C[%d] differs", w, e.Threads(), e.Level(), g, j)
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestEngineBufferBound checks that an engine keeps at most MaxBufferBytes
// of packing buffers after concurrent calls, none with a negative bound,
// and at most DefaultMaxBufferBytes by default. Each part of the product
// packs its columns of Bᵀ (up to 300·96 floats, 112 KiB), so 12 parts at
// once need more than the smallest bound.
func TestEngineBufferBound(t *testing.T) {
	a := make([]float32, 64*300)
	b := make([]float32, 300*300)
	for _, c := range []struct{ cfg, limit int }{{256 << 10, 256 << 10}, {-1, 0}, {0, DefaultMaxBufferBytes}} {
		e := testEngine(t, EngineConfig{Threads: 3, MaxBufferBytes: c.cfg})
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Go(func() {
				out := make([]float32, 64*300)
				e.Sgemm(NoTrans, Trans, 64, 300, 300, 1, a, 300, b, 300, 0, out, 300)
			})
		}
		wg.Wait()
		if kept := e.keptBufferBytes(); kept > c.limit || c.limit > 0 && kept == 0 {
			t.Errorf("MaxBufferBytes %d: %d bytes kept, want 1…%d", c.cfg, kept, c.limit)
		}
	}
}

// TestEngineRelease checks that dropped engines are garbage collected with
// their buffers: the heap returns to its baseline, and every engine's
// cleanup runs (no goroutine or global keeps one alive).
func TestEngineRelease(t *testing.T) {
	a := make([]float32, 128*512)
	b := make([]float32, 512*128)
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	const engines = 10
	var collected atomic.Int32
	func() {
		var wg sync.WaitGroup
		for range engines {
			e := testEngine(t, EngineConfig{Threads: 2, MaxBufferBytes: 64 << 20})
			runtime.AddCleanup(e, func(*atomic.Int32) { collected.Add(1) }, &collected)
			wg.Go(func() {
				c := make([]float32, 128*128)
				e.Sgemm(NoTrans, Trans, 128, 128, 512, 1, a, 512, b, 512, 0, c, 128)
				e.DenseForward(128, 128, 512, a, 512, b, 512, nil, c, 128, nil, 0)
			})
		}
		wg.Wait()
	}()
	runtime.ReadMemStats(&ms)
	peak := ms.HeapAlloc
	deadline := time.Now().Add(5 * time.Second)
	for collected.Load() < engines && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	if n := collected.Load(); n != engines {
		t.Errorf("%d of %d dropped engines were collected", n, engines)
	}
	if ms.HeapAlloc > base+2<<20 {
		t.Errorf("heap %d KiB after dropping the engines, baseline %d KiB (peak %d KiB)", ms.HeapAlloc>>10, base>>10, peak>>10)
	}
}

// TestEngineGoroutineBound runs 64 goroutines, each with its own engine of
// budget 1 (and then 2), on 100×784×30 products (k = 200 where the kernels
// are slow): the live goroutines must stay within engines × budget plus
// the test's own few, and once the goroutines and their engines are gone
// the heap must be back at its baseline after a GC (issue 15's load goal;
// BenchmarkEngineLoad measures its throughput).
func TestEngineGoroutineBound(t *testing.T) {
	k, rounds := 784, 4
	if reducedTests() {
		k, rounds = 200, 1
	}
	x := make([]float32, 100*k)
	w := make([]float32, 30*k)
	var ms runtime.MemStats
	for _, budget := range []int{1, 2} {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		heapBase := ms.HeapAlloc
		base := runtime.NumGoroutine()
		var most atomic.Int64
		var wg sync.WaitGroup
		stop := make(chan struct{})
		var sampler sync.WaitGroup
		sampler.Go(func() {
			for {
				if n := int64(runtime.NumGoroutine()); n > most.Load() {
					most.Store(n)
				}
				select {
				case <-stop:
					return
				default:
					runtime.Gosched()
				}
			}
		})
		for range 64 {
			e := testEngine(t, EngineConfig{Threads: budget})
			e.minWork = 1 << 14 // split in budget parts
			wg.Go(func() {
				z := make([]float32, 100*30)
				for range rounds {
					e.DenseForward(100, 30, k, x, k, w, k, nil, z, 30, nil, 0)
					e.Sgemm(NoTrans, Trans, 100, 30, k, 1, x, k, w, k, 0, z, 30)
				}
			})
		}
		wg.Wait()
		close(stop)
		sampler.Wait()
		// With budget 2, a worker that has finished its part may still be
		// exiting (and counted) when its engine starts the next call.
		slack := 0
		if budget > 1 {
			slack = 16
		}
		if limit := int64(base + 1 + 64*budget + slack); most.Load() > limit {
			t.Errorf("budget %d: %d goroutines live at most, want ≤ %d (64 engines × %d + %d + %d exiting)", budget, most.Load(), limit, budget, base+1, slack)
		}
		// The engines (each keeping its packed B, some 100 KiB) are
		// garbage now: two GCs return the heap to its baseline.
		runtime.ReadMemStats(&ms)
		peak := ms.HeapAlloc
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > heapBase+1<<20 {
			t.Errorf("budget %d: heap %d KiB after a GC, baseline %d KiB (%d KiB at the end of the load)", budget, ms.HeapAlloc>>10, heapBase>>10, peak>>10)
		}
		t.Logf("budget %d: at most %d goroutines live (%d before); heap %d KiB at the end, %d KiB after GC, baseline %d KiB",
			budget, most.Load(), base, peak>>10, ms.HeapAlloc>>10, heapBase>>10)
	}
}
