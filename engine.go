package deltacore

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// An Engine runs matrix products (Sgemm, DenseForward, DenseBackward) with
// its own settings and its own packing buffers, so that several users of
// the package in one process (requests of a server, the networks of a
// study) do not share, or fight over, process-wide settings. Its methods
// mirror the package functions, which run on the default engine.
//
// An engine holds:
//   - a thread budget: the most goroutines one product may use (the calling
//     goroutine included), so a call never has more than budget − 1 extra
//     goroutines live; they end when the call returns;
//   - an optional level cap: the engine runs at the package's current level
//     (see SetLevel, DELTACORE_ISA), or at the best available level not
//     above the cap, whichever is lower;
//   - packing buffers (and Sgemv's scratch copies of strided vectors),
//     kept between calls up to a bound in bytes, so that repeated products
//     allocate nothing. No goroutine and no global refers
//     to an engine between calls: an engine that is no longer referenced is
//     garbage collected with its buffers.
//
// An engine is safe for concurrent use by any number of goroutines; each
// call takes the buffers it needs from the engine and returns them. A nil
// *Engine stands for the default engine, and the zero Engine is ready to
// use with the defaults (as NewEngine(EngineConfig{})). An Engine must not
// be copied after first use.
//
// Thread invariance: a product split across goroutines is cut into blocks
// of whole columns (or whole rows) of C whose boundaries are multiples of
// the level's register tile (MR rows, NR columns), and the path (dot,
// direct or packed) is chosen once for the whole product. Every element of
// C is therefore computed by the same instructions, in the same order, as
// on one goroutine: results are bit-identical for any thread budget, on
// every level. (They may differ between levels.)
//
// Allocations: a product allocates nothing once the engine holds the
// buffers it needs, whatever its shape and thread count, also across
// garbage collections. It does allocate while the engine warms up (the
// first calls of each shape class, and the first split calls, while the
// Go runtime builds up its free list of exited goroutines on each P), when
// the buffers that concurrent calls need exceed MaxBufferBytes (the excess
// is allocated and dropped on every call), and when more than 16 split
// products run on one engine at once (each split beyond 16 allocates its
// descriptor of parts).
//
// Adding an operation to engines: write its body as a method on *Engine
// that takes its kernels from e.kernels() (or e.table()), and make the
// package function a one-line call of defaultEngine's method, as Sgemv
// does (its body is sgemv(e, e.table(), …), its scratch from e.getBuf).
type Engine struct {
	threads  atomic.Int32 // thread budget; 0: GOMAXPROCS at each call
	capped   bool         // maxLevel applies
	maxLevel Level        // the level cap, as capLevel resolved it
	maxBuf   int          // bytes of buffers kept; 0: DefaultMaxBufferBytes; < 0: none
	minWork  int          // least m·n·k per goroutine; 0: parMinWork (tests lower it)

	mu        sync.Mutex
	free      []*gemmBuf // packing buffers of finished calls
	freeBytes int        // their capacity in bytes
	jobs      []*gemmJob // split descriptors of finished calls
}

// EngineConfig configures an Engine. Its zero value gives the defaults:
// the package functions' behaviour before any SetGemmThreads.
type EngineConfig struct {
	// Threads is the most goroutines one product may use, the calling
	// goroutine included; 0 means runtime.GOMAXPROCS(0), read at each
	// call. 1 keeps every product on the calling goroutine. Small products
	// always run on the calling goroutine.
	Threads int
	// MaxLevel, if not empty, caps the instruction-set level: the name of
	// a Level ("generic", "avx2", "avx512", "neon", as ParseLevel takes
	// it). The engine runs at the package's current level or at the best
	// available level not above the cap, whichever is lower; a cap of
	// another architecture (neon on amd64) means generic. (A string, not a
	// Level, because Level's zero value is Generic.)
	MaxLevel string
	// MaxBufferBytes bounds the packing buffers (Sgemv's scratch vectors
	// included) the engine keeps between calls, in bytes; 0 means
	// DefaultMaxBufferBytes, a negative value keeps none. Buffers in use by running calls are not counted: a call
	// needs up to about 1 MiB (kc·nc floats of packed B) per goroutine,
	// plus up to 4 MiB of packed op(A) on the packed path (packKeepA),
	// 2 MiB more for a large DenseBackward with d == z (its partial sums),
	// and allocates what the kept buffers do not cover.
	MaxBufferBytes int
}

// DefaultMaxBufferBytes is the bound on kept packing buffers of an engine
// whose config leaves MaxBufferBytes at 0, the default engine's included:
// enough for 16 goroutines' worth of packed B blocks (AVX-512), or three
// of the packed path's largest buffers (packed B and the kept op(A)).
const DefaultMaxBufferBytes = 16 << 20

// NewEngine returns an engine with the given configuration, or an error if
// Threads is negative or MaxLevel is not a level name.
func NewEngine(cfg EngineConfig) (*Engine, error) {
	if cfg.Threads < 0 {
		return nil, fmt.Errorf("deltacore: NewEngine: Threads = %d < 0", cfg.Threads)
	}
	e := &Engine{maxBuf: cfg.MaxBufferBytes}
	e.threads.Store(int32(min(cfg.Threads, math.MaxInt32)))
	if cfg.MaxLevel != "" {
		want, err := ParseLevel(cfg.MaxLevel)
		if err != nil {
			return nil, err
		}
		e.capped, e.maxLevel = true, capLevel(want)
	}
	return e, nil
}

// defaultEngine runs the package functions. SetGemmThreads sets its budget.
var defaultEngine Engine

// orDefault returns e, or the default engine for nil.
func (e *Engine) orDefault() *Engine {
	if e == nil {
		return &defaultEngine
	}
	return e
}

// Threads returns the engine's thread budget: the number of goroutines a
// large product may use now.
func (e *Engine) Threads() int {
	e = e.orDefault()
	if n := e.threads.Load(); n > 0 {
		return int(n)
	}
	return runtime.GOMAXPROCS(0)
}

// Level returns the level the engine's next call runs at: the package's
// current level, lowered to the engine's cap if it has one.
func (e *Engine) Level() Level { return e.table().level }

// table returns the kernel table of the engine's level.
func (e *Engine) table() *kernelTable {
	e = e.orDefault()
	t := active.Load()
	if e.capped && e.maxLevel.rank() < t.level.rank() {
		t = tableFor(e.maxLevel)
	}
	return t
}

// kernels returns the micro-kernel and the kernel table of the engine's
// level, from one reading of the current level.
func (e *Engine) kernels() (*gemmKernel, *kernelTable) {
	t := e.table()
	return gemmImplFor(t.level), t
}

// SetGemmThreads fixes the number of goroutines a large matrix product
// (Sgemm, DenseForward, DenseBackward) of the package functions may use,
// that is the default engine's thread budget, and returns the previous
// setting. n ≤ 0 restores the default, runtime.GOMAXPROCS(0) read at each
// call. Small products always run on the calling goroutine. The setting is
// process-wide; code that needs its own budget uses an Engine.
func SetGemmThreads(n int) int {
	return int(defaultEngine.threads.Swap(int32(min(max(n, 0), math.MaxInt32))))
}

// bufLimit returns the bound on kept buffer bytes.
func (e *Engine) bufLimit() int {
	if e.maxBuf == 0 {
		return DefaultMaxBufferBytes
	}
	return e.maxBuf
}

// gemmBuf holds one goroutine's packing buffers and Sgemv's scratch
// vectors.
type gemmBuf struct {
	b, tile []float32
	c       []float32 // DenseBackward's partial sums when d is z (gemmPacked)
	a       []float32 // the packed mc×kc block of op(A) (gemmPackedRows)
	vx, vy  []float32 // Sgemv's unit-stride copies of a strided x and y
}

func (b *gemmBuf) bytes() int {
	return 4 * (cap(b.b) + cap(b.tile) + cap(b.c) + cap(b.a) + cap(b.vx) + cap(b.vy))
}

// getBuf takes a kept buffer, or a new empty one.
func (e *Engine) getBuf() *gemmBuf {
	e.mu.Lock()
	if n := len(e.free); n > 0 {
		b := e.free[n-1]
		e.free[n-1] = nil
		e.free = e.free[:n-1]
		e.freeBytes -= b.bytes()
		e.mu.Unlock()
		return b
	}
	e.mu.Unlock()
	return new(gemmBuf)
}

// putBuf keeps b for later calls if the bound allows, else drops it.
func (e *Engine) putBuf(b *gemmBuf) {
	size := b.bytes()
	e.mu.Lock()
	if e.freeBytes+size <= e.bufLimit() {
		e.free = append(e.free, b)
		e.freeBytes += size
	}
	e.mu.Unlock()
}

// keptBufferBytes returns the bytes of packing buffers the engine keeps now
// (for tests).
func (e *Engine) keptBufferBytes() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.freeBytes
}

// gemmJob is one split product: its parts and the WaitGroup of the
// goroutines computing them. Jobs are kept by the engine (at most
// maxKeptJobs), so that a split product allocates nothing in steady state.
type gemmJob struct {
	wg    sync.WaitGroup
	parts []gemmArgs
}

const maxKeptJobs = 16

func (e *Engine) getJob() *gemmJob {
	e.mu.Lock()
	if n := len(e.jobs); n > 0 {
		j := e.jobs[n-1]
		e.jobs[n-1] = nil
		e.jobs = e.jobs[:n-1]
		e.mu.Unlock()
		return j
	}
	e.mu.Unlock()
	return new(gemmJob)
}

func (e *Engine) putJob(j *gemmJob) {
	clear(j.parts) // drop the references to the caller's matrices
	j.parts = j.parts[:0]
	e.mu.Lock()
	if len(e.jobs) < maxKeptJobs {
		e.jobs = append(e.jobs, j)
	}
	e.mu.Unlock()
}

// gemmTask is one part of a split product, handed to a goroutine started
// for it. The goroutine is started as `go gemmWorker()`, with no arguments
// and no closure, and receives its task over gemmTasks: a `go` statement
// with arguments, or a closure, would allocate on every call. Every
// started worker takes exactly one task and every task is sent after its
// worker was started, so any worker may take any task and none waits long.
type gemmTask struct {
	job *gemmJob
	p   int
}

var gemmTasks = make(chan gemmTask, 64)

func gemmWorker() {
	t := <-gemmTasks
	gemmSerial(&t.job.parts[t.p])
	t.job.wg.Done()
}

// parMinWork is the least m·n·k one goroutine is given: 2²⁴, about 34
// Mflop, some 200 µs at 160 GFLOP/s, so that a product is split in two
// only from 2²⁵ (a 320³ cube) on. A split costs a fixed time O besides
// the work: waking a parked thread on an idle core (on a VM, an idle vCPU
// is halted and woken by the host) and loading the shared operand into the
// second core's caches. Issue 16's measurements on Intel family 6 model
// 167 (two goroutines against one: 0.91× at 256³, 1.64× at 512³, 1.97× at
// 1024³, with T₂ = T₁/2 + O) give O ≈ 105–185 µs in all three. Two
// goroutines pay only when T₁/2 > O; with 2²¹, the value tuned on AMD,
// 256³ (T₁ ≈ 210 µs) was split and ran slower. From 2²⁵ on, T₁ ≥ 420 µs:
// ≥ 1.06× at the threshold with the largest O, more above it. (Not
// re-measured: the shared 2-core machine ran at load 12–19 during this
// change, where two goroutines never got both cores.)
const parMinWork = 1 << 24

// gemmWorkers returns how many goroutines the work of g asks for: the
// engine's threads, fewer where a part would get less than minWork
// (parMinWork unless the engine sets it). gemmRun splits the product when
// it is more than one (and C has more than one tile to split).
func gemmWorkers(g *gemmArgs) int {
	minWork := float64(parMinWork)
	if g.eng.minWork > 0 {
		minWork = float64(g.eng.minWork)
	}
	nt := g.eng.Threads()
	if work := float64(g.m) * float64(g.n) * float64(g.k); work < float64(nt)*minWork {
		nt = int(work / minWork)
	}
	return nt
}

// gemmRun computes the product, split across goroutines when it is large.
// Each part is a block of whole columns (or, when C has too few column
// panels, whole rows) of C, a multiple of the register tile, computed
// independently with its own packing buffers.
//
// The path (dot, direct or packed) is chosen once for the whole product, so
// the parts round exactly as a single goroutine would: results do not
// depend on the number of goroutines (see Engine).
func gemmRun(g *gemmArgs) {
	kn := g.kern
	g.path = choosePath(g)
	e := g.eng
	nt := gemmWorkers(g)
	if nt <= 1 {
		gemmSerial(g)
		return
	}
	// Columns first. On the direct and dot paths op(A) is read in place,
	// so column parts duplicate no packing work; on the packed path each
	// column part packs op(A) once (packKeepA), which is less than row
	// parts each packing all of op(B) would cost (splitting 1024³ by rows
	// measured 156–161 GFLOP/s of CPU time against 161–180 by columns,
	// Intel 6/167).
	// The swap path splits by columns only: which rows its dot tile
	// computes depends on m (see gemmSwap).
	byRows := (g.n+kn.nr-1)/kn.nr < 2*nt && g.path != pathSwap && g.path != pathGemv
	size, unit := g.n, kn.nr
	if byRows {
		size, unit = g.m, kn.mr
	}
	units := (size + unit - 1) / unit
	nt = min(nt, units)
	job := e.getJob()
	parts := job.parts[:0]
	lo := 0
	for p := 0; p < nt; p++ {
		hi := min(size, (units*(p+1)/nt)*unit)
		if hi <= lo {
			continue
		}
		if byRows {
			parts = append(parts, g.sub(lo, hi, 0, g.n))
		} else {
			parts = append(parts, g.sub(0, g.m, lo, hi))
		}
		lo = hi
	}
	job.parts = parts
	last := len(parts) - 1
	job.wg.Add(last)
	for p := 0; p < last; p++ {
		go gemmWorker()
		gemmTasks <- gemmTask{job, p}
	}
	gemmSerial(&parts[last])
	job.wg.Wait()
	e.putJob(job)
}

// choosePath returns the path of a product (see the blocking comment in
// gemm.go), from its shape and epilogue alone.
func choosePath(g *gemmArgs) uint8 {
	kn := g.kern
	switch {
	case kn.dot != nil && !g.tA && g.tB && g.m <= gemvMaxM && g.k >= dotMinK && g.ep.kind != epBackward:
		return pathGemv
	case !g.tA && g.tB && g.m >= swapMinM && g.m <= swapMaxM && g.k >= swapMinK && g.m*g.k <= swapMaxA && g.n*g.k > directMaxB && g.ep.kind != epBackward:
		return pathSwap
	case kn.dot != nil && !g.tA && g.tB && g.m <= dotMaxM && g.k >= dotMinK && g.ep.kind != epBackward:
		return pathDot
	case !g.tB && g.ldb >= directMaxLdb && g.n*g.k > directMaxB:
		// B read in place a row at a time (the direct path) would cross a
		// page at every row, where the hardware prefetcher stops; and it
		// does not fit in L2 to be reread from there. The packed path
		// reads its rows front to back (packBlockN).
		return pathPacked
	case g.k <= directMaxK && (g.m*g.k <= directMaxA || g.n*g.k <= directMaxB):
		return pathDirect
	default:
		return pathPacked
	}
}

// directMaxLdb: op(B) = B with at least this row stride (floats: one 4 KiB
// page) and larger than directMaxB goes to the packed path. Measured on
// Intel family 6 model 167, process CPU time, direct → packed GFLOP/s:
// 64×4096×1024 71–73 → 100–104 (ldb 4096 or 4112 alike), 32×1024×1024
// 79–85 → 94–98, 12×4096×1024 21–24 → 42–50, 1×4096×1024 2.5–2.6 → 6.0–6.8,
// 64×1024×128 135–139 → 140–142; while with a narrow B (n = 784: 30×784×1000,
// 109 → 88; 128×128×1024, 162 → 126–133) the direct path wins.
const directMaxLdb = 1024

// gemmSerial computes the product on the calling goroutine.
func gemmSerial(g *gemmArgs) {
	buf := g.eng.getBuf()
	switch g.path {
	case pathDot:
		gemmDot(g, buf)
	case pathDirect:
		gemmDirect(g, buf)
	case pathSwap:
		gemmSwap(g, buf)
	case pathGemv:
		gemmGemv(g, buf)
	default:
		gemmPacked(g, buf)
	}
	g.eng.putBuf(buf)
}
