package deltacore

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// TestDenseForwardRows checks DenseForwardRows bit for bit against
// DenseForwardAct on the same batch, and its z against the float64
// reference, on every level, with one and two goroutines per product: the
// shapes take the packed-rows kernel (AVX-512: m ≥ 33 rows past the paths
// for few rows, a last sliver of fewer than 12 rows, n ≤ 32, k from 1 to
// past the unrolling) or fall back to DenseForwardAct (n > 32, few rows,
// k past the direct path, no bias), for both activations and without act.
func TestDenseForwardRows(t *testing.T) {
	forEachGemmLevel(t, func(t *testing.T, kn *gemmKernel) {
		rng := rand.New(rand.NewPCG(61, 62))
		for _, s := range []struct {
			m, n, k int
			bias    bool
		}{
			{1000, 30, 784, true}, {133, 32, 13, true}, {300, 7, 1, true}, {250, 30, 5, true},
			{300, 33, 40, true}, {25, 30, 50, true}, {130, 30, 1100, true}, {200, 30, 50, false},
		} {
			if testing.Short() && s.m*s.n*s.k > 1<<21 {
				continue
			}
			for _, threads := range []int{1, 2} {
				e, err := NewEngine(EngineConfig{Threads: threads})
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range []Activation{ActSigmoid, ActTanh} {
					name := fmt.Sprintf("m=%d,n=%d,k=%d,bias=%v,threads=%d,%v", s.m, s.n, s.k, s.bias, threads, f)
					ldx := s.k + 3
					x := randMatrix(rng, s.m, s.k, ldx, float32(math.NaN()))
					w := randMatrix(rng, s.n, s.k, s.k, 0)
					var bias []float32
					if s.bias {
						bias = randMatrix(rng, 1, s.n, s.n, 0)
					}
					p := PackRows(s.m, s.k, x, ldx)
					z, act := make([]float32, s.m*s.n), make([]float32, s.m*s.n)
					z2, act2 := make([]float32, s.m*s.n), make([]float32, s.m*s.n)
					e.DenseForwardRows(f, p, s.n, w, s.k, bias, z, s.n, act, s.n)
					e.DenseForwardAct(f, s.m, s.n, s.k, x, ldx, w, s.k, bias, z2, s.n, act2, s.n)
					for i := range z {
						if math.Float32bits(z[i]) != math.Float32bits(z2[i]) || math.Float32bits(act[i]) != math.Float32bits(act2[i]) {
							t.Fatalf("%s: element %d: z, act = %v, %v; DenseForwardAct %v, %v", name, i, z[i], act[i], z2[i], act2[i])
						}
					}
					for _, i := range []int{0, s.m - 1, s.m / 2} {
						for _, j := range []int{0, s.n - 1} {
							var ref, sc float64
							for q := 0; q < s.k; q++ {
								v := float64(x[i*ldx+q]) * float64(w[j*s.k+q])
								ref += v
								sc += math.Abs(v)
							}
							if bias != nil {
								ref += float64(bias[j])
								sc += math.Abs(float64(bias[j]))
							}
							if got := float64(z[i*s.n+j]); math.Abs(got-ref) > 2*float64(s.k+1)*0x1p-24*sc+1e-30 {
								t.Fatalf("%s: z[%d,%d] = %v, float64 reference %v", name, i, j, got, ref)
							}
						}
					}
					// Without act: z alone, the same bits.
					clear(z2)
					e.DenseForwardRows(f, p, s.n, w, s.k, bias, z2, s.n, nil, s.n)
					for i := range z {
						if math.Float32bits(z[i]) != math.Float32bits(z2[i]) {
							t.Fatalf("%s: without act, z[%d] = %v, with it %v", name, i, z2[i], z[i])
						}
					}
				}
			}
		}
	})
}

// TestPackRows checks PackRows' copy, its slivers (made once, also when
// goroutines ask for them together) and its panics.
func TestPackRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(63, 64))
	const m, k, ldx = 27, 5, 7
	x := randMatrix(rng, m, k, ldx, float32(math.NaN()))
	p := PackRows(m, k, x, ldx)
	for i := 0; i < m; i++ {
		for q := 0; q < k; q++ {
			if p.X()[i*k+q] != x[i*ldx+q] {
				t.Fatalf("X()[%d,%d] = %v, want %v", i, q, p.X()[i*k+q], x[i*ldx+q])
			}
		}
	}
	var wg sync.WaitGroup
	got := make([][]float32, 4)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[g] = p.slivers()
		}()
	}
	wg.Wait()
	s := got[0]
	for g := range got {
		if &got[g][0] != &s[0] {
			t.Fatal("slivers made more than once")
		}
	}
	if len(s) != 3*rowsMR*(k+1) {
		t.Fatalf("len(slivers) = %d, want %d", len(s), 3*rowsMR*(k+1))
	}
	for r := 0; r < 3*rowsMR; r++ {
		for q := 0; q <= k; q++ {
			want := float32(0)
			switch {
			case r < m && q < k:
				want = x[r*ldx+q]
			case r < m:
				want = 1
			}
			if v := s[r/rowsMR*rowsMR*(k+1)+q*rowsMR+r%rowsMR]; v != want {
				t.Fatalf("sliver element (%d, %d) = %v, want %v", r, q, v, want)
			}
		}
	}
	for _, c := range []struct {
		m, k, ldx, n int
	}{{0, 5, 5, 5}, {3, 0, 1, 3}, {3, 5, 4, 20}, {3, 5, 5, 14}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("PackRows(%d, %d, len %d, %d) did not panic", c.m, c.k, c.n, c.ldx)
				}
			}()
			PackRows(c.m, c.k, make([]float32, c.n), c.ldx)
		}()
	}
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "x is nil") {
				t.Errorf("DenseForwardRows(nil batch): recovered %v, want a panic naming x", r)
			}
		}()
		DenseForwardRows(ActSigmoid, nil, 3, make([]float32, 15), 5, nil, make([]float32, 3), 3, nil, 0)
	}()
}
