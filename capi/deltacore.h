/*
 * deltacore.h: the C interface of libdeltacore.so, deltacore's float32
 * kernels (AVX-512, AVX2, NEON or generic, chosen at load from the CPU) as a
 * shared library with the symbols of any BLAS.
 *
 * Build:  go build -buildmode=c-shared -o libdeltacore.so ./capi
 * Link:   cc prog.c -I capi -L . -ldeltacore   (or LD_PRELOAD=./libdeltacore.so
 *         in front of a program linked against another BLAS)
 *
 * This header is written by hand and is the stable interface; the
 * libdeltacore.h that go build writes beside the library is not.
 *
 * Three families of symbols:
 *   - CBLAS (cblas_s*): row-major or column-major, any increment, negative
 *     ones included, with the semantics of the reference CBLAS;
 *   - Fortran BLAS (s*_), gfortran's ABI as Debian's reference BLAS: every
 *     argument by pointer, each CHARACTER argument followed, at the end of the
 *     list, by its hidden length; sdot_, snrm2_ and sasum_ return float (in
 *     xmm0 on amd64), isamax_ returns int;
 *   - deltacore's own (deltacore_*): row-major, returning an error code.
 *
 * Bad arguments are reported as the reference BLAS reports them: a Fortran
 * routine calls xerbla_ with its name (blank-padded to 6) and the reference
 * parameter number; a CBLAS routine calls cblas_xerbla with the reference
 * CBLAS number (for a row-major call, the number of the transposed
 * column-major call, which cblas_xerbla renumbers when RowMajorStrg is set,
 * as in the reference). Then the routine returns without touching any data.
 * The library's own xerbla_ and cblas_xerbla are weak: a program that defines
 * its own gets its own. The library's print the reference message on stderr
 * and return; unlike the reference ones, they do not end the process.
 * A NULL pointer the call would read or write is reported the same way, with
 * the pointer's parameter number (the reference does not check pointers; it
 * would crash). A Go panic never crosses into C.
 *
 * Threads and the Go runtime. The library contains the Go runtime, which
 * starts when the library is loaded (before main, or at dlopen):
 *   - it starts a few threads of its own (the scheduler's monitor, garbage
 *     collector workers, idle workers) and runs each call on the calling
 *     thread; a large Sgemm is split across goroutines, which run on up to
 *     GOMAXPROCS threads (by default the number of CPUs the process may use;
 *     the environment variable GOMAXPROCS sets it);
 *   - DELTACORE_THREADS=n, read once when the library is loaded, caps the
 *     number of threads one large matrix product (sgemm, dense forward and
 *     backward) uses; unset or invalid, it is GOMAXPROCS;
 *   - it installs signal handlers for SIGSEGV, SIGBUS, SIGFPE, SIGPIPE and
 *     SIGURG (goroutine preemption), with SA_ONSTACK; a synchronous signal
 *     raised in non-Go code is passed on to the handler that was there before.
 *     Other signals keep the host's handlers (Go adds SA_ONSTACK to them). A
 *     host that installs its own handlers after loading the library must use
 *     SA_ONSTACK, since Go code runs on small stacks;
 *   - every routine may be called from any thread, concurrently. The first
 *     call from a thread the Go runtime has not seen costs some microseconds
 *     more than the next ones.
 *   - DELTACORE_ISA=avx2|generic caps the instruction-set level at load.
 */
#ifndef DELTACORE_H
#define DELTACORE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CBLAS. The enum values are the standard ones. */

#ifndef CBLAS_H
enum CBLAS_ORDER { CblasRowMajor = 101, CblasColMajor = 102 };
enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112, CblasConjTrans = 113 };
typedef enum CBLAS_ORDER CBLAS_LAYOUT;
typedef size_t CBLAS_INDEX;
#endif

/* C = alpha*op(A)*op(B) + beta*C; op(A) is M×K, op(B) K×N, C M×N.
 * When beta is 0, C is not read. */
void cblas_sgemm(CBLAS_LAYOUT layout, enum CBLAS_TRANSPOSE TransA,
                 enum CBLAS_TRANSPOSE TransB, int M, int N, int K, float alpha,
                 const float *A, int lda, const float *B, int ldb, float beta,
                 float *C, int ldc);
/* y = alpha*op(A)*x + beta*y; A is M×N. When beta is 0, y is not read. */
void cblas_sgemv(CBLAS_LAYOUT layout, enum CBLAS_TRANSPOSE TransA, int M, int N,
                 float alpha, const float *A, int lda, const float *X, int incX,
                 float beta, float *Y, int incY);
/* A = alpha*x*y' + A; A is M×N. */
void cblas_sger(CBLAS_LAYOUT layout, int M, int N, float alpha, const float *X,
                int incX, const float *Y, int incY, float *A, int lda);
/* y = alpha*x + y */
void cblas_saxpy(int N, float alpha, const float *X, int incX, float *Y, int incY);
/* x'*y */
float cblas_sdot(int N, const float *X, int incX, const float *Y, int incY);
/* x = alpha*x (nothing when incX <= 0) */
void cblas_sscal(int N, float alpha, float *X, int incX);
/* ||x||_2, accumulated in double: no overflow or underflow for any float input */
float cblas_snrm2(int N, const float *X, int incX);
/* sum |x_i| (0 when incX <= 0) */
float cblas_sasum(int N, const float *X, int incX);
/* 0-based index of the first element of largest |x_i| (0 when N < 1 or incX <= 0) */
CBLAS_INDEX cblas_isamax(int N, const float *X, int incX);
/* y = x */
void cblas_scopy(int N, const float *X, int incX, float *Y, int incY);
/* x <-> y */
void cblas_sswap(int N, float *X, int incX, float *Y, int incY);

/* The CBLAS error handler (weak in the library; see above). */
void cblas_xerbla(int p, const char *rout, const char *form, ...);

/* Fortran BLAS, column-major, gfortran's ABI. */

void sgemm_(const char *transa, const char *transb, const int *m, const int *n,
            const int *k, const float *alpha, const float *a, const int *lda,
            const float *b, const int *ldb, const float *beta, float *c,
            const int *ldc, size_t transa_len, size_t transb_len);
void sgemv_(const char *trans, const int *m, const int *n, const float *alpha,
            const float *a, const int *lda, const float *x, const int *incx,
            const float *beta, float *y, const int *incy, size_t trans_len);
void sger_(const int *m, const int *n, const float *alpha, const float *x,
           const int *incx, const float *y, const int *incy, float *a,
           const int *lda);
void saxpy_(const int *n, const float *alpha, const float *x, const int *incx,
            float *y, const int *incy);
float sdot_(const int *n, const float *x, const int *incx, const float *y,
            const int *incy);
void sscal_(const int *n, const float *alpha, float *x, const int *incx);
float snrm2_(const int *n, const float *x, const int *incx);
float sasum_(const int *n, const float *x, const int *incx);
/* 1-based, 0 when n < 1 or incx <= 0 */
int isamax_(const int *n, const float *x, const int *incx);
void scopy_(const int *n, const float *x, const int *incx, float *y, const int *incy);
void sswap_(const int *n, float *x, const int *incx, float *y, const int *incy);

/* The Fortran error handler (weak in the library; see above): srname is the
 * routine's name blank-padded to srname_len (6) characters, not terminated. */
void xerbla_(const char *srname, const int *info, size_t srname_len);

/* deltacore's own, row-major. Each returns 0, or the 1-based position of the
 * first bad argument (a negative size, a stride too small, a NULL operand the
 * call would touch, an output overlapping an input where that is not
 * allowed) and then does nothing. They never print and never abort. */

/* dst[i] = 1/(1+exp(-z[i])); dst may be z, or must not overlap it. */
int deltacore_sigmoid(float *dst, const float *z, ptrdiff_t n);
/* dst[i] = sigma'(z[i]) = sigma(z)(1-sigma(z)), accurate in saturation. */
int deltacore_sigmoid_prime(float *dst, const float *z, ptrdiff_t n);
/* delta[i] *= sigma'(z[i]); delta may be z, or must not overlap it. */
int deltacore_mul_sigmoid_prime(float *delta, const float *z, ptrdiff_t n);

/* The forward step of a dense layer for a batch of m inputs: x is m×k (row
 * stride ldx >= max(1,k)), w is n×k (ldw >= max(1,k)), bias has n elements
 * or is NULL;
 *   z[i*ldz+j] = sum_p x[i*ldx+p]*w[j*ldw+p] + bias[j]    (ldz >= max(1,n))
 * and, unless act is NULL, act[i*ldact+j] = sigma(z[i*ldz+j]). z and act
 * must not overlap x, w, bias or each other. */
int deltacore_dense_forward(int m, int n, int k, const float *x, int ldx,
                            const float *w, int ldw, const float *bias,
                            float *z, int ldz, float *act, int ldact);
/* The backward step for a batch of m samples: dnext is m×nn (lddn >=
 * max(1,nn)), w is nn×n (ldw >= max(1,n)), z is m×n (ldz >= max(1,n));
 *   d[i*ldd+j] = (sum_q dnext[i*lddn+q]*w[q*ldw+j]) * sigma'(z[i*ldz+j]).
 * d may be z (with ldd == ldz), or must not overlap dnext, w or z. */
int deltacore_dense_backward(int m, int n, int nn, const float *dnext, int lddn,
                             const float *w, int ldw, const float *z, int ldz,
                             float *d, int ldd);

/* Instruction-set levels. */
enum {
	DELTACORE_GENERIC = 0,
	DELTACORE_AVX2 = 1,
	DELTACORE_AVX512 = 2,
	DELTACORE_NEON = 3
};
/* The level whose kernels run now. */
int deltacore_level(void);
/* Switches every kernel to level; returns 0, -1 if level is no level, -2 if
 * this CPU or build cannot run it (nothing changes then). */
int deltacore_set_level(int level);

#ifdef __cplusplus
}
#endif

#endif /* DELTACORE_H */
