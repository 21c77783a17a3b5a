// This file is deltacore's, not gorgonia's: .ci/gorgonia.sh copies it into
// a temporary copy of gorgonia.org/tensor so that gorgonia's own tests run
// with deltacore's dcblas as their BLAS.

package tensor

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/deltacore/deltacore/dcblas"
	"gonum.org/v1/gonum/blas"
)

// countingDCBLAS is dcblas.Implementation with a counter on each float32
// routine gorgonia's linear algebra calls, to show that dcblas did the work.
type countingDCBLAS struct{ dcblas.Implementation }

var dcCalls struct{ sgemm, sgemv, sger, sdot atomic.Int64 }

func (c countingDCBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, cc []float32, ldc int) {
	dcCalls.sgemm.Add(1)
	c.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc)
}

func (c countingDCBLAS) Sgemv(tA blas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	dcCalls.sgemv.Add(1)
	c.Implementation.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

func (c countingDCBLAS) Sger(m, n int, alpha float32, x []float32, incX int, y []float32, incY int, a []float32, lda int) {
	dcCalls.sger.Add(1)
	c.Implementation.Sger(m, n, alpha, x, incX, y, incY, a, lda)
}

func (c countingDCBLAS) Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	dcCalls.sdot.Add(1)
	return c.Implementation.Sdot(n, x, incX, y, incY)
}

// TestMain installs dcblas before gorgonia's tests run and, after them,
// fails unless every counted routine was called (set DCBLAS_EXPECT to a
// comma-separated subset, or "none", when running a selection of tests that
// does not reach them all).
func TestMain(m *testing.M) {
	Use(countingDCBLAS{})
	if _, ok := WhichBLAS().(countingDCBLAS); !ok {
		fmt.Fprintf(os.Stderr, "dcblas: tensor.Use did not install dcblas (WhichBLAS is %T)\n", WhichBLAS())
		os.Exit(1)
	}
	code := m.Run()
	got := map[string]int64{
		"Sgemm": dcCalls.sgemm.Load(), "Sgemv": dcCalls.sgemv.Load(),
		"Sger": dcCalls.sger.Load(), "Sdot": dcCalls.sdot.Load(),
	}
	fmt.Printf("dcblas calls from gorgonia's tests: Sgemm %d, Sgemv %d, Sger %d, Sdot %d\n",
		got["Sgemm"], got["Sgemv"], got["Sger"], got["Sdot"])
	expect := "Sgemm,Sgemv,Sger,Sdot"
	if e, ok := os.LookupEnv("DCBLAS_EXPECT"); ok {
		expect = e
	}
	for _, name := range strings.Split(expect, ",") {
		if n, known := got[name]; known && n == 0 {
			fmt.Fprintf(os.Stderr, "dcblas: gorgonia's tests never called dcblas's %s\n", name)
			code = 1
		}
	}
	os.Exit(code)
}
