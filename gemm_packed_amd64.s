//go:build !purego

#include "textflag.h"
#include "gemm_amd64.h"

// The packed path's full-tile AVX-512 micro-kernel: gemmKernelAVX512's
// 12×32 tile (see gemm_amd64.s) specialised to packed operands, A as a
// sliver of 12 floats per k step (rsa 1, csa 12), B as a panel of 32 floats
// per k step (ldb 32). The FMAs, their order and the final scaling are
// gemmKernelAVX512's, so both give the same bits; this one needs no
// address arithmetic per row, no masks, and prefetches the B panel and the
// A sliver ahead of the loads (both stream from L2 when the B panel does
// not fit in L1 beside the sliver).
//
// Register use: CX k loop counter, AX A sliver, BX B panel, DI C row,
// SI ldc·4; Z0–Z23 accumulators (row i in Z(2i), Z(2i+1)), Z24, Z25 the B
// row, Z26–Z31 the broadcast A values (rotating). ROW512, ZERO24Z and
// PREFETCHC are in gemm_amd64.h.

// One k step: the B row, then the 12 rows of the tile.
#define PSTEP \
	VMOVUPS (BX), Z24; \
	VMOVUPS 64(BX), Z25; \
	PREFETCHT0 1024(BX); \
	PREFETCHT0 1088(BX); \
	ROW512(0(AX), Z26, Z0, Z1); \
	ROW512(4(AX), Z27, Z2, Z3); \
	ROW512(8(AX), Z28, Z4, Z5); \
	ROW512(12(AX), Z29, Z6, Z7); \
	ROW512(16(AX), Z30, Z8, Z9); \
	ROW512(20(AX), Z31, Z10, Z11); \
	PREFETCHT0 384(AX); \
	ROW512(24(AX), Z26, Z12, Z13); \
	ROW512(28(AX), Z27, Z14, Z15); \
	ROW512(32(AX), Z28, Z16, Z17); \
	ROW512(36(AX), Z29, Z18, Z19); \
	ROW512(40(AX), Z30, Z20, Z21); \
	ROW512(44(AX), Z31, Z22, Z23); \
	ADDQ $48, AX; \
	ADDQ $128, BX

#define PSTOREZ(acc0, acc1) \
	VMULPS  Z26, acc0, acc0; \
	VMULPS  Z26, acc1, acc1; \
	VMOVUPS acc0, (DI); \
	VMOVUPS acc1, 64(DI); \
	ADDQ    SI, DI

#define PSTOREB(acc0, acc1) \
	VMULPS      (DI), Z27, Z24; \
	VMULPS      64(DI), Z27, Z25; \
	VFMADD213PS Z24, Z26, acc0; \
	VFMADD213PS Z25, Z26, acc1; \
	VMOVUPS     acc0, (DI); \
	VMOVUPS     acc1, 64(DI); \
	ADDQ        SI, DI

// Four k steps.
#define PSTEP4 \
	PSTEP; \
	PSTEP; \
	PSTEP; \
	PSTEP

// The k loop of both packed kernels (k ≥ 1 in CX): STEP4 does four k steps
// at a time, then STEP one at a time for the k mod 4 left; it ends at
// store, the label the caller puts right after it. four and one are the
// caller's labels for the two loops.
#define PACKEDLOOP(STEP4, STEP, four, one, store) \
	CMPQ  CX, $4; \
	JLT   one; \
four: \
	STEP4; \
	SUBQ  $4, CX; \
	CMPQ  CX, $4; \
	JGE   four; \
	TESTQ CX, CX; \
	JZ    store; \
one: \
	STEP; \
	DECQ  CX; \
	JNZ   one

// All 12 rows of the tile, stored with ST (PSTOREZ or PSTOREB).
#define PSTORE12(ST) \
	ST(Z0, Z1); \
	ST(Z2, Z3); \
	ST(Z4, Z5); \
	ST(Z6, Z7); \
	ST(Z8, Z9); \
	ST(Z10, Z11); \
	ST(Z12, Z13); \
	ST(Z14, Z15); \
	ST(Z16, Z17); \
	ST(Z18, Z19); \
	ST(Z20, Z21); \
	ST(Z22, Z23)

// func gemmPackedAVX512(k int, a, b, c []float32, ldc int, alpha, beta float32)
// Requires: AVX512F
TEXT ·gemmPackedAVX512(SB), NOSPLIT, $0-96
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), AX
	MOVQ b_base+32(FP), BX
	MOVQ c_base+56(FP), DI
	MOVQ ldc+80(FP), SI
	SHLQ $2, SI

	ZERO24Z

	// Prefetch the C tile (hints: they never fault).
	PREFETCHC6(64)
	PREFETCHC6(64)

	PACKEDLOOP(PSTEP4, PSTEP, gemmPackedAVX512_four, gemmPackedAVX512_one, gemmPackedAVX512_store)

gemmPackedAVX512_store:
	VBROADCASTSS alpha+88(FP), Z26
	MOVQ         c_base+56(FP), DI
	MOVL         beta+92(FP), R8
	SHLL         $1, R8 // drop the sign: ±0 both mean "do not read C"
	JZ           gemmPackedAVX512_store0
	VBROADCASTSS beta+92(FP), Z27
	PSTORE12(PSTOREB)
	VZEROUPPER
	RET

gemmPackedAVX512_store0:
	PSTORE12(PSTOREZ)
	VZEROUPPER
	RET

// The packed path's full-tile AVX2 micro-kernel: gemmKernelAVX2's 6×16
// tile specialised to packed operands, A as a sliver of 6 floats per k
// step (rsa 1, csa 6), B as a panel of 16 floats per k step (ldb 16), as
// gemmPackedAVX512 is to gemmKernelAVX512: the same FMAs in the same order
// and the same final scaling, so the same bits, with immediate offsets for
// the six A values, the loop unrolled four times, and prefetches of the B
// panel and the A sliver ahead of their loads.
//
// Register use: CX k loop counter, AX A sliver, BX B panel, DI C row,
// SI ldc·4; Y0–Y11 accumulators (row i in Y(2i), Y(2i+1)), Y12, Y13 the B
// row, Y14, Y15 the broadcast A values (alternating). ROW256, STORE16Z,
// STORE16B, ZERO12Y and PREFETCHC are in gemm_amd64.h.

// One k step: the B row, then the 6 rows of the tile.
#define QSTEP \
	VMOVUPS    (BX), Y12; \
	VMOVUPS    32(BX), Y13; \
	PREFETCHT0 1024(BX); \
	ROW256(0(AX), Y14, Y0, Y1); \
	ROW256(4(AX), Y15, Y2, Y3); \
	ROW256(8(AX), Y14, Y4, Y5); \
	ROW256(12(AX), Y15, Y6, Y7); \
	ROW256(16(AX), Y14, Y8, Y9); \
	ROW256(20(AX), Y15, Y10, Y11); \
	ADDQ $24, AX; \
	ADDQ $64, BX

// Four k steps, with one prefetch of the A sliver.
#define QSTEP4 \
	PREFETCHT0 384(AX); \
	QSTEP; \
	QSTEP; \
	QSTEP; \
	QSTEP

// The row stores: alpha in Y14, beta in Y15; Y12, Y13 (the B row, free
// after the loop) are the scratch of QSTOREB.
#define QSTOREZ(acc0, acc1) STORE16Z(Y14, acc0, acc1)
#define QSTOREB(acc0, acc1) STORE16B(Y14, Y15, Y12, Y13, acc0, acc1)

// All 6 rows of the tile, stored with ST (QSTOREZ or QSTOREB).
#define QSTORE6(ST) \
	ST(Y0, Y1); \
	ST(Y2, Y3); \
	ST(Y4, Y5); \
	ST(Y6, Y7); \
	ST(Y8, Y9); \
	ST(Y10, Y11)

// func gemmPackedAVX2(k int, a, b, c []float32, ldc int, alpha, beta float32)
// Requires: AVX, AVX2, FMA3
TEXT ·gemmPackedAVX2(SB), NOSPLIT, $0-96
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), AX
	MOVQ b_base+32(FP), BX
	MOVQ c_base+56(FP), DI
	MOVQ ldc+80(FP), SI
	SHLQ $2, SI

	ZERO12Y

	// Prefetch the C tile (hints: they never fault); a row's 64 bytes may
	// straddle two lines.
	PREFETCHC6(63)

	PACKEDLOOP(QSTEP4, QSTEP, gemmPackedAVX2_four, gemmPackedAVX2_one, gemmPackedAVX2_store)

gemmPackedAVX2_store:
	VBROADCASTSS alpha+88(FP), Y14
	MOVQ         c_base+56(FP), DI
	MOVL         beta+92(FP), R8
	SHLL         $1, R8 // drop the sign: ±0 both mean "do not read C"
	JZ           gemmPackedAVX2_store0
	VBROADCASTSS beta+92(FP), Y15
	QSTORE6(QSTOREB)
	VZEROUPPER
	RET

gemmPackedAVX2_store0:
	QSTORE6(QSTOREZ)
	VZEROUPPER
	RET

// The same tile with the operands' strides as arguments: A as 12 floats
// per k step, csa floats apart (rsa 1: a row of Aᵀ, as a product with
// op(A) = Aᵀ reads A in place), B as 32 floats per k step, ldb floats
// apart. Register use as above, plus R8 csa·4, DX ldb·4.
#define SSTEP \
	VMOVUPS (BX), Z24; \
	VMOVUPS 64(BX), Z25; \
	PREFETCHT0 (BX)(DX*8); \
	PREFETCHT0 64(BX)(DX*8); \
	ROW512(0(AX), Z26, Z0, Z1); \
	ROW512(4(AX), Z27, Z2, Z3); \
	ROW512(8(AX), Z28, Z4, Z5); \
	ROW512(12(AX), Z29, Z6, Z7); \
	ROW512(16(AX), Z30, Z8, Z9); \
	ROW512(20(AX), Z31, Z10, Z11); \
	PREFETCHT0 (AX)(R8*8); \
	ROW512(24(AX), Z26, Z12, Z13); \
	ROW512(28(AX), Z27, Z14, Z15); \
	ROW512(32(AX), Z28, Z16, Z17); \
	ROW512(36(AX), Z29, Z18, Z19); \
	ROW512(40(AX), Z30, Z20, Z21); \
	ROW512(44(AX), Z31, Z22, Z23); \
	ADDQ R8, AX; \
	ADDQ DX, BX

// Four strided k steps.
#define SSTEP4 \
	SSTEP; \
	SSTEP; \
	SSTEP; \
	SSTEP

// func gemmStridedAVX512(k int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
// Requires: AVX512F
TEXT ·gemmStridedAVX512(SB), NOSPLIT, $0-112
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), AX
	MOVQ csa+32(FP), R8
	SHLQ $2, R8
	MOVQ b_base+40(FP), BX
	MOVQ ldb+64(FP), DX
	SHLQ $2, DX
	MOVQ c_base+72(FP), DI
	MOVQ ldc+96(FP), SI
	SHLQ $2, SI

	ZERO24Z

	// Prefetch the C tile (hints: they never fault).
	PREFETCHC6(64)
	PREFETCHC6(64)

	PACKEDLOOP(SSTEP4, SSTEP, gemmStridedAVX512_four, gemmStridedAVX512_one, gemmStridedAVX512_store)

gemmStridedAVX512_store:
	VBROADCASTSS alpha+104(FP), Z26
	MOVQ         c_base+72(FP), DI
	MOVL         beta+108(FP), R8
	SHLL         $1, R8 // drop the sign: ±0 both mean "do not read C"
	JZ           gemmStridedAVX512_store0
	VBROADCASTSS beta+108(FP), Z27
	PSTORE12(PSTOREB)
	VZEROUPPER
	RET

gemmStridedAVX512_store0:
	PSTORE12(PSTOREZ)
	VZEROUPPER
	RET

// gemmStridedAVX512's AVX2 twin: the 6×16 tile with A as 6 floats per k
// step, csa floats apart, and B as 16 floats per k step, ldb floats apart.
// Register use as gemmPackedAVX2's, plus R8 csa·4, DX ldb·4.
#define TSTEP \
	VMOVUPS    (BX), Y12; \
	VMOVUPS    32(BX), Y13; \
	PREFETCHT0 (BX)(DX*8); \
	PREFETCHT0 60(BX)(DX*8); \
	ROW256(0(AX), Y14, Y0, Y1); \
	ROW256(4(AX), Y15, Y2, Y3); \
	ROW256(8(AX), Y14, Y4, Y5); \
	PREFETCHT0 (AX)(R8*8); \
	ROW256(12(AX), Y15, Y6, Y7); \
	ROW256(16(AX), Y14, Y8, Y9); \
	ROW256(20(AX), Y15, Y10, Y11); \
	ADDQ R8, AX; \
	ADDQ DX, BX

#define TSTEP4 \
	TSTEP; \
	TSTEP; \
	TSTEP; \
	TSTEP

// func gemmStridedAVX2(k int, a []float32, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
// Requires: AVX, AVX2, FMA3
TEXT ·gemmStridedAVX2(SB), NOSPLIT, $0-112
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), AX
	MOVQ csa+32(FP), R8
	SHLQ $2, R8
	MOVQ b_base+40(FP), BX
	MOVQ ldb+64(FP), DX
	SHLQ $2, DX
	MOVQ c_base+72(FP), DI
	MOVQ ldc+96(FP), SI
	SHLQ $2, SI

	ZERO12Y

	// Prefetch the C tile (hints: they never fault).
	PREFETCHC6(63)

	PACKEDLOOP(TSTEP4, TSTEP, gemmStridedAVX2_four, gemmStridedAVX2_one, gemmStridedAVX2_store)

gemmStridedAVX2_store:
	VBROADCASTSS alpha+104(FP), Y14
	MOVQ         c_base+72(FP), DI
	MOVL         beta+108(FP), R8
	SHLL         $1, R8 // drop the sign: ±0 both mean "do not read C"
	JZ           gemmStridedAVX2_store0
	VBROADCASTSS beta+108(FP), Y15
	QSTORE6(QSTOREB)
	VZEROUPPER
	RET

gemmStridedAVX2_store0:
	QSTORE6(QSTOREZ)
	VZEROUPPER
	RET
