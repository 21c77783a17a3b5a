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

// gemmKernelAVX2 is gemmKernelAVX512 for tiles up to 6×16, with the same
// contract: columns past nr are masked with VMASKMOVPS, rows past mr are
// skipped. Preconditions: 1 ≤ k, 1 ≤ mr ≤ 6, 1 ≤ nr ≤ 16, every index
// inside its slice.
//
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func gemmKernelAVX2(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// Register tiles and blocking, chosen by measurement on the target machine
// (2-core AMD EPYC, family 26 "Turin-like", L1d 48 KiB, L2 1 MiB per core);
// the blocking sweep is in the comment at gemm.go's directMaxA.
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
// rows: 16 (9) accumulators plus one register per A and B row.
var (
	avx512Gemm = gemmKernel{mr: 12, nr: 32, kc: 512, mc: 48, nc: 512, fn: gemmKernelAVX512, dot: gemmDotAVX512, dmr: 4, dnr: 4}
	avx2Gemm   = gemmKernel{mr: 6, nr: 16, kc: 512, mc: 48, nc: 512, fn: gemmKernelAVX2, dot: gemmDotAVX2, dmr: 3, dnr: 3}
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

// gemmDotAVX512 computes a tile of dot products, up to 4×4, of rows of A
// and rows of B, both read along k in place:
//
//	for i < 4, j < 4:
//	    out[i*4+j] = Σ_{p<k} a[min(i, mr−1)*lda+p] * b[min(j, nr−1)*ldb+p]
//
// (rows past mr or nr repeat the last valid row, so nothing outside the
// operands is read; the caller ignores those sums). Tails of k use K-masked
// loads. Preconditions: 1 ≤ k, 1 ≤ mr, nr ≤ 4, len(out) ≥ 16, every row
// index above inside its slice.
//
// Requires: AVX, AVX512F, AVX512VL.
//
//go:noescape
func gemmDotAVX512(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32)

// gemmDotAVX2 is gemmDotAVX512 for tiles up to 3×3: for i, j < 3,
// out[i*4+j] = Σ_{p<k} a[min(i, mr−1)*lda+p] * b[min(j, nr−1)*ldb+p]; out[i*4+3]
// is scratch. Tails of k use VMASKMOVPS. Preconditions: 1 ≤ k,
// 1 ≤ mr, nr ≤ 3, len(out) ≥ 12, every row index inside its slice.
//
// Requires: AVX, AVX2, FMA3.
//
//go:noescape
func gemmDotAVX2(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32)
