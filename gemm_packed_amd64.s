//go:build !purego

#include "textflag.h"

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
// row, Z26–Z31 the broadcast A values (rotating).

#define PROW(off, bc, acc0, acc1) \
	VBROADCASTSS off(AX), bc; \
	VFMADD231PS  Z24, bc, acc0; \
	VFMADD231PS  Z25, bc, acc1

// One k step: the B row, then the 12 rows of the tile.
#define PSTEP \
	VMOVUPS (BX), Z24; \
	VMOVUPS 64(BX), Z25; \
	PREFETCHT0 1024(BX); \
	PREFETCHT0 1088(BX); \
	PROW(0, Z26, Z0, Z1); \
	PROW(4, Z27, Z2, Z3); \
	PROW(8, Z28, Z4, Z5); \
	PROW(12, Z29, Z6, Z7); \
	PROW(16, Z30, Z8, Z9); \
	PROW(20, Z31, Z10, Z11); \
	PREFETCHT0 384(AX); \
	PROW(24, Z26, Z12, Z13); \
	PROW(28, Z27, Z14, Z15); \
	PROW(32, Z28, Z16, Z17); \
	PROW(36, Z29, Z18, Z19); \
	PROW(40, Z30, Z20, Z21); \
	PROW(44, Z31, Z22, Z23); \
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

#define PPREC \
	PREFETCHT0 (DI); \
	PREFETCHT0 64(DI); \
	ADDQ       SI, DI

// func gemmPackedAVX512(k int, a, b, c []float32, ldc int, alpha, beta float32)
// Requires: AVX512F
TEXT ·gemmPackedAVX512(SB), NOSPLIT, $0-96
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), AX
	MOVQ b_base+32(FP), BX
	MOVQ c_base+56(FP), DI
	MOVQ ldc+80(FP), SI
	SHLQ $2, SI

	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z23, Z23, Z23

	// Prefetch the C tile (hints: they never fault).
	PPREC
	PPREC
	PPREC
	PPREC
	PPREC
	PPREC
	PPREC
	PPREC
	PPREC
	PPREC
	PPREC
	PPREC

	CMPQ CX, $4
	JLT  gemmPackedAVX512_one

gemmPackedAVX512_four:
	PSTEP
	PSTEP
	PSTEP
	PSTEP
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  gemmPackedAVX512_four
	TESTQ CX, CX
	JZ   gemmPackedAVX512_store

gemmPackedAVX512_one:
	PSTEP
	DECQ CX
	JNZ  gemmPackedAVX512_one

gemmPackedAVX512_store:
	VBROADCASTSS alpha+88(FP), Z26
	MOVQ         c_base+56(FP), DI
	MOVL         beta+92(FP), R8
	SHLL         $1, R8 // drop the sign: ±0 both mean "do not read C"
	JZ           gemmPackedAVX512_store0
	VBROADCASTSS beta+92(FP), Z27
	PSTOREB(Z0, Z1)
	PSTOREB(Z2, Z3)
	PSTOREB(Z4, Z5)
	PSTOREB(Z6, Z7)
	PSTOREB(Z8, Z9)
	PSTOREB(Z10, Z11)
	PSTOREB(Z12, Z13)
	PSTOREB(Z14, Z15)
	PSTOREB(Z16, Z17)
	PSTOREB(Z18, Z19)
	PSTOREB(Z20, Z21)
	PSTOREB(Z22, Z23)
	VZEROUPPER
	RET

gemmPackedAVX512_store0:
	PSTOREZ(Z0, Z1)
	PSTOREZ(Z2, Z3)
	PSTOREZ(Z4, Z5)
	PSTOREZ(Z6, Z7)
	PSTOREZ(Z8, Z9)
	PSTOREZ(Z10, Z11)
	PSTOREZ(Z12, Z13)
	PSTOREZ(Z14, Z15)
	PSTOREZ(Z16, Z17)
	PSTOREZ(Z18, Z19)
	PSTOREZ(Z20, Z21)
	PSTOREZ(Z22, Z23)
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
// row, Y14, Y15 the broadcast A values (alternating).

#define QROW(off, bc, acc0, acc1) \
	VBROADCASTSS off(AX), bc; \
	VFMADD231PS  Y12, bc, acc0; \
	VFMADD231PS  Y13, bc, acc1

// One k step: the B row, then the 6 rows of the tile.
#define QSTEP \
	VMOVUPS    (BX), Y12; \
	VMOVUPS    32(BX), Y13; \
	PREFETCHT0 1024(BX); \
	QROW(0, Y14, Y0, Y1); \
	QROW(4, Y15, Y2, Y3); \
	QROW(8, Y14, Y4, Y5); \
	QROW(12, Y15, Y6, Y7); \
	QROW(16, Y14, Y8, Y9); \
	QROW(20, Y15, Y10, Y11); \
	ADDQ $24, AX; \
	ADDQ $64, BX

#define QSTEP4 \
	PREFETCHT0 384(AX); \
	QSTEP; \
	QSTEP; \
	QSTEP; \
	QSTEP

#define QSTOREZ(acc0, acc1) \
	VMULPS  Y14, acc0, acc0; \
	VMULPS  Y14, acc1, acc1; \
	VMOVUPS acc0, (DI); \
	VMOVUPS acc1, 32(DI); \
	ADDQ    SI, DI

#define QSTOREB(acc0, acc1) \
	VMULPS      (DI), Y15, Y12; \
	VFMADD213PS Y12, Y14, acc0; \
	VMOVUPS     acc0, (DI); \
	VMULPS      32(DI), Y15, Y13; \
	VFMADD213PS Y13, Y14, acc1; \
	VMOVUPS     acc1, 32(DI); \
	ADDQ        SI, DI

#define QPREC \
	PREFETCHT0 (DI); \
	PREFETCHT0 63(DI); \
	ADDQ       SI, DI

// func gemmPackedAVX2(k int, a, b, c []float32, ldc int, alpha, beta float32)
// Requires: AVX, AVX2, FMA3
TEXT ·gemmPackedAVX2(SB), NOSPLIT, $0-96
	MOVQ k+0(FP), CX
	MOVQ a_base+8(FP), AX
	MOVQ b_base+32(FP), BX
	MOVQ c_base+56(FP), DI
	MOVQ ldc+80(FP), SI
	SHLQ $2, SI

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	// Prefetch the C tile (hints: they never fault); a row's 64 bytes may
	// straddle two lines.
	QPREC
	QPREC
	QPREC
	QPREC
	QPREC
	QPREC

	CMPQ CX, $4
	JLT  gemmPackedAVX2_one

gemmPackedAVX2_four:
	QSTEP4
	SUBQ  $4, CX
	CMPQ  CX, $4
	JGE   gemmPackedAVX2_four
	TESTQ CX, CX
	JZ    gemmPackedAVX2_store

gemmPackedAVX2_one:
	QSTEP
	DECQ CX
	JNZ  gemmPackedAVX2_one

gemmPackedAVX2_store:
	VBROADCASTSS alpha+88(FP), Y14
	MOVQ         c_base+56(FP), DI
	MOVL         beta+92(FP), R8
	SHLL         $1, R8 // drop the sign: ±0 both mean "do not read C"
	JZ           gemmPackedAVX2_store0
	VBROADCASTSS beta+92(FP), Y15
	QSTOREB(Y0, Y1)
	QSTOREB(Y2, Y3)
	QSTOREB(Y4, Y5)
	QSTOREB(Y6, Y7)
	QSTOREB(Y8, Y9)
	QSTOREB(Y10, Y11)
	VZEROUPPER
	RET

gemmPackedAVX2_store0:
	QSTOREZ(Y0, Y1)
	QSTOREZ(Y2, Y3)
	QSTOREZ(Y4, Y5)
	QSTOREZ(Y6, Y7)
	QSTOREZ(Y8, Y9)
	QSTOREZ(Y10, Y11)
	VZEROUPPER
	RET
