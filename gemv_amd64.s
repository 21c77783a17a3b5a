//go:build !purego

#include "textflag.h"
#include "gemm_amd64.h"

// Matrix-vector kernels for Sgemv in AVX2+FMA3 and AVX-512 versions. The Go
// declarations in gemv_amd64.go state what each computes and its
// preconditions (m, n ≥ 1, lda ≥ n, every slice long enough).
//
// gemvN (y += alpha·A·x) takes four rows at a time: each load of x feeds
// four rows, two column blocks per iteration keep eight independent FMA
// chains, and the four sums are reduced together (VHADDPS) and added to
// four consecutive y with one FMA. Rows left over go one at a time.
// gemvT (y += Aᵀ·(alpha·x)) also takes four rows at a time: each y block is
// loaded once, gets the four rows' FMAs in row order, and is stored once.
//
// No kernel touches a byte outside its slices: the AVX-512 kernels finish
// each row with K-masked loads and stores (masked-off lanes never fault),
// the AVX2 kernels with a scalar loop that loads each element with VMOVSS
// before the arithmetic (QEMU's TCG emulates the m32 forms of scalar FMAs
// as 16-byte loads, which fault at a guard page).

// Register use, all four kernels: DX rows left, R11 n, R8 A row (R10,
// R12, R13 the next three, see ROWPTRS4), R9 lda·4, SI x, DI y, AX byte
// offset along the row, BX column-block counter. The macros below and
// gemm_amd64.h's ZEROnY/ZEROnX serve where two kernels share a block.

// K1: the last n mod 16 columns (zero when there are none).
#define NMASK16 \
	MOVQ  R11, CX; \
	ANDQ  $15, CX; \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1

// R10, R12, R13: rows 1, 2, 3 of the four from R8 (lda·4 in R9).
#define ROWPTRS4 \
	LEAQ (R8)(R9*1), R10; \
	LEAQ (R10)(R9*1), R12; \
	LEAQ (R12)(R9*1), R13

// ---------------------------------------------------------------- gemvN

// Fold the two column blocks of the four rows' sums (Y0…Y3 and Y4…Y7) and
// then the two halves of each: row i's sum in the four lanes of Xi.
#define NFOLD4Y \
	VADDPS       Y4, Y0, Y0; \
	VADDPS       Y5, Y1, Y1; \
	VADDPS       Y6, Y2, Y2; \
	VADDPS       Y7, Y3, Y3; \
	VEXTRACTF128 $1, Y0, X4; \
	VEXTRACTF128 $1, Y1, X5; \
	VEXTRACTF128 $1, Y2, X6; \
	VEXTRACTF128 $1, Y3, X7; \
	VADDPS       X4, X0, X0; \
	VADDPS       X5, X1, X1; \
	VADDPS       X6, X2, X2; \
	VADDPS       X7, X3, X3

// Reduce X0…X3 to the four row sums, y[0:4] += alpha·sums (alpha in X15),
// and move to the next four rows.
#define NSTORE4 \
	VHADDPS     X1, X0, X0; \
	VHADDPS     X3, X2, X2; \
	VHADDPS     X2, X0, X0; \
	VMOVUPS     (DI), X1; \
	VFMADD231PS X15, X0, X1; \
	VMOVUPS     X1, (DI); \
	ADDQ        $16, DI; \
	LEAQ        (R13)(R9*1), R8; \
	SUBQ        $4, DX

// The one-row sum: NSUM4 adds the four accumulators V0…V3 into V0, HSUM8
// adds the eight lanes of Y0 into the low lane of X0.
#define NSUM4(V0, V1, V2, V3) \
	VADDPS V1, V0, V0; \
	VADDPS V3, V2, V2; \
	VADDPS V2, V0, V0

#define HSUM8 \
	VEXTRACTF128 $1, Y0, X1; \
	VADDPS       X1, X0, X0; \
	VMOVHLPS     X0, X0, X1; \
	VADDPS       X1, X0, X0; \
	VMOVSHDUP    X0, X1; \
	VADDSS       X1, X0, X0

// y[0] += alpha·X0[0] (alpha in X15), and move to the next row.
#define NSTORE1 \
	VMOVSS      (DI), X1; \
	VFMADD231SS X15, X0, X1; \
	VMOVSS      X1, (DI); \
	ADDQ        $4, DI; \
	ADDQ        R9, R8; \
	DECQ        DX

// func gemvNAVX512(m int, n int, alpha float32, a []float32, lda int, x []float32, y []float32)
// Requires: AVX, AVX512F, SSE3
TEXT ·gemvNAVX512(SB), NOSPLIT, $0-104
	MOVQ         m+0(FP), DX
	MOVQ         n+8(FP), R11
	VBROADCASTSS alpha+16(FP), X15
	MOVQ         a_base+24(FP), R8
	MOVQ         lda+48(FP), R9
	SHLQ         $2, R9
	MOVQ         x_base+56(FP), SI
	MOVQ         y_base+80(FP), DI

	NMASK16

gemvNAVX512_rows4:
	CMPQ   DX, $4
	JLT    gemvNAVX512_rows1
	ROWPTRS4
	ZERO8X
	XORQ   AX, AX
	MOVQ   R11, BX
	SHRQ   $5, BX
	JZ     gemvNAVX512_r4_16

gemvNAVX512_r4_loop32:
	VMOVUPS     (SI)(AX*1), Z16
	VMOVUPS     64(SI)(AX*1), Z17
	VFMADD231PS (R8)(AX*1), Z16, Z0
	VFMADD231PS (R10)(AX*1), Z16, Z1
	VFMADD231PS (R12)(AX*1), Z16, Z2
	VFMADD231PS (R13)(AX*1), Z16, Z3
	VFMADD231PS 64(R8)(AX*1), Z17, Z4
	VFMADD231PS 64(R10)(AX*1), Z17, Z5
	VFMADD231PS 64(R12)(AX*1), Z17, Z6
	VFMADD231PS 64(R13)(AX*1), Z17, Z7
	ADDQ        $128, AX
	DECQ        BX
	JNZ         gemvNAVX512_r4_loop32

gemvNAVX512_r4_16:
	TESTQ       $16, R11
	JZ          gemvNAVX512_r4_tail
	VMOVUPS     (SI)(AX*1), Z16
	VFMADD231PS (R8)(AX*1), Z16, Z4
	VFMADD231PS (R10)(AX*1), Z16, Z5
	VFMADD231PS (R12)(AX*1), Z16, Z6
	VFMADD231PS (R13)(AX*1), Z16, Z7
	ADDQ        $64, AX

gemvNAVX512_r4_tail:
	KORTESTW    K1, K1
	JZ          gemvNAVX512_r4_reduce
	VMOVUPS.Z   (SI)(AX*1), K1, Z16
	VMOVUPS.Z   (R8)(AX*1), K1, Z18
	VMOVUPS.Z   (R10)(AX*1), K1, Z19
	VMOVUPS.Z   (R12)(AX*1), K1, Z20
	VMOVUPS.Z   (R13)(AX*1), K1, Z21
	VFMADD231PS Z18, Z16, Z0
	VFMADD231PS Z19, Z16, Z1
	VFMADD231PS Z20, Z16, Z2
	VFMADD231PS Z21, Z16, Z3

gemvNAVX512_r4_reduce:
	VADDPS        Z4, Z0, Z0
	VADDPS        Z5, Z1, Z1
	VADDPS        Z6, Z2, Z2
	VADDPS        Z7, Z3, Z3
	VEXTRACTF64X4 $1, Z0, Y4
	VEXTRACTF64X4 $1, Z1, Y5
	VEXTRACTF64X4 $1, Z2, Y6
	VEXTRACTF64X4 $1, Z3, Y7
	NFOLD4Y
	NSTORE4
	JMP           gemvNAVX512_rows4

gemvNAVX512_rows1:
	TESTQ DX, DX
	JZ    gemvNAVX512_done

gemvNAVX512_row:
	ZERO4X
	XORQ   AX, AX
	MOVQ   R11, BX
	SHRQ   $6, BX
	JZ     gemvNAVX512_r1_16

gemvNAVX512_r1_loop64:
	VMOVUPS     (R8)(AX*1), Z16
	VMOVUPS     64(R8)(AX*1), Z17
	VMOVUPS     128(R8)(AX*1), Z18
	VMOVUPS     192(R8)(AX*1), Z19
	VFMADD231PS (SI)(AX*1), Z16, Z0
	VFMADD231PS 64(SI)(AX*1), Z17, Z1
	VFMADD231PS 128(SI)(AX*1), Z18, Z2
	VFMADD231PS 192(SI)(AX*1), Z19, Z3
	ADDQ        $256, AX
	DECQ        BX
	JNZ         gemvNAVX512_r1_loop64

gemvNAVX512_r1_16:
	MOVQ R11, BX
	SHRQ $4, BX
	ANDQ $3, BX
	JZ   gemvNAVX512_r1_tail

gemvNAVX512_r1_loop16:
	VMOVUPS     (R8)(AX*1), Z16
	VFMADD231PS (SI)(AX*1), Z16, Z0
	ADDQ        $64, AX
	DECQ        BX
	JNZ         gemvNAVX512_r1_loop16

gemvNAVX512_r1_tail:
	KORTESTW    K1, K1
	JZ          gemvNAVX512_r1_reduce
	VMOVUPS.Z   (SI)(AX*1), K1, Z16
	VMOVUPS.Z   (R8)(AX*1), K1, Z17
	VFMADD231PS Z17, Z16, Z1

gemvNAVX512_r1_reduce:
	NSUM4(Z0, Z1, Z2, Z3)
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS        Y1, Y0, Y0
	HSUM8
	NSTORE1
	JNZ           gemvNAVX512_row

gemvNAVX512_done:
	VZEROUPPER
	RET

// func gemvNAVX2(m int, n int, alpha float32, a []float32, lda int, x []float32, y []float32)
// Requires: AVX, AVX2, FMA3, SSE3
TEXT ·gemvNAVX2(SB), NOSPLIT, $0-104
	MOVQ         m+0(FP), DX
	MOVQ         n+8(FP), R11
	VBROADCASTSS alpha+16(FP), X15
	MOVQ         a_base+24(FP), R8
	MOVQ         lda+48(FP), R9
	SHLQ         $2, R9
	MOVQ         x_base+56(FP), SI
	MOVQ         y_base+80(FP), DI

gemvNAVX2_rows4:
	CMPQ   DX, $4
	JLT    gemvNAVX2_rows1
	ROWPTRS4
	ZERO8Y
	XORQ   AX, AX
	MOVQ   R11, BX
	SHRQ   $4, BX
	JZ     gemvNAVX2_r4_8

gemvNAVX2_r4_loop16:
	VMOVUPS     (SI)(AX*1), Y8
	VMOVUPS     32(SI)(AX*1), Y9
	VFMADD231PS (R8)(AX*1), Y8, Y0
	VFMADD231PS (R10)(AX*1), Y8, Y1
	VFMADD231PS (R12)(AX*1), Y8, Y2
	VFMADD231PS (R13)(AX*1), Y8, Y3
	VFMADD231PS 32(R8)(AX*1), Y9, Y4
	VFMADD231PS 32(R10)(AX*1), Y9, Y5
	VFMADD231PS 32(R12)(AX*1), Y9, Y6
	VFMADD231PS 32(R13)(AX*1), Y9, Y7
	ADDQ        $64, AX
	DECQ        BX
	JNZ         gemvNAVX2_r4_loop16

gemvNAVX2_r4_8:
	TESTQ       $8, R11
	JZ          gemvNAVX2_r4_fold
	VMOVUPS     (SI)(AX*1), Y8
	VFMADD231PS (R8)(AX*1), Y8, Y4
	VFMADD231PS (R10)(AX*1), Y8, Y5
	VFMADD231PS (R12)(AX*1), Y8, Y6
	VFMADD231PS (R13)(AX*1), Y8, Y7
	ADDQ        $32, AX

gemvNAVX2_r4_fold:
	// Fold each row's sums into the four lanes of X0…X3 before the scalar
	// tail, whose VEX scalar FMAs clear the upper halves of Y0…Y3.
	NFOLD4Y
	MOVQ         R11, BX
	ANDQ         $7, BX
	JZ           gemvNAVX2_r4_reduce

gemvNAVX2_r4_loop1:
	VMOVSS      (SI)(AX*1), X8
	VMOVSS      (R8)(AX*1), X4
	VMOVSS      (R10)(AX*1), X5
	VMOVSS      (R12)(AX*1), X6
	VMOVSS      (R13)(AX*1), X7
	VFMADD231SS X4, X8, X0
	VFMADD231SS X5, X8, X1
	VFMADD231SS X6, X8, X2
	VFMADD231SS X7, X8, X3
	ADDQ        $4, AX
	DECQ        BX
	JNZ         gemvNAVX2_r4_loop1

gemvNAVX2_r4_reduce:
	NSTORE4
	JMP         gemvNAVX2_rows4

gemvNAVX2_rows1:
	TESTQ DX, DX
	JZ    gemvNAVX2_done

gemvNAVX2_row:
	ZERO4Y
	XORQ   AX, AX
	MOVQ   R11, BX
	SHRQ   $5, BX
	JZ     gemvNAVX2_r1_8

gemvNAVX2_r1_loop32:
	VMOVUPS     (R8)(AX*1), Y8
	VMOVUPS     32(R8)(AX*1), Y9
	VMOVUPS     64(R8)(AX*1), Y10
	VMOVUPS     96(R8)(AX*1), Y11
	VFMADD231PS (SI)(AX*1), Y8, Y0
	VFMADD231PS 32(SI)(AX*1), Y9, Y1
	VFMADD231PS 64(SI)(AX*1), Y10, Y2
	VFMADD231PS 96(SI)(AX*1), Y11, Y3
	ADDQ        $128, AX
	DECQ        BX
	JNZ         gemvNAVX2_r1_loop32

gemvNAVX2_r1_8:
	MOVQ R11, BX
	SHRQ $3, BX
	ANDQ $3, BX
	JZ   gemvNAVX2_r1_fold

gemvNAVX2_r1_loop8:
	VMOVUPS     (R8)(AX*1), Y8
	VFMADD231PS (SI)(AX*1), Y8, Y0
	ADDQ        $32, AX
	DECQ        BX
	JNZ         gemvNAVX2_r1_loop8

gemvNAVX2_r1_fold:
	NSUM4(Y0, Y1, Y2, Y3)
	HSUM8
	MOVQ         R11, BX
	ANDQ         $7, BX
	JZ           gemvNAVX2_r1_store

gemvNAVX2_r1_loop1:
	VMOVSS      (SI)(AX*1), X8
	VMOVSS      (R8)(AX*1), X9
	VFMADD231SS X9, X8, X0
	ADDQ        $4, AX
	DECQ        BX
	JNZ         gemvNAVX2_r1_loop1

gemvNAVX2_r1_store:
	NSTORE1
	JNZ         gemvNAVX2_row

gemvNAVX2_done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------- gemvT

// func gemvTAVX512(m int, n int, alpha float32, a []float32, lda int, x []float32, y []float32)
// Requires: AVX, AVX512F
TEXT ·gemvTAVX512(SB), NOSPLIT, $0-104
	MOVQ         m+0(FP), DX
	MOVQ         n+8(FP), R11
	VBROADCASTSS alpha+16(FP), Z15
	MOVQ         a_base+24(FP), R8
	MOVQ         lda+48(FP), R9
	SHLQ         $2, R9
	MOVQ         x_base+56(FP), SI
	MOVQ         y_base+80(FP), DI

	NMASK16

gemvTAVX512_rows4:
	CMPQ         DX, $4
	JLT          gemvTAVX512_rows1
	ROWPTRS4
	VBROADCASTSS (SI), Z16
	VBROADCASTSS 4(SI), Z17
	VBROADCASTSS 8(SI), Z18
	VBROADCASTSS 12(SI), Z19
	VMULPS       Z15, Z16, Z16                // alpha·x[i], rounded as in the generic kernel
	VMULPS       Z15, Z17, Z17
	VMULPS       Z15, Z18, Z18
	VMULPS       Z15, Z19, Z19
	XORQ         AX, AX
	MOVQ         R11, BX
	SHRQ         $5, BX
	JZ           gemvTAVX512_r4_16

gemvTAVX512_r4_loop32:
	VMOVUPS     (DI)(AX*1), Z0
	VMOVUPS     64(DI)(AX*1), Z1
	VFMADD231PS (R8)(AX*1), Z16, Z0
	VFMADD231PS 64(R8)(AX*1), Z16, Z1
	VFMADD231PS (R10)(AX*1), Z17, Z0
	VFMADD231PS 64(R10)(AX*1), Z17, Z1
	VFMADD231PS (R12)(AX*1), Z18, Z0
	VFMADD231PS 64(R12)(AX*1), Z18, Z1
	VFMADD231PS (R13)(AX*1), Z19, Z0
	VFMADD231PS 64(R13)(AX*1), Z19, Z1
	VMOVUPS     Z0, (DI)(AX*1)
	VMOVUPS     Z1, 64(DI)(AX*1)
	ADDQ        $128, AX
	DECQ        BX
	JNZ         gemvTAVX512_r4_loop32

gemvTAVX512_r4_16:
	TESTQ       $16, R11
	JZ          gemvTAVX512_r4_tail
	VMOVUPS     (DI)(AX*1), Z0
	VFMADD231PS (R8)(AX*1), Z16, Z0
	VFMADD231PS (R10)(AX*1), Z17, Z0
	VFMADD231PS (R12)(AX*1), Z18, Z0
	VFMADD231PS (R13)(AX*1), Z19, Z0
	VMOVUPS     Z0, (DI)(AX*1)
	ADDQ        $64, AX

gemvTAVX512_r4_tail:
	KORTESTW    K1, K1
	JZ          gemvTAVX512_r4_next
	VMOVUPS.Z   (DI)(AX*1), K1, Z0
	VMOVUPS.Z   (R8)(AX*1), K1, Z2
	VMOVUPS.Z   (R10)(AX*1), K1, Z3
	VMOVUPS.Z   (R12)(AX*1), K1, Z4
	VMOVUPS.Z   (R13)(AX*1), K1, Z5
	VFMADD231PS Z2, Z16, Z0
	VFMADD231PS Z3, Z17, Z0
	VFMADD231PS Z4, Z18, Z0
	VFMADD231PS Z5, Z19, Z0
	VMOVUPS     Z0, K1, (DI)(AX*1)

gemvTAVX512_r4_next:
	ADDQ $16, SI
	LEAQ (R13)(R9*1), R8
	SUBQ $4, DX
	JMP  gemvTAVX512_rows4

gemvTAVX512_rows1:
	TESTQ DX, DX
	JZ    gemvTAVX512_done

gemvTAVX512_row:
	VBROADCASTSS (SI), Z16
	VMULPS       Z15, Z16, Z16
	XORQ         AX, AX
	MOVQ         R11, BX
	SHRQ         $5, BX
	JZ           gemvTAVX512_r1_16

gemvTAVX512_r1_loop32:
	VMOVUPS     (DI)(AX*1), Z0
	VMOVUPS     64(DI)(AX*1), Z1
	VFMADD231PS (R8)(AX*1), Z16, Z0
	VFMADD231PS 64(R8)(AX*1), Z16, Z1
	VMOVUPS     Z0, (DI)(AX*1)
	VMOVUPS     Z1, 64(DI)(AX*1)
	ADDQ        $128, AX
	DECQ        BX
	JNZ         gemvTAVX512_r1_loop32

gemvTAVX512_r1_16:
	TESTQ       $16, R11
	JZ          gemvTAVX512_r1_tail
	VMOVUPS     (DI)(AX*1), Z0
	VFMADD231PS (R8)(AX*1), Z16, Z0
	VMOVUPS     Z0, (DI)(AX*1)
	ADDQ        $64, AX

gemvTAVX512_r1_tail:
	KORTESTW    K1, K1
	JZ          gemvTAVX512_r1_next
	VMOVUPS.Z   (DI)(AX*1), K1, Z0
	VMOVUPS.Z   (R8)(AX*1), K1, Z2
	VFMADD231PS Z2, Z16, Z0
	VMOVUPS     Z0, K1, (DI)(AX*1)

gemvTAVX512_r1_next:
	ADDQ $4, SI
	ADDQ R9, R8
	DECQ DX
	JNZ  gemvTAVX512_row

gemvTAVX512_done:
	VZEROUPPER
	RET

// func gemvTAVX2(m int, n int, alpha float32, a []float32, lda int, x []float32, y []float32)
// Requires: AVX, AVX2, FMA3
TEXT ·gemvTAVX2(SB), NOSPLIT, $0-104
	MOVQ         m+0(FP), DX
	MOVQ         n+8(FP), R11
	VBROADCASTSS alpha+16(FP), Y11
	MOVQ         a_base+24(FP), R8
	MOVQ         lda+48(FP), R9
	SHLQ         $2, R9
	MOVQ         x_base+56(FP), SI
	MOVQ         y_base+80(FP), DI

gemvTAVX2_rows4:
	CMPQ         DX, $4
	JLT          gemvTAVX2_rows1
	ROWPTRS4
	VBROADCASTSS (SI), Y12
	VBROADCASTSS 4(SI), Y13
	VBROADCASTSS 8(SI), Y14
	VBROADCASTSS 12(SI), Y15
	VMULPS       Y11, Y12, Y12               // alpha·x[i], rounded as in the generic kernel
	VMULPS       Y11, Y13, Y13
	VMULPS       Y11, Y14, Y14
	VMULPS       Y11, Y15, Y15
	XORQ         AX, AX
	MOVQ         R11, BX
	SHRQ         $4, BX
	JZ           gemvTAVX2_r4_8

gemvTAVX2_r4_loop16:
	VMOVUPS     (DI)(AX*1), Y0
	VMOVUPS     32(DI)(AX*1), Y1
	VFMADD231PS (R8)(AX*1), Y12, Y0
	VFMADD231PS 32(R8)(AX*1), Y12, Y1
	VFMADD231PS (R10)(AX*1), Y13, Y0
	VFMADD231PS 32(R10)(AX*1), Y13, Y1
	VFMADD231PS (R12)(AX*1), Y14, Y0
	VFMADD231PS 32(R12)(AX*1), Y14, Y1
	VFMADD231PS (R13)(AX*1), Y15, Y0
	VFMADD231PS 32(R13)(AX*1), Y15, Y1
	VMOVUPS     Y0, (DI)(AX*1)
	VMOVUPS     Y1, 32(DI)(AX*1)
	ADDQ        $64, AX
	DECQ        BX
	JNZ         gemvTAVX2_r4_loop16

gemvTAVX2_r4_8:
	TESTQ       $8, R11
	JZ          gemvTAVX2_r4_tail
	VMOVUPS     (DI)(AX*1), Y0
	VFMADD231PS (R8)(AX*1), Y12, Y0
	VFMADD231PS (R10)(AX*1), Y13, Y0
	VFMADD231PS (R12)(AX*1), Y14, Y0
	VFMADD231PS (R13)(AX*1), Y15, Y0
	VMOVUPS     Y0, (DI)(AX*1)
	ADDQ        $32, AX

gemvTAVX2_r4_tail:
	MOVQ R11, BX
	ANDQ $7, BX
	JZ   gemvTAVX2_r4_next

gemvTAVX2_r4_loop1:
	VMOVSS      (DI)(AX*1), X0
	VMOVSS      (R8)(AX*1), X2
	VMOVSS      (R10)(AX*1), X3
	VMOVSS      (R12)(AX*1), X4
	VMOVSS      (R13)(AX*1), X5
	VFMADD231SS X2, X12, X0
	VFMADD231SS X3, X13, X0
	VFMADD231SS X4, X14, X0
	VFMADD231SS X5, X15, X0
	VMOVSS      X0, (DI)(AX*1)
	ADDQ        $4, AX
	DECQ        BX
	JNZ         gemvTAVX2_r4_loop1

gemvTAVX2_r4_next:
	ADDQ $16, SI
	LEAQ (R13)(R9*1), R8
	SUBQ $4, DX
	JMP  gemvTAVX2_rows4

gemvTAVX2_rows1:
	TESTQ DX, DX
	JZ    gemvTAVX2_done

gemvTAVX2_row:
	VBROADCASTSS (SI), Y12
	VMULPS       Y11, Y12, Y12
	XORQ         AX, AX
	MOVQ         R11, BX
	SHRQ         $4, BX
	JZ           gemvTAVX2_r1_8

gemvTAVX2_r1_loop16:
	VMOVUPS     (DI)(AX*1), Y0
	VMOVUPS     32(DI)(AX*1), Y1
	VFMADD231PS (R8)(AX*1), Y12, Y0
	VFMADD231PS 32(R8)(AX*1), Y12, Y1
	VMOVUPS     Y0, (DI)(AX*1)
	VMOVUPS     Y1, 32(DI)(AX*1)
	ADDQ        $64, AX
	DECQ        BX
	JNZ         gemvTAVX2_r1_loop16

gemvTAVX2_r1_8:
	TESTQ       $8, R11
	JZ          gemvTAVX2_r1_tail
	VMOVUPS     (DI)(AX*1), Y0
	VFMADD231PS (R8)(AX*1), Y12, Y0
	VMOVUPS     Y0, (DI)(AX*1)
	ADDQ        $32, AX

gemvTAVX2_r1_tail:
	MOVQ R11, BX
	ANDQ $7, BX
	JZ   gemvTAVX2_r1_next

gemvTAVX2_r1_loop1:
	VMOVSS      (DI)(AX*1), X0
	VMOVSS      (R8)(AX*1), X2
	VFMADD231SS X2, X12, X0
	VMOVSS      X0, (DI)(AX*1)
	ADDQ        $4, AX
	DECQ        BX
	JNZ         gemvTAVX2_r1_loop1

gemvTAVX2_r1_next:
	ADDQ $4, SI
	ADDQ R9, R8
	DECQ DX
	JNZ  gemvTAVX2_row

gemvTAVX2_done:
	VZEROUPPER
	RET
