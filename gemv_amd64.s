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

// The column steps of gemvN, at either width (W = 64: zmm, W = 32: ymm).
// N4STEP2: four rows × two vectors of x (xa, xb); row i's sums in ai for
// the first vector, in a(4+i) for the second. N4STEP1: four rows × one
// vector, into the second set. N1STEP4: one row × four vectors (A in
// v0…v3), into a0…a3. N1STEP1: one row × one vector. Each moves AX on.
#define N4STEP2(xa, xb, a0, a1, a2, a3, a4, a5, a6, a7, W) \
	VMOVUPS     (SI)(AX*1), xa; \
	VMOVUPS     W(SI)(AX*1), xb; \
	VFMADD231PS (R8)(AX*1), xa, a0; \
	VFMADD231PS (R10)(AX*1), xa, a1; \
	VFMADD231PS (R12)(AX*1), xa, a2; \
	VFMADD231PS (R13)(AX*1), xa, a3; \
	VFMADD231PS W(R8)(AX*1), xb, a4; \
	VFMADD231PS W(R10)(AX*1), xb, a5; \
	VFMADD231PS W(R12)(AX*1), xb, a6; \
	VFMADD231PS W(R13)(AX*1), xb, a7; \
	ADDQ        $(2*W), AX

#define N4STEP1(xa, a4, a5, a6, a7, W) \
	VMOVUPS     (SI)(AX*1), xa; \
	VFMADD231PS (R8)(AX*1), xa, a4; \
	VFMADD231PS (R10)(AX*1), xa, a5; \
	VFMADD231PS (R12)(AX*1), xa, a6; \
	VFMADD231PS (R13)(AX*1), xa, a7; \
	ADDQ        $W, AX

#define N1STEP4(v0, v1, v2, v3, a0, a1, a2, a3, W) \
	VMOVUPS     (R8)(AX*1), v0; \
	VMOVUPS     W(R8)(AX*1), v1; \
	VMOVUPS     (2*W)(R8)(AX*1), v2; \
	VMOVUPS     (3*W)(R8)(AX*1), v3; \
	VFMADD231PS (SI)(AX*1), v0, a0; \
	VFMADD231PS W(SI)(AX*1), v1, a1; \
	VFMADD231PS (2*W)(SI)(AX*1), v2, a2; \
	VFMADD231PS (3*W)(SI)(AX*1), v3, a3; \
	ADDQ        $(4*W), AX

#define N1STEP1(v0, a0, W) \
	VMOVUPS     (R8)(AX*1), v0; \
	VFMADD231PS (SI)(AX*1), v0, a0; \
	ADDQ        $W, AX

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
	N4STEP2(Z16, Z17, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, 64)
	DECQ        BX
	JNZ         gemvNAVX512_r4_loop32

gemvNAVX512_r4_16:
	TESTQ       $16, R11
	JZ          gemvNAVX512_r4_tail
	N4STEP1(Z16, Z4, Z5, Z6, Z7, 64)

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
	N1STEP4(Z16, Z17, Z18, Z19, Z0, Z1, Z2, Z3, 64)
	DECQ        BX
	JNZ         gemvNAVX512_r1_loop64

gemvNAVX512_r1_16:
	MOVQ R11, BX
	SHRQ $4, BX
	ANDQ $3, BX
	JZ   gemvNAVX512_r1_tail

gemvNAVX512_r1_loop16:
	N1STEP1(Z16, Z0, 64)
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
	N4STEP2(Y8, Y9, Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, 32)
	DECQ        BX
	JNZ         gemvNAVX2_r4_loop16

gemvNAVX2_r4_8:
	TESTQ       $8, R11
	JZ          gemvNAVX2_r4_fold
	N4STEP1(Y8, Y4, Y5, Y6, Y7, 32)

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
	N1STEP4(Y8, Y9, Y10, Y11, Y0, Y1, Y2, Y3, 32)
	DECQ        BX
	JNZ         gemvNAVX2_r1_loop32

gemvNAVX2_r1_8:
	MOVQ R11, BX
	SHRQ $3, BX
	ANDQ $3, BX
	JZ   gemvNAVX2_r1_fold

gemvNAVX2_r1_loop8:
	N1STEP1(Y8, Y0, 32)
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

// x0…x3 = alpha·x[0:4], broadcast (alpha in the register alpha; each
// product rounded as in the generic kernel).
#define TX4(alpha, x0, x1, x2, x3) \
	VBROADCASTSS (SI), x0; \
	VBROADCASTSS 4(SI), x1; \
	VBROADCASTSS 8(SI), x2; \
	VBROADCASTSS 12(SI), x3; \
	VMULPS       alpha, x0, x0; \
	VMULPS       alpha, x1, x1; \
	VMULPS       alpha, x2, x2; \
	VMULPS       alpha, x3, x3

// The column steps of gemvT, at either width (W = 64: zmm, W = 32: ymm):
// load a y block, add the rows' FMAs in row order, store it, move AX on.
// T4STEP2: four rows (alpha·x in x0…x3) × two vectors (y0, y1). T4STEP1:
// four rows × one vector. T1STEP2, T1STEP1: one row (x0).
#define T4STEP2(y0, y1, x0, x1, x2, x3, W) \
	VMOVUPS     (DI)(AX*1), y0; \
	VMOVUPS     W(DI)(AX*1), y1; \
	VFMADD231PS (R8)(AX*1), x0, y0; \
	VFMADD231PS W(R8)(AX*1), x0, y1; \
	VFMADD231PS (R10)(AX*1), x1, y0; \
	VFMADD231PS W(R10)(AX*1), x1, y1; \
	VFMADD231PS (R12)(AX*1), x2, y0; \
	VFMADD231PS W(R12)(AX*1), x2, y1; \
	VFMADD231PS (R13)(AX*1), x3, y0; \
	VFMADD231PS W(R13)(AX*1), x3, y1; \
	VMOVUPS     y0, (DI)(AX*1); \
	VMOVUPS     y1, W(DI)(AX*1); \
	ADDQ        $(2*W), AX

#define T4STEP1(y0, x0, x1, x2, x3, W) \
	VMOVUPS     (DI)(AX*1), y0; \
	VFMADD231PS (R8)(AX*1), x0, y0; \
	VFMADD231PS (R10)(AX*1), x1, y0; \
	VFMADD231PS (R12)(AX*1), x2, y0; \
	VFMADD231PS (R13)(AX*1), x3, y0; \
	VMOVUPS     y0, (DI)(AX*1); \
	ADDQ        $W, AX

#define T1STEP2(y0, y1, x0, W) \
	VMOVUPS     (DI)(AX*1), y0; \
	VMOVUPS     W(DI)(AX*1), y1; \
	VFMADD231PS (R8)(AX*1), x0, y0; \
	VFMADD231PS W(R8)(AX*1), x0, y1; \
	VMOVUPS     y0, (DI)(AX*1); \
	VMOVUPS     y1, W(DI)(AX*1); \
	ADDQ        $(2*W), AX

#define T1STEP1(y0, x0, W) \
	VMOVUPS     (DI)(AX*1), y0; \
	VFMADD231PS (R8)(AX*1), x0, y0; \
	VMOVUPS     y0, (DI)(AX*1); \
	ADDQ        $W, AX

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
	TX4(Z15, Z16, Z17, Z18, Z19)
	XORQ         AX, AX
	MOVQ         R11, BX
	SHRQ         $5, BX
	JZ           gemvTAVX512_r4_16

gemvTAVX512_r4_loop32:
	T4STEP2(Z0, Z1, Z16, Z17, Z18, Z19, 64)
	DECQ        BX
	JNZ         gemvTAVX512_r4_loop32

gemvTAVX512_r4_16:
	TESTQ       $16, R11
	JZ          gemvTAVX512_r4_tail
	T4STEP1(Z0, Z16, Z17, Z18, Z19, 64)

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
	T1STEP2(Z0, Z1, Z16, 64)
	DECQ        BX
	JNZ         gemvTAVX512_r1_loop32

gemvTAVX512_r1_16:
	TESTQ       $16, R11
	JZ          gemvTAVX512_r1_tail
	T1STEP1(Z0, Z16, 64)

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
	TX4(Y11, Y12, Y13, Y14, Y15)
	XORQ         AX, AX
	MOVQ         R11, BX
	SHRQ         $4, BX
	JZ           gemvTAVX2_r4_8

gemvTAVX2_r4_loop16:
	T4STEP2(Y0, Y1, Y12, Y13, Y14, Y15, 32)
	DECQ        BX
	JNZ         gemvTAVX2_r4_loop16

gemvTAVX2_r4_8:
	TESTQ       $8, R11
	JZ          gemvTAVX2_r4_tail
	T4STEP1(Y0, Y12, Y13, Y14, Y15, 32)

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
	T1STEP2(Y0, Y1, Y12, 32)
	DECQ        BX
	JNZ         gemvTAVX2_r1_loop16

gemvTAVX2_r1_8:
	TESTQ       $8, R11
	JZ          gemvTAVX2_r1_tail
	T1STEP1(Y0, Y12, 32)

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
