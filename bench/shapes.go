package bench

import (
	"fmt"

	"github.com/deltacore/deltacore"
)

// The "shapes" suite (issue 15): products past the network shapes, where a
// path choice made for one side 10–1000 and the other 30–784 had cliffs —
// wide fused backward layers, A·Bᵀ with a few rows against large weights
// (the inference shapes), and a power-of-two leading dimension. Their
// shapes end in ",suite=SHAPES", so --filter suite=SHAPES runs the suite
// alone (the case names keep the key=number form the other tools parse).
// None is in the --quick set.

// shapeGemm is an Sgemm shape of the suite with explicit strides.
type shapeGemm struct {
	tA, tB   byte
	m, n, k  int
	ldb      int // 0: the least (n for NN, k for NT)
	name     string
	memBound bool // Bytes, not Work, is what limits it
}

var shapesGemm = []shapeGemm{
	// A·Bᵀ against a 4096×4096 B: m = 1 is GEMV-shaped (memory-bound),
	// m = 32 should be compute-bound, m = 33 is just past the old dot path.
	{tA: 'N', tB: 'T', m: 1, n: 4096, k: 4096},
	{tA: 'N', tB: 'T', m: 2, n: 4096, k: 4096},
	{tA: 'N', tB: 'T', m: 4, n: 4096, k: 4096},
	{tA: 'N', tB: 'T', m: 32, n: 4096, k: 4096},
	{tA: 'N', tB: 'T', m: 33, n: 4096, k: 4096},
	{tA: 'N', tB: 'T', m: 64, n: 4096, k: 4096},
	// A·Bᵀ against a cache-resident B (1024×256, 1 MiB).
	{tA: 'N', tB: 'T', m: 1, n: 1024, k: 256},
	{tA: 'N', tB: 'T', m: 2, n: 1024, k: 256},
	{tA: 'N', tB: 'T', m: 4, n: 1024, k: 256},
	// A power-of-two row stride of B (4K aliasing) against a padded one.
	{tA: 'N', tB: 'N', m: 64, n: 4096, k: 1024, ldb: 4096},
	{tA: 'N', tB: 'N', m: 64, n: 4096, k: 1024, ldb: 4112},
	// A·Bᵀ with a power-of-two k stride.
	{tA: 'N', tB: 'T', m: 256, n: 1024, k: 1024},
	// Aᵀ·B (a weight gradient's shape) with power-of-two strides: op(A)
	// read down the columns of A, packed by copying rows of A.
	{tA: 'T', tB: 'N', m: 256, n: 1024, k: 1024},
}

func (s shapeGemm) String() string {
	name := fmt.Sprintf("m=%d,n=%d,k=%d", s.m, s.n, s.k)
	if s.tA != 'N' || s.tB != 'N' {
		name += ",op=" + string([]byte{s.tA, s.tB})
	}
	if s.ldb != 0 {
		name += fmt.Sprintf(",ldb=%d", s.ldb)
	}
	return name + shapesTag
}

func shapesGemmCase(s shapeGemm) *Case {
	c := &Case{
		Kernel: "Sgemm", Shape: s.String(), Unit: UnitGFLOPS,
		Work:  2 * float64(s.m) * float64(s.n) * float64(s.k),
		Bytes: 4 * float64(s.m*s.k+s.k*s.n+s.m*s.n),
		Peers: true,
	}
	c.prepare = func() (func(), func(SgemmFunc) func()) {
		lda, ldb := s.k, s.n
		rows := s.k
		if s.tA == 'T' {
			lda = s.m
		}
		if s.tB == 'T' {
			ldb, rows = s.k, s.n
		}
		if s.ldb != 0 {
			ldb = s.ldb
		}
		a := fill(s.m*s.k, -1, 1, 21)
		b := fill(rows*ldb, -1, 1, 22)
		cm := make([]float32, s.m*s.n)
		tA, tB := deltacore.Transpose(s.tA), deltacore.Transpose(s.tB)
		ours := func() {
			deltacore.Sgemm(tA, tB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, cm, s.n)
		}
		peer := func(f SgemmFunc) func() {
			return func() { f(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, cm, s.n) }
		}
		return ours, peer
	}
	return c
}

// shapesTag ends the shape of every case of the suite.
const shapesTag = ",suite=SHAPES"

// shapesBackward are wide fused backward layers (m, n, nn). Each runs
// fused (DenseBackward) and unfused (Sgemm, then MulSigmoidPrime: the
// ",fused=0" shape); the peers run the unfused pair with their Sgemm.
var shapesBackward = [][3]int{
	{256, 2048, 2048},
	{128, 4096, 4096},
	{1000, 100, 100},
}

func shapesBackwardCases(s [3]int) []*Case {
	m, n, nn := s[0], s[1], s[2]
	mk := func(unfused bool) *Case {
		shape := fmt.Sprintf("m=%d,n=%d,nn=%d", m, n, nn)
		if unfused {
			shape += ",fused=0"
		}
		shape += shapesTag
		c := &Case{
			Kernel: "DenseBackward", Shape: shape, Unit: UnitGFLOPS,
			Work:  2 * float64(m) * float64(n) * float64(nn),
			Bytes: 4 * float64(m*nn+nn*n+2*m*n),
			Peers: unfused,
		}
		c.prepare = func() (func(), func(SgemmFunc) func()) {
			dnext := fill(m*nn, -1, 1, 23)
			w := fill(nn*n, -1, 1, 24)
			z := fill(m*n, -4, 4, 25)
			d := make([]float32, m*n)
			if !unfused {
				return func() { deltacore.DenseBackward(m, n, nn, dnext, nn, w, n, z, n, d, n) }, nil
			}
			ours := func() {
				deltacore.Sgemm(deltacore.NoTrans, deltacore.NoTrans, m, n, nn, 1, dnext, nn, w, n, 0, d, n)
				deltacore.MulSigmoidPrime(d, z)
			}
			peer := func(f SgemmFunc) func() {
				return func() {
					f('N', 'N', m, n, nn, 1, dnext, nn, w, n, 0, d, n)
					deltacore.MulSigmoidPrime(d, z)
				}
			}
			return ours, peer
		}
		return c
	}
	return []*Case{mk(false), mk(true)}
}

// shapesCases returns the cases of the shapes suite.
func shapesCases() []*Case {
	var cs []*Case
	for _, s := range shapesBackward {
		cs = append(cs, shapesBackwardCases(s)...)
	}
	for _, s := range shapesGemm {
		cs = append(cs, shapesGemmCase(s))
	}
	return cs
}
