//go:build !purego

#include "textflag.h"

// BLAS-1 kernels and reductions: axpy, scal, dot, sumSquares, colSums, in
// AVX2+FMA3 and AVX-512 versions. The Go declarations in blas1_amd64.go state
// what each computes and its preconditions (every slice non-empty).
//
// No kernel touches a byte outside its slices. The AVX2 kernels finish with
// a scalar loop (colSumsAVX2 with VMASKMOVPS); the AVX-512 kernels finish
// with K-masked loads and stores, which never fault on masked-off lanes.
// axpy and scal first align their store pointer (scalar or masked head);
// the reductions do not, so that their order of summation, and hence their
// result, depends on n only and not on where the data lie.
//
// Scalar loops load each element with VMOVSS before the arithmetic instead
// of using a memory operand: QEMU's TCG (as in CI's qemu-x86_64 -cpu
// Haswell) emulates VFMADD231SS/VMULSS m32 as a 16-byte load, which reads past
// the end of a slice and faults at a guard page.
//
// Registers: SI and DI point at the inputs and outputs, CX counts elements,
// BX counts unrolled blocks, AX, DX and R8–R14 are scratch. BP and R15 are
// not used.

// colSumsRowBlock is the number of rows colSumsAVX2 and colSumsAVX512 add
// per pass over the full column chunks. 8 measured best of 4…128 on the
// development machine (rows=64 and 1024 with cols=1024).
#define colSumsRowBlock 8

// b1Iota<>: the int32 lane numbers 0…31, for the VMASKMOVPS masks of
// colSumsAVX2 (lane l of register k is live when l+8k < remaining columns).
DATA b1Iota<>+0(SB)/4, $0
DATA b1Iota<>+4(SB)/4, $1
DATA b1Iota<>+8(SB)/4, $2
DATA b1Iota<>+12(SB)/4, $3
DATA b1Iota<>+16(SB)/4, $4
DATA b1Iota<>+20(SB)/4, $5
DATA b1Iota<>+24(SB)/4, $6
DATA b1Iota<>+28(SB)/4, $7
DATA b1Iota<>+32(SB)/4, $8
DATA b1Iota<>+36(SB)/4, $9
DATA b1Iota<>+40(SB)/4, $10
DATA b1Iota<>+44(SB)/4, $11
DATA b1Iota<>+48(SB)/4, $12
DATA b1Iota<>+52(SB)/4, $13
DATA b1Iota<>+56(SB)/4, $14
DATA b1Iota<>+60(SB)/4, $15
DATA b1Iota<>+64(SB)/4, $16
DATA b1Iota<>+68(SB)/4, $17
DATA b1Iota<>+72(SB)/4, $18
DATA b1Iota<>+76(SB)/4, $19
DATA b1Iota<>+80(SB)/4, $20
DATA b1Iota<>+84(SB)/4, $21
DATA b1Iota<>+88(SB)/4, $22
DATA b1Iota<>+92(SB)/4, $23
DATA b1Iota<>+96(SB)/4, $24
DATA b1Iota<>+100(SB)/4, $25
DATA b1Iota<>+104(SB)/4, $26
DATA b1Iota<>+108(SB)/4, $27
DATA b1Iota<>+112(SB)/4, $28
DATA b1Iota<>+116(SB)/4, $29
DATA b1Iota<>+120(SB)/4, $30
DATA b1Iota<>+124(SB)/4, $31
GLOBL b1Iota<>(SB), RODATA|NOPTR, $128

// ---------------------------------------------------------------- axpy

// func axpyAVX2(alpha float32, x []float32, y []float32)
// Requires: AVX, AVX2, CMOV, FMA3
TEXT ·axpyAVX2(SB), NOSPLIT, $0-56
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	VBROADCASTSS alpha+0(FP), Y0

	// Head: scalar FMAs up to the next 32-byte boundary of y, so that the
	// vector stores never split a cache line. Results do not depend on it.
	MOVQ    DI, AX
	NEGQ    AX
	SHRQ    $2, AX
	ANDQ    $7, AX               // AX = elements before y is 32-byte aligned
	JZ      axpyAVX2_body
	CMPQ    AX, CX
	CMOVQGT CX, AX               // AX = min(AX, n)
	SUBQ    AX, CX

axpyAVX2_head:
	VMOVSS      (DI), X1
	VMOVSS      (SI), X2
	VFMADD231SS X2, X0, X1
	VMOVSS      X1, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        AX
	JNZ         axpyAVX2_head

axpyAVX2_body:
	MOVQ CX, BX
	SHRQ $5, BX
	JZ   axpyAVX2_tail8

axpyAVX2_loop32:
	VMOVUPS     (DI), Y1
	VMOVUPS     32(DI), Y2
	VMOVUPS     64(DI), Y3
	VMOVUPS     96(DI), Y4
	VFMADD231PS (SI), Y0, Y1
	VFMADD231PS 32(SI), Y0, Y2
	VFMADD231PS 64(SI), Y0, Y3
	VFMADD231PS 96(SI), Y0, Y4
	VMOVUPS     Y1, (DI)
	VMOVUPS     Y2, 32(DI)
	VMOVUPS     Y3, 64(DI)
	VMOVUPS     Y4, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	DECQ        BX
	JNZ         axpyAVX2_loop32

axpyAVX2_tail8:
	ANDQ $31, CX
	MOVQ CX, BX
	SHRQ $3, BX
	JZ   axpyAVX2_tail1

axpyAVX2_loop8:
	VMOVUPS     (DI), Y1
	VFMADD231PS (SI), Y0, Y1
	VMOVUPS     Y1, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        BX
	JNZ         axpyAVX2_loop8

axpyAVX2_tail1:
	ANDQ $7, CX
	JZ   axpyAVX2_done

axpyAVX2_loop1:
	VMOVSS      (DI), X1
	VMOVSS      (SI), X2
	VFMADD231SS X2, X0, X1
	VMOVSS      X1, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNZ         axpyAVX2_loop1

axpyAVX2_done:
	VZEROUPPER
	RET

// func axpyAVX512(alpha float32, x []float32, y []float32)
// Requires: AVX512F, CMOV
TEXT ·axpyAVX512(SB), NOSPLIT, $0-56
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	MOVQ         y_base+32(FP), DI
	VBROADCASTSS alpha+0(FP), Z0

	// Head: one masked FMA up to the next 64-byte boundary of y, so that
	// the vector stores never split a cache line. Results do not depend on it.
	MOVQ        DI, AX
	NEGQ        AX
	SHRQ        $2, AX
	ANDQ        $15, AX          // AX = elements before y is 64-byte aligned
	JZ          axpyAVX512_body
	CMPQ        AX, CX
	CMOVQGT     CX, AX           // AX = min(AX, n)
	SUBQ        AX, CX
	MOVQ        CX, R11
	MOVQ        AX, CX
	MOVL        $1, DX
	SHLL        CX, DX
	DECL        DX
	KMOVW       DX, K1           // K1 = the AX head lanes
	MOVQ        R11, CX
	VMOVUPS.Z   (DI), K1, Z1
	VMOVUPS.Z   (SI), K1, Z2
	VFMADD231PS Z2, Z0, Z1
	VMOVUPS     Z1, K1, (DI)
	LEAQ        (SI)(AX*4), SI
	LEAQ        (DI)(AX*4), DI

axpyAVX512_body:
	MOVQ CX, BX
	SHRQ $6, BX
	JZ   axpyAVX512_tail16

axpyAVX512_loop64:
	VMOVUPS     (DI), Z1
	VMOVUPS     64(DI), Z2
	VMOVUPS     128(DI), Z3
	VMOVUPS     192(DI), Z4
	VFMADD231PS (SI), Z0, Z1
	VFMADD231PS 64(SI), Z0, Z2
	VFMADD231PS 128(SI), Z0, Z3
	VFMADD231PS 192(SI), Z0, Z4
	VMOVUPS     Z1, (DI)
	VMOVUPS     Z2, 64(DI)
	VMOVUPS     Z3, 128(DI)
	VMOVUPS     Z4, 192(DI)
	ADDQ        $256, SI
	ADDQ        $256, DI
	DECQ        BX
	JNZ         axpyAVX512_loop64

axpyAVX512_tail16:
	ANDQ $63, CX
	MOVQ CX, BX
	SHRQ $4, BX
	JZ   axpyAVX512_tail

axpyAVX512_loop16:
	VMOVUPS     (DI), Z1
	VFMADD231PS (SI), Z0, Z1
	VMOVUPS     Z1, (DI)
	ADDQ        $64, SI
	ADDQ        $64, DI
	DECQ        BX
	JNZ         axpyAVX512_loop16

axpyAVX512_tail:
	ANDQ        $15, CX
	JZ          axpyAVX512_done
	MOVL        $1, AX
	SHLL        CX, AX
	DECL        AX
	KMOVW       AX, K1              // K1 = the CX live lanes
	VMOVUPS.Z   (DI), K1, Z1
	VMOVUPS.Z   (SI), K1, Z2
	VFMADD231PS Z2, Z0, Z1
	VMOVUPS     Z1, K1, (DI)

axpyAVX512_done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------- scal

// func scalAVX2(alpha float32, x []float32)
// Requires: AVX, AVX2, CMOV
TEXT ·scalAVX2(SB), NOSPLIT, $0-32
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	VBROADCASTSS alpha+0(FP), Y0

	// Head: scalar products up to the next 32-byte boundary of x.
	MOVQ    SI, AX
	NEGQ    AX
	SHRQ    $2, AX
	ANDQ    $7, AX
	JZ      scalAVX2_body
	CMPQ    AX, CX
	CMOVQGT CX, AX
	SUBQ    AX, CX

scalAVX2_head:
	VMOVSS (SI), X1
	VMULSS X1, X0, X1
	VMOVSS X1, (SI)
	ADDQ   $4, SI
	DECQ   AX
	JNZ    scalAVX2_head

scalAVX2_body:
	MOVQ CX, BX
	SHRQ $5, BX
	JZ   scalAVX2_tail8

scalAVX2_loop32:
	VMULPS  (SI), Y0, Y1
	VMULPS  32(SI), Y0, Y2
	VMULPS  64(SI), Y0, Y3
	VMULPS  96(SI), Y0, Y4
	VMOVUPS Y1, (SI)
	VMOVUPS Y2, 32(SI)
	VMOVUPS Y3, 64(SI)
	VMOVUPS Y4, 96(SI)
	ADDQ    $128, SI
	DECQ    BX
	JNZ     scalAVX2_loop32

scalAVX2_tail8:
	ANDQ $31, CX
	MOVQ CX, BX
	SHRQ $3, BX
	JZ   scalAVX2_tail1

scalAVX2_loop8:
	VMULPS  (SI), Y0, Y1
	VMOVUPS Y1, (SI)
	ADDQ    $32, SI
	DECQ    BX
	JNZ     scalAVX2_loop8

scalAVX2_tail1:
	ANDQ $7, CX
	JZ   scalAVX2_done

scalAVX2_loop1:
	VMOVSS (SI), X1
	VMULSS X1, X0, X1
	VMOVSS X1, (SI)
	ADDQ   $4, SI
	DECQ   CX
	JNZ    scalAVX2_loop1

scalAVX2_done:
	VZEROUPPER
	RET

// func scalAVX512(alpha float32, x []float32)
// Requires: AVX512F, CMOV
TEXT ·scalAVX512(SB), NOSPLIT, $0-32
	MOVQ         x_base+8(FP), SI
	MOVQ         x_len+16(FP), CX
	VBROADCASTSS alpha+0(FP), Z0

	// Head: one masked product up to the next 64-byte boundary of x.
	MOVQ      SI, AX
	NEGQ      AX
	SHRQ      $2, AX
	ANDQ      $15, AX
	JZ        scalAVX512_body
	CMPQ      AX, CX
	CMOVQGT   CX, AX
	SUBQ      AX, CX
	MOVQ      CX, R11
	MOVQ      AX, CX
	MOVL      $1, DX
	SHLL      CX, DX
	DECL      DX
	KMOVW     DX, K1
	MOVQ      R11, CX
	VMOVUPS.Z (SI), K1, Z1
	VMULPS    Z1, Z0, Z1
	VMOVUPS   Z1, K1, (SI)
	LEAQ      (SI)(AX*4), SI

scalAVX512_body:
	MOVQ CX, BX
	SHRQ $6, BX
	JZ   scalAVX512_tail16

scalAVX512_loop64:
	VMULPS  (SI), Z0, Z1
	VMULPS  64(SI), Z0, Z2
	VMULPS  128(SI), Z0, Z3
	VMULPS  192(SI), Z0, Z4
	VMOVUPS Z1, (SI)
	VMOVUPS Z2, 64(SI)
	VMOVUPS Z3, 128(SI)
	VMOVUPS Z4, 192(SI)
	ADDQ    $256, SI
	DECQ    BX
	JNZ     scalAVX512_loop64

scalAVX512_tail16:
	ANDQ $63, CX
	MOVQ CX, BX
	SHRQ $4, BX
	JZ   scalAVX512_tail

scalAVX512_loop16:
	VMULPS  (SI), Z0, Z1
	VMOVUPS Z1, (SI)
	ADDQ    $64, SI
	DECQ    BX
	JNZ     scalAVX512_loop16

scalAVX512_tail:
	ANDQ      $15, CX
	JZ        scalAVX512_done
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K1
	VMOVUPS.Z (SI), K1, Z1
	VMULPS    Z1, Z0, Z1
	VMOVUPS   Z1, K1, (SI)

scalAVX512_done:
	VZEROUPPER
	RET

// ---------------------------------------------------------------- dot

// func dotAVX2(x []float32, y []float32) float32
// Requires: AVX, AVX2, FMA3
TEXT ·dotAVX2(SB), NOSPLIT, $0-52
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	MOVQ   CX, BX
	SHRQ   $6, BX
	JZ     dotAVX2_tail8

dotAVX2_loop64:
	VMOVUPS     (SI), Y8
	VMOVUPS     32(SI), Y9
	VMOVUPS     64(SI), Y10
	VMOVUPS     96(SI), Y11
	VMOVUPS     128(SI), Y12
	VMOVUPS     160(SI), Y13
	VMOVUPS     192(SI), Y14
	VMOVUPS     224(SI), Y15
	VFMADD231PS (DI), Y8, Y0
	VFMADD231PS 32(DI), Y9, Y1
	VFMADD231PS 64(DI), Y10, Y2
	VFMADD231PS 96(DI), Y11, Y3
	VFMADD231PS 128(DI), Y12, Y4
	VFMADD231PS 160(DI), Y13, Y5
	VFMADD231PS 192(DI), Y14, Y6
	VFMADD231PS 224(DI), Y15, Y7
	ADDQ        $256, SI
	ADDQ        $256, DI
	DECQ        BX
	JNZ         dotAVX2_loop64

	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3

dotAVX2_tail8:
	ANDQ $63, CX
	MOVQ CX, BX
	SHRQ $3, BX
	JZ   dotAVX2_reduce

dotAVX2_loop8:
	VMOVUPS     (SI), Y8
	VFMADD231PS (DI), Y8, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	DECQ        BX
	JNZ         dotAVX2_loop8

dotAVX2_reduce:
	// Sum the accumulators into the low lane of X0 before the scalar tail,
	// whose VEX scalar FMA clears the upper half of Y0.
	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0
	ANDQ         $7, CX
	JZ           dotAVX2_done

dotAVX2_loop1:
	VMOVSS      (SI), X8
	VMOVSS      (DI), X9
	VFMADD231SS X9, X8, X0
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNZ         dotAVX2_loop1

dotAVX2_done:
	VMOVSS X0, ret+48(FP)
	VZEROUPPER
	RET

// func dotAVX512(x []float32, y []float32) float32
// Requires: AVX, AVX512F
TEXT ·dotAVX512(SB), NOSPLIT, $0-52
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   y_base+24(FP), DI
	VXORPS X0, X0, X0           // a VEX write of X clears the whole Z register
	VXORPS X1, X1, X1
	VXORPS X2, X2, X2
	VXORPS X3, X3, X3
	VXORPS X4, X4, X4
	VXORPS X5, X5, X5
	VXORPS X6, X6, X6
	VXORPS X7, X7, X7
	MOVQ   CX, BX
	SHRQ   $7, BX
	JZ     dotAVX512_tail16

dotAVX512_loop128:
	VMOVUPS     (SI), Z8
	VMOVUPS     64(SI), Z9
	VMOVUPS     128(SI), Z10
	VMOVUPS     192(SI), Z11
	VMOVUPS     256(SI), Z12
	VMOVUPS     320(SI), Z13
	VMOVUPS     384(SI), Z14
	VMOVUPS     448(SI), Z15
	VFMADD231PS (DI), Z8, Z0
	VFMADD231PS 64(DI), Z9, Z1
	VFMADD231PS 128(DI), Z10, Z2
	VFMADD231PS 192(DI), Z11, Z3
	VFMADD231PS 256(DI), Z12, Z4
	VFMADD231PS 320(DI), Z13, Z5
	VFMADD231PS 384(DI), Z14, Z6
	VFMADD231PS 448(DI), Z15, Z7
	ADDQ        $512, SI
	ADDQ        $512, DI
	DECQ        BX
	JNZ         dotAVX512_loop128

	VADDPS Z4, Z0, Z0
	VADDPS Z5, Z1, Z1
	VADDPS Z6, Z2, Z2
	VADDPS Z7, Z3, Z3

dotAVX512_tail16:
	ANDQ $127, CX
	MOVQ CX, BX
	SHRQ $4, BX
	JZ   dotAVX512_tail

dotAVX512_loop16:
	VMOVUPS     (SI), Z8
	VFMADD231PS (DI), Z8, Z0
	ADDQ        $64, SI
	ADDQ        $64, DI
	DECQ        BX
	JNZ         dotAVX512_loop16

dotAVX512_tail:
	ANDQ        $15, CX
	JZ          dotAVX512_reduce
	MOVL        $1, AX
	SHLL        CX, AX
	DECL        AX
	KMOVW       AX, K1
	VMOVUPS.Z   (SI), K1, Z8
	VMOVUPS.Z   (DI), K1, Z9
	VFMADD231PS Z9, Z8, Z1

dotAVX512_reduce:
	VADDPS        Z1, Z0, Z0
	VADDPS        Z3, Z2, Z2
	VADDPS        Z2, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPS        X1, X0, X0
	VMOVHLPS      X0, X0, X1
	VADDPS        X1, X0, X0
	VMOVSHDUP     X0, X1
	VADDSS        X1, X0, X0
	VMOVSS        X0, ret+48(FP)
	VZEROUPPER
	RET

// ---------------------------------------------------------------- sumSquares

// func sumSquaresAVX2(x []float32) float64
// Requires: AVX, AVX2, FMA3
TEXT ·sumSquaresAVX2(SB), NOSPLIT, $0-32
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	MOVQ   CX, BX
	SHRQ   $5, BX
	JZ     sumSquaresAVX2_tail4

sumSquaresAVX2_loop32:
	VCVTPS2PD   (SI), Y8         // four float32 → four exact float64
	VCVTPS2PD   16(SI), Y9
	VCVTPS2PD   32(SI), Y10
	VCVTPS2PD   48(SI), Y11
	VCVTPS2PD   64(SI), Y12
	VCVTPS2PD   80(SI), Y13
	VCVTPS2PD   96(SI), Y14
	VCVTPS2PD   112(SI), Y15
	VFMADD231PD Y8, Y8, Y0       // exact square, one rounding in the sum
	VFMADD231PD Y9, Y9, Y1
	VFMADD231PD Y10, Y10, Y2
	VFMADD231PD Y11, Y11, Y3
	VFMADD231PD Y12, Y12, Y4
	VFMADD231PD Y13, Y13, Y5
	VFMADD231PD Y14, Y14, Y6
	VFMADD231PD Y15, Y15, Y7
	ADDQ        $128, SI
	DECQ        BX
	JNZ         sumSquaresAVX2_loop32

	VADDPD Y4, Y0, Y0
	VADDPD Y5, Y1, Y1
	VADDPD Y6, Y2, Y2
	VADDPD Y7, Y3, Y3

sumSquaresAVX2_tail4:
	ANDQ $31, CX
	MOVQ CX, BX
	SHRQ $2, BX
	JZ   sumSquaresAVX2_reduce

sumSquaresAVX2_loop4:
	VCVTPS2PD   (SI), Y8
	VFMADD231PD Y8, Y8, Y0
	ADDQ        $16, SI
	DECQ        BX
	JNZ         sumSquaresAVX2_loop4

sumSquaresAVX2_reduce:
	VADDPD       Y1, Y0, Y0
	VADDPD       Y3, Y2, Y2
	VADDPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VUNPCKHPD    X0, X0, X1
	VADDSD       X1, X0, X0
	ANDQ         $3, CX
	JZ           sumSquaresAVX2_done

sumSquaresAVX2_loop1:
	VMOVSS      (SI), X8
	VCVTSS2SD   X8, X8, X8
	VFMADD231SD X8, X8, X0
	ADDQ        $4, SI
	DECQ        CX
	JNZ         sumSquaresAVX2_loop1

sumSquaresAVX2_done:
	VMOVSD X0, ret+24(FP)
	VZEROUPPER
	RET

// func sumSquaresAVX512(x []float32) float64
// Requires: AVX, AVX512F, AVX512VL
TEXT ·sumSquaresAVX512(SB), NOSPLIT, $0-32
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	VXORPD X0, X0, X0
	VXORPD X1, X1, X1
	VXORPD X2, X2, X2
	VXORPD X3, X3, X3
	VXORPD X4, X4, X4
	VXORPD X5, X5, X5
	VXORPD X6, X6, X6
	VXORPD X7, X7, X7
	MOVQ   CX, BX
	SHRQ   $6, BX
	JZ     sumSquaresAVX512_tail8

sumSquaresAVX512_loop64:
	VCVTPS2PD   (SI), Z8         // eight float32 → eight exact float64
	VCVTPS2PD   32(SI), Z9
	VCVTPS2PD   64(SI), Z10
	VCVTPS2PD   96(SI), Z11
	VCVTPS2PD   128(SI), Z12
	VCVTPS2PD   160(SI), Z13
	VCVTPS2PD   192(SI), Z14
	VCVTPS2PD   224(SI), Z15
	VFMADD231PD Z8, Z8, Z0
	VFMADD231PD Z9, Z9, Z1
	VFMADD231PD Z10, Z10, Z2
	VFMADD231PD Z11, Z11, Z3
	VFMADD231PD Z12, Z12, Z4
	VFMADD231PD Z13, Z13, Z5
	VFMADD231PD Z14, Z14, Z6
	VFMADD231PD Z15, Z15, Z7
	ADDQ        $256, SI
	DECQ        BX
	JNZ         sumSquaresAVX512_loop64

	VADDPD Z4, Z0, Z0
	VADDPD Z5, Z1, Z1
	VADDPD Z6, Z2, Z2
	VADDPD Z7, Z3, Z3

sumSquaresAVX512_tail8:
	ANDQ $63, CX
	MOVQ CX, BX
	SHRQ $3, BX
	JZ   sumSquaresAVX512_tail

sumSquaresAVX512_loop8:
	VCVTPS2PD   (SI), Z8
	VFMADD231PD Z8, Z8, Z0
	ADDQ        $32, SI
	DECQ        BX
	JNZ         sumSquaresAVX512_loop8

sumSquaresAVX512_tail:
	ANDQ        $7, CX
	JZ          sumSquaresAVX512_reduce
	MOVL        $1, AX
	SHLL        CX, AX
	DECL        AX
	KMOVW       AX, K1
	VMOVUPS.Z   (SI), K1, Y8     // masked-off lanes are 0 and never read
	VCVTPS2PD   Y8, Z8
	VFMADD231PD Z8, Z8, Z1

sumSquaresAVX512_reduce:
	VADDPD        Z1, Z0, Z0
	VADDPD        Z3, Z2, Z2
	VADDPD        Z2, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VUNPCKHPD     X0, X0, X1
	VADDSD        X1, X0, X0
	VMOVSD        X0, ret+24(FP)
	VZEROUPPER
	RET

// ---------------------------------------------------------------- colSums

// Columns go in chunks of 32 (four Y accumulators): the chunk is loaded from
// row 0, then rows 1…rows−1 are added in order (full chunks in blocks of
// colSumsRowBlock rows, through dst), so every lane does exactly the
// additions of colSumsGeneric. The last chunk of fewer than 32 columns
// takes all rows at once and loads and stores through VMASKMOVPS masks
// (masked-off lanes are neither read nor written, and never fault).
//
// func colSumsAVX2(dst []float32, a []float32, rows int, cols int, lda int)
// Requires: AVX, AVX2, CMOV
TEXT ·colSumsAVX2(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ a_base+24(FP), SI
	MOVQ rows+48(FP), R10
	DECQ R10                     // R10 = rows − 1 additions per column
	MOVQ cols+56(FP), DX         // DX = columns left
	MOVQ lda+64(FP), R8
	SHLQ $2, R8                  // R8 = row stride in bytes

	// The full chunks of 32 columns (R13 bytes of each row) go through the
	// rows in blocks of colSumsRowBlock rows: each chunk is added up over
	// the block in Y0–Y3, then stored to dst and reloaded for the next
	// block, which rounds exactly as keeping it in registers. Row blocks
	// keep a few rows streaming in order instead of all rows at once, which
	// power-of-two strides (lda = 1024) make slow.
	MOVQ    DX, R13
	ANDQ    $~31, R13
	JZ      colSumsAVX2_last
	SHLQ    $2, R13              // R13 = bytes of full chunks per row
	MOVQ    rows+48(FP), R12     // R12 = rows left
	MOVQ    SI, R11              // R11 = first row of the block
	MOVQ    $colSumsRowBlock, BX
	CMPQ    BX, R12
	CMOVQGT R12, BX              // BX = rows in this block
	XORQ    R14, R14             // R14 = byte offset of the chunk

colSumsAVX2_first:
	LEAQ    (R11)(R14*1), R9
	VMOVUPS (R9), Y0
	VMOVUPS 32(R9), Y1
	VMOVUPS 64(R9), Y2
	VMOVUPS 96(R9), Y3
	ADDQ    R8, R9
	LEAQ    -1(BX), CX
	TESTQ   CX, CX
	JZ      colSumsAVX2_firststore

colSumsAVX2_firstrow:
	VADDPS (R9), Y0, Y0
	VADDPS 32(R9), Y1, Y1
	VADDPS 64(R9), Y2, Y2
	VADDPS 96(R9), Y3, Y3
	ADDQ   R8, R9
	DECQ   CX
	JNZ    colSumsAVX2_firstrow

colSumsAVX2_firststore:
	VMOVUPS Y0, (DI)(R14*1)
	VMOVUPS Y1, 32(DI)(R14*1)
	VMOVUPS Y2, 64(DI)(R14*1)
	VMOVUPS Y3, 96(DI)(R14*1)
	ADDQ    $128, R14
	CMPQ    R14, R13
	JLT     colSumsAVX2_first

colSumsAVX2_nextblock:
	SUBQ    BX, R12
	JZ      colSumsAVX2_chunksdone
	MOVQ    BX, AX
	IMULQ   R8, AX
	ADDQ    AX, R11              // R11 = first row of the next block
	MOVQ    $colSumsRowBlock, BX
	CMPQ    BX, R12
	CMOVQGT R12, BX
	XORQ    R14, R14

colSumsAVX2_next:
	LEAQ    (R11)(R14*1), R9
	VMOVUPS (DI)(R14*1), Y0
	VMOVUPS 32(DI)(R14*1), Y1
	VMOVUPS 64(DI)(R14*1), Y2
	VMOVUPS 96(DI)(R14*1), Y3
	MOVQ    BX, CX

colSumsAVX2_nextrow:
	VADDPS (R9), Y0, Y0
	VADDPS 32(R9), Y1, Y1
	VADDPS 64(R9), Y2, Y2
	VADDPS 96(R9), Y3, Y3
	ADDQ   R8, R9
	DECQ   CX
	JNZ    colSumsAVX2_nextrow
	VMOVUPS Y0, (DI)(R14*1)
	VMOVUPS Y1, 32(DI)(R14*1)
	VMOVUPS Y2, 64(DI)(R14*1)
	VMOVUPS Y3, 96(DI)(R14*1)
	ADDQ    $128, R14
	CMPQ    R14, R13
	JLT     colSumsAVX2_next
	JMP     colSumsAVX2_nextblock

colSumsAVX2_chunksdone:
	ADDQ R13, SI
	ADDQ R13, DI
	ANDQ $31, DX
	JZ   colSumsAVX2_done

colSumsAVX2_last:
	// 0 < DX < 32 columns left, in 1 to 4 registers. Lane l of register k
	// is live when 8k+l < DX; masked-off lanes are neither read nor
	// written, and registers with no live lane are left out altogether.
	MOVQ         DX, X8
	VPBROADCASTD X8, Y8
	VPCMPGTD     b1Iota<>+0(SB), Y8, Y12
	VPCMPGTD     b1Iota<>+32(SB), Y8, Y13
	VPCMPGTD     b1Iota<>+64(SB), Y8, Y14
	VPCMPGTD     b1Iota<>+96(SB), Y8, Y15
	MOVQ         SI, R9
	MOVQ         R10, CX
	CMPQ         DX, $8
	JLE          colSumsAVX2_last1
	CMPQ         DX, $16
	JLE          colSumsAVX2_last2
	CMPQ         DX, $24
	JLE          colSumsAVX2_last3

colSumsAVX2_last4:
	VMASKMOVPS (R9), Y12, Y0
	VMASKMOVPS 32(R9), Y13, Y1
	VMASKMOVPS 64(R9), Y14, Y2
	VMASKMOVPS 96(R9), Y15, Y3
	TESTQ      CX, CX
	JZ         colSumsAVX2_last4store

colSumsAVX2_last4row:
	ADDQ       R8, R9
	VMASKMOVPS (R9), Y12, Y4
	VMASKMOVPS 32(R9), Y13, Y5
	VMASKMOVPS 64(R9), Y14, Y6
	VMASKMOVPS 96(R9), Y15, Y7
	VADDPS     Y4, Y0, Y0
	VADDPS     Y5, Y1, Y1
	VADDPS     Y6, Y2, Y2
	VADDPS     Y7, Y3, Y3
	DECQ       CX
	JNZ        colSumsAVX2_last4row

colSumsAVX2_last4store:
	VMASKMOVPS Y0, Y12, (DI)
	VMASKMOVPS Y1, Y13, 32(DI)
	VMASKMOVPS Y2, Y14, 64(DI)
	VMASKMOVPS Y3, Y15, 96(DI)
	JMP        colSumsAVX2_done

colSumsAVX2_last1:
	VMASKMOVPS (R9), Y12, Y0
	TESTQ      CX, CX
	JZ         colSumsAVX2_last1store

colSumsAVX2_last1row:
	ADDQ       R8, R9
	VMASKMOVPS (R9), Y12, Y4
	VADDPS     Y4, Y0, Y0
	DECQ       CX
	JNZ        colSumsAVX2_last1row

colSumsAVX2_last1store:
	VMASKMOVPS Y0, Y12, (DI)
	JMP        colSumsAVX2_done

colSumsAVX2_last2:
	VMASKMOVPS (R9), Y12, Y0
	VMASKMOVPS 32(R9), Y13, Y1
	TESTQ      CX, CX
	JZ         colSumsAVX2_last2store

colSumsAVX2_last2row:
	ADDQ       R8, R9
	VMASKMOVPS (R9), Y12, Y4
	VMASKMOVPS 32(R9), Y13, Y5
	VADDPS     Y4, Y0, Y0
	VADDPS     Y5, Y1, Y1
	DECQ       CX
	JNZ        colSumsAVX2_last2row

colSumsAVX2_last2store:
	VMASKMOVPS Y0, Y12, (DI)
	VMASKMOVPS Y1, Y13, 32(DI)
	JMP        colSumsAVX2_done

colSumsAVX2_last3:
	VMASKMOVPS (R9), Y12, Y0
	VMASKMOVPS 32(R9), Y13, Y1
	VMASKMOVPS 64(R9), Y14, Y2
	TESTQ      CX, CX
	JZ         colSumsAVX2_last3store

colSumsAVX2_last3row:
	ADDQ       R8, R9
	VMASKMOVPS (R9), Y12, Y4
	VMASKMOVPS 32(R9), Y13, Y5
	VMASKMOVPS 64(R9), Y14, Y6
	VADDPS     Y4, Y0, Y0
	VADDPS     Y5, Y1, Y1
	VADDPS     Y6, Y2, Y2
	DECQ       CX
	JNZ        colSumsAVX2_last3row

colSumsAVX2_last3store:
	VMASKMOVPS Y0, Y12, (DI)
	VMASKMOVPS Y1, Y13, 32(DI)
	VMASKMOVPS Y2, Y14, 64(DI)
	JMP        colSumsAVX2_done

colSumsAVX2_done:
	VZEROUPPER
	RET

// As colSumsAVX2 with chunks of 64 columns (four Z accumulators); the last
// chunk uses the K masks of a 64-bit lane mask, 16 bits per register.
//
// func colSumsAVX512(dst []float32, a []float32, rows int, cols int, lda int)
// Requires: AVX512BW, AVX512F, CMOV
TEXT ·colSumsAVX512(SB), NOSPLIT, $0-72
	MOVQ dst_base+0(FP), DI
	MOVQ a_base+24(FP), SI
	MOVQ rows+48(FP), R10
	DECQ R10
	MOVQ cols+56(FP), DX
	MOVQ lda+64(FP), R8
	SHLQ $2, R8

	// The full chunks of 64 columns (R13 bytes of each row) go through the
	// rows in blocks of colSumsRowBlock rows: each chunk is added up over
	// the block in Z0–Z3, then stored to dst and reloaded for the next
	// block, which rounds exactly as keeping it in registers. Row blocks
	// keep a few rows streaming in order instead of all rows at once, which
	// power-of-two strides (lda = 1024) make slow.
	MOVQ    DX, R13
	ANDQ    $~63, R13
	JZ      colSumsAVX512_last
	SHLQ    $2, R13              // R13 = bytes of full chunks per row
	MOVQ    rows+48(FP), R12     // R12 = rows left
	MOVQ    SI, R11              // R11 = first row of the block
	MOVQ    $colSumsRowBlock, BX
	CMPQ    BX, R12
	CMOVQGT R12, BX              // BX = rows in this block
	XORQ    R14, R14             // R14 = byte offset of the chunk

colSumsAVX512_first:
	LEAQ    (R11)(R14*1), R9
	VMOVUPS (R9), Z0
	VMOVUPS 64(R9), Z1
	VMOVUPS 128(R9), Z2
	VMOVUPS 192(R9), Z3
	ADDQ    R8, R9
	LEAQ    -1(BX), CX
	TESTQ   CX, CX
	JZ      colSumsAVX512_firststore

colSumsAVX512_firstrow:
	VADDPS (R9), Z0, Z0
	VADDPS 64(R9), Z1, Z1
	VADDPS 128(R9), Z2, Z2
	VADDPS 192(R9), Z3, Z3
	ADDQ   R8, R9
	DECQ   CX
	JNZ    colSumsAVX512_firstrow

colSumsAVX512_firststore:
	VMOVUPS Z0, (DI)(R14*1)
	VMOVUPS Z1, 64(DI)(R14*1)
	VMOVUPS Z2, 128(DI)(R14*1)
	VMOVUPS Z3, 192(DI)(R14*1)
	ADDQ    $256, R14
	CMPQ    R14, R13
	JLT     colSumsAVX512_first

colSumsAVX512_nextblock:
	SUBQ    BX, R12
	JZ      colSumsAVX512_chunksdone
	MOVQ    BX, AX
	IMULQ   R8, AX
	ADDQ    AX, R11              // R11 = first row of the next block
	MOVQ    $colSumsRowBlock, BX
	CMPQ    BX, R12
	CMOVQGT R12, BX
	XORQ    R14, R14

colSumsAVX512_next:
	LEAQ    (R11)(R14*1), R9
	VMOVUPS (DI)(R14*1), Z0
	VMOVUPS 64(DI)(R14*1), Z1
	VMOVUPS 128(DI)(R14*1), Z2
	VMOVUPS 192(DI)(R14*1), Z3
	MOVQ    BX, CX

colSumsAVX512_nextrow:
	VADDPS (R9), Z0, Z0
	VADDPS 64(R9), Z1, Z1
	VADDPS 128(R9), Z2, Z2
	VADDPS 192(R9), Z3, Z3
	ADDQ   R8, R9
	DECQ   CX
	JNZ    colSumsAVX512_nextrow
	VMOVUPS Z0, (DI)(R14*1)
	VMOVUPS Z1, 64(DI)(R14*1)
	VMOVUPS Z2, 128(DI)(R14*1)
	VMOVUPS Z3, 192(DI)(R14*1)
	ADDQ    $256, R14
	CMPQ    R14, R13
	JLT     colSumsAVX512_next
	JMP     colSumsAVX512_nextblock

colSumsAVX512_chunksdone:
	ADDQ R13, SI
	ADDQ R13, DI
	ANDQ $63, DX
	JZ   colSumsAVX512_done

colSumsAVX512_last:
	// 0 < DX < 64 columns left, in 1 to 4 registers: K1…K4 hold bits 0–15,
	// 16–31, 32–47, 48–63 of 2^DX − 1. Registers with no live lane are left
	// out altogether (all-zero masked loads are slow).
	MOVQ     DX, CX
	MOVQ     $1, AX
	SHLQ     CX, AX
	DECQ     AX
	KMOVQ    AX, K1
	KSHIFTRQ $16, K1, K2
	KSHIFTRQ $32, K1, K3
	KSHIFTRQ $48, K1, K4
	MOVQ     SI, R9
	MOVQ     R10, CX
	CMPQ     DX, $16
	JLE      colSumsAVX512_last1
	CMPQ     DX, $32
	JLE      colSumsAVX512_last2
	CMPQ     DX, $48
	JLE      colSumsAVX512_last3

colSumsAVX512_last4:
	VMOVUPS.Z (R9), K1, Z0
	VMOVUPS.Z 64(R9), K2, Z1
	VMOVUPS.Z 128(R9), K3, Z2
	VMOVUPS.Z 192(R9), K4, Z3
	TESTQ     CX, CX
	JZ        colSumsAVX512_last4store

colSumsAVX512_last4row:
	ADDQ      R8, R9
	VMOVUPS.Z (R9), K1, Z4
	VMOVUPS.Z 64(R9), K2, Z5
	VMOVUPS.Z 128(R9), K3, Z6
	VMOVUPS.Z 192(R9), K4, Z7
	VADDPS    Z4, Z0, Z0
	VADDPS    Z5, Z1, Z1
	VADDPS    Z6, Z2, Z2
	VADDPS    Z7, Z3, Z3
	DECQ      CX
	JNZ       colSumsAVX512_last4row

colSumsAVX512_last4store:
	VMOVUPS Z0, K1, (DI)
	VMOVUPS Z1, K2, 64(DI)
	VMOVUPS Z2, K3, 128(DI)
	VMOVUPS Z3, K4, 192(DI)
	JMP     colSumsAVX512_done

colSumsAVX512_last1:
	VMOVUPS.Z (R9), K1, Z0
	TESTQ     CX, CX
	JZ        colSumsAVX512_last1store

colSumsAVX512_last1row:
	ADDQ      R8, R9
	VMOVUPS.Z (R9), K1, Z4
	VADDPS    Z4, Z0, Z0
	DECQ      CX
	JNZ       colSumsAVX512_last1row

colSumsAVX512_last1store:
	VMOVUPS Z0, K1, (DI)
	JMP     colSumsAVX512_done

colSumsAVX512_last2:
	VMOVUPS.Z (R9), K1, Z0
	VMOVUPS.Z 64(R9), K2, Z1
	TESTQ     CX, CX
	JZ        colSumsAVX512_last2store

colSumsAVX512_last2row:
	ADDQ      R8, R9
	VMOVUPS.Z (R9), K1, Z4
	VMOVUPS.Z 64(R9), K2, Z5
	VADDPS    Z4, Z0, Z0
	VADDPS    Z5, Z1, Z1
	DECQ      CX
	JNZ       colSumsAVX512_last2row

colSumsAVX512_last2store:
	VMOVUPS Z0, K1, (DI)
	VMOVUPS Z1, K2, 64(DI)
	JMP     colSumsAVX512_done

colSumsAVX512_last3:
	VMOVUPS.Z (R9), K1, Z0
	VMOVUPS.Z 64(R9), K2, Z1
	VMOVUPS.Z 128(R9), K3, Z2
	TESTQ     CX, CX
	JZ        colSumsAVX512_last3store

colSumsAVX512_last3row:
	ADDQ      R8, R9
	VMOVUPS.Z (R9), K1, Z4
	VMOVUPS.Z 64(R9), K2, Z5
	VMOVUPS.Z 128(R9), K3, Z6
	VADDPS    Z4, Z0, Z0
	VADDPS    Z5, Z1, Z1
	VADDPS    Z6, Z2, Z2
	DECQ      CX
	JNZ       colSumsAVX512_last3row

colSumsAVX512_last3store:
	VMOVUPS Z0, K1, (DI)
	VMOVUPS Z1, K2, 64(DI)
	VMOVUPS Z2, K3, 128(DI)
	JMP     colSumsAVX512_done

colSumsAVX512_done:
	VZEROUPPER
	RET
