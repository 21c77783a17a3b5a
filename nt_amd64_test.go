//go:build !purego

package deltacore

import (
	"fmt"
	"math"
	"runtime/debug"
	"testing"
	"unsafe"

	"github.com/deltacore/deltacore/internal/memguard"
)

// withNTMin runs f with n as the length from which σ, σ′, tanh and tanh′
// take the non-temporal path.
func withNTMin(n int, f func()) {
	old := ntMinElems
	ntMinElems = n
	defer func() { ntMinElems = old }()
	f()
}

func TestNTSplit(t *testing.T) {
	for _, c := range []struct {
		dst     uintptr
		n, step int
		h, m    int
	}{
		{0x1000, 96, 96, 0, 96},
		{0x1000, 95, 96, 0, 0},
		{0x1000, 200, 96, 0, 192},
		{0x1004, 200, 96, 15, 96},
		{0x1004, 110, 96, 15, 0},
		{0x1004, 111, 96, 15, 96},
		{0x103c, 33, 32, 1, 32},
		{0x103c, 1, 32, 1, 0},
		{0x1020, 100, 32, 8, 64},
		{0x1002, 1000, 32, 0, 0}, // not 4-byte aligned: no NT
	} {
		h, m := ntSplit(c.dst, c.n, c.step)
		if h != c.h || m != c.m {
			t.Errorf("ntSplit(%#x, %d, %d) = %d, %d, want %d, %d", c.dst, c.n, c.step, h, m, c.h, c.m)
		}
		if m > 0 && (c.dst+uintptr(4*h))%64 != 0 {
			t.Errorf("ntSplit(%#x, %d, %d): NT part not 64-byte aligned", c.dst, c.n, c.step)
		}
	}
}

// TestNTKernels runs σ, σ′, tanh and tanh′ through the non-temporal path
// (the threshold lowered to 1) on every level, on slices that end at a
// guard page or start at one or a few elements after it (so that the
// aligned head takes every length 0…15), and checks every result bit for
// bit against the ordinary path, and σ against the float64 reference.
func TestNTKernels(t *testing.T) {
	if !memguard.Supported {
		t.Skip("guard pages are not supported on this OS")
	}
	const maxN = 4200
	var bufs [2]*memguard.Buffer
	for i := range bufs {
		b, err := memguard.New(maxN + 64)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(b.Free)
		bufs[i] = b
	}
	var lengths []int
	for n := 1; n <= 200; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 383, 384, 385, 1000, 4097, maxN)
	zval := func(i int) float32 {
		sp := sigSpecials()
		if i%5 == 0 {
			return sp[i/5%len(sp)]
		}
		return float32(i%211)*0.37 - 39
	}
	fns := []struct {
		name string
		f    func(dst, z []float32)
	}{
		{"Sigmoid", Sigmoid}, {"SigmoidPrime", SigmoidPrime}, {"Tanh", Tanh}, {"TanhPrime", TanhPrime},
	}
	same := func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b) }
	for _, l := range Levels() {
		if l == Generic {
			continue
		}
		t.Run("isa="+l.String(), func(t *testing.T) {
			sigSetLevel(t, l)
			ntRuns := 0
			for _, fn := range fns {
				for _, n := range lengths {
					z0 := make([]float32, n)
					for i := range z0 {
						z0[i] = zval(i)
					}
					want := make([]float32, n)
					withNTMin(math.MaxInt, func() { fn.f(want, z0) }) // the ordinary path
					type placement struct {
						name string
						at   func(b *memguard.Buffer) []float32
					}
					var pls []placement
					pls = append(pls, placement{"end", func(b *memguard.Buffer) []float32 { return b.AtEnd(n) }})
					for _, k := range []int{0, 1, 5, 15} {
						pls = append(pls, placement{fmt.Sprintf("start+%d", k),
							func(b *memguard.Buffer) []float32 { return b.AtStart(n + k)[k:] }})
					}
					for _, pl := range pls {
						for _, inPlace := range []bool{false, true} {
							dst := pl.at(bufs[0])
							z := dst
							if !inPlace {
								z = pl.at(bufs[1])
							}
							copy(z, z0)
							if !inPlace {
								for i := range dst {
									dst[i] = -12345.678
								}
							}
							if _, m := ntSplit(uintptr(unsafe.Pointer(&dst[0])), n, 16); m > 0 {
								ntRuns++
							}
							what := fmt.Sprintf("%s n=%d at %s in place=%v", fn.name, n, pl.name, inPlace)
							func() {
								defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
								defer func() {
									if r := recover(); r != nil {
										t.Fatalf("%s: %v", what, r)
									}
								}()
								withNTMin(1, func() { fn.f(dst, z) })
							}()
							for i := range dst {
								if !same(dst[i], want[i]) {
									t.Fatalf("%s: [%d] z=%g: NT path %g [%#08x], ordinary %g [%#08x]", what, i, z0[i],
										dst[i], math.Float32bits(dst[i]), want[i], math.Float32bits(want[i]))
								}
							}
							if !inPlace {
								for i := range z {
									if !same(z[i], z0[i]) {
										t.Fatalf("%s: z[%d] changed", what, i)
									}
								}
							}
							if fn.name == "Sigmoid" {
								for i, v := range z0 {
									es, _ := sigRef(v)
									if _, ok := sigErr(dst[i], es, sigMaxULP, sigTiny); !ok {
										t.Fatalf("%s: σ(%g) = %g, want %g", what, v, dst[i], es)
									}
								}
							}
						}
					}
				}
			}
			if ntRuns == 0 {
				t.Fatal("the NT path never ran")
			}
		})
	}
}
