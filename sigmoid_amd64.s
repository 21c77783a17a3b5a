//go:build !purego

#include "textflag.h"

// σ, σ′ and the δ step, for AVX-512 and AVX2+FMA3.
//
// Every kernel first computes t = e^(−|z|) ∈ [0, 1]:
//
//	x = min(|z|, 104)                  (NaN stays NaN; e^−104 < 2^−150, so t = 0 from here on)
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
//	        q = q0 + (t − q0·D − q0·Dlo)·y²
//
// AVX-512: y = VRCP14PS(d) (error < 2⁻¹⁴) and q0 = num·y (or t·y²); the
// correction leaves an error of about 2⁻²⁸ (2⁻²⁶ for σ′) before the last
// rounding. AVX2: VRCPPS is only good to 2⁻¹¹·⁴, so q0 = num/d (or t/D) is
// a correctly rounded VDIVPS and the reciprocal serves only the correction.
// Accuracy, checked over all 2^32 inputs: see sigmoid_amd64.go.
//
// The loops run several vectors at a time, instruction by instruction
// interleaved (the _X macros), so that the long dependency chain of each
// vector (about 80 cycles) does not starve the FMA units.

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


// SIG_PRIME512 computes σ′(z) for one vector: z in A, result in A; B–F are
// scratch.

#define SIG_PRIME512(A, B, C, D, E, F) \
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


// SIG_PRIME512_X3 is SIG_PRIME512 on 3 vectors, interleaved: z and
// results in Z0, Z6, Z12.

#define SIG_PRIME512_X3 \
	VPANDD.BCST sigAbs<>(SB), Z0, Z0; \
	VPANDD.BCST sigAbs<>(SB), Z6, Z6; \
	VPANDD.BCST sigAbs<>(SB), Z12, Z12; \
	VMINPS Z0, Z17, Z0; \
	VMINPS Z6, Z17, Z6; \
	VMINPS Z12, Z17, Z12; \
	VMOVAPS Z19, Z1; \
	VMOVAPS Z19, Z7; \
	VMOVAPS Z19, Z13; \
	VFNMADD231PS Z18, Z0, Z1; \
	VFNMADD231PS Z18, Z6, Z7; \
	VFNMADD231PS Z18, Z12, Z13; \
	VSUBPS Z19, Z1, Z1; \
	VSUBPS Z19, Z7, Z7; \
	VSUBPS Z19, Z13, Z13; \
	VFMADD231PS Z20, Z1, Z0; \
	VFMADD231PS Z20, Z7, Z6; \
	VFMADD231PS Z20, Z13, Z12; \
	VFMADD231PS Z21, Z1, Z0; \
	VFMADD231PS Z21, Z7, Z6; \
	VFMADD231PS Z21, Z13, Z12; \
	VMOVAPS Z22, Z2; \
	VMOVAPS Z22, Z8; \
	VMOVAPS Z22, Z14; \
	VFMADD213PS Z23, Z0, Z2; \
	VFMADD213PS Z23, Z6, Z8; \
	VFMADD213PS Z23, Z12, Z14; \
	VFMADD213PS Z24, Z0, Z2; \
	VFMADD213PS Z24, Z6, Z8; \
	VFMADD213PS Z24, Z12, Z14; \
	VFMADD213PS Z25, Z0, Z2; \
	VFMADD213PS Z25, Z6, Z8; \
	VFMADD213PS Z25, Z12, Z14; \
	VFMADD213PS Z26, Z0, Z2; \
	VFMADD213PS Z26, Z6, Z8; \
	VFMADD213PS Z26, Z12, Z14; \
	VFMADD213PS Z27, Z0, Z2; \
	VFMADD213PS Z27, Z6, Z8; \
	VFMADD213PS Z27, Z12, Z14; \
	VFMADD213PS Z28, Z0, Z2; \
	VFMADD213PS Z28, Z6, Z8; \
	VFMADD213PS Z28, Z12, Z14; \
	VSCALEFPS Z1, Z2, Z2; \
	VSCALEFPS Z7, Z8, Z8; \
	VSCALEFPS Z13, Z14, Z14; \
	VADDPS Z28, Z2, Z1; \
	VADDPS Z28, Z8, Z7; \
	VADDPS Z28, Z14, Z13; \
	VSUBPS Z1, Z28, Z0; \
	VSUBPS Z7, Z28, Z6; \
	VSUBPS Z13, Z28, Z12; \
	VADDPS Z2, Z0, Z0; \
	VADDPS Z8, Z6, Z6; \
	VADDPS Z14, Z12, Z12; \
	VRCP14PS Z1, Z3; \
	VRCP14PS Z7, Z9; \
	VRCP14PS Z13, Z15; \
	VMULPS Z3, Z3, Z3; \
	VMULPS Z9, Z9, Z9; \
	VMULPS Z15, Z15, Z15; \
	VMULPS Z1, Z1, Z4; \
	VMULPS Z7, Z7, Z10; \
	VMULPS Z13, Z13, Z16; \
	VMOVAPS Z4, Z5; \
	VMOVAPS Z10, Z11; \
	VMOVAPS Z16, Z29; \
	VFMSUB231PS Z1, Z1, Z5; \
	VFMSUB231PS Z7, Z7, Z11; \
	VFMSUB231PS Z13, Z13, Z29; \
	VADDPS Z0, Z0, Z0; \
	VADDPS Z6, Z6, Z6; \
	VADDPS Z12, Z12, Z12; \
	VFMADD231PS Z1, Z0, Z5; \
	VFMADD231PS Z7, Z6, Z11; \
	VFMADD231PS Z13, Z12, Z29; \
	VMULPS Z2, Z3, Z0; \
	VMULPS Z8, Z9, Z6; \
	VMULPS Z14, Z15, Z12; \
	VFNMADD231PS Z0, Z4, Z2; \
	VFNMADD231PS Z6, Z10, Z8; \
	VFNMADD231PS Z12, Z16, Z14; \
	VFNMADD231PS Z0, Z5, Z2; \
	VFNMADD231PS Z6, Z11, Z8; \
	VFNMADD231PS Z12, Z29, Z14; \
	VFMADD231PS Z2, Z3, Z0; \
	VFMADD231PS Z8, Z9, Z6; \
	VFMADD231PS Z14, Z15, Z12

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
	CMPQ CX, $48
	JB   sigmoidPrimeAVX512_one

sigmoidPrimeAVX512_loop48:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z6
	VMOVUPS 128(SI), Z12
	SIG_PRIME512_X3
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z6, 64(DI)
	VMOVUPS Z12, 128(DI)
	ADDQ $192, SI
	ADDQ $192, DI
	SUBQ $48, CX
	CMPQ CX, $48
	JAE  sigmoidPrimeAVX512_loop48

sigmoidPrimeAVX512_one:
	CMPQ CX, $16
	JB   sigmoidPrimeAVX512_tail
	VMOVUPS (SI), Z0
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
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
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
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
	CMPQ CX, $48
	JB   mulSigmoidPrimeAVX512_one

mulSigmoidPrimeAVX512_loop48:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z6
	VMOVUPS 128(SI), Z12
	SIG_PRIME512_X3
	VMULPS 0(DI), Z0, Z0
	VMOVUPS Z0, 0(DI)
	VMULPS 64(DI), Z6, Z6
	VMOVUPS Z6, 64(DI)
	VMULPS 128(DI), Z12, Z12
	VMOVUPS Z12, 128(DI)
	ADDQ $192, SI
	ADDQ $192, DI
	SUBQ $48, CX
	CMPQ CX, $48
	JAE  mulSigmoidPrimeAVX512_loop48

mulSigmoidPrimeAVX512_one:
	CMPQ CX, $16
	JB   mulSigmoidPrimeAVX512_tail
	VMOVUPS (SI), Z0
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
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
	SIG_PRIME512(Z0, Z1, Z2, Z3, Z4, Z5)
	VMULPS Z6, Z0, Z0
	VMOVUPS Z0, K1, (DI)

mulSigmoidPrimeAVX512_done:
	VZEROUPPER
	RET

// Register use, AVX2: Y14 = 1.0, Y15 = 104.0 (the clamp must be a register,
// VMINPS's first source); the other constants are memory operands. The
// vectors in flight use Y0–Y13.
#define SIG_CONSTS256 \
	VBROADCASTSS sigOne<>(SB), Y14; \
	VBROADCASTSS sigClamp<>(SB), Y15

// In SIG_SIGMOID256 and SIG_PRIME256, k = (1.5·2^23 + 64) − x·log2e holds
// n+64 in its low mantissa bits, so k<<23 is (n+64)<<23, and adding it to
// the bits of p multiplies p by 2^(n+64) exactly (the product is normal,
// n+64 ≥ −86); the multiplication by 2^−64 then rounds once, to a subnormal
// where t is one. That integer addition can turn a NaN into a number, so
// lanes where z is NaN (VCMPPS unordered) are set to all ones, a NaN, at
// the end. F (σ) or G (σ′) keeps a copy of z for the sign and that test.

// SIG_SIGMOID256 computes σ(z) for one vector: z in A, result in E; B, C,
// D and F are scratch.

#define SIG_SIGMOID256(A, B, C, D, E, F) \
	VMOVAPS A, F; \
	VANDPS sigAbs<>(SB), A, A; \
	VMINPS A, Y15, A; \
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
	VBLENDVPS F, C, Y14, C; \
	VDIVPS B, C, E; \
	VRCPPS B, D; \
	VFNMADD231PS E, B, C; \
	VFNMADD231PS E, A, C; \
	VFMADD231PS C, D, E; \
	VCMPPS $3, F, F, F; \
	VORPS F, E, E


// SIG_SIGMOID256_X2 is SIG_SIGMOID256 on 2 vectors, interleaved: z in
// Y0, Y6, results in Y4, Y10.

#define SIG_SIGMOID256_X2 \
	VMOVAPS Y0, Y5; \
	VMOVAPS Y6, Y11; \
	VANDPS sigAbs<>(SB), Y0, Y0; \
	VANDPS sigAbs<>(SB), Y6, Y6; \
	VMINPS Y0, Y15, Y0; \
	VMINPS Y6, Y15, Y6; \
	VMOVUPS sigShift64<>(SB), Y1; \
	VMOVUPS sigShift64<>(SB), Y7; \
	VFNMADD231PS sigLog2e<>(SB), Y0, Y1; \
	VFNMADD231PS sigLog2e<>(SB), Y6, Y7; \
	VPSLLD $23, Y1, Y4; \
	VPSLLD $23, Y7, Y10; \
	VSUBPS sigShift64<>(SB), Y1, Y1; \
	VSUBPS sigShift64<>(SB), Y7, Y7; \
	VFMADD231PS sigLn2Hi<>(SB), Y1, Y0; \
	VFMADD231PS sigLn2Hi<>(SB), Y7, Y6; \
	VFMADD231PS sigLn2Lo<>(SB), Y1, Y0; \
	VFMADD231PS sigLn2Lo<>(SB), Y7, Y6; \
	VMOVUPS sigC6<>(SB), Y2; \
	VMOVUPS sigC6<>(SB), Y8; \
	VFMADD213PS sigC5<>(SB), Y0, Y2; \
	VFMADD213PS sigC5<>(SB), Y6, Y8; \
	VFMADD213PS sigC4<>(SB), Y0, Y2; \
	VFMADD213PS sigC4<>(SB), Y6, Y8; \
	VFMADD213PS sigC3<>(SB), Y0, Y2; \
	VFMADD213PS sigC3<>(SB), Y6, Y8; \
	VFMADD213PS sigC2<>(SB), Y0, Y2; \
	VFMADD213PS sigC2<>(SB), Y6, Y8; \
	VFMADD213PS sigMinusOne<>(SB), Y0, Y2; \
	VFMADD213PS sigMinusOne<>(SB), Y6, Y8; \
	VFMADD213PS Y14, Y0, Y2; \
	VFMADD213PS Y14, Y6, Y8; \
	VPADDD Y4, Y2, Y2; \
	VPADDD Y10, Y8, Y8; \
	VMULPS sigTwoM64<>(SB), Y2, Y2; \
	VMULPS sigTwoM64<>(SB), Y8, Y8; \
	VADDPS Y14, Y2, Y1; \
	VADDPS Y14, Y8, Y7; \
	VSUBPS Y1, Y14, Y0; \
	VSUBPS Y7, Y14, Y6; \
	VADDPS Y2, Y0, Y0; \
	VADDPS Y8, Y6, Y6; \
	VBLENDVPS Y5, Y2, Y14, Y2; \
	VBLENDVPS Y11, Y8, Y14, Y8; \
	VDIVPS Y1, Y2, Y4; \
	VDIVPS Y7, Y8, Y10; \
	VRCPPS Y1, Y3; \
	VRCPPS Y7, Y9; \
	VFNMADD231PS Y4, Y1, Y2; \
	VFNMADD231PS Y10, Y7, Y8; \
	VFNMADD231PS Y4, Y0, Y2; \
	VFNMADD231PS Y10, Y6, Y8; \
	VFMADD231PS Y2, Y3, Y4; \
	VFMADD231PS Y8, Y9, Y10; \
	VCMPPS $3, Y5, Y5, Y5; \
	VCMPPS $3, Y11, Y11, Y11; \
	VORPS Y5, Y4, Y4; \
	VORPS Y11, Y10, Y10


// SIG_PRIME256 computes σ′(z) for one vector: z in A, result in A; B–G are
// scratch.

#define SIG_PRIME256(A, B, C, D, E, F, G) \
	VMOVAPS A, G; \
	VANDPS sigAbs<>(SB), A, A; \
	VMINPS A, Y15, A; \
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
	VDIVPS E, C, D; \
	VMOVAPS E, F; \
	VFMSUB231PS B, B, F; \
	VADDPS A, A, A; \
	VFMADD231PS B, A, F; \
	VFNMADD231PS D, E, C; \
	VFNMADD231PS D, F, C; \
	VRCPPS E, E; \
	VFMADD231PS C, E, D; \
	VCMPPS $3, G, G, G; \
	VORPS G, D, A


// SIG_PRIME256_X2 is SIG_PRIME256 on 2 vectors, interleaved: z and
// results in Y0, Y7.

#define SIG_PRIME256_X2 \
	VMOVAPS Y0, Y6; \
	VMOVAPS Y7, Y13; \
	VANDPS sigAbs<>(SB), Y0, Y0; \
	VANDPS sigAbs<>(SB), Y7, Y7; \
	VMINPS Y0, Y15, Y0; \
	VMINPS Y7, Y15, Y7; \
	VMOVUPS sigShift64<>(SB), Y1; \
	VMOVUPS sigShift64<>(SB), Y8; \
	VFNMADD231PS sigLog2e<>(SB), Y0, Y1; \
	VFNMADD231PS sigLog2e<>(SB), Y7, Y8; \
	VPSLLD $23, Y1, Y4; \
	VPSLLD $23, Y8, Y11; \
	VSUBPS sigShift64<>(SB), Y1, Y1; \
	VSUBPS sigShift64<>(SB), Y8, Y8; \
	VFMADD231PS sigLn2Hi<>(SB), Y1, Y0; \
	VFMADD231PS sigLn2Hi<>(SB), Y8, Y7; \
	VFMADD231PS sigLn2Lo<>(SB), Y1, Y0; \
	VFMADD231PS sigLn2Lo<>(SB), Y8, Y7; \
	VMOVUPS sigC6<>(SB), Y2; \
	VMOVUPS sigC6<>(SB), Y9; \
	VFMADD213PS sigC5<>(SB), Y0, Y2; \
	VFMADD213PS sigC5<>(SB), Y7, Y9; \
	VFMADD213PS sigC4<>(SB), Y0, Y2; \
	VFMADD213PS sigC4<>(SB), Y7, Y9; \
	VFMADD213PS sigC3<>(SB), Y0, Y2; \
	VFMADD213PS sigC3<>(SB), Y7, Y9; \
	VFMADD213PS sigC2<>(SB), Y0, Y2; \
	VFMADD213PS sigC2<>(SB), Y7, Y9; \
	VFMADD213PS sigMinusOne<>(SB), Y0, Y2; \
	VFMADD213PS sigMinusOne<>(SB), Y7, Y9; \
	VFMADD213PS Y14, Y0, Y2; \
	VFMADD213PS Y14, Y7, Y9; \
	VPADDD Y4, Y2, Y2; \
	VPADDD Y11, Y9, Y9; \
	VMULPS sigTwoM64<>(SB), Y2, Y2; \
	VMULPS sigTwoM64<>(SB), Y9, Y9; \
	VADDPS Y14, Y2, Y1; \
	VADDPS Y14, Y9, Y8; \
	VSUBPS Y1, Y14, Y0; \
	VSUBPS Y8, Y14, Y7; \
	VADDPS Y2, Y0, Y0; \
	VADDPS Y9, Y7, Y7; \
	VMULPS Y1, Y1, Y4; \
	VMULPS Y8, Y8, Y11; \
	VDIVPS Y4, Y2, Y3; \
	VDIVPS Y11, Y9, Y10; \
	VMOVAPS Y4, Y5; \
	VMOVAPS Y11, Y12; \
	VFMSUB231PS Y1, Y1, Y5; \
	VFMSUB231PS Y8, Y8, Y12; \
	VADDPS Y0, Y0, Y0; \
	VADDPS Y7, Y7, Y7; \
	VFMADD231PS Y1, Y0, Y5; \
	VFMADD231PS Y8, Y7, Y12; \
	VFNMADD231PS Y3, Y4, Y2; \
	VFNMADD231PS Y10, Y11, Y9; \
	VFNMADD231PS Y3, Y5, Y2; \
	VFNMADD231PS Y10, Y12, Y9; \
	VRCPPS Y4, Y4; \
	VRCPPS Y11, Y11; \
	VFMADD231PS Y2, Y4, Y3; \
	VFMADD231PS Y9, Y11, Y10; \
	VCMPPS $3, Y6, Y6, Y6; \
	VCMPPS $3, Y13, Y13, Y13; \
	VORPS Y6, Y3, Y0; \
	VORPS Y13, Y10, Y7

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
	CMPQ CX, $16
	JB   sigmoidAVX2_one

sigmoidAVX2_loop16:
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y6
	SIG_SIGMOID256_X2
	VMOVUPS Y4, 0(DI)
	VMOVUPS Y10, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	CMPQ CX, $16
	JAE  sigmoidAVX2_loop16

sigmoidAVX2_one:
	CMPQ CX, $8
	JB   sigmoidAVX2_tail
	VMOVUPS (SI), Y0
	SIG_SIGMOID256(Y0, Y1, Y2, Y3, Y4, Y5)
	VMOVUPS Y4, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  sigmoidAVX2_one

sigmoidAVX2_tail:
	TESTQ CX, CX
	JZ    sigmoidAVX2_done
	SIG_TAILIN256(SI, 0, sigmoidAVX2_tailin)
	VMOVUPS (SP), Y0
	SIG_SIGMOID256(Y0, Y1, Y2, Y3, Y4, Y5)
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
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y7
	SIG_PRIME256_X2
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y7, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	CMPQ CX, $16
	JAE  sigmoidPrimeAVX2_loop16

sigmoidPrimeAVX2_one:
	CMPQ CX, $8
	JB   sigmoidPrimeAVX2_tail
	VMOVUPS (SI), Y0
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
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
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
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
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y7
	SIG_PRIME256_X2
	VMULPS 0(DI), Y0, Y0
	VMOVUPS Y0, 0(DI)
	VMULPS 32(DI), Y7, Y7
	VMOVUPS Y7, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	CMPQ CX, $16
	JAE  mulSigmoidPrimeAVX2_loop16

mulSigmoidPrimeAVX2_one:
	CMPQ CX, $8
	JB   mulSigmoidPrimeAVX2_tail
	VMOVUPS (SI), Y0
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
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
	SIG_PRIME256(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
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

