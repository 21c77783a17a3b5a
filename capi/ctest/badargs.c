// badargs: bad input from C. Every call below has one bad argument (a
// negative size, a leading dimension too small, a zero increment, a bad
// enum, a NULL pointer with n > 0); each must be reported through the
// program's own xerbla_ or cblas_xerbla, defined here as the reference
// testers define theirs, with the routine's name and the reference parameter
// number, and nothing may crash or be written. Exit status 0 when every
// report is the expected one.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deltacore.h"

extern int RowMajorStrg; // the library's, set while it reports a row-major call

static char gotRout[32];
static int gotInfo, calls, failures;

// The reference CBLAS handler's row-major renumbering (cblas_xerbla.c).
void cblas_xerbla(int info, const char *rout, const char *form, ...) {
	(void)form;
	if (RowMajorStrg) {
		if (strstr(rout, "gemm")) {
			if (info == 5) info = 4; else if (info == 4) info = 5;
			else if (info == 11) info = 9; else if (info == 9) info = 11;
		} else if (strstr(rout, "gemv")) {
			if (info == 4) info = 3; else if (info == 3) info = 4;
		} else if (strstr(rout, "ger")) {
			if (info == 3) info = 2; else if (info == 2) info = 3;
			else if (info == 8) info = 6; else if (info == 6) info = 8;
		}
	}
	snprintf(gotRout, sizeof gotRout, "%s", rout);
	gotInfo = info;
	calls++;
}

void xerbla_(const char *srname, const int *info, size_t len) {
	snprintf(gotRout, sizeof gotRout, "%.*s", (int)len, srname);
	gotInfo = *info;
	calls++;
}

static void expect(const char *what, const char *rout, int info) {
	if (calls != 1 || strcmp(gotRout, rout) != 0 || gotInfo != info) {
		printf("FAIL %s: want one report (%s, %d), got %d (last %s, %d)\n", what, rout, info, calls, gotRout, gotInfo);
		failures++;
	} else {
		printf("ok   %-58s -> %-12s %2d\n", what, rout, info);
	}
	calls = 0;
	gotRout[0] = 0;
	gotInfo = 0;
}

static void expectCode(const char *what, int got, int want) {
	if (got != want || calls != 0) {
		printf("FAIL %s: want %d, got %d (%d reports)\n", what, want, got, calls);
		failures++;
	} else {
		printf("ok   %-58s -> %d\n", what, got);
	}
	calls = 0;
}

#define R CblasRowMajor
#define C CblasColMajor
#define N CblasNoTrans
#define T CblasTrans

int main(void) {
	float a[64], b[64], c[64], x[16], y[16];
	for (int i = 0; i < 64; i++) a[i] = b[i] = c[i] = 1;
	for (int i = 0; i < 16; i++) x[i] = y[i] = 1;

	// cblas_sgemm (layout 1, TransA 2, TransB 3, M 4, N 5, K 6, alpha 7, A 8,
	// lda 9, B 10, ldb 11, beta 12, C 13, ldc 14).
	cblas_sgemm(0, N, N, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2); expect("sgemm bad layout", "cblas_sgemm", 1);
	for (int l = R; l <= C; l++) {
		const char *s = l == R ? "row" : "col";
		char w[80];
#define G(desc, ...) cblas_sgemm(__VA_ARGS__); snprintf(w, sizeof w, "sgemm %s %s", s, desc)
		G("bad TransA", l, 0, N, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2); expect(w, "cblas_sgemm", 2);
		G("bad TransB", l, N, 200, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2); expect(w, "cblas_sgemm", 3);
		G("M = -1", l, N, N, -1, 2, 2, 1, a, 2, b, 2, 0, c, 2); expect(w, "cblas_sgemm", 4);
		G("N = -1", l, N, N, 2, -1, 2, 1, a, 2, b, 2, 0, c, 2); expect(w, "cblas_sgemm", 5);
		G("K = -1", l, N, N, 2, 2, -1, 1, a, 2, b, 2, 0, c, 2); expect(w, "cblas_sgemm", 6);
		// A is M×K (N), B K×N (N), C M×N with M=3, N=4, K=5: the small
		// leading dimension is the one each layout needs.
		G("lda too small", l, N, N, 3, 4, 5, 1, a, l == R ? 4 : 2, b, 5, 0, c, 4); expect(w, "cblas_sgemm", 9);
		G("lda too small (TransA)", l, T, N, 3, 4, 5, 1, a, l == R ? 2 : 4, b, 5, 0, c, 4); expect(w, "cblas_sgemm", 9);
		G("ldb too small", l, N, N, 3, 4, 5, 1, a, 5, b, l == R ? 3 : 4, 0, c, 4); expect(w, "cblas_sgemm", 11);
		G("ldb too small (TransB)", l, N, T, 3, 4, 5, 1, a, 5, b, l == R ? 4 : 3, 0, c, 4); expect(w, "cblas_sgemm", 11);
		G("ldc too small", l, N, N, 3, 4, 5, 1, a, 5, b, 5, 0, c, l == R ? 3 : 2); expect(w, "cblas_sgemm", 14);
		G("A NULL", l, N, N, 2, 2, 2, 1, NULL, 2, b, 2, 0, c, 2); expect(w, "cblas_sgemm", 8);
		G("B NULL", l, N, N, 2, 2, 2, 1, a, 2, NULL, 2, 0, c, 2); expect(w, "cblas_sgemm", 10);
		G("C NULL", l, N, N, 2, 2, 2, 1, a, 2, b, 2, 0, NULL, 2); expect(w, "cblas_sgemm", 13);
		G("INT_MIN sizes", l, N, N, -2147483647 - 1, 2, 2, 1, a, 2, b, 2, 0, c, 2); expect(w, "cblas_sgemm", 4);
#undef G
		// Not errors: nothing is read, nothing reported.
		cblas_sgemm(l, N, N, 0, 2, 2, 1, NULL, 2, NULL, 2, 0, NULL, 2); expectCode("sgemm M = 0 with NULLs", 0, 0);
		cblas_sgemm(l, N, N, 2, 2, 0, 1, NULL, 2, NULL, 2, 1, c, 2); expectCode("sgemm K = 0, beta = 1 with NULL A, B", 0, 0);

		// cblas_sgemv (layout 1, TransA 2, M 3, N 4, alpha 5, A 6, lda 7,
		// X 8, incX 9, beta 10, Y 11, incY 12).
#define V(desc, ...) cblas_sgemv(__VA_ARGS__); snprintf(w, sizeof w, "sgemv %s %s", s, desc)
		V("bad TransA", l, 7, 2, 2, 1, a, 2, x, 1, 0, y, 1); expect(w, "cblas_sgemv", 2);
		V("M = -1", l, N, -1, 2, 1, a, 2, x, 1, 0, y, 1); expect(w, "cblas_sgemv", 3);
		V("N = -1", l, N, 2, -1, 1, a, 2, x, 1, 0, y, 1); expect(w, "cblas_sgemv", 4);
		V("lda too small", l, N, 3, 4, 1, a, l == R ? 3 : 2, x, 1, 0, y, 1); expect(w, "cblas_sgemv", 7);
		V("incX = 0", l, N, 2, 2, 1, a, 2, x, 0, 0, y, 1); expect(w, "cblas_sgemv", 9);
		V("incY = 0", l, T, 2, 2, 1, a, 2, x, 1, 0, y, 0); expect(w, "cblas_sgemv", 12);
		V("A NULL", l, N, 2, 2, 1, NULL, 2, x, 1, 0, y, 1); expect(w, "cblas_sgemv", 6);
		V("X NULL", l, N, 2, 2, 1, a, 2, NULL, 1, 0, y, 1); expect(w, "cblas_sgemv", 8);
		V("Y NULL", l, N, 2, 2, 1, a, 2, x, 1, 0, NULL, 1); expect(w, "cblas_sgemv", 11);
#undef V
		// cblas_sger (layout 1, M 2, N 3, alpha 4, X 5, incX 6, Y 7, incY 8,
		// A 9, lda 10).
#define GR(desc, ...) cblas_sger(__VA_ARGS__); snprintf(w, sizeof w, "sger %s %s", s, desc)
		GR("M = -1", l, -1, 2, 1, x, 1, y, 1, a, 2); expect(w, "cblas_sger", 2);
		GR("N = -1", l, 2, -1, 1, x, 1, y, 1, a, 2); expect(w, "cblas_sger", 3);
		GR("incX = 0", l, 2, 2, 1, x, 0, y, 1, a, 2); expect(w, "cblas_sger", 6);
		GR("incY = 0", l, 2, 2, 1, x, 1, y, 0, a, 2); expect(w, "cblas_sger", 8);
		GR("lda too small", l, 3, 4, 1, x, 1, y, 1, a, l == R ? 3 : 2); expect(w, "cblas_sger", 10);
		GR("X NULL", l, 2, 2, 1, NULL, 1, y, 1, a, 2); expect(w, "cblas_sger", 5);
		GR("Y NULL", l, 2, 2, 1, x, 1, NULL, 1, a, 2); expect(w, "cblas_sger", 7);
		GR("A NULL", l, 2, 2, 1, x, 1, y, 1, NULL, 2); expect(w, "cblas_sger", 9);
#undef GR
	}
	cblas_sgemv(3, N, 2, 2, 1, a, 2, x, 1, 0, y, 1); expect("sgemv bad layout", "cblas_sgemv", 1);
	cblas_sger(3, 2, 2, 1, x, 1, y, 1, a, 2); expect("sger bad layout", "cblas_sger", 1);

	// Level 1: n <= 0 returns; a NULL vector with n > 0 is reported.
	cblas_saxpy(-1, 1, NULL, 1, NULL, 1); expectCode("saxpy n = -1 with NULLs", 0, 0);
	cblas_saxpy(3, 1, NULL, 1, y, 1); expect("saxpy X NULL", "cblas_saxpy", 3);
	cblas_saxpy(3, 1, x, 1, NULL, 1); expect("saxpy Y NULL", "cblas_saxpy", 5);
	expectCode("sdot n = 0", (int)cblas_sdot(0, NULL, 1, NULL, 1), 0);
	cblas_sdot(3, x, 1, NULL, 1); expect("sdot Y NULL", "cblas_sdot", 4);
	cblas_sscal(3, 2, NULL, 1); expect("sscal X NULL", "cblas_sscal", 3);
	cblas_sscal(3, 2, NULL, -1); expectCode("sscal incX = -1 (returns)", 0, 0);
	cblas_snrm2(3, NULL, 1); expect("snrm2 X NULL", "cblas_snrm2", 2);
	cblas_sasum(3, NULL, 1); expect("sasum X NULL", "cblas_sasum", 2);
	cblas_isamax(3, NULL, 1); expect("isamax X NULL", "cblas_isamax", 2);
	expectCode("isamax n = 0", (int)cblas_isamax(0, NULL, 1), 0);
	cblas_scopy(3, NULL, 1, y, 1); expect("scopy X NULL", "cblas_scopy", 2);
	cblas_sswap(3, x, 1, NULL, 1); expect("sswap Y NULL", "cblas_sswap", 4);

	// Fortran: xerbla_ with the blank-padded name and the reference INFO.
	int m = 3, n = 4, k = 5, neg = -1, one = 1, zero = 0, two = 2;
	float alpha = 1, beta = 0;
	sgemm_("X", "N", &m, &n, &k, &alpha, a, &m, b, &k, &beta, c, &m, 1, 1); expect("sgemm_ TRANSA = X", "SGEMM ", 1);
	sgemm_("n", "q", &m, &n, &k, &alpha, a, &m, b, &k, &beta, c, &m, 1, 1); expect("sgemm_ TRANSB = q", "SGEMM ", 2);
	sgemm_("N", "N", &neg, &n, &k, &alpha, a, &m, b, &k, &beta, c, &m, 1, 1); expect("sgemm_ M = -1", "SGEMM ", 3);
	sgemm_("N", "N", &m, &neg, &k, &alpha, a, &m, b, &k, &beta, c, &m, 1, 1); expect("sgemm_ N = -1", "SGEMM ", 4);
	sgemm_("N", "N", &m, &n, &neg, &alpha, a, &m, b, &k, &beta, c, &m, 1, 1); expect("sgemm_ K = -1", "SGEMM ", 5);
	sgemm_("N", "N", &m, &n, &k, &alpha, a, &two, b, &k, &beta, c, &m, 1, 1); expect("sgemm_ LDA = 2 < M", "SGEMM ", 8);
	sgemm_("t", "N", &m, &n, &k, &alpha, a, &m, b, &k, &beta, c, &m, 1, 1); expect("sgemm_ 't', LDA = 3 < K", "SGEMM ", 8);
	sgemm_("N", "N", &m, &n, &k, &alpha, a, &m, b, &m, &beta, c, &m, 1, 1); expect("sgemm_ LDB = 3 < K", "SGEMM ", 10);
	sgemm_("N", "N", &m, &n, &k, &alpha, a, &m, b, &k, &beta, c, &two, 1, 1); expect("sgemm_ LDC = 2 < M", "SGEMM ", 13);
	sgemm_("N", "N", &m, &n, &k, &alpha, NULL, &m, b, &k, &beta, c, &m, 1, 1); expect("sgemm_ A NULL", "SGEMM ", 7);
	sgemm_("N", "N", &m, &n, &k, &alpha, a, &m, b, &k, &beta, NULL, &m, 1, 1); expect("sgemm_ C NULL", "SGEMM ", 12);
	sgemm_("N", "N", NULL, &n, &k, &alpha, a, &m, b, &k, &beta, c, &m, 1, 1); expect("sgemm_ M pointer NULL", "SGEMM ", 3);
	sgemv_("C", &m, &n, &alpha, a, &two, x, &one, &beta, y, &one, 1); expect("sgemv_ LDA = 2 < M", "SGEMV ", 6);
	sgemv_("N", &m, &n, &alpha, a, &m, x, &zero, &beta, y, &one, 1); expect("sgemv_ INCX = 0", "SGEMV ", 8);
	sgemv_("N", &m, &n, &alpha, a, &m, x, &one, &beta, y, &zero, 1); expect("sgemv_ INCY = 0", "SGEMV ", 11);
	sger_(&m, &neg, &alpha, x, &one, y, &one, a, &m); expect("sger_ N = -1", "SGER  ", 2);
	sger_(&m, &n, &alpha, x, &one, y, &one, a, &two); expect("sger_ LDA = 2 < M", "SGER  ", 9);
	saxpy_(&n, &alpha, x, &one, NULL, &one); expect("saxpy_ Y NULL", "SAXPY ", 5);
	isamax_(&n, NULL, &one); expect("isamax_ X NULL", "ISAMAX", 2);

	// deltacore's own: an error code, no report.
	expectCode("deltacore_sigmoid n = -1", deltacore_sigmoid(x, x, -1), 3);
	expectCode("deltacore_sigmoid dst NULL", deltacore_sigmoid(NULL, x, 4), 1);
	expectCode("deltacore_sigmoid partial overlap", deltacore_sigmoid(x + 1, x, 4), 1);
	expectCode("deltacore_sigmoid in place", deltacore_sigmoid(x, x, 4), 0);
	expectCode("deltacore_mul_sigmoid_prime z NULL", deltacore_mul_sigmoid_prime(y, NULL, 4), 2);
	expectCode("deltacore_dense_forward ldx < k", deltacore_dense_forward(2, 3, 4, a, 3, b, 4, NULL, c, 3, NULL, 0), 5);
	expectCode("deltacore_dense_forward ldact < n", deltacore_dense_forward(2, 3, 4, a, 4, b, 4, NULL, c, 3, y, 2), 12);
	expectCode("deltacore_dense_forward z overlaps x", deltacore_dense_forward(2, 3, 4, a, 4, b, 4, NULL, a + 2, 3, NULL, 0), 9);
	expectCode("deltacore_dense_forward w NULL", deltacore_dense_forward(2, 3, 4, a, 4, NULL, 4, NULL, c, 3, NULL, 0), 6);
	expectCode("deltacore_dense_backward nn = -1", deltacore_dense_backward(2, 3, -1, a, 1, b, 3, c, 3, c, 3), 3);
	expectCode("deltacore_dense_backward d = z, ldd != ldz", deltacore_dense_backward(2, 3, 4, a, 4, b, 3, c, 3, c, 4), 11);
	expectCode("deltacore_set_level(99)", deltacore_set_level(99), -1);
	expectCode("deltacore_set_level(NEON) on amd64", deltacore_set_level(DELTACORE_NEON), -2);

	// Nothing was written by the refused calls.
	for (int i = 0; i < 64; i++) {
		if (a[i] != 1 || b[i] != 1 || c[i] != 1) {
			printf("FAIL a refused call wrote a[%d]=%g b=%g c=%g\n", i, a[i], b[i], c[i]);
			failures++;
			break;
		}
	}
	printf("%d failed\n", failures);
	return failures != 0;
}
