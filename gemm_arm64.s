//go:build !purego

#include "textflag.h"

// The NEON SGEMM micro-kernel. See gemm_generic.go for the contract shared
// by every level and gemm_arm64.go for the Go declaration and the tile
// choice. No WORD is needed: the k loop is VLD1 / VLD1R / VFMLA, and the
// epilogue computes alpha·s and beta·c as FMAs onto −0 (x·y + (−0) is x·y
// rounded once, sign of zero included), so no vector FMUL is required.
//
// Registers:
//	R0  k loop counter          R1  mr (rows left to store)
//	R2  nr                      R3–R10 A row pointers, rows 0–7, column p
//	R11 csa·4                   R12–R15 B column pointers, row p
//	R16 ldb·4                   R17, R22–R24 C pointers
//	R19 ldc·4                   R20 rsa·4, R21 scratch
//	V0–V2 B row                 V3–V7 broadcast A (k loop); −0, alpha, beta,
//	                            temporaries (epilogue)
//	V8–V31 accumulators, row i in V(8+3i), V(9+3i), V(10+3i)
// R18, R26–R30 are not touched.
//
// Rows mr…7 and columns nr…11 are never read or written, without masks:
//   - Row pointer i is clamped to row min(i, mr−1), so the rows past mr
//     recompute row mr−1 from valid elements; the epilogue stops after mr
//     rows.
//   - nr ≥ 4 ("wide"): the three B (and C) vectors start at columns 0,
//     min(4, nr−4) and min(8, nr−4); they may overlap, never pass nr. Columns
//     held twice are computed by the same FMAs from the same operands, so
//     both copies are equal bit for bit; each C row is loaded whole before
//     any of it is stored, so storing both copies writes one value.
//   - nr < 4 ("narrow"): lane c of a single vector holds column min(c, nr−1),
//     loaded and stored one lane at a time, with the same duplicate rule.

// Set row pointer cur to prev + rsa·4 when row i < mr, else to prev.
#define ROWPTR(prev, cur, i) \
	ADD  R20, prev, cur; \
	CMP  i, R1; \
	CSEL LE, prev, cur, cur

// One row of the wide tile for k step p: broadcast A(i,p), multiply it into
// the three B vectors.
#define WROW(ap, av, acc0, acc1, acc2) \
	VLD1R.P (ap)(R11), [av]; \
	VFMLA   av, V0.S4, acc0; \
	VFMLA   av, V1.S4, acc1; \
	VFMLA   av, V2.S4, acc2

// One row of the narrow tile.
#define NROW(ap, av, acc) \
	VLD1R.P (ap)(R11), [av]; \
	VFMLA   av, V0.S4, acc

// Wide epilogue, beta == 0 (C is not read): C = alpha·acc. V3 = −0, V4 = alpha.
#define WSTOREZ(acc0, acc1, acc2) \
	VMOV  V3.B16, V0.B16; \
	VMOV  V3.B16, V1.B16; \
	VMOV  V3.B16, V2.B16; \
	VFMLA V4.S4, acc0, V0.S4; \
	VFMLA V4.S4, acc1, V1.S4; \
	VFMLA V4.S4, acc2, V2.S4; \
	VST1.P [V0.S4], (R17)(R19); \
	VST1.P [V1.S4], (R22)(R19); \
	VST1.P [V2.S4], (R23)(R19)

// Wide epilogue, beta != 0: C = alpha·acc + (beta·C), the sum as one FMA.
// V5 = beta. The whole row of C is loaded before any of it is stored.
#define WSTOREB(acc0, acc1, acc2) \
	VLD1  (R17), [V0.S4]; \
	VLD1  (R22), [V1.S4]; \
	VLD1  (R23), [V2.S4]; \
	VMOV  V3.B16, V6.B16; \
	VMOV  V3.B16, V7.B16; \
	VFMLA V5.S4, V0.S4, V6.S4; \
	VFMLA V5.S4, V1.S4, V7.S4; \
	VMOV  V3.B16, V0.B16; \
	VFMLA V5.S4, V2.S4, V0.S4; \
	VFMLA V4.S4, acc0, V6.S4; \
	VFMLA V4.S4, acc1, V7.S4; \
	VFMLA V4.S4, acc2, V0.S4; \
	VST1.P [V6.S4], (R17)(R19); \
	VST1.P [V7.S4], (R22)(R19); \
	VST1.P [V0.S4], (R23)(R19)

// Narrow epilogue, beta == 0.
#define NSTOREZ(acc) \
	VMOV   V3.B16, V0.B16; \
	VFMLA  V4.S4, acc, V0.S4; \
	VST1.P V0.S[0], (R17)(R19); \
	VST1.P V0.S[1], (R22)(R19); \
	VST1.P V0.S[2], (R23)(R19); \
	VST1.P V0.S[3], (R24)(R19)

// Narrow epilogue, beta != 0.
#define NSTOREB(acc) \
	VLD1   (R17), V0.S[0]; \
	VLD1   (R22), V0.S[1]; \
	VLD1   (R23), V0.S[2]; \
	VLD1   (R24), V0.S[3]; \
	VMOV   V3.B16, V6.B16; \
	VFMLA  V5.S4, V0.S4, V6.S4; \
	VFMLA  V4.S4, acc, V6.S4; \
	VST1.P V6.S[0], (R17)(R19); \
	VST1.P V6.S[1], (R22)(R19); \
	VST1.P V6.S[2], (R23)(R19); \
	VST1.P V6.S[3], (R24)(R19)

// Stop after the last of the mr rows.
#define NEXTROW(done) \
	SUBS $1, R1; \
	BEQ  done

// func gemmKernelNEON(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
// Requires: ASIMD.
TEXT ·gemmKernelNEON(SB), NOSPLIT, $0-136
	MOVD k+0(FP), R0
	MOVD mr+8(FP), R1
	MOVD nr+16(FP), R2
	MOVD a_base+24(FP), R3
	MOVD rsa+48(FP), R20
	MOVD csa+56(FP), R11
	MOVD b_base+64(FP), R12
	MOVD ldb+88(FP), R16
	LSL  $2, R20
	LSL  $2, R11
	LSL  $2, R16

	ROWPTR(R3, R4, $1)
	ROWPTR(R4, R5, $2)
	ROWPTR(R5, R6, $3)
	ROWPTR(R6, R7, $4)
	ROWPTR(R7, R8, $5)
	ROWPTR(R8, R9, $6)
	ROWPTR(R9, R10, $7)

	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16

	CMP $4, R2
	BLT gemmKernelNEON_narrow

	// Wide: B vectors at columns 0, o1 = min(4, nr−4), o2 = min(8, nr−4);
	// R22, R23 keep o1·4, o2·4 for the epilogue.
	SUB  $4, R2, R21
	MOVD $4, R22
	CMP  R22, R21
	CSEL LT, R21, R22, R22
	MOVD $8, R23
	CMP  R23, R21
	CSEL LT, R21, R23, R23
	LSL  $2, R22
	LSL  $2, R23
	ADD  R22, R12, R13
	ADD  R23, R12, R14

gemmKernelNEON_wideloop:
	VLD1.P (R12)(R16), [V0.S4]
	VLD1.P (R13)(R16), [V1.S4]
	VLD1.P (R14)(R16), [V2.S4]
	WROW(R3, V3.S4, V8.S4, V9.S4, V10.S4)
	WROW(R4, V4.S4, V11.S4, V12.S4, V13.S4)
	WROW(R5, V5.S4, V14.S4, V15.S4, V16.S4)
	WROW(R6, V6.S4, V17.S4, V18.S4, V19.S4)
	WROW(R7, V7.S4, V20.S4, V21.S4, V22.S4)
	WROW(R8, V3.S4, V23.S4, V24.S4, V25.S4)
	WROW(R9, V4.S4, V26.S4, V27.S4, V28.S4)
	WROW(R10, V5.S4, V29.S4, V30.S4, V31.S4)
	SUBS $1, R0
	BNE  gemmKernelNEON_wideloop

	// Epilogue constants: V3 = −0, V4 = alpha, V5 = beta; C pointers.
	MOVW  $0x80000000, R21
	VDUP  R21, V3.S4
	FMOVS alpha+128(FP), F4
	VDUP  V4.S[0], V4.S4
	FMOVS beta+132(FP), F5
	VDUP  V5.S[0], V5.S4
	MOVD  c_base+96(FP), R17
	MOVD  ldc+120(FP), R19
	LSL   $2, R19
	ADD   R17, R22, R22
	ADD   R17, R23, R23
	MOVWU beta+132(FP), R21
	ANDW  $0x7fffffff, R21
	CBZW  R21, gemmKernelNEON_widez

	WSTOREB(V8.S4, V9.S4, V10.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREB(V11.S4, V12.S4, V13.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREB(V14.S4, V15.S4, V16.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREB(V17.S4, V18.S4, V19.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREB(V20.S4, V21.S4, V22.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREB(V23.S4, V24.S4, V25.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREB(V26.S4, V27.S4, V28.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREB(V29.S4, V30.S4, V31.S4)
	RET

gemmKernelNEON_widez:
	WSTOREZ(V8.S4, V9.S4, V10.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREZ(V11.S4, V12.S4, V13.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREZ(V14.S4, V15.S4, V16.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREZ(V17.S4, V18.S4, V19.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREZ(V20.S4, V21.S4, V22.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREZ(V23.S4, V24.S4, V25.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREZ(V26.S4, V27.S4, V28.S4)
	NEXTROW(gemmKernelNEON_done)
	WSTOREZ(V29.S4, V30.S4, V31.S4)

gemmKernelNEON_done:
	RET

	// Narrow (nr < 4): lane c of V0 is column min(c, nr−1) of B, read
	// through R12–R15; R22–R24 keep the column offsets ·4 of lanes 1–3.
gemmKernelNEON_narrow:
	SUB  $1, R2, R24
	MOVD $1, R22
	CMP  R22, R24
	CSEL LT, R24, R22, R22
	MOVD $2, R23
	CMP  R23, R24
	CSEL LT, R24, R23, R23
	LSL  $2, R22
	LSL  $2, R23
	LSL  $2, R24
	ADD  R22, R12, R13
	ADD  R23, R12, R14
	ADD  R24, R12, R15

gemmKernelNEON_narrowloop:
	VLD1.P (R12)(R16), V0.S[0]
	VLD1.P (R13)(R16), V0.S[1]
	VLD1.P (R14)(R16), V0.S[2]
	VLD1.P (R15)(R16), V0.S[3]
	NROW(R3, V3.S4, V8.S4)
	NROW(R4, V4.S4, V11.S4)
	NROW(R5, V5.S4, V14.S4)
	NROW(R6, V6.S4, V17.S4)
	NROW(R7, V7.S4, V20.S4)
	NROW(R8, V3.S4, V23.S4)
	NROW(R9, V4.S4, V26.S4)
	NROW(R10, V5.S4, V29.S4)
	SUBS $1, R0
	BNE  gemmKernelNEON_narrowloop

	MOVW  $0x80000000, R21
	VDUP  R21, V3.S4
	FMOVS alpha+128(FP), F4
	VDUP  V4.S[0], V4.S4
	FMOVS beta+132(FP), F5
	VDUP  V5.S[0], V5.S4
	MOVD  c_base+96(FP), R17
	MOVD  ldc+120(FP), R19
	LSL   $2, R19
	ADD   R17, R22, R22
	ADD   R17, R23, R23
	ADD   R17, R24, R24
	MOVWU beta+132(FP), R21
	ANDW  $0x7fffffff, R21
	CBZW  R21, gemmKernelNEON_narrowz

	NSTOREB(V8.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREB(V11.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREB(V14.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREB(V17.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREB(V20.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREB(V23.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREB(V26.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREB(V29.S4)
	RET

gemmKernelNEON_narrowz:
	NSTOREZ(V8.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREZ(V11.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREZ(V14.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREZ(V17.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREZ(V20.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREZ(V23.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREZ(V26.S4)
	NEXTROW(gemmKernelNEON_done)
	NSTOREZ(V29.S4)
	RET

// The dot tile: 4×4 dot products of rows of A and rows of B, both read along
// k. Registers:
//	R0  k/4 loop counter        R1 mr, R2 nr
//	R3–R6 A row pointers        R7–R10 B row pointers (clamped to mr−1, nr−1)
//	R11 lda·4, R12 ldb·4        R13 out, R14 k%4
//	V0–V3 A rows, V4–V7 B rows  V16–V31 accumulators, (i, j) in V(16+4i+j)
// Tails of k (k%4 elements) are loaded one lane at a time into vectors
// whose other lanes are zero, so nothing past the end of a row is read.

// Accumulate the outer product of the four A and four B vectors.
#define DOT16 \
	VFMLA V0.S4, V4.S4, V16.S4; \
	VFMLA V0.S4, V5.S4, V17.S4; \
	VFMLA V0.S4, V6.S4, V18.S4; \
	VFMLA V0.S4, V7.S4, V19.S4; \
	VFMLA V1.S4, V4.S4, V20.S4; \
	VFMLA V1.S4, V5.S4, V21.S4; \
	VFMLA V1.S4, V6.S4, V22.S4; \
	VFMLA V1.S4, V7.S4, V23.S4; \
	VFMLA V2.S4, V4.S4, V24.S4; \
	VFMLA V2.S4, V5.S4, V25.S4; \
	VFMLA V2.S4, V6.S4, V26.S4; \
	VFMLA V2.S4, V7.S4, V27.S4; \
	VFMLA V3.S4, V4.S4, V28.S4; \
	VFMLA V3.S4, V5.S4, V29.S4; \
	VFMLA V3.S4, V6.S4, V30.S4; \
	VFMLA V3.S4, V7.S4, V31.S4

// func gemmDotNEON(k, mr, nr int, a []float32, lda int, b []float32, ldb int, out []float32)
// Requires: ASIMD.
TEXT ·gemmDotNEON(SB), NOSPLIT, $0-112
	MOVD k+0(FP), R0
	MOVD mr+8(FP), R1
	MOVD nr+16(FP), R2
	MOVD a_base+24(FP), R3
	MOVD lda+48(FP), R11
	MOVD b_base+56(FP), R7
	MOVD ldb+80(FP), R12
	MOVD out_base+88(FP), R13
	LSL  $2, R11
	LSL  $2, R12
	AND  $3, R0, R14
	LSR  $2, R0

	// Row pointers, clamped: row i reads row min(i, mr−1) (and min(j, nr−1)).
	ADD  R11, R3, R4
	CMP  $1, R1
	CSEL LE, R3, R4, R4
	ADD  R11, R4, R5
	CMP  $2, R1
	CSEL LE, R4, R5, R5
	ADD  R11, R5, R6
	CMP  $3, R1
	CSEL LE, R5, R6, R6
	ADD  R12, R7, R8
	CMP  $1, R2
	CSEL LE, R7, R8, R8
	ADD  R12, R8, R9
	CMP  $2, R2
	CSEL LE, R8, R9, R9
	ADD  R12, R9, R10
	CMP  $3, R2
	CSEL LE, R9, R10, R10

	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16

	CBZ R0, gemmDotNEON_tail

gemmDotNEON_loop4:
	VLD1.P 16(R3), [V0.S4]
	VLD1.P 16(R4), [V1.S4]
	VLD1.P 16(R5), [V2.S4]
	VLD1.P 16(R6), [V3.S4]
	VLD1.P 16(R7), [V4.S4]
	VLD1.P 16(R8), [V5.S4]
	VLD1.P 16(R9), [V6.S4]
	VLD1.P 16(R10), [V7.S4]
	DOT16
	SUBS $1, R0
	BNE  gemmDotNEON_loop4

gemmDotNEON_tail:
	CBZ  R14, gemmDotNEON_reduce
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16

gemmDotNEON_loop1:
	VLD1.P 4(R3), V0.S[0]
	VLD1.P 4(R4), V1.S[0]
	VLD1.P 4(R5), V2.S[0]
	VLD1.P 4(R6), V3.S[0]
	VLD1.P 4(R7), V4.S[0]
	VLD1.P 4(R8), V5.S[0]
	VLD1.P 4(R9), V6.S[0]
	VLD1.P 4(R10), V7.S[0]
	DOT16
	SUBS $1, R14
	BNE  gemmDotNEON_loop1

	// out row i = the horizontal sums of V(16+4i) … V(19+4i).
gemmDotNEON_reduce:
	WORD   $0x6e31d600 // faddp v0.4s, v16.4s, v17.4s
	WORD   $0x6e33d641 // faddp v1.4s, v18.4s, v19.4s
	WORD   $0x6e21d400 // faddp v0.4s, v0.4s, v1.4s
	VST1.P [V0.S4], 16(R13)
	WORD   $0x6e35d680 // faddp v0.4s, v20.4s, v21.4s
	WORD   $0x6e37d6c1 // faddp v1.4s, v22.4s, v23.4s
	WORD   $0x6e21d400 // faddp v0.4s, v0.4s, v1.4s
	VST1.P [V0.S4], 16(R13)
	WORD   $0x6e39d700 // faddp v0.4s, v24.4s, v25.4s
	WORD   $0x6e3bd741 // faddp v1.4s, v26.4s, v27.4s
	WORD   $0x6e21d400 // faddp v0.4s, v0.4s, v1.4s
	VST1.P [V0.S4], 16(R13)
	WORD   $0x6e3dd780 // faddp v0.4s, v28.4s, v29.4s
	WORD   $0x6e3fd7c1 // faddp v1.4s, v30.4s, v31.4s
	WORD   $0x6e21d400 // faddp v0.4s, v0.4s, v1.4s
	VST1.P [V0.S4], 16(R13)
	RET
