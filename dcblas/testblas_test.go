package dcblas

import (
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/testblas"
)

// gonum's own BLAS test drivers (gonum.org/v1/gonum/blas/testblas) cover
// float64 only and compare with a tolerance of 1e-14, far below float32's
// 6e-8. They run here on dcblas through f64, which converts to float32,
// calls dcblas and converts back, on the cases whose data are exact in
// float32: every input and every answer (as gonum's float64 routine
// computes it) is a float32 value. On those cases dcblas must meet the
// 1e-14 tolerance, i.e. be exact. Which cases qualify is found by a first
// probing run of each case that calls gonum's float64 routine and records
// whether every value it saw was exact in float32.
//
// Run: TestDgemm (all 7 cases), DgemvTest (only the subcases with alpha =
// 0: its matrices hold values such as 4.1), DaxpyTest, DdotTest, DscalTest, Dnrm2Test,
// DasumTest, IdamaxTest, DswapTest, DcopyTest, on their exact cases.
// Not run: DgerTest (its data, like 1.3 and -1.1, are not float32 and its
// case table is not exported, so the exact cases cannot be picked out);
// Drot*, Dsymv, Dtrsv and the other routines dcblas leaves to gonum.

// f64 is dcblas seen as a float64 BLAS. In probe mode it calls gonum's
// float64 routine instead and clears *exact if any value is not float32.
type f64 struct {
	probe bool
	exact *bool
	calls *int
}

func (f f64) see(vs ...float64) {
	for _, v := range vs {
		if float64(float32(v)) != v {
			*f.exact = false
		}
	}
}

func (f f64) seeS(ss ...[]float64) {
	for _, s := range ss {
		f.see(s...)
	}
}

func to32(s []float64) []float32 {
	if s == nil {
		return nil
	}
	r := make([]float32, len(s))
	for i, v := range s {
		r[i] = float32(v)
	}
	return r
}

func back(dst []float64, s []float32) {
	for i, v := range s {
		dst[i] = float64(v)
	}
}

func (f f64) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if f.probe {
		f.see(alpha, beta)
		f.seeS(a, b, c)
		native.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		f.seeS(c)
		return
	}
	*f.calls++
	c32 := to32(c)
	impl.Sgemm(tA, tB, m, n, k, float32(alpha), to32(a), lda, to32(b), ldb, float32(beta), c32, ldc)
	back(c, c32)
}

func (f f64) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	if f.probe {
		f.see(alpha, beta)
		f.seeS(y)
		if alpha != 0 { // alpha = 0 reads neither A nor x
			f.seeS(a, x)
		}
		native.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		f.seeS(y)
		return
	}
	*f.calls++
	y32 := to32(y)
	impl.Sgemv(tA, m, n, float32(alpha), to32(a), lda, to32(x), incX, float32(beta), y32, incY)
	back(y, y32)
}

func (f f64) Daxpy(n int, alpha float64, x []float64, incX int, y []float64, incY int) {
	if f.probe {
		f.see(alpha)
		f.seeS(x, y)
		native.Daxpy(n, alpha, x, incX, y, incY)
		f.seeS(y)
		return
	}
	*f.calls++
	y32 := to32(y)
	impl.Saxpy(n, float32(alpha), to32(x), incX, y32, incY)
	back(y, y32)
}

func (f f64) Ddot(n int, x []float64, incX int, y []float64, incY int) float64 {
	if f.probe {
		f.seeS(x, y)
		d := native.Ddot(n, x, incX, y, incY)
		f.see(d)
		return d
	}
	*f.calls++
	return float64(impl.Sdot(n, to32(x), incX, to32(y), incY))
}

func (f f64) Dscal(n int, alpha float64, x []float64, incX int) {
	if f.probe {
		f.see(alpha)
		f.seeS(x)
		native.Dscal(n, alpha, x, incX)
		f.seeS(x)
		return
	}
	*f.calls++
	x32 := to32(x)
	impl.Sscal(n, float32(alpha), x32, incX)
	back(x, x32)
}

func (f f64) Dnrm2(n int, x []float64, incX int) float64 {
	if f.probe {
		f.seeS(x)
		d := native.Dnrm2(n, x, incX)
		f.see(d)
		return d
	}
	*f.calls++
	return float64(impl.Snrm2(n, to32(x), incX))
}

func (f f64) Dasum(n int, x []float64, incX int) float64 {
	if f.probe {
		f.seeS(x)
		d := native.Dasum(n, x, incX)
		f.see(d)
		return d
	}
	*f.calls++
	return float64(impl.Sasum(n, to32(x), incX))
}

func (f f64) Idamax(n int, x []float64, incX int) int {
	if f.probe {
		f.seeS(x)
		return native.Idamax(n, x, incX)
	}
	*f.calls++
	return impl.Isamax(n, to32(x), incX)
}

func (f f64) Dswap(n int, x []float64, incX int, y []float64, incY int) {
	if f.probe {
		f.seeS(x, y)
		native.Dswap(n, x, incX, y, incY)
		return
	}
	*f.calls++
	x32, y32 := to32(x), to32(y)
	impl.Sswap(n, x32, incX, y32, incY)
	back(x, x32)
	back(y, y32)
}

func (f f64) Dcopy(n int, x []float64, incX int, y []float64, incY int) {
	if f.probe {
		f.seeS(x, y)
		native.Dcopy(n, x, incX, y, incY)
		return
	}
	*f.calls++
	y32 := to32(y)
	impl.Scopy(n, to32(x), incX, y32, incY)
	back(y, y32)
}

// exactCases narrows *cases, for the rest of the test, to the cases on which
// a probing run of driver sees only float32 values, then runs driver on
// dcblas. It fails if fewer than minKept cases qualify or dcblas was never
// called.
func exactCases[T any](t *testing.T, cases *[]T, minKept int, driver func(t *testing.T, f f64)) {
	t.Helper()
	all := *cases
	t.Cleanup(func() { *cases = all })
	var kept []T
	for i := range all {
		*cases = all[i : i+1]
		exact := true
		driver(t, f64{probe: true, exact: &exact})
		if exact {
			kept = append(kept, all[i])
		}
	}
	if len(kept) < minKept {
		t.Fatalf("only %d of %d cases are exact in float32, want at least %d", len(kept), len(all), minKept)
	}
	*cases = kept
	forEachLevel(t, func(t *testing.T) {
		calls := 0
		driver(t, f64{calls: &calls})
		if calls == 0 {
			t.Fatal("dcblas was never called")
		}
		t.Logf("%d of %d cases (exact in float32), %d calls to dcblas", len(kept), len(all), calls)
	})
}

func TestGonumDgemm(t *testing.T) {
	exactCases(t, &testblas.DgemmCases, 1, func(t *testing.T, f f64) { testblas.TestDgemm(t, f) })
}

// DgemvTest's matrices hold values such as 4.1 that are not float32, so
// only its subcases with alpha = 0 (which read neither A nor x) are exact;
// they run, one case per subcase, together with its bad-argument panics.
func TestGonumDgemv(t *testing.T) {
	var split []testblas.DgemvCase
	for _, c := range testblas.DgemvCases {
		for j := range c.Subcases {
			one := c
			one.Subcases = c.Subcases[j : j+1]
			split = append(split, one)
		}
	}
	all := testblas.DgemvCases
	t.Cleanup(func() { testblas.DgemvCases = all })
	testblas.DgemvCases = split
	exactCases(t, &testblas.DgemvCases, 1, func(t *testing.T, f f64) { testblas.DgemvTest(t, f) })
}

func TestGonumLevel1TwoVectors(t *testing.T) {
	for name, driver := range map[string]func(t *testing.T, f f64){
		"Daxpy": func(t *testing.T, f f64) { testblas.DaxpyTest(t, f) },
		"Ddot":  func(t *testing.T, f f64) { testblas.DdotTest(t, f) },
		"Dswap": func(t *testing.T, f f64) { testblas.DswapTest(t, f) },
		"Dcopy": func(t *testing.T, f f64) { testblas.DcopyTest(t, f) },
	} {
		t.Run(name, func(t *testing.T) { exactCases(t, &testblas.DoubleTwoVectorCases, 1, driver) })
	}
}

func TestGonumLevel1OneVector(t *testing.T) {
	for name, driver := range map[string]func(t *testing.T, f f64){
		"Dscal":  func(t *testing.T, f f64) { testblas.DscalTest(t, f) },
		"Dnrm2":  func(t *testing.T, f f64) { testblas.Dnrm2Test(t, f) },
		"Dasum":  func(t *testing.T, f f64) { testblas.DasumTest(t, f) },
		"Idamax": func(t *testing.T, f f64) { testblas.IdamaxTest(t, f) },
	} {
		t.Run(name, func(t *testing.T) { exactCases(t, &testblas.DoubleOneVectorCases, 1, driver) })
	}
}
