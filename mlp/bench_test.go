package mlp

import (
	"fmt"
	"testing"

	"github.com/deltacore/deltacore"
)

// BenchmarkTrainStep measures one forward + backward + SGD step of
// [784,30,30,30,10], sigmoid, cross-entropy, on one thread, at batch 10 and
// 1000, on every kernel level. It reports samples/s and the effective
// GFLOP/s of the three products per layer (forward, δ, ∂C/∂w).
func BenchmarkTrainStep(b *testing.B) {
	sizes := []int{784, 30, 30, 30, 10}
	flopsPerSample := 0.0
	for l := 1; l < len(sizes); l++ {
		flopsPerSample += 3 * 2 * float64(sizes[l]*sizes[l-1])
	}
	for _, lv := range deltacore.Levels() {
		for _, m := range []int{10, 1000} {
			b.Run(fmt.Sprintf("isa=%v/batch=%d", lv, m), func(b *testing.B) {
				old := deltacore.CurrentLevel()
				if err := deltacore.SetLevel(lv); err != nil {
					b.Fatal(err)
				}
				defer deltacore.SetLevel(old)
				net, _ := New(Config{Sizes: sizes})
				net.Init(NielsenDefault, 1)
				data := toyData(m, 784, 10, 1)
				tr, err := NewTrainer(net, SGD{Eta: 0.1, Lambda: 5, BatchSize: m, N: 60000}, data)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := tr.Step(data.X, data.Labels, nil); err != nil {
						b.Fatal(err)
					}
				}
				sps := float64(m) * float64(b.N) / b.Elapsed().Seconds()
				b.ReportMetric(sps, "samples/s")
				b.ReportMetric(sps*flopsPerSample/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkForwardBackward is the study's workload: forward and backward
// over 1000 samples of [784,30,30,30,10] without an update.
func BenchmarkForwardBackward(b *testing.B) {
	sizes := []int{784, 30, 30, 30, 10}
	net, _ := New(Config{Sizes: sizes})
	net.Init(NielsenDefault, 1)
	const m = 1000
	data := toyData(m, 784, 10, 1)
	ws, _ := NewWorkspace(net, m)
	b.ReportAllocs()
	for b.Loop() {
		ws.Forward(data.X)
		ws.BackwardLabels(data.Labels)
	}
	b.ReportMetric(float64(m)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}
