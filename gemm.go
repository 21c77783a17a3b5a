package deltacore

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Transpose says whether a matrix operand of Sgemm is used as stored or
// transposed.
type Transpose byte

// The two Transpose values, as in BLAS.
const (
	NoTrans Transpose = 'N'
	Trans   Transpose = 'T'
)

func gemmPanic(format string, args ...any) {
	panic("deltacore: Sgemm: " + fmt.Sprintf(format, args...))
}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices, with
// the semantics of CBLAS row-major sgemm: op(A) is m×k, op(B) is k×n and C is
// m×n; op(X) is X for NoTrans and Xᵀ for Trans. A is stored m×k with row
// stride lda ≥ max(1, k) for NoTrans, k×m with lda ≥ max(1, m) for Trans;
// likewise B is k×n (ldb ≥ max(1, n)) or n×k (ldb ≥ max(1, k)); C has row
// stride ldc ≥ max(1, n).
//
// BLAS rules: when beta == 0, C is not read (a NaN in C does not survive);
// when alpha == 0 or k == 0, A and B are not read and C is only scaled by
// beta; when m == 0 or n == 0 nothing happens. C must not overlap A or B.
//
// Accuracy: every element satisfies
// |C − C_exact| ≤ 2·k·2⁻²⁴·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|) plus
// underflow, on every level.
//
// Bad arguments (an unknown Transpose, negative sizes, strides or slices too
// small) panic before any assembly runs, with a message naming the argument.
//
// Large products are split across goroutines (see SetGemmThreads); the
// result does not depend on their number, bit for bit. Sgemm is safe for
// concurrent use. Its packing buffers are kept between calls (see
// gemmBufs), so that repeated products allocate nothing after the first
// ones, also across garbage collections.
func Sgemm(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkSgemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	g := gemmArgs{
		kern: gemmImplFor(CurrentLevel()), t: active.Load(),
		tA: tA == Trans, tB: tB == Trans, m: m, n: n, k: k,
		alpha: alpha, beta: beta, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
	}
	gemmRun(&g)
}

// checkSgemm panics, in gonum's BLAS order and style, if the arguments of
// Sgemm are inconsistent.
func checkSgemm(tA, tB Transpose, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if tA != NoTrans && tA != Trans {
		gemmPanic("bad tA = %q (want 'N' or 'T')", byte(tA))
	}
	if tB != NoTrans && tB != Trans {
		gemmPanic("bad tB = %q (want 'N' or 'T')", byte(tB))
	}
	if m < 0 {
		gemmPanic("m = %d < 0", m)
	}
	if n < 0 {
		gemmPanic("n = %d < 0", n)
	}
	if k < 0 {
		gemmPanic("k = %d < 0", k)
	}
	aRows, aCols := m, k
	if tA == Trans {
		aRows, aCols = k, m
	}
	bRows, bCols := k, n
	if tB == Trans {
		bRows, bCols = n, k
	}
	if lda < max(1, aCols) {
		gemmPanic("lda = %d < max(1, %d)", lda, aCols)
	}
	if ldb < max(1, bCols) {
		gemmPanic("ldb = %d < max(1, %d)", ldb, bCols)
	}
	if ldc < max(1, n) {
		gemmPanic("ldc = %d < max(1, n = %d)", ldc, n)
	}
	if m == 0 || n == 0 {
		return
	}
	if k > 0 {
		if need := lda*(aRows-1) + aCols; len(a) < need {
			gemmPanic("len(a) = %d < %d (rows %d, cols %d, lda %d)", len(a), need, aRows, aCols, lda)
		}
		if need := ldb*(bRows-1) + bCols; len(b) < need {
			gemmPanic("len(b) = %d < %d (rows %d, cols %d, ldb %d)", len(b), need, bRows, bCols, ldb)
		}
	}
	if need := ldc*(m-1) + n; len(c) < need {
		gemmPanic("len(c) = %d < %d (m %d, n %d, ldc %d)", len(c), need, m, n, ldc)
	}
}

// DenseForward is the fused forward step of a dense layer for a batch of m
// inputs. x is m×k (row stride ldx), w is the layer's n×k weight matrix (row
// stride ldw: w[j*ldw+p] connects input p to unit j) and bias has length n
// (or is nil for no bias). It computes
//
//	z[i*ldz+j] = Σ_p x[i*ldx+p]*w[j*ldw+p] + bias[j]
//
// and, when act is not nil, act[i*ldact+j] = σ(z[i*ldz+j]), so each
// activation is written once: the bias and σ are applied to each tile of z
// right after the tile is finished, while it is in L1. The product has
// Sgemm's accuracy (the bias counts as one more term of the sum), σ that of
// Sigmoid applied to the stored z. z and act must not overlap x, w or each
// other. Like Sgemm it splits large batches across goroutines and is safe
// for concurrent use.
func DenseForward(m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	denseForward(ActSigmoid, m, n, k, x, ldx, w, ldw, bias, z, ldz, act, ldact)
}

// denseForward is DenseForward with the activation f (DenseForwardAct).
func denseForward(f Activation, m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	checkSgemm(NoTrans, Trans, m, n, k, x, ldx, w, ldw, z, ldz)
	if bias != nil && len(bias) != n {
		panic(fmt.Sprintf("deltacore: DenseForward: len(bias) = %d, want n = %d (or nil)", len(bias), n))
	}
	if act != nil {
		if ldact < max(1, n) {
			panic(fmt.Sprintf("deltacore: DenseForward: ldact = %d < max(1, n = %d)", ldact, n))
		}
		if m > 0 && n > 0 && len(act) < ldact*(m-1)+n {
			panic(fmt.Sprintf("deltacore: DenseForward: len(act) = %d < %d", len(act), ldact*(m-1)+n))
		}
	}
	if m == 0 || n == 0 {
		return
	}
	g := gemmArgs{
		kern: gemmImplFor(CurrentLevel()), t: active.Load(),
		tA: false, tB: true, m: m, n: n, k: k,
		alpha: 1, beta: 0, a: x, lda: ldx, b: w, ldb: ldw, c: z, ldc: ldz,
		ep: epilogue{kind: epForward, f: f, bias: bias, act: act, ldact: ldact},
	}
	if k == 0 {
		scaleC(m, n, 0, z, ldz)
		for i := 0; i < m; i += 64 {
			g.ep.forward(g.t, i, 0, min(64, m-i), n, z, ldz)
		}
		return
	}
	gemmRun(&g)
}

// DenseBackward is the fused backward step δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ) for a
// batch of m samples, in the row-major batch layout: dnext is m×nn (row
// stride lddn; δˡ⁺¹ of each sample in a row), w is the next layer's nn×n
// weight matrix (row stride ldw), z is m×n (row stride ldz). It computes
//
//	d[i*ldd+j] = (Σ_q dnext[i*lddn+q]*w[q*ldw+j]) · σ′(z[i*ldz+j])
//
// writing each δ once. d may be z (the same slice with the same stride),
// overwriting zˡ with δˡ; otherwise d must not overlap dnext, w or z.
// Each tile of the product is computed into a small scratch tile, multiplied
// by σ′ of the matching tile of z, and only then stored into d, so z is read
// before d overwrites it.
// The product has Sgemm's accuracy; σ′ that of SigmoidPrime.
func DenseBackward(m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int) {
	denseBackward(ActSigmoid, m, n, nn, dnext, lddn, w, ldw, z, ldz, d, ldd)
}

// denseBackward is DenseBackward with the activation f (DenseBackwardAct).
func denseBackward(f Activation, m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int) {
	checkSgemm(NoTrans, NoTrans, m, n, nn, dnext, lddn, w, ldw, d, ldd)
	if ldz < max(1, n) {
		panic(fmt.Sprintf("deltacore: DenseBackward: ldz = %d < max(1, n = %d)", ldz, n))
	}
	if m > 0 && n > 0 && len(z) < ldz*(m-1)+n {
		panic(fmt.Sprintf("deltacore: DenseBackward: len(z) = %d < %d", len(z), ldz*(m-1)+n))
	}
	if len(d) > 0 && len(z) > 0 && unsafe.SliceData(d) == unsafe.SliceData(z) && ldd != ldz {
		panic(fmt.Sprintf("deltacore: DenseBackward: d is z but ldd = %d != ldz = %d", ldd, ldz))
	}
	if m == 0 || n == 0 {
		return
	}
	g := gemmArgs{
		kern: gemmImplFor(CurrentLevel()), t: active.Load(),
		tA: false, tB: false, m: m, n: n, k: nn,
		alpha: 1, beta: 0, a: dnext, lda: lddn, b: w, ldb: ldw, c: d, ldc: ldd,
		ep: epilogue{kind: epBackward, f: f, z: z, ldz: ldz},
	}
	if nn == 0 {
		// The product is zero; d = 0·σ′(z) (NaN where z is NaN).
		var row [64]float32
		for i := 0; i < m; i++ {
			for j := 0; j < n; j += len(row) {
				r := row[:min(len(row), n-j)]
				clear(r)
				g.ep.mulPrime(g.t)(r, z[i*ldz+j:][:len(r)])
				copy(d[i*ldd+j:][:len(r)], r)
			}
		}
		return
	}
	gemmRun(&g)
}

// scaleC sets C = beta*C (C = 0 when beta == 0, without reading C).
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(ci)
		} else if beta != 1 {
			for j := range ci {
				ci[j] *= beta
			}
		}
	}
}

// Threads.

var gemmThreads atomic.Int32

// SetGemmThreads fixes the number of goroutines a large matrix product
// (Sgemm, DenseForward, DenseBackward) may use, and returns the previous
// setting. n ≤ 0 restores the default, runtime.GOMAXPROCS(0) read at each
// call. Small products always run on the calling goroutine.
func SetGemmThreads(n int) int {
	return int(gemmThreads.Swap(int32(max(n, 0))))
}

// gemmThreadCount returns the number of goroutines a product may use.
func gemmThreadCount() int {
	if n := gemmThreads.Load(); n > 0 {
		return int(n)
	}
	return runtime.GOMAXPROCS(0)
}

// parMinWork is the least m·n·k one goroutine is given: about 4 Mflop, some
// 40 µs at full speed, well above the cost of starting a goroutine and of
// each part packing its own copy of the shared operand.
const parMinWork = 1 << 21

// Blocking. See gemmKernel (gemm_generic.go) for the micro-kernel contract.
//
// Three paths:
//
//   - dot: A·Bᵀ with few rows (dotMaxM); small tiles of dot products read
//     both operands along k in place (gemmDot).
//   - direct: no packing of A; B is used in place when op(B) = B, and packed
//     into k×NR panels when op(B) = Bᵀ (all at once when they fit in L2).
//     Every tile runs over the whole of k, so the epilogues apply to
//     finished tiles and DenseBackward can use a scratch tile. This is the
//     path of the small network shapes (one side 10–100), where packing
//     costs more than it saves.
//   - packed (GotoBLAS/BLIS): for jc (nc columns of C), pc (kc of k): pack
//     op(B) into kc×NR panels; for ic (mc rows), for each B panel, for each
//     row tile: the micro-kernel. The B panel (kc·NR·4 bytes) is reused by
//     every row tile of the ic block, the B block (kc·nc) by every ic block.
//
// Unlike GotoBLAS, op(A) is not packed: the micro-kernel reads it in place
// (strides rsa, csa), its MR rows streaming through L1 with the hardware
// prefetcher. Measured here (thread CPU time, avx512, kc 256, nc 2048):
// packing A in Go gave 158/126/126 GFLOP/s at n = 512/1024/2048, reading it
// in place 182/145/137 — the Go packing loop cost more than it saved.
// The blocking (per level, gemm_amd64.go) was then swept on 2048³:
// kc·nc = 256·2048: 142, 256·512: 148, 384·512: 149, 512·512: 158,
// 512·256: 167, 512·512 with mc 48: 168, mc 192: 161, 768·384: 153 GFLOP/s.
// Larger kc means fewer passes over C (each pass reads and writes all of C,
// 16 MiB at 2048²), smaller nc keeps the B block (kc·nc·4 = 1 MiB) in L2.
//
// The direct path is taken when op(A) or op(B) fits in L2 comfortably (the
// one that fits is reread, the other streamed once; see gemmDirect), and k is
// small enough that a tile's operands stay in L2.
const (
	directMaxA = 96 * 1024 // floats of op(A) (384 KiB)
	directMaxB = 96 * 1024 // floats of op(B) (384 KiB)
	directMaxK = 1024
)

// The dot path: A·Bᵀ with at most dotMaxM rows, where packing B (a
// transposition of all of B) would cost more than the product itself; both
// operands are read along k in place by the level's dot tile.
const (
	dotMaxM = 32
	dotMinK = 16
)

// paths.
const (
	pathDirect uint8 = iota
	pathPacked
	pathDot
)

// epilogue kinds.
const (
	epNone uint8 = iota
	epForward
	epBackward
)

// epilogue is what DenseForward and DenseBackward do to each finished tile.
type epilogue struct {
	kind  uint8
	bias  []float32 // forward: added to each row (nil: none)
	act   []float32 // forward: σ(z) (nil: none)
	ldact int
	z     []float32 // backward: the pre-activations
	ldz   int

	f Activation // σ (the zero value) or tanh, and their derivatives
}

// forward adds the bias to rows i…i+mr−1, columns j…j+nr−1 of c and writes
// their σ into act.
func (e *epilogue) forward(t *kernelTable, i, j, mr, nr int, c []float32, ldc int) {
	for r := i; r < i+mr; r++ {
		row := c[r*ldc+j:][:nr]
		if e.bias != nil {
			t.axpy(1, e.bias[j:j+nr], row)
		}
		if e.act != nil && !e.wholeRows(j, nr, ldc, e.ldact) {
			e.activate(t)(e.act[r*e.ldact+j:][:nr], row)
		}
	}
	if e.act != nil && e.wholeRows(j, nr, ldc, e.ldact) {
		// The tile's rows are contiguous in both matrices (narrow layers,
		// n ≤ NR): one call over the whole tile instead of one per row.
		e.activate(t)(e.act[i*nr:][:mr*nr], c[i*nr:][:mr*nr])
	}
}

// wholeRows reports whether a tile of columns j…j+nr−1 covers whole rows of
// two matrices with strides ld1 and ld2, so that mr rows of it are one
// contiguous run in each.
func (e *epilogue) wholeRows(j, nr, ld1, ld2 int) bool {
	return j == 0 && nr == ld1 && nr == ld2
}

// backward multiplies the mr×nr tile (row stride ldt) by σ′ of the matching
// elements of z, then stores it into rows i…, columns j… of d.
func (e *epilogue) backward(t *kernelTable, i, j, mr, nr int, tile []float32, ldt int, d []float32, ldd int) {
	if ldt == nr && e.wholeRows(j, nr, e.ldz, ldd) {
		e.mulPrime(t)(tile[:mr*nr], e.z[i*nr:][:mr*nr])
		copy(d[i*nr:][:mr*nr], tile[:mr*nr])
		return
	}
	for r := 0; r < mr; r++ {
		row := tile[r*ldt:][:nr]
		e.mulPrime(t)(row, e.z[(i+r)*e.ldz+j:][:nr])
		copy(d[(i+r)*ldd+j:][:nr], row)
	}
}

// gemmArgs is one checked product with k ≥ 1, alpha ≠ 0, m, n ≥ 1.
type gemmArgs struct {
	kern        *gemmKernel
	t           *kernelTable
	tA, tB      bool
	m, n, k     int
	alpha, beta float32
	a           []float32
	lda         int
	b           []float32
	ldb         int
	c           []float32
	ldc         int
	ep          epilogue
	path        uint8 // pathDirect, pathPacked or pathDot, decided once per product
}

// sub returns the product restricted to rows i0…i1−1 and columns j0…j1−1 of
// C (non-empty).
func (g *gemmArgs) sub(i0, i1, j0, j1 int) gemmArgs {
	s := *g
	s.m, s.n = i1-i0, j1-j0
	if g.tA {
		s.a = g.a[i0:]
	} else {
		s.a = g.a[i0*g.lda:]
	}
	if g.tB {
		s.b = g.b[j0*g.ldb:]
	} else {
		s.b = g.b[j0:]
	}
	s.c = g.c[i0*g.ldc+j0:]
	if g.ep.bias != nil {
		s.ep.bias = g.ep.bias[j0:]
	}
	if g.ep.act != nil {
		s.ep.act = g.ep.act[i0*g.ep.ldact+j0:]
	}
	if g.ep.z != nil {
		s.ep.z = g.ep.z[i0*g.ep.ldz+j0:]
	}
	return s
}

// gemmRun computes the product, split across goroutines when it is large.
// Each part is a block of whole columns (or, when C has too few column
// panels, whole rows) of C, a multiple of the register tile, computed
// independently with its own packing buffers.
//
// The path (direct or packed) is chosen once for the whole product, so the
// parts round exactly as a single goroutine would: results do not depend on
// the number of goroutines.
func gemmRun(g *gemmArgs) {
	kn := g.kern
	switch {
	case kn.dot != nil && !g.tA && g.tB && g.m <= dotMaxM && g.k >= dotMinK && g.ep.kind != epBackward:
		g.path = pathDot
	case g.ep.kind == epBackward || g.k <= directMaxK && (g.m*g.k <= directMaxA || g.n*g.k <= directMaxB):
		g.path = pathDirect
	default:
		g.path = pathPacked
	}
	work := float64(g.m) * float64(g.n) * float64(g.k)
	nt := min(gemmThreadCount(), int(work/parMinWork))
	if nt <= 1 {
		gemmSerial(g)
		return
	}
	// Columns first: op(A) is read in place, so column parts duplicate no
	// packing work (row parts would each pack all of op(B)).
	byRows := (g.n+kn.nr-1)/kn.nr < 2*nt
	size, unit := g.n, kn.nr
	if byRows {
		size, unit = g.m, kn.mr
	}
	units := (size + unit - 1) / unit
	nt = min(nt, units)
	var wg sync.WaitGroup
	lo := 0
	for p := 0; p < nt; p++ {
		hi := min(size, (units*(p+1)/nt)*unit)
		if hi <= lo {
			continue
		}
		var s gemmArgs
		if byRows {
			s = g.sub(lo, hi, 0, g.n)
		} else {
			s = g.sub(0, g.m, lo, hi)
		}
		if hi == size {
			gemmSerial(&s)
		} else {
			wg.Go(func() { gemmSerial(&s) })
		}
		lo = hi
	}
	wg.Wait()
}

// gemmBuf holds one goroutine's packing buffers (op(A) is read in place,
// never packed).
type gemmBuf struct {
	b, tile []float32
}

// gemmBufs keeps the packing buffers of finished products for the next
// ones. A sync.Pool would be emptied by every garbage collection, so a
// training loop that allocates anything else would reallocate them over and
// over; this free list keeps up to maxKeptGemmBufs of them for the life of
// the process (a BLAS keeps its buffers too): as many as products ever ran
// at once, each at most a few MiB (kc·nc floats and a tile).
var gemmBufs struct {
	mu   sync.Mutex
	free []*gemmBuf
}

const maxKeptGemmBufs = 256

func getGemmBuf() *gemmBuf {
	gemmBufs.mu.Lock()
	defer gemmBufs.mu.Unlock()
	if n := len(gemmBufs.free); n > 0 {
		b := gemmBufs.free[n-1]
		gemmBufs.free = gemmBufs.free[:n-1]
		return b
	}
	return new(gemmBuf)
}

func putGemmBuf(b *gemmBuf) {
	gemmBufs.mu.Lock()
	defer gemmBufs.mu.Unlock()
	if len(gemmBufs.free) < maxKeptGemmBufs {
		gemmBufs.free = append(gemmBufs.free, b)
	}
}

// grow returns (*s)[:n], reallocating when the capacity is too small.
func grow(s *[]float32, n int) []float32 {
	if cap(*s) < n {
		*s = make([]float32, n)
	}
	return (*s)[:n]
}

// gemmSerial computes the product on the calling goroutine.
func gemmSerial(g *gemmArgs) {
	buf := getGemmBuf()
	switch g.path {
	case pathDot:
		gemmDot(g, buf)
	case pathDirect:
		gemmDirect(g, buf)
	default:
		gemmPacked(g, buf)
	}
	putGemmBuf(buf)
}

// gemmDirect computes the product tile by tile, each over the whole of k,
// without packing A. When op(B) = Bᵀ, B is packed into k×NR panels: all of
// them first when they fit in L2, else one at a time. When op(A) fits in
// L2, column panels are the outer loop (each B panel is read once, A is
// reread from L2); otherwise row tiles are (each row tile of A is read from
// memory once and stays in L1 while B is reread from L2).
func gemmDirect(g *gemmArgs, buf *gemmBuf) {
	kn := g.kern
	MR, NR, k := kn.mr, kn.nr, g.k
	rsa, csa := g.lda, 1
	if g.tA {
		rsa, csa = 1, g.lda
	}
	var tile []float32
	if g.ep.kind == epBackward {
		tile = grow(&buf.tile, MR*NR)
	}
	npan := (g.n + NR - 1) / NR
	// For a kernel whose narrow tiles are slow (fullOnly), the last, partial
	// column panel is computed full width at column n−NR instead: its
	// first columns repeat the previous panel's, recomputed to the same
	// bits and stored again, which is harmless when C is not read (beta
	// == 0) and no epilogue has changed it (plain Sgemm only).
	shift := kn.fullOnly && g.beta == 0 && g.ep.kind == epNone && g.n > NR && g.n%NR != 0
	col := func(q int) int { // first column the kernel computes for panel q
		if shift && q == npan-1 {
			return g.n - NR
		}
		return q * NR
	}
	packAll := g.tB && npan*NR*k <= directMaxB
	if packAll {
		bp := grow(&buf.b, npan*NR*k)
		for q := 0; q < npan; q++ {
			jl := col(q)
			packBT(bp[q*NR*k:], g.b[jl*g.ldb:], g.ldb, 0, k, min(NR, g.n-jl), NR)
		}
	}
	if g.m*k > directMaxA && (packAll || !g.tB) {
		for i := 0; i < g.m; i += MR {
			for q := 0; q < npan; q++ {
				jl := col(q)
				bp, ldb := g.b[jl:], g.ldb
				if packAll {
					bp, ldb = buf.b[q*NR*k:], NR
				}
				g.tile(i, q*NR, jl, bp, ldb, rsa, csa, tile)
			}
		}
		return
	}
	for q := 0; q < npan; q++ {
		jl := col(q)
		bp, ldb := g.b[jl:], g.ldb
		if packAll {
			bp, ldb = buf.b[q*NR*k:], NR
		} else if g.tB {
			bp, ldb = grow(&buf.b, k*NR), NR
			packBT(bp, g.b[jl*g.ldb:], g.ldb, 0, k, min(NR, g.n-jl), NR)
		}
		for i := 0; i < g.m; i += MR {
			g.tile(i, q*NR, jl, bp, ldb, rsa, csa, tile)
		}
	}
}

// tile computes the tile of C at row i, columns jl… (jl ≤ j) over the
// whole of k from the unpacked rows of op(A) and the B panel bp (row stride
// ldb, starting at column jl), and applies the epilogue to columns j… of
// the tile only; DenseBackward goes through the scratch tile (jl == j).
func (g *gemmArgs) tile(i, j, jl int, bp []float32, ldb, rsa, csa int, tile []float32) {
	kn := g.kern
	mr, nl := min(kn.mr, g.m-i), min(kn.nr, g.n-jl)
	nr := min(kn.nr, g.n-j)
	a := g.a[i*rsa:]
	switch g.ep.kind {
	case epBackward:
		kn.fn(g.k, mr, nr, a, rsa, csa, bp, ldb, tile, kn.nr, g.alpha, 0)
		g.ep.backward(g.t, i, j, mr, nr, tile, kn.nr, g.c, g.ldc)
	case epForward:
		kn.fn(g.k, mr, nl, a, rsa, csa, bp, ldb, g.c[i*g.ldc+jl:], g.ldc, g.alpha, g.beta)
		g.ep.forward(g.t, i, j, mr, nr, g.c, g.ldc)
	default:
		kn.fn(g.k, mr, nl, a, rsa, csa, bp, ldb, g.c[i*g.ldc+jl:], g.ldc, g.alpha, g.beta)
	}
}

// dotTile returns the dot tile of kn for an m×n product: dot, or dot2 when
// covering the product with dot2's tiles computes fewer dot products (a
// batch of 10 rows and 30 columns: 10×30 with 5×3 tiles against 12×32 with
// 4×4 ones). On a tie dot wins.
func dotTile(kn *gemmKernel, m, n int) (func(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32), int, int) {
	padded := func(x, t int) int { return (x + t - 1) / t * t }
	if kn.dot2 != nil && padded(m, kn.dmr2)*padded(n, kn.dnr2) < padded(m, kn.dmr)*padded(n, kn.dnr) {
		return kn.dot2, kn.dmr2, kn.dnr2
	}
	return kn.dot, kn.dmr, kn.dnr
}

// gemmDot computes A·Bᵀ from small tiles of dot products (see gemmKernel.dot),
// applying alpha and beta in Go; the forward epilogue runs on each block of
// rows once all its columns are done.
func gemmDot(g *gemmArgs, buf *gemmBuf) {
	kn := g.kern
	alpha, beta := g.alpha, g.beta
	dot, dmr, dnr := dotTile(kn, g.m, g.n)
	out := grow(&buf.tile, 4*dmr) // out[i*4+j], i < dmr
	for i := 0; i < g.m; i += dmr {
		mr := min(dmr, g.m-i)
		a := g.a[i*g.lda:]
		for j := 0; j < g.n; j += dnr {
			nr := min(dnr, g.n-j)
			dot(g.k, mr, nr, a, g.lda, g.b[j*g.ldb:], g.ldb, out)
			for r := 0; r < mr; r++ {
				ci := g.c[(i+r)*g.ldc+j:][:nr]
				o := out[r*4 : r*4+nr]
				if beta == 0 {
					for c := range ci {
						ci[c] = alpha * o[c]
					}
				} else {
					for c := range ci {
						ci[c] = float32(float64(alpha)*float64(o[c]) + float64(beta)*float64(ci[c]))
					}
				}
			}
		}
		if g.ep.kind == epForward {
			g.ep.forward(g.t, i, 0, mr, g.n, g.c, g.ldc)
		}
	}
}

// gemmPacked is the GotoBLAS/BLIS loop nest around the micro-kernel (see
// the blocking comment above). The forward epilogue runs on each tile after
// its last kc block, while the tile is still in L1.
func gemmPacked(g *gemmArgs, buf *gemmBuf) {
	kn := g.kern
	MR, NR := kn.mr, kn.nr
	m, n, k := g.m, g.n, g.k
	rsa, csa := g.lda, 1
	if g.tA {
		rsa, csa = 1, g.lda
	}
	for jc := 0; jc < n; jc += kn.nc {
		nb := min(kn.nc, n-jc)
		nbp := (nb + NR - 1) / NR
		for pc := 0; pc < k; pc += kn.kc {
			kb := min(kn.kc, k-pc)
			bp := grow(&buf.b, nbp*NR*kb)
			for q := 0; q < nbp; q++ {
				j := jc + q*NR
				nr := min(NR, n-j)
				if g.tB {
					packBT(bp[q*NR*kb:], g.b[j*g.ldb:], g.ldb, pc, kb, nr, NR)
				} else {
					packBN(bp[q*NR*kb:], g.b[j:], g.ldb, pc, kb, nr, NR)
				}
			}
			beta := g.beta
			if pc > 0 {
				beta = 1
			}
			last := pc+kb == k
			for ic := 0; ic < m; ic += kn.mc {
				mb := min(kn.mc, m-ic)
				nap := (mb + MR - 1) / MR
				for q := 0; q < nbp; q++ {
					j := jc + q*NR
					nr := min(NR, n-j)
					bq := bp[q*NR*kb:]
					for r := 0; r < nap; r++ {
						i := ic + r*MR
						mr := min(MR, m-i)
						c := g.c[i*g.ldc+j:]
						kn.fn(kb, mr, nr, g.a[i*rsa+pc*csa:], rsa, csa, bq, NR, c, g.ldc, g.alpha, beta)
						if last && g.ep.kind == epForward {
							g.ep.forward(g.t, i, j, mr, nr, g.c, g.ldc)
						}
					}
				}
			}
		}
	}
}

// Packing. A panel of B holds rows pc…pc+kb−1, columns j…j+nr−1 of op(B)
// with element (p, c) at dst[p*NR+c]. Columns nr…NR−1 of a partial panel are
// left as they are: the micro-kernel never reads them.

// packBN packs from op(B) = B: b starts at column j, element (p, c) is
// b[(pc+p)*ldb+c].
func packBN(dst, b []float32, ldb, pc, kb, nr, NR int) {
	for p := 0; p < kb; p++ {
		copy(dst[p*NR:p*NR+nr], b[(pc+p)*ldb:(pc+p)*ldb+nr])
	}
}

// packBT packs from op(B) = Bᵀ: b starts at row j, element (p, c) is
// b[c*ldb+pc+p].
func packBT(dst, b []float32, ldb, pc, kb, nr, NR int) {
	dst = dst[:kb*NR]
	for c := 0; c < nr; c++ {
		src := b[c*ldb+pc : c*ldb+pc+kb]
		for p, v := range src {
			dst[p*NR+c] = v
		}
	}
}
