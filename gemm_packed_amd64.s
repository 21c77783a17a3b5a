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

// The same tile with the operands' strides as arguments: A as 12 floats
// per k step, csa floats apart (rsa 1: a row of Aᵀ, as a product with
// op(A) = Aᵀ reads A in place), B as 32 floats per k step, ldb floats
// apart. Register use as above, plus R8 csa·4, DX ldb·4.
#define SSTEP \
	VMOVUPS (BX), Z24; \
	VMOVUPS 64(BX), Z25; \
	PREFETCHT0 (BX)(DX*8); \
	PREFETCHT0 64(BX)(DX*8); \
	PROW(0, Z26, Z0, Z1); \
	PROW(4, Z27, Z2, Z3); \
	PROW(8, Z28, Z4, Z5); \
	PROW(12, Z29, Z6, Z7); \
	PROW(16, Z30, Z8, Z9); \
	PROW(20, Z31, Z10, Z11); \
	PREFETCHT0 (AX)(R8*8); \
	PROW(24, Z26, Z12, Z13); \
	PROW(28, Z27, Z14, Z15); \
	PROW(32, Z28, Z16, Z17); \
	PROW(36, Z29, Z18, Z19); \
	PROW(40, Z30, Z20, Z21); \
	PROW(44, Z31, Z22, Z23); \
	ADDQ R8, AX; \
	ADDQ DX, BX

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
	JLT  gemmStridedAVX512_one

gemmStridedAVX512_four:
	SSTEP
	SSTEP
	SSTEP
	SSTEP
	SUBQ $4, CX
	CMPQ CX, $4
	JGE  gemmStridedAVX512_four
	TESTQ CX, CX
	JZ   gemmStridedAVX512_store

gemmStridedAVX512_one:
	SSTEP
	DECQ CX
	JNZ  gemmStridedAVX512_one

gemmStridedAVX512_store:
	VBROADCASTSS alpha+104(FP), Z26
	MOVQ         c_base+72(FP), DI
	MOVL         beta+108(FP), R8
	SHLL         $1, R8 // drop the sign: ±0 both mean "do not read C"
	JZ           gemmStridedAVX512_store0
	VBROADCASTSS beta+108(FP), Z27
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

gemmStridedAVX512_store0:
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
