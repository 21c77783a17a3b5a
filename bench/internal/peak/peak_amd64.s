//go:build !purego

#include "textflag.h"

// The FMA loops keep 12 independent accumulators: an FMA has a latency of 4
// cycles on current x86 cores (Zen 4/5, Golden Cove) and there are two FMA
// pipes, so at least 8 chains must be in flight to keep both busy; 12 leaves
// room for a longer latency or a third pipe. Each accumulator gets
// acc += x*y with small x*y, so the values stay normal and finite.

// func fmaLoopAVX2(iters int, x, y float32)
// Requires: AVX, FMA3
TEXT ·fmaLoopAVX2(SB), NOSPLIT, $0-16
	MOVQ         iters+0(FP), CX
	VBROADCASTSS x+8(FP), Y14
	VBROADCASTSS y+12(FP), Y15
	VXORPS       Y0, Y0, Y0
	VXORPS       Y1, Y1, Y1
	VXORPS       Y2, Y2, Y2
	VXORPS       Y3, Y3, Y3
	VXORPS       Y4, Y4, Y4
	VXORPS       Y5, Y5, Y5
	VXORPS       Y6, Y6, Y6
	VXORPS       Y7, Y7, Y7
	VXORPS       Y8, Y8, Y8
	VXORPS       Y9, Y9, Y9
	VXORPS       Y10, Y10, Y10
	VXORPS       Y11, Y11, Y11
	TESTQ        CX, CX
	JLE          fmaLoopAVX2_done

fmaLoopAVX2_loop:
	VFMADD231PS Y14, Y15, Y0
	VFMADD231PS Y14, Y15, Y1
	VFMADD231PS Y14, Y15, Y2
	VFMADD231PS Y14, Y15, Y3
	VFMADD231PS Y14, Y15, Y4
	VFMADD231PS Y14, Y15, Y5
	VFMADD231PS Y14, Y15, Y6
	VFMADD231PS Y14, Y15, Y7
	VFMADD231PS Y14, Y15, Y8
	VFMADD231PS Y14, Y15, Y9
	VFMADD231PS Y14, Y15, Y10
	VFMADD231PS Y14, Y15, Y11
	DECQ        CX
	JNZ         fmaLoopAVX2_loop

fmaLoopAVX2_done:
	VZEROUPPER
	RET

// func fmaLoopAVX512(iters int, x, y float32)
// Requires: AVX512F
TEXT ·fmaLoopAVX512(SB), NOSPLIT, $0-16
	MOVQ         iters+0(FP), CX
	VBROADCASTSS x+8(FP), Z14
	VBROADCASTSS y+12(FP), Z15
	VPXORD       Z0, Z0, Z0
	VPXORD       Z1, Z1, Z1
	VPXORD       Z2, Z2, Z2
	VPXORD       Z3, Z3, Z3
	VPXORD       Z4, Z4, Z4
	VPXORD       Z5, Z5, Z5
	VPXORD       Z6, Z6, Z6
	VPXORD       Z7, Z7, Z7
	VPXORD       Z8, Z8, Z8
	VPXORD       Z9, Z9, Z9
	VPXORD       Z10, Z10, Z10
	VPXORD       Z11, Z11, Z11
	TESTQ        CX, CX
	JLE          fmaLoopAVX512_done

fmaLoopAVX512_loop:
	VFMADD231PS Z14, Z15, Z0
	VFMADD231PS Z14, Z15, Z1
	VFMADD231PS Z14, Z15, Z2
	VFMADD231PS Z14, Z15, Z3
	VFMADD231PS Z14, Z15, Z4
	VFMADD231PS Z14, Z15, Z5
	VFMADD231PS Z14, Z15, Z6
	VFMADD231PS Z14, Z15, Z7
	VFMADD231PS Z14, Z15, Z8
	VFMADD231PS Z14, Z15, Z9
	VFMADD231PS Z14, Z15, Z10
	VFMADD231PS Z14, Z15, Z11
	DECQ        CX
	JNZ         fmaLoopAVX512_loop

fmaLoopAVX512_done:
	VZEROUPPER
	RET

// func addChain(iters int)
//
// Runs iters × 32 dependent register-register adds (latency 1 cycle on every
// x86 core since the Pentium 4's successors; a register operand, not an
// immediate, so renamers that fold small immediates cannot shorten the
// chain). The loop counter is an independent chain that runs alongside.
TEXT ·addChain(SB), NOSPLIT, $0-8
	MOVQ  iters+0(FP), CX
	MOVQ  $1, BX
	XORQ  AX, AX
	TESTQ CX, CX
	JLE   addChain_done

addChain_loop:
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	ADDQ BX, AX
	DECQ CX
	JNZ  addChain_loop

addChain_done:
	RET
