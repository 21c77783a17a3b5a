package bench

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"

	"github.com/deltacore/deltacore"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// The units of a result's rate.
const (
	UnitGFLOPS = "GFLOP/s" // nominal flops: 2·m·n·k for a matrix product
	UnitGElems = "Gelem/s" // elements of the kernel's vector (or matrix)
)

// Case is one kernel at one shape.
type Case struct {
	Kernel string  // public function of the root package, e.g. "Sgemm"
	Shape  string  // e.g. "n=4096" or "m=1000,n=30,k=784,op=NT"
	Unit   string  // UnitGFLOPS or UnitGElems
	Work   float64 // flops (UnitGFLOPS) or elements (UnitGElems) per call
	Bytes  float64 // least memory traffic of one call, in bytes
	Quick  bool    // part of the --quick set
	// Peers says whether the case also runs on the Sgemm peers.
	Peers bool

	// prepare allocates and fills the buffers and returns the timed call;
	// for a case with Peers, peer returns the same call made through a peer.
	prepare func() (ours func(), peer func(SgemmFunc) func())
	// prepareV replaces prepare for the Sgemv cases, whose peers run
	// Peer.Sgemv (sgemv.go).
	prepareV func() (ours func(), peer func(SgemvFunc) func())
}

// Impl names one implementation a case runs on: an ISA level of deltacore or
// a peer library.
type Impl struct {
	Level string `json:"level,omitempty"` // "avx512", "avx2", "generic", "neon"
	Peer  string `json:"peer,omitempty"`  // "gonum", "openblas"
}

// String returns "isa=<level>" or "peer=<name>", the middle element of a
// benchmark name.
func (im Impl) String() string {
	if im.Peer != "" {
		return "peer=" + im.Peer
	}
	return "isa=" + im.Level
}

// Label is the short column title: the level or the peer's name.
func (im Impl) Label() string {
	if im.Peer != "" {
		return im.Peer
	}
	return im.Level
}

// Name returns the full name of a case on an implementation, as the
// benchmarks print it without the "Benchmark" prefix:
// "Sgemm/isa=avx2/m=256,n=256,k=256".
func (c *Case) Name(im Impl) string { return c.Kernel + "/" + im.String() + "/" + c.Shape }

// SgemmFunc is a row-major single-precision GEMM with the semantics of CBLAS
// row-major sgemm and of deltacore.Sgemm: C = alpha·op(A)·op(B) + beta·C,
// tA and tB being 'N' or 'T'.
type SgemmFunc func(tA, tB byte, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int)

// Peer is a library whose Sgemm runs next to deltacore's in the same run.
type Peer struct {
	Name  string
	Sgemm SgemmFunc
	Sgemv SgemvFunc // nil if the peer runs no Sgemv cases
	// SetThreads, if not nil, fixes the number of threads the library uses;
	// the runner calls it with the --threads value before timing (gonum
	// follows GOMAXPROCS, which the runner sets too).
	SetThreads func(n int)
}

var (
	peersMu sync.Mutex
	peers   []Peer
)

// RegisterPeer adds a library to the Sgemm comparison. Files call it from
// init; a build-tagged file can so add a cgo binding:
//
//	//go:build openblas
//	func init() { bench.RegisterPeer("openblas", cblasSgemm) }
//
// Registering a name twice replaces the earlier entry.
func RegisterPeer(name string, sgemm SgemmFunc) {
	AddPeer(Peer{Name: name, Sgemm: sgemm})
}

// AddPeer is RegisterPeer with the optional thread-count hook.
func AddPeer(p Peer) {
	if p.Name == "" || p.Sgemm == nil {
		panic("bench: AddPeer: empty name or nil Sgemm")
	}
	peersMu.Lock()
	defer peersMu.Unlock()
	for i := range peers {
		if peers[i].Name == p.Name {
			peers[i] = p
			return
		}
	}
	peers = append(peers, p)
}

// Peers returns the registered peers, sorted by name.
func Peers() []Peer {
	peersMu.Lock()
	defer peersMu.Unlock()
	ps := append([]Peer(nil), peers...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return ps
}

func init() {
	var impl gonum.Implementation
	AddPeer(Peer{Name: "gonum", Sgemm: func(tA, tB byte, m, n, k int, alpha float32, a []float32, lda int,
		b []float32, ldb int, beta float32, c []float32, ldc int) {
		impl.Sgemm(blas.Transpose(tA), blas.Transpose(tB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}, Sgemv: gonumSgemv})
}

// GemmShape is one Sgemm problem: op(A) is M×K, op(B) is K×N.
type GemmShape struct {
	TA, TB  byte // 'N' or 'T'
	M, N, K int
	Quick   bool
}

// String names the shape as the benchmarks do: "m=1024,n=1024,k=1024" for
// A·B, with ",op=NT" (or TN, TT) appended when an operand is transposed.
func (s GemmShape) String() string {
	name := fmt.Sprintf("m=%d,n=%d,k=%d", s.M, s.N, s.K)
	if s.TA != 'N' || s.TB != 'N' {
		name += ",op=" + string([]byte{s.TA, s.TB})
	}
	return name
}

// SgemmShapes are the shapes of the Sgemm suite (issue 3): square products,
// and the products of a 784-30-10 network trained in batches of 1000 and 10.
var SgemmShapes = []GemmShape{
	{'N', 'N', 256, 256, 256, true},
	{'N', 'N', 512, 512, 512, false},
	{'N', 'N', 1024, 1024, 1024, false},
	{'N', 'T', 1000, 30, 784, true},  // forward, batch 1000: X·Wᵀ
	{'T', 'N', 30, 784, 1000, false}, // weight gradient: Δᵀ·X
	{'N', 'N', 1000, 30, 30, true},   // δ propagation, batch 1000
	{'N', 'T', 10, 30, 784, true},    // forward, batch 10
	{'N', 'N', 10, 30, 30, true},     // δ propagation, batch 10
}

// Suite returns every case, in a fixed order; quick keeps the --quick set.
func Suite(quick bool) []*Case {
	var cs []*Case
	add := func(c *Case) {
		if !quick || c.Quick {
			cs = append(cs, c)
		}
	}
	for _, s := range SgemmShapes {
		add(sgemmCase(s))
	}
	for _, s := range denseForwardShapes {
		add(denseForwardCase(s))
	}
	for _, s := range denseBackwardShapes {
		add(denseBackwardCase(s))
	}
	for _, k := range elementwise {
		for _, n := range elementwiseSizes {
			add(elementwiseCase(k, n))
		}
	}
	for _, s := range colSumsShapes {
		add(colSumsCase(s.rows, s.cols, s.quick))
	}
	for _, s := range SgemvShapes {
		add(sgemvCase(s))
	}
	return cs
}

// Kernels returns the names of the kernels in the suite, in order.
func Kernels() []string {
	var ks []string
	seen := map[string]bool{}
	for _, c := range Suite(false) {
		if !seen[c.Kernel] {
			seen[c.Kernel] = true
			ks = append(ks, c.Kernel)
		}
	}
	return ks
}

// KernelCases returns the cases of one kernel (all shapes, not only quick).
func KernelCases(kernel string) []*Case {
	var cs []*Case
	for _, c := range Suite(false) {
		if c.Kernel == kernel {
			cs = append(cs, c)
		}
	}
	return cs
}

// fill returns n pseudo-random float32 values in [lo, hi), the same on every
// run.
func fill(n int, lo, hi float32, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	x := make([]float32, n)
	for i := range x {
		x[i] = lo + (hi-lo)*r.Float32()
	}
	return x
}

func sgemmCase(s GemmShape) *Case {
	c := &Case{
		Kernel: "Sgemm", Shape: s.String(), Unit: UnitGFLOPS,
		Work:  2 * float64(s.M) * float64(s.N) * float64(s.K),
		Bytes: 4 * float64(s.M*s.K+s.K*s.N+s.M*s.N),
		Quick: s.Quick, Peers: true,
	}
	c.prepare = func() (func(), func(SgemmFunc) func()) {
		lda, ldb := s.K, s.N
		if s.TA == 'T' {
			lda = s.M
		}
		if s.TB == 'T' {
			ldb = s.K
		}
		a := fill(s.M*s.K, -1, 1, 1)
		b := fill(s.K*s.N, -1, 1, 2)
		cm := make([]float32, s.M*s.N)
		tA, tB := deltacore.Transpose(s.TA), deltacore.Transpose(s.TB)
		ours := func() {
			deltacore.Sgemm(tA, tB, s.M, s.N, s.K, 1, a, lda, b, ldb, 0, cm, s.N)
		}
		peer := func(f SgemmFunc) func() {
			return func() { f(s.TA, s.TB, s.M, s.N, s.K, 1, a, lda, b, ldb, 0, cm, s.N) }
		}
		return ours, peer
	}
	return c
}

type denseShape struct {
	m, n, k int // forward: batch m, n units, k inputs; backward: k is nn
	quick   bool
}

var denseForwardShapes = []denseShape{
	{10, 30, 784, true},     // hidden layer, batch 10
	{1000, 30, 784, true},   // hidden layer, batch 1000
	{1000, 10, 30, false},   // output layer, batch 1000
	{1000, 100, 100, false}, // a wider hidden layer
}

var denseBackwardShapes = []denseShape{
	{10, 30, 10, true},      // δ¹ from δ² of a 784-30-10 network, batch 10
	{1000, 30, 10, true},    // the same, batch 1000
	{1000, 100, 100, false}, // a wider network
}

func denseForwardCase(s denseShape) *Case {
	c := &Case{
		Kernel: "DenseForward", Shape: fmt.Sprintf("m=%d,n=%d,k=%d", s.m, s.n, s.k), Unit: UnitGFLOPS,
		Work:  2 * float64(s.m) * float64(s.n) * float64(s.k),
		Bytes: 4 * float64(s.m*s.k+s.n*s.k+s.n+2*s.m*s.n),
		Quick: s.quick,
	}
	c.prepare = func() (func(), func(SgemmFunc) func()) {
		x := fill(s.m*s.k, 0, 1, 3)
		w := fill(s.n*s.k, -0.1, 0.1, 4)
		bias := fill(s.n, -1, 1, 5)
		z := make([]float32, s.m*s.n)
		act := make([]float32, s.m*s.n)
		return func() { deltacore.DenseForward(s.m, s.n, s.k, x, s.k, w, s.k, bias, z, s.n, act, s.n) }, nil
	}
	return c
}

func denseBackwardCase(s denseShape) *Case {
	m, n, nn := s.m, s.n, s.k
	c := &Case{
		Kernel: "DenseBackward", Shape: fmt.Sprintf("m=%d,n=%d,nn=%d", m, n, nn), Unit: UnitGFLOPS,
		Work:  2 * float64(m) * float64(n) * float64(nn),
		Bytes: 4 * float64(m*nn+nn*n+2*m*n),
		Quick: s.quick,
	}
	c.prepare = func() (func(), func(SgemmFunc) func()) {
		dnext := fill(m*nn, -1, 1, 6)
		w := fill(nn*n, -1, 1, 7)
		z := fill(m*n, -4, 4, 8)
		d := make([]float32, m*n)
		return func() { deltacore.DenseBackward(m, n, nn, dnext, nn, w, n, z, n, d, n) }, nil
	}
	return c
}

// elementwiseSizes: in L1 (4096), in L2 (65536), and well beyond any
// last-level cache (2²⁴ elements, 64 MiB a vector), where the memory
// bandwidth is the limit.
var elementwiseSizes = []int{4096, 1 << 16, 1 << 24}

type ewKernel struct {
	name      string
	bytesElem float64
	quickBig  bool // run the 2²⁴ size in --quick too
	prepare   func(n int) func()
}

// sink keeps the results of reductions alive, so the compiler cannot drop
// the calls.
var sink float64

// mulSigmoidPrimeReset is how often the MulSigmoidPrime benchmark restores
// delta: the kernel multiplies it in place by σ′(z) ≥ σ′(4) ≈ 0.0177 on
// z ∈ [−4, 4), and without a reset delta would reach subnormal numbers (slow
// on some CPUs) and then zero. 8 calls shrink it at most by 10⁻¹⁴; the copy
// adds one byte per element per call to the traffic, which Bytes includes.
const mulSigmoidPrimeReset = 8

var elementwise = []ewKernel{
	{"Sigmoid", 8, false, func(n int) func() {
		z := fill(n, -8, 8, 10)
		dst := make([]float32, n)
		return func() { deltacore.Sigmoid(dst, z) }
	}},
	{"SigmoidPrime", 8, false, func(n int) func() {
		z := fill(n, -8, 8, 11)
		dst := make([]float32, n)
		return func() { deltacore.SigmoidPrime(dst, z) }
	}},
	{"MulSigmoidPrime", 12 + 8.0/mulSigmoidPrimeReset, false, func(n int) func() {
		z := fill(n, -4, 4, 12)
		d0 := fill(n, 0.5, 1, 13)
		d := append([]float32(nil), d0...)
		i := 0
		return func() {
			if i++; i == mulSigmoidPrimeReset {
				i = 0
				copy(d, d0)
			}
			deltacore.MulSigmoidPrime(d, z)
		}
	}},
	{"Axpy", 12, true, func(n int) func() {
		x := fill(n, -1, 1, 14)
		y := fill(n, -1, 1, 15)
		return func() { deltacore.Axpy(1e-3, x, y) }
	}},
	{"Dot", 8, false, func(n int) func() {
		x := fill(n, -1, 1, 16)
		y := fill(n, -1, 1, 17)
		return func() { sink += float64(deltacore.Dot(x, y)) }
	}},
	{"SumSquares", 4, false, func(n int) func() {
		x := fill(n, -1, 1, 18)
		return func() { sink += deltacore.SumSquares(x) }
	}},
}

func elementwiseCase(k ewKernel, n int) *Case {
	return &Case{
		Kernel: k.name, Shape: fmt.Sprintf("n=%d", n), Unit: UnitGElems,
		Work: float64(n), Bytes: k.bytesElem * float64(n),
		Quick:   n == 4096 || (k.quickBig && n == 1<<24),
		prepare: func() (func(), func(SgemmFunc) func()) { return k.prepare(n), nil },
	}
}

var colSumsShapes = []struct {
	rows, cols int
	quick      bool
}{
	{1000, 30, true}, // ∂C/∂b of a 30-unit layer, batch 1000
	{1000, 1000, false},
}

func colSumsCase(rows, cols int, quick bool) *Case {
	return &Case{
		Kernel: "ColSums", Shape: fmt.Sprintf("rows=%d,cols=%d", rows, cols), Unit: UnitGElems,
		Work: float64(rows * cols), Bytes: 4 * float64(rows*cols+cols), Quick: quick,
		prepare: func() (func(), func(SgemmFunc) func()) {
			a := fill(rows*cols, -1, 1, 19)
			dst := make([]float32, cols)
			return func() { deltacore.ColSums(dst, a, rows, cols, cols) }, nil
		},
	}
}

// Prepared is a case with its buffers allocated.
type Prepared struct {
	Case  *Case
	ours  func()
	peer  func(SgemmFunc) func()
	peerV func(SgemvFunc) func()
}

// Prepare allocates and fills the case's buffers.
func (c *Case) Prepare() *Prepared {
	if c.prepareV != nil {
		ours, peerV := c.prepareV()
		return &Prepared{Case: c, ours: ours, peerV: peerV}
	}
	ours, peer := c.prepare()
	return &Prepared{Case: c, ours: ours, peer: peer}
}

// Op returns the call to time on implementation im. For a level, the caller
// must have switched to it with deltacore.SetLevel (see WithLevel); a peer
// that is not registered, or a case without peers, gives nil.
func (p *Prepared) Op(im Impl) func() {
	if im.Peer == "" {
		return p.ours
	}
	for _, pe := range Peers() {
		switch {
		case pe.Name != im.Peer:
		case p.peerV != nil && pe.Sgemv != nil:
			return p.peerV(pe.Sgemv)
		case p.peer != nil:
			return p.peer(pe.Sgemm)
		}
	}
	return nil
}

// WithLevel runs f with deltacore switched to level l, then restores the
// level that was active before.
func WithLevel(l deltacore.Level, f func()) error {
	old := deltacore.CurrentLevel()
	if err := deltacore.SetLevel(l); err != nil {
		return err
	}
	defer deltacore.SetLevel(old)
	f()
	return nil
}
