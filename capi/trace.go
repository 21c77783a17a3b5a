package main

/*
void capiAtexitTrace(void);
*/
import "C"

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
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

var traceCounts [len(traced)]atomic.Int64

func init() {
	if tracing {
		C.capiAtexitTrace()
	}
}

// count records a call of routine i of traced.
func count(i int) {
	if tracing {
		traceCounts[i].Add(1)
	}
}

//export capiTraceReport
func capiTraceReport() {
	var b strings.Builder
	b.WriteString("libdeltacore: calls:")
	for i, name := range traced {
		if n := traceCounts[i].Load(); n > 0 {
			fmt.Fprintf(&b, " %s=%d", name, n)
		}
	}
	fmt.Fprintln(os.Stderr, b.String())
}
