//go:build !purego

#include "textflag.h"

// The SGEMM micro-kernels. See gemm_generic.go for the contract shared by
// every level and gemm_amd64.go for the Go declarations.
//
// Register use, both kernels:
//	CX  k loop counter        R13 mr (rows to read and write)
//	AX  A rows 0..5, column p R12 A rows 6..11 (AVX-512 only)
//	R9  rsa·4, R10 3·rsa·4, R11 5·rsa·4, R8 csa·4
//	BX  B row p               DX  ldb·4
//	DI  C row                 SI  ldc·4
// BP and R15 are not touched.

// One row of the AVX-512 tile: broadcast A(i,p) and multiply it into the
// two B vectors of row p.
#define ROW512(addr, acc0, acc1) \
	VBROADCASTSS addr, Z26; \
	VFMADD231PS  Z24, Z26, acc0; \
	VFMADD231PS  Z25, Z26, acc1

// Scale one row of accumulators by alpha (Z26) and store the nr valid
// columns (masks K1, K2); C is not read.
#define STORE512Z(acc0, acc1) \
	VMULPS  Z26, acc0, acc0; \
	VMULPS  Z26, acc1, acc1; \
	VMOVUPS acc0, K1, (DI); \
	VMOVUPS acc1, K2, 64(DI); \
	ADDQ    SI, DI

// Store alpha·acc + beta·C (alpha in Z26, beta in Z27) for one row.
// alpha·acc + (beta·C) is one FMA, so the result carries only the roundings
// of the sum, of beta·C and of the FMA.
#define STORE512B(acc0, acc1) \
	VMOVUPS.Z   (DI), K1, Z24; \
	VMOVUPS.Z   64(DI), K2, Z25; \
	VMULPS      Z27, Z24, Z24; \
	VMULPS      Z27, Z25, Z25; \
	VFMADD213PS Z24, Z26, acc0; \
	VFMADD213PS Z25, Z26, acc1; \
	VMOVUPS     acc0, K1, (DI); \
	VMOVUPS     acc1, K2, 64(DI); \
	ADDQ        SI, DI

// func gemmKernelAVX512(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
// Requires: AVX512F
TEXT ·gemmKernelAVX512(SB), NOSPLIT, $0-136
	// Column masks: K1 = the low min(nr, 16) bits, K2 = the next ones.
	MOVQ  nr+16(FP), CX
	MOVQ  $1, SI
	SHLQ  CX, SI
	DECQ  SI
	KMOVW SI, K1
	SHRQ  $16, SI
	KMOVW SI, K2

	MOVQ k+0(FP), CX
	MOVQ mr+8(FP), R13
	MOVQ a_base+24(FP), AX
	MOVQ rsa+48(FP), R9
	MOVQ csa+56(FP), R8
	MOVQ b_base+64(FP), BX
	MOVQ ldb+88(FP), DX
	SHLQ $2, R9
	SHLQ $2, R8
	SHLQ $2, DX
	LEAQ (R9)(R9*2), R10
	LEAQ (R9)(R9*4), R11
	LEAQ (AX)(R10*2), R12

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

	CMPQ R13, $12
	JNE  gemmKernelAVX512_edge

	// All 12 rows: prefetch the C tile (a hint: it never faults and reads
	// nothing architecturally), then the k loop unrolled by two.
	MOVQ c_base+96(FP), DI
	MOVQ ldc+120(FP), SI
	SHLQ $2, SI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	ADDQ SI, DI
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	CMPQ CX, $2
	JLT  gemmKernelAVX512_one

gemmKernelAVX512_full2:
	VMOVUPS.Z (BX), K1, Z24
	VMOVUPS.Z 64(BX), K2, Z25
	ROW512((AX), Z0, Z1)
	ROW512((AX)(R9*1), Z2, Z3)
	ROW512((AX)(R9*2), Z4, Z5)
	ROW512((AX)(R10*1), Z6, Z7)
	ROW512((AX)(R9*4), Z8, Z9)
	ROW512((AX)(R11*1), Z10, Z11)
	ROW512((R12), Z12, Z13)
	ROW512((R12)(R9*1), Z14, Z15)
	ROW512((R12)(R9*2), Z16, Z17)
	ROW512((R12)(R10*1), Z18, Z19)
	ROW512((R12)(R9*4), Z20, Z21)
	ROW512((R12)(R11*1), Z22, Z23)
	ADDQ      R8, AX
	ADDQ      R8, R12
	ADDQ      DX, BX
	VMOVUPS.Z (BX), K1, Z24
	VMOVUPS.Z 64(BX), K2, Z25
	ROW512((AX), Z0, Z1)
	ROW512((AX)(R9*1), Z2, Z3)
	ROW512((AX)(R9*2), Z4, Z5)
	ROW512((AX)(R10*1), Z6, Z7)
	ROW512((AX)(R9*4), Z8, Z9)
	ROW512((AX)(R11*1), Z10, Z11)
	ROW512((R12), Z12, Z13)
	ROW512((R12)(R9*1), Z14, Z15)
	ROW512((R12)(R9*2), Z16, Z17)
	ROW512((R12)(R10*1), Z18, Z19)
	ROW512((R12)(R9*4), Z20, Z21)
	ROW512((R12)(R11*1), Z22, Z23)
	ADDQ      R8, AX
	ADDQ      R8, R12
	ADDQ      DX, BX
	SUBQ      $2, CX
	CMPQ      CX, $2
	JGE       gemmKernelAVX512_full2
	TESTQ     CX, CX
	JZ        gemmKernelAVX512_store

gemmKernelAVX512_one:
	VMOVUPS.Z (BX), K1, Z24
	VMOVUPS.Z 64(BX), K2, Z25
	ROW512((AX), Z0, Z1)
	ROW512((AX)(R9*1), Z2, Z3)
	ROW512((AX)(R9*2), Z4, Z5)
	ROW512((AX)(R10*1), Z6, Z7)
	ROW512((AX)(R9*4), Z8, Z9)
	ROW512((AX)(R11*1), Z10, Z11)
	ROW512((R12), Z12, Z13)
	ROW512((R12)(R9*1), Z14, Z15)
	ROW512((R12)(R9*2), Z16, Z17)
	ROW512((R12)(R10*1), Z18, Z19)
	ROW512((R12)(R9*4), Z20, Z21)
	ROW512((R12)(R11*1), Z22, Z23)
	JMP       gemmKernelAVX512_store

	// Fewer than 12 rows: rows mr..11 are neither read nor written.
gemmKernelAVX512_edge:
	VMOVUPS.Z (BX), K1, Z24
	VMOVUPS.Z 64(BX), K2, Z25
	ROW512((AX), Z0, Z1)
	CMPQ      R13, $1
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R9*1), Z2, Z3)
	CMPQ      R13, $2
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R9*2), Z4, Z5)
	CMPQ      R13, $3
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R10*1), Z6, Z7)
	CMPQ      R13, $4
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R9*4), Z8, Z9)
	CMPQ      R13, $5
	JEQ       gemmKernelAVX512_edgenext
	ROW512((AX)(R11*1), Z10, Z11)
	CMPQ      R13, $6
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12), Z12, Z13)
	CMPQ      R13, $7
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12)(R9*1), Z14, Z15)
	CMPQ      R13, $8
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12)(R9*2), Z16, Z17)
	CMPQ      R13, $9
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12)(R10*1), Z18, Z19)
	CMPQ      R13, $10
	JEQ       gemmKernelAVX512_edgenext
	ROW512((R12)(R9*4), Z20, Z21)

gemmKernelAVX512_edgenext:
	ADDQ R8, AX
	ADDQ R8, R12
	ADDQ DX, BX
	DECQ CX
	JNZ  gemmKernelAVX512_edge

gemmKernelAVX512_store:
	VBROADCASTSS alpha+128(FP), Z26
	MOVQ         c_base+96(FP), DI
	MOVQ         ldc+120(FP), SI
	SHLQ         $2, SI
	MOVL         beta+132(FP), R8
	SHLL         $1, R8                // drop the sign: ±0 both mean "do not read C"
	JZ           gemmKernelAVX512_store0
	VBROADCASTSS beta+132(FP), Z27
	STORE512B(Z0, Z1)
	CMPQ         R13, $1
	JEQ          gemmKernelAVX512_done
	STORE512B(Z2, Z3)
	CMPQ         R13, $2
	JEQ          gemmKernelAVX512_done
	STORE512B(Z4, Z5)
	CMPQ         R13, $3
	JEQ          gemmKernelAVX512_done
	STORE512B(Z6, Z7)
	CMPQ         R13, $4
	JEQ          gemmKernelAVX512_done
	STORE512B(Z8, Z9)
	CMPQ         R13, $5
	JEQ          gemmKernelAVX512_done
	STORE512B(Z10, Z11)
	CMPQ         R13, $6
	JEQ          gemmKernelAVX512_done
	STORE512B(Z12, Z13)
	CMPQ         R13, $7
	JEQ          gemmKernelAVX512_done
	STORE512B(Z14, Z15)
	CMPQ         R13, $8
	JEQ          gemmKernelAVX512_done
	STORE512B(Z16, Z17)
	CMPQ         R13, $9
	JEQ          gemmKernelAVX512_done
	STORE512B(Z18, Z19)
	CMPQ         R13, $10
	JEQ          gemmKernelAVX512_done
	STORE512B(Z20, Z21)
	CMPQ         R13, $11
	JEQ          gemmKernelAVX512_done
	STORE512B(Z22, Z23)
	JMP          gemmKernelAVX512_done

gemmKernelAVX512_store0:
	STORE512Z(Z0, Z1)
	CMPQ R13, $1
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z2, Z3)
	CMPQ R13, $2
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z4, Z5)
	CMPQ R13, $3
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z6, Z7)
	CMPQ R13, $4
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z8, Z9)
	CMPQ R13, $5
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z10, Z11)
	CMPQ R13, $6
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z12, Z13)
	CMPQ R13, $7
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z14, Z15)
	CMPQ R13, $8
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z16, Z17)
	CMPQ R13, $9
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z18, Z19)
	CMPQ R13, $10
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z20, Z21)
	CMPQ R13, $11
	JEQ  gemmKernelAVX512_done
	STORE512Z(Z22, Z23)

gemmKernelAVX512_done:
	VZEROUPPER
	RET

// Masks for VMASKMOVPS: 16 lanes on, then 16 off. The mask of the first
// vector of a row with nr valid columns starts at lane 16−nr, that of the
// second vector 8 lanes further.
DATA gemmMaskAVX2<>+0(SB)/8, $0xffffffffffffffff
DATA gemmMaskAVX2<>+8(SB)/8, $0xffffffffffffffff
DATA gemmMaskAVX2<>+16(SB)/8, $0xffffffffffffffff
DATA gemmMaskAVX2<>+24(SB)/8, $0xffffffffffffffff
DATA gemmMaskAVX2<>+32(SB)/8, $0xffffffffffffffff
DATA gemmMaskAVX2<>+40(SB)/8, $0xffffffffffffffff
DATA gemmMaskAVX2<>+48(SB)/8, $0xffffffffffffffff
DATA gemmMaskAVX2<>+56(SB)/8, $0xffffffffffffffff
DATA gemmMaskAVX2<>+64(SB)/8, $0
DATA gemmMaskAVX2<>+72(SB)/8, $0
DATA gemmMaskAVX2<>+80(SB)/8, $0
DATA gemmMaskAVX2<>+88(SB)/8, $0
DATA gemmMaskAVX2<>+96(SB)/8, $0
DATA gemmMaskAVX2<>+104(SB)/8, $0
DATA gemmMaskAVX2<>+112(SB)/8, $0
DATA gemmMaskAVX2<>+120(SB)/8, $0
GLOBL gemmMaskAVX2<>(SB), RODATA|NOPTR, $128

// One row of the AVX2 tile.
#define ROW256(addr, acc0, acc1) \
	VBROADCASTSS addr, Y14; \
	VFMADD231PS  Y12, Y14, acc0; \
	VFMADD231PS  Y13, Y14, acc1

// func gemmKernelAVX2(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32)
// Requires: AVX, AVX2, FMA3
//
// The 32-byte frame holds alpha, broadcast, for the masked edge store.
TEXT ·gemmKernelAVX2(SB), NOSPLIT, $32-136
	MOVQ k+0(FP), CX
	MOVQ mr+8(FP), R13
	MOVQ nr+16(FP), R14
	MOVQ a_base+24(FP), AX
	MOVQ rsa+48(FP), R9
	MOVQ csa+56(FP), R8
	MOVQ b_base+64(FP), BX
	MOVQ ldb+88(FP), DX
	SHLQ $2, R9
	SHLQ $2, R8
	SHLQ $2, DX
	LEAQ (R9)(R9*2), R10
	LEAQ (R9)(R9*4), R11

	// R12 = the mask of the first vector (see gemmMaskAVX2).
	LEAQ gemmMaskAVX2<>(SB), R12
	MOVQ $16, SI
	SUBQ R14, SI
	LEAQ (R12)(SI*4), R12

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

	CMPQ R14, $16
	JNE  gemmKernelAVX2_edge
	CMPQ R13, $6
	JNE  gemmKernelAVX2_edge

gemmKernelAVX2_full:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	ROW256((AX), Y0, Y1)
	ROW256((AX)(R9*1), Y2, Y3)
	ROW256((AX)(R9*2), Y4, Y5)
	ROW256((AX)(R10*1), Y6, Y7)
	ROW256((AX)(R9*4), Y8, Y9)
	ROW256((AX)(R11*1), Y10, Y11)
	ADDQ    R8, AX
	ADDQ    DX, BX
	DECQ    CX
	JNZ     gemmKernelAVX2_full
	JMP     gemmKernelAVX2_store

	// Fewer than 6 rows or 16 columns: rows mr..5 are neither read nor
	// written; columns past nr of B are masked: with more than 8 columns
	// only the second vector (mask in Y15), else the first (mask in Y15)
	// and the second is zero.
gemmKernelAVX2_edge:
	CMPQ    R14, $8
	JLE     gemmKernelAVX2_narrow
	VMOVUPS 32(R12), Y15

gemmKernelAVX2_wide:
	VMOVUPS    (BX), Y12
	VMASKMOVPS 32(BX), Y15, Y13
	ROW256((AX), Y0, Y1)
	CMPQ       R13, $1
	JEQ        gemmKernelAVX2_widenext
	ROW256((AX)(R9*1), Y2, Y3)
	CMPQ       R13, $2
	JEQ        gemmKernelAVX2_widenext
	ROW256((AX)(R9*2), Y4, Y5)
	CMPQ       R13, $3
	JEQ        gemmKernelAVX2_widenext
	ROW256((AX)(R10*1), Y6, Y7)
	CMPQ       R13, $4
	JEQ        gemmKernelAVX2_widenext
	ROW256((AX)(R9*4), Y8, Y9)
	CMPQ       R13, $5
	JEQ        gemmKernelAVX2_widenext
	ROW256((AX)(R11*1), Y10, Y11)

gemmKernelAVX2_widenext:
	ADDQ R8, AX
	ADDQ DX, BX
	DECQ CX
	JNZ  gemmKernelAVX2_wide
	JMP  gemmKernelAVX2_store

gemmKernelAVX2_narrow:
	VMOVUPS (R12), Y15
	VXORPS  Y13, Y13, Y13

gemmKernelAVX2_narrowloop:
	VMASKMOVPS (BX), Y15, Y12
	VBROADCASTSS (AX), Y14
	VFMADD231PS  Y12, Y14, Y0
	CMPQ         R13, $1
	JEQ          gemmKernelAVX2_narrownext
	VBROADCASTSS (AX)(R9*1), Y14
	VFMADD231PS  Y12, Y14, Y2
	CMPQ         R13, $2
	JEQ          gemmKernelAVX2_narrownext
	VBROADCASTSS (AX)(R9*2), Y14
	VFMADD231PS  Y12, Y14, Y4
	CMPQ         R13, $3
	JEQ          gemmKernelAVX2_narrownext
	VBROADCASTSS (AX)(R10*1), Y14
	VFMADD231PS  Y12, Y14, Y6
	CMPQ         R13, $4
	JEQ          gemmKernelAVX2_narrownext
	VBROADCASTSS (AX)(R9*4), Y14
	VFMADD231PS  Y12, Y14, Y8
	CMPQ         R13, $5
	JEQ          gemmKernelAVX2_narrownext
	VBROADCASTSS (AX)(R11*1), Y14
	VFMADD231PS  Y12, Y14, Y10

gemmKernelAVX2_narrownext:
	ADDQ R8, AX
	ADDQ DX, BX
	DECQ CX
	JNZ  gemmKernelAVX2_narrowloop

gemmKernelAVX2_store:
	MOVQ c_base+96(FP), DI
	MOVQ ldc+120(FP), SI
	SHLQ $2, SI
	MOVL beta+132(FP), R8
	SHLL $1, R8           // drop the sign: ±0 both mean "do not read C"
	JZ   gemmKernelAVX2_store0
	CMPQ R14, $16
	JNE  gemmKernelAVX2_storebmask
	CMPQ R13, $6
	JNE  gemmKernelAVX2_storebmask

	// Full tile: C = alpha·acc + (beta·C) with one FMA per vector.
	VBROADCASTSS alpha+128(FP), Y12
	VBROADCASTSS beta+132(FP), Y13

#define STORE256B(acc0, acc1) \
	VMULPS      (DI), Y13, Y14; \
	VFMADD213PS Y14, Y12, acc0; \
	VMOVUPS     acc0, (DI); \
	VMULPS      32(DI), Y13, Y14; \
	VFMADD213PS Y14, Y12, acc1; \
	VMOVUPS     acc1, 32(DI); \
	ADDQ        SI, DI

	STORE256B(Y0, Y1)
	STORE256B(Y2, Y3)
	STORE256B(Y4, Y5)
	STORE256B(Y6, Y7)
	STORE256B(Y8, Y9)
	STORE256B(Y10, Y11)
	JMP gemmKernelAVX2_done

	// Edge tile: masks in Y12, Y13, beta in Y15, alpha in the frame.
gemmKernelAVX2_storebmask:
	VBROADCASTSS alpha+128(FP), Y14
	VMOVUPS      Y14, 0(SP)
	VBROADCASTSS beta+132(FP), Y15
	VMOVUPS      (R12), Y12
	VMOVUPS      32(R12), Y13

#define STORE256BM(acc0, acc1) \
	VMASKMOVPS  (DI), Y12, Y14; \
	VMULPS      Y15, Y14, Y14; \
	VFMADD231PS 0(SP), acc0, Y14; \
	VMASKMOVPS  Y14, Y12, (DI); \
	VMASKMOVPS  32(DI), Y13, Y14; \
	VMULPS      Y15, Y14, Y14; \
	VFMADD231PS 0(SP), acc1, Y14; \
	VMASKMOVPS  Y14, Y13, 32(DI); \
	ADDQ        SI, DI

	STORE256BM(Y0, Y1)
	CMPQ R13, $1
	JEQ  gemmKernelAVX2_done
	STORE256BM(Y2, Y3)
	CMPQ R13, $2
	JEQ  gemmKernelAVX2_done
	STORE256BM(Y4, Y5)
	CMPQ R13, $3
	JEQ  gemmKernelAVX2_done
	STORE256BM(Y6, Y7)
	CMPQ R13, $4
	JEQ  gemmKernelAVX2_done
	STORE256BM(Y8, Y9)
	CMPQ R13, $5
	JEQ  gemmKernelAVX2_done
	STORE256BM(Y10, Y11)
	JMP  gemmKernelAVX2_done

	// beta == 0: C = alpha·acc, C is not read.
gemmKernelAVX2_store0:
	VBROADCASTSS alpha+128(FP), Y14
	VMULPS       Y14, Y0, Y0
	VMULPS       Y14, Y1, Y1
	VMULPS       Y14, Y2, Y2
	VMULPS       Y14, Y3, Y3
	VMULPS       Y14, Y4, Y4
	VMULPS       Y14, Y5, Y5
	VMULPS       Y14, Y6, Y6
	VMULPS       Y14, Y7, Y7
	VMULPS       Y14, Y8, Y8
	VMULPS       Y14, Y9, Y9
	VMULPS       Y14, Y10, Y10
	VMULPS       Y14, Y11, Y11
	CMPQ         R14, $16
	JNE          gemmKernelAVX2_store0mask
	CMPQ         R13, $6
	JNE          gemmKernelAVX2_store0mask
	VMOVUPS      Y0, (DI)
	VMOVUPS      Y1, 32(DI)
	ADDQ         SI, DI
	VMOVUPS      Y2, (DI)
	VMOVUPS      Y3, 32(DI)
	ADDQ         SI, DI
	VMOVUPS      Y4, (DI)
	VMOVUPS      Y5, 32(DI)
	ADDQ         SI, DI
	VMOVUPS      Y6, (DI)
	VMOVUPS      Y7, 32(DI)
	ADDQ         SI, DI
	VMOVUPS      Y8, (DI)
	VMOVUPS      Y9, 32(DI)
	ADDQ         SI, DI
	VMOVUPS      Y10, (DI)
	VMOVUPS      Y11, 32(DI)
	JMP          gemmKernelAVX2_done

#define STORE256Z(acc0, acc1) \
	VMASKMOVPS acc0, Y12, (DI); \
	VMASKMOVPS acc1, Y13, 32(DI); \
	ADDQ       SI, DI

gemmKernelAVX2_store0mask:
	VMOVUPS (R12), Y12
	VMOVUPS 32(R12), Y13
	STORE256Z(Y0, Y1)
	CMPQ R13, $1
	JEQ  gemmKernelAVX2_done
	STORE256Z(Y2, Y3)
	CMPQ R13, $2
	JEQ  gemmKernelAVX2_done
	STORE256Z(Y4, Y5)
	CMPQ R13, $3
	JEQ  gemmKernelAVX2_done
	STORE256Z(Y6, Y7)
	CMPQ R13, $4
	JEQ  gemmKernelAVX2_done
	STORE256Z(Y8, Y9)
	CMPQ R13, $5
	JEQ  gemmKernelAVX2_done
	STORE256Z(Y10, Y11)

gemmKernelAVX2_done:
	VZEROUPPER
	RET
