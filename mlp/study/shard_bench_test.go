//go:build unix

package study

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/deltacore/deltacore/mlp"
)

// BenchmarkShardOverhead measures what sharding costs on a grid of 120 runs
// of the CLI's default size (1000 samples, width 30, 5 epochs, depths 1 to 5;
// 1.1 to 1.3 GFLOP each). Each iteration trains the grid three times:
//
//   - whole: unsharded (Sweep);
//   - sharded: as N shards one after the other (RunShard into fresh files,
//     with the checkpoints and the final writes);
//   - plain: each shard's runs trained as Sweep trains them, without files,
//     each right before or after (alternating) the shard itself, so that
//     shard and plain meet the same machine.
//
// It reports sharded/unsharded (the goal: ≤ 1.05) and shard/plain, the cost
// of the shard machinery alone, each in wall time and in the process's CPU
// time (user + system, all threads). On a machine shared with other work the
// CPU-time and paired ratios are the steadier ones.
//
//	go test ./mlp/study -run '^$' -bench ShardOverhead -benchtime 3x
func BenchmarkShardOverhead(b *testing.B) {
	data := testData(1000, 784, 10)
	cfg := SweepConfig{Inputs: 784, Outputs: 10, Width: 30, Depths: []int{1, 2, 3, 4, 5},
		Inits:       []mlp.Initializer{mlp.NielsenDefault, mlp.GlorotNormalized},
		Activations: []mlp.Activation{mlp.Sigmoid, mlp.ReLU},
		Optimizers:  []Optimizer{OptSGD, OptNesterov},
		Seeds:       3, Epochs: 5, Batch: 100, Eta: 0.1, Mu: 0.9}
	for _, threads := range []int{1, runtime.GOMAXPROCS(0)} {
		for _, n := range []int{4, 8} {
			b.Run(fmt.Sprintf("threads=%d/shards=%d", threads, n), func(b *testing.B) {
				cfg := cfg
				cfg.Threads = threads
				g := NewSweepGrid(data, cfg)
				assign := g.AssignShards(n)
				mine := make([][]int, n)
				for i, k := range assign {
					mine[k] = append(mine[k], i)
				}
				var t [3]struct{ wall, cpu time.Duration } // whole, sharded, plain
				timed := func(j int, f func()) {
					t0, c0 := time.Now(), cpuTime()
					f()
					t[j].wall += time.Since(t0)
					t[j].cpu += cpuTime() - c0
				}
				var saves int
				var saveTime float64
				for i := 0; i < b.N; i++ {
					timed(0, func() {
						if _, err := Sweep(data, cfg); err != nil {
							b.Fatal(err)
						}
					})
					dir := b.TempDir()
					for k := 0; k < n; k++ {
						shard := func() {
							rep, err := RunShard(context.Background(), data, cfg, ShardConfig{Shard: k, Shards: n, Path: ShardPath(dir, k, n)})
							if err != nil {
								b.Fatal(err)
							}
							saves += rep.Saves
							saveTime += rep.SaveSeconds
						}
						plain := func() {
							runs, inits, err := sweepGridRuns(cfg)
							if err != nil {
								b.Fatal(err)
							}
							if err := sweepSubset(data, cfg, runs, inits, mine[k], nil); err != nil {
								b.Fatal(err)
							}
						}
						if (i+k)%2 == 0 {
							timed(1, shard)
							timed(2, plain)
						} else {
							timed(2, plain)
							timed(1, shard)
						}
					}
				}
				b.ReportMetric(t[1].wall.Seconds()/t[0].wall.Seconds(), "sharded/unsharded")
				b.ReportMetric(t[1].cpu.Seconds()/t[0].cpu.Seconds(), "sharded/unsharded-cpu")
				b.ReportMetric(t[1].wall.Seconds()/t[2].wall.Seconds(), "shard/plain")
				b.ReportMetric(t[1].cpu.Seconds()/t[2].cpu.Seconds(), "shard/plain-cpu")
				b.ReportMetric(t[0].wall.Seconds()/float64(b.N), "unsharded-s")
				b.ReportMetric(float64(saves)/float64(b.N*n), "writes/shard")
				b.ReportMetric(saveTime/float64(b.N), "write-s")
				b.ReportMetric(float64(g.FLOPs())/t[0].wall.Seconds()*float64(b.N)/1e9, "GFLOP/s")
			})
		}
	}
}

// cpuTime returns the process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
