//go:build !purego

package deltacore

// gemmKernelAVX512 computes one tile of C, up to 12×32, as specified by the
// micro-kernel contract in gemm_generic.go (equivalently gemmKernelGeneric):
//
//	for i < mr, j < nr:
//	    s := Σ_{p<k} a[i*rsa+p*csa] * b[p*ldb+j]      (fused multiply-adds)
//	    c[i*ldc+j] = alpha*s (+ beta*c[i*ldc+j] unless beta == ±0)
//
// Preconditions (checked by the Go driver): 1 ≤ k, 1 ≤ mr ≤ 12,
// 1 ≤ nr ≤ 32, every index above inside its slice. It reads and writes
// nothing else: columns past nr are masked with K registers, rows past mr
// are skipped.
//
// Requires: AVX512F.
//
//go:noescape
func gemmKernelAVX512(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// gemmKernelBiasAVX512 is gemmKernelAVX512 with a bias row instead of beta
// (the gemmKernel.fnBias contract): c[i*ldc+j] = alpha*s + bias[j], one
// fused multiply-add, C not read. Preconditions as gemmKernelAVX512's, and
// len(bias) ≥ nr (columns past nr are masked off).
//
// Requires: AVX512F.
//
//go:noescape
func gemmKernelBiasAVX512(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha float32, bias []float32)

// gemmKernelAVX2 is gemmKernelAVX512 for tiles of up to 6 rows and exactly
// 16 columns, with the same contract otherwise: rows past mr are skipped.
// Preconditions: 1 ≤ k, 1 ≤ mr ≤ 6, nr == 16, every index inside its slice.
// gemmTileAVX2 serves narrower tiles. (It uses no VMASKMOVPS: under QEMU's
// TCG, which CI uses to run the AVX2 level, masked-off lanes still fault.)
//
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func gemmKernelAVX2(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// gemmKernelBiasAVX2 is gemmKernelAVX2 with a bias row instead of beta, as
// gemmKernelBiasAVX512: c[i*ldc+j] = alpha*s + bias[j]. Preconditions as
// gemmKernelAVX2's (nr == 16), and len(bias) ≥ 16.
//
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func gemmKernelBiasAVX2(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha float32, bias []float32)

// Register tiles and blocking, chosen by measurement on the target machine
// (2-core AMD EPYC, family 26 "Turin-like", L1d 48 KiB, L2 1 MiB per core);
// the blocking sweep is in the comment at gemm.go's directMaxA. The
// blocking below is the built-in one: at start cpuconf.go replaces it per
// CPU (its table, or a rule from the cache sizes).
//
// AVX-512: 12×32 uses 24 of the 32 zmm registers as accumulators, two for
// the B row and one for the broadcast A value. Per k step, 2 vector loads and
// 12 broadcasts feed 24 FMAs; 24 independent chains cover the FMA latency
// (4 cycles) times the two 512-bit FMA pipes this core has (it measures up
// to ~230 GFLOP/s per core with zmm, twice its ymm rate: it is not Zen 4,
// where zmm and ymm share one peak). NR = 32 (two vectors) keeps C rows
// contiguous for row-major stores; MR = 12 fills the registers. (14×32
// would use all 32 registers and leave none for the broadcast to rotate.)
//
// AVX2: the classic 6×16 (12 ymm accumulators, 2 for B, 1 broadcast), the
// largest tile that fits 16 ymm registers.
//
// The dot tiles (gemmDotAVX512 4×4, gemmDotAVX2 3×3) serve A·Bᵀ with few
// rows: 16 (9) accumulators plus one register per A and B row. AVX-512 also
// has a 5×3 tile (15 accumulators) for row counts that 4 divides badly: a
// batch of 10 against 30 units is 10×30 dot products with it, 12×32 with
// 4×4 (gemmDot picks the tile that pads less; 10×30×784: 134 → 163 GFLOP/s).
var (
	avx512Gemm = gemmKernel{mr: 12, nr: 32, kc: 512, mc: 48, nc: 512, fn: gemmKernelAVX512, fnBias: gemmKernelBiasAVX512, dot: gemmDotAVX512, dmr: 4, dnr: 4,
		dot2: gemmDot53AVX512, dmr2: 5, dnr2: 3, dotC: gemmDotCAVX512, dot2C: gemmDotC53AVX512, packT8: packT8AVX2}
	avx2Gemm = gemmKernel{mr: 6, nr: 16, kc: 512, mc: 48, nc: 512, fn: gemmTileAVX2, fnBias: gemmTileBiasAVX2, dot: gemmDotTileAVX2, dmr: 3, dnr: 3, fullOnly: true, packT8: packT8AVX2, packT6: packT6AVX2}
)

// gemmImplFor returns the micro-kernel of level l.
func gemmImplFor(l Level) *gemmKernel {
	switch l {
	case AVX512:
		return &avx512Gemm
	case AVX2:
		return &avx2Gemm
	}
	return &genericGemm
}

// gemmDotCAVX512 computes a tile of dot products, up to 4×4, of rows of A
// and rows of B, both read along k in place, and stores them scaled by
// alpha into C:
//
//	for i < mr, j < nr:
//	    c[i*ldc+j] = alpha * Σ_{p<k} a[i*lda+p] * b[j*ldb+p]
//
// The 16 sums are reduced jointly (JOINT16 in gemm_dot_amd64.s), each in the
// order of a horizontal sum of its accumulator. Rows past mr or nr repeat
// the last valid row in the loop, so nothing outside the operands is read;
// their sums are not stored. Tails of k use K-masked loads, the rows of C
// K-masked stores. Preconditions: 1 ≤ k, 1 ≤ mr, nr ≤ 4, every index above
// inside its slice.
//
// Requires: AVX, AVX512F, AVX512VL.
//
//go:noescape
func gemmDotCAVX512(k, mr, nr int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha float32)

// gemmDotC53AVX512 is gemmDotCAVX512 for tiles up to 5×3 (1 ≤ mr ≤ 5,
// 1 ≤ nr ≤ 3).
//
// Requires: AVX, AVX512F, AVX512VL.
//
//go:noescape
func gemmDotC53AVX512(k, mr, nr int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha float32)

// gemmDotAVX512 is the dot tile's out form (gemmKernel.dot): out[i*4+j],
// i < mr, j < nr, of the 4×4 tile.
func gemmDotAVX512(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32) {
	gemmDotCAVX512(k, mr, nr, a, lda, b, ldb, out[:(mr-1)*4+nr], 4, 1)
}

// gemmDot53AVX512 is the out form of the 5×3 tile: out[i*4+j], i < mr,
// j < nr.
func gemmDot53AVX512(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32) {
	gemmDotC53AVX512(k, mr, nr, a, lda, b, ldb, out[:(mr-1)*4+nr], 4, 1)
}

// gemmDotAVX2 is gemmDotAVX512 for tiles up to 3×3 and for the first
// k &^ 7 elements only: for i, j < 3,
// out[i*4+j] = Σ_{p < k&^7} a[min(i, mr−1)*lda+p] * b[min(j, nr−1)*ldb+p];
// out[i*4+3] is scratch. gemmDotTileAVX2 adds the tail. Preconditions:
// 1 ≤ mr, nr ≤ 3, len(out) ≥ 12, every row index inside its slice.
//
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func gemmDotAVX2(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32)

// avx2EdgeK is the k chunk in which gemmTileAVX2 copies the rows of a B
// panel that cannot be read 16 columns wide in place.
const avx2EdgeK = 16

// gemmTileAVX2 is the AVX2 level's micro-kernel (the contract of
// gemm_generic.go) on top of gemmKernelAVX2, which only does 16 columns.
// A narrower tile is computed 16 wide into a scratch tile and its nr
// columns are combined with C in Go. Rows of B are read 16 columns wide in
// place when those columns lie inside the slice b (the extra columns are
// other elements of b, whose products land only in discarded scratch
// columns); the last row or so, at the very end of b, is copied into a
// zero-padded buffer first.
func gemmTileAVX2(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) {
	if nr == 16 {
		gemmKernelAVX2(k, mr, 16, a, rsa, csa, b, ldb, c, ldc, alpha, beta)
		return
	}
	gemmEdgeAVX2(k, mr, nr, a, rsa, csa, b, ldb, c, ldc, alpha, beta, nil)
}

// gemmTileBiasAVX2 is the AVX2 level's gemmKernel.fnBias, on top of
// gemmKernelBiasAVX2 as gemmTileAVX2 is on gemmKernelAVX2.
func gemmTileBiasAVX2(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha float32, bias []float32) {
	if nr == 16 {
		gemmKernelBiasAVX2(k, mr, 16, a, rsa, csa, b, ldb, c, ldc, alpha, bias[:16])
		return
	}
	gemmEdgeAVX2(k, mr, nr, a, rsa, csa, b, ldb, c, ldc, alpha, 0, bias[:nr])
}

// gemmEdgeTailAVX2 adds rows kf…k−1 of b, which cannot be read 16 wide in
// place (the last rows of a B that ends within 16 floats of them), into
// gemmEdgeAVX2's scratch tile ct, copied avx2EdgeK rows at a time into a
// 16-wide block. It is a function of its own so that the block, which Go
// zeroes, is set up only where it is used: most edge tiles have kf = k.
func gemmEdgeTailAVX2(kf, k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, ct []float32) {
	var bt [avx2EdgeK * 16]float32
	for p0 := kf; p0 < k; p0 += avx2EdgeK {
		kb := min(avx2EdgeK, k-p0)
		for p := 0; p < kb; p++ {
			copy(bt[p*16:p*16+nr], b[(p0+p)*ldb:(p0+p)*ldb+nr])
		}
		cb := float32(1)
		if p0 == 0 {
			cb = 0
		}
		gemmKernelAVX2(kb, mr, 16, a[p0*csa:], rsa, csa, bt[:], 16, ct, 16, 1, cb)
	}
}

// gemmEdgeAVX2 computes a tile narrower than 16 columns for gemmTileAVX2
// (bias nil) and gemmTileBiasAVX2 (beta 0).
func gemmEdgeAVX2(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32) {
	var ct [6 * 16]float32
	kf := k // rows 0…kf−1 of b can be read 16 wide
	for kf > 0 && (kf-1)*ldb+16 > len(b) {
		kf--
	}
	if kf > 0 {
		gemmKernelAVX2(kf, mr, 16, a, rsa, csa, b, ldb, ct[:], 16, 1, 0)
	}
	if kf < k {
		gemmEdgeTailAVX2(kf, k, mr, nr, a, rsa, csa, b, ldb, ct[:])
	}
	// alpha·s and beta·c are exact in float64: one rounding, as the FMA of
	// the kernel.
	for i := 0; i < mr; i++ {
		ci := c[i*ldc : i*ldc+nr]
		si := ct[i*16 : i*16+nr]
		if bias != nil {
			if alpha == 1 {
				// float32(float64(s) + float64(bias)), bit for bit: a
				// sum of two float32 rounded through float64 rounds as
				// the float32 sum does (53 ≥ 2·24 + 2).
				bi := bias[:len(ci)]
				for j := range ci {
					ci[j] = si[j] + bi[j]
				}
				continue
			}
			for j := range ci {
				ci[j] = float32(float64(alpha)*float64(si[j]) + float64(bias[j]))
			}
		} else if beta == 0 {
			// A float32 product is exact in float64, so this is
			// float32(float64(alpha)·float64(s)) bit for bit.
			if alpha == 1 {
				copy(ci, si)
				continue
			}
			for j := range ci {
				ci[j] = alpha * si[j]
			}
		} else {
			for j := range ci {
				ci[j] = float32(float64(alpha)*float64(si[j]) + float64(beta)*float64(ci[j]))
			}
		}
	}
}

// gemmDotTileAVX2 is the AVX2 level's dot tile (see gemmKernel.dot): the
// assembly does k &^ 7, Go adds the last k mod 8 products.
func gemmDotTileAVX2(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32) {
	gemmDotAVX2(k, mr, nr, a, lda, b, ldb, out)
	if k0 := k &^ 7; k0 < k {
		for i := 0; i < mr; i++ {
			ai := a[i*lda+k0 : i*lda+k]
			for j := 0; j < nr; j++ {
				bj := b[j*ldb+k0 : j*ldb+k]
				s := out[i*4+j]
				for p, v := range ai {
					s += v * bj[p]
				}
				out[i*4+j] = s
			}
		}
	}
}

// packT8AVX2 transposes 8 rows of src (row stride ldb) into dst with row
// stride nr, 8×8 blocks at a time:
//
//	for p < 8·kb8, i < 8: dst[p*nr+i] = src[i*ldb+p]
//
// Preconditions (checked by packBT, its only caller): kb8 ≥ 0, nr ≥ 8,
// len(src) ≥ 7·ldb + 8·kb8, len(dst) ≥ (8·kb8−1)·nr + 8 when kb8 > 0. It
// reads and writes nothing else.
//
// Requires: AVX, AVX2.
//
//go:noescape
func packT8AVX2(dst, src []float32, ldb, nr, kb8 int)
