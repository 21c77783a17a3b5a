// Package dcblas makes deltacore a backend of gonum's BLAS interface:
// Implementation satisfies blas.Float32 on deltacore's kernels, and through
// the gonum implementation it embeds also blas.Float64, blas.Complex64 and
// blas.Complex128, so that
//
//	blas32.Use(dcblas.Implementation{}) // gonum.org/v1/gonum/blas/blas32
//	tensor.Use(dcblas.Implementation{}) // gorgonia.org/tensor
//
// both work, unchanged programs then run their float32 products on
// deltacore.
//
// Ours, on deltacore's kernels: Sgemm (deltacore.Sgemm), Sgemv
// (deltacore.Sgemv), Sger (row by row on deltacore.Axpy), Sdot
// (deltacore.Dot), Saxpy (deltacore.Axpy), Sscal (deltacore.Scal) and Snrm2
// (deltacore.SumSquares) for unit strides; Sdsdot, Dsdot, Sasum, Isamax,
// Scopy and Sswap are written here in Go (Scopy is the runtime's memmove);
// other strides, negative ones included, run loops written here in Go.
// Every other routine (Srot*, Ssymv, Strsv, Ssymm, Ssyrk, Strmm, Strsm, …,
// and all float64 and complex routines) is gonum's.
//
// Bad arguments panic with the messages of gonum's own implementation
// ("blas: insufficient length of x", …), checked in the same order, so a
// program that switches backends sees the same failure.
//
// Values follow reference BLAS. Where gonum v0.17 differs from it, dcblas
// follows BLAS: Sdsdot with n = 0 returns alpha (gonum returns 0), and Sger
// with a negative increment updates A from the right elements (gonum's reads
// outside x and y). Sscal with alpha = 0 sets x to zero, as gonum does.
package dcblas

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is deltacore's implementation of gonum's BLAS interface.
// Its zero value is ready to use and it is safe for concurrent use.
type Implementation struct {
	gonum.Implementation
}

var (
	_ blas.Float32    = Implementation{}
	_ blas.Float64    = Implementation{}
	_ blas.Complex64  = Implementation{}
	_ blas.Complex128 = Implementation{}
)

// Panic strings of gonum.org/v1/gonum/blas/gonum (its errors.go), which
// dcblas raises in the same order for the same bad arguments.
const (
	zeroIncX = "blas: zero x index increment"
	zeroIncY = "blas: zero y index increment"

	mLT0 = "blas: m < 0"
	nLT0 = "blas: n < 0"
	kLT0 = "blas: k < 0"

	badTranspose = "blas: illegal transpose"

	badLdA = "blas: bad leading dimension of A"
	badLdB = "blas: bad leading dimension of B"
	badLdC = "blas: bad leading dimension of C"

	shortX = "blas: insufficient length of x"
	shortY = "blas: insufficient length of y"
	shortA = "blas: insufficient length of a"
	shortB = "blas: insufficient length of b"
	shortC = "blas: insufficient length of c"
)
