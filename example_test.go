package deltacore_test

import (
	"fmt"

	"github.com/deltacore/deltacore"
)

// Sgemm multiplies row-major matrices as CBLAS's row-major sgemm does:
// C = alpha·op(A)·op(B) + beta·C.
func ExampleSgemm() {
	a := []float32{ // 2×3
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{ // 3×2
		7, 8,
		9, 10,
		11, 12,
	}
	c := make([]float32, 2*2)
	deltacore.Sgemm(deltacore.NoTrans, deltacore.NoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
	fmt.Println(c)

	// Aᵀ·A: A is used transposed in place, with its own row stride.
	ata := make([]float32, 3*3)
	deltacore.Sgemm(deltacore.Trans, deltacore.NoTrans, 3, 3, 2, 1, a, 3, a, 3, 0, ata, 3)
	fmt.Println(ata)
	// Output:
	// [58 64 139 154]
	// [17 22 27 22 29 36 27 36 45]
}

// Sigmoid and SigmoidPrime evaluate σ and σ′ elementwise; σ′ keeps its
// relative accuracy where σ saturates.
func ExampleSigmoid() {
	z := []float32{-20, -1, 0, 1, 20}
	s := make([]float32, len(z))
	ds := make([]float32, len(z))
	deltacore.Sigmoid(s, z)
	deltacore.SigmoidPrime(ds, z)
	for i := range z {
		fmt.Printf("z = %3g  σ = %.6f  σ′ = %.4g\n", z[i], s[i], ds[i])
	}
	// Output:
	// z = -20  σ = 0.000000  σ′ = 2.061e-09
	// z =  -1  σ = 0.268941  σ′ = 0.1966
	// z =   0  σ = 0.500000  σ′ = 0.25
	// z =   1  σ = 0.731059  σ′ = 0.1966
	// z =  20  σ = 1.000000  σ′ = 2.061e-09
}

// DenseForward is one dense layer's forward pass for a batch: z = x·wᵀ + b
// and a = σ(z), each written once.
func ExampleDenseForward() {
	const batch, in, out = 2, 3, 2
	x := []float32{ // batch × in
		1, 0, -1,
		0.5, 0.5, 0.5,
	}
	w := []float32{ // out × in: one row of weights per unit
		1, 1, 1,
		2, 0, -2,
	}
	bias := []float32{0, -1}
	z := make([]float32, batch*out)
	a := make([]float32, batch*out)
	deltacore.DenseForward(batch, out, in, x, in, w, in, bias, z, out, a, out)
	fmt.Println("z:", z)
	fmt.Printf("a: [%.4f %.4f %.4f %.4f]\n", a[0], a[1], a[2], a[3])
	// Output:
	// z: [0 3 1.5 -1]
	// a: [0.5000 0.9526 0.8176 0.2689]
}

// Levels lists the instruction-set levels this CPU can run, best first;
// SetLevel switches between them (for tests and benchmarks), and every level
// computes the same results within its documented bounds.
func ExampleSetLevel() {
	old := deltacore.CurrentLevel()
	defer deltacore.SetLevel(old)

	levels := deltacore.Levels()
	fmt.Println("last level:", levels[len(levels)-1])

	x := []float32{1, 2, 3, 4, 5}
	agree := true
	for _, l := range levels {
		if err := deltacore.SetLevel(l); err != nil {
			panic(err)
		}
		agree = agree && deltacore.Dot(x, x) == 55
	}
	fmt.Println("all levels agree:", agree)

	l, err := deltacore.ParseLevel("AVX2")
	fmt.Println(l, err)
	// Output:
	// last level: generic
	// all levels agree: true
	// avx2 <nil>
}
