//go:build !purego

#include "textflag.h"

// func fmaLoopNEON(iters int, x, y float32)
//
// 16 independent accumulators: cores such as Apple's Firestorm and Neoverse
// V2 have four 128-bit FMA pipes with a latency of 4 cycles, so 16 chains
// are needed to fill them (8 suffice on cores with two pipes).
// Requires: ASIMD
TEXT ·fmaLoopNEON(SB), NOSPLIT, $0-16
	MOVD  iters+0(FP), R0
	FMOVS x+8(FP), F16
	FMOVS y+12(FP), F17
	VDUP  V16.S[0], V16.S4
	VDUP  V17.S[0], V17.S4
	VEOR  V0.B16, V0.B16, V0.B16
	VEOR  V1.B16, V1.B16, V1.B16
	VEOR  V2.B16, V2.B16, V2.B16
	VEOR  V3.B16, V3.B16, V3.B16
	VEOR  V4.B16, V4.B16, V4.B16
	VEOR  V5.B16, V5.B16, V5.B16
	VEOR  V6.B16, V6.B16, V6.B16
	VEOR  V7.B16, V7.B16, V7.B16
	VEOR  V8.B16, V8.B16, V8.B16
	VEOR  V9.B16, V9.B16, V9.B16
	VEOR  V10.B16, V10.B16, V10.B16
	VEOR  V11.B16, V11.B16, V11.B16
	VEOR  V12.B16, V12.B16, V12.B16
	VEOR  V13.B16, V13.B16, V13.B16
	VEOR  V14.B16, V14.B16, V14.B16
	VEOR  V15.B16, V15.B16, V15.B16
	CMP   $0, R0
	BLE   fmaLoopNEON_done

fmaLoopNEON_loop:
	VFMLA V16.S4, V17.S4, V0.S4
	VFMLA V16.S4, V17.S4, V1.S4
	VFMLA V16.S4, V17.S4, V2.S4
	VFMLA V16.S4, V17.S4, V3.S4
	VFMLA V16.S4, V17.S4, V4.S4
	VFMLA V16.S4, V17.S4, V5.S4
	VFMLA V16.S4, V17.S4, V6.S4
	VFMLA V16.S4, V17.S4, V7.S4
	VFMLA V16.S4, V17.S4, V8.S4
	VFMLA V16.S4, V17.S4, V9.S4
	VFMLA V16.S4, V17.S4, V10.S4
	VFMLA V16.S4, V17.S4, V11.S4
	VFMLA V16.S4, V17.S4, V12.S4
	VFMLA V16.S4, V17.S4, V13.S4
	VFMLA V16.S4, V17.S4, V14.S4
	VFMLA V16.S4, V17.S4, V15.S4
	SUBS  $1, R0, R0
	BNE   fmaLoopNEON_loop

fmaLoopNEON_done:
	RET

// func addChain(iters int)
//
// Runs iters × 32 dependent register-register adds (latency 1 cycle on
// every ARMv8 core); the loop counter is an independent chain.
TEXT ·addChain(SB), NOSPLIT, $0-8
	MOVD iters+0(FP), R0
	MOVD $1, R1
	MOVD $0, R2
	CMP  $0, R0
	BLE  addChain_done

addChain_loop:
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	ADD  R1, R2, R2
	SUBS $1, R0, R0
	BNE  addChain_loop

addChain_done:
	RET
