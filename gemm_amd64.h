// Macros shared by the hand-written amd64 GEMM and GEMV kernels
// (gemm_amd64.s, gemm_packed_amd64.s, gemm_dot_amd64.s, gemv_amd64.s).
// Only #defines: this file defines no symbol, so any .s file of the
// package may #include it. It is read only where it is included, by files
// built with //go:build !purego.

// Accumulators to zero: ZEROnZ zeroes Z0…Z(n−1), ZEROnY zeroes Y0…Y(n−1),
// ZEROnX zeroes X0…X(n−1) (a VEX-encoded write clears the upper lanes too).
// ZERO4 zeroes four registers with op (VPXORD for zmm, VXORPS for ymm,
// xmm): op r, r, r.
#define ZERO4(op, r0, r1, r2, r3) \
	op r0, r0, r0; \
	op r1, r1, r1; \
	op r2, r2, r2; \
	op r3, r3, r3

#define ZERO15Z \
	ZERO4(VPXORD, Z0, Z1, Z2, Z3); \
	ZERO4(VPXORD, Z4, Z5, Z6, Z7); \
	ZERO4(VPXORD, Z8, Z9, Z10, Z11); \
	VPXORD Z12, Z12, Z12; \
	VPXORD Z13, Z13, Z13; \
	VPXORD Z14, Z14, Z14

#define ZERO16Z \
	ZERO15Z; \
	VPXORD Z15, Z15, Z15

#define ZERO24Z \
	ZERO16Z; \
	ZERO4(VPXORD, Z16, Z17, Z18, Z19); \
	ZERO4(VPXORD, Z20, Z21, Z22, Z23)

#define ZERO4Y ZERO4(VXORPS, Y0, Y1, Y2, Y3)

#define ZERO8Y \
	ZERO4Y; \
	ZERO4(VXORPS, Y4, Y5, Y6, Y7)

#define ZERO9Y \
	ZERO8Y; \
	VXORPS Y8, Y8, Y8

#define ZERO12Y \
	ZERO9Y; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y10, Y10, Y10; \
	VXORPS Y11, Y11, Y11

#define ZERO4X ZERO4(VXORPS, X0, X1, X2, X3)

#define ZERO8X \
	ZERO4X; \
	ZERO4(VXORPS, X4, X5, X6, X7)

// One row of the AVX-512 12×32 tile: broadcast A(i,p) from addr into bc
// and multiply it into the two B vectors of row p, Z24 and Z25.
#define ROW512(addr, bc, acc0, acc1) \
	VBROADCASTSS addr, bc; \
	VFMADD231PS  Z24, bc, acc0; \
	VFMADD231PS  Z25, bc, acc1

// One row of the AVX2 6×16 tile: B row p in Y12, Y13.
#define ROW256(addr, bc, acc0, acc1) \
	VBROADCASTSS addr, bc; \
	VFMADD231PS  Y12, bc, acc0; \
	VFMADD231PS  Y13, bc, acc1

// C = alpha·acc for one full row of 16 floats at DI (alpha in the register
// alpha); C is not read. Then DI moves to the next row (SI = ldc·4).
#define STORE16Z(alpha, acc0, acc1) \
	VMULPS  alpha, acc0, acc0; \
	VMULPS  alpha, acc1, acc1; \
	VMOVUPS acc0, (DI); \
	VMOVUPS acc1, 32(DI); \
	ADDQ    SI, DI

// C = alpha·acc + (beta·C) for one full row of 16 floats at DI: one FMA
// per vector, so the result carries only the roundings of the sum, of
// beta·C and of the FMA; t0, t1 are scratch (they may be the same
// register). Then DI moves to the next row.
#define STORE16B(alpha, beta, t0, t1, acc0, acc1) \
	VMULPS      (DI), beta, t0; \
	VFMADD213PS t0, alpha, acc0; \
	VMOVUPS     acc0, (DI); \
	VMULPS      32(DI), beta, t1; \
	VFMADD213PS t1, alpha, acc1; \
	VMOVUPS     acc1, 32(DI); \
	ADDQ        SI, DI

// Prefetch the lines that hold (DI) and hi(DI), one row of the C tile
// (hints: they never fault); PREFETCHC also moves DI to the next row
// (SI = ldc·4), PREFETCHC6 does six rows.
#define PREFETCHC1(hi) \
	PREFETCHT0 (DI); \
	PREFETCHT0 hi(DI)

#define PREFETCHC(hi) \
	PREFETCHC1(hi); \
	ADDQ SI, DI

#define PREFETCHC6(hi) \
	PREFETCHC(hi); \
	PREFETCHC(hi); \
	PREFETCHC(hi); \
	PREFETCHC(hi); \
	PREFETCHC(hi); \
	PREFETCHC(hi)
