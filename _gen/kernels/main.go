// Command kernels writes kernels_amd64.s, the AVX-512 and AVX2 elementwise
// and BLAS-1 kernels. Run it from the repository root:
//
//	go run ./_gen/kernels            # rewrites kernels_amd64.s
//	go run ./_gen/kernels -out -     # prints it (CI diffs this against the file)
//
// It owns the σ, σ′, δ-step, tanh and tanh′ kernels, which it generates
// from the arithmetic below, and copies the hand-written BLAS-1 kernels
// (axpy, scal, dot, sum of squares, column sums) verbatim from
// blas1_amd64.s.in, which stays readable assembly: edit that file, then run
// the generator.
//
// Each kernel's arithmetic is written once, below, as the instruction list
// for one vector with symbolic registers ({A}, {B}, …). From it the
// generator emits the one-vector macro (used for the last vectors and the
// tail) and the interleaved macro for the main loop, where every
// instruction is repeated for each vector in flight on its own registers,
// so that the long dependency chain of one vector (about 60 cycles) does
// not starve the FMA units. Both therefore compute the same bits by
// construction; TestSigmoidPositionIndependent checks it anyway.
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"strings"
)

// blas1 is the hand-written BLAS-1 part of kernels_amd64.s.
//
//go:embed blas1_amd64.s.in
var blas1 string

// constant is a float32 broadcast constant in RODATA (32 bytes, so AVX2
// can use it as a memory operand; AVX-512 broadcasts it).
type constant struct {
	name string
	bits uint32
	doc  string
}

func f32(v float32) uint32 { return math.Float32bits(v) }

// The constants of t = e^(−x). The polynomial is the degree-6 minimax
// approximation of e^(−r) on |r| ≤ ln2/2 (relative error 2^−27.8) that the
// kernels have used since the first version; c1 = −1 and c0 = 1 are exact.
var constants = []constant{
	{"sigAbs", 0x7fffffff, "0x7fffffff: clears the sign bit"},
	{"sigClamp", f32(104), "104.0: e^-104 < 2^-150, so t rounds to 0 from here on"},
	{"sigLog2e", 0x3fb8aa3b, "log2(e) = 1.44269502"},
	{"sigShift", 0x4b400000, "1.5*2^23: adding it rounds to an integer held in the low mantissa bits"},
	{"sigLn2Hi", 0x3f317200, "ln2 to 15 bits, 0.693145752: n*sigLn2Hi is exact for |n| < 2^9"},
	{"sigLn2Lo", 0x35bfbe8e, "ln2 - sigLn2Hi = 1.42860677e-6"},
	{"sigC6", 0x3ab51168, "c6 = 0.00138143916"},
	{"sigC5", 0xbc091d5d, "c5 = -0.00836881716"},
	{"sigC4", 0x3d2aac7b, "c4 = 0.0416683964"},
	{"sigC3", 0xbe2aaa48, "c3 = -0.166665196"},
	{"sigC2", 0x3efffffe, "c2 = 0.49999994"},
	{"sigMinusOne", f32(-1), "c1 = -1.0"},
	{"sigOne", f32(1), "c0 = 1.0"},
	{"sigShift127", f32(1.5*(1<<23) + 127), "1.5*2^23 + 127: as sigShift, with n+127 in the low mantissa bits (AVX2)"},
	{"sigSign", 0x80000000, "0x80000000: the sign bit"},
	{"sigHi", f32(88), "88.0: the upper clamp of w (AVX2): n >= -127"},
	{"sigLo", f32(-89), "-89.0: the lower clamp of w (AVX2): n <= 128"},
	{"sigTwo", f32(2), "2.0 (tanh)"},
	{"sigLo512", f32(-110), "-110.0: the lower clamp of w (AVX-512): 2^m rounds to 0, and so does σ"},
	{"sigHi512", f32(64), "64.0: the upper clamp of w (AVX-512): σ = 1, and q ≤ 2^93 keeps 1/q normal"},
	{"sigShift32", f32(1.5 * (1 << 18)), "1.5*2^18: adding it rounds to a multiple of 1/32, k = 32·kf in the low mantissa bits (AVX-512)"},
	{"sigP3", 0xbe2aaaca, "p3 = -0.166667 (AVX-512: e^(-r) on |r| ≤ ln2/64)"},
	{"sigP2", 0x3f000047, "p2 = 0.500004 (AVX-512)"},
}

// sigTab is the AVX-512 kernels' table T[j] = 2^(−j/32), j = 0…31, each
// rounded to the nearest float32 (relative error at most 0.93·2^−24); the
// kernels hold it in Z27 (j < 16) and Z28 (j ≥ 16).
var sigTab = func() (t [32]uint32) {
	for j := range t {
		t[j] = f32(float32(math.Exp2(-float64(j) / 32)))
	}
	return t
}()

// The AVX-512 σ and σ′ kernels keep eight constants in registers: Z29 =
// the lower clamp, Z30 = the upper clamp, Z31 = 1.0 (VMAXPS, VMINPS and
// VSCALEFPS need them there), the table 2^(−j/32) in Z27 and Z28 (VPERMI2PS
// reads it there), and Z24–Z26 = 1.5·2^18, log2e and ln2hi; the polynomial's
// coefficients and ln2lo are broadcast memory operands, which cost a load
// but no arithmetic operation, and leave Z0–Z23 to the vectors in flight.
const consts512 = `VBROADCASTSS sigLo512<>(SB), Z29
VBROADCASTSS sigHi512<>(SB), Z30
VBROADCASTSS sigOne<>(SB), Z31
VMOVUPS sigTab<>(SB), Z27
VMOVUPS sigTab<>+64(SB), Z28
VBROADCASTSS sigShift32<>(SB), Z24
VBROADCASTSS sigLog2e<>(SB), Z25
VBROADCASTSS sigLn2Hi<>(SB), Z26`

// The AVX-512 σ and σ′ compute, for w = z (σ) or w = −|z| (σ′), clamped to
// [−110, 64] (VMAXPS and VMINPS with w as their second source, Intel order,
// so NaN passes through), with a 32-entry table:
//
//	kf = round(32·w·log2e)/32 = e + j/32   (e = floor(kf), j = 0…31)
//	r = w − kf·ln2hi − kf·ln2lo,  |r| ≤ ln2/64
//	p = 1 − r + p2·r² + p3·r³ ≈ e^(−r)     (relative error 2^−33)
//	σ(w) = 1/(1 + 2^(−kf)·p) = 2^e/q,  q = T[j]·p + 2^e,  T[j] = 2^(−j/32)
//
// kf comes from one FMA, k = w·log2e + 1.5·2^18 (whose last place is 1/32,
// so the sum rounds 32·w·log2e to an integer held in the low mantissa
// bits), and kf = k − 1.5·2^18, exact. The low five bits of k are j, the
// index VPERMI2PS takes from k itself, into the table held in Z27:Z28;
// VSCALEFPS takes floor(kf) = e by itself, so e is never formed:
// 2^e = VSCALEFPS(1, kf), q = T[j]·p + 2^e in one FMA, y = VRCP14PS(q)
// (error < 2^−14), one Newton step y1 = y + y·(1 − q·y) (error about 2^−28
// before its rounding), and σ = VSCALEFPS(y1, kf), exact, or correctly
// rounded into the subnormals. Nothing overflows: for w ≤ 64, e ≤ 92 and
// q ≤ 2^93, so y stays normal; for w ≥ −110, e ≥ −159: 2^e rounds to 0
// below −149, q = T[j]·p ∈ [0.49, 1.02], and the last scaling gives σ(w) ≈
// e^w, down to exactly 0 (σ(−104) and σ(−∞) are 0). The first Cody–Waite
// product is exact inside its FMA and r rounds once.
//
// The errors: T[j] rounded to float32 (relative 0.93·2^−24 at worst), one
// rounding in p and one in q, the Newton step's 2^−28 and last rounding;
// the polynomial's 2^−33 and r's rounding (|r| ≤ 0.011) are far below the
// degree-6 polynomial on |r| ≤ ln2/2 that this replaced (2^−27.8, and r
// rounded at up to 0.35). 18 vector operations per 16 elements, counting
// VRCP14PS as the 3 micro-operations it issues on this CPU family
// (Intel, two 512-bit FMA ports): the table saves three polynomial steps,
// and the FMA that forms q the addition 2^e + p, for one VPERMI2PS on
// port 5.
//
// expq512 leaves q in D and kf in C, for w in A (clamped; overwritten by
// r, then 2^e); B holds k, then T[j].
const expq512 = `VBROADCASTSS sigShift32<>(SB), {B}
VFMADD231PS Z25, {A}, {B}
VSUBPS Z24, {B}, {C}
VFNMADD231PS Z26, {C}, {A}
VFNMADD231PS.BCST sigLn2Lo<>(SB), {C}, {A}
VPERMI2PS Z28, Z27, {B}
VBROADCASTSS sigP3<>(SB), {D}
VFMADD213PS.BCST sigP2<>(SB), {A}, {D}
VFMADD213PS.BCST sigMinusOne<>(SB), {A}, {D}
VFMADD213PS Z31, {A}, {D}
VSCALEFPS {C}, Z31, {A}
VFMADD213PS {A}, {B}, {D}`

// quot512 turns q in D into σ(w) = 2^e/q in D (kf in C); A is scratch.
const quot512 = `VRCP14PS {D}, {A}
VFNMADD213PS Z31, {A}, {D}
VFMADD213PS {A}, {A}, {D}
VSCALEFPS {C}, {D}, {D}`

// sigmoid512: z in A, σ(z) in D.
var sigmoid512 = `VMAXPS {A}, Z29, {A}
VMINPS {A}, Z30, {A}
` + expq512 + "\n" + quot512

// prime512: z in A, σ′(z) in D: w = −|z| clamped to −110 (VRANGEPS,
// which would do both in one operation, does not pass NaN through in
// either operand order), u = σ(w) ≤ 1/2, σ′ = u − u·u (one
// FMA, one rounding; u ≤ 1/2, so an error in u reaches σ′ at most
// unamplified, and σ′ keeps u's relative accuracy in saturation).
var prime512 = `VPORD.BCST sigSign<>(SB), {A}, {A}
VMAXPS {A}, Z29, {A}
` + expq512 + "\n" + quot512 + `
VFNMADD213PS {D}, {D}, {D}`

// The AVX2 kernels take a different route from the AVX-512 ones: without
// VSCALEFPS, scaling by 2^n costs an integer shift and a multiplication,
// and the sign blend and NaN repair of the t = e^(−|z|) form cost as much
// again, so they compute T = e^(−w) ≥ 0 for w = z (σ) or w = −|z| (σ′)
// and take a reciprocal:
//
//	σ(z)  = 1/(1 + e^(−z))
//	σ′(z) = u − u·u,  u = 1/(1 + e^|z|) = σ(−|z|) ≤ 1/2
//
// 1/(1+T) keeps full relative accuracy however large T is (one rounding in
// 1+T, one in VDIVPS), so σ needs no blend for z < 0.
//
// w is clamped to [−89, 88] (VMAXPS and VMINPS with w as their second
// source, Intel order, so NaN passes through), so that n = round(−w·log2e)
// ∈ [−127, 128] and (n+127)<<23 read as a float is 2^n exactly: +0 for
// n = −127 (z ≥ 88, where σ = 1), +Inf for n = 128 (w ≤ −88.4, where the
// exact σ or σ′ is below 2^−126; T = +Inf gives exactly 0, so σ(−∞) = 0).
// k = (1.5·2^23 + 127) − w·log2e holds n+127 in its low mantissa bits, so
// k<<23 is that float. T = p·2^n is then exact (or 0 or Inf) and NaN flows
// through every step to the result: no blend, no repair.
//
// exp256 leaves d = 1 + T = 1 + p·2^n in C (one FMA, one rounding), for w
// in A (overwritten); B holds 2^n.
const exp256 = `VMOVUPS sigShift127<>(SB), {B}
VFNMADD231PS sigLog2e<>(SB), {A}, {B}
VSUBPS sigShift127<>(SB), {B}, {C}
VFMADD231PS sigLn2Hi<>(SB), {C}, {A}
VFMADD231PS sigLn2Lo<>(SB), {C}, {A}
VPSLLD $23, {B}, {B}
VMOVUPS sigC6<>(SB), {C}
VFMADD213PS sigC5<>(SB), {A}, {C}
VFMADD213PS sigC4<>(SB), {A}, {C}
VFMADD213PS sigC3<>(SB), {A}, {C}
VFMADD213PS sigC2<>(SB), {A}, {C}
VFMADD213PS sigMinusOne<>(SB), {A}, {C}
VFMADD213PS Y14, {A}, {C}
VFMADD213PS Y14, {B}, {C}`

// sigmoid256: z in A (destroyed), σ(z) in B.
var sigmoid256 = `VMINPS {A}, Y13, {A}
VMAXPS {A}, Y15, {A}
` + exp256 + `
VDIVPS {C}, Y14, {B}`

// prime256: z in A (destroyed), σ′(z) in B.
var prime256 = `VORPS sigSign<>(SB), {A}, {A}
VMAXPS {A}, Y15, {A}
` + exp256 + `
VDIVPS {C}, Y14, {C}
VMOVAPS {C}, {B}
VFNMADD231PS {C}, {C}, {B}`

// tanh and tanh′ share σ's exponential, for w = 2|z|. The doubling costs
// nothing: the tanh kernels load their own constants, σ's scaled by exact
// powers of two (tanhConstants), so that the same instructions on |z|
// compute, with s = r/2,
//
//	n = round(−|z|·2log2e),  s = |z| + n·(ln2hi/2) + n·(ln2lo/2)
//	p(r) = 1 + s·(−2 + s·(4c2 + s·(8c3 + s·(16c4 + s·(32c5 + s·64c6)))))
//
// which is σ's p(r) for e^(−2|z|) = 2ⁿ·p(r), bit for bit the same
// arithmetic up to those exact scalings.
//
// tanh(|z|) = E′/(2 − E′) with E′ = 1 − e^(−2|z|) ∈ [0, 1], formed as
//
//	E′ = (1 − 2ⁿ) − 2ⁿ·q,  q = p(r) − 1 = s·(−2 + s·(4c2 + …))
//
// (q without the constant term, one multiplication instead of the last
// FMA): as c0 = 1 and c1 = −1 are exact, q keeps its relative accuracy for
// small r, so E′ and tanh keep theirs near z = 0, where 2σ(2z) − 1 would
// cancel; for n ≤ −1, w > ln2/2 and E′ > 0.29 does not cancel either. The
// quotient is taken as Q = E′/(E′ − 2) ≤ 0 (−0 at z = ±0), and its sign
// flipped where z's sign bit is clear, which gives tanh(±0) = ±0.
var tanhConstants = []constant{
	{"tanhClampLo", f32(-10), "-10.0: the lower clamp of z (AVX-512 tanh)"},
	{"tanhKappa", f32(0.75), "0.75 = κ, the scale of AVX-512 tanh's N and D"},
	{"tanhK1", f32(-1.5), "-1.5 = −2κ"},
	{"tanhK2", 0x3fc00000, "κ·k2 (AVX-512 tanh: s·(−2 + k2·s + … + k6·s⁵) ≈ e^(−2s) − 1, minimax for relative error on |s| ≤ ln2/4)"},
	{"tanhK3", 0xbf7fff84, "κ·k3"},
	{"tanhK4", 0x3f00006c, "κ·k4"},
	{"tanhK5", 0xbe4d9dc0, "κ·k5"},
	{"tanhK6", 0x3d88787b, "κ·k6"},
	{"tanhClamp", f32(10), "10.0: |z| ≥ 10 gives tanh = ±1 (AVX-512; tanh(10) rounds to 1)"},
	{"tanhClamp256", f32(44), "44.0: the upper clamp of z (AVX2 tanh): n ≥ −127"},
	{"tanhPrimeLo256", f32(-44.5), "-44.5: the lower clamp of −|z| (AVX2 tanh′): n ≤ 128"},
	{"tanhLog2e2", f32(2 * math.Float32frombits(0x3fb8aa3b)), "2·log2(e)"},
	{"tanhLn2HiH", f32(math.Float32frombits(0x3f317200) / 2), "sigLn2Hi/2"},
	{"tanhLn2LoH", f32(math.Float32frombits(0x35bfbe8e) / 2), "sigLn2Lo/2"},
	{"tanhLn2H", f32(float32(math.Ln2 / 2)), "ln2/2 rounded to float32 (AVX-512 tanh's one-step reduction)"},
	{"tanhD6", f32(64 * math.Float32frombits(0x3ab51168)), "64·c6"},
	{"tanhD5", f32(32 * math.Float32frombits(0xbc091d5d)), "32·c5"},
	{"tanhD4", f32(16 * math.Float32frombits(0x3d2aac7b)), "16·c4"},
	{"tanhD3", f32(8 * math.Float32frombits(0xbe2aaa48)), "8·c3"},
	{"tanhD2", f32(4 * math.Float32frombits(0x3efffffe)), "4·c2"},
	{"tanhMinusTwo", f32(-2), "-2.0 = 2·c1"},
	{"tanhLo256", f32(-44), "-44.0: the lower clamp of z (AVX2 tanh): n ≤ 127"},
	{"sigFour", f32(4), "4.0 (tanh′ = 4σ′(2z), AVX-512)"},
	{"tanhPrimeLo512", f32(-55), "-55.0: the lower clamp of −|z| (AVX-512 tanh′): 2w ≥ −110 as for σ′"},
	{"tanhP3", f32(8 * math.Float32frombits(0xbe2aaaca)), "8·p3 (AVX-512 tanh′)"},
	{"tanhP2", f32(4 * math.Float32frombits(0x3f000047)), "4·p2 (AVX-512 tanh′)"},
}

// consts512T loads tanh's register constants: Z24 = 1.5·2^23 (the shift),
// Z25 = 2·log2e, Z26 = ln2/2, Z27 = −2κ, Z28 = 2, Z29 and Z30 the clamps
// −10 and 10, Z31 = κ = 3/4; the polynomial's are broadcast memory operands.
// That leaves Z0–Z23 to 6 vectors in flight of 4 registers each (5
// vectors with the polynomial's constants in registers too ran 3 % slower;
// all of them as memory operands, 2–3 % slower).
const consts512T = `VBROADCASTSS sigShift<>(SB), Z24
VBROADCASTSS tanhLog2e2<>(SB), Z25
VBROADCASTSS tanhLn2H<>(SB), Z26
VBROADCASTSS tanhK1<>(SB), Z27
VBROADCASTSS sigTwo<>(SB), Z28
VBROADCASTSS tanhClampLo<>(SB), Z29
VBROADCASTSS tanhClamp<>(SB), Z30
VBROADCASTSS tanhKappa<>(SB), Z31`

// consts512TP loads tanh′'s register constants, in the places of σ′'s:
// prime512 runs on the tanh constants (tanhPrime512 renames its memory
// operands); Z30 is unused.
const consts512TP = `VBROADCASTSS tanhPrimeLo512<>(SB), Z29
VBROADCASTSS sigOne<>(SB), Z31
VMOVUPS sigTab<>(SB), Z27
VMOVUPS sigTab<>+64(SB), Z28
VBROADCASTSS sigShift32<>(SB), Z24
VBROADCASTSS tanhLog2e2<>(SB), Z25
VBROADCASTSS tanhLn2HiH<>(SB), Z26`

// tanh512: z in A, tanh(z) in A; B, C and D are scratch. On the tanh
// constants (consts512T: Z24–Z31; the polynomial's are broadcast memory
// operands). tanh is odd, so it works on x = z itself, sign and all,
// clamped to [−10, 10] (VMAXPS and VMINPS with z as their second source,
// Intel order, so NaN passes through; |z| ≥ 10 gives ±1 exactly, as
// tanh(10) rounds to 1):
//
//	n = round(2x·log2e),  s = x − n·(ln2/2)   (one FNMADD: see below)
//	κq = κ(e^(−2s) − 1) = s·P(s),  P(s) = −2κ + s·(κk2 + … + s·κk6)
//	V = κ·2ⁿ = VSCALEFPS(κ, n)
//	N = (V − κ) − s·P(s) = κ(2ⁿ − e^(−2s))   (one FNMADD; V − κ is exact for |n| ≤ 22)
//	D = 2V − N = κ(2ⁿ + e^(−2s))            (one FMSUB)
//	tanh(z) = N/D = (1 − e^(−2x))/(1 + e^(−2x))
//	y = VRCP14PS(D),  Q0 = N·y,  tanh = Q0 + (N − D·Q0)·y
//
// (both terms of the quotient scaled by 2ⁿ, which keeps everything finite:
// |n| ≤ 29). No cancellation: for n = 0 (|2x| < ln2/2), N = −s·P(s) keeps
// the relative accuracy of the polynomial without its constant term; for
// n ≠ 0 the subtraction 2ⁿ − e^(−2s) has |2ⁿ − 1| ≥ 1/2, exact, beside
// |e^(−2s) − 1| ≤ 0.42. D = 2V − N ≥ |N| as rounded, so |tanh| ≤ 1; for
// x ≥ 9, N = V and D = V as rounded and tanh = 1 exactly. κ = 3/4 scales
// numerator and denominator alike (exact, and free: it is VSCALEFPS's
// first operand and the polynomial's coefficients): it keeps P(s), which
// runs over [−2.41, −1.66]·κ = [−1.81, −1.25] for |s| ≤ ln2/4, inside one
// binade, where P itself, across −2, rounded on the coarser side for
// negative z near 0 (3.38 ULP at z = −0.0606 without κ). The coefficients
// k2…k6 are our minimax fit for the relative error of e^(−2s) − 1 (0.35·2⁻²⁴
// after rounding, against 0.33 for σ's scaled ones).
// The sign comes with x. The one input whose sign does not survive is −0:
// N = (1 − 1) − (+0) is +0 in round-to-nearest, so tanh(−0) = +0 here;
// carrying the sign of zero through (a VPTERNLOGD from z, as the kernel
// did before) costs one more operation, 5 % of its speed.
//
// One Cody–Waite step suffices, with ln2/2 rounded to float32: the
// reduction's error, |n|·|ln2/2 − float32(ln2/2)| < |n|·2^−30, is relative
// in e^(−2|x|), whose weight in tanh falls faster than |n| grows: relative
// to tanh it is at most 2.4·2^−29 (|n| = 1), 0.04 ULP. 20 vector operations
// per 16 elements (VRCP14PS counts 3; σ's are 18; this kernel's earlier
// form, on |z| with the sign put back and E′ = 1 − e^(−2|z|), took 22).
var tanh512 = `VMAXPS {A}, Z29, {A}
VMINPS {A}, Z30, {A}
VBROADCASTSS sigShift<>(SB), {B}
VFMADD231PS Z25, {A}, {B}
VSUBPS Z24, {B}, {B}
VFNMADD231PS Z26, {B}, {A}
VBROADCASTSS tanhK6<>(SB), {C}
VFMADD213PS.BCST tanhK5<>(SB), {A}, {C}
VFMADD213PS.BCST tanhK4<>(SB), {A}, {C}
VFMADD213PS.BCST tanhK3<>(SB), {A}, {C}
VFMADD213PS.BCST tanhK2<>(SB), {A}, {C}
VFMADD213PS Z27, {A}, {C}
VSCALEFPS {B}, Z31, {B}
VSUBPS Z31, {B}, {D}
VFNMADD231PS {C}, {A}, {D}
VFMSUB132PS Z28, {D}, {B}
VRCP14PS {B}, {C}
VMULPS {D}, {C}, {A}
VFNMADD231PS {A}, {B}, {D}
VFMADD231PS {D}, {C}, {A}`

// tanhPrime512: z in A, tanh′(z) in D. On the tanh constants
// (consts512TP), prime512 computes σ′(2z) = u − u², u = σ(−2|z|): with
// log2e and ln2 doubled and halved and the polynomial's coefficients
// scaled by powers of two, the same instructions on −|z| compute kf =
// round(32·2w·log2e)/32, s = r/2 and p(r) = 1 + s·(−2 + s·(4p2 + s·8p3)),
// σ′'s arithmetic bit for bit up to those exact scalings; tanh′(z) =
// 4σ′(2z), the factor exact (a subnormal σ′(2z) included).
var tanhPrime512 = strings.NewReplacer(
	"sigLn2Lo<>", "tanhLn2LoH<>", "sigMinusOne<>", "tanhMinusTwo<>", "sigP3<>", "tanhP3<>", "sigP2<>", "tanhP2<>",
).Replace(prime512) + `
VMULPS.BCST sigFour<>(SB), {D}, {D}`

// exp256T is exp256 on the tanh constants (w = |z| stands for 2|z|), up to
// q = p(r) − 1 in C, 2ⁿ in B.
var exp256T = strings.NewReplacer(
	"sigLog2e<>", "tanhLog2e2<>", "sigLn2Hi<>", "tanhLn2HiH<>", "sigLn2Lo<>", "tanhLn2LoH<>",
	"sigC6<>", "tanhD6<>", "sigC5<>", "tanhD5<>", "sigC4<>", "tanhD4<>", "sigC3<>", "tanhD3<>",
	"sigC2<>", "tanhD2<>", "sigMinusOne<>", "tanhMinusTwo<>",
).Replace(exp256)

// tanh256: z in A (destroyed), tanh(z) in B; C is scratch. It takes
// e^(−2z) for the signed z, so that no sign handling is needed: z is
// clamped to [−44, 44] (Y12, Y15), so that n ∈ [−127, 127] and 2ⁿ is exact
// (or +0, where E′ = 1), and E′ = 1 − e^(−2z) ∈ (−1.7·10³⁸, 1] (no overflow
// at z = −44), tanh(z) = E′/(2 − E′) (Y13 = 2), rounded correctly by
// VDIVPS. For z < 0, n > 0 and 1 − 2ⁿ is exact up to n = 24 and |E′| > 0.41,
// so there is no cancellation there either. Only the sign of −0 is lost on
// the way: z = −0 gives E′ = +0 and tanh = +0. Putting it back (z & sign,
// OR-ed into the result) cost 6 % of the kernel's speed, which tanh's
// documentation does not ask for.
var tanh256 = `VMINPS {A}, Y12, {A}
VMAXPS {A}, Y15, {A}
` + strings.TrimSuffix(exp256T, `
VFMADD213PS Y14, {A}, {C}
VFMADD213PS Y14, {B}, {C}`) + `
VMULPS {A}, {C}, {C}
VSUBPS {B}, Y14, {A}
VFNMADD231PS {C}, {B}, {A}
VSUBPS {A}, Y13, {C}
VDIVPS {C}, {A}, {B}`

// tanhPrime256: z in A (destroyed), tanh′(z) in B. prime256 on the tanh
// constants, −|z| clamped to −44.5 (Y12), and u′ = 2/(1 + e^(2|z|)) =
// 2σ(−2|z|) from Y13 = 2: tanh′ = 2u′ − u′² (one FMA).
var tanhPrime256 = `VORPS sigSign<>(SB), {A}, {A}
VMAXPS {A}, Y12, {A}
` + exp256T + `
VDIVPS {C}, Y13, {C}
VADDPS {C}, {C}, {B}
VFNMADD231PS {C}, {C}, {B}`

// regs maps the symbolic registers of one vector to real ones.
type regs map[string]string

func subst(body string, r regs) []string {
	var out []string
	for _, line := range strings.Split(body, "\n") {
		for k, v := range r {
			line = strings.ReplaceAll(line, "{"+k+"}", v)
		}
		if strings.Contains(line, "{") {
			log.Fatalf("unbound register in %q", line)
		}
		out = append(out, line)
	}
	return out
}

type gen struct{ bytes.Buffer }

func (g *gen) p(format string, args ...any) { fmt.Fprintf(&g.Buffer, format+"\n", args...) }

// comment writes text as // lines.
func (g *gen) comment(text string) {
	for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
		if l == "" {
			g.p("//")
		} else {
			g.p("// %s", l)
		}
	}
}

// macro writes #define name(params) with the lines of body.
func (g *gen) macro(name string, params []string, lines []string) {
	head := name
	if params != nil {
		head += "(" + strings.Join(params, ", ") + ")"
	}
	g.p("#define %s \\", head)
	for i, l := range lines {
		sep := "; \\"
		if i == len(lines)-1 {
			sep = ""
		}
		g.p("\t%s%s", l, sep)
	}
	g.p("")
}

// single writes the one-vector macro of body, its registers the macro's
// parameters.
func (g *gen) single(o op, body string) {
	r := regs{}
	for _, p := range o.params {
		r[p] = p
	}
	g.macro(o.macro, o.params, subst(body, r))
}

// interleaved writes macro_X<len(vs)>: body for every register set in vs,
// instruction by instruction.
func (g *gen) interleaved(macro, body string, vs []regs) {
	name := fmt.Sprintf("%s_X%d", macro, len(vs))
	per := make([][]string, len(vs))
	for i, r := range vs {
		per[i] = subst(body, r)
	}
	var lines []string
	for j := range per[0] {
		for i := range per {
			lines = append(lines, per[i][j])
		}
	}
	g.macro(name, nil, lines)
}

// kernel describes one TEXT function.
type kernel struct {
	name  string // Go name
	first string // first argument's name (dst or delta)
	req   string // Requires: line
	mul   bool   // δ step: multiply the result into delta
	op    op     // the arithmetic
}

// op is one vector's arithmetic as a macro: its name, its parameters in
// order (symbolic registers) and the one that holds the result.
type op struct {
	macro  string
	params []string
	result string
}

var (
	opSigmoid512 = op{"SIG_SIGMOID512", []string{"A", "B", "C", "D"}, "D"}
	opPrime512   = op{"SIG_PRIME512", []string{"A", "B", "C", "D"}, "D"}
	opSigmoid256 = op{"SIG_SIGMOID256", []string{"A", "B", "C"}, "B"}
	opPrime256   = op{"SIG_PRIME256", []string{"A", "B", "C"}, "B"}

	opTanh512      = op{"SIG_TANH512", []string{"A", "B", "C", "D"}, "A"}
	opTanhPrime512 = op{"SIG_TANHPRIME512", []string{"A", "B", "C", "D"}, "D"}
	opTanh256      = op{"SIG_TANH256", []string{"A", "B", "C"}, "B"}
	opTanhPrime256 = op{"SIG_TANHPRIME256", []string{"A", "B", "C"}, "B"}
)

// level is what differs between the AVX-512 and AVX2 function bodies.
type level struct {
	lanes  int    // float32 per vector
	vecs   []regs // register sets of the vectors in flight; vecs[0] serves the single vector
	consts string // macro that loads the constants
	// frame is the stack frame (tail buffers), tail writes the last
	// CX < lanes elements through the one-vector macro call.
	frame func(k kernel) int
	tail  func(g *gen, k kernel, call, out string)
}

// nvec512 is the number of vectors the AVX-512 σ and σ′ loops keep in
// flight: one vector's dependency chain is about 75 cycles long, and 4
// vectors of 18 operations each do not cover it on a two-port core (8 and
// 9, with three registers a vector in an earlier form, ran no faster).
const nvec512 = 6

// Register sets of the vectors in flight.
var (
	vecs512 = func() []regs {
		var vs []regs
		for i := range nvec512 {
			vs = append(vs, regs{"A": fmt.Sprintf("Z%d", 4*i), "B": fmt.Sprintf("Z%d", 4*i+1),
				"C": fmt.Sprintf("Z%d", 4*i+2), "D": fmt.Sprintf("Z%d", 4*i+3)})
		}
		return vs
	}()
	// tanh512's, beside its constants in Z30 and Z31.
	vecsT512 = func() []regs {
		var vs []regs
		for i := range 6 {
			vs = append(vs, regs{"A": fmt.Sprintf("Z%d", 4*i), "B": fmt.Sprintf("Z%d", 4*i+1),
				"C": fmt.Sprintf("Z%d", 4*i+2), "D": fmt.Sprintf("Z%d", 4*i+3)})
		}
		return vs
	}()
	vecs256 = []regs{
		{"A": "Y0", "B": "Y1", "C": "Y2"},
		{"A": "Y3", "B": "Y4", "C": "Y5"},
		{"A": "Y6", "B": "Y7", "C": "Y8"},
		{"A": "Y9", "B": "Y10", "C": "Y11"},
	}
)

// The AVX-512 kernels finish with one K-masked vector; the AVX2 ones
// through a zeroed buffer on the stack.
var (
	level512 = level{lanes: 16, vecs: vecs512, consts: "SIG_CONSTS512",
		frame: func(kernel) int { return 0 },
		tail: func(g *gen, k kernel, call, out string) {
			g.p("\tSIG_TAILMASK512")
			g.p("\tVMOVUPS.Z (SI), K1, Z0")
			if k.mul {
				g.p("\tVMOVUPS.Z (DI), K1, Z6")
			}
			g.p("\t%s", call)
			if k.mul {
				g.p("\tVMULPS Z6, %s, %s", out, out)
			}
			g.p("\tVMOVUPS %s, K1, (DI)", out)
		}}
	level256 = level{lanes: 8, vecs: vecs256, consts: "SIG_CONSTS256",
		frame: func(k kernel) int {
			if k.mul {
				return 64
			}
			return 32
		},
		tail: func(g *gen, k kernel, call, out string) {
			if k.mul {
				g.p("\tSIG_TAILIN256(DI, 32, %s_tailind)", k.name)
				g.p("\tSIG_TAILIN256(SI, 0, %s_tailinz)", k.name)
			} else {
				g.p("\tSIG_TAILIN256(SI, 0, %s_tailin)", k.name)
			}
			g.p("\tVMOVUPS (SP), Y0")
			g.p("\t%s", call)
			if k.mul {
				g.p("\tVMULPS 32(SP), %s, %s", out, out)
			}
			g.p("\tVMOVUPS %s, (SP)", out)
			g.p("\tSIG_TAILOUT256(DI, %s_tailout)", k.name)
		}}
)

// body writes one kernel: len(l.vecs) vectors per iteration (the _X
// macro), then single vectors, then the tail.
func (g *gen) body(l level, k kernel) {
	n := len(l.vecs)
	vb := 4 * l.lanes // bytes per vector
	step := l.lanes * n
	var args []string
	for _, p := range k.op.params {
		args = append(args, l.vecs[0][p])
	}
	call := k.op.macro + "(" + strings.Join(args, ", ") + ")"
	out := l.vecs[0][k.op.result]
	g.p("// func %s(%s, z []float32)", k.name, k.first)
	g.p("// Requires: %s", k.req)
	g.p("TEXT ·%s(SB), NOSPLIT, $%d-48", k.name, l.frame(k))
	g.p("\tMOVQ %s_base+0(FP), DI", k.first)
	g.p("\tMOVQ z_base+24(FP), SI")
	g.p("\tMOVQ z_len+32(FP), CX")
	g.p("\t%s", l.consts)
	g.p("\tCMPQ CX, $%d", step)
	g.p("\tJB   %s_one", k.name)
	g.p("")
	g.p("%s_loop%d:", k.name, step)
	for i, r := range l.vecs {
		g.p("\tVMOVUPS %d(SI), %s", vb*i, r["A"])
	}
	g.p("\t%s_X%d", k.op.macro, n)
	for i, r := range l.vecs {
		o := r[k.op.result]
		if k.mul {
			g.p("\tVMULPS %d(DI), %s, %s", vb*i, o, o)
		}
		g.p("\tVMOVUPS %s, %d(DI)", o, vb*i)
	}
	g.p("\tADDQ $%d, SI", vb*n)
	g.p("\tADDQ $%d, DI", vb*n)
	g.p("\tSUBQ $%d, CX", step)
	g.p("\tCMPQ CX, $%d", step)
	g.p("\tJAE  %s_loop%d", k.name, step)
	g.p("")
	g.p("%s_one:", k.name)
	g.p("\tCMPQ CX, $%d", l.lanes)
	g.p("\tJB   %s_tail", k.name)
	g.p("\tVMOVUPS (SI), %s", l.vecs[0]["A"])
	g.p("\t%s", call)
	if k.mul {
		g.p("\tVMULPS (DI), %s, %s", out, out)
	}
	g.p("\tVMOVUPS %s, (DI)", out)
	g.p("\tADDQ $%d, SI", vb)
	g.p("\tADDQ $%d, DI", vb)
	g.p("\tSUBQ $%d, CX", l.lanes)
	g.p("\tJMP  %s_one", k.name)
	g.p("")
	g.p("%s_tail:", k.name)
	g.p("\tTESTQ CX, CX")
	g.p("\tJZ    %s_done", k.name)
	l.tail(g, k, call, out)
	g.p("")
	g.p("%s_done:", k.name)
	g.p("\tVZEROUPPER")
	g.p("\tRET")
	g.p("")
}

// bodyNT writes the non-temporal variant of kernel k, name + "NT": only the
// main loop, its stores VMOVNTPS, then SFENCE, so that the weakly ordered
// stores are globally visible before the function returns (the next
// goroutine to read dst may run on another core). Its preconditions, kept
// by the Go wrapper (ntSplit): dst is 64-byte aligned and len(z) is a
// non-zero multiple of len(l.vecs)·l.lanes (ntStep* in kernels_amd64.go,
// which must follow nvec512 and the other vector counts here).
// ntPrefetch is how far ahead of its loads, in bytes, the NT loop
// prefetches z.
const ntPrefetch = 2048

func (g *gen) bodyNT(l level, k kernel) {
	n := len(l.vecs)
	vb := 4 * l.lanes
	step := l.lanes * n
	name := k.name + "NT"
	g.p("// func %s(%s, z []float32)", name, k.first)
	g.p("// Requires: %s", k.req)
	g.p("TEXT ·%s(SB), NOSPLIT, $0-48", name)
	g.p("\tMOVQ %s_base+0(FP), DI", k.first)
	g.p("\tMOVQ z_base+24(FP), SI")
	g.p("\tMOVQ z_len+32(FP), CX")
	g.p("\t%s", l.consts)
	g.p("")
	g.p("%s_loop%d:", name, step)
	for i := 0; i < vb*n; i += 64 {
		g.p("\tPREFETCHT0 %d(SI)", ntPrefetch+i)
	}
	for i, r := range l.vecs {
		g.p("\tVMOVUPS %d(SI), %s", vb*i, r["A"])
	}
	g.p("\t%s_X%d", k.op.macro, n)
	for i, r := range l.vecs {
		g.p("\tVMOVNTPS %s, %d(DI)", r[k.op.result], vb*i)
	}
	g.p("\tADDQ $%d, SI", vb*n)
	g.p("\tADDQ $%d, DI", vb*n)
	g.p("\tSUBQ $%d, CX", step)
	g.p("\tJNZ  %s_loop%d", name, step)
	g.p("\tSFENCE")
	g.p("\tVZEROUPPER")
	g.p("\tRET")
	g.p("")
}

const header = `// Code generated by go run ./_gen/kernels. DO NOT EDIT.

//go:build !purego

#include "textflag.h"

// The elementwise and BLAS-1 kernels for AVX-512 and AVX2+FMA3; their Go
// declarations are in kernels_amd64.go. Two parts:
//
//   - σ, σ′, the δ step, tanh and tanh′, generated: _gen/kernels/main.go
//     holds the arithmetic of each kernel once, with its commentary; edit it
//     and run go generate (go run ./_gen/kernels);
//   - the BLAS-1 kernels, hand-written in _gen/kernels/blas1_amd64.s.in and
//     copied here verbatim by the generator (edit that file, then run it).
//
// σ, σ′ and the δ step:
//
// Both levels evaluate an exponential e^v the same way:
//
//	n = round(v·log2e)                 (k = 1.5·2^23 + v·log2e in one FMA; n = k − 1.5·2^23)
//	r = n·ln2hi + n·ln2lo − v          (two-constant Cody–Waite; n·ln2hi and its sum with v are exact)
//	p = 1 − r + c2r² + … + c6r⁶ ≈ e^−r (|r| ≤ ln2/2; minimax for relative error, 2^−27.8)
//	e^v = p·2^n
//
// AVX-512 (VSCALEFPS scales by 2^m exactly, with correct underflow), for
// w = z (σ) or w = −|z| (σ′), clamped to [−110, 64], m = round(w·log2e):
//
//	σ(w) = 2^m/q, q = p + 2^m          (= 1/(1 + e^(−w)); p = e^(−r), r = w − m·ln2)
//	σ′(z) = u − u·u, u = σ(−|z|) ≤ 1/2 (one FMA, one rounding)
//
// 1/q from y = VRCP14PS(q) (error < 2^−14) and one Newton step, then scaled
// by 2^m (VSCALEFPS): nothing overflows, and σ(w) underflows correctly to
// exactly 0 at w ≤ −104. The reduction is to |r| ≤ ln2/64 with a table of
// 2^(−j/32), j = 0…31 (VPERMI2PS from two registers), a degree-3
// polynomial, and q = T[j]·p + 2^e; see the generator. 18 vector operations
// per 16 elements (σ′ 19); the loops keep 6 vectors in flight. NaN flows
// through the arithmetic.
//
// AVX2 has no VSCALEFPS: scaling costs a shift and a multiplication, and the
// sign blend and NaN repair of the t form cost as much again. So it computes
// T = e^(−w) ≥ 0 for w = z (σ) or w = −|z| (σ′), with d = 1 + T in one FMA:
//
//	σ(z)  = 1/d                        (full relative accuracy however large T is)
//	σ′(z) = u − u·u, u = 1/d = σ(−|z|) ≤ 1/2
//
// by VDIVPS (correctly rounded). w is clamped to [−89, 88] so that
// n ∈ [−127, 128] and (n+127)<<23, read as a float, is 2^n exactly: +0 for
// n = −127 (z ≥ 88, where σ = 1), +Inf for n = 128 (w ≤ −88.4, where the
// exact σ or σ′ is below 2^−126; d = +Inf then gives exactly 0, so
// σ(−∞) = 0). The clamps pass NaN through (VMINPS/VMAXPS with w as their
// second source, Intel order), and NaN flows to the result.
//
// σ′ is computed from the exponential, never as σ(1 − σ), so it keeps its
// relative accuracy in saturation down to the subnormals; as u ≤ 1/2, an
// error in u reaches σ′ at most unamplified. Accuracy, checked over all
// 2^32 inputs: see kernels_amd64.go.
//
// The loops run 4 vectors at a time (6 for AVX-512 σ and σ′), instruction
// by instruction interleaved (the _X4 and _X6 macros, generated from the
// one-vector macros), so that the long dependency chain of each vector does
// not starve the FP units.
//
// The …NT variants of σ, σ′, tanh and tanh′ (the main loop only, for a
// 64-byte aligned dst) store with VMOVNTPS and end with SFENCE; the Go side
// (withNT in kernels_amd64.go) uses them for outputs of ntMinBytes or more.

`

func main() {
	out := flag.String("out", "kernels_amd64.s", "file to write (- for stdout)")
	bound := flag.String("bound", "scripts/mvecpeer/bound/bound_amd64.s", "where to write the σ and σ′ instruction-mix bound loops (empty: not written)")
	flag.Parse()
	if *bound != "" {
		if err := os.WriteFile(*bound, boundFile(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	var g gen
	g.WriteString(header)

	g.comment(`Register use, AVX-512 σ and σ′ (SIG_CONSTS512): Z29–Z31 hold the lower
and upper clamps and 1.0, Z27:Z28 the table 2^(−j/32), Z24–Z26 1.5·2^18,
log2e and ln2hi; the other constants are broadcast memory operands. The
vectors in flight use Z0–Z23.`)
	g.macro("SIG_CONSTS512", nil, strings.Split(consts512, "\n"))

	g.comment(`SIG_SIGMOID512 computes σ(z) for one vector: z in A, result in D; B and
C are scratch.`)
	g.single(opSigmoid512, sigmoid512)
	g.comment(fmt.Sprintf(`SIG_SIGMOID512_X%d is SIG_SIGMOID512 on %[1]d vectors, interleaved: z in Z0,
Z4, Z8, …, results in Z3, Z7, Z11, ….`, nvec512))
	g.interleaved("SIG_SIGMOID512", sigmoid512, vecs512)

	g.comment(`SIG_PRIME512 computes σ′(z) for one vector: z in A, result in D; B and C
are scratch.`)
	g.single(opPrime512, prime512)
	g.comment(fmt.Sprintf(`SIG_PRIME512_X%d is SIG_PRIME512 on %[1]d vectors, interleaved: z in Z0, Z4,
Z8, …, results in Z3, Z7, Z11, ….`, nvec512))
	g.interleaved("SIG_PRIME512", prime512, vecs512)

	g.comment(`SIG_TAILMASK512 sets K1 to the low CX bits (0 < CX < 16).`)
	g.macro("SIG_TAILMASK512", nil, []string{"MOVL $1, AX", "SHLL CX, AX", "DECL AX", "KMOVW AX, K1"})

	g.comment(`The AVX-512 kernels finish with one K-masked iteration: masked-off lanes
are neither read nor written, and never fault.`)
	g.p("")
	g.body(level512, kernel{"sigmoidAVX512", "dst", "AVX512F", false, opSigmoid512})
	g.body(level512, kernel{"sigmoidPrimeAVX512", "dst", "AVX512F", false, opPrime512})
	g.bodyNT(level512, kernel{"sigmoidAVX512", "dst", "AVX512F", false, opSigmoid512})
	g.bodyNT(level512, kernel{"sigmoidPrimeAVX512", "dst", "AVX512F", false, opPrime512})
	g.body(level512, kernel{"mulSigmoidPrimeAVX512", "delta", "AVX512F", true, opPrime512})

	g.comment(`Register use, AVX2: Y13 = 88 and Y15 = −89 (the clamps of w), Y14 = 1.0;
the other constants are memory operands. The vectors in flight use Y0–Y11.`)
	g.macro("SIG_CONSTS256", nil, []string{"VBROADCASTSS sigOne<>(SB), Y14",
		"VBROADCASTSS sigHi<>(SB), Y13", "VBROADCASTSS sigLo<>(SB), Y15"})

	g.comment(`SIG_SIGMOID256 computes σ(z) for one vector: z in A (destroyed), result
in B; C is scratch.`)
	g.single(opSigmoid256, sigmoid256)
	g.comment(`SIG_SIGMOID256_X4 is SIG_SIGMOID256 on 4 vectors, interleaved: z in Y0,
Y3, Y6, Y9, results in Y1, Y4, Y7, Y10.`)
	g.interleaved("SIG_SIGMOID256", sigmoid256, vecs256)

	g.comment(`SIG_PRIME256 computes σ′(z) for one vector: z in A (destroyed), result
in B; C is scratch.`)
	g.single(opPrime256, prime256)
	g.comment(`SIG_PRIME256_X4 is SIG_PRIME256 on 4 vectors, interleaved: z in Y0, Y3,
Y6, Y9, results in Y1, Y4, Y7, Y10.`)
	g.interleaved("SIG_PRIME256", prime256, vecs256)

	g.comment(`The AVX2 kernels finish the last n mod 8 elements in a zeroed 32-byte
buffer on the stack, copied in and out one float32 at a time, so they never
touch a byte outside the slices (VMASKMOVPS's behaviour on masked-off
elements that would fault is implementation-dependent on AMD) and every
element goes through the same vector code.

SIG_TAILIN256 copies CX (1…7) float32 from (src) to off(SP), after
zeroing 32 bytes there; it uses AX, BX and Y0.`)
	g.macro("SIG_TAILIN256(src, off, label)", nil, []string{
		"VXORPS Y0, Y0, Y0", "VMOVUPS Y0, off(SP)", "XORQ AX, AX",
		"label: \\\n\tMOVL (src)(AX*4), BX", "MOVL BX, off(SP)(AX*4)", "INCQ AX", "CMPQ AX, CX", "JB label"})
	g.comment(`SIG_TAILOUT256 copies CX float32 from (SP) to (dst); it uses AX and BX.`)
	g.macro("SIG_TAILOUT256(dst, label)", nil, []string{
		"XORQ AX, AX", "label: \\\n\tMOVL (SP)(AX*4), BX", "MOVL BX, (dst)(AX*4)", "INCQ AX", "CMPQ AX, CX", "JB label"})

	g.body(level256, kernel{"sigmoidAVX2", "dst", "AVX, AVX2, FMA3", false, opSigmoid256})
	g.body(level256, kernel{"sigmoidPrimeAVX2", "dst", "AVX, AVX2, FMA3", false, opPrime256})
	g.bodyNT(level256, kernel{"sigmoidAVX2", "dst", "AVX, AVX2, FMA3", false, opSigmoid256})
	g.bodyNT(level256, kernel{"sigmoidPrimeAVX2", "dst", "AVX, AVX2, FMA3", false, opPrime256})
	g.body(level256, kernel{"mulSigmoidPrimeAVX2", "delta", "AVX, AVX2, FMA3", true, opPrime256})

	g.comment(`tanh and tanh′ from σ's exponential, on the constants of tanhConstants
(σ's, scaled by exact powers of two, so that the instructions on |z|
compute e^(−2|z|)): tanh(z) = sign(z)·E′/(2 − E′) with E′ = 1 − e^(−2|z|)
formed without cancellation, and tanh′(z) = 4σ′(2z) = 2u′ − u′² with
u′ = 2σ(−2|z|), which keeps tanh′'s relative accuracy in saturation as σ′
keeps σ′'s. The generator has the derivation.`)
	g.macro("SIG_CONSTS512T", nil, strings.Split(consts512T, "\n"))
	g.macro("SIG_CONSTS512TP", nil, strings.Split(consts512TP, "\n"))
	g.comment(`SIG_TANH512 computes tanh(z) for one vector: z in A, result in A; B, C
and D are scratch.`)
	g.single(opTanh512, tanh512)
	g.comment(fmt.Sprintf(`SIG_TANH512_X%d is SIG_TANH512 on %[1]d vectors, interleaved.`, len(vecsT512)))
	g.interleaved("SIG_TANH512", tanh512, vecsT512)
	g.comment(`SIG_TANHPRIME512 computes tanh′(z) for one vector: z in A, result in D;
B and C are scratch.`)
	g.single(opTanhPrime512, tanhPrime512)
	g.comment(fmt.Sprintf(`SIG_TANHPRIME512_X%d is SIG_TANHPRIME512 on %[1]d vectors, interleaved.`, nvec512))
	g.interleaved("SIG_TANHPRIME512", tanhPrime512, vecs512)
	g.p("")
	level512t := level512
	level512t.consts = "SIG_CONSTS512T"
	level512t.vecs = vecsT512
	level512tp := level512
	level512tp.consts = "SIG_CONSTS512TP"
	g.body(level512t, kernel{"tanhAVX512", "dst", "AVX512F", false, opTanh512})
	g.body(level512tp, kernel{"tanhPrimeAVX512", "dst", "AVX512F", false, opTanhPrime512})
	g.bodyNT(level512t, kernel{"tanhAVX512", "dst", "AVX512F", false, opTanh512})
	g.bodyNT(level512tp, kernel{"tanhPrimeAVX512", "dst", "AVX512F", false, opTanhPrime512})
	g.body(level512tp, kernel{"mulTanhPrimeAVX512", "delta", "AVX512F", true, opTanhPrime512})

	g.comment(`AVX2 tanh: Y12 = 44 and Y15 = −44 (the clamps of z), Y13 = 2.0, Y14 = 1.0.`)
	g.macro("SIG_CONSTS256T", nil, []string{"VBROADCASTSS sigOne<>(SB), Y14", "VBROADCASTSS sigTwo<>(SB), Y13",
		"VBROADCASTSS tanhClamp256<>(SB), Y12", "VBROADCASTSS tanhLo256<>(SB), Y15"})
	g.comment(`AVX2 tanh′: Y12 = −44.5 (the clamp of −|z|), Y13 = 2.0, Y14 = 1.0.`)
	g.macro("SIG_CONSTS256TP", nil, []string{"VBROADCASTSS sigOne<>(SB), Y14",
		"VBROADCASTSS sigTwo<>(SB), Y13", "VBROADCASTSS tanhPrimeLo256<>(SB), Y12"})
	g.comment(`SIG_TANH256 computes tanh(z) for one vector: z in A (destroyed), result
in B; C is scratch.`)
	g.single(opTanh256, tanh256)
	g.comment(`SIG_TANH256_X4 is SIG_TANH256 on 4 vectors, interleaved.`)
	g.interleaved("SIG_TANH256", tanh256, vecs256)
	g.comment(`SIG_TANHPRIME256 computes tanh′(z) for one vector: z in A (destroyed),
result in B; C is scratch.`)
	g.single(opTanhPrime256, tanhPrime256)
	g.comment(`SIG_TANHPRIME256_X4 is SIG_TANHPRIME256 on 4 vectors, interleaved.`)
	g.interleaved("SIG_TANHPRIME256", tanhPrime256, vecs256)
	level256t := level256
	level256t.consts = "SIG_CONSTS256T"
	level256tp := level256
	level256tp.consts = "SIG_CONSTS256TP"
	g.body(level256t, kernel{"tanhAVX2", "dst", "AVX, AVX2, FMA3", false, opTanh256})
	g.body(level256tp, kernel{"tanhPrimeAVX2", "dst", "AVX, AVX2, FMA3", false, opTanhPrime256})
	g.bodyNT(level256t, kernel{"tanhAVX2", "dst", "AVX, AVX2, FMA3", false, opTanh256})
	g.bodyNT(level256tp, kernel{"tanhPrimeAVX2", "dst", "AVX, AVX2, FMA3", false, opTanhPrime256})
	g.body(level256tp, kernel{"mulTanhPrimeAVX2", "delta", "AVX, AVX2, FMA3", true, opTanhPrime256})

	g.p("// sigTab: 2^(−j/32), j = 0…31")
	for j := 0; j < 32; j += 2 {
		g.p("DATA sigTab<>+%d(SB)/8, $0x%08x%08x", 4*j, sigTab[j+1], sigTab[j])
	}
	g.p("GLOBL sigTab<>(SB), RODATA|NOPTR, $128")
	g.p("")
	for _, c := range append(constants, tanhConstants...) {
		g.p("// %s", c.doc)
		for off := 0; off < 32; off += 8 {
			g.p("DATA %s<>+%d(SB)/8, $0x%08x%08x", c.name, off, c.bits, c.bits)
		}
		g.p("GLOBL %s<>(SB), RODATA|NOPTR, $32", c.name)
		g.p("")
	}

	// The BLAS-1 part, without the template's own build line and include.
	body := blas1
	for _, l := range []string{"//go:build !purego\n", "#include \"textflag.h\"\n"} {
		if !strings.Contains(body, l) {
			log.Fatalf("blas1_amd64.s.in: missing %q", l)
		}
		body = strings.Replace(body, l, "", 1)
	}
	g.p("")
	g.comment(`────────────────────────────────────────────────────────────────────────
BLAS-1: copied from _gen/kernels/blas1_amd64.s.in (hand-written).
────────────────────────────────────────────────────────────────────────`)
	g.WriteString(strings.TrimLeft(body, "\n"))

	b := bytes.TrimRight(g.Bytes(), "\n")
	b = append(b, '\n')
	if *out == "-" {
		os.Stdout.Write(b)
		return
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}
