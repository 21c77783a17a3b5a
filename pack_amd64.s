//go:build !purego

#include "textflag.h"

// func packT8AVX2(dst, src []float32, ldb, nr, kb8 int)
//
// Transposes 8 rows of src (row stride ldb floats) into dst, 8×8 blocks at
// a time: for p < 8·kb8, i < 8: dst[p*nr+i] = src[i*ldb+p]. Each block is
// 8 loads of 8 floats, the classic unpack/shuffle/permute transpose, and 8
// stores of 8 floats. Requires: AVX, AVX2 (only AVX instructions are used).
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
