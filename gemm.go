package deltacore

import (
	"fmt"
	"sync"
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

// argPanic panics with the package's message for a bad argument of the
// exported function fn.
func argPanic(fn, format string, args ...any) {
	panic("deltacore: " + fn + ": " + fmt.Sprintf(format, args...))
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
// beta; when m == 0 or n == 0 nothing happens.
//
// Overlap: the memory span of C (from its first to its last element, pads
// between rows included) must not overlap the span of A or of B; Sgemm
// panics if it does. A and B may overlap each other (they are only read).
//
// Accuracy: every element satisfies
// |C − C_exact| ≤ 2·k·2⁻²⁴·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|) plus
// underflow, on every level.
//
// Bad arguments (an unknown Transpose, negative sizes, strides or slices too
// small, overlap) panic before any assembly runs, with a message naming the
// argument. The checks cannot overflow: any int values are either accepted
// because the slices hold every element they name, or rejected with that
// panic.
//
// Sgemm runs on the default engine (see Engine): large products are split
// across goroutines (see SetGemmThreads), and the result does not depend on
// their number, bit for bit. Sgemm is safe for concurrent use. Its packing
// buffers are kept between calls (up to the engine's bound), so that
// repeated products allocate nothing after the first ones, also across
// garbage collections and when they are split across goroutines (see
// Engine for exactly when they do allocate).
func Sgemm(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	defaultEngine.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemm is the package function Sgemm (see there) on this engine.
func (e *Engine) Sgemm(tA, tB Transpose, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	sa, sb, sc := checkProduct(&sgemmNames, tA, tB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	raceWrite(c[:sc])
	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	raceRead(a[:sa])
	raceRead(b[:sb])
	e = e.orDefault()
	kern, t := e.kernels()
	g := gemmArgs{
		eng: e, kern: kern, t: t,
		tA: tA == Trans, tB: tB == Trans, m: m, n: n, k: k,
		alpha: alpha, beta: beta, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
	}
	gemmRun(&g)
}

// gemmNames names the arguments of an exported product in its panics.
type gemmNames struct {
	fn, k, a, lda, b, ldb, c, ldc string
}

var (
	sgemmNames         = gemmNames{"Sgemm", "k", "a", "lda", "b", "ldb", "c", "ldc"}
	denseForwardNames  = gemmNames{"DenseForward", "k", "x", "ldx", "w", "ldw", "z", "ldz"}
	denseBackwardNames = gemmNames{"DenseBackward", "nn", "dnext", "lddn", "w", "ldw", "d", "ldd"}
	// The activation variants name themselves in their panics.
	denseForwardActNames  = gemmNames{"DenseForwardAct", "k", "x", "ldx", "w", "ldw", "z", "ldz"}
	denseForwardRowsNames = gemmNames{"DenseForwardRows", "k", "x", "ldx", "w", "ldw", "z", "ldz"}
	denseBackwardActNames = gemmNames{"DenseBackwardAct", "nn", "dnext", "lddn", "w", "ldw", "d", "ldd"}
)

// matSpan checks that s holds a rows×cols row-major matrix with row stride
// ld (ld ≥ max(1, cols) already checked) and returns the number of elements
// from its first to its last one, (rows−1)·ld + cols, or 0 when it is
// empty. The comparison is made without multiplying, so it cannot
// overflow; the span, once the check has passed, is at most len(s).
func matSpan(fn, name, ldName string, s []float32, rows, cols, ld int) int {
	if rows == 0 || cols == 0 {
		return 0
	}
	if len(s) < cols || rows-1 > (len(s)-cols)/ld {
		argPanic(fn, "len(%s) = %d is too short for %d rows of %d with %s = %d", name, len(s), rows, cols, ldName, ld)
	}
	return (rows-1)*ld + cols
}

// checkProduct panics, in gonum's BLAS order and style, if the arguments of a
// product are inconsistent (naming them as nm says), or if C's span
// overlaps A's or B's. It returns the spans of A, B and C (see matSpan); A
// and B count as empty when k == 0, C when m or n is 0.
func checkProduct(nm *gemmNames, tA, tB Transpose, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) (sa, sb, sc int) {
	fn := nm.fn
	if tA != NoTrans && tA != Trans {
		argPanic(fn, "bad tA = %q (want 'N' or 'T')", byte(tA))
	}
	if tB != NoTrans && tB != Trans {
		argPanic(fn, "bad tB = %q (want 'N' or 'T')", byte(tB))
	}
	if m < 0 {
		argPanic(fn, "m = %d < 0", m)
	}
	if n < 0 {
		argPanic(fn, "n = %d < 0", n)
	}
	if k < 0 {
		argPanic(fn, "%s = %d < 0", nm.k, k)
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
		argPanic(fn, "%s = %d < max(1, %d)", nm.lda, lda, aCols)
	}
	if ldb < max(1, bCols) {
		argPanic(fn, "%s = %d < max(1, %d)", nm.ldb, ldb, bCols)
	}
	if ldc < max(1, n) {
		argPanic(fn, "%s = %d < max(1, n = %d)", nm.ldc, ldc, n)
	}
	if m == 0 || n == 0 {
		return 0, 0, 0
	}
	if k > 0 {
		sa = matSpan(fn, nm.a, nm.lda, a, aRows, aCols, lda)
		sb = matSpan(fn, nm.b, nm.ldb, b, bRows, bCols, ldb)
	}
	sc = matSpan(fn, nm.c, nm.ldc, c, m, n, ldc)
	if overlaps(c[:sc], a[:sa]) {
		argPanic(fn, "%s overlaps %s", nm.c, nm.a)
	}
	if overlaps(c[:sc], b[:sb]) {
		argPanic(fn, "%s overlaps %s", nm.c, nm.b)
	}
	return sa, sb, sc
}

// DenseForward is the fused forward step of a dense layer for a batch of m
// inputs. x is m×k (row stride ldx), w is the layer's n×k weight matrix (row
// stride ldw: w[j*ldw+p] connects input p to unit j) and bias has length n
// (or is nil for no bias). It computes
//
//	z[i*ldz+j] = Σ_p x[i*ldx+p]*w[j*ldw+p] + bias[j]
//
// and, when act is not nil, act[i*ldact+j] = σ(z[i*ldz+j]), so each
// activation is written once: the bias is added as each tile of z is
// stored (by the micro-kernel on amd64), and σ is applied to each finished
// block or strip of rows of z while it is in cache. The product has
// Sgemm's accuracy (the bias counts as one more term of the sum), σ that of
// Sigmoid applied to the stored z. The spans of z and act (as in Sgemm)
// must not overlap x, w, bias or each other (act may not be z); x, w and
// bias may overlap. It panics on a bad argument, naming it, before any
// assembly runs. Like Sgemm it runs on the default engine, splits large
// batches across goroutines and is safe for concurrent use.
func DenseForward(m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	defaultEngine.DenseForward(m, n, k, x, ldx, w, ldw, bias, z, ldz, act, ldact)
}

// DenseForward is the package function DenseForward (see there) on this
// engine.
func (e *Engine) DenseForward(m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	e.denseForward(&denseForwardNames, ActSigmoid, m, n, k, x, ldx, w, ldw, bias, z, ldz, act, ldact)
}

// denseForward is DenseForward with the activation f (DenseForwardAct),
// naming its arguments (and itself) in panics as nm says.
func (e *Engine) denseForward(nm *gemmNames, f Activation, m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	e.denseForwardRows(nm, f, nil, m, n, k, x, ldx, w, ldw, bias, z, ldz, act, ldact)
}

// denseForwardRows is denseForward, with x also packed in rows when rows
// is not nil (DenseForwardRows: x is then rows.x).
func (e *Engine) denseForwardRows(nm *gemmNames, f Activation, rows *PackedRows, m, n, k int, x []float32, ldx int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	fn := nm.fn
	sx, sw, sz := checkProduct(nm, NoTrans, Trans, m, n, k, x, ldx, w, ldw, z, ldz)
	if bias != nil && len(bias) != n {
		argPanic(fn, "len(bias) = %d, want n = %d (or nil)", len(bias), n)
	}
	sact := 0
	if act != nil {
		if ldact < max(1, n) {
			argPanic(fn, "ldact = %d < max(1, n = %d)", ldact, n)
		}
		if m > 0 && n > 0 {
			sact = matSpan(fn, "act", "ldact", act, m, n, ldact)
		}
	}
	if m == 0 || n == 0 {
		return
	}
	zs, as := z[:sz], act[:sact]
	switch {
	case overlaps(zs, bias):
		argPanic(fn, "z overlaps bias")
	case overlaps(as, x[:sx]):
		argPanic(fn, "act overlaps x")
	case overlaps(as, w[:sw]):
		argPanic(fn, "act overlaps w")
	case overlaps(as, bias):
		argPanic(fn, "act overlaps bias")
	case overlaps(as, zs):
		argPanic(fn, "act overlaps z")
	}
	raceRead(x[:sx])
	raceRead(w[:sw])
	raceRead(bias)
	raceWrite(zs)
	raceWrite(as)
	e = e.orDefault()
	kern, t := e.kernels()
	g := gemmArgs{
		eng: e, kern: kern, t: t,
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
	if rows != nil && gemmRows(&g, rows) {
		return
	}
	gemmRun(&g)
}

// PackedRows is a batch of inputs x, m rows of k, packed once for the
// forward products of a dense layer over it (DenseForwardRows), for
// full-batch training, where every step multiplies the same x: on the
// AVX-512 level x is read in slivers of 12 rows, each one contiguous
// stream, by the packed path's full-tile kernel, which prefetches it,
// instead of across 12 rows of x at once (measured on an Intel Xeon,
// family 6 model 167, 1000×30×784: 134 → 148 GFLOP/s of thread CPU
// time). It is read only: several goroutines may use one.
type PackedRows struct {
	m, k int
	x    []float32 // m×k, row-major
	once sync.Once
	s    []float32 // the slivers (see slivers)
}

// PackRows copies x (m rows of k, row stride ldx) into a PackedRows.
func PackRows(m, k int, x []float32, ldx int) *PackedRows {
	if m < 1 || k < 1 {
		argPanic("PackRows", "m = %d, k = %d: want both ≥ 1", m, k)
	}
	if ldx < k {
		argPanic("PackRows", "ldx = %d < k = %d", ldx, k)
	}
	matSpan("PackRows", "x", "ldx", x, m, k, ldx)
	p := &PackedRows{m: m, k: k, x: make([]float32, m*k)}
	for i := 0; i < m; i++ {
		copy(p.x[i*k:(i+1)*k], x[i*ldx:])
	}
	return p
}

// X returns the batch, m×k row-major (the PackedRows' copy: it must not
// be changed).
func (p *PackedRows) X() []float32 { return p.x }

// rowsMR is the sliver height of a PackedRows: the AVX-512 tile's rows.
const rowsMR = 12

// slivers returns x in slivers of rowsMR rows, each with a column of ones
// appended (k+1 columns): element (i, p) of sliver r at
// r·rowsMR·(k+1) + p·rowsMR + i, 1 at p = k; the rows past m of the last
// sliver are 0. Made on first use.
func (p *PackedRows) slivers() []float32 {
	p.once.Do(func() {
		k1 := p.k + 1
		ns := (p.m + rowsMR - 1) / rowsMR
		s := make([]float32, ns*rowsMR*k1)
		for i := 0; i < p.m; i++ {
			d := s[i/rowsMR*rowsMR*k1+i%rowsMR:]
			for q, v := range p.x[i*p.k : (i+1)*p.k] {
				d[q*rowsMR] = v
			}
			d[p.k*rowsMR] = 1
		}
		p.s = s
	})
	return p.s
}

// DenseForwardRows is DenseForwardAct(f, m, n, k, x.X(), k, w, ldw, bias,
// z, ldz, act, ldact) for the m×k batch x packed by PackRows, with the same
// results bit for bit. Where the level's packed full-tile kernel can serve
// it (AVX-512; n ≤ 32, a bias, the product on the direct path as
// DenseForwardAct would take it, and one goroutine), each 12-row sliver of
// x is multiplied by the layer's weights packed with the bias as a k+1st
// term: the sum of each element is then the same chain of fused
// multiply-adds as the direct path's, whose kernel adds the bias with one
// more (x·wᵀ + b rounds once at the end either way).
func DenseForwardRows(f Activation, x *PackedRows, n int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	defaultEngine.DenseForwardRows(f, x, n, w, ldw, bias, z, ldz, act, ldact)
}

// DenseForwardRows is the package function DenseForwardRows (see there) on
// this engine.
func (e *Engine) DenseForwardRows(f Activation, x *PackedRows, n int, w []float32, ldw int, bias []float32,
	z []float32, ldz int, act []float32, ldact int) {
	checkActivation("DenseForwardRows", f)
	if x == nil {
		argPanic("DenseForwardRows", "x is nil: pack the batch with PackRows")
	}
	e.denseForwardRows(&denseForwardRowsNames, f, x, x.m, n, x.k, x.x, x.k, w, ldw, bias, z, ldz, act, ldact)
}

// gemmRows computes the checked forward product g (x·wᵀ + bias, then the
// activation) from rows' slivers on the level's packed full-tile kernel,
// when it can (see DenseForwardRows), and reports whether it did.
func gemmRows(g *gemmArgs, rows *PackedRows) bool {
	kn := g.kern
	full := packedTileFor(kn)
	if full == nil || kn.mr != rowsMR || g.n > kn.nr || g.ep.bias == nil || g.alpha != 1 || choosePath(g) != pathDirect {
		return false
	}
	if gemmWorkers(g) > 1 {
		return false // gemmRun would split it
	}
	NR, k1 := kn.nr, g.k+1
	s := rows.slivers()
	buf := g.eng.getBuf()
	defer g.eng.putBuf(buf)
	// The weights as one panel of NR columns, k+1 rows, the bias last;
	// columns n… are 0.
	bp := grow(&buf.b, NR*k1)
	clear(bp)
	packBT(kn, bp, g.b, g.ldb, 0, g.k, g.n, NR)
	copy(bp[g.k*NR:], g.ep.bias[:g.n])
	tile := grow(&buf.tile, rowsMR*NR)
	for i := 0; i < g.m; i += rowsMR {
		mr := min(rowsMR, g.m-i)
		packedTile(full, k1, rowsMR, NR, s[i*k1:], bp, tile, NR, 1, 0)
		for r := 0; r < mr; r++ {
			copy(g.c[(i+r)*g.ldc:(i+r)*g.ldc+g.n], tile[r*NR:])
		}
		g.activateRows(i, mr)
	}
	return true
}

// DenseBackward is the fused backward step δˡ = ((wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ′(zˡ) for a
// batch of m samples, in the row-major batch layout: dnext is m×nn (row
// stride lddn; δˡ⁺¹ of each sample in a row), w is the next layer's nn×n
// weight matrix (row stride ldw), z is m×n (row stride ldz). It computes
//
//	d[i*ldd+j] = (Σ_q dnext[i*lddn+q]*w[q*ldw+j]) · σ′(z[i*ldz+j])
//
// writing each δ once. d may be z (the same slice start with the same
// stride), overwriting zˡ with δˡ; otherwise the span of d (as in Sgemm)
// must not overlap dnext, w or z. dnext, w and z may overlap each other.
// The ⊙σ′ is applied to each finished part of the product while it is in
// cache; large layers take the packed path as Sgemm does, so the fused step
// costs no more than Sgemm followed by MulSigmoidPrime. When d is z, each
// part is computed into scratch (a tile, a strip of rows, or a block of
// rows whose partial sums span the kc blocks), multiplied by σ′ of the
// matching part of z, and only then stored into d, so z is read before d
// overwrites it.
// The product has Sgemm's accuracy; σ′ that of SigmoidPrime. It panics on a
// bad argument, naming it, before any assembly runs. Like Sgemm it runs on
// the default engine and is safe for concurrent use.
func DenseBackward(m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int) {
	defaultEngine.DenseBackward(m, n, nn, dnext, lddn, w, ldw, z, ldz, d, ldd)
}

// DenseBackward is the package function DenseBackward (see there) on this
// engine.
func (e *Engine) DenseBackward(m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int) {
	e.denseBackward(&denseBackwardNames, ActSigmoid, m, n, nn, dnext, lddn, w, ldw, z, ldz, d, ldd)
}

// denseBackward is DenseBackward with the activation f (DenseBackwardAct),
// naming its arguments (and itself) in panics as nm says.
func (e *Engine) denseBackward(nm *gemmNames, f Activation, m, n, nn int, dnext []float32, lddn int, w []float32, ldw int,
	z []float32, ldz int, d []float32, ldd int) {
	fn := nm.fn
	sdn, sw, sd := checkProduct(nm, NoTrans, NoTrans, m, n, nn, dnext, lddn, w, ldw, d, ldd)
	if ldz < max(1, n) {
		argPanic(fn, "ldz = %d < max(1, n = %d)", ldz, n)
	}
	if m == 0 || n == 0 {
		return
	}
	sz := matSpan(fn, "z", "ldz", z, m, n, ldz)
	if unsafe.SliceData(d) == unsafe.SliceData(z) {
		if ldd != ldz {
			argPanic(fn, "d is z but ldd = %d != ldz = %d", ldd, ldz)
		}
	} else if overlaps(d[:sd], z[:sz]) {
		argPanic(fn, "d overlaps z (it may only be z itself, with ldd = ldz)")
	}
	raceRead(dnext[:sdn])
	raceRead(w[:sw])
	raceRead(z[:sz])
	raceWrite(d[:sd])
	e = e.orDefault()
	kern, t := e.kernels()
	g := gemmArgs{
		eng: e, kern: kern, t: t,
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

// Blocking. See gemmKernel (gemm_generic.go) for the micro-kernel contract.
//
// Five paths (gemmRun picks one per product, from its shape alone):
//
//   - gemv: A·Bᵀ with one or two rows (inference): the level's Sgemv kernel on B
//     (gemmGemv); memory-bound against a large B, and without the 4-row
//     padding of the dot tile against a cache-resident one.
//   - dot: A·Bᵀ with few rows (dotMaxM); small tiles of dot products read
//     both operands along k in place (gemmDot), B in blocks that stay in
//     L2.
//   - swap: A·Bᵀ with swapMinM…swapMaxM rows: Cᵀ = B·Aᵀ on the
//     micro-kernel with B read in place and Aᵀ packed (gemmSwap): B, the
//     large operand, streams once, at the kernel's rate (m = 32 against a
//     4096×4096 B: 37 → 130 GFLOP/s); a few rows past a full panel go to
//     the dot tile, so m = 33 costs about 3 % more than 32, not a panel.
//   - direct: no packing of A; B is used in place when op(B) = B, and packed
//     into k×NR panels when op(B) = Bᵀ (all at once when they fit in L2).
//     Every tile runs over the whole of k, so the epilogues apply to
//     finished tiles and DenseBackward can use a scratch tile. This is the
//     path of the small network shapes (one side 10–100), where packing
//     costs more than it saves.
//   - packed (GotoBLAS/BLIS): for jc (nc columns of C), pc (kc of k): pack
//     op(B) into kc×NR panels; for ic (mc rows): pack op(A) into MR×kc
//     slivers; for each sliver, for each B panel: the micro-kernel. The
//     sliver (MR·kc·4 bytes) stays in L1 while the B panels stream past it
//     from L2, the B block (kc·nc) is reused by every sliver of C's rows.
//     Full tiles run on the level's kernel for packed operands where it
//     has one (gemmPackedAVX512, gemmPackedAVX2), edges on its general
//     kernel.
//
// op(A) was first read in place (strides rsa, csa): on AMD family 26 a Go
// packing loop cost more than it saved (thread CPU time, avx512, kc 256, nc
// 2048: packed 158/126/126 GFLOP/s at n = 512/1024/2048, in place
// 182/145/137). On Intel family 6 model 167 in place lost to OpenBLAS on
// every large shape with a power-of-two lda, whose MR rows fall in the
// same L1 sets (DenseBackward 256×2048×2048: 0.83–0.88× OpenBLAS, packed
// with the 8×8 transposer 1.04–1.07×; see gemmPackedRows).
// The blocking (per level, gemm_amd64.go) was swept on 2048³ (AMD, A in
// place):
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
	pathSwap
	pathGemv
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
	eng         *Engine
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

// grow returns (*s)[:n], reallocating when the capacity is too small.
func grow(s *[]float32, n int) []float32 {
	if cap(*s) < n {
		*s = make([]float32, n)
	}
	return (*s)[:n]
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
	// op(B) = Bᵀ is packed; so is op(B) = B when its row stride is a
	// multiple of aliasStride (4K aliasing: the k rows of a panel read in
	// place would fall in a few cache sets, and the panel, reread by
	// every row tile, would not stay in L1 or L2). BLIS and OpenBLAS
	// always pack B.
	packB := g.tB || g.ldb%aliasStride == 0
	pack := func(dst []float32, jl int) {
		if g.tB {
			packBT(kn, dst, g.b[jl*g.ldb:], g.ldb, 0, k, min(NR, g.n-jl), NR)
		} else {
			packBN(dst, g.b[jl:], g.ldb, 0, k, min(NR, g.n-jl), NR)
		}
	}
	packAll := packB && npan*NR*k <= directMaxB
	if packAll {
		bp := grow(&buf.b, npan*NR*k)
		for q := 0; q < npan; q++ {
			pack(bp[q*NR*k:], col(q))
		}
	}
	// The epilogue's f (forward) and f′ (backward) run on whole strips of
	// rows once their last column panel is done: a few long calls instead
	// of one per row of each tile (the forward bias is added with the
	// product, see tile). Backward: the product goes to d when d is not z,
	// else into scratch (a strip, or all of C when it is small), and is
	// multiplied by f′(z) strip by strip; only when neither fits does each
	// tile go through a scratch tile (tile).
	fwd, bwd := g.ep.kind == epForward, g.ep.kind == epBackward
	if g.m*k > directMaxA && (packAll || !packB) {
		// Rows outer: each strip of MR rows is computed whole.
		var cs []float32
		if bwd && g.ep.isC(g.c) {
			cs = grow(&buf.c, MR*g.n)
		}
		for i := 0; i < g.m; i += MR {
			mr := min(MR, g.m-i)
			for q := 0; q < npan; q++ {
				jl := col(q)
				bp, ldb := g.b[jl:], g.ldb
				if packAll {
					bp, ldb = buf.b[q*NR*k:], NR
				}
				switch {
				case !bwd:
					g.tile(i, q*NR, jl, bp, ldb, rsa, csa, nil)
				case cs != nil:
					kn.fn(k, mr, min(NR, g.n-jl), g.a[i*rsa:], rsa, csa, bp, ldb, cs[jl:], g.n, g.alpha, 0)
				default:
					kn.fn(k, mr, min(NR, g.n-jl), g.a[i*rsa:], rsa, csa, bp, ldb, g.c[i*g.ldc+jl:], g.ldc, g.alpha, 0)
				}
			}
			switch {
			case fwd:
				g.activateRows(i, mr)
			case cs != nil:
				g.ep.backward(g.t, i, 0, mr, g.n, cs, g.n, g.c, g.ldc)
			case bwd:
				g.backwardInPlace(i, 0, mr, g.n)
			}
		}
		return
	}
	// Columns outer.
	var cs, tile []float32
	switch {
	case !bwd || !g.ep.isC(g.c):
	case g.m*g.n <= directScratch:
		cs = grow(&buf.c, g.m*g.n)
	default:
		tile = grow(&buf.tile, MR*NR)
	}
	for q := 0; q < npan; q++ {
		jl := col(q)
		bp, ldb := g.b[jl:], g.ldb
		if packAll {
			bp, ldb = buf.b[q*NR*k:], NR
		} else if packB {
			bp, ldb = grow(&buf.b, k*NR), NR
			pack(bp, jl)
		}
		last := q == npan-1
		for i := 0; i < g.m; i += MR {
			mr := min(MR, g.m-i)
			switch {
			case !bwd || tile != nil:
				g.tile(i, q*NR, jl, bp, ldb, rsa, csa, tile)
				if last && fwd {
					g.activateRows(i, mr)
				}
			case cs != nil:
				kn.fn(k, mr, min(NR, g.n-jl), g.a[i*rsa:], rsa, csa, bp, ldb, cs[i*g.n+jl:], g.n, g.alpha, 0)
				if last {
					g.ep.backward(g.t, i, 0, mr, g.n, cs[i*g.n:], g.n, g.c, g.ldc)
				}
			default:
				kn.fn(k, mr, min(NR, g.n-jl), g.a[i*rsa:], rsa, csa, bp, ldb, g.c[i*g.ldc+jl:], g.ldc, g.alpha, 0)
				if last {
					g.backwardInPlace(i, 0, mr, g.n)
				}
			}
		}
	}
}

// directScratch bounds the floats of C that DenseBackward computes into
// scratch on the direct path when d is z (1 MiB).
const directScratch = 256 * 1024

// activateRows writes f of rows i…i+mr−1 of C (all its columns) into act.
func (g *gemmArgs) activateRows(i, mr int) {
	e := &g.ep
	if e.act == nil {
		return
	}
	f := e.activate(g.t)
	if e.wholeRows(0, g.n, g.ldc, e.ldact) {
		f(e.act[i*g.n:][:mr*g.n], g.c[i*g.n:][:mr*g.n])
		return
	}
	for r := i; r < i+mr; r++ {
		f(e.act[r*e.ldact:][:g.n], g.c[r*g.ldc:][:g.n])
	}
}

// aliasStride: the direct path packs op(B) = B when its row stride is a
// multiple of this many floats (2 KiB). m=64,n=4096,k=1024 with ldb 4096
// ran at 38 GFLOP/s, with ldb 4112 at 88.
const aliasStride = 512

// tile computes the tile of C at row i, columns jl… (jl ≤ j) over the
// whole of k from the unpacked rows of op(A) and the B panel bp (row stride
// ldb, starting at column jl). DenseForward's bias is added to it (by the
// kernel when the level has fnBias; jl == j), its activation is left to the
// caller (activateRows). DenseBackward goes through the scratch tile (jl ==
// j) and gets its f′ here.
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
		c := g.c[i*g.ldc+jl:]
		switch {
		case g.ep.bias == nil:
			kn.fn(g.k, mr, nl, a, rsa, csa, bp, ldb, c, g.ldc, g.alpha, 0)
		case kn.fnBias != nil:
			kn.fnBias(g.k, mr, nl, a, rsa, csa, bp, ldb, c, g.ldc, g.alpha, g.ep.bias[jl:])
		default:
			kn.fn(g.k, mr, nl, a, rsa, csa, bp, ldb, c, g.ldc, g.alpha, 0)
			for r := 0; r < mr; r++ {
				g.t.axpy(1, g.ep.bias[j:j+nr], c[r*g.ldc+j-jl:][:nr])
			}
		}
	default:
		c := g.c[i*g.ldc+jl:]
		if f := stridedTileFor(kn); f != nil && rsa == 1 && csa >= kn.mr && ldb >= kn.nr && mr == kn.mr && nl == kn.nr {
			stridedTile(f, g.k, kn.mr, kn.nr, a, csa, bp, ldb, c, g.ldc, g.alpha, g.beta)
			return
		}
		kn.fn(g.k, mr, nl, a, rsa, csa, bp, ldb, c, g.ldc, g.alpha, g.beta)
	}
}

// stridedTile runs the level's full-tile kernel for A read as MR
// contiguous floats per k step (rsa = 1: op(A) = Aᵀ in place) and B in
// place or packed (see gemmStridedAVX512), after checking its
// preconditions: the same FMAs, and bits, as kn.fn; it prefetches A and B
// ahead of its loads (the weight gradient δᵀ·x reads both from L2 or
// further: 90×784×1000 TN, Intel 6/167, avx512, B in 32-column panels
// 157 → 163, B in place 142 → 150 GFLOP/s of thread CPU time).
func stridedTile(f func(k int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32),
	k, MR, NR int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	if k < 1 || csa < MR || ldb < NR || len(a) < (k-1)*csa+MR || len(b) < (k-1)*ldb+NR || len(c) < (MR-1)*ldc+NR {
		panic("deltacore: stridedTile: short operand")
	}
	f(k, a, csa, b, ldb, c, ldc, alpha, beta)
}

// dotTile returns the dot tile of kn for an m×n product: dot, or dot2 when
// covering the product with dot2's tiles computes fewer dot products (a
// batch of 10 rows and 30 columns: 10×30 with 5×3 tiles against 12×32 with
// 4×4 ones). On a tie dot wins. It also returns the tile's form that
// stores into C (dotC or dot2C; nil where the level has none).
func dotTile(kn *gemmKernel, m, n int) (dot func(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32),
	dotC func(k, mr, nr int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha float32), dmr, dnr int) {
	padded := func(x, t int) int { return (x + t - 1) / t * t }
	if kn.dot2 != nil && padded(m, kn.dmr2)*padded(n, kn.dnr2) < padded(m, kn.dmr)*padded(n, kn.dnr) {
		return kn.dot2, kn.dot2C, kn.dmr2, kn.dnr2
	}
	return kn.dot, kn.dotC, kn.dmr, kn.dnr
}

// gemmDot computes A·Bᵀ from small tiles of dot products (see gemmKernel.dot),
// applying alpha and beta in Go. B is walked in blocks of rows (columns of
// C) of about dotBlockBytes, and each block is used by every row tile of A
// before the next one is read: B, the large operand of these shapes, comes
// from memory once and is reread from L2, A (at most dotMaxM rows) from L2.
// The forward epilogue runs on each block of C once its tiles are done.
// The sums do not depend on the blocking (each is one dot product over the
// whole of k).
func gemmDot(g *gemmArgs, buf *gemmBuf) {
	kn := g.kern
	alpha, beta := g.alpha, g.beta
	dot, dotC, dmr, dnr := dotTile(kn, g.m, g.n)
	if beta != 0 {
		dotC = nil
	}
	out := grow(&buf.tile, 4*dmr) // out[i*4+j], i < dmr
	nb := max(dnr, dotBlockBytes/(4*g.k)/dnr*dnr)
	for j0 := 0; j0 < g.n; j0 += nb {
		j1 := min(g.n, j0+nb)
		for i := 0; i < g.m; i += dmr {
			mr := min(dmr, g.m-i)
			a := g.a[i*g.lda:]
			for j := j0; j < j1; j += dnr {
				nr := min(dnr, j1-j)
				if dotC != nil {
					dotC(g.k, mr, nr, a, g.lda, g.b[j*g.ldb:], g.ldb, g.c[i*g.ldc+j:(i+mr-1)*g.ldc+j+nr], g.ldc, alpha)
					continue
				}
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
				g.ep.forward(g.t, i, j0, mr, j1-j0, g.c, g.ldc)
			}
		}
	}
}

// dotBlockBytes is the size of the blocks of B that gemmDot walks, well
// inside L2 next to the rows of A.
const dotBlockBytes = 512 << 10

// gemmSwap computes A·Bᵀ for few rows of A (swapMinM…swapMaxM) as its
// transpose, Cᵀ = B·Aᵀ, on the level's micro-kernel: the rows of B, the
// large operand, are the kernel's A, read in place (MR rows at a time, each
// row of B from memory once); Aᵀ is packed into k×NR panels that stay in L2
// (at most swapMaxA floats). Each MR×NR tile of Cᵀ is computed into a
// scratch tile over the whole of k and stored transposed into C with alpha
// and beta applied in Go, as gemmDot does. The forward epilogue runs on
// each block of swapBlock·MR columns of C once its tiles are done.
// Each element is one kernel accumulation over all of k, so the result
// does not depend on how C is split.
func gemmSwap(g *gemmArgs, buf *gemmBuf) {
	kn := g.kern
	MR, NR, k := kn.mr, kn.nr, g.k
	// A few rows past the last full panel go to the dot tile instead of a
	// panel of their own (which would cost as much as a full one), or
	// one or two rows to the gemv kernel.
	full := g.m
	if t := g.m % NR; kn.dot != nil && g.m > NR && t <= swapDotTail {
		full = g.m - t
	}
	gemvTail := full < g.m && g.m-full <= 2 && MR%4 == 0
	npan := (full + NR - 1) / NR
	ap := grow(&buf.b, npan*NR*k)
	for q := 0; q < npan; q++ {
		packBT(kn, ap[q*NR*k:], g.a[q*NR*g.lda:], g.lda, 0, k, min(NR, full-q*NR), NR)
	}
	ct := grow(&buf.tile, max(MR*NR, 4*kn.dmr))
	alpha, beta := g.alpha, g.beta
	store := func(ci, o []float32, step int) {
		if beta == 0 {
			for r := range ci {
				ci[r] = alpha * o[r*step]
			}
		} else {
			for r := range ci {
				ci[r] = float32(float64(alpha)*float64(o[r*step]) + float64(beta)*float64(ci[r]))
			}
		}
	}
	// Blocks of B rows that stay in L2 (for the epilogue).
	nb := max(1, swapBlockBytes/(4*k)/MR) * MR
	for j0 := 0; j0 < g.n; j0 += nb {
		j1 := min(g.n, j0+nb)
		for j := j0; j < j1; j += MR {
			mr := min(MR, j1-j)
			bj := g.b[j*g.ldb:]
			for q := 0; q < npan; q++ {
				i0 := q * NR
				nr := min(NR, full-i0)
				kn.fn(k, mr, nr, bj, g.ldb, 1, ap[q*NR*k:], NR, ct, NR, 1, 0)
				for c := 0; c < nr; c++ {
					store(g.c[(i0+c)*g.ldc+j:][:mr], ct[c:], NR)
				}
			}
			// The rows past full, against the same rows of B (in
			// cache): one or two on the gemv kernel, when each row of
			// B falls in the same group of four however C is split
			// (MR a multiple of 4, see gemvRow); else on the dot tile.
			if gemvTail {
				for i := full; i < g.m; i++ {
					gemvRow(g, i, j, j+mr)
				}
				continue
			}
			for jj := j; full < g.m && jj < j+mr; jj += kn.dnr {
				nr := min(kn.dnr, j+mr-jj)
				for i := full; i < g.m; i += kn.dmr {
					tr := min(kn.dmr, g.m-i)
					kn.dot(k, tr, nr, g.a[i*g.lda:], g.lda, g.b[jj*g.ldb:], g.ldb, ct)
					for r := 0; r < tr; r++ {
						store(g.c[(i+r)*g.ldc+jj:][:nr], ct[r*4:], 1)
					}
				}
			}
		}
		if g.ep.kind == epForward {
			g.ep.forward(g.t, 0, j0, g.m, j1-j0, g.c, g.ldc)
		}
	}
}

// gemvRow sets columns j0…j1−1 of row i of C to alpha·(row i of A)·(rows
// j0… of B)ᵀ + beta·C with the level's gemv kernel (A·Bᵀ: both rows are
// read along k). The kernel takes rows of B four at a time, then one at a
// time, with different roundings: j0 must be a multiple of 4, so that each
// row of B falls in the same group of four however C is split (the splits
// are multiples of NR, itself a multiple of 4).
func gemvRow(g *gemmArgs, i, j0, j1 int) {
	ci := g.c[i*g.ldc+j0:][:j1-j0]
	switch {
	case g.beta == 0:
		clear(ci)
	case g.beta != 1:
		g.t.scal(g.beta, ci)
	}
	g.t.gemvN(j1-j0, g.k, g.alpha, g.b[j0*g.ldb:], g.ldb, g.a[i*g.lda:][:g.k], ci)
}

// gemmGemv computes A·Bᵀ with one or two rows (gemvMaxM) on the level's gemv
// kernel, in blocks of rows of B that stay in L2 (so that a second row of
// A would find them there); the forward epilogue runs on each block.
func gemmGemv(g *gemmArgs, buf *gemmBuf) {
	nb := max(1, swapBlockBytes/(4*g.k)/32) * 32
	for j0 := 0; j0 < g.n; j0 += nb {
		j1 := min(g.n, j0+nb)
		for i := 0; i < g.m; i++ {
			gemvRow(g, i, j0, j1)
		}
		if g.ep.kind == epForward {
			g.ep.forward(g.t, 0, j0, g.m, j1-j0, g.c, g.ldc)
		}
	}
}

// The swap path: A·Bᵀ with swapMinM…swapMaxM rows and k ≥ swapMinK, op(A)
// at most swapMaxA floats (its packed panels stay in L2).
const (
	swapMinM       = 16
	swapMaxM       = 128
	swapMinK       = 64
	swapMaxA       = 256 * 1024
	swapBlockBytes = 512 << 10 // blocks of B rows, in L2
	// gemvMaxM: A·Bᵀ with at most this many rows runs on the gemv kernel
	// (measured faster than the dot tile for one and two rows).
	gemvMaxM = 2
	// swapDotTail: at most this many rows past a multiple of NR go to the
	// dot tile (m = 33: 32 on the kernel, 1 on the dot tile).
	swapDotTail = 8
)

// gemmPacked is the GotoBLAS/BLIS loop nest around the micro-kernel (see
// the blocking comment above). The epilogues run on each tile after its
// last kc block, while the tile is still in L1.
//
// DenseBackward: when d is not z, the kc blocks accumulate in d itself and
// the last one is multiplied by σ′(z) in place. When d is z, the partial
// sums cannot go to d (they would overwrite z before σ′(z) is read), so
// they accumulate in a scratch block of C instead, packRows rows at a time,
// and the last kc block of each tile is multiplied by σ′(z) and stored into
// d from there (epilogue.backward). The rows of each chunk repack B; a
// chunk of packRows rows makes that a small fraction of the work.
func gemmPacked(g *gemmArgs, buf *gemmBuf) {
	if g.ep.kind != epBackward || !g.ep.isC(g.c) {
		gemmPackedRows(g, buf, nil, 0)
		return
	}
	rows := packRows / g.kern.mr * g.kern.mr
	for i0 := 0; i0 < g.m; i0 += rows {
		s := g.sub(i0, min(g.m, i0+rows), 0, g.n)
		nb := min(s.n, s.kern.nc)
		gemmPackedRows(&s, buf, grow(&buf.c, s.m*nb), nb)
	}
}

// backwardInPlace multiplies rows i…i+mr−1, columns j…j+nr−1 of C (d,
// not z) by σ′ of the matching elements of z.
func (g *gemmArgs) backwardInPlace(i, j, mr, nr int) {
	if j == 0 && nr == g.ldc && nr == g.ep.ldz {
		g.ep.mulPrime(g.t)(g.c[i*nr:][:mr*nr], g.ep.z[i*nr:][:mr*nr])
		return
	}
	for r := i; r < i+mr; r++ {
		g.ep.mulPrime(g.t)(g.c[r*g.ldc+j:][:nr], g.ep.z[r*g.ep.ldz+j:][:nr])
	}
}

// packRows bounds the rows of C whose partial sums DenseBackward keeps in
// a scratch block when d is z (packRows·nc floats: 1 MiB at nc = 512).
const packRows = 512

// isC reports whether the backward epilogue's z starts where c does (d is
// z: DenseBackward has checked that the strides are then equal).
func (e *epilogue) isC(c []float32) bool {
	return len(e.z) > 0 && len(c) > 0 && &e.z[0] == &c[0]
}

// gemmPackedRows is gemmPacked with the kernel's C in the scratch cs (row
// stride ldcs, holding columns jc… of the current jc block) when cs is not
// nil, and in C itself otherwise.
//
// op(A) is packed too, one mc×kc block at a time, into slivers of MR rows
// with element (i, p) of a sliver at p*MR+i (packA): the micro-kernel then
// reads it with rsa = 1, csa = MR, one contiguous stream, whatever lda is.
// Read in place, the MR rows of a sliver are lda apart; with a power-of-two
// lda (2048: DenseBackward of a 2048-unit layer) they fall in the same L1
// sets and 4K-alias each other. Packed, the sliver (MR·kc floats, 24 KiB
// for 12×512) stays in L1 while the B panels of the block stream past it
// from L2 (the order of OpenBLAS's and BLIS's loops: the operand that is
// broadcast stays, the vector one streams). The sums are the same FMAs in
// the same order as with A in place, so the bits do not change.
func gemmPackedRows(g *gemmArgs, buf *gemmBuf, cs []float32, ldcs int) {
	kn := g.kern
	MR, NR := kn.mr, kn.nr
	m, n, k := g.m, g.n, g.k
	full := packedTileFor(kn)
	fn := func(kb, mr, nr int, a, b, c []float32, ldc int, alpha, beta float32) {
		if full != nil && mr == MR && nr == NR {
			packedTile(full, kb, MR, NR, a, b, c, ldc, alpha, beta)
			return
		}
		kn.fn(kb, mr, nr, a, 1, MR, b, NR, c, ldc, alpha, beta)
	}
	// With more than one jc block, op(A) is packed during the first one
	// and kept for the others when it is at most packKeepA floats: each mc
	// block of each kc block at its own place, the kc block at pc starting
	// at pc·aRows.
	napMax := (kn.mc + MR - 1) / MR
	aRows := (m + kn.mc - 1) / kn.mc * napMax * MR // packed rows per kc column
	keepA := n > kn.nc && aRows*k <= packKeepA
	if keepA {
		grow(&buf.a, aRows*k)
	}
	for jc := 0; jc < n; jc += kn.nc {
		nb := min(kn.nc, n-jc)
		nbp := (nb + NR - 1) / NR
		for pc := 0; pc < k; pc += kn.kc {
			kb := min(kn.kc, k-pc)
			bp := grow(&buf.b, nbp*NR*kb)
			q0 := 0
			if !g.tB {
				q0 = packBlockN(kn, bp, g.b[jc:], g.ldb, pc, kb, nb/NR)
			}
			for q := q0; q < nbp; q++ {
				j := jc + q*NR
				nr := min(NR, jc+nb-j) // within this nc block, even when nc is no multiple of NR
				if g.tB {
					packBT(kn, bp[q*NR*kb:], g.b[j*g.ldb:], g.ldb, pc, kb, nr, NR)
				} else {
					packBNFast(kn, bp[q*NR*kb:], g.b[j:], g.ldb, pc, kb, nr, NR)
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
				var ap []float32
				if keepA {
					ap = buf.a[pc*aRows+ic/kn.mc*napMax*MR*kb:][:nap*MR*kb]
				} else {
					ap = grow(&buf.a, nap*MR*kb)
				}
				for r := 0; r < nap && (!keepA || jc == 0); r++ {
					i := ic + r*MR
					packA(g, ap[r*MR*kb:], i, pc, kb, min(MR, ic+mb-i))
				}
				for r := 0; r < nap; r++ {
					i := ic + r*MR
					mr := min(MR, ic+mb-i) // within this mc block
					a := ap[r*MR*kb:]
					for q := 0; q < nbp; q++ {
						j := jc + q*NR
						nr := min(NR, jc+nb-j)
						bq := bp[q*NR*kb:]
						if cs != nil {
							c := cs[i*ldcs+q*NR:]
							fn(kb, mr, nr, a, bq, c, ldcs, g.alpha, beta)
							if last {
								g.ep.backward(g.t, i, j, mr, nr, c, ldcs, g.c, g.ldc)
							}
							continue
						}
						fn(kb, mr, nr, a, bq, g.c[i*g.ldc+j:], g.ldc, g.alpha, beta)
						if !last {
							continue
						}
						switch g.ep.kind {
						case epForward:
							g.ep.forward(g.t, i, j, mr, nr, g.c, g.ldc)
						case epBackward:
							g.backwardInPlace(i, j, mr, nr)
						}
					}
				}
			}
		}
	}
}

// packKeepA bounds the packed op(A) that gemmPackedRows keeps across jc
// blocks (floats: 4 MiB, 1024×1024), instead of packing it again for each
// block: the transposition is the costly part of packing (1024³ on Intel
// 6/167: 9 % of the CPU time went to packing A, in 2 jc blocks).
const packKeepA = 1 << 20

// packedTile runs the level's full-tile kernel for packed operands (see
// gemmPackedAVX512) after checking its preconditions.
func packedTile(f func(k int, a, b, c []float32, ldc int, alpha, beta float32), kb, MR, NR int, a, b, c []float32, ldc int, alpha, beta float32) {
	if kb < 1 || len(a) < MR*kb || len(b) < NR*kb || len(c) < (MR-1)*ldc+NR {
		panic("deltacore: packedTile: short operand")
	}
	f(kb, a, b, c, ldc, alpha, beta)
}

// packA packs rows i…i+mr−1, columns pc…pc+kb−1 of op(A) into the sliver
// dst: element (r, p) at dst[p*MR+r]. Rows mr…MR−1 of a partial sliver are
// left as they are: the micro-kernel never reads them.
func packA(g *gemmArgs, dst []float32, i, pc, kb, mr int) {
	kn := g.kern
	MR := kn.mr
	if g.tA {
		// op(A) = Aᵀ: row p of the sliver is mr contiguous floats of A,
		// a full sliver in one call of the level's copier.
		f, w := packSliverFor(kn)
		packBNWith(f, w, dst, g.a[i:], g.lda, pc, kb, mr, MR)
		return
	}
	// op(A) = A: a transposition, 8 rows at a time with the level's
	// transposer; a sliver of 8 < mr < 16 rows as rows 0…7 and mr−8…mr−1
	// (the rows in both are written twice, with the same values).
	if kn.packT8 != nil && mr >= 8 && mr <= 16 && kb >= 8 {
		kb8 := kb / 8
		a := g.a[i*g.lda+pc:]
		for _, r0 := range [2]int{0, mr - 8} {
			src := a[r0*g.lda:]
			if len(src) < 7*g.lda+8*kb8 || len(dst) < r0+(8*kb8-1)*MR+8 {
				panic("deltacore: packA: short operand")
			}
			kn.packT8(dst[r0:], src, g.lda, MR, kb8)
		}
		packBTScalar(dst, g.a[i*g.lda:], g.lda, pc, 8*kb8, kb, 0, mr, MR)
		return
	}
	if mr == 6 && MR == 6 {
		packA6(kn, dst, g.a[i*g.lda+pc:], g.lda, kb)
		return
	}
	packBTScalar(dst, g.a[i*g.lda:], g.lda, pc, 0, kb, 0, mr, MR)
}

// packA6 packs the full sliver of the AVX2 tile (6 rows, too few for the
// 8×8 transposer) from op(A) = A: dst[p*6+r] = a[r*lda+p] for p < kb,
// 8 columns at a time with the level's packT6 (6 loads, 18 shuffles and 6
// stores per 48 floats), the rest front to back in Go. packBTScalar's
// row-at-a-time loop, which writes every sixth float, took 8 % of a 1024³
// product at AVX2 (Intel 6/167); the Go loop alone took 5 %.
func packA6(kn *gemmKernel, dst, a []float32, lda, kb int) {
	if kb < 1 {
		return
	}
	if len(a) < 5*lda+kb || len(dst) < 6*kb {
		panic("deltacore: packA: short operand")
	}
	p0 := 0
	if kn.packT6 != nil {
		kb8 := kb / 8
		kn.packT6(dst, a, lda, kb8)
		p0 = 8 * kb8
	}
	r0, r1, r2 := a[:kb], a[lda:][:kb], a[2*lda:][:kb]
	r3, r4, r5 := a[3*lda:][:kb], a[4*lda:][:kb], a[5*lda:][:kb]
	dst = dst[:6*kb]
	for p := p0; p < kb; p++ {
		d := dst[6*p : 6*p+6 : 6*p+6]
		d[0], d[1], d[2], d[3], d[4], d[5] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
	}
}

// Packing. A panel of B holds rows pc…pc+kb−1, columns j…j+nr−1 of op(B)
// with element (p, c) at dst[p*NR+c]. Columns nr…NR−1 of a partial panel are
// left as they are: the micro-kernel never reads them.

// packBlockN packs the first nq full panels of a B block (op(B) = B, b
// starting at the block's first column) with the level's block packer,
// row by row of B, and returns how many it packed: nq, or 0 when the
// level has none.
func packBlockN(kn *gemmKernel, dst, b []float32, ldb, pc, kb, nq int) int {
	f, w := packBlockNFor(kn)
	if f == nil || w != kn.nr || nq < 1 || kb < 1 {
		return 0
	}
	src := b[pc*ldb:]
	if len(src) < (kb-1)*ldb+w*nq || len(dst) < (nq-1)*w*kb+w*kb {
		panic("deltacore: packBlockN: short operand")
	}
	f(dst, src, ldb, kb, nq, w*kb)
	return nq
}

// packBNFast is packBN with full panels of the level's copier's width
// (packNFor) copied by it: one call per panel instead of one copy per row.
func packBNFast(kn *gemmKernel, dst, b []float32, ldb, pc, kb, nr, NR int) {
	f, w := packNFor(kn)
	packBNWith(f, w, dst, b, ldb, pc, kb, nr, NR)
}

// packBNWith is packBN, by f when the rows are f's width w (f copies kb
// rows of w floats from a stride ldb to a stride NR: packNFor's and
// packSliverFor's copiers), and row by row otherwise.
func packBNWith(f func(dst, src []float32, ldb, nr, kb int), w int, dst, b []float32, ldb, pc, kb, nr, NR int) {
	if f != nil && nr == w && NR >= w && kb > 0 {
		src := b[pc*ldb:]
		if len(src) < (kb-1)*ldb+nr || len(dst) < (kb-1)*NR+nr {
			panic("deltacore: packBN: short operand")
		}
		f(dst, src, ldb, NR, kb)
		return
	}
	packBN(dst, b, ldb, pc, kb, nr, NR)
}

// packBN packs from op(B) = B: b starts at column j, element (p, c) is
// b[(pc+p)*ldb+c].
func packBN(dst, b []float32, ldb, pc, kb, nr, NR int) {
	for p := 0; p < kb; p++ {
		copy(dst[p*NR:p*NR+nr], b[(pc+p)*ldb:(pc+p)*ldb+nr])
	}
}

// packBT packs from op(B) = Bᵀ: b starts at row j, element (p, c) is
// b[c*ldb+pc+p]. With the level's 8×8 transposer (kn.packT8), groups of 8
// rows and 8 columns at a time; the rest, and levels without it, one element
// at a time, in blocks of packBlock columns so that the destination rows
// written stay in L1.
func packBT(kn *gemmKernel, dst, b []float32, ldb, pc, kb, nr, NR int) {
	dst = dst[:kb*NR]
	c0, p0 := 0, 0 // rows c < c0 of b are packed for p < p0
	if kn.packT8 != nil && kb >= 8 && nr >= 8 {
		kb8 := kb / 8
		for ; c0+8 <= nr; c0 += 8 {
			src := b[c0*ldb+pc:]
			if len(src) < 7*ldb+8*kb8 {
				panic("deltacore: packBT: short operand")
			}
			kn.packT8(dst[c0:], src, ldb, NR, kb8)
		}
		if c0 < nr {
			// The last nr−c0 < 8 rows as rows nr−8…nr−1 (those before
			// c0 are written twice, with the same values), as packA does:
			// n = 30 left 6 rows × kb to the scalar loop, 1 % of `deltacore
			// study`'s time.
			src := b[(nr-8)*ldb+pc:]
			if len(src) < 7*ldb+8*kb8 {
				panic("deltacore: packBT: short operand")
			}
			kn.packT8(dst[nr-8:], src, ldb, NR, kb8)
			c0 = nr
		}
		p0 = 8 * kb8
	}
	packBTScalar(dst, b, ldb, pc, p0, kb, 0, c0, NR)
	packBTScalar(dst, b, ldb, pc, 0, kb, c0, nr, NR)
}

// packBTScalar packs columns p0…p1−1 of rows c0…c1−1 (see packBT).
func packBTScalar(dst, b []float32, ldb, pc, p0, p1, c0, c1, NR int) {
	for q0 := p0; q0 < p1; q0 += packBlock {
		q1 := min(p1, q0+packBlock)
		for c := c0; c < c1; c++ {
			src := b[c*ldb+pc+q0 : c*ldb+pc+q1]
			d := dst[q0*NR+c:]
			for p, v := range src {
				d[p*NR] = v
			}
		}
	}
}

// packBlock: columns of op(B) per block of the scalar packBT.
const packBlock = 64
