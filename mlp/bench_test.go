package mlp

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/deltacore/deltacore"
)

// BenchmarkTrainStep measures one forward + backward + SGD step of
// [784,30,30,30,10], sigmoid, cross-entropy, on one thread, at batch 10 and
// 1000, on every kernel level. It reports samples/s and the effective
// GFLOP/s of the three products per layer (forward, δ, ∂C/∂w).
//
// That GFLOP/s counts layer 1's δ·W, which is never computed (δ⁰ is not
// needed): for this network it is 1.44× the work done. cpu-GFLOP/s counts
// the products computed, as study.PassFlops does (so it compares with the
// rate `deltacore study` prints), and, with cpu-samples/s, divides by the
// benchmark goroutine's thread CPU time instead of wall time, which the
// other processes of a shared machine disturb much less.
func BenchmarkTrainStep(b *testing.B) {
	sizes := []int{784, 30, 30, 30, 10}
	flopsPerSample, doneFlopsPerSample := 0.0, 0.0
	for l := 1; l < len(sizes); l++ {
		flopsPerSample += 3 * 2 * float64(sizes[l]*sizes[l-1])
		mul := 3.0
		if l == 1 {
			mul = 2
		}
		doneFlopsPerSample += mul * 2 * float64(sizes[l]*sizes[l-1])
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
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				c0, ok := threadTime()
				for b.Loop() {
					if err := tr.Step(data.X, data.Labels, nil); err != nil {
						b.Fatal(err)
					}
				}
				c1, _ := threadTime()
				sps := float64(m) * float64(b.N) / b.Elapsed().Seconds()
				b.ReportMetric(sps, "samples/s")
				b.ReportMetric(sps*flopsPerSample/1e9, "GFLOP/s")
				if ok && c1 > c0 {
					cps := float64(m) * float64(b.N) / (c1 - c0)
					b.ReportMetric(cps, "cpu-samples/s")
					b.ReportMetric(cps*doneFlopsPerSample/1e9, "cpu-GFLOP/s")
				}
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

// BenchmarkGroupStep trains three networks on the same batch of 1000 on one
// thread, each with its own Trainer.Step (group=1), together with
// Group.Step (group=3) or with Group.StepBatch (group=3/batch): the
// networks are [784,30,30,30,10] three times (same) or one each of
// `deltacore study`'s three depths (study, each with an observer, as the
// study has); cpu-GFLOP/s as in BenchmarkTrainStep.
func BenchmarkGroupStep(b *testing.B) {
	const m, nets = 1000, 3
	data := toyData(m, 784, 10, 1)
	for _, mix := range []string{"same", "study"} {
		sizes := [][]int{{784, 30, 30, 30, 10}, {784, 30, 30, 30, 10}, {784, 30, 30, 30, 10}}
		if mix == "study" {
			sizes = [][]int{{784, 30, 30, 10}, {784, 30, 30, 30, 10}, {784, 30, 30, 30, 30, 10}}
		}
		done := 0.0
		for _, s := range sizes {
			for l := 1; l < len(s); l++ {
				mul := 3.0
				if l == 1 {
					mul = 2
				}
				done += mul * 2 * float64(s[l]*s[l-1])
			}
		}
		for _, mode := range []string{"group=1", "group=3", "group=3/batch"} {
			b.Run(mix+"/"+mode, func(b *testing.B) {
				trs := make([]*Trainer, nets)
				for i := range trs {
					net, _ := New(Config{Sizes: sizes[i]})
					net.Init(NielsenDefault, uint64(i+1))
					tr, err := NewTrainer(net, SGD{Eta: 0.1, Lambda: 5, NoShuffle: true}, data)
					if err != nil {
						b.Fatal(err)
					}
					if mix == "study" {
						tr.WS.Observe(func(p *Pass) { _ = p.Speed(1) })
					}
					trs[i] = tr
				}
				g, _ := NewGroup(trs...)
				bt, err := NewBatch(data.X, 784)
				if err != nil {
					b.Fatal(err)
				}
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				c0, ok := threadTime()
				for b.Loop() {
					switch mode {
					case "group=3":
						err = g.Step(data.X, data.Labels, nil)
					case "group=3/batch":
						err = g.StepBatch(bt, data.Labels, nil)
					default:
						for _, tr := range trs {
							if err = tr.Step(data.X, data.Labels, nil); err != nil {
								break
							}
						}
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				c1, _ := threadTime()
				if ok && c1 > c0 {
					b.ReportMetric(float64(m)*done*float64(b.N)/(c1-c0)/1e9, "cpu-GFLOP/s")
				}
			})
		}
	}
}
