package bench

import (
	"fmt"

	"github.com/deltacore/deltacore"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// SgemvFunc is a row-major single-precision GEMV with the semantics of CBLAS
// row-major sgemv and of deltacore.Sgemv: y = alpha·op(A)·x + beta·y, A m×n,
// tA 'N' or 'T'. A peer that has one sets Peer.Sgemv.
type SgemvFunc func(tA byte, m, n int, alpha float32, a []float32, lda int,
	x []float32, incX int, beta float32, y []float32, incY int)

// gonumSgemv is gonum's native (pure Go, with its own assembly) Sgemv.
func gonumSgemv(tA byte, m, n int, alpha float32, a []float32, lda int,
	x []float32, incX int, beta float32, y []float32, incY int) {
	gonum.Implementation{}.Sgemv(blas.Transpose(tA), m, n, alpha, a, lda, x, incX, beta, y, incY)
}

// SgemvShape is one Sgemv problem: A is M×N, op(A) is A or Aᵀ.
type SgemvShape struct {
	TA    byte
	M, N  int
	Quick bool
}

// String names the shape as the benchmarks do: "m=4096,n=4096,t=N".
func (s SgemvShape) String() string { return fmt.Sprintf("m=%d,n=%d,t=%c", s.M, s.N, s.TA) }

// SgemvShapes are the shapes of the Sgemv suite (issue 13): a 512² A (1 MiB,
// L2-resident on most current cores), a 1024² A (4 MiB, L2-resident only
// on large L2s), a 4096² A (64 MiB, streamed from
// memory: the case measured against the copy bandwidth), and a layer-sized
// one, each both ways.
var SgemvShapes = []SgemvShape{
	{'N', 30, 784, true}, {'T', 30, 784, true},
	{'N', 512, 512, false}, {'T', 512, 512, false},
	{'N', 1024, 1024, true}, {'T', 1024, 1024, true},
	{'N', 4096, 4096, false}, {'T', 4096, 4096, false},
}

// sgemvCase times y = A·x + 0.5·y (or Aᵀ·x) with unit strides. Its rate is
// in elements of A per second (2 flops each), and its least traffic is A,
// x and y once, so for an A beyond the caches the fraction of the copy
// bandwidth that the report prints is the rate at which A streams.
func sgemvCase(s SgemvShape) *Case {
	c := &Case{
		Kernel: "Sgemv", Shape: s.String(), Unit: UnitGElems,
		Work:  float64(s.M) * float64(s.N),
		Bytes: 4 * float64(s.M*s.N+s.M+s.N),
		Quick: s.Quick, Peers: true,
	}
	c.prepareV = func() (func(), func(SgemvFunc) func()) {
		lenX, lenY := s.N, s.M
		if s.TA == 'T' {
			lenX, lenY = s.M, s.N
		}
		a := fill(s.M*s.N, -1, 1, 20)
		x := fill(lenX, -1, 1, 21)
		y := fill(lenY, -1, 1, 22)
		ours := func() {
			deltacore.Sgemv(deltacore.Transpose(s.TA), s.M, s.N, 1, a, s.N, x, 1, 0.5, y, 1)
		}
		peer := func(f SgemvFunc) func() {
			return func() { f(s.TA, s.M, s.N, 1, a, s.N, x, 1, 0.5, y, 1) }
		}
		return ours, peer
	}
	return c
}
