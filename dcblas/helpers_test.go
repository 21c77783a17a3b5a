package dcblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/deltacore/deltacore"
	"gonum.org/v1/gonum/blas/gonum"
)

// native is gonum's own implementation, the peer of the differential tests.
var native gonum.Implementation

// startLevel is the level deltacore chose at start (DELTACORE_ISA caps it).
var startLevel = deltacore.CurrentLevel()

// forEachLevel runs f once per ISA level this CPU has, up to the level
// chosen at start, with deltacore switched to that level.
func forEachLevel(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	levels := deltacore.Levels()
	from := slices.Index(levels, startLevel)
	for _, l := range levels[max(from, 0):] {
		t.Run("isa="+l.String(), func(t *testing.T) {
			old := deltacore.CurrentLevel()
			if err := deltacore.SetLevel(l); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := deltacore.SetLevel(old); err != nil {
					t.Fatal(err)
				}
			})
			f(t)
		})
	}
}

const eps32 = 1.0 / (1 << 24)

// vec is a BLAS vector: n elements with increment inc in a slice of the
// exact BLAS length 1+(n−1)·|inc| (0 for n = 0). The elements between the
// visited ones hold guard, which a routine must neither use nor change.
func vec(r *rand.Rand, n, inc int, guard float32) []float32 {
	if n == 0 {
		return nil
	}
	ai := max(inc, -inc)
	v := make([]float32, 1+(n-1)*ai)
	for i := range v {
		v[i] = guard
	}
	for i := range n {
		v[i*ai] = float32(r.Float64()*2 - 1)
	}
	return v
}

// at returns the index of the i-th element of a BLAS vector.
func at(n, inc, i int) int {
	if inc < 0 {
		return (n - 1 - i) * -inc
	}
	return i * inc
}

// elems returns the n elements of the BLAS vector v in float64, in order.
func elems(n int, v []float32, inc int) []float64 {
	e := make([]float64, n)
	for i := range e {
		e[i] = float64(v[at(n, inc, i)])
	}
	return e
}

// checkGuards fails unless every element of got that the BLAS vector (n,
// inc) does not visit equals the same element of orig.
func checkGuards(t *testing.T, what string, n, inc int, got, orig []float32) {
	t.Helper()
	visited := make([]bool, len(got))
	for i := range n {
		visited[at(n, inc, i)] = true
	}
	for i := range got {
		if !visited[i] && math.Float32bits(got[i]) != math.Float32bits(orig[i]) {
			t.Fatalf("%s: element %d outside the vector changed: %v -> %v", what, i, orig[i], got[i])
		}
	}
}

// within reports whether got is within bound of ref (NaN matches NaN).
func within(got float32, ref, bound float64) bool {
	if math.IsNaN(ref) {
		return math.IsNaN(float64(got))
	}
	return math.Abs(float64(got)-ref) <= bound
}

// panicOf returns the value f panics with, or nil.
func panicOf(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// samePanic fails unless ours and gonum's panic with the same value (or
// both return).
func samePanic(t *testing.T, name string, ours, theirs func()) {
	t.Helper()
	want := panicOf(theirs)
	got := panicOf(ours)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: panic %v, gonum panics %v", name, got, want)
	}
}

var strides = []int{1, 2, 3, -1, -2}

func sizes() []int { return []int{0, 1, 2, 3, 7, 16, 17, 31, 64, 100} }
