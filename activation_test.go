package deltacore

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDenseForwardTanh: DenseForwardAct(ActTanh) computes the same z as
// DenseForward, bit for bit, and act = Tanh(z) of that z, bit for bit,
// with every pad untouched; z is checked against float64 in
// TestDenseForward. Shapes cover the dot, packed and whole-row tile paths.
func TestDenseForwardTanh(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(17, 18))
		big := [3]int{300, 300, 300}
		if reducedTests() {
			big = [3]int{100, 300, 300} // still split at two threads, a third of the work
		}
		for _, s := range [][3]int{{1, 1, 1}, {10, 30, 784}, {kn.mr + 1, kn.nr + 3, 5}, {1000, 30, 30}, {37, 70, 0}, big, {64, 16, 20}} {
			m, n, k := s[0], s[1], s[2]
			for _, lda := range []int{n, n + 1} {
				ldx, ldw, ldz := max(k, 1)+1, max(k, 1)+2, lda
				x := randMatrix(rng, m, k, ldx, float32(math.NaN()))
				w := randMatrix(rng, n, k, ldw, float32(math.NaN()))
				for i := range w {
					w[i] *= 3 // reach into saturation
				}
				bias := randMatrix(rng, 1, n, n, 0)
				if k == 0 {
					x, w = nil, nil
				}
				zs := randMatrix(rng, m, n, ldz, gemmSentinel)
				DenseForward(m, n, k, x, ldx, w, ldw, bias, zs, ldz, nil, lda)
				z := randMatrix(rng, m, n, ldz, gemmSentinel)
				act := randMatrix(rng, m, n, lda, gemmSentinel)
				DenseForwardAct(ActTanh, m, n, k, x, ldx, w, ldw, bias, z, ldz, act, lda)
				want := make([]float32, n)
				for i := 0; i < m; i++ {
					Tanh(want, z[i*ldz:][:n])
					for j := 0; j < n; j++ {
						if math.Float32bits(z[i*ldz+j]) != math.Float32bits(zs[i*ldz+j]) {
							t.Fatalf("m=%d n=%d k=%d: z[%d,%d] = %v, DenseForward's %v", m, n, k, i, j, z[i*ldz+j], zs[i*ldz+j])
						}
						if math.Float32bits(act[i*lda+j]) != math.Float32bits(want[j]) {
							t.Fatalf("m=%d n=%d k=%d: act[%d,%d] = %v, Tanh(z) = %v", m, n, k, i, j, act[i*lda+j], want[j])
						}
						if e := math.Abs(float64(act[i*lda+j]) - math.Tanh(float64(z[i*ldz+j]))); !(e <= 4*0x1p-24) {
							t.Fatalf("act[%d,%d] = %v, tanh(z) = %v", i, j, act[i*lda+j], math.Tanh(float64(z[i*ldz+j])))
						}
					}
					for j := n; j < lda && i*lda+j < len(act); j++ {
						if act[i*lda+j] != gemmSentinel || z[i*ldz+j] != gemmSentinel {
							t.Fatalf("padding overwritten")
						}
					}
				}
			}
		}
	})
}

// TestDenseBackwardTanh checks d = (dnext·w) ⊙ tanh′(z) against float64, with
// d separate from z and with d aliasing z.
func TestDenseBackwardTanh(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(19, 20))
		const eps = 1.0 / (1 << 24)
		packed := [3]int{200, 300, 1100} // packed (nn > directMaxK), a partial kc block
		if reducedTests() {
			packed = [3]int{37, 2*kn.nr + 5, 1100} // the same on fewer rows and columns (70 s under a loaded -race)
		}
		for _, s := range [][3]int{{1, 1, 1}, {1000, 30, 30}, {10, 784, 30}, {kn.mr + 1, kn.nr + 3, 5}, {5, 7, 0}, packed, {64, 16, 16}} {
			for _, alias := range []bool{false, true} {
				m, n, nn := s[0], s[1], s[2]
				lddn, ldw, ldz := max(nn, 1)+1, n+2, n+3
				if s == [3]int{64, 16, 16} {
					ldz = n // whole rows
				}
				dn := randMatrix(rng, m, nn, lddn, float32(math.NaN()))
				w := randMatrix(rng, nn, n, ldw, float32(math.NaN()))
				z := randMatrix(rng, m, n, ldz, gemmSentinel)
				for i := range z {
					if z[i] != gemmSentinel {
						z[i] *= 10 // reach into saturation
					}
				}
				z0 := append([]float32(nil), z...)
				d, ldd := z, ldz
				if !alias {
					ldd = ldz
					d = randMatrix(rng, m, n, ldd, gemmSentinel)
				}
				if nn == 0 {
					dn, w = nil, nil
				}
				DenseBackwardAct(ActTanh, m, n, nn, dn, lddn, w, ldw, z, ldz, d, ldd)
				for i := 0; i < m; i++ {
					for j := 0; j < n; j++ {
						var r, sc float64
						for q := 0; q < nn; q++ {
							v := float64(dn[i*lddn+q]) * float64(w[q*ldw+j])
							r += v
							sc += math.Abs(v)
						}
						c := math.Cosh(float64(z0[i*ldz+j]))
						tp := 1 / (c * c)
						want := r * tp
						tol := (2*float64(nn)*eps*sc+math.Abs(r)*5*eps)*tp + 1e-37*sc
						if got := float64(d[i*ldd+j]); !(math.Abs(got-want) <= tol) {
							t.Fatalf("m=%d n=%d nn=%d alias=%v: d[%d,%d] = %v, want %v (tol %g)", m, n, nn, alias, i, j, got, want, tol)
						}
					}
					for j := n; j < ldd && i*ldd+j < len(d); j++ {
						if d[i*ldd+j] != gemmSentinel {
							t.Fatalf("d padding overwritten")
						}
					}
				}
			}
		}
	})
}

func TestDenseActBadActivation(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("DenseForwardAct with an unknown activation did not panic")
		}
	}()
	DenseForwardAct(Activation(7), 1, 1, 1, []float32{1}, 1, []float32{1}, 1, nil, []float32{0}, 1, nil, 1)
}
