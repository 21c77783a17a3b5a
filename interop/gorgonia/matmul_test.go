package gorgonia_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deltacore/deltacore/dcblas"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/tensor"
)

// Gorgonia's tensors run their float32 products on deltacore once
// tensor.Use is given dcblas.
func Example_matMul() {
	tensor.Use(dcblas.Implementation{})
	defer tensor.Use(gonum.Implementation{}) // gorgonia's default

	a := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	b := tensor.New(tensor.WithShape(3, 2), tensor.WithBacking([]float32{7, 8, 9, 10, 11, 12}))
	c, err := tensor.MatMul(a, b)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Data())
	// Output:
	// [58 64 139 154]
}

// counting is dcblas with a counter on Sgemm and Sgemv.
type counting struct {
	dcblas.Implementation
	sgemm, sgemv *int
}

func (c counting) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, cc []float32, ldc int) {
	*c.sgemm++
	c.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc)
}

func (c counting) Sgemv(tA blas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	*c.sgemv++
	c.Implementation.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
}

func randTensor(r *rand.Rand, shape ...int) *tensor.Dense {
	n := 1
	for _, s := range shape {
		n *= s
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(r.Float64()*2 - 1)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
}

// TestMatMulOnDcblas checks that tensor.MatMul and MatVecMul of float32
// tensors reach dcblas and give the product within float32 bounds.
func TestMatMulOnDcblas(t *testing.T) {
	var sgemm, sgemv int
	tensor.Use(counting{sgemm: &sgemm, sgemv: &sgemv})
	t.Cleanup(func() { tensor.Use(gonum.Implementation{}) })
	r := rand.New(rand.NewPCG(1, 2))
	const m, n, k = 37, 29, 53
	a, b, x := randTensor(r, m, k), randTensor(r, k, n), randTensor(r, k)
	c, err := tensor.MatMul(a, b)
	if err != nil {
		t.Fatal(err)
	}
	y, err := tensor.MatVecMul(a, x)
	if err != nil {
		t.Fatal(err)
	}
	if sgemm != 1 || sgemv != 1 {
		t.Fatalf("dcblas calls: Sgemm %d, Sgemv %d, want 1 and 1", sgemm, sgemv)
	}
	av, bv, xv := a.Data().([]float32), b.Data().([]float32), x.Data().([]float32)
	cv, yv := c.Data().([]float32), y.Data().([]float32)
	for i := range m {
		for j := range n {
			ref, abs := 0.0, 0.0
			for p := range k {
				ref += float64(av[i*k+p]) * float64(bv[p*n+j])
				abs += math.Abs(float64(av[i*k+p]) * float64(bv[p*n+j]))
			}
			if d := math.Abs(float64(cv[i*n+j]) - ref); d > 2*k*abs/(1<<24) {
				t.Fatalf("C[%d,%d] = %v, want %v", i, j, cv[i*n+j], ref)
			}
		}
		ref, abs := 0.0, 0.0
		for p := range k {
			ref += float64(av[i*k+p]) * float64(xv[p])
			abs += math.Abs(float64(av[i*k+p]) * float64(xv[p]))
		}
		if d := math.Abs(float64(yv[i]) - ref); d > 2*k*abs/(1<<24) {
			t.Fatalf("y[%d] = %v, want %v", i, yv[i], ref)
		}
	}
}

// BenchmarkMatMul512 multiplies two 512×512 float32 tensors with gorgonia's
// default BLAS (gonum's native Go) and with dcblas, at the same GOMAXPROCS.
func BenchmarkMatMul512(b *testing.B) {
	const n = 512
	r := rand.New(rand.NewPCG(3, 4))
	x, y := randTensor(r, n, n), randTensor(r, n, n)
	for _, bk := range []struct {
		name string
		impl tensor.BLAS
	}{{"gonum", gonum.Implementation{}}, {"dcblas", dcblas.Implementation{}}} {
		b.Run("blas="+bk.name, func(b *testing.B) {
			tensor.Use(bk.impl)
			defer tensor.Use(gonum.Implementation{})
			c := tensor.New(tensor.WithShape(n, n), tensor.Of(tensor.Float32))
			for b.Loop() {
				if _, err := x.MatMul(y, tensor.WithReuse(c)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(2*n*n*n*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
