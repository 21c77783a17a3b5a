package main

/*
void capiAtexitTrace(void);
void capiTraceName(int i, const char *name);
extern long long capiTraceCounts[32];
*/
import "C"

import (
	"os"
	"sync/atomic"
	"unsafe"
)

// DELTACORE_TRACE=1 (read once at load) counts the calls of every exported
// routine and prints the counts on stderr when the process exits, as
//
//	libdeltacore: calls: cblas_sgemm=12 sgemv_=3 …
//
// which shows that a program's BLAS calls really reach this library (CI
// checks it for the reference testers and numpy). Off, the cost is one
// load of a boolean per call.
var tracing = os.Getenv("DELTACORE_TRACE") == "1"

var traced = [...]string{
	"cblas_sgemm", "cblas_sgemv", "cblas_sger", "cblas_saxpy", "cblas_sdot", "cblas_sscal",
	"cblas_snrm2", "cblas_sasum", "cblas_isamax", "cblas_scopy", "cblas_sswap",
	"sgemm_", "sgemv_", "sger_", "saxpy_", "sdot_", "sscal_",
	"snrm2_", "sasum_", "isamax_", "scopy_", "sswap_",
}

// The counts are C's capiTraceCounts, which capi.c's exit handler prints
// without calling into Go (see there why).
var _ = [32 - len(traced)]struct{}{} // traced fits capiTraceCounts

func init() {
	if tracing {
		for i, name := range traced {
			C.capiTraceName(C.int(i), C.CString(name)) // kept for the life of the process
		}
		C.capiAtexitTrace()
	}
}

// count records a call of routine i of traced.
func count(i int) {
	if tracing {
		atomic.AddInt64((*int64)(unsafe.Pointer(&C.capiTraceCounts[i])), 1)
	}
}
