//go:build !purego

#include "textflag.h"
#include "gemm_amd64.h"

// The SGEMM micro-kernels. See gemm_generic.go for the contract shared by
// every level and gemm_amd64.go for the Go declarations.
//
// Register use, both kernels:
//	CX  k loop counter        R13 mr (rows to read and write)
//	AX  A rows 0..5, column p R12 A rows 6..11 (AVX-512 only)
//	R9  rsa·4, R10 3·rsa·4, R11 5·rsa·4, R8 csa·4
//	BX  B row p               DX  ldb·4
//	DI  C row                 SI  ldc·4
// R14 the bias row or 0 (see the entry points). BP and R15 are not
// touched.
//
// The macros both share with the packed and dot kernels (ZERO24Z, ROW512,
// STORE16B, PREFETCHC, …) are in gemm_amd64.h.

// The 12 rows of the AVX-512 tile for one k step: ROW512 (gemm_amd64.h)
// broadcasts A(i,p) into Z26 and multiplies it into the B row in Z24, Z25.
#define ROWS512 \
	ROW512((AX), Z26, Z0, Z1); \
	ROW512((AX)(R9*1), Z26, Z2, Z3); \
	ROW512((AX)(R9*2), Z26, Z4, Z5); \
	ROW512((AX)(R10*1), Z26, Z6, Z7); \
	ROW512((AX)(R9*4), Z26, Z8, Z9); \
	ROW512((AX)(R11*1), Z26, Z10, Z11); \
	ROW512((R12), Z26, Z12, Z13); \
	ROW512((R12)(R9*1), Z26, Z14, Z15); \
	ROW512((R12)(R9*2), Z26, Z16, Z17); \
	ROW512((R12)(R10*1), Z26, Z18, Z19); \
	ROW512((R12)(R9*4), Z26, Z20, Z21); \
	ROW512((R12)(R11*1), Z26, Z22, Z23)

// B row p, its nr valid columns (masks K1, K2), in Z24, Z25.
#define LOADB512 \
	VMOVUPS.Z (BX), K1, Z24; \
	VMOVUPS.Z 64(BX), K2, Z25

// One k step of all 12 rows, prefetching the B row eight steps ahead.
#define STEP512 \
	LOADB512; \
	PREFETCHT0 (BX)(DX*8); \
	PREFETCHT0 64(BX)(DX*8); \
	ROWS512; \
	ADDQ R8, AX; \
	ADDQ R8, R12; \
	ADDQ DX, BX

// One row of the AVX-512 tile at most 16 columns wide: B row p in Z24.
#define ROW512N(addr, acc) \
	VBROADCASTSS addr, Z26; \
	VFMADD231PS  Z24, Z26, acc

// Scale one row of accumulators by alpha (Z26) and store the nr valid
// columns (masks K1, K2); C is not read.
#define STORE512Z(acc0, acc1) \
	VMULPS  Z26, acc0, acc0; \
	VMULPS  Z26, acc1, acc1; \
	VMOVUPS acc0, K1, (DI); \
	VMOVUPS acc1, K2, 64(DI); \
	ADDQ    SI, DI

// Store alpha·acc + beta·C (alpha in Z26, beta in Z27) for one row.
// alpha·acc + (beta·C) is one FMA, so the result carries only the roundings
// of the sum, of beta·C and of the FMA.
#define STORE512B(acc0, acc1) \
	VMOVUPS.Z   (DI), K1, Z24; \
	VMOVUPS.Z   64(DI), K2, Z25; \
	VMULPS      Z27, Z24, Z24; \
	VMULPS      Z27, Z25, Z25; \
	VFMADD213PS Z24, Z26, acc0; \
	VFMADD213PS Z25, Z26, acc1; \
	VMOVUPS     acc0, K1, (DI); \
	VMOVUPS     acc1, K2, 64(DI); \
	ADDQ        SI, DI

// Store alpha·acc + bias (alpha in Z26, the bias row's two vectors in Z24,
// Z25) for one row: one FMA, one rounding; C is not read.
#define STORE512BIAS(acc0, acc1) \
	VFMADD213PS Z24, Z26, acc0; \
	VFMADD213PS Z25, Z26, acc1; \
	VMOVUPS     acc0, K1, (DI); \
	VMOVUPS     acc1, K2, 64(DI); \
	ADDQ        SI, DI

// Store rows 0..mr−1 (mr in R13, 1 ≤ mr ≤ 12) with ST, one of the three
// row stores above, then go to done (or fall through after row 11).
#define STOREROWS512(ST, done) \
	ST(Z0, Z1); \
	CMPQ R13, $1; \
	JEQ  done; \
	ST(Z2, Z3); \
	CMPQ R13, $2; \
	JEQ  done; \
	ST(Z4, Z5); \
	CMPQ R13, $3; \
	JEQ  done; \
	ST(Z6, Z7); \
	CMPQ R13, $4; \
	JEQ  done; \
	ST(Z8, Z9); \
	CMPQ R13, $5; \
	JEQ  done; \
	ST(Z10, Z11); \
	CMPQ R13, $6; \
	JEQ  done; \
	ST(Z12, Z13); \
	CMPQ R13, $7; \
	JEQ  done; \
	ST(Z14, Z15); \
	CMPQ R13, $8; \
	JEQ  done; \
	ST(Z16, Z17); \
	CMPQ R13, $9; \
	JEQ  done; \
	ST(Z18, Z19); \
	CMPQ R13, $10; \
	JEQ  done; \
	ST(Z20, Z21); \
	CMPQ R13, $11; \
	JEQ  done; \
	ST(Z22, Z23)

// func gemmKernelAVX512(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
// Requires: AVX512F
TEXT ·gemmKernelAVX512(SB), NOSPLIT, $0-136
	XORQ R14, R14
	JMP  gemmKernelAVX512body<>(SB)

// func gemmKernelBiasAVX512(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha float32, bias []float32)
// Requires: AVX512F
TEXT ·gemmKernelBiasAVX512(SB), NOSPLIT, $0-160
	MOVQ bias_base+136(FP), R14
	JMP  gemmKernelAVX512body<>(SB)

// The body of both: R14 is the bias row (0: none, use beta). Entered by a
// tail jump from a frameless entry point, so FP names the caller's
// arguments, laid out alike up to alpha (beta, at 132, is only read when
// R14 is 0).
TEXT gemmKernelAVX512body<>(SB), NOSPLIT, $0
	// Column masks: K1 = the low min(nr, 16) bits, K2 = the next ones.
	MOVQ  nr+16(FP), CX
	MOVQ  $1, SI
	SHLQ  CX, SI
	DECQ  SI
	KMOVW SI, K1
	SHRQ  $16, SI
	KMOVW SI, K2

	MOVQ k+0(FP), CX
	MOVQ mr+8(FP), R13
	MOVQ a_base+24(FP), AX
	MOVQ rsa+48(FP), R9
	MOVQ csa+56(FP), R8
	MOVQ b_base+64(FP), BX
	MOVQ ldb+88(FP), DX
	SHLQ $2, R9
	SHLQ $2, R8
	SHLQ $2, DX
	LEAQ (R9)(R9*2), R10
	LEAQ (R9)(R9*4), R11
	LEAQ (AX)(R10*2), R12

	ZERO24Z

	CMPQ R13, $12
	JNE  gemmKernelAVX512_edge

	// All 12 rows: prefetch the C tile (a hint: it never faults and reads
	// nothing architecturally), then the k loop unrolled by two. Each k
	// step prefetches the B row eight steps ahead: a B read in place with
	// a long stride (the weight gradient δᵀ·x reads x, 1000×784, with a
	// 3136-byte stride, from L3) defeats the hardware prefetchers, and
	// every row would be a demand miss (30×784×1000 TN: 85 → 120–139
	// GFLOP/s of thread CPU time; packed panels and square products
	// unchanged).
	MOVQ c_base+96(FP), DI
	MOVQ ldc+120(FP), SI
	SHLQ $2, SI
	PREFETCHC6(64)  // rows 0..5
	PREFETCHC(64)
	PREFETCHC(64)
	PREFETCHC(64)
	PREFETCHC(64)
	PREFETCHC(64)
	PREFETCHC1(64) // row 11
	KORTESTW K2, K2
	JZ       gemmKernelAVX512_narrow
	CMPQ CX, $2
	JLT  gemmKernelAVX512_one

gemmKernelAVX512_full2:
	STEP512
	STEP512
	SUBQ      $2, CX
	CMPQ      CX, $2
	JGE       gemmKernelAVX512_full2
	TESTQ     CX, CX
	JZ        gemmKernelAVX512_store

gemmKernelAVX512_one:
	LOADB512
	ROWS512
	JMP       gemmKernelAVX512_store

	// All 12 rows, at most 16 columns (K2 empty; the last panel of a
	// product whose n is not a multiple of 32, such as 300 = 9·32 + 12):
	// one B vector and 12 FMAs per k step instead of 24, half of them on
	// masked-off lanes. The odd accumulators stay zero, and their stores
	// are masked off.
gemmKernelAVX512_narrow:
	VMOVUPS.Z  (BX), K1, Z24
	PREFETCHT0 (BX)(DX*8)
	ROW512N((AX), Z0)
	ROW512N((AX)(R9*1), Z2)
	ROW512N((AX)(R9*2), Z4)
	ROW512N((AX)(R10*1), Z6)
	ROW512N((AX)(R9*4), Z8)
	ROW512N((AX)(R11*1), Z10)
	ROW512N((R12), Z12)
	ROW512N((R12)(R9*1), Z14)
	ROW512N((R12)(R9*2), Z16)
	ROW512N((R12)(R10*1), Z18)
	ROW512N((R12)(R9*4), Z20)
	ROW512N((R12)(R11*1), Z22)
	ADDQ       R8, AX
	ADDQ       R8, R12
	ADDQ       DX, BX
	DECQ       CX
	JNZ        gemmKernelAVX512_narrow
	JMP        gemmKernelAVX512_store

	// Fewer than 12 rows: rows mr..11 are neither read nor written.
gemmKernelAVX512_edge:
	LOADB512
	ROW512((AX), Z26, Z0, Z1)
	CMPQ      R13, $1
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R9*1), Z26, Z2, Z3)
	CMPQ      R13, $2
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R9*2), Z26, Z4, Z5)
	CMPQ      R13, $3
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R10*1), Z26, Z6, Z7)
	CMPQ      R13, $4
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R9*4), Z26, Z8, Z9)
	CMPQ      R13, $5
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R11*1), Z26, Z10, Z11)
	CMPQ      R13, $6
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12), Z26, Z12, Z13)
	CMPQ      R13, $7
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12)(R9*1), Z26, Z14, Z15)
	CMPQ      R13, $8
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12)(R9*2), Z26, Z16, Z17)
	CMPQ      R13, $9
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12)(R10*1), Z26, Z18, Z19)
	CMPQ      R13, $10
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12)(R9*4), Z26, Z20, Z21)

gemmKernelAVX512_edgenext:
	ADDQ R8, AX
	ADDQ R8, R12
	ADDQ DX, BX
	DECQ CX
	JNZ  gemmKernelAVX512_edge

gemmKernelAVX512_store:
	VBROADCASTSS alpha+128(FP), Z26
	MOVQ         c_base+96(FP), DI
	MOVQ         ldc+120(FP), SI
	SHLQ         $2, SI
	TESTQ        R14, R14
	JNZ          gemmKernelAVX512_storebias
	MOVL         beta+132(FP), R8
	SHLL         $1, R8                // drop the sign: ±0 both mean "do not read C"
	JZ           gemmKernelAVX512_store0
	VBROADCASTSS beta+132(FP), Z27
	STOREROWS512(STORE512B, gemmKernelAVX512_done)
	JMP          gemmKernelAVX512_done

gemmKernelAVX512_storebias:
	VMOVUPS.Z (R14), K1, Z24
	VMOVUPS.Z 64(R14), K2, Z25
	STOREROWS512(STORE512BIAS, gemmKernelAVX512_done)
	JMP  gemmKernelAVX512_done

gemmKernelAVX512_store0:
	STOREROWS512(STORE512Z, gemmKernelAVX512_done)

gemmKernelAVX512_done:
	VZEROUPPER
	RET

// The AVX2 tile's rows are ROW256 (gemm_amd64.h): A(i,p) broadcast into
// Y14, the B row in Y12, Y13.

// C = alpha·acc + (beta·C) for one full row (alpha in Y12, beta in Y13,
// Y14 scratch).
#define STORE256B(acc0, acc1) STORE16B(Y12, Y13, Y14, Y14, acc0, acc1)

// C = alpha·acc for one full row (alpha in Y12); C is not read.
#define STORE256Z(acc0, acc1) STORE16Z(Y12, acc0, acc1)

// C = alpha·acc + bias for one full row (alpha in Y12, the bias row in
// Y13, Y14); C is not read.
#define STORE256BIAS(acc0, acc1) \
	VFMADD213PS Y13, Y12, acc0; \
	VFMADD213PS Y14, Y12, acc1; \
	VMOVUPS     acc0, (DI); \
	VMOVUPS     acc1, 32(DI); \
	ADDQ        SI, DI

// Store rows 0..mr−1 (mr in R13, 1 ≤ mr ≤ 6) with ST, one of the three row
// stores above, then go to done (or fall through after row 5).
#define STOREROWS256(ST, done) \
	ST(Y0, Y1); \
	CMPQ R13, $1; \
	JEQ  done; \
	ST(Y2, Y3); \
	CMPQ R13, $2; \
	JEQ  done; \
	ST(Y4, Y5); \
	CMPQ R13, $3; \
	JEQ  done; \
	ST(Y6, Y7); \
	CMPQ R13, $4; \
	JEQ  done; \
	ST(Y8, Y9); \
	CMPQ R13, $5; \
	JEQ  done; \
	ST(Y10, Y11)

// func gemmKernelAVX2(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
// Requires: AVX, AVX2, FMA3
//
// Only full-width tiles: nr must be 16 (gemmTileAVX2 in Go handles narrower
// ones). No masked loads or stores: VMASKMOVPS does not suppress faults on
// masked-off lanes under QEMU's TCG, where CI runs this code.
TEXT ·gemmKernelAVX2(SB), NOSPLIT, $0-136
	XORQ R14, R14
	JMP  gemmKernelAVX2body<>(SB)

// func gemmKernelBiasAVX2(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha float32, bias []float32)
// Requires: AVX, AVX2, FMA3
TEXT ·gemmKernelBiasAVX2(SB), NOSPLIT, $0-160
	MOVQ bias_base+136(FP), R14
	JMP  gemmKernelAVX2body<>(SB)

// The body of both, as gemmKernelAVX512body<>: R14 is the bias row (0:
// none, use beta).
TEXT gemmKernelAVX2body<>(SB), NOSPLIT, $0
	MOVQ k+0(FP), CX
	MOVQ mr+8(FP), R13
	MOVQ a_base+24(FP), AX
	MOVQ rsa+48(FP), R9
	MOVQ csa+56(FP), R8
	MOVQ b_base+64(FP), BX
	MOVQ ldb+88(FP), DX
	SHLQ $2, R9
	SHLQ $2, R8
	SHLQ $2, DX
	LEAQ (R9)(R9*2), R10
	LEAQ (R9)(R9*4), R11

	ZERO12Y

	CMPQ R13, $6
	JNE  gemmKernelAVX2_edge

gemmKernelAVX2_full:
	VMOVUPS    (BX), Y12
	VMOVUPS    32(BX), Y13
	PREFETCHT0 (BX)(DX*8) // B eight rows ahead, as the AVX-512 kernel
	ROW256((AX), Y14, Y0, Y1)
	ROW256((AX)(R9*1), Y14, Y2, Y3)
	ROW256((AX)(R9*2), Y14, Y4, Y5)
	ROW256((AX)(R10*1), Y14, Y6, Y7)
	ROW256((AX)(R9*4), Y14, Y8, Y9)
	ROW256((AX)(R11*1), Y14, Y10, Y11)
	ADDQ    R8, AX
	ADDQ    DX, BX
	DECQ    CX
	JNZ     gemmKernelAVX2_full
	JMP     gemmKernelAVX2_store

	// Fewer than 6 rows: rows mr..5 are neither read nor written.
gemmKernelAVX2_edge:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	ROW256((AX), Y14, Y0, Y1)
	CMPQ    R13, $1
	JEQ     gemmKernelAVX2_edgenext
	ROW256((AX)(R9*1), Y14, Y2, Y3)
	CMPQ    R13, $2
	JEQ     gemmKernelAVX2_edgenext
	ROW256((AX)(R9*2), Y14, Y4, Y5)
	CMPQ    R13, $3
	JEQ     gemmKernelAVX2_edgenext
	ROW256((AX)(R10*1), Y14, Y6, Y7)
	CMPQ    R13, $4
	JEQ     gemmKernelAVX2_edgenext
	ROW256((AX)(R9*4), Y14, Y8, Y9)

gemmKernelAVX2_edgenext:
	ADDQ R8, AX
	ADDQ DX, BX
	DECQ CX
	JNZ  gemmKernelAVX2_edge

gemmKernelAVX2_store:
	MOVQ         c_base+96(FP), DI
	MOVQ         ldc+120(FP), SI
	SHLQ         $2, SI
	VBROADCASTSS alpha+128(FP), Y12
	TESTQ        R14, R14
	JNZ          gemmKernelAVX2_storebias
	MOVL         beta+132(FP), R8
	SHLL         $1, R8                // drop the sign: ±0 both mean "do not read C"
	JZ           gemmKernelAVX2_store0
	VBROADCASTSS beta+132(FP), Y13
	STOREROWS256(STORE256B, gemmKernelAVX2_done)
	JMP          gemmKernelAVX2_done

gemmKernelAVX2_storebias:
	VMOVUPS (R14), Y13
	VMOVUPS 32(R14), Y14
	STOREROWS256(STORE256BIAS, gemmKernelAVX2_done)
	JMP  gemmKernelAVX2_done

gemmKernelAVX2_store0:
	STOREROWS256(STORE256Z, gemmKernelAVX2_done)

gemmKernelAVX2_done:
	VZEROUPPER
	RET
