//go:build linux && amd64 && !purego

package deltacore

import (
	"fmt"
	"runtime"
	"testing"
)

// BenchmarkNetShape is the three products of a tanh layer of the
// trainability study (width 300, batch 128) — the fused forward x·Wᵀ + b,
// tanh; the fused backward δ·W ⊙ tanh′; the weight gradient δᵀ·a — and the
// forward of TrainStep's first layer at batch 1000. The forward runs with
// the bias in the kernel (bias=kernel) and added after it in Go
// (bias=go). The kernel cases run the level's micro-kernel alone on a full
// tile against a packed k×NR panel, with A read in place (rsa = k) as the
// direct path does, and from a packed MR-interleaved copy. cpu-GFLOP/s
// divides by the thread's CPU time, which the other processes of a shared
// machine disturb less than the wall time.
func BenchmarkNetShape(b *testing.B) {
	defer SetGemmThreads(SetGemmThreads(1))
	run := func(b *testing.B, m, n, k int, f func()) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		c0 := threadCPU()
		for b.Loop() {
			f()
		}
		c1 := threadCPU()
		reportGemm(b, m, n, k)
		b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/(c1-c0).Seconds()/1e9, "cpu-GFLOP/s")
	}
	forEachBenchLevel(b, func(b *testing.B) {
		if CurrentLevel() == Generic {
			b.Skip("generic")
		}
		kern, _ := defaultEngine.orDefault().kernels()
		// TrainStep's weight gradient at batch 1000 (δᵀ·x) and its first
		// layer's product; a square product on the packed path.
		for _, s := range []struct {
			op      string
			m, n, k int
		}{{"TN", 30, 784, 1000}, {"NT", 1000, 30, 784}, {"TN", 30, 30, 1000}, {"NN", 1000, 30, 30}, {"NN", 512, 512, 512}} {
			tA, tB := Transpose(s.op[0]), Transpose(s.op[1])
			lda, ldb := packedLD(tA, tB, s.m, s.n, s.k)
			a, bb, c := benchRand(s.m*s.k), benchRand(s.k*s.n), benchRand(s.m*s.n)
			b.Run(fmt.Sprintf("op=sgemm%s/m=%d,n=%d,k=%d", s.op, s.m, s.n, s.k), func(b *testing.B) {
				run(b, s.m, s.n, s.k, func() { Sgemm(tA, tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n) })
			})
		}
		for _, s := range [][3]int{{128, 300, 300}, {1000, 30, 784}} {
			m, n, k := s[0], s[1], s[2]
			x, w, bias := benchRand(m*k), benchRand(n*k), benchRand(n)
			z, act, d := benchRand(m*n), benchRand(m*n), benchRand(m*n)
			for _, bk := range []string{"kernel", "go"} {
				b.Run(fmt.Sprintf("op=forward/m=%d,n=%d,k=%d/bias=%s", m, n, k, bk), func(b *testing.B) {
					if bk == "go" {
						defer func(f func(k, mr, nr int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha float32, bias []float32)) {
							kern.fnBias = f
						}(kern.fnBias)
						kern.fnBias = nil
					}
					run(b, m, n, k, func() { DenseForwardAct(ActTanh, m, n, k, x, k, w, k, bias, z, n, act, n) })
				})
			}
			if m != 128 {
				continue
			}
			b.Run(fmt.Sprintf("op=backward/m=%d,n=%d,k=%d", m, n, k), func(b *testing.B) {
				run(b, m, n, k, func() { DenseBackwardAct(ActTanh, m, n, k, x, k, w, n, z, n, d, n) })
			})
			// The weights of a deep network do not stay in cache: cycle
			// through 64 W (23 MiB), as the layers of a depth-100 cell do.
			ws := make([][]float32, 64)
			for i := range ws {
				ws[i] = benchRand(n * k)
			}
			b.Run(fmt.Sprintf("op=forward-coldw/m=%d,n=%d,k=%d", m, n, k), func(b *testing.B) {
				i := 0
				run(b, m, n, k, func() {
					DenseForwardAct(ActTanh, m, n, k, x, k, ws[i%64], k, bias, z, n, act, n)
					i++
				})
			})
			b.Run(fmt.Sprintf("op=backward-coldw/m=%d,n=%d,k=%d", m, n, k), func(b *testing.B) {
				i := 0
				run(b, m, n, k, func() {
					DenseBackwardAct(ActTanh, m, n, k, x, k, ws[i%64], n, z, n, d, n)
					i++
				})
			})
			b.Run(fmt.Sprintf("op=gradw/m=%d,n=%d,k=%d", n, k, m), func(b *testing.B) {
				gw := make([]float32, n*k)
				run(b, n, k, m, func() { Sgemm(Trans, NoTrans, n, k, m, 1, d, n, x, k, 0, gw, k) })
			})
			for _, op := range []string{"NN", "NT"} {
				b.Run(fmt.Sprintf("op=sgemm%s/m=%d,n=%d,k=%d", op, m, n, k), func(b *testing.B) {
					run(b, m, n, k, func() { Sgemm(NoTrans, Transpose(op[1]), m, n, k, 1, x, k, w, n, 0, z, n) })
				})
			}
			MR, NR := kern.mr, kern.nr
			bp, ap := benchRand(k*NR), benchRand(MR*k)
			for _, a := range []struct {
				name     string
				rsa, csa int
				a        []float32
			}{{"inplace", k, 1, x}, {"packedA", 1, MR, ap}} {
				b.Run(fmt.Sprintf("op=kernel/a=%s", a.name), func(b *testing.B) {
					c := make([]float32, MR*NR)
					run(b, MR, NR, k, func() { kern.fn(k, MR, NR, a.a, a.rsa, a.csa, bp, NR, c, NR, 1, 0) })
				})
			}
		}
	})
}
