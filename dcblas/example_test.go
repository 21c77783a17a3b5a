package dcblas_test

import (
	"fmt"

	"github.com/deltacore/deltacore/dcblas"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// A program written against gonum's blas32 runs its float32 products on
// deltacore once dcblas is installed.
func Example() {
	blas32.Use(dcblas.Implementation{})

	a := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: []float32{
		1, 2, 3,
		4, 5, 6,
	}}
	b := blas32.General{Rows: 3, Cols: 2, Stride: 2, Data: []float32{
		7, 8,
		9, 10,
		11, 12,
	}}
	c := blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float32, 4)}
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c)
	fmt.Println(c.Data)

	x := blas32.Vector{N: 3, Inc: 1, Data: []float32{1, 1, 1}}
	y := blas32.Vector{N: 2, Inc: 1, Data: make([]float32, 2)}
	blas32.Gemv(blas.NoTrans, 1, a, x, 0, y)
	fmt.Println(y.Data, blas32.Dot(x, x))
	// Output:
	// [58 64 139 154]
	// [6 15] 3
}
