package deltacore

import (
	"fmt"
	"testing"
)

func BenchmarkTanh(b *testing.B) { sigBench(b, 8, Tanh) }

func BenchmarkTanhPrime(b *testing.B) { sigBench(b, 8, TanhPrime) }

func BenchmarkMulTanhPrime(b *testing.B) { sigBench(b, 12, MulTanhPrime) }

// BenchmarkDenseAct is the fused forward and backward steps with σ and with
// tanh side by side, on Nielsen's layer shapes and on the width-300 layers
// of the trainability study (batch 128), for the tanh/σ speed ratio.
func BenchmarkDenseAct(b *testing.B) {
	defer SetGemmThreads(SetGemmThreads(1))
	forEachBenchLevel(b, func(b *testing.B) {
		for _, s := range [][3]int{{10, 30, 784}, {1000, 30, 30}, {128, 300, 300}} {
			m, n, k := s[0], s[1], s[2]
			x, w, bias := benchRand(m*k), benchRand(n*k), benchRand(n)
			z, act := benchRand(m*n), benchRand(m*n)
			dn, wn := benchRand(m*k), benchRand(k*n)
			for _, f := range []Activation{ActSigmoid, ActTanh} {
				b.Run(fmt.Sprintf("op=forward/act=%v/m=%d,n=%d,k=%d", f, m, n, k), func(b *testing.B) {
					for b.Loop() {
						DenseForwardAct(f, m, n, k, x, k, w, k, bias, z, n, act, n)
					}
					reportGemm(b, m, n, k)
				})
				b.Run(fmt.Sprintf("op=backward/act=%v/m=%d,n=%d,k=%d", f, m, n, k), func(b *testing.B) {
					for b.Loop() {
						DenseBackwardAct(f, m, n, k, dn, k, wn, n, z, n, act, n)
					}
					reportGemm(b, m, n, k)
				})
			}
		}
	})
}
