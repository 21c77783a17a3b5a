//go:build !purego

#include "textflag.h"

// NEON matrix-vector kernels for Sgemv. The Go declarations in gemv_arm64.go
// state what each computes and its preconditions (m, n ≥ 1, lda ≥ n, every
// slice long enough).
//
// gemvNNEON (y += alpha·A·x) takes four rows at a time: each load of x
// feeds four rows, two 4-lane blocks per iteration keep eight independent
// FMA chains, the last n mod 4 columns go through scalar FMADDS into
// separate sums, and the four row sums are reduced together (FADDP) and
// added to four consecutive y with one FMLA. Rows left over go one at a
// time. gemvTNEON (y += Aᵀ·(alpha·x)) also takes four rows at a time: each
// y block is loaded once, gets the four rows' FMAs in row order, and is
// stored once.
//
// The arm64 assembler has no vector FADD or FADDP, so those are WORDs with
// the mnemonic beside them; TestNEONWords checks each against GNU as. No
// kernel touches a byte outside its slices (whole 4-lane blocks, then single
// elements).

// func gemvNNEON(m int, n int, alpha float32, a []float32, lda int, x []float32, y []float32)
// Requires: ASIMD.
TEXT ·gemvNNEON(SB), NOSPLIT, $0-104
	MOVD  m+0(FP), R0
	MOVD  n+8(FP), R1
	FMOVS alpha+16(FP), F31
	VDUP  V31.S[0], V31.S4
	MOVD  a_base+24(FP), R2
	MOVD  lda+48(FP), R3
	LSL   $2, R3
	MOVD  x_base+56(FP), R4
	MOVD  y_base+80(FP), R5

gemvNNEON_rows4:
	CMP  $4, R0
	BLT  gemvNNEON_rows1
	MOVD R2, R6
	ADD  R3, R6, R7
	ADD  R3, R7, R8
	ADD  R3, R8, R9
	MOVD R4, R10
	MOVD R1, R11
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	CMP  $8, R11
	BLT  gemvNNEON_r4_4

gemvNNEON_r4_loop8:
	VLD1.P 32(R10), [V16.S4, V17.S4]
	VLD1.P 32(R6), [V18.S4, V19.S4]
	VLD1.P 32(R7), [V20.S4, V21.S4]
	VLD1.P 32(R8), [V22.S4, V23.S4]
	VLD1.P 32(R9), [V24.S4, V25.S4]
	VFMLA  V16.S4, V18.S4, V0.S4
	VFMLA  V16.S4, V20.S4, V1.S4
	VFMLA  V16.S4, V22.S4, V2.S4
	VFMLA  V16.S4, V24.S4, V3.S4
	VFMLA  V17.S4, V19.S4, V4.S4
	VFMLA  V17.S4, V21.S4, V5.S4
	VFMLA  V17.S4, V23.S4, V6.S4
	VFMLA  V17.S4, V25.S4, V7.S4
	SUB    $8, R11
	CMP    $8, R11
	BGE    gemvNNEON_r4_loop8

gemvNNEON_r4_4:
	CMP    $4, R11
	BLT    gemvNNEON_r4_loop1
	VLD1.P 16(R10), [V16.S4]
	VLD1.P 16(R6), [V18.S4]
	VLD1.P 16(R7), [V20.S4]
	VLD1.P 16(R8), [V22.S4]
	VLD1.P 16(R9), [V24.S4]
	VFMLA  V16.S4, V18.S4, V4.S4
	VFMLA  V16.S4, V20.S4, V5.S4
	VFMLA  V16.S4, V22.S4, V6.S4
	VFMLA  V16.S4, V24.S4, V7.S4
	SUB    $4, R11

gemvNNEON_r4_loop1:
	// The last n mod 4 columns: one scalar sum per row, in F26…F29.
	CBZ     R11, gemvNNEON_r4_reduce
	FMOVS.P 4(R10), F16
	FMOVS.P 4(R6), F18
	FMOVS.P 4(R7), F20
	FMOVS.P 4(R8), F22
	FMOVS.P 4(R9), F24
	FMADDS  F16, F26, F18, F26      // F26 += F18·F16
	FMADDS  F16, F27, F20, F27
	FMADDS  F16, F28, F22, F28
	FMADDS  F16, F29, F24, F29
	SUB     $1, R11
	B       gemvNNEON_r4_loop1

gemvNNEON_r4_reduce:
	VMOV   V27.S[0], V26.S[1]
	VMOV   V28.S[0], V26.S[2]
	VMOV   V29.S[0], V26.S[3]
	WORD   $0x4e24d400                 // fadd v0.4s, v0.4s, v4.4s
	WORD   $0x4e25d421                 // fadd v1.4s, v1.4s, v5.4s
	WORD   $0x4e26d442                 // fadd v2.4s, v2.4s, v6.4s
	WORD   $0x4e27d463                 // fadd v3.4s, v3.4s, v7.4s
	WORD   $0x6e21d400                 // faddp v0.4s, v0.4s, v1.4s
	WORD   $0x6e23d442                 // faddp v2.4s, v2.4s, v3.4s
	WORD   $0x6e22d400                 // faddp v0.4s, v0.4s, v2.4s
	WORD   $0x4e3ad400                 // fadd v0.4s, v0.4s, v26.4s
	VLD1   (R5), [V1.S4]
	VFMLA  V31.S4, V0.S4, V1.S4
	VST1.P [V1.S4], 16(R5)
	ADD    R3<<2, R2, R2
	SUB    $4, R0
	B      gemvNNEON_rows4

gemvNNEON_rows1:
	CBZ R0, gemvNNEON_done

gemvNNEON_row:
	MOVD R2, R6
	MOVD R4, R10
	MOVD R1, R11
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	CMP  $16, R11
	BLT  gemvNNEON_r1_4

gemvNNEON_r1_loop16:
	VLD1.P 64(R10), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1.P 64(R6), [V20.S4, V21.S4, V22.S4, V23.S4]
	VFMLA  V16.S4, V20.S4, V0.S4
	VFMLA  V17.S4, V21.S4, V1.S4
	VFMLA  V18.S4, V22.S4, V2.S4
	VFMLA  V19.S4, V23.S4, V3.S4
	SUB    $16, R11
	CMP    $16, R11
	BGE    gemvNNEON_r1_loop16

gemvNNEON_r1_4:
	CMP    $4, R11
	BLT    gemvNNEON_r1_reduce
	VLD1.P 16(R10), [V16.S4]
	VLD1.P 16(R6), [V20.S4]
	VFMLA  V16.S4, V20.S4, V0.S4
	SUB    $4, R11
	B      gemvNNEON_r1_4

gemvNNEON_r1_reduce:
	WORD $0x4e21d400 // fadd v0.4s, v0.4s, v1.4s
	WORD $0x4e23d442 // fadd v2.4s, v2.4s, v3.4s
	WORD $0x4e22d400 // fadd v0.4s, v0.4s, v2.4s
	WORD $0x6e20d400 // faddp v0.4s, v0.4s, v0.4s
	WORD $0x7e30d800 // faddp s0, v0.2s

gemvNNEON_r1_loop1:
	CBZ     R11, gemvNNEON_r1_store
	FMOVS.P 4(R10), F16
	FMOVS.P 4(R6), F20
	FMADDS  F16, F0, F20, F0 // F0 += F20·F16
	SUB     $1, R11
	B       gemvNNEON_r1_loop1

gemvNNEON_r1_store:
	FMOVS   (R5), F1
	FMADDS  F31, F1, F0, F1  // F1 += F0·alpha
	FMOVS.P F1, 4(R5)
	ADD     R3, R2, R2
	SUB     $1, R0
	CBNZ    R0, gemvNNEON_row

gemvNNEON_done:
	RET

// func gemvTNEON(m int, n int, alpha float32, a []float32, lda int, x []float32, y []float32)
// Requires: ASIMD.
TEXT ·gemvTNEON(SB), NOSPLIT, $0-104
	MOVD  m+0(FP), R0
	MOVD  n+8(FP), R1
	FMOVS alpha+16(FP), F31
	MOVD  a_base+24(FP), R2
	MOVD  lda+48(FP), R3
	LSL   $2, R3
	MOVD  x_base+56(FP), R4
	MOVD  y_base+80(FP), R5

gemvTNEON_rows4:
	CMP     $4, R0
	BLT     gemvTNEON_rows1
	MOVD    R2, R6
	ADD     R3, R6, R7
	ADD     R3, R7, R8
	ADD     R3, R8, R9
	FMOVS.P 4(R4), F16
	FMOVS.P 4(R4), F17
	FMOVS.P 4(R4), F18
	FMOVS.P 4(R4), F19
	FMULS   F31, F16, F16         // alpha·x[i], rounded as in the generic kernel
	FMULS   F31, F17, F17
	FMULS   F31, F18, F18
	FMULS   F31, F19, F19
	VDUP    V16.S[0], V16.S4
	VDUP    V17.S[0], V17.S4
	VDUP    V18.S[0], V18.S4
	VDUP    V19.S[0], V19.S4
	MOVD    R5, R10
	MOVD    R1, R11
	CMP     $8, R11
	BLT     gemvTNEON_r4_4

gemvTNEON_r4_loop8:
	VLD1   (R10), [V0.S4, V1.S4]
	VLD1.P 32(R6), [V20.S4, V21.S4]
	VLD1.P 32(R7), [V22.S4, V23.S4]
	VLD1.P 32(R8), [V24.S4, V25.S4]
	VLD1.P 32(R9), [V26.S4, V27.S4]
	VFMLA  V16.S4, V20.S4, V0.S4
	VFMLA  V16.S4, V21.S4, V1.S4
	VFMLA  V17.S4, V22.S4, V0.S4
	VFMLA  V17.S4, V23.S4, V1.S4
	VFMLA  V18.S4, V24.S4, V0.S4
	VFMLA  V18.S4, V25.S4, V1.S4
	VFMLA  V19.S4, V26.S4, V0.S4
	VFMLA  V19.S4, V27.S4, V1.S4
	VST1.P [V0.S4, V1.S4], 32(R10)
	SUB    $8, R11
	CMP    $8, R11
	BGE    gemvTNEON_r4_loop8

gemvTNEON_r4_4:
	CMP    $4, R11
	BLT    gemvTNEON_r4_loop1
	VLD1   (R10), [V0.S4]
	VLD1.P 16(R6), [V20.S4]
	VLD1.P 16(R7), [V22.S4]
	VLD1.P 16(R8), [V24.S4]
	VLD1.P 16(R9), [V26.S4]
	VFMLA  V16.S4, V20.S4, V0.S4
	VFMLA  V17.S4, V22.S4, V0.S4
	VFMLA  V18.S4, V24.S4, V0.S4
	VFMLA  V19.S4, V26.S4, V0.S4
	VST1.P [V0.S4], 16(R10)
	SUB    $4, R11

gemvTNEON_r4_loop1:
	CBZ     R11, gemvTNEON_r4_next
	FMOVS   (R10), F0
	FMOVS.P 4(R6), F20
	FMOVS.P 4(R7), F22
	FMOVS.P 4(R8), F24
	FMOVS.P 4(R9), F26
	FMADDS  F16, F0, F20, F0        // F0 += F20·b0
	FMADDS  F17, F0, F22, F0
	FMADDS  F18, F0, F24, F0
	FMADDS  F19, F0, F26, F0
	FMOVS.P F0, 4(R10)
	SUB     $1, R11
	B       gemvTNEON_r4_loop1

gemvTNEON_r4_next:
	ADD R3<<2, R2, R2
	SUB $4, R0
	B   gemvTNEON_rows4

gemvTNEON_rows1:
	CBZ R0, gemvTNEON_done

gemvTNEON_row:
	FMOVS.P 4(R4), F16
	FMULS   F31, F16, F16
	VDUP    V16.S[0], V16.S4
	MOVD    R2, R6
	MOVD    R5, R10
	MOVD    R1, R11
	CMP     $8, R11
	BLT     gemvTNEON_r1_4

gemvTNEON_r1_loop8:
	VLD1   (R10), [V0.S4, V1.S4]
	VLD1.P 32(R6), [V20.S4, V21.S4]
	VFMLA  V16.S4, V20.S4, V0.S4
	VFMLA  V16.S4, V21.S4, V1.S4
	VST1.P [V0.S4, V1.S4], 32(R10)
	SUB    $8, R11
	CMP    $8, R11
	BGE    gemvTNEON_r1_loop8

gemvTNEON_r1_4:
	CMP    $4, R11
	BLT    gemvTNEON_r1_loop1
	VLD1   (R10), [V0.S4]
	VLD1.P 16(R6), [V20.S4]
	VFMLA  V16.S4, V20.S4, V0.S4
	VST1.P [V0.S4], 16(R10)
	SUB    $4, R11

gemvTNEON_r1_loop1:
	CBZ     R11, gemvTNEON_r1_next
	FMOVS   (R10), F0
	FMOVS.P 4(R6), F20
	FMADDS  F16, F0, F20, F0
	FMOVS.P F0, 4(R10)
	SUB     $1, R11
	B       gemvTNEON_r1_loop1

gemvTNEON_r1_next:
	ADD  R3, R2, R2
	SUB  $1, R0
	CBNZ R0, gemvTNEON_row

gemvTNEON_done:
	RET
