//go:build !purego

#include "textflag.h"

// NEON (ASIMD) kernels. Go's arm64 assembler lacks the vector floating-point
// arithmetic used here (FADD, FMUL, FDIV, FMAX, FRINTN, FCVTZS, FCVTL, FADDP,
// SSHR, CMLT), so those are encoded with WORD, each with its mnemonic in a
// comment on the same line (/* */ inside macros). neon_wordcheck_test.go
// assembles every such mnemonic with aarch64-linux-gnu-as and checks that it
// encodes to the WORD beside it.
//
// Registers: R0–R6 and V0–V31 only; never R18, R27, R28, R29, R30.

// Constants of the σ kernels, broadcast by LOAD_SIGMOID_CONSTS into V20–V31.
// c2…c6 are a degree-6 minimax fit e^r ≈ 1 + r + c2·r² + … + c6·r⁶ on
// |r| ≤ ln2/2 (relative error 1.0e-8 with these float32 coefficients).
DATA sigmoidConstsNEON<>+0x00(SB)/4, $0x40000000 // V20: 2
DATA sigmoidConstsNEON<>+0x04(SB)/4, $0x3f800000 // V21: 1 (also the exponent bias 127<<23)
DATA sigmoidConstsNEON<>+0x08(SB)/4, $0x3f000000 // V22: c2 = 0.5
DATA sigmoidConstsNEON<>+0x0c(SB)/4, $0x3e2aaa6e // V23: c3 ≈ 0.16666576
DATA sigmoidConstsNEON<>+0x10(SB)/4, $0x3d2aaa5c // V24: c4 ≈ 0.041666374
DATA sigmoidConstsNEON<>+0x14(SB)/4, $0x3c090634 // V25: c5 ≈ 0.008363295
DATA sigmoidConstsNEON<>+0x18(SB)/4, $0x3ab6bb51 // V26: c6 ≈ 0.0013941323
DATA sigmoidConstsNEON<>+0x1c(SB)/4, $0xb102e308 // V27: ln2lo = ln2 − ln2hi ≈ −1.9046542e-09
DATA sigmoidConstsNEON<>+0x20(SB)/4, $0x3f317218 // V28: ln2hi = float32(ln2)
DATA sigmoidConstsNEON<>+0x24(SB)/4, $0x3fb8aa3b // V29: log2(e)
DATA sigmoidConstsNEON<>+0x28(SB)/4, $0xc2dc0000 // V30: −110, below which e^x is 0 in float32
DATA sigmoidConstsNEON<>+0x2c(SB)/4, $0x80000000 // V31: sign bit
GLOBL sigmoidConstsNEON<>(SB), RODATA|NOPTR, $48

#define LOAD_SIGMOID_CONSTS \
	MOVD    $sigmoidConstsNEON<>(SB), R3 \
	VLD1R.P 4(R3), [V20.S4] \
	VLD1R.P 4(R3), [V21.S4] \
	VLD1R.P 4(R3), [V22.S4] \
	VLD1R.P 4(R3), [V23.S4] \
	VLD1R.P 4(R3), [V24.S4] \
	VLD1R.P 4(R3), [V25.S4] \
	VLD1R.P 4(R3), [V26.S4] \
	VLD1R.P 4(R3), [V27.S4] \
	VLD1R.P 4(R3), [V28.S4] \
	VLD1R.P 4(R3), [V29.S4] \
	VLD1R.P 4(R3), [V30.S4] \
	VLD1R.P 4(R3), [V31.S4]

// EXP_A sets V5 = t = e^(−|z|) for the four lanes of z in V0, clobbering
// V1–V6:
//   x  = max(−|z|, −110)           NaN stays NaN; −110 makes t = 0 exactly
//   nf = round-to-even(x·log2e), ni = int32(nf) ∈ [−159, 0]
//   r  = x − nf·ln2hi − nf·ln2lo   (the first FMLS is exact)
//   p  = 1 + r·(1 + r·(c2 + r·(c3 + r·(c4 + r·(c5 + r·c6)))))
//   t  = (p·2^n1)·2^n2 with n1 = ni>>1, n2 = ni−n1 ∈ [−80, 0]: both factors
//        are normal, and the second product rounds once into the subnormals.
#define EXP_A \
	VORR  V31.B16, V0.B16, V1.B16 \
	WORD  $0x4e3ef421 /* fmax v1.4s, v1.4s, v30.4s */ \
	WORD  $0x6e3ddc22 /* fmul v2.4s, v1.4s, v29.4s */ \
	WORD  $0x4e218842 /* frintn v2.4s, v2.4s */ \
	WORD  $0x4ea1b843 /* fcvtzs v3.4s, v2.4s */ \
	VFMLS V28.S4, V2.S4, V1.S4 \
	VFMLS V27.S4, V2.S4, V1.S4 \
	VORR  V25.B16, V25.B16, V5.B16 \
	VFMLA V26.S4, V1.S4, V5.S4 \
	VORR  V24.B16, V24.B16, V6.B16 \
	VFMLA V5.S4, V1.S4, V6.S4 \
	VORR  V23.B16, V23.B16, V5.B16 \
	VFMLA V6.S4, V1.S4, V5.S4 \
	VORR  V22.B16, V22.B16, V6.B16 \
	VFMLA V5.S4, V1.S4, V6.S4 \
	VORR  V21.B16, V21.B16, V5.B16 \
	VFMLA V6.S4, V1.S4, V5.S4 \
	VORR  V21.B16, V21.B16, V6.B16 \
	VFMLA V5.S4, V1.S4, V6.S4 \
	WORD  $0x4f3f0464 /* sshr v4.4s, v3.4s, #1 */ \
	VSUB  V4.S4, V3.S4, V3.S4 \
	VSHL  $23, V4.S4, V4.S4 \
	VSHL  $23, V3.S4, V3.S4 \
	VADD  V21.S4, V4.S4, V4.S4 \
	VADD  V21.S4, V3.S4, V3.S4 \
	WORD  $0x6e24dcc6 /* fmul v6.4s, v6.4s, v4.4s */ \
	WORD  $0x6e23dcc5 /* fmul v5.4s, v6.4s, v3.4s */

// EXP_AB is EXP_A on V0 (into V5, clobbering V1–V6) interleaved with the
// same on V8 (into V13, clobbering V9–V14).
#define EXP_AB \
	VORR  V31.B16, V0.B16, V1.B16 \
	VORR  V31.B16, V8.B16, V9.B16 \
	WORD  $0x4e3ef421 /* fmax v1.4s, v1.4s, v30.4s */ \
	WORD  $0x4e3ef529 /* fmax v9.4s, v9.4s, v30.4s */ \
	WORD  $0x6e3ddc22 /* fmul v2.4s, v1.4s, v29.4s */ \
	WORD  $0x6e3ddd2a /* fmul v10.4s, v9.4s, v29.4s */ \
	WORD  $0x4e218842 /* frintn v2.4s, v2.4s */ \
	WORD  $0x4e21894a /* frintn v10.4s, v10.4s */ \
	WORD  $0x4ea1b843 /* fcvtzs v3.4s, v2.4s */ \
	WORD  $0x4ea1b94b /* fcvtzs v11.4s, v10.4s */ \
	VFMLS V28.S4, V2.S4, V1.S4 \
	VFMLS V28.S4, V10.S4, V9.S4 \
	VFMLS V27.S4, V2.S4, V1.S4 \
	VFMLS V27.S4, V10.S4, V9.S4 \
	VORR  V25.B16, V25.B16, V5.B16 \
	VORR  V25.B16, V25.B16, V13.B16 \
	VFMLA V26.S4, V1.S4, V5.S4 \
	VFMLA V26.S4, V9.S4, V13.S4 \
	VORR  V24.B16, V24.B16, V6.B16 \
	VORR  V24.B16, V24.B16, V14.B16 \
	VFMLA V5.S4, V1.S4, V6.S4 \
	VFMLA V13.S4, V9.S4, V14.S4 \
	VORR  V23.B16, V23.B16, V5.B16 \
	VORR  V23.B16, V23.B16, V13.B16 \
	VFMLA V6.S4, V1.S4, V5.S4 \
	VFMLA V14.S4, V9.S4, V13.S4 \
	VORR  V22.B16, V22.B16, V6.B16 \
	VORR  V22.B16, V22.B16, V14.B16 \
	VFMLA V5.S4, V1.S4, V6.S4 \
	VFMLA V13.S4, V9.S4, V14.S4 \
	VORR  V21.B16, V21.B16, V5.B16 \
	VORR  V21.B16, V21.B16, V13.B16 \
	VFMLA V6.S4, V1.S4, V5.S4 \
	VFMLA V14.S4, V9.S4, V13.S4 \
	VORR  V21.B16, V21.B16, V6.B16 \
	VORR  V21.B16, V21.B16, V14.B16 \
	VFMLA V5.S4, V1.S4, V6.S4 \
	VFMLA V13.S4, V9.S4, V14.S4 \
	WORD  $0x4f3f0464 /* sshr v4.4s, v3.4s, #1 */ \
	WORD  $0x4f3f056c /* sshr v12.4s, v11.4s, #1 */ \
	VSUB  V4.S4, V3.S4, V3.S4 \
	VSUB  V12.S4, V11.S4, V11.S4 \
	VSHL  $23, V4.S4, V4.S4 \
	VSHL  $23, V12.S4, V12.S4 \
	VSHL  $23, V3.S4, V3.S4 \
	VSHL  $23, V11.S4, V11.S4 \
	VADD  V21.S4, V4.S4, V4.S4 \
	VADD  V21.S4, V12.S4, V12.S4 \
	VADD  V21.S4, V3.S4, V3.S4 \
	VADD  V21.S4, V11.S4, V11.S4 \
	WORD  $0x6e24dcc6 /* fmul v6.4s, v6.4s, v4.4s */ \
	WORD  $0x6e2cddce /* fmul v14.4s, v14.4s, v12.4s */ \
	WORD  $0x6e23dcc5 /* fmul v5.4s, v6.4s, v3.4s */ \
	WORD  $0x6e2bddcd /* fmul v13.4s, v14.4s, v11.4s */

// SIG_A sets V0 = σ(z) from z in V0 and t in V5: (z < 0 ? t : 1)/(1 + t).
#define SIG_A \
	WORD $0x4e35d4a2 /* fadd v2.4s, v5.4s, v21.4s */ \
	WORD $0x4ea0a801 /* cmlt v1.4s, v0.4s, #0 */ \
	VBSL V21.B16, V5.B16, V1.B16 \
	WORD $0x6e22fc20 /* fdiv v0.4s, v1.4s, v2.4s */

// SIG_AB is SIG_A on V0/V5 and on V8/V13.
#define SIG_AB \
	WORD $0x4e35d4a2 /* fadd v2.4s, v5.4s, v21.4s */ \
	WORD $0x4e35d5aa /* fadd v10.4s, v13.4s, v21.4s */ \
	WORD $0x4ea0a801 /* cmlt v1.4s, v0.4s, #0 */ \
	WORD $0x4ea0a909 /* cmlt v9.4s, v8.4s, #0 */ \
	VBSL V21.B16, V5.B16, V1.B16 \
	VBSL V21.B16, V13.B16, V9.B16 \
	WORD $0x6e22fc20 /* fdiv v0.4s, v1.4s, v2.4s */ \
	WORD $0x6e2afd28 /* fdiv v8.4s, v9.4s, v10.4s */

// SIGP_A sets V0 = σ′(z) = t/(1 + t·(2 + t)) = t/(1+t)² from t in V5.
#define SIGP_A \
	WORD  $0x4e34d4a2 /* fadd v2.4s, v5.4s, v20.4s */ \
	VORR  V21.B16, V21.B16, V1.B16 \
	VFMLA V2.S4, V5.S4, V1.S4 \
	WORD  $0x6e21fca0 /* fdiv v0.4s, v5.4s, v1.4s */

// SIGP_AB is SIGP_A on V5 (into V0) and on V13 (into V8).
#define SIGP_AB \
	WORD  $0x4e34d4a2 /* fadd v2.4s, v5.4s, v20.4s */ \
	WORD  $0x4e34d5aa /* fadd v10.4s, v13.4s, v20.4s */ \
	VORR  V21.B16, V21.B16, V1.B16 \
	VORR  V21.B16, V21.B16, V9.B16 \
	VFMLA V2.S4, V5.S4, V1.S4 \
	VFMLA V10.S4, V13.S4, V9.S4 \
	WORD  $0x6e21fca0 /* fdiv v0.4s, v5.4s, v1.4s */ \
	WORD  $0x6e29fda8 /* fdiv v8.4s, v13.4s, v9.4s */

// func sigmoidNEON(dst, z []float32)
// Requires: ASIMD.
TEXT ·sigmoidNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD z_base+24(FP), R1
	MOVD z_len+32(FP), R2
	LOAD_SIGMOID_CONSTS
	CMP  $8, R2
	BLT  sigmoidNEON_tail4

sigmoidNEON_loop8:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R1), [V8.S4]
	EXP_AB
	SIG_AB
	VST1.P [V0.S4], 16(R0)
	VST1.P [V8.S4], 16(R0)
	SUB    $8, R2
	CMP    $8, R2
	BGE    sigmoidNEON_loop8

sigmoidNEON_tail4:
	CMP    $4, R2
	BLT    sigmoidNEON_tail
	VLD1.P 16(R1), [V0.S4]
	EXP_A
	SIG_A
	VST1.P [V0.S4], 16(R0)
	SUB    $4, R2

sigmoidNEON_tail:
	// 0–3 elements left: load them into the low lanes of V0 one D and/or
	// one S at a time, and store back the same lanes.
	CBZ    R2, sigmoidNEON_done
	VEOR   V0.B16, V0.B16, V0.B16
	TBZ    $1, R2, sigmoidNEON_load1
	VLD1.P 8(R1), V0.D[0]
	TBZ    $0, R2, sigmoidNEON_compute
	VLD1   (R1), V0.S[2]
	B      sigmoidNEON_compute

sigmoidNEON_load1:
	VLD1 (R1), V0.S[0]

sigmoidNEON_compute:
	EXP_A
	SIG_A
	TBZ    $1, R2, sigmoidNEON_store1
	VST1.P V0.D[0], 8(R0)
	TBZ    $0, R2, sigmoidNEON_done
	VST1   V0.S[2], (R0)
	RET

sigmoidNEON_store1:
	VST1 V0.S[0], (R0)

sigmoidNEON_done:
	RET

// func sigmoidPrimeNEON(dst, z []float32)
// Requires: ASIMD.
TEXT ·sigmoidPrimeNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD z_base+24(FP), R1
	MOVD z_len+32(FP), R2
	LOAD_SIGMOID_CONSTS
	CMP  $8, R2
	BLT  sigmoidPrimeNEON_tail4

sigmoidPrimeNEON_loop8:
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R1), [V8.S4]
	EXP_AB
	SIGP_AB
	VST1.P [V0.S4], 16(R0)
	VST1.P [V8.S4], 16(R0)
	SUB    $8, R2
	CMP    $8, R2
	BGE    sigmoidPrimeNEON_loop8

sigmoidPrimeNEON_tail4:
	CMP    $4, R2
	BLT    sigmoidPrimeNEON_tail
	VLD1.P 16(R1), [V0.S4]
	EXP_A
	SIGP_A
	VST1.P [V0.S4], 16(R0)
	SUB    $4, R2

sigmoidPrimeNEON_tail:
	CBZ    R2, sigmoidPrimeNEON_done
	VEOR   V0.B16, V0.B16, V0.B16
	TBZ    $1, R2, sigmoidPrimeNEON_load1
	VLD1.P 8(R1), V0.D[0]
	TBZ    $0, R2, sigmoidPrimeNEON_compute
	VLD1   (R1), V0.S[2]
	B      sigmoidPrimeNEON_compute

sigmoidPrimeNEON_load1:
	VLD1 (R1), V0.S[0]

sigmoidPrimeNEON_compute:
	EXP_A
	SIGP_A
	TBZ    $1, R2, sigmoidPrimeNEON_store1
	VST1.P V0.D[0], 8(R0)
	TBZ    $0, R2, sigmoidPrimeNEON_done
	VST1   V0.S[2], (R0)
	RET

sigmoidPrimeNEON_store1:
	VST1 V0.S[0], (R0)

sigmoidPrimeNEON_done:
	RET

// func mulSigmoidPrimeNEON(delta, z []float32)
// Requires: ASIMD.
TEXT ·mulSigmoidPrimeNEON(SB), NOSPLIT, $0-48
	MOVD delta_base+0(FP), R0
	MOVD z_base+24(FP), R1
	MOVD z_len+32(FP), R2
	LOAD_SIGMOID_CONSTS
	CMP  $8, R2
	BLT  mulSigmoidPrimeNEON_tail4

mulSigmoidPrimeNEON_loop8:
	VLD1   (R0), [V16.S4, V17.S4]
	VLD1.P 16(R1), [V0.S4]
	VLD1.P 16(R1), [V8.S4]
	EXP_AB
	SIGP_AB
	WORD   $0x6e30dc00 // fmul v0.4s, v0.4s, v16.4s
	WORD   $0x6e31dd08 // fmul v8.4s, v8.4s, v17.4s
	VST1.P [V0.S4], 16(R0)
	VST1.P [V8.S4], 16(R0)
	SUB    $8, R2
	CMP    $8, R2
	BGE    mulSigmoidPrimeNEON_loop8

mulSigmoidPrimeNEON_tail4:
	CMP    $4, R2
	BLT    mulSigmoidPrimeNEON_tail
	VLD1   (R0), [V16.S4]
	VLD1.P 16(R1), [V0.S4]
	EXP_A
	SIGP_A
	WORD   $0x6e30dc00 // fmul v0.4s, v0.4s, v16.4s
	VST1.P [V0.S4], 16(R0)
	SUB    $4, R2

mulSigmoidPrimeNEON_tail:
	CBZ    R2, mulSigmoidPrimeNEON_done
	MOVD   R0, R3
	VEOR   V0.B16, V0.B16, V0.B16
	VEOR   V16.B16, V16.B16, V16.B16
	TBZ    $1, R2, mulSigmoidPrimeNEON_load1
	VLD1.P 8(R1), V0.D[0]
	VLD1.P 8(R3), V16.D[0]
	TBZ    $0, R2, mulSigmoidPrimeNEON_compute
	VLD1   (R1), V0.S[2]
	VLD1   (R3), V16.S[2]
	B      mulSigmoidPrimeNEON_compute

mulSigmoidPrimeNEON_load1:
	VLD1 (R1), V0.S[0]
	VLD1 (R3), V16.S[0]

mulSigmoidPrimeNEON_compute:
	EXP_A
	SIGP_A
	WORD   $0x6e30dc00 // fmul v0.4s, v0.4s, v16.4s
	TBZ    $1, R2, mulSigmoidPrimeNEON_store1
	VST1.P V0.D[0], 8(R0)
	TBZ    $0, R2, mulSigmoidPrimeNEON_done
	VST1   V0.S[2], (R0)
	RET

mulSigmoidPrimeNEON_store1:
	VST1 V0.S[0], (R0)

mulSigmoidPrimeNEON_done:
	RET

// Constants of the tanh kernels, loaded by LOAD_TANH_CONSTS into V18–V19
// beside σ's.
DATA tanhConstsNEON<>+0x00(SB)/4, $0x40800000 // V18: 4 (tanh′ = 4σ′(2z))
DATA tanhConstsNEON<>+0x04(SB)/4, $0xc2800000 // V19: −64, the clamp of −2|z| (n ≥ −93)
GLOBL tanhConstsNEON<>(SB), RODATA|NOPTR, $8

#define LOAD_TANH_CONSTS \
	LOAD_SIGMOID_CONSTS \
	MOVD    $tanhConstsNEON<>(SB), R3 \
	VLD1R.P 4(R3), [V18.S4] \
	VLD1R.P 4(R3), [V19.S4]

// TANH_A sets V0 = tanh(z) for z in V0, clobbering V1–V6, from σ's
// exponential: with x = max(−2|z|, −64) and E = e^x − 1 ∈ [−1, 0],
// tanh(|z|) = −E/(2+E), and the sign of z is put back. E is formed as
//   E = 2ⁿ·q + (2ⁿ − 1),  q = p(r) − 1 = r·(1 + r·(c2 + …))
// (one FMLA): q keeps its relative accuracy for small r, as c0 = c1 = 1 are
// exact, so tanh keeps its own near z = 0, where 2σ(2z) − 1 would cancel.
// n ∈ [−93, 0], so 2ⁿ is built in the exponent field in one step; below
// x = −64, E = −1 to float32's precision.
#define TANH_A \
	VORR  V31.B16, V0.B16, V1.B16 \
	WORD  $0x4e21d421 /* fadd v1.4s, v1.4s, v1.4s */ \
	WORD  $0x4e33f421 /* fmax v1.4s, v1.4s, v19.4s */ \
	WORD  $0x6e3ddc22 /* fmul v2.4s, v1.4s, v29.4s */ \
	WORD  $0x4e218842 /* frintn v2.4s, v2.4s */ \
	WORD  $0x4ea1b843 /* fcvtzs v3.4s, v2.4s */ \
	VFMLS V28.S4, V2.S4, V1.S4 \
	VFMLS V27.S4, V2.S4, V1.S4 \
	VORR  V25.B16, V25.B16, V5.B16 \
	VFMLA V26.S4, V1.S4, V5.S4 \
	VORR  V24.B16, V24.B16, V6.B16 \
	VFMLA V5.S4, V1.S4, V6.S4 \
	VORR  V23.B16, V23.B16, V5.B16 \
	VFMLA V6.S4, V1.S4, V5.S4 \
	VORR  V22.B16, V22.B16, V6.B16 \
	VFMLA V5.S4, V1.S4, V6.S4 \
	VORR  V21.B16, V21.B16, V5.B16 \
	VFMLA V6.S4, V1.S4, V5.S4 \
	WORD  $0x6e21dca5 /* fmul v5.4s, v5.4s, v1.4s */ \
	VSHL  $23, V3.S4, V3.S4 \
	VADD  V21.S4, V3.S4, V3.S4 \
	WORD  $0x4eb5d464 /* fsub v4.4s, v3.4s, v21.4s */ \
	VFMLA V5.S4, V3.S4, V4.S4 \
	WORD  $0x4e34d482 /* fadd v2.4s, v4.4s, v20.4s */ \
	WORD  $0x6e22fc84 /* fdiv v4.4s, v4.4s, v2.4s */ \
	VORR  V31.B16, V31.B16, V1.B16 \
	VBSL  V4.B16, V0.B16, V1.B16 \
	VORR  V1.B16, V1.B16, V0.B16

// TANHP_A sets V0 = tanh′(z) = 4σ′(2z) for z in V0, clobbering V1–V6.
#define TANHP_A \
	WORD $0x4e20d400 /* fadd v0.4s, v0.4s, v0.4s */ \
	EXP_A \
	SIGP_A \
	WORD $0x6e32dc00 /* fmul v0.4s, v0.4s, v18.4s */

// func tanhNEON(dst, z []float32)
// Requires: ASIMD.
TEXT ·tanhNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD z_base+24(FP), R1
	MOVD z_len+32(FP), R2
	LOAD_TANH_CONSTS

tanhNEON_loop4:
	CMP    $4, R2
	BLT    tanhNEON_tail
	VLD1.P 16(R1), [V0.S4]
	TANH_A
	VST1.P [V0.S4], 16(R0)
	SUB    $4, R2
	B      tanhNEON_loop4

tanhNEON_tail:
	CBZ    R2, tanhNEON_done
	VEOR   V0.B16, V0.B16, V0.B16
	TBZ    $1, R2, tanhNEON_load1
	VLD1.P 8(R1), V0.D[0]
	TBZ    $0, R2, tanhNEON_compute
	VLD1   (R1), V0.S[2]
	B      tanhNEON_compute

tanhNEON_load1:
	VLD1 (R1), V0.S[0]

tanhNEON_compute:
	TANH_A
	TBZ    $1, R2, tanhNEON_store1
	VST1.P V0.D[0], 8(R0)
	TBZ    $0, R2, tanhNEON_done
	VST1   V0.S[2], (R0)
	RET

tanhNEON_store1:
	VST1 V0.S[0], (R0)

tanhNEON_done:
	RET

// func tanhPrimeNEON(dst, z []float32)
// Requires: ASIMD.
TEXT ·tanhPrimeNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), R0
	MOVD z_base+24(FP), R1
	MOVD z_len+32(FP), R2
	LOAD_TANH_CONSTS

tanhPrimeNEON_loop4:
	CMP    $4, R2
	BLT    tanhPrimeNEON_tail
	VLD1.P 16(R1), [V0.S4]
	TANHP_A
	VST1.P [V0.S4], 16(R0)
	SUB    $4, R2
	B      tanhPrimeNEON_loop4

tanhPrimeNEON_tail:
	CBZ    R2, tanhPrimeNEON_done
	VEOR   V0.B16, V0.B16, V0.B16
	TBZ    $1, R2, tanhPrimeNEON_load1
	VLD1.P 8(R1), V0.D[0]
	TBZ    $0, R2, tanhPrimeNEON_compute
	VLD1   (R1), V0.S[2]
	B      tanhPrimeNEON_compute

tanhPrimeNEON_load1:
	VLD1 (R1), V0.S[0]

tanhPrimeNEON_compute:
	TANHP_A
	TBZ    $1, R2, tanhPrimeNEON_store1
	VST1.P V0.D[0], 8(R0)
	TBZ    $0, R2, tanhPrimeNEON_done
	VST1   V0.S[2], (R0)
	RET

tanhPrimeNEON_store1:
	VST1 V0.S[0], (R0)

tanhPrimeNEON_done:
	RET

// func mulTanhPrimeNEON(delta, z []float32)
// Requires: ASIMD.
TEXT ·mulTanhPrimeNEON(SB), NOSPLIT, $0-48
	MOVD delta_base+0(FP), R0
	MOVD z_base+24(FP), R1
	MOVD z_len+32(FP), R2
	LOAD_TANH_CONSTS

mulTanhPrimeNEON_loop4:
	CMP    $4, R2
	BLT    mulTanhPrimeNEON_tail
	VLD1   (R0), [V16.S4]
	VLD1.P 16(R1), [V0.S4]
	TANHP_A
	WORD   $0x6e30dc00 // fmul v0.4s, v0.4s, v16.4s
	VST1.P [V0.S4], 16(R0)
	SUB    $4, R2
	B      mulTanhPrimeNEON_loop4

mulTanhPrimeNEON_tail:
	CBZ    R2, mulTanhPrimeNEON_done
	MOVD   R0, R3
	VEOR   V0.B16, V0.B16, V0.B16
	VEOR   V16.B16, V16.B16, V16.B16
	TBZ    $1, R2, mulTanhPrimeNEON_load1
	VLD1.P 8(R1), V0.D[0]
	VLD1.P 8(R3), V16.D[0]
	TBZ    $0, R2, mulTanhPrimeNEON_compute
	VLD1   (R1), V0.S[2]
	VLD1   (R3), V16.S[2]
	B      mulTanhPrimeNEON_compute

mulTanhPrimeNEON_load1:
	VLD1 (R1), V0.S[0]
	VLD1 (R3), V16.S[0]

mulTanhPrimeNEON_compute:
	TANHP_A
	WORD   $0x6e30dc00 // fmul v0.4s, v0.4s, v16.4s
	TBZ    $1, R2, mulTanhPrimeNEON_store1
	VST1.P V0.D[0], 8(R0)
	TBZ    $0, R2, mulTanhPrimeNEON_done
	VST1   V0.S[2], (R0)
	RET

mulTanhPrimeNEON_store1:
	VST1 V0.S[0], (R0)

mulTanhPrimeNEON_done:
	RET

// func axpyNEON(alpha float32, x, y []float32)
// Requires: ASIMD.
TEXT ·axpyNEON(SB), NOSPLIT, $0-56
	FMOVS alpha+0(FP), F0
	VDUP  V0.S[0], V0.S4
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2
	MOVD  y_base+32(FP), R1
	CMP   $16, R2
	BLT   axpyNEON_loop4

axpyNEON_loop16:
	VLD1.P 64(R0), [V1.S4, V2.S4, V3.S4, V4.S4]
	VLD1   (R1), [V5.S4, V6.S4, V7.S4, V8.S4]
	VFMLA  V0.S4, V1.S4, V5.S4
	VFMLA  V0.S4, V2.S4, V6.S4
	VFMLA  V0.S4, V3.S4, V7.S4
	VFMLA  V0.S4, V4.S4, V8.S4
	VST1.P [V5.S4, V6.S4, V7.S4, V8.S4], 64(R1)
	SUB    $16, R2
	CMP    $16, R2
	BGE    axpyNEON_loop16

axpyNEON_loop4:
	CMP    $4, R2
	BLT    axpyNEON_tail
	VLD1.P 16(R0), [V1.S4]
	VLD1   (R1), [V5.S4]
	VFMLA  V0.S4, V1.S4, V5.S4
	VST1.P [V5.S4], 16(R1)
	SUB    $4, R2
	B      axpyNEON_loop4

axpyNEON_tail:
	CBZ     R2, axpyNEON_done
	FMOVS.P 4(R0), F1
	FMOVS   (R1), F5
	FMADDS  F0, F5, F1, F5 // F5 += F1·F0, one rounding like VFMLA
	FMOVS.P F5, 4(R1)
	SUB     $1, R2
	B       axpyNEON_tail

axpyNEON_done:
	RET

// func scalNEON(alpha float32, x []float32)
// Requires: ASIMD.
TEXT ·scalNEON(SB), NOSPLIT, $0-32
	FMOVS alpha+0(FP), F0
	VDUP  V0.S[0], V0.S4
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2
	CMP   $16, R2
	BLT   scalNEON_loop4

scalNEON_loop16:
	VLD1   (R0), [V1.S4, V2.S4, V3.S4, V4.S4]
	WORD   $0x6e20dc21 // fmul v1.4s, v1.4s, v0.4s
	WORD   $0x6e20dc42 // fmul v2.4s, v2.4s, v0.4s
	WORD   $0x6e20dc63 // fmul v3.4s, v3.4s, v0.4s
	WORD   $0x6e20dc84 // fmul v4.4s, v4.4s, v0.4s
	VST1.P [V1.S4, V2.S4, V3.S4, V4.S4], 64(R0)
	SUB    $16, R2
	CMP    $16, R2
	BGE    scalNEON_loop16

scalNEON_loop4:
	CMP    $4, R2
	BLT    scalNEON_tail
	VLD1   (R0), [V1.S4]
	WORD   $0x6e20dc21 // fmul v1.4s, v1.4s, v0.4s
	VST1.P [V1.S4], 16(R0)
	SUB    $4, R2
	B      scalNEON_loop4

scalNEON_tail:
	CBZ     R2, scalNEON_done
	FMOVS   (R0), F1
	FMULS   F0, F1
	FMOVS.P F1, 4(R0)
	SUB     $1, R2
	B       scalNEON_tail

scalNEON_done:
	RET

// func dotNEON(x, y []float32) float32
// Requires: ASIMD.
TEXT ·dotNEON(SB), NOSPLIT, $0-52
	MOVD x_base+0(FP), R0
	MOVD x_len+8(FP), R2
	MOVD y_base+24(FP), R1
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	CMP  $16, R2
	BLT  dotNEON_loop4

dotNEON_loop16:
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(R1), [V8.S4, V9.S4, V10.S4, V11.S4]
	VFMLA  V8.S4, V4.S4, V0.S4
	VFMLA  V9.S4, V5.S4, V1.S4
	VFMLA  V10.S4, V6.S4, V2.S4
	VFMLA  V11.S4, V7.S4, V3.S4
	SUB    $16, R2
	CMP    $16, R2
	BGE    dotNEON_loop16

dotNEON_loop4:
	CMP    $4, R2
	BLT    dotNEON_reduce
	VLD1.P 16(R0), [V4.S4]
	VLD1.P 16(R1), [V8.S4]
	VFMLA  V8.S4, V4.S4, V0.S4
	SUB    $4, R2
	B      dotNEON_loop4

dotNEON_reduce:
	WORD $0x4e21d400 // fadd v0.4s, v0.4s, v1.4s
	WORD $0x4e23d442 // fadd v2.4s, v2.4s, v3.4s
	WORD $0x4e22d400 // fadd v0.4s, v0.4s, v2.4s
	WORD $0x6e20d400 // faddp v0.4s, v0.4s, v0.4s
	WORD $0x7e30d800 // faddp s0, v0.2s

dotNEON_tail:
	CBZ     R2, dotNEON_done
	FMOVS.P 4(R0), F4
	FMOVS.P 4(R1), F8
	FMADDS  F8, F0, F4, F0 // F0 += F4·F8
	SUB     $1, R2
	B       dotNEON_tail

dotNEON_done:
	FMOVS F0, ret+48(FP)
	RET

// func sumSquaresNEON(x []float32) float64
// Requires: ASIMD.
TEXT ·sumSquaresNEON(SB), NOSPLIT, $0-32
	MOVD x_base+0(FP), R0
	MOVD x_len+8(FP), R2
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	CMP  $16, R2
	BLT  sumSquaresNEON_loop4

sumSquaresNEON_loop16:
	VLD1.P 64(R0), [V16.S4, V17.S4, V18.S4, V19.S4]
	WORD   $0x0e617a14 // fcvtl v20.2d, v16.2s
	WORD   $0x4e617a15 // fcvtl2 v21.2d, v16.4s
	WORD   $0x0e617a36 // fcvtl v22.2d, v17.2s
	WORD   $0x4e617a37 // fcvtl2 v23.2d, v17.4s
	WORD   $0x0e617a58 // fcvtl v24.2d, v18.2s
	WORD   $0x4e617a59 // fcvtl2 v25.2d, v18.4s
	WORD   $0x0e617a7a // fcvtl v26.2d, v19.2s
	WORD   $0x4e617a7b // fcvtl2 v27.2d, v19.4s
	VFMLA  V20.D2, V20.D2, V0.D2
	VFMLA  V21.D2, V21.D2, V1.D2
	VFMLA  V22.D2, V22.D2, V2.D2
	VFMLA  V23.D2, V23.D2, V3.D2
	VFMLA  V24.D2, V24.D2, V4.D2
	VFMLA  V25.D2, V25.D2, V5.D2
	VFMLA  V26.D2, V26.D2, V6.D2
	VFMLA  V27.D2, V27.D2, V7.D2
	SUB    $16, R2
	CMP    $16, R2
	BGE    sumSquaresNEON_loop16

sumSquaresNEON_loop4:
	CMP    $4, R2
	BLT    sumSquaresNEON_reduce
	VLD1.P 16(R0), [V16.S4]
	WORD   $0x0e617a14 // fcvtl v20.2d, v16.2s
	WORD   $0x4e617a15 // fcvtl2 v21.2d, v16.4s
	VFMLA  V20.D2, V20.D2, V0.D2
	VFMLA  V21.D2, V21.D2, V1.D2
	SUB    $4, R2
	B      sumSquaresNEON_loop4

sumSquaresNEON_reduce:
	WORD $0x4e61d400 // fadd v0.2d, v0.2d, v1.2d
	WORD $0x4e63d442 // fadd v2.2d, v2.2d, v3.2d
	WORD $0x4e65d484 // fadd v4.2d, v4.2d, v5.2d
	WORD $0x4e67d4c6 // fadd v6.2d, v6.2d, v7.2d
	WORD $0x4e62d400 // fadd v0.2d, v0.2d, v2.2d
	WORD $0x4e66d484 // fadd v4.2d, v4.2d, v6.2d
	WORD $0x4e64d400 // fadd v0.2d, v0.2d, v4.2d
	WORD $0x7e70d800 // faddp d0, v0.2d

sumSquaresNEON_tail:
	CBZ     R2, sumSquaresNEON_done
	FMOVS.P 4(R0), F16
	FCVTSD  F16, F16
	FMADDD  F16, F0, F16, F0 // F0 += F16·F16
	SUB     $1, R2
	B       sumSquaresNEON_tail

sumSquaresNEON_done:
	FMOVD F0, ret+24(FP)
	RET

// func colSumsNEON(dst, a []float32, rows, cols, lda int)
// Requires: ASIMD.
TEXT ·colSumsNEON(SB), NOSPLIT, $0-72
	MOVD dst_base+0(FP), R0
	MOVD a_base+24(FP), R1
	MOVD rows+48(FP), R2
	MOVD cols+56(FP), R3
	MOVD lda+64(FP), R4
	LSL  $2, R4        // row stride in bytes
	SUB  $1, R2        // rows after the first
	CMP  $16, R3
	BLT  colSumsNEON_cols4

colSumsNEON_cols16:
	// Sixteen columns at a time, kept in V0–V3 over all rows in order.
	MOVD R1, R5
	VLD1 (R5), [V0.S4, V1.S4, V2.S4, V3.S4]
	MOVD R2, R6
	CBZ  R6, colSumsNEON_store16

colSumsNEON_rows16:
	ADD  R4, R5
	VLD1 (R5), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s
	WORD $0x4e25d421 // fadd v1.4s, v1.4s, v5.4s
	WORD $0x4e26d442 // fadd v2.4s, v2.4s, v6.4s
	WORD $0x4e27d463 // fadd v3.4s, v3.4s, v7.4s
	SUB  $1, R6
	CBNZ R6, colSumsNEON_rows16

colSumsNEON_store16:
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	ADD    $64, R1
	SUB    $16, R3
	CMP    $16, R3
	BGE    colSumsNEON_cols16

colSumsNEON_cols4:
	CMP  $4, R3
	BLT  colSumsNEON_cols1
	MOVD R1, R5
	VLD1 (R5), [V0.S4]
	MOVD R2, R6
	CBZ  R6, colSumsNEON_store4

colSumsNEON_rows4:
	ADD  R4, R5
	VLD1 (R5), [V4.S4]
	WORD $0x4e24d400 // fadd v0.4s, v0.4s, v4.4s
	SUB  $1, R6
	CBNZ R6, colSumsNEON_rows4

colSumsNEON_store4:
	VST1.P [V0.S4], 16(R0)
	ADD    $16, R1
	SUB    $4, R3
	B      colSumsNEON_cols4

colSumsNEON_cols1:
	CBZ   R3, colSumsNEON_done
	MOVD  R1, R5
	FMOVS (R5), F0
	MOVD  R2, R6
	CBZ   R6, colSumsNEON_store1

colSumsNEON_rows1:
	ADD   R4, R5
	FMOVS (R5), F4
	FADDS F4, F0
	SUB   $1, R6
	CBNZ  R6, colSumsNEON_rows1

colSumsNEON_store1:
	FMOVS.P F0, 4(R0)
	ADD     $4, R1
	SUB     $1, R3
	B       colSumsNEON_cols1

colSumsNEON_done:
	RET
