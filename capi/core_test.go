package main

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The cores are tested here against a plain float64 reference, in the
// column-major Fortran convention they implement; the C ABI around them is
// tested by .ci/capi.sh with the reference testers, C programs and numpy.

const eps32 = 1.0 / (1 << 24)

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// ptr returns the address of s[0], or nil for an empty s.
func ptr(s []float32) *float32 {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

// within reports whether got is within bound of want.
func within(got float32, want, bound float64) bool {
	return math.Abs(float64(got)-want) <= bound
}

func TestSgemmColumnMajor(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, sh := range [][3]int{{1, 1, 1}, {3, 5, 7}, {17, 9, 33}, {64, 65, 31}, {10, 30, 784}, {130, 70, 300}} {
		for _, tr := range []string{"NN", "NT", "TN", "tc", "CN"} {
			m, n, k := sh[0], sh[1], sh[2]
			ta, tb := tr[0], tr[1]
			nrowA, ncolA := m, k
			if ta != 'N' && ta != 'n' {
				nrowA, ncolA = k, m
			}
			nrowB, ncolB := k, n
			if tb != 'N' && tb != 'n' {
				nrowB, ncolB = n, k
			}
			lda, ldb, ldc := nrowA+2, nrowB+1, m+3
			a, b := randSlice(r, lda*ncolA), randSlice(r, ldb*ncolB)
			c := randSlice(r, ldc*n)
			c0 := append([]float32(nil), c...)
			alpha, beta := float32(0.5), float32(-1.5)
			if info := sgemm(ta, tb, m, n, k, alpha, ptr(a), lda, ptr(b), ldb, beta, ptr(c), ldc); info != 0 {
				t.Fatalf("%s %v: info %d", tr, sh, info)
			}
			opA := func(i, p int) float64 {
				if nrowA == m {
					return float64(a[p*lda+i])
				}
				return float64(a[i*lda+p])
			}
			opB := func(p, j int) float64 {
				if nrowB == k {
					return float64(b[j*ldb+p])
				}
				return float64(b[p*ldb+j])
			}
			for j := 0; j < n; j++ {
				for i := 0; i < m; i++ {
					var s, abs float64
					for p := 0; p < k; p++ {
						s += opA(i, p) * opB(p, j)
						abs += math.Abs(opA(i, p) * opB(p, j))
					}
					cij := float64(c0[j*ldc+i])
					want := float64(alpha)*s + float64(beta)*cij
					bound := 2 * float64(k+1) * eps32 * (0.5*abs + 1.5*math.Abs(cij))
					if !within(c[j*ldc+i], want, bound) {
						t.Fatalf("%s %v: C(%d,%d) = %v, want %v ± %v", tr, sh, i, j, c[j*ldc+i], want, bound)
					}
				}
				for i := m; i < ldc && j < n-1; i++ { // the gap between columns is untouched
					if c[j*ldc+i] != c0[j*ldc+i] {
						t.Fatalf("%s %v: C's padding (%d,%d) written", tr, sh, i, j)
					}
				}
			}
		}
	}
}

func TestSgemmInfo(t *testing.T) {
	a := make([]float32, 100)
	p := &a[0]
	for _, tc := range []struct {
		ta, tb        byte
		m, n, k       int
		lda, ldb, ldc int
		a, b, c       *float32
		alpha, beta   float32
		want          int
	}{
		{'X', 'N', 2, 2, 2, 2, 2, 2, p, p, p, 1, 0, 1},
		{'N', '?', 2, 2, 2, 2, 2, 2, p, p, p, 1, 0, 2},
		{'N', 'N', -1, 2, 2, 2, 2, 2, p, p, p, 1, 0, 3},
		{'N', 'N', 2, -1, 2, 2, 2, 2, p, p, p, 1, 0, 4},
		{'N', 'N', 2, 2, -1, 2, 2, 2, p, p, p, 1, 0, 5},
		{'N', 'N', 3, 2, 2, 2, 2, 3, p, p, p, 1, 0, 8},  // lda < m
		{'T', 'N', 2, 2, 3, 2, 3, 2, p, p, p, 1, 0, 8},  // lda < k
		{'N', 'N', 2, 2, 3, 2, 2, 2, p, p, p, 1, 0, 10}, // ldb < k
		{'N', 'N', 3, 2, 3, 2, 2, 2, p, p, p, 1, 0, 8},  // lda checked before ldb
		{'N', 'T', 2, 3, 2, 2, 2, 2, p, p, p, 1, 0, 10}, // ldb < n
		{'N', 'N', 3, 2, 2, 3, 2, 2, p, p, p, 1, 0, 13}, // ldc < m
		{'N', 'N', 0, -1, 2, 2, 2, 2, p, p, p, 1, 0, 4},
		{'N', 'N', 2, 2, 2, 2, 2, 2, nil, p, p, 1, 0, -7},
		{'N', 'N', 2, 2, 2, 2, 2, 2, p, nil, p, 1, 0, -9},
		{'N', 'N', 2, 2, 2, 2, 2, 2, p, p, nil, 1, 0, -12},
		{'N', 'N', 0, 2, 2, 1, 2, 1, nil, nil, nil, 1, 0, 0},   // m = 0: nothing touched
		{'N', 'N', 2, 2, 0, 2, 2, 2, nil, nil, p, 1, 0, 0},     // k = 0: A, B not read
		{'N', 'N', 2, 2, 2, 2, 2, 2, nil, nil, p, 0, 2, 0},     // alpha = 0: A, B not read
		{'N', 'N', 2, 2, 2, 2, 2, 2, nil, nil, nil, 0, 1, 0},   // quick return
		{'N', 'N', 2, 2, 2, 2, 2, 2, nil, nil, nil, 0, 0, -12}, // C is zeroed, so needed
	} {
		got := sgemm(tc.ta, tc.tb, tc.m, tc.n, tc.k, tc.alpha, tc.a, tc.lda, tc.b, tc.ldb, tc.beta, tc.c, tc.ldc)
		if got != tc.want {
			t.Errorf("sgemm(%c,%c,%d,%d,%d, lda %d, ldb %d, ldc %d, alpha %v, beta %v) = %d, want %d",
				tc.ta, tc.tb, tc.m, tc.n, tc.k, tc.lda, tc.ldb, tc.ldc, tc.alpha, tc.beta, got, tc.want)
		}
	}
}

// elem returns element i of a BLAS vector (increment inc, n elements).
func elem(x []float32, n, inc, i int) *float32 {
	return &x[start(n, inc)+i*inc]
}

func TestSgemvSgerColumnMajor(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, sh := range [][2]int{{1, 1}, {7, 3}, {33, 65}, {300, 17}} {
		m, n := sh[0], sh[1]
		for _, inc := range [][2]int{{1, 1}, {2, -1}, {-3, 2}, {-1, -2}} {
			incX, incY := inc[0], inc[1]
			lda := m + 1
			a := randSlice(r, lda*n)
			for _, tr := range []byte{'N', 'T', 'c'} {
				lx, ly := n, m
				if tr != 'N' {
					lx, ly = m, n
				}
				x, y := randSlice(r, vecLen(lx, incX)), randSlice(r, vecLen(ly, incY))
				y0 := append([]float32(nil), y...)
				if info := sgemv(tr, m, n, 2, ptr(a), lda, ptr(x), incX, 0.5, ptr(y), incY); info != 0 {
					t.Fatalf("sgemv info %d", info)
				}
				for i := 0; i < ly; i++ {
					var s, abs float64
					for p := 0; p < lx; p++ {
						var aip float32
						if tr == 'N' {
							aip = a[p*lda+i] // A(i, p)
						} else {
							aip = a[i*lda+p] // A(p, i)
						}
						v := float64(aip) * float64(*elem(x, lx, incX, p))
						s += v
						abs += math.Abs(v)
					}
					y0i := float64(*elem(y0, ly, incY, i))
					want := 2*s + 0.5*y0i
					bound := 2 * float64(lx+1) * eps32 * (2*abs + 0.5*math.Abs(y0i))
					if got := *elem(y, ly, incY, i); !within(got, want, bound) {
						t.Fatalf("sgemv %c %dx%d inc %d,%d: y[%d] = %v, want %v", tr, m, n, incX, incY, i, got, want)
					}
				}
			}
			x, y := randSlice(r, vecLen(m, incX)), randSlice(r, vecLen(n, incY))
			a0 := append([]float32(nil), a...)
			if info := sger(m, n, 0.25, ptr(x), incX, ptr(y), incY, ptr(a), lda); info != 0 {
				t.Fatalf("sger info %d", info)
			}
			for j := 0; j < n; j++ {
				for i := 0; i < m; i++ {
					v := 0.25 * float64(*elem(x, m, incX, i)) * float64(*elem(y, n, incY, j))
					want := float64(a0[j*lda+i]) + v
					if got := a[j*lda+i]; !within(got, want, 2*eps32*(math.Abs(want)+math.Abs(v))) {
						t.Fatalf("sger %dx%d inc %d,%d: A(%d,%d) = %v, want %v", m, n, incX, incY, i, j, got, want)
					}
				}
			}
		}
	}
	p := new(float32)
	for _, c := range []struct{ got, want int }{
		{sgemv('Z', 1, 1, 1, p, 1, p, 1, 0, p, 1), 1},
		{sgemv('N', -1, 1, 1, p, 1, p, 1, 0, p, 1), 2},
		{sgemv('N', 1, -1, 1, p, 1, p, 1, 0, p, 1), 3},
		{sgemv('T', 3, 1, 1, p, 2, p, 1, 0, p, 1), 6},
		{sgemv('N', 1, 1, 1, p, 1, p, 0, 0, p, 1), 8},
		{sgemv('N', 1, 1, 1, p, 1, p, 1, 0, p, 0), 11},
		{sgemv('N', 1, 1, 1, nil, 1, p, 1, 0, p, 1), -5},
		{sgemv('N', 1, 1, 0, nil, 1, nil, 1, 0, p, 1), 0},
		{sger(-1, 1, 1, p, 1, p, 1, p, 1), 1},
		{sger(1, -1, 1, p, 1, p, 1, p, 1), 2},
		{sger(1, 1, 1, p, 0, p, 1, p, 1), 5},
		{sger(1, 1, 1, p, 1, p, 0, p, 1), 7},
		{sger(2, 1, 1, p, 1, p, 1, p, 1), 9},
		{sger(1, 1, 1, p, 1, nil, 1, p, 1), -6},
		{sger(1, 1, 0, nil, 1, nil, 1, nil, 1), 0},
	} {
		if c.got != c.want {
			t.Errorf("info %d, want %d", c.got, c.want)
		}
	}
}

func TestLevel1(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 7, 100} {
		for _, inc := range [][2]int{{1, 1}, {2, -1}, {-3, 2}, {0, 1}, {1, 0}, {-1, -1}} {
			incX, incY := inc[0], inc[1]
			x, y := randSlice(r, vecLen(n, incX)), randSlice(r, vecLen(n, incY))
			xi := func(i int) float32 { return *elem(x, n, incX, i) }
			// dot
			var want, abs float64
			for i := 0; i < n; i++ {
				v := float64(xi(i)) * float64(*elem(y, n, incY, i))
				want += v
				abs += math.Abs(v)
			}
			if got, _ := sdot(n, ptr(x), incX, ptr(y), incY); !within(got, want, float64(n+1)*eps32*abs) {
				t.Errorf("sdot n %d inc %v = %v, want %v", n, inc, got, want)
			}
			// axpy: element by element in order, as the reference
			yw := append([]float32(nil), y...)
			for i := 0; i < n; i++ {
				*elem(yw, n, incY, i) += 1.5 * xi(i)
			}
			saxpy(n, 1.5, ptr(x), incX, ptr(y), incY)
			for i := range y {
				if !within(y[i], float64(yw[i]), 4*eps32*math.Abs(float64(yw[i]))+1e-6) {
					t.Fatalf("saxpy n %d inc %v: y[%d] = %v, want %v", n, inc, i, y[i], yw[i])
				}
			}
			// copy and swap
			yw = append(yw[:0], y...)
			for i := 0; i < n; i++ {
				*elem(yw, n, incY, i) = xi(i)
			}
			scopy(n, ptr(x), incX, ptr(y), incY)
			for i := range y {
				if y[i] != yw[i] {
					t.Fatalf("scopy n %d inc %v: y[%d] = %v, want %v", n, inc, i, y[i], yw[i])
				}
			}
			if incX != 0 && incY != 0 {
				x0, y0 := append([]float32(nil), x...), append([]float32(nil), y...)
				sswap(n, ptr(x), incX, ptr(y), incY)
				for i := 0; i < n; i++ {
					if *elem(x, n, incX, i) != *elem(y0, n, incY, i) || *elem(y, n, incY, i) != *elem(x0, n, incX, i) {
						t.Fatalf("sswap n %d inc %v: element %d", n, inc, i)
					}
				}
			}
			// norm, asum, amax, scal on x
			var ss, as float64
			best, bi := -1.0, 0
			for i := 0; i < n; i++ {
				v := float64(xi(i))
				ss += v * v
				as += math.Abs(v)
				if math.Abs(v) > best {
					best, bi = math.Abs(v), i
				}
			}
			if incX == 0 { // n times x[0]
				ss = float64(n) * float64(x[0]) * float64(x[0])
			}
			if got, _ := snrm2(n, ptr(x), incX); !within(got, math.Sqrt(ss), 2*eps32*math.Sqrt(ss)) {
				t.Errorf("snrm2 n %d incX %d = %v, want %v", n, incX, got, math.Sqrt(ss))
			}
			wantAsum, wantIamax := as, bi+1
			if incX <= 0 {
				wantAsum, wantIamax = 0, 0
			}
			if got, _ := sasum(n, ptr(x), incX); !within(got, wantAsum, float64(n)*eps32*wantAsum) {
				t.Errorf("sasum n %d incX %d = %v, want %v", n, incX, got, wantAsum)
			}
			if got, _ := isamax(n, ptr(x), incX); got != wantIamax {
				t.Errorf("isamax n %d incX %d = %d, want %d", n, incX, got, wantIamax)
			}
			x0 := append([]float32(nil), x...)
			sscal(n, -2, ptr(x), incX)
			for i := range x {
				want := x0[i]
				if incX > 0 && i%incX == 0 && i/incX < n {
					want *= -2
				}
				if x[i] != want {
					t.Fatalf("sscal n %d incX %d: x[%d] = %v, want %v", n, incX, i, x[i], want)
				}
			}
		}
	}
	// n ≤ 0 touches nothing; a NULL with n > 0 is reported, not read.
	if s, info := sdot(0, nil, 1, nil, 1); s != 0 || info != 0 {
		t.Error("sdot n = 0")
	}
	if info := saxpy(-1, 1, nil, 1, nil, 1); info != 0 {
		t.Error("saxpy n = -1")
	}
	if i, info := isamax(0, nil, 1); i != 0 || info != 0 {
		t.Error("isamax n = 0")
	}
	if s, info := snrm2(-5, nil, 1); s != 0 || info != 0 {
		t.Error("snrm2 n = -5")
	}
	p := new(float32)
	for _, c := range []struct{ got, want int }{
		{saxpy(2, 1, nil, 1, p, 1), -3}, {saxpy(2, 1, p, 0, nil, 1), -5}, {scopy(2, nil, 1, p, 1), -2},
		{sswap(2, p, 1, nil, 1), -4}, {sscal(2, 1, nil, 1), -3},
	} {
		if c.got != c.want {
			t.Errorf("info %d, want %d", c.got, c.want)
		}
	}
	// snrm2 neither overflows nor underflows.
	big := []float32{1e38, 1e38, -1e38}
	if got, _ := snrm2(3, &big[0], -1); !within(got, 1e38*math.Sqrt(3), 2*eps32*1.8e38) {
		t.Errorf("snrm2 of huge values = %v", got)
	}
	tiny := []float32{3e-39, -4e-39}
	if got, _ := snrm2(2, &tiny[0], 1); !within(got, 5e-39, 1e-44) {
		t.Errorf("snrm2 of subnormal values = %v", got)
	}
}

func TestOwn(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	m, n, k := 5, 7, 9
	x, w, bias := randSlice(r, m*k), randSlice(r, n*k), randSlice(r, n)
	z, act := make([]float32, m*n), make([]float32, m*n)
	if code := denseForward(m, n, k, &x[0], k, &w[0], k, &bias[0], &z[0], n, &act[0], n); code != 0 {
		t.Fatalf("denseForward code %d", code)
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s, abs := float64(bias[j]), math.Abs(float64(bias[j]))
			for p := 0; p < k; p++ {
				v := float64(x[i*k+p]) * float64(w[j*k+p])
				s += v
				abs += math.Abs(v)
			}
			if !within(z[i*n+j], s, 2*float64(k+2)*eps32*abs) {
				t.Fatalf("z(%d,%d) = %v, want %v", i, j, z[i*n+j], s)
			}
			sig := 1 / (1 + math.Exp(-float64(z[i*n+j])))
			if !within(act[i*n+j], sig, 8*eps32*sig) {
				t.Fatalf("act(%d,%d) = %v, want %v", i, j, act[i*n+j], sig)
			}
		}
	}
	// Backward in place (d = z).
	dn := randSlice(r, m*k) // nn = k, w2 is k×n
	w2 := randSlice(r, k*n)
	z0 := append([]float32(nil), z...)
	if code := denseBackward(m, n, k, &dn[0], k, &w2[0], n, &z[0], n, &z[0], n); code != 0 {
		t.Fatalf("denseBackward code %d", code)
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, abs float64
			for q := 0; q < k; q++ {
				v := float64(dn[i*k+q]) * float64(w2[q*n+j])
				s += v
				abs += math.Abs(v)
			}
			sg := 1 / (1 + math.Exp(-float64(z0[i*n+j])))
			sp := sg * (1 - sg)
			if !within(z[i*n+j], s*sp, (2*float64(k+1)*eps32*abs+8*eps32*math.Abs(s))*sp) {
				t.Fatalf("d(%d,%d) = %v, want %v", i, j, z[i*n+j], s*sp)
			}
		}
	}
	s := make([]float32, 4)
	for _, c := range []struct{ got, want int }{
		{elementwise(&s[0], &s[0], -1, nil), 3},
		{elementwise(nil, &s[0], 2, nil), 1},
		{elementwise(&s[0], nil, 2, nil), 2},
		{elementwise(&s[1], &s[0], 2, nil), 1},
		{denseForward(-1, 1, 1, nil, 1, nil, 1, nil, nil, 1, nil, 1), 1},
		{denseForward(2, 3, 4, &x[0], 3, &w[0], 4, nil, &z[0], 3, nil, 0), 5},
		{denseForward(2, 3, 4, &x[0], 4, &w[0], 4, nil, &x[1], 3, nil, 0), 9},
		{denseForward(2, 3, 4, &x[0], 4, &w[0], 4, nil, &z[0], 3, &z[2], 3), 11},
		{denseForward(2, 3, 4, &x[0], 4, &w[0], 4, nil, nil, 3, nil, 0), 9},
		{denseForward(2, 3, 0, nil, 1, nil, 1, nil, &z[0], 3, nil, 0), 0},
		{denseBackward(2, 3, 4, &dn[0], 4, &w2[0], 3, &z[0], 3, &z[1], 3), 10},
		{denseBackward(2, 3, 4, &dn[0], 4, &w2[0], 3, &z[0], 3, &z[0], 4), 11},
		{denseBackward(2, 3, 4, &dn[0], 4, &w2[0], 2, &z[0], 3, &z[0], 3), 7},
		{setLevel(42), -1},
		{setLevel(-1), -1},
	} {
		if c.got != c.want {
			t.Errorf("code %d, want %d", c.got, c.want)
		}
	}
}

func TestEnvThreads(t *testing.T) {
	for s, want := range map[string]int{"4": 4, " 2 ": 2, "1": 1, "0": 0, "-3": 0, "x": 0, "": 0} {
		n, ok := envThreads(s)
		if ok != (want > 0) || n != want {
			t.Errorf("envThreads(%q) = %d, %v", s, n, ok)
		}
	}
}
