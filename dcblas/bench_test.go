package dcblas

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/deltacore/deltacore"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// The benchmarks compare dcblas with gonum's native implementation through
// the same interface, in the same run, on one thread: deltacore's products
// are held to one goroutine here, and gonum's Sgemm uses GOMAXPROCS
// goroutines, so run them with -cpu 1:
//
//	go test ./dcblas -run '^$' -bench . -cpu 1 -count 5

var backends = []struct {
	name string
	impl blas.Float32
}{{"gonum", native}, {"dcblas", impl}}

func oneThread(b *testing.B) {
	old := deltacore.SetGemmThreads(1)
	b.Cleanup(func() { deltacore.SetGemmThreads(old) })
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.Float64()*2 - 1)
	}
	return s
}

// BenchmarkGemm is blas32.Gemm at 256³ with each backend installed by
// blas32.Use.
func BenchmarkGemm(b *testing.B) {
	oneThread(b)
	const n = 256
	r := rand.New(rand.NewPCG(1, 2))
	a := blas32.General{Rows: n, Cols: n, Stride: n, Data: randSlice(r, n*n)}
	bb := blas32.General{Rows: n, Cols: n, Stride: n, Data: randSlice(r, n*n)}
	c := blas32.General{Rows: n, Cols: n, Stride: n, Data: make([]float32, n*n)}
	old := blas32.Implementation()
	b.Cleanup(func() { blas32.Use(old) })
	for _, be := range backends {
		b.Run(fmt.Sprintf("blas=%s/m=%d,n=%d,k=%d", be.name, n, n, n), func(b *testing.B) {
			blas32.Use(be.impl)
			for b.Loop() {
				blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, a, bb, 0, c)
			}
			b.ReportMetric(2*n*n*n*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkSgemv is Sgemv at 1024×1024 (4 MiB of A: in L2 on CPUs with 4
// MiB or more per core, not on this one with 2 MiB) and at 512×512 (1 MiB,
// L2-resident), both transposes.
func BenchmarkSgemv(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1024, 512} {
		m := n
		a, x, y := randSlice(r, m*n), randSlice(r, n), randSlice(r, m)
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, be := range backends {
				b.Run(fmt.Sprintf("m=%d,n=%d/tA=%c/blas=%s", m, n, tA, be.name), func(b *testing.B) {
					b.SetBytes(int64(4 * m * n))
					for b.Loop() {
						be.impl.Sgemv(tA, m, n, 1, a, n, x, 1, 0.5, y, 1)
					}
					b.ReportMetric(2*float64(m*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkSdot and BenchmarkSaxpy are the level-1 kernels at n = 4096.
func BenchmarkSdot(b *testing.B) {
	const n = 4096
	r := rand.New(rand.NewPCG(5, 6))
	x, y := randSlice(r, n), randSlice(r, n)
	for _, be := range backends {
		b.Run(fmt.Sprintf("blas=%s/n=%d", be.name, n), func(b *testing.B) {
			b.SetBytes(8 * n)
			var s float32
			for b.Loop() {
				s += be.impl.Sdot(n, x, 1, y, 1)
			}
			sink = s
		})
	}
}

func BenchmarkSaxpy(b *testing.B) {
	const n = 4096
	r := rand.New(rand.NewPCG(7, 8))
	x, y := randSlice(r, n), randSlice(r, n)
	for _, be := range backends {
		b.Run(fmt.Sprintf("blas=%s/n=%d", be.name, n), func(b *testing.B) {
			b.SetBytes(12 * n)
			for b.Loop() {
				be.impl.Saxpy(n, 1e-9, x, 1, y, 1)
			}
		})
	}
}

var sink float32
