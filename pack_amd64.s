//go:build !purego

#include "textflag.h"

// func packT8AVX2(dst, src []float32, ldb, nr, kb8 int)
//
// Transposes 8 rows of src (row stride ldb floats) into dst, 8×8 blocks at
// a time: for p < 8·kb8, i < 8: dst[p*nr+i] = src[i*ldb+p]. Each block is
// 8 loads of 8 floats, the classic unpack/shuffle/permute transpose, and 8
// stores of 8 floats. Every 64 bytes it prefetches the same line of the
// next 8 rows, which the caller transposes next (rows ldb apart, often a
// page or more, where the hardware prefetcher starts late): hints, which
// never fault, may reach past src. Requires: AVX, AVX2 (only AVX instructions are used).
TEXT ·packT8AVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ ldb+48(FP), BX
	SHLQ $2, BX
	MOVQ nr+56(FP), DX
	SHLQ $2, DX
	MOVQ kb8+64(FP), CX
	TESTQ CX, CX
	JE   done
	LEAQ (DX)(DX*2), R9 // 3·nr bytes
	LEAQ (BX)(BX*2), R10 // 3·ldb bytes

loop:
	MOVQ    SI, R8
	VMOVUPS (R8), Y0
	VMOVUPS (R8)(BX*1), Y1
	VMOVUPS (R8)(BX*2), Y2
	VMOVUPS (R8)(R10*1), Y3
	TESTQ   $32, SI // every 64 bytes: the same line of the next 8 rows
	JNE     nopf
	LEAQ    (R8)(BX*8), R11
	PREFETCHT0 (R11)
	PREFETCHT0 (R11)(BX*1)
	PREFETCHT0 (R11)(BX*2)
	PREFETCHT0 (R11)(R10*1)
	LEAQ    (R11)(BX*4), R11
	PREFETCHT0 (R11)
	PREFETCHT0 (R11)(BX*1)
	PREFETCHT0 (R11)(BX*2)
	PREFETCHT0 (R11)(R10*1)

nopf:
	LEAQ    (R8)(BX*4), R8
	VMOVUPS (R8), Y4
	VMOVUPS (R8)(BX*1), Y5
	VMOVUPS (R8)(BX*2), Y6
	VMOVUPS (R8)(R10*1), Y7

	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15

	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7

	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15

	MOVQ    DI, R8
	VMOVUPS Y8, (R8)
	VMOVUPS Y9, (R8)(DX*1)
	VMOVUPS Y10, (R8)(DX*2)
	VMOVUPS Y11, (R8)(R9*1)
	LEAQ    (R8)(DX*4), R8
	VMOVUPS Y12, (R8)
	VMOVUPS Y13, (R8)(DX*1)
	VMOVUPS Y14, (R8)(DX*2)
	VMOVUPS Y15, (R8)(R9*1)

	LEAQ (DI)(DX*8), DI
	ADDQ $32, SI
	DECQ CX
	JNE  loop
	VZEROUPPER

done:
	RET

// PACKN copies kb rows (CX, at least 1) from SI (row stride BX bytes) to
// DI (row stride DX bytes), two rows per iteration, then goes to done.
// A row is a VMOVUPS of V0 (V2 for the second row of an iteration) at
// offset 0 and a MOV2 of R0 (R2) at offset H: two vectors for the B panel
// copiers (MOV2 VMOVUPS, H the vector's width), a vector and a shorter
// piece for the A sliver copiers. two and one are the caller's labels for
// the two loops.
#define PACKN(V0, MOV2, R0, V2, R2, H, two, one, done) \
	CMPQ CX, $2; \
	JLT  one; \
two: \
	VMOVUPS (SI), V0; \
	MOV2    H(SI), R0; \
	VMOVUPS (SI)(BX*1), V2; \
	MOV2    H(SI)(BX*1), R2; \
	VMOVUPS V0, (DI); \
	MOV2    R0, H(DI); \
	VMOVUPS V2, (DI)(DX*1); \
	MOV2    R2, H(DI)(DX*1); \
	LEAQ    (SI)(BX*2), SI; \
	LEAQ    (DI)(DX*2), DI; \
	SUBQ    $2, CX; \
	CMPQ    CX, $2; \
	JGE     two; \
	TESTQ   CX, CX; \
	JE      done; \
one: \
	VMOVUPS (SI), V0; \
	MOV2    H(SI), R0; \
	VMOVUPS V0, (DI); \
	MOV2    R0, H(DI)

// PACKBLOCKN copies kb rows (CX, at least 1) of nq panels, each panel row
// two vectors V0, V1 of W bytes, from SI (row stride BX bytes) to DI, where
// the panels lie DX bytes apart, row by row of the source; nq is the
// operand that holds nq (reloaded for each row into R10). row and panel
// are the caller's labels for the two loops. Each row prefetches the
// source row four ahead.
#define PACKBLOCKN(V0, V1, W, nq, row, panel) \
row: \
	MOVQ       SI, R8; \
	MOVQ       DI, R9; \
	MOVQ       nq, R10; \
	PREFETCHT0 (SI)(BX*4); \
panel: \
	VMOVUPS (R8), V0; \
	VMOVUPS W(R8), V1; \
	VMOVUPS V0, (R9); \
	VMOVUPS V1, W(R9); \
	ADDQ    $(2*W), R8; \
	ADDQ    DX, R9; \
	DECQ    R10; \
	JNE     panel; \
	ADDQ BX, SI; \
	ADDQ $(2*W), DI; \
	DECQ CX; \
	JNE  row

// func packN32AVX512(dst, src []float32, ldb, nr, kb int)
//
// Copies kb rows of 32 floats from src (row stride ldb floats) to dst (row
// stride nr floats), two rows per iteration. Requires: AVX512F.
TEXT ·packN32AVX512(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ ldb+48(FP), BX
	SHLQ $2, BX
	MOVQ nr+56(FP), DX
	SHLQ $2, DX
	MOVQ kb+64(FP), CX
	PACKN(Z0, VMOVUPS, Z1, Z2, Z3, 64, packN32AVX512_two, packN32AVX512_one, packN32AVX512_done)

packN32AVX512_done:
	VZEROUPPER
	RET

// func packN16AVX(dst, src []float32, ldb, nr, kb int)
//
// packN32AVX512 for rows of 16 floats, with ymm registers. Requires: AVX.
TEXT ·packN16AVX(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ ldb+48(FP), BX
	SHLQ $2, BX
	MOVQ nr+56(FP), DX
	SHLQ $2, DX
	MOVQ kb+64(FP), CX
	PACKN(Y0, VMOVUPS, Y1, Y2, Y3, 32, packN16AVX_two, packN16AVX_one, packN16AVX_done)

packN16AVX_done:
	VZEROUPPER
	RET

// func packBlockN32AVX512(dst, src []float32, ldb, kb, nq, ps int)
//
// Packs nq full panels of 32 columns at once, row by row of src, so that
// each row of B (32·nq floats) is read front to back and the hardware
// prefetcher follows it (a panel at a time, the rows are ldb apart; with a
// power-of-two ldb every row is a new page):
//
//	for p < kb, q < nq, c < 32: dst[q*ps+p*32+c] = src[p*ldb+q*32+c]
//
// Requires: AVX512F.
TEXT ·packBlockN32AVX512(SB), NOSPLIT, $0-80
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ ldb+48(FP), BX
	SHLQ $2, BX
	MOVQ kb+56(FP), CX
	MOVQ ps+72(FP), DX
	SHLQ $2, DX
	TESTQ CX, CX
	JE   packBlockN32AVX512_done

	PACKBLOCKN(Z0, Z1, 64, nq+64(FP), packBlockN32AVX512_row, packBlockN32AVX512_panel)

packBlockN32AVX512_done:
	VZEROUPPER
	RET

// func packBlockN16AVX(dst, src []float32, ldb, kb, nq, ps int)
//
// packBlockN32AVX512 for panels of 16 columns, with ymm registers:
//
//	for p < kb, q < nq, c < 16: dst[q*ps+p*16+c] = src[p*ldb+q*16+c]
//
// Requires: AVX.
TEXT ·packBlockN16AVX(SB), NOSPLIT, $0-80
	MOVQ  dst_base+0(FP), DI
	MOVQ  src_base+24(FP), SI
	MOVQ  ldb+48(FP), BX
	SHLQ  $2, BX
	MOVQ  kb+56(FP), CX
	MOVQ  ps+72(FP), DX
	SHLQ  $2, DX
	TESTQ CX, CX
	JE    packBlockN16AVX_done

	PACKBLOCKN(Y0, Y1, 32, nq+64(FP), packBlockN16AVX_row, packBlockN16AVX_panel)

packBlockN16AVX_done:
	VZEROUPPER
	RET

// func packT6AVX2(dst, src []float32, lda, kb8 int)
//
// Packs the 6-row sliver of the AVX2 tile from op(A) = A, 8 columns at a
// time: for p < 8·kb8, r < 6: dst[p*6+r] = src[r*lda+p]. The 48 floats of
// a block are contiguous in dst, so a block is 6 loads of 8 floats, 18
// shuffles and 6 stores of 8 floats. With A_p, B_p, C_p the pairs (row 0,
// row 1), (row 2, row 3), (row 4, row 5) of column p as 64-bit elements,
// dst is A0 B0 C0 A1 | B1 C1 A2 B2 | C2 A3 B3 C3 | then the same for
// columns 4…7: VUNPCK{L,H}PS pairs the rows, VUNPCKLPD, VSHUFPD and
// VUNPCKHPD gather the quarters of each output within 128-bit lanes, and
// VPERM2F128 joins the lanes. Requires: AVX.
TEXT ·packT6AVX2(SB), NOSPLIT, $0-64
	MOVQ  dst_base+0(FP), DI
	MOVQ  src_base+24(FP), SI
	MOVQ  lda+48(FP), DX
	SHLQ  $2, DX
	MOVQ  kb8+56(FP), CX
	LEAQ  (SI)(DX*2), R9
	ADDQ  DX, R9          // row 3
	TESTQ CX, CX
	JE    packT6AVX2done

packT6AVX2block:
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(DX*1), Y1
	VMOVUPS (SI)(DX*2), Y2
	VMOVUPS (R9), Y3
	VMOVUPS (R9)(DX*1), Y4
	VMOVUPS (R9)(DX*2), Y5

	VUNPCKLPS Y1, Y0, Y6  // A0 A1 | A4 A5
	VUNPCKHPS Y1, Y0, Y7  // A2 A3 | A6 A7
	VUNPCKLPS Y3, Y2, Y8  // B0 B1 | B4 B5
	VUNPCKHPS Y3, Y2, Y9  // B2 B3 | B6 B7
	VUNPCKLPS Y5, Y4, Y10 // C0 C1 | C4 C5
	VUNPCKHPS Y5, Y4, Y11 // C2 C3 | C6 C7

	VUNPCKLPD Y8, Y6, Y0       // A0 B0 | A4 B4
	VSHUFPD   $10, Y6, Y10, Y1 // C0 A1 | C4 A5
	VUNPCKHPD Y10, Y8, Y2      // B1 C1 | B5 C5
	VUNPCKLPD Y9, Y7, Y3       // A2 B2 | A6 B6
	VSHUFPD   $10, Y7, Y11, Y4 // C2 A3 | C6 A7
	VUNPCKHPD Y11, Y9, Y5      // B3 C3 | B7 C7

	VPERM2F128 $0x20, Y1, Y0, Y6
	VPERM2F128 $0x20, Y3, Y2, Y7
	VPERM2F128 $0x20, Y5, Y4, Y8
	VPERM2F128 $0x31, Y1, Y0, Y9
	VPERM2F128 $0x31, Y3, Y2, Y10
	VPERM2F128 $0x31, Y5, Y4, Y11
	VMOVUPS    Y6, (DI)
	VMOVUPS    Y7, 32(DI)
	VMOVUPS    Y8, 64(DI)
	VMOVUPS    Y9, 96(DI)
	VMOVUPS    Y10, 128(DI)
	VMOVUPS    Y11, 160(DI)

	ADDQ $32, SI
	ADDQ $32, R9
	ADDQ $192, DI
	DECQ CX
	JNE  packT6AVX2block

packT6AVX2done:
	VZEROUPPER
	RET

// func packS6AVX(dst, src []float32, lda, nr, kb int)
//
// Copies the AVX2 tile's full 6-row sliver of op(A) = Aᵀ: kb rows of 6
// floats (an xmm and a quadword) from src (row stride lda floats) to dst
// (row stride nr floats), two rows per iteration:
// for p < kb, c < 6: dst[p*nr+c] = src[p*lda+c]. Requires: AVX.
TEXT ·packS6AVX(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ lda+48(FP), BX
	SHLQ $2, BX
	MOVQ nr+56(FP), DX
	SHLQ $2, DX
	MOVQ kb+64(FP), CX
	PACKN(X0, MOVQ, AX, X1, R8, 16, packS6AVXtwo, packS6AVXone, packS6AVXdone)

packS6AVXdone:
	RET

// func packS12AVX512(dst, src []float32, lda, nr, kb int)
//
// packS6AVX for the AVX-512 tile's 12-row sliver: kb rows of 12 floats (a
// ymm and an xmm). Requires: AVX.
TEXT ·packS12AVX512(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ lda+48(FP), BX
	SHLQ $2, BX
	MOVQ nr+56(FP), DX
	SHLQ $2, DX
	MOVQ kb+64(FP), CX
	PACKN(Y0, VMOVUPS, X1, Y2, X3, 32, packS12AVX512two, packS12AVX512one, packS12AVX512done)

packS12AVX512done:
	VZEROUPPER
	RET
