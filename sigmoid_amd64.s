//go:build !purego

#include "textflag.h"

// σ, σ′ and the δ step, for AVX-512 and AVX2+FMA3.
//
// Every kernel first computes t = e^(−|z|) ∈ [0, 1]:
//
//	x = min(|z|, 104)                  (e^−104 < 2^−150, so t = 0 from here on; NaN: see below)
//	n = round(−x·log2e)                (k = 1.5·2^23 − x·log2e in one FMA; n = k − 1.5·2^23 ∈ [−150, 0])
//	r = x + n·ln2hi + n·ln2lo          (two-constant Cody–Waite; n·ln2hi and x + n·ln2hi are exact)
//	p = 1 − r + c2r² + … + c6r⁶ ≈ e^−r (|r| ≤ ln2/2; minimax for relative error, 2^−27.8)
//	t = p·2^n                          (AVX-512: VSCALEFPS; AVX2: see SIG_SIGMOID256)
//
// then d = 1 + t and its rounding error e = (1 − d) + t (exact, as t ≤ 1), so
// that d + e = 1 + t exactly. Each result is a quotient num/den, computed
// as a first approximation q0 and corrected once by the remainder:
//
//	σ(z)  = num/(d+e),  num = 1 for z ≥ 0, t for z < 0 (sign bit set);
//	        q = q0 + (num − q0·d − q0·e)·y
//	σ′(z) = t/(d+e)² = t/(D + Dlo),  D = d·d, Dlo = (d·d − D) + 2·d·e;
//	        q = q0 + (t − q0·D − q0·Dlo)·y
//
// with y ≈ 1/d (σ) or 1/D (σ′). AVX-512: y = VRCP14PS (error < 2⁻¹⁴) and
// q0 = num·y (or t·y); the correction leaves an error of about 2⁻²⁸ before
// the last rounding. AVX2: VRCPPS is only good to 2⁻¹¹·⁴, so q0 = num/d (or
// t/D) is a correctly rounded VDIVPS and y serves only the correction.
// AVX-512 lets NaN flow through the arithmetic; AVX2 restores it at the end
// (see SIG_CONSTS256).
// Accuracy, checked over all 2^32 inputs: see sigmoid_amd64.go.
//
// The loops run several vectors at a time, instruction by instruction
// interleaved (the _X macros), so that the long dependency chain of each
// vector (about 80 cycles) does not starve the FMA units. Each _X macro is
// its one-vector macro with every line repeated for each vector, on other
// registers; TestSigmoidPositionIndependent checks that both give the same
// bits. Keep them in step when editing.

// Register use, AVX-512: Z17–Z28 hold the constants below (SIG_CONSTS512;
// the absolute-value mask is a broadcast memory operand). The vectors in
// flight use Z0–Z16 and Z29–Z31.
#define SIG_CONSTS512 \
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

// In the macros below, VMINPS x, clamp returns its second source (Intel
// order), x, when either is NaN; so NaN flows through to the result.

// SIG_SIGMOID512 computes σ(z) for one vector: z in A, result in E; B, C
// and D are scratch, K receives the sign bits of z.
#define SIG_SIGMOID512(A, B, C, D, E, K) \
	VPMOVD2M A, K; \
	VPANDD.BCST sigAbs<>(SB), A, A; \
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
	VBLENDMPS C, Z28, K, C; \
	VMULPS C, D, E; \
	VFNMADD231PS E, B, C; \
	VFNMADD231PS E, A, C; \
	VFMADD231PS C, D, E

// SIG_SIGMOID512_X4 is SIG_SIGMOID512 on 4 vectors, instruction by
// instruction interleaved: z in Z0, Z5, Z10, Z15, results in Z4, Z9, Z14, Z31.
#define SIG_SIGMOID512_X4 \
	VPMOVD2M Z0, K2; \
	VPMOVD2M Z5, K3; \
	VPMOVD2M Z10, K4; \
	VPMOVD2M Z15, K5; \
	VPANDD.BCST sigAbs<>(SB), Z0, Z0; \
	VPANDD.BCST sigAbs<>(SB), Z5, Z5; \
	VPANDD.BCST sigAbs<>(SB), Z10, Z10; \
	VPANDD.BCST sigAbs<>(SB), Z15, Z15; \
	VMINPS Z0, Z17, Z0; \
	VMINPS Z5, Z17, Z5; \
	VMINPS Z10, Z17, Z10; \
	VMINPS Z15, Z17, Z15; \
	VMOVAPS Z19, Z1; \
	VMOVAPS Z19, Z6; \
	VMOVAPS Z19, Z11; \
	VMOVAPS Z19, Z16; \
	VFNMADD231PS Z18, Z0, Z1; \
	VFNMADD231PS Z18, Z5, Z6; \
	VFNMADD231PS Z18, Z10, Z11; \
	VFNMADD231PS Z18, Z15, Z16; \
	VSUBPS Z19, Z1, Z1; \
	VSUBPS Z19, Z6, Z6; \
	VSUBPS Z19, Z11, Z11; \
	VSUBPS Z19, Z16, Z16; \
	VFMADD231PS Z20, Z1, Z0; \
	VFMADD231PS Z20, Z6, Z5; \
	VFMADD231PS Z20, Z11, Z10; \
	VFMADD231PS Z20, Z16, Z15; \
	VFMADD231PS Z21, Z1, Z0; \
	VFMADD231PS Z21, Z6, Z5; \
	VFMADD231PS Z21, Z11, Z10; \
	VFMADD231PS Z21, Z16, Z15; \
	VMOVAPS Z22, Z2; \
	VMOVAPS Z22, Z7; \
	VMOVAPS Z22, Z12; \
	VMOVAPS Z22, Z29; \
	VFMADD213PS Z23, Z0, Z2; \
	VFMADD213PS Z23, Z5, Z7; \
	VFMADD213PS Z23, Z10, Z12; \
	VFMADD213PS Z23, Z15, Z29; \
	VFMADD213PS Z24, Z0, Z2; \
	VFMADD213PS Z24, Z5, Z7; \
	VFMADD213PS Z24, Z10, Z12; \
	VFMADD213PS Z24, Z15, Z29; \
	VFMADD213PS Z25, Z0, Z2; \
	VFMADD213PS Z25, Z5, Z7; \
	VFMADD213PS Z25, Z10, Z12; \
	VFMADD213PS Z25, Z15, Z29; \
	VFMADD213PS Z26, Z0, Z2; \
	VFMADD213PS Z26, Z5, Z7; \
	VFMADD213PS Z26, Z10, Z12; \
	VFMADD213PS Z26, Z15, Z29; \
	VFMADD213PS Z27, Z0, Z2; \
	VFMADD213PS Z27, Z5, Z7; \
	VFMADD213PS Z27, Z10, Z12; \
	VFMADD213PS Z27, Z15, Z29; \
	VFMADD213PS Z28, Z0, Z2; \
	VFMADD213PS Z28, Z5, Z7; \
	VFMADD213PS Z28, Z10, Z12; \
	VFMADD213PS Z28, Z15, Z29; \
	VSCALEFPS Z1, Z2, Z2; \
	VSCALEFPS Z6, Z7, Z7; \
	VSCALEFPS Z11, Z12, Z12; \
	VSCALEFPS Z16, Z29, Z29; \
	VADDPS Z28, Z2, Z1; \
	VADDPS Z28, Z7, Z6; \
	VADDPS Z28, Z12, Z11; \
	VADDPS Z28, Z29, Z16; \
	VSUBPS Z1, Z28, Z0; \
	VSUBPS Z6, Z28, Z5; \
	VSUBPS Z11, Z28, Z10; \
	VSUBPS Z16, Z28, Z15; \
	VADDPS Z2, Z0, Z0; \
	VADDPS Z7, Z5, Z5; \
	VADDPS Z12, Z10, Z10; \
	VADDPS Z29, Z15, Z15; \
	VRCP14PS Z1, Z3; \
	VRCP14PS Z6, Z8; \
	VRCP14PS Z11, Z13; \
	VRCP14PS Z16, Z30; \
	VBLENDMPS Z2, Z28, K2, Z2; \
	VBLENDMPS Z7, Z28, K3, Z7; \
	VBLENDMPS Z12, Z28, K4, Z12; \
	VBLENDMPS Z29, Z28, K5, Z29; \
	VMULPS Z2, Z3, Z4; \
	VMULPS Z7, Z8, Z9; \
	VMULPS Z12, Z13, Z14; \
	VMULPS Z29, Z30, Z31; \
	VFNMADD231PS Z4, Z1, Z2; \
	VFNMADD231PS Z9, Z6, Z7; \
	VFNMADD231PS Z14, Z11, Z12; \
	VFNMADD231PS Z31, Z16, Z29; \
	VFNMADD231PS Z4, Z0, Z2; \
	VFNMADD231PS Z9, Z5, Z7; \
	VFNMADD231PS Z14, Z10, Z12; \
	VFNMADD231PS Z31, Z15, Z29; \
	VFMADD231PS Z2, Z3, Z4; \
	VFMADD231PS Z7, Z8, Z9; \
	VFMADD231PS Z12, Z13, Z14; \
	VFMADD231PS Z29, Z30, Z31

// SIG_PRIME512 computes σ′(z) for one vector: z in A, result in A; B, C, E
// and F are scratch.
#define SIG_PRIME512(A, B, C, E, F) \
	VPANDD.BCST sigAbs<>(SB), A, A; \
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
	VMULPS B, B, E; \
	VMOVAPS E, F; \
	VFMSUB231PS B, B, F; \
	VADDPS A, A, A; \
	VFMADD231PS B, A, F; \
	VRCP14PS E, B; \
	VMULPS C, B, A; \
	VFNMADD231PS A, E, C; \
	VFNMADD231PS A, F, C; \
	VFMADD231PS C, B, A

// SIG_PRIME512_X4 is SIG_PRIME512 on 4 vectors, interleaved: z and
// results in Z0, Z5, Z10, Z15.
#define SIG_PRIME512_X4 \
	VPANDD.BCST sigAbs<>(SB), Z0, Z0; \
	VPANDD.BCST sigAbs<>(SB), Z5, Z5; \
	VPANDD.BCST sigAbs<>(SB), Z10, Z10; \
	VPANDD.BCST sigAbs<>(SB), Z15, Z15; \
	VMINPS Z0, Z17, Z0; \
	VMINPS Z5, Z17, Z5; \
	VMINPS Z10, Z17, Z10; \
	VMINPS Z15, Z17, Z15; \
	VMOVAPS Z19, Z1; \
	VMOVAPS Z19, Z6; \
	VMOVAPS Z19, Z11; \
	VMOVAPS Z19, Z16; \
	VFNMADD231PS Z18, Z0, Z1; \
	VFNMADD231PS Z18, Z5, Z6; \
	VFNMADD231PS Z18, Z10, Z11; \
	VFNMADD231PS Z18, Z15, Z16; \
	VSUBPS Z19, Z1, Z1; \
	VSUBPS Z19, Z6, Z6; \
	VSUBPS Z19, Z11, Z11; \
	VSUBPS Z19, Z16, Z16; \
	VFMADD231PS Z20, Z1, Z0; \
	VFMADD231PS Z20, Z6, Z5; \
	VFMADD231PS Z20, Z11, Z10; \
	VFMADD231PS Z20, Z16, Z15; \
	VFMADD231PS Z21, Z1, Z0; \
	VFMADD231PS Z21, Z6, Z5; \
	VFMADD231PS Z21, Z11, Z10; \
	VFMADD231PS Z21, Z16, Z15; \
	VMOVAPS Z22, Z2; \
	VMOVAPS Z22, Z7; \
	VMOVAPS Z22, Z12; \
	VMOVAPS Z22, Z29; \
	VFMADD213PS Z23, Z0, Z2; \
	VFMADD213PS Z23, Z5, Z7; \
	VFMADD213PS Z23, Z10, Z12; \
	VFMADD213PS Z23, Z15, Z29; \
	VFMADD213PS Z24, Z0, Z2; \
	VFMADD213PS Z24, Z5, Z7; \
	VFMADD213PS Z24, Z10, Z12; \
	VFMADD213PS Z24, Z15, Z29; \
	VFMADD213PS Z25, Z0, Z2; \
	VFMADD213PS Z25, Z5, Z7; \
	VFMADD213PS Z25, Z10, Z12; \
	VFMADD213PS Z25, Z15, Z29; \
	VFMADD213PS Z26, Z0, Z2; \
	VFMADD213PS Z26, Z5, Z7; \
	VFMADD213PS Z26, Z10, Z12; \
	VFMADD213PS Z26, Z15, Z29; \
	VFMADD213PS Z27, Z0, Z2; \
	VFMADD213PS Z27, Z5, Z7; \
	VFMADD213PS Z27, Z10, Z12; \
	VFMADD213PS Z27, Z15, Z29; \
	VFMADD213PS Z28, Z0, Z2; \
	VFMADD213PS Z28, Z5, Z7; \
	VFMADD213PS Z28, Z10, Z12; \
	VFMADD213PS Z28, Z15, Z29; \
	VSCALEFPS Z1, Z2, Z2; \
	VSCALEFPS Z6, Z7, Z7; \
	VSCALEFPS Z11, Z12, Z12; \
	VSCALEFPS Z16, Z29, Z29; \
	VADDPS Z28, Z2, Z1; \
	VADDPS Z28, Z7, Z6; \
	VADDPS Z28, Z12, Z11; \
	VADDPS Z28, Z29, Z16; \
	VSUBPS Z1, Z28, Z0; \
	VSUBPS Z6, Z28, Z5; \
	VSUBPS Z11, Z28, Z10; \
	VSUBPS Z16, Z28, Z15; \
	VADDPS Z2, Z0, Z0; \
	VADDPS Z7, Z5, Z5; \
	VADDPS Z12, Z10, Z10; \
	VADDPS Z29, Z15, Z15; \
	VMULPS Z1, Z1, Z3; \
	VMULPS Z6, Z6, Z8; \
	VMULPS Z11, Z11, Z13; \
	VMULPS Z16, Z16, Z30; \
	VMOVAPS Z3, Z4; \
	VMOVAPS Z8, Z9; \
	VMOVAPS Z13, Z14; \
	VMOVAPS Z30, Z31; \
	VFMSUB231PS Z1, Z1, Z4; \
	VFMSUB231PS Z6, Z6, Z9; \
	VFMSUB231PS Z11, Z11, Z14; \
	VFMSUB231PS Z16, Z16, Z31; \
	VADDPS Z0, Z0, Z0; \
	VADDPS Z5, Z5, Z5; \
	VADDPS Z10, Z10, Z10; \
	VADDPS Z15, Z15, Z15; \
	VFMADD231PS Z1, Z0, Z4; \
	VFMADD231PS Z6, Z5, Z9; \
	VFMADD231PS Z11, Z10, Z14; \
	VFMADD231PS Z16, Z15, Z31; \
	VRCP14PS Z3, Z1; \
	VRCP14PS Z8, Z6; \
	VRCP14PS Z13, Z11; \
	VRCP14PS Z30, Z16; \
	VMULPS Z2, Z1, Z0; \
	VMULPS Z7, Z6, Z5; \
	VMULPS Z12, Z11, Z10; \
	VMULPS Z29, Z16, Z15; \
	VFNMADD231PS Z0, Z3, Z2; \
	VFNMADD231PS Z5, Z8, Z7; \
	VFNMADD231PS Z10, Z13, Z12; \
	VFNMADD231PS Z15, Z30, Z29; \
	VFNMADD231PS Z0, Z4, Z2; \
	VFNMADD231PS Z5, Z9, Z7; \
	VFNMADD231PS Z10, Z14, Z12; \
	VFNMADD231PS Z15, Z31, Z29; \
	VFMADD231PS Z2, Z1, Z0; \
	VFMADD231PS Z7, Z6, Z5; \
	VFMADD231PS Z12, Z11, Z10; \
	VFMADD231PS Z29, Z16, Z15

// SIG_TAILMASK512 sets K1 to the low CX bits (0 < CX < 16).
#define SIG_TAILMASK512 \
	MOVL $1, AX; \
	SHLL CX, AX; \
	DECL AX; \
	KMOVW AX, K1

// The AVX-512 kernels finish with one K-masked iteration: masked-off lanes
// are neither read nor written, and never fault.

// func sigmoidAVX512(dst, z []float32)
// Requires: AVX512F, AVX512DQ
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ z_base+24(FP), SI
	MOVQ z_len+32(FP), CX
	SIG_CONSTS512
	CMPQ CX, $64
	JB   sigmoidAVX512_one

sigmoidAVX512_loop64:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z10
	VMOVUPS 192(SI), Z15
	SIG_SIGMOID512_X4
	VMOVUPS Z4, 0(DI)
	VMOVUPS Z9, 64(DI)
	VMOVUPS Z14, 128(DI)
	VMOVUPS Z31, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	CMPQ CX, $64
	JAE  sigmoidAVX512_loop64

sigmoidAVX512_one:
	CMPQ CX, $16
	JB   sigmoidAVX512_tail
	VMOVUPS (SI), Z0
	SIG_SIGMOID512(Z0, Z1, Z2, Z3, Z4, K2)
	VMOVUPS Z4, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  sigmoidAVX512_one

sigmoidAVX512_tail:
	TESTQ CX, CX
	JZ    sigmoidAVX512_done
	SIG_TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	SIG_SIGMOID512(Z0, Z1, Z2, Z3, Z4, K2)
	VMOVUPS Z4, K1, (DI)

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
	CMPQ CX, $64
	JB   sigmoidPrimeAVX512_one

sigmoidPrimeAVX512_loop64:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z10
	VMOVUPS 192(SI), Z15
	SIG_PRIME512_X4
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z5, 64(DI)
	VMOVUPS Z10, 128(DI)
	VMOVUPS Z15, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	CMPQ CX, $64
	JAE  sigmoidPrimeAVX512_loop64

sigmoidPrimeAVX512_one:
	CMPQ CX, $16
	JB   sigmoidPrimeAVX512_tail
	VMOVUPS (SI), Z0
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  sigmoidPrimeAVX512_one

sigmoidPrimeAVX512_tail:
	TESTQ CX, CX
	JZ    sigmoidPrimeAVX512_done
	SIG_TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z0, K1, (DI)

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
	CMPQ CX, $64
	JB   mulSigmoidPrimeAVX512_one

mulSigmoidPrimeAVX512_loop64:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z10
	VMOVUPS 192(SI), Z15
	SIG_PRIME512_X4
	VMULPS 0(DI), Z0, Z0
	VMOVUPS Z0, 0(DI)
	VMULPS 64(DI), Z5, Z5
	VMOVUPS Z5, 64(DI)
	VMULPS 128(DI), Z10, Z10
	VMOVUPS Z10, 128(DI)
	VMULPS 192(DI), Z15, Z15
	VMOVUPS Z15, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	CMPQ CX, $64
	JAE  mulSigmoidPrimeAVX512_loop64

mulSigmoidPrimeAVX512_one:
	CMPQ CX, $16
	JB   mulSigmoidPrimeAVX512_tail
	VMOVUPS (SI), Z0
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4)
	VMULPS (DI), Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  mulSigmoidPrimeAVX512_one

mulSigmoidPrimeAVX512_tail:
	TESTQ CX, CX
	JZ    mulSigmoidPrimeAVX512_done
	SIG_TAILMASK512
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DI), K1, Z6
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4)
	VMULPS Z6, Z0, Z0
	VMOVUPS Z0, K1, (DI)

mulSigmoidPrimeAVX512_done:
	VZEROUPPER
	RET

// Register use, AVX2: Y14 = 1.0; the other constants are memory operands.
// The vectors in flight use Y0–Y13 and Y15.
#define SIG_CONSTS256 \
	VBROADCASTSS sigOne<>(SB), Y14

// In SIG_SIGMOID256 and SIG_PRIME256, k = (1.5·2^23 + 64) − x·log2e holds
// n+64 in its low mantissa bits, so k<<23 is (n+64)<<23, and adding it to
// the bits of p multiplies p by 2^(n+64) exactly (the product is normal,
// n+64 ≥ −86); the multiplication by 2^−64 then rounds once, to a subnormal
// where t is one. VMINPS with the clamp as its second source turns NaN into
// 104, so the arithmetic stays finite; lanes where z is NaN (VCMPPS
// unordered) are set to all ones, a NaN, at the end. z is not kept in a
// register: it is loaded again from M (the input, or the tail buffer, which
// are not written before the result is complete) for its sign and that test.

// SIG_SIGMOID256 computes σ(z) for one vector: z in A (and in memory at M),
// result in E; B and C are scratch.
#define SIG_SIGMOID256(A, B, C, E, M) \
	VANDPS sigAbs<>(SB), A, A; \
	VMINPS sigClamp<>(SB), A, A; \
	VMOVUPS sigShift64<>(SB), B; \
	VFNMADD231PS sigLog2e<>(SB), A, B; \
	VPSLLD $23, B, E; \
	VSUBPS sigShift64<>(SB), B, B; \
	VFMADD231PS sigLn2Hi<>(SB), B, A; \
	VFMADD231PS sigLn2Lo<>(SB), B, A; \
	VMOVUPS sigC6<>(SB), C; \
	VFMADD213PS sigC5<>(SB), A, C; \
	VFMADD213PS sigC4<>(SB), A, C; \
	VFMADD213PS sigC3<>(SB), A, C; \
	VFMADD213PS sigC2<>(SB), A, C; \
	VFMADD213PS sigMinusOne<>(SB), A, C; \
	VFMADD213PS Y14, A, C; \
	VPADDD E, C, C; \
	VMULPS sigTwoM64<>(SB), C, C; \
	VADDPS Y14, C, B; \
	VSUBPS B, Y14, A; \
	VADDPS C, A, A; \
	VMOVUPS M, E; \
	VBLENDVPS E, C, Y14, C; \
	VDIVPS B, C, E; \
	VFNMADD231PS E, B, C; \
	VFNMADD231PS E, A, C; \
	VRCPPS B, A; \
	VFMADD231PS C, A, E; \
	VMOVUPS M, B; \
	VCMPPS $3, B, B, B; \
	VORPS B, E, E

// SIG_SIGMOID256_X3 is SIG_SIGMOID256 on 3 vectors, interleaved: z in
// Y0, Y4, Y8, results in Y3, Y7, Y11.
#define SIG_SIGMOID256_X3 \
	VANDPS sigAbs<>(SB), Y0, Y0; \
	VANDPS sigAbs<>(SB), Y4, Y4; \
	VANDPS sigAbs<>(SB), Y8, Y8; \
	VMINPS sigClamp<>(SB), Y0, Y0; \
	VMINPS sigClamp<>(SB), Y4, Y4; \
	VMINPS sigClamp<>(SB), Y8, Y8; \
	VMOVUPS sigShift64<>(SB), Y1; \
	VMOVUPS sigShift64<>(SB), Y5; \
	VMOVUPS sigShift64<>(SB), Y9; \
	VFNMADD231PS sigLog2e<>(SB), Y0, Y1; \
	VFNMADD231PS sigLog2e<>(SB), Y4, Y5; \
	VFNMADD231PS sigLog2e<>(SB), Y8, Y9; \
	VPSLLD $23, Y1, Y3; \
	VPSLLD $23, Y5, Y7; \
	VPSLLD $23, Y9, Y11; \
	VSUBPS sigShift64<>(SB), Y1, Y1; \
	VSUBPS sigShift64<>(SB), Y5, Y5; \
	VSUBPS sigShift64<>(SB), Y9, Y9; \
	VFMADD231PS sigLn2Hi<>(SB), Y1, Y0; \
	VFMADD231PS sigLn2Hi<>(SB), Y5, Y4; \
	VFMADD231PS sigLn2Hi<>(SB), Y9, Y8; \
	VFMADD231PS sigLn2Lo<>(SB), Y1, Y0; \
	VFMADD231PS sigLn2Lo<>(SB), Y5, Y4; \
	VFMADD231PS sigLn2Lo<>(SB), Y9, Y8; \
	VMOVUPS sigC6<>(SB), Y2; \
	VMOVUPS sigC6<>(SB), Y6; \
	VMOVUPS sigC6<>(SB), Y10; \
	VFMADD213PS sigC5<>(SB), Y0, Y2; \
	VFMADD213PS sigC5<>(SB), Y4, Y6; \
	VFMADD213PS sigC5<>(SB), Y8, Y10; \
	VFMADD213PS sigC4<>(SB), Y0, Y2; \
	VFMADD213PS sigC4<>(SB), Y4, Y6; \
	VFMADD213PS sigC4<>(SB), Y8, Y10; \
	VFMADD213PS sigC3<>(SB), Y0, Y2; \
	VFMADD213PS sigC3<>(SB), Y4, Y6; \
	VFMADD213PS sigC3<>(SB), Y8, Y10; \
	VFMADD213PS sigC2<>(SB), Y0, Y2; \
	VFMADD213PS sigC2<>(SB), Y4, Y6; \
	VFMADD213PS sigC2<>(SB), Y8, Y10; \
	VFMADD213PS sigMinusOne<>(SB), Y0, Y2; \
	VFMADD213PS sigMinusOne<>(SB), Y4, Y6; \
	VFMADD213PS sigMinusOne<>(SB), Y8, Y10; \
	VFMADD213PS Y14, Y0, Y2; \
	VFMADD213PS Y14, Y4, Y6; \
	VFMADD213PS Y14, Y8, Y10; \
	VPADDD Y3, Y2, Y2; \
	VPADDD Y7, Y6, Y6; \
	VPADDD Y11, Y10, Y10; \
	VMULPS sigTwoM64<>(SB), Y2, Y2; \
	VMULPS sigTwoM64<>(SB), Y6, Y6; \
	VMULPS sigTwoM64<>(SB), Y10, Y10; \
	VADDPS Y14, Y2, Y1; \
	VADDPS Y14, Y6, Y5; \
	VADDPS Y14, Y10, Y9; \
	VSUBPS Y1, Y14, Y0; \
	VSUBPS Y5, Y14, Y4; \
	VSUBPS Y9, Y14, Y8; \
	VADDPS Y2, Y0, Y0; \
	VADDPS Y6, Y4, Y4; \
	VADDPS Y10, Y8, Y8; \
	VMOVUPS 0(SI), Y3; \
	VMOVUPS 32(SI), Y7; \
	VMOVUPS 64(SI), Y11; \
	VBLENDVPS Y3, Y2, Y14, Y2; \
	VBLENDVPS Y7, Y6, Y14, Y6; \
	VBLENDVPS Y11, Y10, Y14, Y10; \
	VDIVPS Y1, Y2, Y3; \
	VDIVPS Y5, Y6, Y7; \
	VDIVPS Y9, Y10, Y11; \
	VFNMADD231PS Y3, Y1, Y2; \
	VFNMADD231PS Y7, Y5, Y6; \
	VFNMADD231PS Y11, Y9, Y10; \
	VFNMADD231PS Y3, Y0, Y2; \
	VFNMADD231PS Y7, Y4, Y6; \
	VFNMADD231PS Y11, Y8, Y10; \
	VRCPPS Y1, Y0; \
	VRCPPS Y5, Y4; \
	VRCPPS Y9, Y8; \
	VFMADD231PS Y2, Y0, Y3; \
	VFMADD231PS Y6, Y4, Y7; \
	VFMADD231PS Y10, Y8, Y11; \
	VMOVUPS 0(SI), Y1; \
	VMOVUPS 32(SI), Y5; \
	VMOVUPS 64(SI), Y9; \
	VCMPPS $3, Y1, Y1, Y1; \
	VCMPPS $3, Y5, Y5, Y5; \
	VCMPPS $3, Y9, Y9, Y9; \
	VORPS Y1, Y3, Y3; \
	VORPS Y5, Y7, Y7; \
	VORPS Y9, Y11, Y11

// SIG_PRIME256 computes σ′(z) for one vector: z in A (and in memory at M),
// result in A; B, C, E and F are scratch.
#define SIG_PRIME256(A, B, C, E, F, M) \
	VANDPS sigAbs<>(SB), A, A; \
	VMINPS sigClamp<>(SB), A, A; \
	VMOVUPS sigShift64<>(SB), B; \
	VFNMADD231PS sigLog2e<>(SB), A, B; \
	VPSLLD $23, B, E; \
	VSUBPS sigShift64<>(SB), B, B; \
	VFMADD231PS sigLn2Hi<>(SB), B, A; \
	VFMADD231PS sigLn2Lo<>(SB), B, A; \
	VMOVUPS sigC6<>(SB), C; \
	VFMADD213PS sigC5<>(SB), A, C; \
	VFMADD213PS sigC4<>(SB), A, C; \
	VFMADD213PS sigC3<>(SB), A, C; \
	VFMADD213PS sigC2<>(SB), A, C; \
	VFMADD213PS sigMinusOne<>(SB), A, C; \
	VFMADD213PS Y14, A, C; \
	VPADDD E, C, C; \
	VMULPS sigTwoM64<>(SB), C, C; \
	VADDPS Y14, C, B; \
	VSUBPS B, Y14, A; \
	VADDPS C, A, A; \
	VMULPS B, B, E; \
	VMOVAPS E, F; \
	VFMSUB231PS B, B, F; \
	VADDPS A, A, A; \
	VFMADD231PS B, A, F; \
	VDIVPS E, C, A; \
	VFNMADD231PS A, E, C; \
	VFNMADD231PS A, F, C; \
	VRCPPS E, E; \
	VFMADD231PS C, E, A; \
	VMOVUPS M, B; \
	VCMPPS $3, B, B, B; \
	VORPS B, A, A

// SIG_PRIME256_X3 is SIG_PRIME256 on 3 vectors, interleaved: z and
// results in Y0, Y5, Y10.
#define SIG_PRIME256_X3 \
	VANDPS sigAbs<>(SB), Y0, Y0; \
	VANDPS sigAbs<>(SB), Y5, Y5; \
	VANDPS sigAbs<>(SB), Y10, Y10; \
	VMINPS sigClamp<>(SB), Y0, Y0; \
	VMINPS sigClamp<>(SB), Y5, Y5; \
	VMINPS sigClamp<>(SB), Y10, Y10; \
	VMOVUPS sigShift64<>(SB), Y1; \
	VMOVUPS sigShift64<>(SB), Y6; \
	VMOVUPS sigShift64<>(SB), Y11; \
	VFNMADD231PS sigLog2e<>(SB), Y0, Y1; \
	VFNMADD231PS sigLog2e<>(SB), Y5, Y6; \
	VFNMADD231PS sigLog2e<>(SB), Y10, Y11; \
	VPSLLD $23, Y1, Y3; \
	VPSLLD $23, Y6, Y8; \
	VPSLLD $23, Y11, Y13; \
	VSUBPS sigShift64<>(SB), Y1, Y1; \
	VSUBPS sigShift64<>(SB), Y6, Y6; \
	VSUBPS sigShift64<>(SB), Y11, Y11; \
	VFMADD231PS sigLn2Hi<>(SB), Y1, Y0; \
	VFMADD231PS sigLn2Hi<>(SB), Y6, Y5; \
	VFMADD231PS sigLn2Hi<>(SB), Y11, Y10; \
	VFMADD231PS sigLn2Lo<>(SB), Y1, Y0; \
	VFMADD231PS sigLn2Lo<>(SB), Y6, Y5; \
	VFMADD231PS sigLn2Lo<>(SB), Y11, Y10; \
	VMOVUPS sigC6<>(SB), Y2; \
	VMOVUPS sigC6<>(SB), Y7; \
	VMOVUPS sigC6<>(SB), Y12; \
	VFMADD213PS sigC5<>(SB), Y0, Y2; \
	VFMADD213PS sigC5<>(SB), Y5, Y7; \
	VFMADD213PS sigC5<>(SB), Y10, Y12; \
	VFMADD213PS sigC4<>(SB), Y0, Y2; \
	VFMADD213PS sigC4<>(SB), Y5, Y7; \
	VFMADD213PS sigC4<>(SB), Y10, Y12; \
	VFMADD213PS sigC3<>(SB), Y0, Y2; \
	VFMADD213PS sigC3<>(SB), Y5, Y7; \
	VFMADD213PS sigC3<>(SB), Y10, Y12; \
	VFMADD213PS sigC2<>(SB), Y0, Y2; \
	VFMADD213PS sigC2<>(SB), Y5, Y7; \
	VFMADD213PS sigC2<>(SB), Y10, Y12; \
	VFMADD213PS sigMinusOne<>(SB), Y0, Y2; \
	VFMADD213PS sigMinusOne<>(SB), Y5, Y7; \
	VFMADD213PS sigMinusOne<>(SB), Y10, Y12; \
	VFMADD213PS Y14, Y0, Y2; \
	VFMADD213PS Y14, Y5, Y7; \
	VFMADD213PS Y14, Y10, Y12; \
	VPADDD Y3, Y2, Y2; \
	VPADDD Y8, Y7, Y7; \
	VPADDD Y13, Y12, Y12; \
	VMULPS sigTwoM64<>(SB), Y2, Y2; \
	VMULPS sigTwoM64<>(SB), Y7, Y7; \
	VMULPS sigTwoM64<>(SB), Y12, Y12; \
	VADDPS Y14, Y2, Y1; \
	VADDPS Y14, Y7, Y6; \
	VADDPS Y14, Y12, Y11; \
	VSUBPS Y1, Y14, Y0; \
	VSUBPS Y6, Y14, Y5; \
	VSUBPS Y11, Y14, Y10; \
	VADDPS Y2, Y0, Y0; \
	VADDPS Y7, Y5, Y5; \
	VADDPS Y12, Y10, Y10; \
	VMULPS Y1, Y1, Y3; \
	VMULPS Y6, Y6, Y8; \
	VMULPS Y11, Y11, Y13; \
	VMOVAPS Y3, Y4; \
	VMOVAPS Y8, Y9; \
	VMOVAPS Y13, Y15; \
	VFMSUB231PS Y1, Y1, Y4; \
	VFMSUB231PS Y6, Y6, Y9; \
	VFMSUB231PS Y11, Y11, Y15; \
	VADDPS Y0, Y0, Y0; \
	VADDPS Y5, Y5, Y5; \
	VADDPS Y10, Y10, Y10; \
	VFMADD231PS Y1, Y0, Y4; \
	VFMADD231PS Y6, Y5, Y9; \
	VFMADD231PS Y11, Y10, Y15; \
	VDIVPS Y3, Y2, Y0; \
	VDIVPS Y8, Y7, Y5; \
	VDIVPS Y13, Y12, Y10; \
	VFNMADD231PS Y0, Y3, Y2; \
	VFNMADD231PS Y5, Y8, Y7; \
	VFNMADD231PS Y10, Y13, Y12; \
	VFNMADD231PS Y0, Y4, Y2; \
	VFNMADD231PS Y5, Y9, Y7; \
	VFNMADD231PS Y10, Y15, Y12; \
	VRCPPS Y3, Y3; \
	VRCPPS Y8, Y8; \
	VRCPPS Y13, Y13; \
	VFMADD231PS Y2, Y3, Y0; \
	VFMADD231PS Y7, Y8, Y5; \
	VFMADD231PS Y12, Y13, Y10; \
	VMOVUPS 0(SI), Y1; \
	VMOVUPS 32(SI), Y6; \
	VMOVUPS 64(SI), Y11; \
	VCMPPS $3, Y1, Y1, Y1; \
	VCMPPS $3, Y6, Y6, Y6; \
	VCMPPS $3, Y11, Y11, Y11; \
	VORPS Y1, Y0, Y0; \
	VORPS Y6, Y5, Y5; \
	VORPS Y11, Y10, Y10

// The AVX2 kernels finish the last n mod 8 elements in a zeroed 32-byte
// buffer on the stack, copied in and out one float32 at a time, so they never
// touch a byte outside the slices (VMASKMOVPS's behaviour on masked-off
// elements that would fault is implementation-dependent on AMD) and every
// element goes through the same vector code.

// SIG_TAILIN256 copies CX (1…7) float32 from (src) to off(SP), after
// zeroing 32 bytes there; it uses AX, BX and Y0.
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
	CMPQ CX, $24
	JB   sigmoidAVX2_one

sigmoidAVX2_loop24:
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y4
	VMOVUPS 64(SI), Y8
	SIG_SIGMOID256_X3
	VMOVUPS Y3, 0(DI)
	VMOVUPS Y7, 32(DI)
	VMOVUPS Y11, 64(DI)
	ADDQ $96, SI
	ADDQ $96, DI
	SUBQ $24, CX
	CMPQ CX, $24
	JAE  sigmoidAVX2_loop24

sigmoidAVX2_one:
	CMPQ CX, $8
	JB   sigmoidAVX2_tail
	VMOVUPS (SI), Y0
	SIG_SIGMOID256(Y0, Y1, Y2, Y3, 0(SI))
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  sigmoidAVX2_one

sigmoidAVX2_tail:
	TESTQ CX, CX
	JZ    sigmoidAVX2_done
	SIG_TAILIN256(SI, 0, sigmoidAVX2_tailin)
	VMOVUPS (SP), Y0
	SIG_SIGMOID256(Y0, Y1, Y2, Y3, 0(SP))
	VMOVUPS Y3, (SP)
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
	CMPQ CX, $24
	JB   sigmoidPrimeAVX2_one

sigmoidPrimeAVX2_loop24:
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y10
	SIG_PRIME256_X3
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y5, 32(DI)
	VMOVUPS Y10, 64(DI)
	ADDQ $96, SI
	ADDQ $96, DI
	SUBQ $24, CX
	CMPQ CX, $24
	JAE  sigmoidPrimeAVX2_loop24

sigmoidPrimeAVX2_one:
	CMPQ CX, $8
	JB   sigmoidPrimeAVX2_tail
	VMOVUPS (SI), Y0
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, 0(SI))
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  sigmoidPrimeAVX2_one

sigmoidPrimeAVX2_tail:
	TESTQ CX, CX
	JZ    sigmoidPrimeAVX2_done
	SIG_TAILIN256(SI, 0, sigmoidPrimeAVX2_tailin)
	VMOVUPS (SP), Y0
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, 0(SP))
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
	CMPQ CX, $24
	JB   mulSigmoidPrimeAVX2_one

mulSigmoidPrimeAVX2_loop24:
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y10
	SIG_PRIME256_X3
	VMULPS 0(DI), Y0, Y0
	VMOVUPS Y0, 0(DI)
	VMULPS 32(DI), Y5, Y5
	VMOVUPS Y5, 32(DI)
	VMULPS 64(DI), Y10, Y10
	VMOVUPS Y10, 64(DI)
	ADDQ $96, SI
	ADDQ $96, DI
	SUBQ $24, CX
	CMPQ CX, $24
	JAE  mulSigmoidPrimeAVX2_loop24

mulSigmoidPrimeAVX2_one:
	CMPQ CX, $8
	JB   mulSigmoidPrimeAVX2_tail
	VMOVUPS (SI), Y0
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, 0(SI))
	VMULPS (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  mulSigmoidPrimeAVX2_one

mulSigmoidPrimeAVX2_tail:
	TESTQ CX, CX
	JZ    mulSigmoidPrimeAVX2_done
	SIG_TAILIN256(DI, 32, mulSigmoidPrimeAVX2_tailind)
	SIG_TAILIN256(SI, 0, mulSigmoidPrimeAVX2_tailinz)
	VMOVUPS (SP), Y0
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, 0(SP))
	VMULPS 32(SP), Y0, Y0
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

// 1.5*2^23 + 64: as sigShift, with n+64 in the low mantissa bits (AVX2)
DATA sigShift64<>+0(SB)/8, $0x4b4000404b400040
DATA sigShift64<>+8(SB)/8, $0x4b4000404b400040
DATA sigShift64<>+16(SB)/8, $0x4b4000404b400040
DATA sigShift64<>+24(SB)/8, $0x4b4000404b400040
GLOBL sigShift64<>(SB), RODATA|NOPTR, $32

// 2^-64
DATA sigTwoM64<>+0(SB)/8, $0x1f8000001f800000
DATA sigTwoM64<>+8(SB)/8, $0x1f8000001f800000
DATA sigTwoM64<>+16(SB)/8, $0x1f8000001f800000
DATA sigTwoM64<>+24(SB)/8, $0x1f8000001f800000
GLOBL sigTwoM64<>(SB), RODATA|NOPTR, $32
