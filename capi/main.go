// Command capi is libdeltacore.so: deltacore's kernels behind the CBLAS and
// Fortran BLAS symbols of any BLAS, plus deltacore's own functions, for C,
// C++, Fortran and Python programs. Build it with
//
//	go build -buildmode=c-shared -o libdeltacore.so ./capi
//
// and use the hand-written header capi/deltacore.h (not the one go build
// writes beside the library). See that header for the conventions: argument
// errors as the reference BLAS reports them, what the Go runtime does inside
// the host process, and DELTACORE_THREADS.
package main

import (
	"os"
	"strconv"
	"strings"

	"github.com/deltacore/deltacore"
)

func main() {}

func init() {
	if n, ok := envThreads(os.Getenv("DELTACORE_THREADS")); ok {
		applyThreads(n)
	}
}

// envThreads parses DELTACORE_THREADS: a positive integer, or nothing.
func envThreads(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}

// applyThreads sets the number of threads one large matrix product uses.
// It is the one place where the library's thread budget is applied.
func applyThreads(n int) {
	deltacore.SetGemmThreads(n)
}
