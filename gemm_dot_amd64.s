//go:build !purego

#include "textflag.h"
#include "gemm_amd64.h"

// Dot-product tile for op(A)·op(B)ᵀ-shaped products with few rows (the
// forward pass of a small batch): both operands are read along k in place,
// no packing. See gemmDotAVX512 in gemm_amd64.go.

// next = prev + DI (the row stride in bytes), unless cnt < n: rows past the
// caller's count repeat the last valid one, so nothing outside it is read.
#define NEXTROW(prev, next, cnt, n) \
	LEAQ    (prev)(DI*1), next; \
	CMPQ    cnt, n; \
	CMOVQLT prev, next

// K1 = the low CX bits (CX = k mod 16 > 0), the mask of a k tail.
#define TAILMASK16 \
	MOVQ  $1, DX; \
	SHLQ  CX, DX; \
	DECQ  DX; \
	KMOVW DX, K1

// JOINT16 reduces the 16 accumulators Z0..Z15 jointly, in a tree of
// shuffles and adds, to Z16, whose lane l is the sum of Z(l)'s 16 lanes: 45
// operations for 16 sums (30 of them shuffles), where one horizontal sum
// per accumulator took 6 shuffles and 6 adds. Each sum is added in the same
// order as a lone horizontal sum of Z(l) (halves of 256, of 128 bits, then
// (l0+l1) + (l2+l3)), so the result does not depend on the tile's shape:
//
//	U[p][0] = lo256+hi256 of (Z(p), Z(4+p)), U[p][1] of (Z(8+p), Z(12+p)), p < 4
//	W[p] = lo128+hi128 of each 256-bit half of U[p][0] and U[p][1]:
//	       quarters [Z(p), Z(4+p), Z(8+p), Z(12+p)], four lanes each
//	X0, X1 = pairwise lane sums of (W[0], W[1]) and (W[2], W[3])
//	Z16 = pairwise lane sums of (X0, X1): lane 4q+p = Σ Z(4q+p)
#define JPAIR256(za, zb, t, u) \
	VSHUFF64X2 $0x44, zb, za, t; \
	VSHUFF64X2 $0xEE, zb, za, u; \
	VADDPS     u, t, t

#define JPAIR128(ua, ub, t, u) \
	VSHUFF32X4 $0x88, ub, ua, t; \
	VSHUFF32X4 $0xDD, ub, ua, u; \
	VADDPS     u, t, t

#define JPAIR32(wa, wb, t, u) \
	VSHUFPS $0x88, wb, wa, t; \
	VSHUFPS $0xDD, wb, wa, u; \
	VADDPS  u, t, t

#define JOINT16 \
	JPAIR256(Z0, Z4, Z16, Z17); \
	JPAIR256(Z8, Z12, Z18, Z19); \
	JPAIR256(Z1, Z5, Z20, Z21); \
	JPAIR256(Z9, Z13, Z22, Z23); \
	JPAIR256(Z2, Z6, Z24, Z25); \
	JPAIR256(Z10, Z14, Z26, Z27); \
	JPAIR256(Z3, Z7, Z28, Z29); \
	JPAIR256(Z11, Z15, Z30, Z31); \
	JPAIR128(Z16, Z18, Z17, Z19); \
	JPAIR128(Z20, Z22, Z21, Z23); \
	JPAIR128(Z24, Z26, Z25, Z27); \
	JPAIR128(Z28, Z30, Z29, Z31); \
	JPAIR32(Z17, Z21, Z16, Z20); \
	JPAIR32(Z25, Z29, Z24, Z28); \
	JPAIR32(Z16, Z24, Z18, Z22); \
	VMOVAPS Z18, Z16

// STOREINIT scales Z16 by alpha and sets up the stores of the tile's rows
// into C: DI = c, SI = the step from one row's store address to the next
// (ldc floats less L lanes), AX = the mask of row 0's nr lanes, DX = mr,
// R8 = 0. STOREROW(L) stores the row whose columns j < nr sit in lanes
// L·r+j at c + r·ldc + j with a K-masked store, then moves to the next row;
// after the mr-th row the mask is 0, and the remaining STOREROWs store
// nothing (masked-off lanes are neither read nor written and never fault,
// so the store address may lie outside C).
#define STOREINIT(L) \
	VBROADCASTSS alpha+120(FP), Z17; \
	VMULPS       Z17, Z16, Z16; \
	MOVQ         c_base+88(FP), DI; \
	MOVQ         ldc+112(FP), SI; \
	SHLQ         $2, SI; \
	SUBQ         $(4*L), SI; \
	MOVQ         mr+8(FP), DX; \
	MOVQ         nr+16(FP), CX; \
	MOVL         $1, AX; \
	SHLL         CX, AX; \
	DECL         AX; \
	XORQ         R8, R8

#define STOREROW(L) \
	KMOVW   AX, K1; \
	VMOVUPS Z16, K1, (DI); \
	ADDQ    SI, DI; \
	SHLL    $L, AX; \
	DECQ    DX; \
	CMOVQEQ R8, AX

// One k step of the 4×4 dot tile: A rows in Z16..Z19, B rows in Z20..Z23.
#define DOTSTEP \
	VFMADD231PS Z20, Z16, Z0; \
	VFMADD231PS Z21, Z16, Z1; \
	VFMADD231PS Z22, Z16, Z2; \
	VFMADD231PS Z23, Z16, Z3; \
	VFMADD231PS Z20, Z17, Z4; \
	VFMADD231PS Z21, Z17, Z5; \
	VFMADD231PS Z22, Z17, Z6; \
	VFMADD231PS Z23, Z17, Z7; \
	VFMADD231PS Z20, Z18, Z8; \
	VFMADD231PS Z21, Z18, Z9; \
	VFMADD231PS Z22, Z18, Z10; \
	VFMADD231PS Z23, Z18, Z11; \
	VFMADD231PS Z20, Z19, Z12; \
	VFMADD231PS Z21, Z19, Z13; \
	VFMADD231PS Z22, Z19, Z14; \
	VFMADD231PS Z23, Z19, Z15

// The k loop of the AVX-512 dot tiles (k in CX): the A and B rows at R8,
// R9, R10, R11, R12, R13, R14, BX are loaded into Z16…Z23, 16 floats of
// each per step, and multiplied into the accumulators by STEP (DOTSTEP or
// DOTSTEP53); a last K-masked step takes the k mod 16 floats left. AX is
// the byte offset along k, DX counts the full steps. loop and tail are the
// caller's labels for the two parts; reduce, the label the caller puts
// right after the loop, is where it goes when there is no tail.
#define DOTLOOP16(STEP, loop, tail, reduce) \
	XORQ AX, AX; \
	MOVQ CX, DX; \
	SHRQ $4, DX; \
	JZ   tail; \
loop: \
	VMOVUPS (R8)(AX*1), Z16; \
	VMOVUPS (R9)(AX*1), Z17; \
	VMOVUPS (R10)(AX*1), Z18; \
	VMOVUPS (R11)(AX*1), Z19; \
	VMOVUPS (R12)(AX*1), Z20; \
	VMOVUPS (R13)(AX*1), Z21; \
	VMOVUPS (R14)(AX*1), Z22; \
	VMOVUPS (BX)(AX*1), Z23; \
	STEP; \
	ADDQ $64, AX; \
	DECQ DX; \
	JNZ  loop; \
tail: \
	ANDQ $15, CX; \
	JZ   reduce; \
	TAILMASK16; \
	VMOVUPS.Z (R8)(AX*1), K1, Z16; \
	VMOVUPS.Z (R9)(AX*1), K1, Z17; \
	VMOVUPS.Z (R10)(AX*1), K1, Z18; \
	VMOVUPS.Z (R11)(AX*1), K1, Z19; \
	VMOVUPS.Z (R12)(AX*1), K1, Z20; \
	VMOVUPS.Z (R13)(AX*1), K1, Z21; \
	VMOVUPS.Z (R14)(AX*1), K1, Z22; \
	VMOVUPS.Z (BX)(AX*1), K1, Z23; \
	STEP

// func gemmDotCAVX512(k, mr, nr int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha float32)
// Requires: AVX, AVX512F, AVX512VL
TEXT ·gemmDotCAVX512(SB), NOSPLIT, $0-124
	MOVQ k+0(FP), CX
	MOVQ mr+8(FP), DX
	MOVQ nr+16(FP), SI
	MOVQ a_base+24(FP), R8
	MOVQ lda+48(FP), DI
	SHLQ $2, DI

	// A rows 0..3 in R8..R11; rows past mr repeat row mr−1.
	NEXTROW(R8, R9, DX, $2)
	NEXTROW(R9, R10, DX, $3)
	NEXTROW(R10, R11, DX, $4)

	// B rows 0..3 in R12, R13, R14, BX; rows past nr repeat row nr−1.
	MOVQ    b_base+56(FP), R12
	MOVQ    ldb+80(FP), DI
	SHLQ    $2, DI
	NEXTROW(R12, R13, SI, $2)
	NEXTROW(R13, R14, SI, $3)
	NEXTROW(R14, BX, SI, $4)

	ZERO16Z
	DOTLOOP16(DOTSTEP, gemmDotCAVX512_loop, gemmDotCAVX512_tail, gemmDotCAVX512_reduce)

gemmDotCAVX512_reduce:
	JOINT16
	STOREINIT(4)
	STOREROW(4)
	STOREROW(4)
	STOREROW(4)
	STOREROW(4)
	VZEROUPPER
	RET

// One k step of the 3×3 AVX2 dot tile: A rows in Y9..Y11, B rows in
// Y12..Y14.
#define DOTSTEP3 \
	VFMADD231PS Y12, Y9, Y0; \
	VFMADD231PS Y13, Y9, Y1; \
	VFMADD231PS Y14, Y9, Y2; \
	VFMADD231PS Y12, Y10, Y3; \
	VFMADD231PS Y13, Y10, Y4; \
	VFMADD231PS Y14, Y10, Y5; \
	VFMADD231PS Y12, Y11, Y6; \
	VFMADD231PS Y13, Y11, Y7; \
	VFMADD231PS Y14, Y11, Y8

// Reduce the three accumulators of one row to [a, b, c, c] in xa and store
// them at off(DI).
#define HSUM3(ya, yb, yc, xa, xb, xc, off) \
	VEXTRACTF128 $1, ya, X12; \
	VADDPS       X12, xa, xa; \
	VEXTRACTF128 $1, yb, X13; \
	VADDPS       X13, xb, xb; \
	VEXTRACTF128 $1, yc, X14; \
	VADDPS       X14, xc, xc; \
	VHADDPS      xb, xa, xa; \
	VHADDPS      xc, xc, xc; \
	VHADDPS      xc, xa, xa; \
	VMOVUPS      xa, off(DI)

// func gemmDotAVX2(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32)
// Requires: AVX, AVX2, FMA3
//
// Only k &^ 7 elements; gemmDotTileAVX2 adds the tail in Go.
TEXT ·gemmDotAVX2(SB), NOSPLIT, $0-112
	MOVQ k+0(FP), CX
	MOVQ mr+8(FP), DX
	MOVQ nr+16(FP), SI
	MOVQ a_base+24(FP), R8
	MOVQ lda+48(FP), DI
	SHLQ $2, DI

	// A rows 0..2 in R8..R10; rows past mr repeat row mr−1.
	NEXTROW(R8, R9, DX, $2)
	NEXTROW(R9, R10, DX, $3)

	// B rows 0..2 in R11..R13; rows past nr repeat row nr−1.
	MOVQ    b_base+56(FP), R11
	MOVQ    ldb+80(FP), DI
	SHLQ    $2, DI
	NEXTROW(R11, R12, SI, $2)
	NEXTROW(R12, R13, SI, $3)

	ZERO9Y

	XORQ AX, AX     // byte offset along k
	MOVQ CX, DX
	SHRQ $3, DX     // full 8-wide steps
	JZ   gemmDotAVX2_tail

gemmDotAVX2_loop:
	VMOVUPS (R8)(AX*1), Y9
	VMOVUPS (R9)(AX*1), Y10
	VMOVUPS (R10)(AX*1), Y11
	VMOVUPS (R11)(AX*1), Y12
	VMOVUPS (R12)(AX*1), Y13
	VMOVUPS (R13)(AX*1), Y14
	DOTSTEP3
	ADDQ    $32, AX
	DECQ    DX
	JNZ     gemmDotAVX2_loop

gemmDotAVX2_tail:
gemmDotAVX2_reduce:
	MOVQ out_base+88(FP), DI
	HSUM3(Y0, Y1, Y2, X0, X1, X2, 0)
	HSUM3(Y3, Y4, Y5, X3, X4, X5, 16)
	HSUM3(Y6, Y7, Y8, X6, X7, X8, 32)
	VZEROUPPER
	RET

// One k step of the 5×3 dot tile: A rows in Z16..Z20, B rows in Z21..Z23.
#define DOTSTEP53 \
	VFMADD231PS Z21, Z16, Z0; \
	VFMADD231PS Z22, Z16, Z1; \
	VFMADD231PS Z23, Z16, Z2; \
	VFMADD231PS Z21, Z17, Z3; \
	VFMADD231PS Z22, Z17, Z4; \
	VFMADD231PS Z23, Z17, Z5; \
	VFMADD231PS Z21, Z18, Z6; \
	VFMADD231PS Z22, Z18, Z7; \
	VFMADD231PS Z23, Z18, Z8; \
	VFMADD231PS Z21, Z19, Z9; \
	VFMADD231PS Z22, Z19, Z10; \
	VFMADD231PS Z23, Z19, Z11; \
	VFMADD231PS Z21, Z20, Z12; \
	VFMADD231PS Z22, Z20, Z13; \
	VFMADD231PS Z23, Z20, Z14

// func gemmDotC53AVX512(k, mr, nr int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha float32)
// Requires: AVX, AVX512F, AVX512VL
TEXT ·gemmDotC53AVX512(SB), NOSPLIT, $0-124
	MOVQ k+0(FP), CX
	MOVQ mr+8(FP), DX
	MOVQ nr+16(FP), SI
	MOVQ a_base+24(FP), R8
	MOVQ lda+48(FP), DI
	SHLQ $2, DI

	// A rows 0..4 in R8..R12; rows past mr repeat row mr−1.
	NEXTROW(R8, R9, DX, $2)
	NEXTROW(R9, R10, DX, $3)
	NEXTROW(R10, R11, DX, $4)
	NEXTROW(R11, R12, DX, $5)

	// B rows 0..2 in R13, R14, BX; rows past nr repeat row nr−1.
	MOVQ    b_base+56(FP), R13
	MOVQ    ldb+80(FP), DI
	SHLQ    $2, DI
	NEXTROW(R13, R14, SI, $2)
	NEXTROW(R14, BX, SI, $3)

	ZERO15Z
	DOTLOOP16(DOTSTEP53, gemmDotC53AVX512_loop, gemmDotC53AVX512_tail, gemmDotC53AVX512_reduce)

gemmDotC53AVX512_reduce:
	VPXORD Z15, Z15, Z15
	JOINT16
	STOREINIT(3)
	STOREROW(3)
	STOREROW(3)
	STOREROW(3)
	STOREROW(3)
	STOREROW(3)
	VZEROUPPER
	RET
