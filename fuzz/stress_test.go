package fuzz

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/deltacore/deltacore"
)

// TestConcurrentKernels calls every kernel from many goroutines at once,
// sharing the read-only inputs, and checks that every result is bit for bit
// the result of a serial call on the same level. Run with -race, it also
// checks that the kernels share no hidden state (on the generic level: the
// race detector does not see memory touched by assembly).
func TestConcurrentKernels(t *testing.T) {
	const goroutines, rounds = 8, 6
	forEachLevel(t, func(l deltacore.Level) {
		t.Run("isa="+l.String(), func(t *testing.T) {
			in := newStressInputs()
			want := in.run()
			var wg sync.WaitGroup
			errs := make(chan string, goroutines)
			for g := 0; g < goroutines; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range rounds {
						if msg := want.diff(in.run()); msg != "" {
							errs <- msg
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for msg := range errs {
				t.Error(msg)
			}
		})
	})
}

// stressInputs are shared by all goroutines and only read.
type stressInputs struct {
	x, y, z, a, b []float32
}

const (
	stressN = 1003 // not a multiple of any vector width
	stressM = 37
	stressK = 29
)

func newStressInputs() *stressInputs {
	r := newRand(42)
	in := &stressInputs{
		x: make([]float32, stressN), y: make([]float32, stressN), z: make([]float32, stressN),
		a: make([]float32, stressM*stressK), b: make([]float32, stressK*stressM),
	}
	fillUnit(r, in.x)
	fillUnit(r, in.y)
	fillUnit(r, in.a)
	fillUnit(r, in.b)
	for i := range in.z {
		in.z[i] = 240*unit(r.Uint32()) + 0.5
	}
	return in
}

// stressOutputs holds every kernel's result for one run.
type stressOutputs struct {
	vecs  map[string][]float32
	dot   float32
	sumSq float64
}

func (in *stressInputs) run() *stressOutputs {
	o := &stressOutputs{vecs: map[string][]float32{}}
	v := func(name string, n int) []float32 {
		s := make([]float32, n)
		o.vecs[name] = s
		return s
	}
	deltacore.Sigmoid(v("sigmoid", stressN), in.z)
	deltacore.SigmoidPrime(v("sigmoidPrime", stressN), in.z)
	d := v("mulSigmoidPrime", stressN)
	copy(d, in.x)
	deltacore.MulSigmoidPrime(d, in.z)
	y := v("axpy", stressN)
	copy(y, in.y)
	deltacore.Axpy(0.37, in.x, y)
	s := v("scal", stressN)
	copy(s, in.x)
	deltacore.Scal(-1.7, s)
	o.dot = deltacore.Dot(in.x, in.y)
	o.sumSq = deltacore.SumSquares(in.z)
	deltacore.ColSums(v("colSums", stressK), in.a, stressM, stressK, stressK)
	c := v("sgemm", stressM*stressM)
	copy(c, in.x)
	deltacore.Sgemm(deltacore.NoTrans, deltacore.NoTrans, stressM, stressM, stressK, 0.5, in.a, stressK, in.b, stressM, -1, c, stressM)
	zf := v("denseZ", stressM*stressM)
	deltacore.DenseForward(stressM, stressM, stressK, in.a, stressK, in.a, stressK, in.x[:stressM],
		zf, stressM, v("denseAct", stressM*stressM), stressM)
	db := v("denseBackward", stressM*stressK)
	copy(db, in.z)
	deltacore.DenseBackward(stressM, stressK, stressK, in.a, stressK, in.b, stressK, db, stressK, db, stressK)
	return o
}

// diff returns "" if o and p are bit-identical, else the first difference.
func (o *stressOutputs) diff(p *stressOutputs) string {
	if math.Float32bits(o.dot) != math.Float32bits(p.dot) {
		return "Dot differs: serial " + f32(o.dot) + ", concurrent " + f32(p.dot)
	}
	if math.Float64bits(o.sumSq) != math.Float64bits(p.sumSq) {
		return "SumSquares differs"
	}
	for name, want := range o.vecs {
		got := p.vecs[name]
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				return fmt.Sprintf("%s differs at %d: serial %s, concurrent %s", name, i, f32(want[i]), f32(got[i]))
			}
		}
	}
	return ""
}
