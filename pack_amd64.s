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
	CMPQ CX, $2
	JLT  n32one

n32two:
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS (SI)(BX*1), Z2
	VMOVUPS 64(SI)(BX*1), Z3
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, (DI)(DX*1)
	VMOVUPS Z3, 64(DI)(DX*1)
	LEAQ    (SI)(BX*2), SI
	LEAQ    (DI)(DX*2), DI
	SUBQ    $2, CX
	CMPQ    CX, $2
	JGE     n32two
	TESTQ   CX, CX
	JE      n32done

n32one:
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)

n32done:
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
	CMPQ CX, $2
	JLT  n16one

n16two:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS (SI)(BX*1), Y2
	VMOVUPS 32(SI)(BX*1), Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, (DI)(DX*1)
	VMOVUPS Y3, 32(DI)(DX*1)
	LEAQ    (SI)(BX*2), SI
	LEAQ    (DI)(DX*2), DI
	SUBQ    $2, CX
	CMPQ    CX, $2
	JGE     n16two
	TESTQ   CX, CX
	JE      n16done

n16one:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)

n16done:
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
	JE   bn32done

bn32row:
	MOVQ SI, R8
	MOVQ DI, R9
	MOVQ nq+64(FP), R10
	PREFETCHT0 (SI)(BX*4)

bn32panel:
	VMOVUPS (R8), Z0
	VMOVUPS 64(R8), Z1
	VMOVUPS Z0, (R9)
	VMOVUPS Z1, 64(R9)
	ADDQ    $128, R8
	ADDQ    DX, R9
	DECQ    R10
	JNE     bn32panel

	ADDQ BX, SI
	ADDQ $128, DI
	DECQ CX
	JNE  bn32row

bn32done:
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
	JE    bn16done

bn16row:
	MOVQ       SI, R8
	MOVQ       DI, R9
	MOVQ       nq+64(FP), R10
	PREFETCHT0 (SI)(BX*4)

bn16panel:
	VMOVUPS (R8), Y0
	VMOVUPS 32(R8), Y1
	VMOVUPS Y0, (R9)
	VMOVUPS Y1, 32(R9)
	ADDQ    $64, R8
	ADDQ    DX, R9
	DECQ    R10
	JNE     bn16panel

	ADDQ BX, SI
	ADDQ $64, DI
	DECQ CX
	JNE  bn16row

bn16done:
	VZEROUPPER
	RET
