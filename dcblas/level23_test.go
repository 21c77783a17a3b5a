package dcblas

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// mat returns a rows×cols row-major matrix with row stride ld in a slice of
// the exact BLAS length (rows−1)·ld+cols, random in [−1, 1); the padding
// between rows holds guard. (gonum asks for that length also when cols = 0.)
func mat(r *rand.Rand, rows, cols, ld int, guard float32) []float32 {
	if rows == 0 {
		return nil
	}
	m := make([]float32, (rows-1)*ld+cols)
	for i := range m {
		if i%ld < cols {
			m[i] = float32(r.Float64()*2 - 1)
		} else {
			m[i] = guard
		}
	}
	return m
}

var transposes = []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}

func TestSgemv(t *testing.T) {
	nan := float32(math.NaN())
	dims := []int{0, 1, 2, 3, 7, 17, 33, 100}
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, m := range dims {
			for _, n := range dims {
				for _, tA := range transposes {
					for _, incX := range strides {
						incY := strides[r.IntN(len(strides))]
						lda := n + r.IntN(3)
						lda = max(lda, 1)
						alpha := []float32{0, 1, -0.7}[r.IntN(3)]
						beta := []float32{0, 1, 0.5}[r.IntN(3)]
						lenX, lenY := n, m
						if tA != blas.NoTrans {
							lenX, lenY = m, n
						}
						a := mat(r, m, n, lda, nan)
						x := vec(r, lenX, incX, nan)
						y := vec(r, lenY, incY, 9)
						if beta == 0 {
							for i := range lenY {
								y[at(lenY, incY, i)] = nan // must not be read
							}
						}
						a0, x0, y0 := clone(a), clone(x), clone(y)
						yg := clone(y)
						impl.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
						native.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, yg, incY)
						if !sameBits(a, a0) || !sameBits(x, x0) {
							t.Fatalf("Sgemv changed A or x")
						}
						checkGuards(t, "Sgemv y", lenY, incY, y, y0)
						for i := range lenY {
							ref, abs := 0.0, 0.0
							for p := range lenX {
								var av float64
								if tA == blas.NoTrans {
									av = float64(a0[i*lda+p])
								} else {
									av = float64(a0[p*lda+i])
								}
								ref += av * float64(x0[at(lenX, incX, p)])
								abs += math.Abs(av * float64(x0[at(lenX, incX, p)]))
							}
							ref *= float64(alpha)
							abs *= math.Abs(float64(alpha))
							if m == 0 || n == 0 || (alpha == 0 && beta == 1) {
								ref, abs = float64(y0[at(lenY, incY, i)]), 0
							} else if beta != 0 {
								yv := float64(beta) * float64(y0[at(lenY, incY, i)])
								ref += yv
								abs += math.Abs(yv)
							}
							bound := 2*float64(lenX+2)*eps32*abs + 1e-30
							if got := y[at(lenY, incY, i)]; !within(got, ref, bound) {
								t.Fatalf("Sgemv %c m=%d n=%d lda=%d incX=%d incY=%d alpha=%v beta=%v: y[%d] = %v, want %v ± %g",
									tA, m, n, lda, incX, incY, alpha, beta, i, got, ref, bound)
							}
							if got := yg[at(lenY, incY, i)]; !within(got, ref, bound) {
								t.Fatalf("gonum Sgemv %c m=%d n=%d incX=%d incY=%d alpha=%v beta=%v: y[%d] = %v, want %v",
									tA, m, n, incX, incY, alpha, beta, i, got, ref)
							}
						}
					}
				}
			}
		}
	})
}

func TestSger(t *testing.T) {
	dims := []int{0, 1, 2, 3, 7, 17, 33, 100}
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(9, 10))
		for _, m := range dims {
			for _, n := range dims {
				for _, incX := range strides {
					for _, incY := range strides {
						lda := max(n+r.IntN(3), 1)
						alpha := []float32{0, 1, -1.5}[r.IntN(3)]
						a := mat(r, m, n, lda, 5)
						x := vec(r, m, incX, float32(math.NaN()))
						y := vec(r, n, incY, float32(math.NaN()))
						if m > 2 {
							x[at(m, incX, 1)] = 0
						}
						a0 := clone(a)
						impl.Sger(m, n, alpha, x, incX, y, incY, a, lda)
						// gonum v0.17's Sger reads outside x and y for a
						// negative increment: compare with it only for
						// positive ones.
						var ag []float32
						if incX > 0 && incY > 0 {
							ag = clone(a0)
							native.Sger(m, n, alpha, x, incX, y, incY, ag, lda)
						}
						for i := range m {
							for j := range lda {
								if i*lda+j >= len(a) {
									break
								}
								got := a[i*lda+j]
								if j >= n {
									if got != a0[i*lda+j] {
										t.Fatalf("Sger: padding A[%d,%d] changed", i, j)
									}
									continue
								}
								axy := float64(alpha) * float64(x[at(m, incX, i)]) * float64(y[at(n, incY, j)])
								ref := float64(a0[i*lda+j]) + axy
								bound := 3 * eps32 * (math.Abs(axy) + math.Abs(float64(a0[i*lda+j])))
								if !within(got, ref, bound) {
									t.Fatalf("Sger m=%d n=%d lda=%d incX=%d incY=%d alpha=%v: A[%d,%d] = %v, want %v",
										m, n, lda, incX, incY, alpha, i, j, got, ref)
								}
								if ag != nil && !within(ag[i*lda+j], ref, bound) {
									t.Fatalf("gonum Sger m=%d n=%d incX=%d incY=%d: A[%d,%d] = %v, want %v",
										m, n, incX, incY, i, j, ag[i*lda+j], ref)
								}
							}
						}
					}
				}
			}
		}
		// y overlapping A (undefined in BLAS, refused by deltacore.Axpy):
		// y is read before A changes, as if copied.
		a := []float32{1, 2, 3, 4}
		impl.Sger(2, 2, 1, []float32{1, 1}, 1, a[:2], 1, a, 2)
		if want := []float32{2, 4, 4, 6}; !sameBits(a, want) {
			t.Errorf("Sger with y in A: %v, want %v", a, want)
		}
	})
}

func TestSgemm(t *testing.T) {
	nan := float32(math.NaN())
	dims := []int{0, 1, 2, 3, 7, 17, 33, 70}
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(11, 12))
		for _, m := range dims {
			for _, n := range dims {
				for _, k := range dims {
					tA := transposes[r.IntN(3)]
					tB := transposes[r.IntN(3)]
					alpha := []float32{0, 1, -0.5}[r.IntN(3)]
					beta := []float32{0, 1, 0.5}[r.IntN(3)]
					aRows, aCols := m, k
					if tA != blas.NoTrans {
						aRows, aCols = k, m
					}
					bRows, bCols := k, n
					if tB != blas.NoTrans {
						bRows, bCols = n, k
					}
					lda := max(aCols+r.IntN(3), 1)
					ldb := max(bCols+r.IntN(3), 1)
					ldc := max(n+r.IntN(3), 1)
					a := mat(r, aRows, aCols, lda, nan)
					b := mat(r, bRows, bCols, ldb, nan)
					c := mat(r, m, n, ldc, 3)
					if beta == 0 {
						for i := range m {
							for j := range n {
								c[i*ldc+j] = nan
							}
						}
					}
					a0, b0, c0 := clone(a), clone(b), clone(c)
					cg := clone(c)
					impl.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					native.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cg, ldc)
					if !sameBits(a, a0) || !sameBits(b, b0) {
						t.Fatal("Sgemm changed A or B")
					}
					for i := range m {
						for j := range ldc {
							if i*ldc+j >= len(c) {
								break
							}
							if j >= n {
								if c[i*ldc+j] != c0[i*ldc+j] {
									t.Fatalf("Sgemm: padding C[%d,%d] changed", i, j)
								}
								continue
							}
							ref, abs := 0.0, 0.0
							for p := range k {
								var av, bv float64
								if tA == blas.NoTrans {
									av = float64(a0[i*lda+p])
								} else {
									av = float64(a0[p*lda+i])
								}
								if tB == blas.NoTrans {
									bv = float64(b0[p*ldb+j])
								} else {
									bv = float64(b0[j*ldb+p])
								}
								ref += av * bv
								abs += math.Abs(av * bv)
							}
							ref *= float64(alpha)
							abs *= math.Abs(float64(alpha))
							if (alpha == 0 || k == 0) && beta == 1 {
								ref, abs = float64(c0[i*ldc+j]), 0
							} else if beta != 0 {
								cv := float64(beta) * float64(c0[i*ldc+j])
								ref += cv
								abs += math.Abs(cv)
							}
							bound := 2*float64(k+2)*eps32*abs + 1e-30
							if !within(c[i*ldc+j], ref, bound) {
								t.Fatalf("Sgemm %c%c m=%d n=%d k=%d alpha=%v beta=%v: C[%d,%d] = %v, want %v ± %g",
									tA, tB, m, n, k, alpha, beta, i, j, c[i*ldc+j], ref, bound)
							}
							if !within(cg[i*ldc+j], ref, bound) {
								t.Fatalf("gonum Sgemm %c%c m=%d n=%d k=%d: C[%d,%d] = %v, want %v",
									tA, tB, m, n, k, i, j, cg[i*ldc+j], ref)
							}
						}
					}
				}
			}
		}
	})
}

func TestSgemvOverlap(t *testing.T) {
	// y inside A (undefined in BLAS, refused by deltacore.Sgemv): y is
	// computed from A and x as they were.
	a := []float32{1, 2, 3, 4, 0, 0}
	impl.Sgemv(blas.NoTrans, 2, 2, 1, a, 2, []float32{1, 1}, 1, 1, a[4:], 1)
	if want := []float32{1, 2, 3, 4, 3, 7}; !sameBits(a, want) {
		t.Errorf("Sgemv with y after A: %v, want %v", a, want)
	}
	a = []float32{1, 2, 3, 4}
	impl.Sgemv(blas.Trans, 2, 2, 1, a, 2, []float32{1, 1}, 1, 0, a[:2], -1)
	if want := []float32{6, 4, 3, 4}; !sameBits(a, want) {
		t.Errorf("Sgemv with y in A: %v, want %v", a, want)
	}
	x := []float32{1, 2, 3}
	impl.Sgemv(blas.NoTrans, 1, 2, 1, []float32{1, 1}, 2, x, 1, 1, x[1:], 2)
	if want := []float32{1, 5, 3}; !sameBits(x, want) {
		t.Errorf("Sgemv with y in x: %v, want %v", x, want)
	}
}

func TestSgemmOverlap(t *testing.T) {
	// C overlapping A or B (undefined in BLAS; deltacore may refuse it): C
	// is computed from A and B as they were.
	forEachLevel(t, func(t *testing.T) {
		buf := []float32{1, 2, 3, 4, 0, 0}
		a, c := buf[:4], buf[2:]
		b := []float32{1, 0, 0, 1} // identity
		// C = A·I + 1·C with C = rows 1–2 of buf: [3 4; 0 0] + [1 2; 3 4]
		impl.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, a, 2, b, 2, 1, c, 2)
		if want := []float32{1, 2, 4, 6, 3, 4}; !sameBits(buf, want) {
			t.Errorf("Sgemm with C over A: %v, want %v", buf, want)
		}
		buf = []float32{1, 2, 3, 4}
		impl.Sgemm(blas.NoTrans, blas.Trans, 2, 2, 2, 1, []float32{1, 0, 0, 1}, 2, buf, 2, 0, buf, 2)
		if want := []float32{1, 3, 2, 4}; !sameBits(buf, want) {
			t.Errorf("Sgemm with C = B: %v, want %v", buf, want)
		}
	})
}

func TestHugeIncrements(t *testing.T) {
	// Increments and strides whose products overflow int: gonum's checks
	// wrap and let the call index outside the slice (a runtime panic);
	// dcblas reports gonum's "insufficient length" message instead.
	const huge = 1 << 62
	x := []float32{1}
	for _, f := range []struct {
		name, want string
		call       func()
	}{
		{"Sdot", shortX, func() { impl.Sdot(3, x, huge, x, 1) }},
		{"Sdot neg", shortX, func() { impl.Sdot(3, x, -huge, x, 1) }},
		{"Sdot minint", shortY, func() { impl.Sdot(2, []float32{1, 2}, 1, x, -1<<63) }},
		{"Saxpy", shortY, func() { impl.Saxpy(3, 1, []float32{1, 2, 3}, 1, x, huge+1) }},
		{"Snrm2", shortX, func() { impl.Snrm2(3, x, huge) }},
		{"Sscal", shortX, func() { impl.Sscal(5, 2, x, huge/2) }},
		{"Sgemv a", shortA, func() { impl.Sgemv(blas.NoTrans, 5, 1, 1, x, huge, x, 1, 0, make([]float32, 5), 1) }},
		{"Sger a", shortA, func() { impl.Sger(3, 1, 1, make([]float32, 3), 1, x, 1, x, huge) }},
		{"Sgemm c", shortC, func() { impl.Sgemm(blas.NoTrans, blas.NoTrans, 3, 1, 1, 1, make([]float32, 3), 1, x, 1, 0, x, huge) }},
		{"Sgemm b", shortB, func() { impl.Sgemm(blas.NoTrans, blas.Trans, 1, 3, 1, 1, x, 1, x, huge, 0, make([]float32, 3), 3) }},
	} {
		if got := panicOf(f.call); got != f.want {
			t.Errorf("%s: panic %v, want %q", f.name, got, f.want)
		}
	}
}
