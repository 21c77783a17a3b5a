//go:build !purego

#include "textflag.h"

// σ, σ′ and the δ step, for AVX-512 and AVX2+FMA3.
//
// Every kernel computes t = e^(−|z|) ∈ [0, 1] the same way:
//
//	x = min(|z|, 104)                  (NaN stays NaN; e^−104 < 2^−150, so t = 0 from here on)
//	n = round(−x·log2e)                (k = 1.5·2^23 − x·log2e in one FMA; n = k − 1.5·2^23 ∈ [−150, 0])
//	r = x + n·ln2hi + n·ln2lo          (two-constant Cody–Waite; n·ln2hi and x + n·ln2hi are exact)
//	p = 1 − r + c2r² + … + c6r⁶ ≈ e^−r (|r| ≤ ln2/2; minimax for relative error, 2^−27.8)
//	t = p·2^n                          (AVX-512: VSCALEFPS; AVX2: p·2^(n+64)·2^−64, exact when t is normal)
//
// then d = 1 + t and its rounding error e = (1 − d) + t (exact, as t ≤ 1), so
// that d + e = 1 + t exactly, and y ≈ 1/d from VRCP14PS/VRCPPS and one Newton
// step. A quotient num/(d+e) is computed as q0 = num·y, corrected once with
// the exact remainder: q = q0 + (num − q0·d − q0·e)·y. This gives
//
//	σ(z)  = num/(d+e)    with num = 1 for z ≥ 0 and num = t for z < 0 (sign bit set)
//	σ′(z) = t/(d+e)²     with (d+e)² = D + Dlo, D = d·d, Dlo = (d·d − D) + 2·d·e, q0 = t·y²
//
// Accuracy (checked exhaustively over all 2^32 inputs by
// TestSigmoidExhaustive): see sigmoid_amd64.go.

// Register use, AVX-512: Z16–Z28 hold the constants below (SIG_CONSTS512);
// a vector in flight uses five or six of Z0–Z15.
#define SIG_CONSTS512 \
	VBROADCASTSS sigAbs<>(SB), Z16; \
	VBROADCASTSS sigClamp<>(SB), Z17; \
	VBROADCASTSS sigLog2e<>(SB), Z18; \
	VBROADCASTSS sigShift<>(SB), Z19; \
	VBROADCASTSS sigLn2Hi<>(SB), Z20; \
	VBROADCASTSS sigLn2Lo<>(SB), Z21; \
	VBROADCASTSS sigC6<>(SB), Z22; \
	VBROADCASTSS sigC5<>(SB), Z23; \
	VBROADCASTSS sigC4<>(SB), Z24; \
	VBROADCASTSS sigC3<>(SB), Z25; \
	VBROADCASTSS sigC2<>(SB), Z26; \
	VBROADCASTSS sigMinusOne<>(SB), Z27; \
	VBROADCASTSS sigOne<>(SB), Z28

// SIG_EXP512 takes z in A and leaves e in A, d in B, t in C, y ≈ 1/d in D;
// E is scratch. VMINPS returns its second source (Intel order), x, when
// either is NaN.
#define SIG_EXP512(A, B, C, D, E) \
	VPANDD Z16, A, A; \
	VMINPS A, Z17, A; \
	VMOVAPS Z19, B; \
	VFNMADD231PS Z18, A, B; \
	VSUBPS Z19, B, B; \
	VFMADD231PS Z20, B, A; \
	VFMADD231PS Z21, B, A; \
	VMOVAPS Z22, C; \
	VFMADD213PS Z23, A, C; \
	VFMADD213PS Z24, A, C; \
	VFMADD213PS Z25, A, C; \
	VFMADD213PS Z26, A, C; \
	VFMADD213PS Z27, A, C; \
	VFMADD213PS Z28, A, C; \
	VSCALEFPS B, C, C; \
	VADDPS Z28, C, B; \
	VSUBPS B, Z28, A; \
	VADDPS C, A, A; \
	VRCP14PS B, D; \
	VMOVAPS Z28, E; \
	VFNMADD231PS B, D, E; \
	VFMADD231PS D, E, D

// SIG_Q512 turns SIG_EXP512's output into σ(z) in E; K holds the sign bits
// of z (VPMOVD2M).
#define SIG_Q512(A, B, C, D, E, K) \
	VBLENDMPS C, Z28, K, C; \
	VMULPS C, D, E; \
	VFNMADD231PS E, B, C; \
	VFNMADD231PS E, A, C; \
	VFMADD231PS C, D, E

// SIG_PRIME512 turns SIG_EXP512's output into σ′(z) in A; E and F are
// scratch.
#define SIG_PRIME512(A, B, C, D, E, F) \
	VMULPS D, D, D; \
	VMULPS B, B, E; \
	VMOVAPS E, F; \
	VFMSUB231PS B, B, F; \
	VADDPS A, A, A; \
	VFMADD231PS B, A, F; \
	VMULPS C, D, A; \
	VFNMADD231PS A, E, C; \
	VFNMADD231PS A, F, C; \
	VFMADD231PS C, D, A

// SIG_TAILMASK512 sets K1 to the low CX bits (0 < CX < 16).
#define SIG_TAILMASK512 \
	MOVL $1, AX; \
	SHLL CX, AX; \
	DECL AX; \
	KMOVW AX, K1

// func sigmoidAVX512(dst, z []float32)
// Requires: AVX512F, AVX512DQ
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SIG_CONSTS512
	CMPQ CX, $32
	JB   sigmoidAVX512_one

sigmoidAVX512_loop32:
	VMOVUPS   (SI), Z0
	VMOVUPS   64(SI), Z8
	VPMOVD2M  Z0, K2
	VPMOVD2M  Z8, K3
	SIG_EXP512(Z0, Z1, Z2, Z3, Z4)
	SIG_EXP512(Z8, Z9, Z10, Z11, Z12)
	SIG_Q512(Z0, Z1, Z2, Z3, Z4, K2)
	SIG_Q512(Z8, Z9, Z10, Z11, Z12, K3)
	VMOVUPS   Z4, (DI)
	VMOVUPS   Z12, 64(DI)
	ADDQ      $128, SI
	ADDQ      $128, DI
	SUBQ      $32, CX
	CMPQ      CX, $32
	JAE       sigmoidAVX512_loop32

sigmoidAVX512_one:
	CMPQ     CX, $16
	JB       sigmoidAVX512_tail
	VMOVUPS  (SI), Z0
	VPMOVD2M Z0, K2
	SIG_EXP512(Z0, Z1, Z2, Z3, Z4)
	SIG_Q512(Z0, Z1, Z2, Z3, Z4, K2)
	VMOVUPS  Z4, (DI)
	ADDQ     $64, SI
	ADDQ     $64, DI
	SUBQ     $16, CX

sigmoidAVX512_tail:
	TESTQ    CX, CX
	JZ       sigmoidAVX512_done
	SIG_TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	VPMOVD2M Z0, K2
	SIG_EXP512(Z0, Z1, Z2, Z3, Z4)
	SIG_Q512(Z0, Z1, Z2, Z3, Z4, K2)
	VMOVUPS  Z4, K1, (DI)

sigmoidAVX512_done:
	VZEROUPPER
	RET

// func sigmoidPrimeAVX512(dst, z []float32)
// Requires: AVX512F
TEXT ·sigmoidPrimeAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SIG_CONSTS512
	CMPQ CX, $32
	JB   sigmoidPrimeAVX512_one

sigmoidPrimeAVX512_loop32:
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z8
	SIG_EXP512(Z0, Z1, Z2, Z3, Z4)
	SIG_EXP512(Z8, Z9, Z10, Z11, Z12)
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
	SIG_PRIME512(Z8, Z9, Z10, Z11, Z12, Z13)
	VMOVUPS Z0, (DI)
	VMOVUPS Z8, 64(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     sigmoidPrimeAVX512_loop32

sigmoidPrimeAVX512_one:
	CMPQ    CX, $16
	JB      sigmoidPrimeAVX512_tail
	VMOVUPS (SI), Z0
	SIG_EXP512(Z0, Z1, Z2, Z3, Z4)
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX

sigmoidPrimeAVX512_tail:
	TESTQ     CX, CX
	JZ        sigmoidPrimeAVX512_done
	SIG_TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	SIG_EXP512(Z0, Z1, Z2, Z3, Z4)
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
	VMOVUPS   Z0, K1, (DI)

sigmoidPrimeAVX512_done:
	VZEROUPPER
	RET

// func mulSigmoidPrimeAVX512(delta, z []float32)
// Requires: AVX512F
TEXT ·mulSigmoidPrimeAVX512(SB), NOSPLIT, $0-48
	MOVQ delta_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SIG_CONSTS512
	CMPQ CX, $32
	JB   mulSigmoidPrimeAVX512_one

mulSigmoidPrimeAVX512_loop32:
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z8
	SIG_EXP512(Z0, Z1, Z2, Z3, Z4)
	SIG_EXP512(Z8, Z9, Z10, Z11, Z12)
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
	SIG_PRIME512(Z8, Z9, Z10, Z11, Z12, Z13)
	VMULPS  (DI), Z0, Z0
	VMULPS  64(DI), Z8, Z8
	VMOVUPS Z0, (DI)
	VMOVUPS Z8, 64(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     mulSigmoidPrimeAVX512_loop32

mulSigmoidPrimeAVX512_one:
	CMPQ    CX, $16
	JB      mulSigmoidPrimeAVX512_tail
	VMOVUPS (SI), Z0
	SIG_EXP512(Z0, Z1, Z2, Z3, Z4)
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
	VMULPS  (DI), Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX

mulSigmoidPrimeAVX512_tail:
	TESTQ     CX, CX
	JZ        mulSigmoidPrimeAVX512_done
	SIG_TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DI), K1, Z6
	SIG_EXP512(Z0, Z1, Z2, Z3, Z4)
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
	VMULPS    Z6, Z0, Z0
	VMOVUPS   Z0, K1, (DI)

mulSigmoidPrimeAVX512_done:
	VZEROUPPER
	RET

// Register use, AVX2: Y14 = 1.0, Y15 = 104.0 (the clamp must be a register,
// VMINPS's first source); the other constants are memory operands. A vector
// in flight uses five or six of Y0–Y13.
#define SIG_CONSTS256 \
	VBROADCASTSS sigOne<>(SB), Y14; \
	VBROADCASTSS sigClamp<>(SB), Y15

// SIG_EXP256 takes z in A and leaves e in A, d in B, t in C, y ≈ 1/d in D;
// E is scratch. The scale 2^(n+64) is built in E from the bits of k.
#define SIG_EXP256(A, B, C, D, E) \
	VANDPS sigAbs<>(SB), A, A; \
	VMINPS A, Y15, A; \
	VMOVUPS sigShift<>(SB), B; \
	VFNMADD231PS sigLog2e<>(SB), A, B; \
	VPSLLD $23, B, E; \
	VPADDD sigExpBias<>(SB), E, E; \
	VSUBPS sigShift<>(SB), B, B; \
	VFMADD231PS sigLn2Hi<>(SB), B, A; \
	VFMADD231PS sigLn2Lo<>(SB), B, A; \
	VMOVUPS sigC6<>(SB), C; \
	VFMADD213PS sigC5<>(SB), A, C; \
	VFMADD213PS sigC4<>(SB), A, C; \
	VFMADD213PS sigC3<>(SB), A, C; \
	VFMADD213PS sigC2<>(SB), A, C; \
	VFMADD213PS sigMinusOne<>(SB), A, C; \
	VFMADD213PS Y14, A, C; \
	VMULPS E, C, C; \
	VMULPS sigTwoM64<>(SB), C, C; \
	VADDPS Y14, C, B; \
	VSUBPS B, Y14, A; \
	VADDPS C, A, A; \
	VRCPPS B, D; \
	VMOVAPS Y14, E; \
	VFNMADD231PS B, D, E; \
	VFMADD231PS D, E, D

// SIG_Q256 turns SIG_EXP256's output into σ(z) in E; F holds z.
#define SIG_Q256(A, B, C, D, E, F) \
	VBLENDVPS F, C, Y14, C; \
	VMULPS C, D, E; \
	VFNMADD231PS E, B, C; \
	VFNMADD231PS E, A, C; \
	VFMADD231PS C, D, E

// SIG_PRIME256 turns SIG_EXP256's output into σ′(z) in A; E and F are
// scratch.
#define SIG_PRIME256(A, B, C, D, E, F) \
	VMULPS D, D, D; \
	VMULPS B, B, E; \
	VMOVAPS E, F; \
	VFMSUB231PS B, B, F; \
	VADDPS A, A, A; \
	VFMADD231PS B, A, F; \
	VMULPS C, D, A; \
	VFNMADD231PS A, E, C; \
	VFNMADD231PS A, F, C; \
	VFMADD231PS C, D, A

// The AVX2 kernels finish the last n mod 8 elements in a zeroed 32-byte
// buffer on the stack, copied in and out one float32 at a time, so they never
// touch a byte outside the slices (VMASKMOVPS's behaviour on masked-off
// elements that would fault is implementation-dependent on AMD) and every
// element goes through the same vector code.

// SIG_TAILIN256 copies CX (1…7) float32 from (src) to off(SP), after
// zeroing 32 bytes there; it uses AX and BX.
#define SIG_TAILIN256(src, off, label) \
	VXORPS Y0, Y0, Y0; \
	VMOVUPS Y0, off(SP); \
	XORQ AX, AX; \
label: \
	MOVL (src)(AX*4), BX; \
	MOVL BX, off(SP)(AX*4); \
	INCQ AX; \
	CMPQ AX, CX; \
	JB label

// SIG_TAILOUT256 copies CX float32 from (SP) to (dst); it uses AX and BX.
#define SIG_TAILOUT256(dst, label) \
	XORQ AX, AX; \
label: \
	MOVL (SP)(AX*4), BX; \
	MOVL BX, (dst)(AX*4); \
	INCQ AX; \
	CMPQ AX, CX; \
	JB label

// func sigmoidAVX2(dst, z []float32)
// Requires: AVX, AVX2, FMA3
TEXT ·sigmoidAVX2(SB), NOSPLIT, $32-48
	MOVQ dst_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SIG_CONSTS256
	CMPQ CX, $16
	JB   sigmoidAVX2_one

sigmoidAVX2_loop16:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y7
	VMOVAPS Y0, Y5
	VMOVAPS Y7, Y12
	SIG_EXP256(Y0, Y1, Y2, Y3, Y4)
	SIG_EXP256(Y7, Y8, Y9, Y10, Y11)
	SIG_Q256(Y0, Y1, Y2, Y3, Y4, Y5)
	SIG_Q256(Y7, Y8, Y9, Y10, Y11, Y12)
	VMOVUPS Y4, (DI)
	VMOVUPS Y11, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     sigmoidAVX2_loop16

sigmoidAVX2_one:
	CMPQ    CX, $8
	JB      sigmoidAVX2_tail
	VMOVUPS (SI), Y0
	VMOVAPS Y0, Y5
	SIG_EXP256(Y0, Y1, Y2, Y3, Y4)
	SIG_Q256(Y0, Y1, Y2, Y3, Y4, Y5)
	VMOVUPS Y4, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX

sigmoidAVX2_tail:
	TESTQ   CX, CX
	JZ      sigmoidAVX2_done
	SIG_TAILIN256(SI, 0, sigmoidAVX2_tailin)
	VMOVUPS (SP), Y0
	VMOVAPS Y0, Y5
	SIG_EXP256(Y0, Y1, Y2, Y3, Y4)
	SIG_Q256(Y0, Y1, Y2, Y3, Y4, Y5)
	VMOVUPS Y4, (SP)
	SIG_TAILOUT256(DI, sigmoidAVX2_tailout)

sigmoidAVX2_done:
	VZEROUPPER
	RET

// func sigmoidPrimeAVX2(dst, z []float32)
// Requires: AVX, AVX2, FMA3
TEXT ·sigmoidPrimeAVX2(SB), NOSPLIT, $32-48
	MOVQ dst_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SIG_CONSTS256
	CMPQ CX, $16
	JB   sigmoidPrimeAVX2_one

sigmoidPrimeAVX2_loop16:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y7
	SIG_EXP256(Y0, Y1, Y2, Y3, Y4)
	SIG_EXP256(Y7, Y8, Y9, Y10, Y11)
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5)
	SIG_PRIME256(Y7, Y8, Y9, Y10, Y11, Y12)
	VMOVUPS Y0, (DI)
	VMOVUPS Y7, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     sigmoidPrimeAVX2_loop16

sigmoidPrimeAVX2_one:
	CMPQ    CX, $8
	JB      sigmoidPrimeAVX2_tail
	VMOVUPS (SI), Y0
	SIG_EXP256(Y0, Y1, Y2, Y3, Y4)
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5)
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX

sigmoidPrimeAVX2_tail:
	TESTQ   CX, CX
	JZ      sigmoidPrimeAVX2_done
	SIG_TAILIN256(SI, 0, sigmoidPrimeAVX2_tailin)
	VMOVUPS (SP), Y0
	SIG_EXP256(Y0, Y1, Y2, Y3, Y4)
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5)
	VMOVUPS Y0, (SP)
	SIG_TAILOUT256(DI, sigmoidPrimeAVX2_tailout)

sigmoidPrimeAVX2_done:
	VZEROUPPER
	RET

// func mulSigmoidPrimeAVX2(delta, z []float32)
// Requires: AVX, AVX2, FMA3
TEXT ·mulSigmoidPrimeAVX2(SB), NOSPLIT, $64-48
	MOVQ delta_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SIG_CONSTS256
	CMPQ CX, $16
	JB   mulSigmoidPrimeAVX2_one

mulSigmoidPrimeAVX2_loop16:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y7
	SIG_EXP256(Y0, Y1, Y2, Y3, Y4)
	SIG_EXP256(Y7, Y8, Y9, Y10, Y11)
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5)
	SIG_PRIME256(Y7, Y8, Y9, Y10, Y11, Y12)
	VMULPS  (DI), Y0, Y0
	VMULPS  32(DI), Y7, Y7
	VMOVUPS Y0, (DI)
	VMOVUPS Y7, 32(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     mulSigmoidPrimeAVX2_loop16

mulSigmoidPrimeAVX2_one:
	CMPQ    CX, $8
	JB      mulSigmoidPrimeAVX2_tail
	VMOVUPS (SI), Y0
	SIG_EXP256(Y0, Y1, Y2, Y3, Y4)
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5)
	VMULPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX

mulSigmoidPrimeAVX2_tail:
	TESTQ   CX, CX
	JZ      mulSigmoidPrimeAVX2_done
	SIG_TAILIN256(DI, 32, mulSigmoidPrimeAVX2_tailind)
	SIG_TAILIN256(SI, 0, mulSigmoidPrimeAVX2_tailinz)
	VMOVUPS (SP), Y0
	SIG_EXP256(Y0, Y1, Y2, Y3, Y4)
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5)
	VMULPS  32(SP), Y0, Y0
	VMOVUPS Y0, (SP)
	SIG_TAILOUT256(DI, mulSigmoidPrimeAVX2_tailout)

mulSigmoidPrimeAVX2_done:
	VZEROUPPER
	RET

// 0x7fffffff: clears the sign bit
DATA sigAbs<>+0(SB)/8, $0x7fffffff7fffffff
DATA sigAbs<>+8(SB)/8, $0x7fffffff7fffffff
DATA sigAbs<>+16(SB)/8, $0x7fffffff7fffffff
DATA sigAbs<>+24(SB)/8, $0x7fffffff7fffffff
GLOBL sigAbs<>(SB), RODATA|NOPTR, $32

// 104.0: e^-104 < 2^-150, so t rounds to 0 from here on
DATA sigClamp<>+0(SB)/8, $0x42d0000042d00000
DATA sigClamp<>+8(SB)/8, $0x42d0000042d00000
DATA sigClamp<>+16(SB)/8, $0x42d0000042d00000
DATA sigClamp<>+24(SB)/8, $0x42d0000042d00000
GLOBL sigClamp<>(SB), RODATA|NOPTR, $32

// log2(e) = 1.44269502
DATA sigLog2e<>+0(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA sigLog2e<>+8(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA sigLog2e<>+16(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA sigLog2e<>+24(SB)/8, $0x3fb8aa3b3fb8aa3b
GLOBL sigLog2e<>(SB), RODATA|NOPTR, $32

// 1.5*2^23: adding it rounds to an integer held in the low mantissa bits
DATA sigShift<>+0(SB)/8, $0x4b4000004b400000
DATA sigShift<>+8(SB)/8, $0x4b4000004b400000
DATA sigShift<>+16(SB)/8, $0x4b4000004b400000
DATA sigShift<>+24(SB)/8, $0x4b4000004b400000
GLOBL sigShift<>(SB), RODATA|NOPTR, $32

// ln2 to 15 bits, 0.693145752: n*sigLn2Hi is exact for |n| < 2^9
DATA sigLn2Hi<>+0(SB)/8, $0x3f3172003f317200
DATA sigLn2Hi<>+8(SB)/8, $0x3f3172003f317200
DATA sigLn2Hi<>+16(SB)/8, $0x3f3172003f317200
DATA sigLn2Hi<>+24(SB)/8, $0x3f3172003f317200
GLOBL sigLn2Hi<>(SB), RODATA|NOPTR, $32

// ln2 - sigLn2Hi = 1.42860677e-6
DATA sigLn2Lo<>+0(SB)/8, $0x35bfbe8e35bfbe8e
DATA sigLn2Lo<>+8(SB)/8, $0x35bfbe8e35bfbe8e
DATA sigLn2Lo<>+16(SB)/8, $0x35bfbe8e35bfbe8e
DATA sigLn2Lo<>+24(SB)/8, $0x35bfbe8e35bfbe8e
GLOBL sigLn2Lo<>(SB), RODATA|NOPTR, $32

// c6 = 0.00138143916
DATA sigC6<>+0(SB)/8, $0x3ab511683ab51168
DATA sigC6<>+8(SB)/8, $0x3ab511683ab51168
DATA sigC6<>+16(SB)/8, $0x3ab511683ab51168
DATA sigC6<>+24(SB)/8, $0x3ab511683ab51168
GLOBL sigC6<>(SB), RODATA|NOPTR, $32

// c5 = -0.00836881716
DATA sigC5<>+0(SB)/8, $0xbc091d5dbc091d5d
DATA sigC5<>+8(SB)/8, $0xbc091d5dbc091d5d
DATA sigC5<>+16(SB)/8, $0xbc091d5dbc091d5d
DATA sigC5<>+24(SB)/8, $0xbc091d5dbc091d5d
GLOBL sigC5<>(SB), RODATA|NOPTR, $32

// c4 = 0.0416683964
DATA sigC4<>+0(SB)/8, $0x3d2aac7b3d2aac7b
DATA sigC4<>+8(SB)/8, $0x3d2aac7b3d2aac7b
DATA sigC4<>+16(SB)/8, $0x3d2aac7b3d2aac7b
DATA sigC4<>+24(SB)/8, $0x3d2aac7b3d2aac7b
GLOBL sigC4<>(SB), RODATA|NOPTR, $32

// c3 = -0.166665196
DATA sigC3<>+0(SB)/8, $0xbe2aaa48be2aaa48
DATA sigC3<>+8(SB)/8, $0xbe2aaa48be2aaa48
DATA sigC3<>+16(SB)/8, $0xbe2aaa48be2aaa48
DATA sigC3<>+24(SB)/8, $0xbe2aaa48be2aaa48
GLOBL sigC3<>(SB), RODATA|NOPTR, $32

// c2 = 0.49999994
DATA sigC2<>+0(SB)/8, $0x3efffffe3efffffe
DATA sigC2<>+8(SB)/8, $0x3efffffe3efffffe
DATA sigC2<>+16(SB)/8, $0x3efffffe3efffffe
DATA sigC2<>+24(SB)/8, $0x3efffffe3efffffe
GLOBL sigC2<>(SB), RODATA|NOPTR, $32

// c1 = -1.0
DATA sigMinusOne<>+0(SB)/8, $0xbf800000bf800000
DATA sigMinusOne<>+8(SB)/8, $0xbf800000bf800000
DATA sigMinusOne<>+16(SB)/8, $0xbf800000bf800000
DATA sigMinusOne<>+24(SB)/8, $0xbf800000bf800000
GLOBL sigMinusOne<>(SB), RODATA|NOPTR, $32

// c0 = 1.0
DATA sigOne<>+0(SB)/8, $0x3f8000003f800000
DATA sigOne<>+8(SB)/8, $0x3f8000003f800000
DATA sigOne<>+16(SB)/8, $0x3f8000003f800000
DATA sigOne<>+24(SB)/8, $0x3f8000003f800000
GLOBL sigOne<>(SB), RODATA|NOPTR, $32

// 191<<23: the exponent field of 2^64 (127+64), for 2^(n+64)
DATA sigExpBias<>+0(SB)/8, $0x5f8000005f800000
DATA sigExpBias<>+8(SB)/8, $0x5f8000005f800000
DATA sigExpBias<>+16(SB)/8, $0x5f8000005f800000
DATA sigExpBias<>+24(SB)/8, $0x5f8000005f800000
GLOBL sigExpBias<>(SB), RODATA|NOPTR, $32

// 2^-64
DATA sigTwoM64<>+0(SB)/8, $0x1f8000001f800000
DATA sigTwoM64<>+8(SB)/8, $0x1f8000001f800000
DATA sigTwoM64<>+16(SB)/8, $0x1f8000001f800000
DATA sigTwoM64<>+24(SB)/8, $0x1f8000001f800000
GLOBL sigTwoM64<>(SB), RODATA|NOPTR, $32

