// bench: cblas_sgemm called from C through libdeltacore.so, row-major, at
// the shapes capi_test.go's BenchmarkSgemmGo times in Go, and the cost of
// one call from C into the library (deltacore_level, which does nothing).
// Best of 7 trials, in CPU time of the calling thread, which a machine
// shared with other work inflates far less than wall time; run with
// DELTACORE_THREADS=1, so that the whole product runs on the calling thread.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "deltacore.h"

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

// randv returns n random floats at off floats past a 64-byte boundary (the
// Go benchmark's slices start on one; malloc's arrays are 16-byte aligned).
static float *randv(size_t n, int off) {
	float *p = aligned_alloc(64, ((n + off) * sizeof *p + 63) / 64 * 64);
	for (size_t i = 0; i < n; i++) p[off + i] = (float)rand() / RAND_MAX - 0.5f;
	return p + off;
}

static void gemm(int m, int n, int k, int tb, int reps, int off) {
	float *a = randv((size_t)m * k, off), *b = randv((size_t)k * n, off), *c = randv((size_t)m * n, off);
	int ldb = tb == CblasNoTrans ? n : k;
	double best = 1e30;
	for (int t = 0; t < 7; t++) {
		double t0 = now();
		for (int r = 0; r < reps; r++)
			cblas_sgemm(CblasRowMajor, CblasNoTrans, tb, m, n, k, 1, a, k, b, ldb, 0, c, n);
		double dt = (now() - t0) / reps;
		if (dt < best) best = dt;
	}
	printf("C cblas_sgemm %dx%dx%d N%c%s: %9.2f us/op %7.1f GFLOP/s\n", m, n, k, tb == CblasNoTrans ? 'N' : 'T',
		off ? "_off16" : "", best * 1e6, 2.0 * m * n * k / best / 1e9);
	free(a - off), free(b - off), free(c - off);
}

int main(void) {
	gemm(256, 256, 256, CblasNoTrans, 50, 0);
	gemm(10, 30, 784, CblasTrans, 20000, 0);
	gemm(10, 30, 784, CblasNoTrans, 20000, 0);
	gemm(10, 30, 784, CblasTrans, 20000, 4); // 16 bytes past the boundary, as malloc's
	gemm(10, 30, 784, CblasNoTrans, 20000, 4);
	double best = 1e30;
	int sum = 0;
	for (int t = 0; t < 7; t++) {
		double t0 = now();
		for (int r = 0; r < 1000000; r++) sum += deltacore_level();
		double dt = (now() - t0) / 1000000;
		if (dt < best) best = dt;
	}
	printf("C -> Go call (deltacore_level): %.1f ns/call (%d)\n", best * 1e9, sum > 0);
	return 0;
}
