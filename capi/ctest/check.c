// check: cblas_sgemm, cblas_sgemv and cblas_sger on shapes larger than the
// reference testers reach (they stop at n = 65): the packed path (k > 1024
// or both operands past L2), several threads, edge tiles, both layouts, every
// transpose, negative increments, against a double-precision reference
// computed here. Error bound per element: 2·k·2⁻²⁴·(|α|·Σ|a·b| + |β·c|).
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deltacore.h"

static int failures;

static float rnd(void) { return (float)rand() / RAND_MAX * 2 - 1; }

static float *randv(size_t n) {
	float *p = malloc(n * sizeof *p);
	for (size_t i = 0; i < n; i++) p[i] = rnd();
	return p;
}

// at returns element (i, j) of a matrix stored in layout l with leading
// dimension ld.
static float at(const float *p, int l, int ld, int i, int j) {
	return l == CblasRowMajor ? p[(size_t)i * ld + j] : p[(size_t)j * ld + i];
}

static void gemm(int l, int ta, int tb, int m, int n, int k) {
	float alpha = 0.75f, beta = -0.5f;
	int ar = ta == CblasNoTrans ? m : k, ac = ta == CblasNoTrans ? k : m;
	int br = tb == CblasNoTrans ? k : n, bc = tb == CblasNoTrans ? n : k;
	int lda = (l == CblasRowMajor ? ac : ar) + 3, ldb = (l == CblasRowMajor ? bc : br) + 1;
	int ldc = (l == CblasRowMajor ? n : m) + 2;
	float *a = randv((size_t)lda * (l == CblasRowMajor ? ar : ac));
	float *b = randv((size_t)ldb * (l == CblasRowMajor ? br : bc));
	float *c = randv((size_t)ldc * (l == CblasRowMajor ? m : n));
	float *c0 = malloc((size_t)ldc * (l == CblasRowMajor ? m : n) * sizeof *c0);
	for (size_t i = 0; i < (size_t)ldc * (l == CblasRowMajor ? m : n); i++) c0[i] = c[i];
	cblas_sgemm(l, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
	double worst = 0;
	for (int i = 0; i < m; i++) {
		for (int j = 0; j < n; j++) {
			double s = 0, abs = 0;
			for (int p = 0; p < k; p++) {
				double av = ta == CblasNoTrans ? at(a, l, lda, i, p) : at(a, l, lda, p, i);
				double bv = tb == CblasNoTrans ? at(b, l, ldb, p, j) : at(b, l, ldb, j, p);
				s += av * bv;
				abs += fabs(av * bv);
			}
			double c0v = at(c0, l, ldc, i, j);
			double want = alpha * s + beta * c0v;
			double bound = 2.0 * (k + 1) * ldexp(1, -24) * (fabs(alpha) * abs + fabs(beta * c0v)) + 1e-30;
			double r = fabs(at(c, l, ldc, i, j) - want) / bound;
			if (!(r <= 1)) {
				if (failures++ < 5) printf("FAIL sgemm %c%c%c %dx%dx%d at (%d,%d): %g want %g\n",
					l == CblasRowMajor ? 'R' : 'C', ta == CblasNoTrans ? 'N' : 'T', tb == CblasNoTrans ? 'N' : 'T',
					m, n, k, i, j, at(c, l, ldc, i, j), want);
				goto out;
			}
			if (r > worst) worst = r;
		}
	}
	printf("ok   sgemm %s %c%c %4dx%4dx%4d  worst error/bound %.3f\n", l == CblasRowMajor ? "row" : "col",
		ta == CblasNoTrans ? 'N' : 'T', tb == CblasNoTrans ? 'N' : 'T', m, n, k, worst);
out:
	free(a), free(b), free(c), free(c0);
}

static void gemv(int l, int ta, int m, int n, int incx, int incy) {
	float alpha = -1.25f, beta = 0.5f;
	int lda = (l == CblasRowMajor ? n : m) + 5;
	int lx = ta == CblasNoTrans ? n : m, ly = ta == CblasNoTrans ? m : n;
	float *a = randv((size_t)lda * (l == CblasRowMajor ? m : n));
	size_t nx = 1 + (size_t)(lx - 1) * abs(incx), ny = 1 + (size_t)(ly - 1) * abs(incy);
	float *x = randv(nx), *y = randv(ny), *y0 = malloc(ny * sizeof *y0);
	for (size_t i = 0; i < ny; i++) y0[i] = y[i];
	cblas_sgemv(l, ta, m, n, alpha, a, lda, x, incx, beta, y, incy);
	for (int i = 0; i < ly; i++) {
		double s = 0, abs = 0;
		for (int p = 0; p < lx; p++) {
			double av = ta == CblasNoTrans ? at(a, l, lda, i, p) : at(a, l, lda, p, i);
			double xv = x[incx > 0 ? (size_t)p * incx : (size_t)(lx - 1 - p) * -incx];
			s += av * xv;
			abs += fabs(av * xv);
		}
		size_t iy = incy > 0 ? (size_t)i * incy : (size_t)(ly - 1 - i) * -incy;
		double want = alpha * s + beta * y0[iy];
		double bound = 2.0 * (lx + 1) * ldexp(1, -24) * (fabs(alpha) * abs + fabs(beta * y0[iy])) + 1e-30;
		if (!(fabs(y[iy] - want) <= bound)) {
			failures++;
			printf("FAIL sgemv %dx%d inc %d,%d at %d: %g want %g\n", m, n, incx, incy, i, y[iy], want);
			break;
		}
	}
	printf("ok   sgemv %s %c %4dx%4d incX %2d incY %2d\n", l == CblasRowMajor ? "row" : "col", ta == CblasNoTrans ? 'N' : 'T', m, n, incx, incy);
	free(a), free(x), free(y), free(y0);
}

static void ger(int l, int m, int n, int incx, int incy) {
	float alpha = 0.5f;
	int lda = (l == CblasRowMajor ? n : m) + 1;
	size_t na = (size_t)lda * (l == CblasRowMajor ? m : n);
	float *a = randv(na), *a0 = malloc(na * sizeof *a0);
	for (size_t i = 0; i < na; i++) a0[i] = a[i];
	float *x = randv(1 + (size_t)(m - 1) * abs(incx)), *y = randv(1 + (size_t)(n - 1) * abs(incy));
	cblas_sger(l, m, n, alpha, x, incx, y, incy, a, lda);
	for (int i = 0; i < m; i++) {
		for (int j = 0; j < n; j++) {
			double xv = x[incx > 0 ? (size_t)i * incx : (size_t)(m - 1 - i) * -incx];
			double yv = y[incy > 0 ? (size_t)j * incy : (size_t)(n - 1 - j) * -incy];
			double want = at(a0, l, lda, i, j) + alpha * xv * yv;
			if (!(fabs(at(a, l, lda, i, j) - want) <= 4 * ldexp(1, -24) * (fabs(want) + fabs(alpha * xv * yv)))) {
				failures++;
				printf("FAIL sger %dx%d at (%d,%d)\n", m, n, i, j);
				goto out;
			}
		}
	}
	printf("ok   sger  %s %4dx%4d incX %2d incY %2d\n", l == CblasRowMajor ? "row" : "col", m, n, incx, incy);
out:
	free(a), free(a0), free(x), free(y);
}

// Concurrent callers: threads that the Go runtime has never seen call
// cblas_sgemm at once (each product may itself run on several threads);
// every result must equal, bit for bit, the same product computed alone
// (deltacore's results do not depend on the thread count).
enum { CM = 200, CN = 150, CK = 300, CALLERS = 4, ROUNDS = 10 };
static float *ca, *cb, *cwant;

static void *caller(void *arg) {
	float *c = malloc(sizeof(float) * CM * CN);
	long bad = 0;
	for (int r = 0; r < ROUNDS; r++) {
		memset(c, 0xff, sizeof(float) * CM * CN);
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, CM, CN, CK, 1, ca, CK, cb, CK, 0, c, CN);
		bad += memcmp(c, cwant, sizeof(float) * CM * CN) != 0;
	}
	free(c);
	(void)arg;
	return (void *)bad;
}

static void concurrent(void) {
	ca = randv((size_t)CM * CK), cb = randv((size_t)CN * CK), cwant = malloc(sizeof(float) * CM * CN);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, CM, CN, CK, 1, ca, CK, cb, CK, 0, cwant, CN);
	pthread_t t[CALLERS];
	for (int i = 0; i < CALLERS; i++) pthread_create(&t[i], NULL, caller, NULL);
	long bad = 0;
	for (int i = 0; i < CALLERS; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	if (bad) {
		failures++;
		printf("FAIL concurrent: %ld of %d products differ from the product computed alone\n", bad, CALLERS * ROUNDS);
	} else {
		printf("ok   %d threads x %d concurrent sgemm %dx%dx%d, all equal to the product alone\n", CALLERS, ROUNDS, CM, CN, CK);
	}
	free(ca), free(cb), free(cwant);
}

int main(void) {
	srand(1);
	int shapes[][3] = {{333, 301, 257}, {97, 130, 1100}, {10, 30, 784}, {31, 65, 400}, {129, 1, 77}};
	for (int l = CblasRowMajor; l <= CblasColMajor; l++)
		for (int ta = CblasNoTrans; ta <= CblasTrans; ta++)
			for (int tb = CblasNoTrans; tb <= CblasTrans; tb++)
				for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
					gemm(l, ta, tb, shapes[s][0], shapes[s][1], shapes[s][2]);
	int incs[] = {1, -1, 3, -2};
	for (int l = CblasRowMajor; l <= CblasColMajor; l++)
		for (int ta = CblasNoTrans; ta <= CblasTrans; ta++)
			for (int i = 0; i < 4; i++) {
				gemv(l, ta, 517, 300, incs[i], incs[3 - i]);
				ger(l, 211, 190, incs[i], incs[(i + 1) % 4]);
			}
	concurrent();
	printf("%d failed\n", failures);
	return failures != 0;
}
