package deltacore

// The SGEMM micro-kernel interface.
//
// Every level supplies one micro-kernel, described by a gemmKernel: its
// register tile MR×NR, the cache blocking the driver in gemm.go uses with it,
// and the function
//
//	fn(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int,
//	   c []float32, ldc int, alpha, beta float32)
//
// which computes one tile of C, in the plain Go of gemmKernelGeneric below:
//
//	for i < mr, j < nr:
//	    s := Σ_{p<k} a[i*rsa+p*csa] * b[p*ldb+j]   (in float32, any order, FMA allowed)
//	    if beta == 0 (either sign): c[i*ldc+j] = alpha*s        (C is not read)
//	    else:                       c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
//
// with at most k+1 roundings for alpha·s and two for the rest (alpha·s + (beta·c)
// as one FMA), so that with the driver the result stays within Sgemm's
// documented bound 2·k·2⁻²⁴·(|alpha|·Σ|a·b| + |beta·c|) even for k = 1.
//
// Preconditions, checked by the driver, never by the kernel:
//   - 1 ≤ k, 1 ≤ mr ≤ MR, 1 ≤ nr ≤ NR;
//   - rsa, csa ≥ 1, ldb ≥ nr, ldc ≥ nr;
//   - every index named above lies inside its slice. The kernel must read and
//     write nothing else: not rows mr…MR−1 of A or C, not columns nr…NR−1 of
//     B or C (use masked loads and stores, or a separate edge path), not the
//     element after the last one.
//
// A packed A panel (MR rows interleaved, as the driver packs it) is rsa = 1,
// csa = MR; a packed B panel is ldb = NR. The same kernel also runs on
// unpacked operands: op(A) = A row-major is rsa = lda, csa = 1; op(A) = Aᵀ is
// rsa = 1, csa = lda; op(B) = B is ldb as given. This lets the small shapes
// of the networks skip packing entirely. A kernel may treat the full tile
// (mr == MR and nr == NR) as the fast path and the edges as a slower one.
//
// The fused epilogues of DenseForward and DenseBackward are applied by the
// driver in Go, through the σ/σ′ kernels of the active table, on finished
// tiles or strips of rows, so a kernel needs nothing for them; a level may
// add DenseForward's bias in the kernel itself (fnBias below).
//
// A new level (NEON) adds a function with this signature (an asm function
// with a //go:noescape declaration, or Go), a gemmKernel value with its
// MR, NR and blocking, and returns it from gemmImplFor in its wiring file.
//
// Optionally, a level also supplies dot, a dmr×dnr tile (dnr ≤ 4) of
// dot products for A·Bᵀ with few rows (both operands read along k in place,
// no packing):
//
//	dot(k, mr, nr, a, lda, b, ldb, out): for i < dmr, j < dnr:
//	    out[i*4+j] = Σ_{p<k} a[min(i,mr−1)*lda+p] * b[min(j,nr−1)*ldb+p]
//
// with the same rule: nothing outside the rows i < mr of a and j < nr of b is
// read (rows past mr or nr repeat the last valid row; their sums are
// ignored). The driver applies alpha and beta. Levels without it (nil) pack B.
type gemmKernel struct {
	mr, nr     int // register tile
	kc, mc, nc int // cache blocking of the packed path (see gemm.go)
	fn         func(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
	// fnBias, if set, is fn with a bias row in place of beta, for
	// DenseForward: c[i*ldc+j] = alpha*s + bias[j] (one rounding for the
	// sum and the bias, as an FMA; C is not read), len(bias) ≥ nr, the
	// other preconditions as fn's. Levels without it add the bias in Go
	// after fn (epilogue.forward).
	fnBias   func(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha float32, bias []float32)
	dot      func(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32)
	dmr, dnr int // tile of dot
	// dot2, if set, is a second dot tile of another shape (dnr2 ≤ 4;
	// out[i*4+j] as for dot). gemmDot uses it for a product when it pads
	// the product to less work than dot does (dotTile).
	dot2       func(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32)
	dmr2, dnr2 int
	// dotC and dot2C, if set, are dot and dot2 storing into C directly,
	// scaled by alpha (the product with beta = 0): for i < mr, j < nr,
	// c[i*ldc+j] = alpha * (the sum dot puts in out[i*4+j]), bit for bit,
	// and nothing else of c is written. gemmDot uses them where beta = 0,
	// which spares a tile's trip through out and the Go loop.
	dotC, dot2C func(k, mr, nr int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha float32)
	// fullOnly says that tiles narrower than NR are much slower than full
	// ones (no masked stores); the direct path then computes the last
	// column panel full width when it can (see gemmDirect).
	fullOnly bool
	// packT8, if set, transposes 8 rows of B into a panel, 8×8 blocks at
	// a time (see packT8AVX2); packBT uses it.
	packT8 func(dst, src []float32, ldb, nr, kb8 int)
	// packT6, if set, packs a full 6-row sliver of op(A) = A, 8 columns
	// at a time (see packT6AVX2); packA6 uses it.
	packT6 func(dst, src []float32, lda, kb8 int)
}

// genericGemm is the pure-Go micro-kernel with its blocking. The tile is
// small because Go has no vector registers to hold it: gemmTileGeneric
// computes it in 2×4 blocks of scalar accumulators.
var genericGemm = gemmKernel{mr: 4, nr: 8, kc: 256, mc: 128, nc: 1024, fn: gemmTileGeneric, dot: gemmDotGeneric, dmr: 2, dnr: 4}

// gemmDotGeneric is the generic level's dot tile (see gemmKernel.dot):
// out[i*4+j] = Σ_{p<k} a[i*lda+p]·b[j*ldb+p] for i < mr ≤ 2, j < nr ≤ 4,
// each sum in order of p from +0, the rows of A and B read along k in
// place. A full 2×4 tile keeps its eight sums, two values of A and four of
// B in registers and reads B once for both rows. With it, A·Bᵀ with a few
// rows takes the dot and gemv paths at this level too, streaming B once
// instead of packing it, a transposition of all of B (Intel 6/167, -tags
// 'purego noasm', one thread, GFLOP/s: m = 4 against a 4096×4096 B 2.6 →
// 6.4–7.0, gonum's pure Go 2.7–3.1; the batch-10 forward 10×30×784 4.2 →
// 7.7–8.2, gonum 3.7–3.9; m = 1, 1024×256, 2.1 → 6.0).
func gemmDotGeneric(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32) {
	if mr > 2 || nr > 4 {
		panic("deltacore: gemmDotGeneric: tile too large")
	}
	if k < 1 {
		for i := 0; i < mr; i++ {
			clear(out[i*4 : i*4+nr])
		}
		return
	}
	if mr == 2 && nr == 4 {
		a0, a1 := a[:k], a[lda:][:k]
		b0, b1, b2, b3 := b[:k], b[ldb:][:k], b[2*ldb:][:k], b[3*ldb:][:k]
		var s00, s01, s02, s03, s10, s11, s12, s13 float32
		for p, x0 := range a0 {
			x1 := a1[p]
			y0, y1, y2, y3 := b0[p], b1[p], b2[p], b3[p]
			s00 += x0 * y0
			s01 += x0 * y1
			s02 += x0 * y2
			s03 += x0 * y3
			s10 += x1 * y0
			s11 += x1 * y1
			s12 += x1 * y2
			s13 += x1 * y3
		}
		o := out[:8:8]
		o[0], o[1], o[2], o[3] = s00, s01, s02, s03
		o = out[4:8:8]
		o[0], o[1], o[2], o[3] = s10, s11, s12, s13
		return
	}
	for i := 0; i < mr; i++ {
		ai := a[i*lda:][:k]
		for j := 0; j < nr; j++ {
			bj := b[j*ldb:][:k]
			var s float32
			for p, x := range ai {
				s += x * bj[p]
			}
			out[i*4+j] = s
		}
	}
}

// gemmTileGeneric is the generic level's micro-kernel: gemmKernelGeneric's
// sums bit for bit (each element's products added in order of p, starting
// from +0, and the same final scaling), computed in blocks of 2×4 whose
// eight accumulators, two values of A and four of B fit in registers even
// on amd64's sixteen (then 1×4, 2×1 and 1×1 blocks for the tile's edges);
// gemmKernelGeneric keeps its accumulators in an array, a load and a store
// per multiply-add. On the Intel VM (6/167), on the eight Sgemm shapes of
// `deltacore bench`, that took the pure-Go Sgemm from 2.9–3.4 GFLOP/s
// (0.62–0.99× gonum's pure Go, -tags noasm) to 4.3–6.1 (1.04–1.86×).
func gemmTileGeneric(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	if mr > 4 || nr > 8 {
		panic("deltacore: gemmTileGeneric: tile too large")
	}
	if k < 1 {
		gemmKernelGeneric(k, mr, nr, a, rsa, csa, b, ldb, c, ldc, alpha, beta)
		return
	}
	for r := 0; r < mr; r += 2 {
		two := r+1 < mr
		h := 0
		for ; h+4 <= nr; h += 4 {
			if two {
				gemmBlock2x4(k, a[r*rsa:], rsa, csa, b[h:], ldb, c[r*ldc+h:], ldc, alpha, beta)
			} else {
				gemmBlock1x4(k, a[r*rsa:], csa, b[h:], ldb, c[r*ldc+h:], alpha, beta)
			}
		}
		for ; h < nr; h++ {
			gemmBlock1x1(k, a[r*rsa:], csa, b[h:], ldb, c[r*ldc+h:], alpha, beta)
			if two {
				gemmBlock1x1(k, a[(r+1)*rsa:], csa, b[h:], ldb, c[(r+1)*ldc+h:], alpha, beta)
			}
		}
	}
}

// gemmBlock2x4 is gemmTileGeneric's 2×4 block at a[0], b[0], c[0].
func gemmBlock2x4(k int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	var s00, s01, s02, s03, s10, s11, s12, s13 float32
	ai, bi := 0, 0
	for p := 0; p < k; p++ {
		bb := b[bi : bi+4 : bi+4]
		a0, a1 := a[ai], a[ai+rsa]
		b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
		s00 += a0 * b0
		s01 += a0 * b1
		s02 += a0 * b2
		s03 += a0 * b3
		s10 += a1 * b0
		s11 += a1 * b1
		s12 += a1 * b2
		s13 += a1 * b3
		ai += csa
		bi += ldb
	}
	gemmStore4(c, s00, s01, s02, s03, alpha, beta)
	gemmStore4(c[ldc:], s10, s11, s12, s13, alpha, beta)
}

// gemmBlock1x4 is gemmTileGeneric's 1×4 block.
func gemmBlock1x4(k int, a []float32, csa int, b []float32, ldb int, c []float32, alpha, beta float32) {
	var s0, s1, s2, s3 float32
	ai, bi := 0, 0
	for p := 0; p < k; p++ {
		bb := b[bi : bi+4 : bi+4]
		a0 := a[ai]
		s0 += a0 * bb[0]
		s1 += a0 * bb[1]
		s2 += a0 * bb[2]
		s3 += a0 * bb[3]
		ai += csa
		bi += ldb
	}
	gemmStore4(c, s0, s1, s2, s3, alpha, beta)
}

// gemmBlock1x1 is gemmTileGeneric's 1×1 block.
func gemmBlock1x1(k int, a []float32, csa int, b []float32, ldb int, c []float32, alpha, beta float32) {
	var s float32
	ai, bi := 0, 0
	for p := 0; p < k; p++ {
		s += a[ai] * b[bi]
		ai += csa
		bi += ldb
	}
	gemmStore1(&c[0], s, alpha, beta)
}

// gemmStore1 stores the sum s into *c as gemmKernelGeneric does: alpha·s,
// plus beta·c unless beta is ±0, rounded once.
func gemmStore1(c *float32, s, alpha, beta float32) {
	if beta == 0 {
		*c = alpha * s
		return
	}
	*c = float32(float64(alpha)*float64(s) + float64(beta)*float64(*c))
}

// gemmStore4 stores four sums into c[0:4] (see gemmStore1).
func gemmStore4(c []float32, s0, s1, s2, s3, alpha, beta float32) {
	c = c[:4:4]
	gemmStore1(&c[0], s0, alpha, beta)
	gemmStore1(&c[1], s1, alpha, beta)
	gemmStore1(&c[2], s2, alpha, beta)
	gemmStore1(&c[3], s3, alpha, beta)
}

// gemmKernelGeneric is the micro-kernel contract written plainly (see the
// comment above): the fallback of every level without an assembly kernel and
// the specification of the assembly ones.
func gemmKernelGeneric(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	var acc [4 * 8]float32
	if mr > 4 || nr > 8 {
		panic("deltacore: gemmKernelGeneric: tile too large")
	}
	for p := 0; p < k; p++ {
		bp := b[p*ldb : p*ldb+nr]
		for i := 0; i < mr; i++ {
			av := a[i*rsa+p*csa]
			row := acc[i*8 : i*8+nr]
			for j, bv := range bp {
				row[j] += av * bv
			}
		}
	}
	for i := 0; i < mr; i++ {
		ci := c[i*ldc : i*ldc+nr]
		row := acc[i*8 : i*8+nr]
		if beta == 0 {
			for j := range ci {
				ci[j] = alpha * row[j]
			}
		} else {
			// alpha·s and beta·c are exact in float64, so this rounds
			// (in effect) once, like the FMA of the assembly kernels.
			for j := range ci {
				ci[j] = float32(float64(alpha)*float64(row[j]) + float64(beta)*float64(ci[j]))
			}
		}
	}
}
