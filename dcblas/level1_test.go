package dcblas

import (
	"math"
	"math/rand/v2"
	"testing"
)

var impl Implementation

func TestLevel1Dots(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, n := range append(sizes(), 4096, 1001) {
			for _, incX := range strides {
				for _, incY := range strides {
					x := vec(r, n, incX, float32(math.NaN()))
					y := vec(r, n, incY, float32(math.NaN()))
					xe, ye := elems(n, x, incX), elems(n, y, incY)
					var ref, abs float64
					for i := range n {
						ref += xe[i] * ye[i]
						abs += math.Abs(xe[i] * ye[i])
					}
					// Sdot: float32 accumulation.
					bound := 2*float64(n)*eps32*abs + 1e-30
					if got := impl.Sdot(n, x, incX, y, incY); !within(got, ref, bound) {
						t.Errorf("Sdot n=%d incX=%d incY=%d: %v, want %v ± %g", n, incX, incY, got, ref, bound)
					}
					if got := native.Sdot(n, x, incX, y, incY); !within(got, ref, bound) {
						t.Errorf("gonum Sdot n=%d incX=%d incY=%d: %v, want %v ± %g", n, incX, incY, got, ref, bound)
					}
					// Dsdot: float64 accumulation of exact products.
					dbound := 2*float64(n)*0x1p-53*abs + 1e-300
					if got := impl.Dsdot(n, x, incX, y, incY); math.Abs(got-ref) > dbound {
						t.Errorf("Dsdot n=%d incX=%d incY=%d: %v, want %v ± %g", n, incX, incY, got, ref, dbound)
					}
					if got := native.Dsdot(n, x, incX, y, incY); math.Abs(got-ref) > dbound {
						t.Errorf("gonum Dsdot n=%d incX=%d incY=%d: %v, want %v ± %g", n, incX, incY, got, ref, dbound)
					}
					// Sdsdot: alpha + the float64 sum, rounded once.
					alpha := float32(r.Float64()*4 - 2)
					sref := float64(alpha) + ref
					sbound := eps32*math.Abs(sref) + dbound + 1e-30
					if got := impl.Sdsdot(n, alpha, x, incX, y, incY); !within(got, sref, sbound) {
						t.Errorf("Sdsdot n=%d incX=%d incY=%d: %v, want %v ± %g", n, incX, incY, got, sref, sbound)
					}
					if n > 0 { // gonum returns 0 for n = 0, reference BLAS alpha
						if got := native.Sdsdot(n, alpha, x, incX, y, incY); !within(got, sref, 2*sbound+2*eps32*math.Abs(float64(alpha))) {
							t.Errorf("gonum Sdsdot n=%d incX=%d incY=%d: %v, want %v", n, incX, incY, got, sref)
						}
					}
				}
			}
		}
	})
}

func TestLevel1Axpy(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, n := range append(sizes(), 4096, 1001) {
			for _, incX := range strides {
				for _, incY := range strides {
					for _, alpha := range []float32{0, 1, -0.75, 3.5} {
						x := vec(r, n, incX, float32(math.NaN()))
						y := vec(r, n, incY, 42)
						x0, y0 := clone(x), clone(y)
						impl.Saxpy(n, alpha, x, incX, y, incY)
						yg := clone(y0)
						native.Saxpy(n, alpha, x, incX, yg, incY)
						checkGuards(t, "Saxpy y", n, incY, y, y0)
						if !sameBits(x, x0) {
							t.Fatalf("Saxpy n=%d: x changed", n)
						}
						for i := range n {
							xi, yi := float64(x0[at(n, incX, i)]), float64(y0[at(n, incY, i)])
							ref := yi + float64(alpha)*xi
							bound := 2 * eps32 * (math.Abs(float64(alpha)*xi) + math.Abs(yi))
							if got := y[at(n, incY, i)]; !within(got, ref, bound) {
								t.Fatalf("Saxpy n=%d incX=%d incY=%d alpha=%v: y[%d] = %v, want %v", n, incX, incY, alpha, i, got, ref)
							}
							if got := yg[at(n, incY, i)]; !within(got, ref, bound) {
								t.Fatalf("gonum Saxpy n=%d incX=%d incY=%d alpha=%v: y[%d] = %v, want %v", n, incX, incY, alpha, i, got, ref)
							}
						}
					}
				}
			}
		}
		// Partially overlapping x and y (undefined in BLAS, refused by
		// deltacore.Axpy) run in order instead of panicking.
		buf := []float32{1, 2, 3, 4, 5}
		impl.Saxpy(4, 1, buf[:4], 1, buf[1:], 1)
		if want := []float32{1, 3, 6, 10, 15}; !sameBits(buf, want) {
			t.Errorf("overlapping Saxpy: %v, want %v", buf, want)
		}
	})
}

func TestLevel1Vector(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, n := range append(sizes(), 4096, 1001) {
			for _, inc := range strides {
				x := vec(r, n, inc, 7)
				if n > 3 {
					x[at(n, inc, n/2)] = -3 // a unique largest |x|
					x[at(n, inc, n/3)] = 2.5
				}
				xe := elems(n, x, inc)
				// Snrm2, Sasum, Isamax: a negative increment gives 0, 0, −1.
				var ss, asum float64
				idx, best := -1, -1.0
				for i, v := range xe {
					ss += v * v
					asum += math.Abs(v)
					if math.Abs(v) > best {
						idx, best = i, math.Abs(v)
					}
				}
				nrm := math.Sqrt(ss)
				if inc < 0 {
					nrm, asum, idx = 0, 0, -1
				}
				if got := impl.Snrm2(n, x, inc); !within(got, nrm, 2*eps32*nrm) {
					t.Errorf("Snrm2 n=%d inc=%d: %v, want %v", n, inc, got, nrm)
				}
				if got := native.Snrm2(n, x, inc); !within(got, nrm, 2*float64(n+1)*eps32*nrm) {
					t.Errorf("gonum Snrm2 n=%d inc=%d: %v, want %v", n, inc, got, nrm)
				}
				if got := impl.Sasum(n, x, inc); !within(got, asum, 2*eps32*asum) {
					t.Errorf("Sasum n=%d inc=%d: %v, want %v", n, inc, got, asum)
				}
				if got := native.Sasum(n, x, inc); !within(got, asum, 2*float64(n+1)*eps32*asum) {
					t.Errorf("gonum Sasum n=%d inc=%d: %v, want %v", n, inc, got, asum)
				}
				if got, g := impl.Isamax(n, x, inc), native.Isamax(n, x, inc); got != idx || g != idx {
					t.Errorf("Isamax n=%d inc=%d: %d (gonum %d), want %d", n, inc, got, g, idx)
				}
				// Sscal: alpha = 0 sets zero (NaN included), as gonum.
				for _, alpha := range []float32{0, 1, -2.5, 0.3} {
					xs := clone(x)
					if n > 0 && alpha == 0 {
						xs[at(n, inc, 0)] = float32(math.NaN())
					}
					xg, xs0 := clone(xs), clone(xs)
					impl.Sscal(n, alpha, xs, inc)
					native.Sscal(n, alpha, xg, inc)
					if !sameBits(xs, xg) {
						t.Errorf("Sscal n=%d inc=%d alpha=%v: %v, gonum %v", n, inc, alpha, xs, xg)
					}
					for i := 0; inc > 0 && i < n; i++ {
						want := float32(float64(alpha) * xe[i])
						if got := xs[at(n, inc, i)]; got != want {
							t.Fatalf("Sscal n=%d inc=%d alpha=%v: x[%d] = %v, want %v", n, inc, alpha, i, got, want)
						}
					}
					if inc < 0 && !sameBits(xs, xs0) {
						t.Errorf("Sscal n=%d inc=%d changed x", n, inc)
					}
				}
			}
			// Scopy and Sswap: exact.
			for _, incX := range strides {
				for _, incY := range strides {
					x := vec(r, n, incX, 11)
					y := vec(r, n, incY, 13)
					x0, y0 := clone(x), clone(y)
					impl.Scopy(n, x, incX, y, incY)
					checkGuards(t, "Scopy", n, incY, y, y0)
					for i := range n {
						if y[at(n, incY, i)] != x0[at(n, incX, i)] {
							t.Fatalf("Scopy n=%d incX=%d incY=%d: element %d", n, incX, incY, i)
						}
					}
					copy(y, y0)
					impl.Sswap(n, x, incX, y, incY)
					checkGuards(t, "Sswap x", n, incX, x, x0)
					checkGuards(t, "Sswap y", n, incY, y, y0)
					for i := range n {
						if y[at(n, incY, i)] != x0[at(n, incX, i)] || x[at(n, incX, i)] != y0[at(n, incY, i)] {
							t.Fatalf("Sswap n=%d incX=%d incY=%d: element %d", n, incX, incY, i)
						}
					}
				}
			}
		}
		// Snrm2 neither overflows nor underflows.
		big := []float32{2e38, 1e38, -1e38}
		want := math.Sqrt(sq(big[0]) + sq(big[1]) + sq(big[2]))
		if got := impl.Snrm2(3, big, 1); !within(got, want, 2*eps32*want) {
			t.Errorf("Snrm2 near overflow: %v, want %v", got, want)
		}
		tiny := []float32{1e-40, 1e-40, 1e-40, 1e-40}
		if got, want := impl.Snrm2(4, tiny, 1), 2*float64(tiny[0]); !within(got, want, 0x1p-149) {
			t.Errorf("Snrm2 subnormal: %v, want %v", got, want)
		}
	})
}

func sq(v float32) float64 { return float64(v) * float64(v) }

func clone(v []float32) []float32 { return append([]float32(nil), v...) }

func sameBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}
