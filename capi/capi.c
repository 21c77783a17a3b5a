// Error handlers of libdeltacore.so and the C side of its reports.
//
// Go links a c-shared library with -Bsymbolic, which binds the library's
// references to its own definitions: a direct call to xerbla_ would never
// reach a program's own, and neither would dlsym(RTLD_DEFAULT), which
// searches a -Bsymbolic caller first. So the handlers and RowMajorStrg are
// looked up, when an error is reported, in the program's global scope
// (dlsym on dlopen(NULL)): the program, then LD_PRELOAD, then the libraries
// it was linked with, as the dynamic linker binds them; this library's own
// when none of those has one (also when it was dlopen'ed locally).
//
// xerbla_ and cblas_xerbla are weak: a program (or a tester) that defines its
// own gets its own, as with the reference BLAS. Unlike the reference ones,
// these defaults print the reference message and return: a bad argument in
// a BLAS call must not end a host process such as a Python interpreter.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deltacore.h"

// The reference CBLAS globals. A tester's cblas_xerbla reads RowMajorStrg to
// renumber the arguments of a row-major call; a program that defines them
// (the CBLAS testers do) gets its own through the dynamic linker.
int RowMajorStrg = 0;
int CBLAS_CallFromC = 0;

__attribute__((weak)) void xerbla_(const char *srname, const int *info, size_t len) {
	size_t n = len;
	while (n > 0 && srname[n - 1] == ' ') {
		n--;
	}
	fprintf(stderr, " ** On entry to %.*s parameter number %2d had an illegal value\n", (int)n, srname, *info);
}

// The row-major renumbering of the reference cblas_xerbla.c (LAPACK 3.11),
// for the routines this library exports.
static int rowMajorInfo(int info, const char *rout) {
	if (strstr(rout, "gemm") != NULL) {
		if (info == 5) return 4;
		if (info == 4) return 5;
		if (info == 11) return 9;
		if (info == 9) return 11;
	} else if (strstr(rout, "gemv") != NULL) {
		if (info == 4) return 3;
		if (info == 3) return 4;
	} else if (strstr(rout, "ger") != NULL) {
		if (info == 3) return 2;
		if (info == 2) return 3;
		if (info == 8) return 6;
		if (info == 6) return 8;
	}
	return info;
}

// global returns the first definition of name in the program's global
// scope, or NULL.
static void *global(const char *name) {
	void *prog = dlopen(NULL, RTLD_LAZY);
	if (prog == NULL) {
		return NULL;
	}
	void *p = dlsym(prog, name);
	dlclose(prog);
	return p;
}

// rowMajorStrg is the process's RowMajorStrg: the program's if it has one.
static int *rowMajorStrg(void) {
	int *p = global("RowMajorStrg");
	return p != NULL ? p : &RowMajorStrg;
}

static int *cblasCallFromC(void) {
	int *p = global("CBLAS_CallFromC");
	return p != NULL ? p : &CBLAS_CallFromC;
}

__attribute__((weak)) void cblas_xerbla(int info, const char *rout, const char *form, ...) {
	if (*rowMajorStrg()) {
		info = rowMajorInfo(info, rout);
	}
	if (info) {
		fprintf(stderr, "Parameter %d to routine %s was incorrect\n", info, rout);
	}
	va_list ap;
	va_start(ap, form);
	vfprintf(stderr, form, ap);
	va_end(ap);
}

// capiXerbla reports argument info of a Fortran routine (name blank-padded to
// six characters) through xerbla_, with gfortran's hidden length.
__attribute__((visibility("hidden"))) void capiXerbla(const char *name, int info) {
	void (*f)(const char *, const int *, size_t) = global("xerbla_");
	if (f == NULL) {
		f = xerbla_;
	}
	f(name, &info, 6);
}

// capiCblasXerbla reports argument info of a CBLAS routine through
// cblas_xerbla, with RowMajorStrg set as the reference sets it during the
// call (rowMajor: the number is that of the transposed column-major call,
// which cblas_xerbla renumbers) and reset afterwards. form takes at most one
// int, value.
__attribute__((visibility("hidden"))) void capiCblasXerbla(int rowMajor, int info, const char *rout, const char *form, int value) {
	void (*f)(int, const char *, const char *, ...) = global("cblas_xerbla");
	if (f == NULL) {
		f = cblas_xerbla;
	}
	int *rms = rowMajorStrg(), *fromC = cblasCallFromC();
	*rms = rowMajor;
	*fromC = 1;
	f(info, rout, form, value);
	*fromC = 0;
	*rms = 0;
}

// The DELTACORE_TRACE counts and their report at exit (trace.go). The
// counts live here, in C memory that Go adds to atomically, and the report
// is written by C alone: at exit the calling thread may be one whose
// signal stack its own code has already taken down (Python's faulthandler
// does at interpreter shutdown), and Go code running there dies of the
// next preemption signal ("non-Go code disabled sigaltstack"), which numpy's
// tests under CI hit about one run in four.
enum { traceMax = 32 };
__attribute__((visibility("hidden"))) long long capiTraceCounts[traceMax];
static const char *traceNames[traceMax];
static int traceN;

__attribute__((visibility("hidden"))) void capiTraceName(int i, const char *name) {
	if (i >= 0 && i < traceMax) {
		traceNames[i] = name;
		if (i >= traceN) {
			traceN = i + 1;
		}
	}
}

static void traceAtExit(void) {
	char line[1024];
	size_t len = (size_t)snprintf(line, sizeof line, "libdeltacore: calls:");
	for (int i = 0; i < traceN && len < sizeof line; i++) {
		long long n = __atomic_load_n(&capiTraceCounts[i], __ATOMIC_RELAXED);
		if (n > 0 && traceNames[i] != NULL) {
			len += (size_t)snprintf(line + len, sizeof line - len, " %s=%lld", traceNames[i], n);
		}
	}
	fprintf(stderr, "%s\n", line);
}

__attribute__((visibility("hidden"))) void capiAtexitTrace(void) {
	atexit(traceAtExit);
}

// capiForked is set in a child process that fork() created (without exec).
// Only the forking thread exists there; the Go runtime's other threads,
// which it still counts as idle, do not, so anything that hands work to
// another thread (a parallel Sgemm, a garbage collection) would wait for
// them for ever. The Go side checks the flag (forkCheck in main.go).
__attribute__((visibility("hidden"))) volatile int capiForked = 0;

static void capiOnFork(void) {
	capiForked = 1;
}

__attribute__((constructor)) static void capiInit(void) {
	pthread_atfork(NULL, NULL, capiOnFork);
}
