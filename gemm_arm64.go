//go:build !purego

package deltacore

// gemmKernelNEON computes one tile of C, up to 8×12, as specified by the
// micro-kernel contract in gemm_generic.go (equivalently gemmKernelGeneric):
//
//	for i < mr, j < nr:
//	    s := Σ_{p<k} a[i*rsa+p*csa] * b[p*ldb+j]      (fused multiply-adds, p in order)
//	    if beta == 0 (either sign): c[i*ldc+j] = alpha*s   (C is not read)
//	    else:                       c[i*ldc+j] = fma(alpha, s, beta*c[i*ldc+j])
//
// so alpha·s carries at most k+1 roundings and the sum with beta·c two,
// within Sgemm's bound. It takes any strides: the driver passes op(A) in
// place (rsa = lda, csa = 1, or rsa = 1, csa = lda) and B either packed
// (ldb = 12) or in place, and every layout runs the same register-blocked
// loop, one VLD1R per row and element of A (with post-increment by csa), so
// no layout falls back to Go.
//
// Preconditions (checked by the Go driver): 1 ≤ k, 1 ≤ mr ≤ 8, 1 ≤ nr ≤ 12,
// rsa, csa ≥ 1, ldb, ldc ≥ nr, every index above inside its slice. It reads
// and writes nothing else, without masks: rows past mr recompute row mr−1
// and are not stored; for nr ≥ 4 the three column vectors start at columns
// 0, min(4, nr−4), min(8, nr−4) (overlapping, never past nr), for nr < 4
// one vector is loaded and stored lane by lane, lane c holding column
// min(c, nr−1). Columns held twice are bit-identical, and each row of C is
// loaded whole before it is stored (see gemm_arm64.s).
//
// Requires: ASIMD.
//
//go:noescape
func gemmKernelNEON(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)

// neonGemm is the NEON micro-kernel and its blocking.
//
// Tile 8×12: 24 of the 32 V registers hold the accumulators (8 rows × 3
// vectors of 4), 3 the B row and the other 5 rotate through the broadcast A
// values. Per k step, 3 vector loads and 8 VLD1R feed 24 independent FMLAs,
// which covers the FMLA latency (4 cycles) times two FP pipes on Cortex-A72/
// A76, Neoverse N1/V1 and Apple cores. NR = 12 keeps each C row three whole
// vectors; the k loop is not unrolled (the loop overhead is 2 of 37
// instructions).
//
// Blocking, not measured (no arm64 machine was available; qemu timings mean
// nothing): kc = 256 keeps a packed B panel (kc·NR·4 = 12 KiB) in even a
// 32 KiB L1d (Cortex-A53/A72) next to the 8 streaming rows of A; nc = 512
// keeps the B block (kc·nc·4 = 512 KiB) within the 1 MiB L2 of Neoverse N1
// and Graviton 2/3; mc = 64 is 8 row tiles. An arm64 user can tune them
// with `go test -bench Gemm` (see bench/README.md). This is the built-in
// blocking; where cpuid reports the cache sizes, cpuconf.go computes one
// from them at start instead.
//
// The dot tile (gemmDotNEON, 4×4) serves A·Bᵀ with few rows: 16
// accumulators plus one vector per A and B row.
var neonGemm = gemmKernel{mr: 8, nr: 12, kc: 256, mc: 64, nc: 512, fn: gemmKernelNEON, dot: gemmDotNEON, dmr: 4, dnr: 4}

// gemmDotNEON computes a tile of dot products, up to 4×4, of rows of A and
// rows of B, both read along k in place:
//
//	for i < 4, j < 4:
//	    out[i*4+j] = Σ_{p<k} a[min(i, mr−1)*lda+p] * b[min(j, nr−1)*ldb+p]
//
// (rows past mr or nr repeat the last valid row, so nothing outside the
// operands is read; the caller ignores those sums). Each sum is four
// partial FMA chains over p ≡ 0, 1, 2, 3 (mod 4) added pairwise at the end
// (k+2 roundings at most). The k%4 tail is loaded one element at a time, so
// nothing past a row's k elements is read. Preconditions: 1 ≤ k,
// 1 ≤ mr, nr ≤ 4, lda, ldb ≥ k, len(out) ≥ 16, every row index above inside
// its slice.
//
// Requires: ASIMD.
//
//go:noescape
func gemmDotNEON(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32)

// gemmImplFor returns the micro-kernel of level l.
func gemmImplFor(l Level) *gemmKernel {
	if l == NEON {
		return &neonGemm
	}
	return &genericGemm
}
