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

// BenchmarkShardOverhead measures what sharding costs: each iteration runs
// the same grid (240 runs of the CLI's default size: 1000 samples, width 30,
// 5 epochs, depths 1 to 5; 1.1 to 1.2 GFLOP each) unsharded (Sweep) and as
// N shards one after the other
// (RunShard into fresh files, so with checkpoints and the final writes),
// alternating which goes first to share the machine's noise, and reports
// the ratio of the sharded time to the unsharded one (≤ 1.05 is the goal):
// of the total wall times, of the fastest iterations' wall times (-min),
// and of the process's CPU time (user + system, all threads; on a shared
// machine the steadiest of the three).
//
//	go test ./mlp/study -run '^$' -bench ShardOverhead -benchtime 4x
func BenchmarkShardOverhead(b *testing.B) {
	data := testData(1000, 784, 10)
	cfg := SweepConfig{Inputs: 784, Outputs: 10, Width: 30, Depths: []int{1, 2, 3, 4, 5},
		Inits:       []mlp.Initializer{mlp.NielsenDefault, mlp.GlorotNormalized},
		Activations: []mlp.Activation{mlp.Sigmoid, mlp.ReLU},
		Optimizers:  []Optimizer{OptSGD, OptNesterov},
		Seeds:       6, Epochs: 5, Batch: 100, Eta: 0.1, Mu: 0.9}
	for _, threads := range []int{1, runtime.GOMAXPROCS(0)} {
		for _, n := range []int{4, 8} {
			b.Run(fmt.Sprintf("threads=%d/shards=%d", threads, n), func(b *testing.B) {
				cfg := cfg
				cfg.Threads = threads
				var whole, sharded, wholeCPU, shardedCPU time.Duration
				minWhole, minSharded := time.Duration(1<<62), time.Duration(1<<62)
				var saves int
				var saveTime float64
				unsharded := func() {
					t0, c0 := time.Now(), cpuTime()
					if _, err := Sweep(data, cfg); err != nil {
						b.Fatal(err)
					}
					dt := time.Since(t0)
					whole += dt
					wholeCPU += cpuTime() - c0
					minWhole = min(minWhole, dt)
				}
				shardedRun := func() {
					dir := b.TempDir()
					t0, c0 := time.Now(), cpuTime()
					for k := 0; k < n; k++ {
						rep, err := RunShard(context.Background(), data, cfg, ShardConfig{Shard: k, Shards: n, Path: ShardPath(dir, k, n)})
						if err != nil {
							b.Fatal(err)
						}
						saves += rep.Saves
						saveTime += rep.SaveSeconds
					}
					dt := time.Since(t0)
					sharded += dt
					shardedCPU += cpuTime() - c0
					minSharded = min(minSharded, dt)
				}
				for i := 0; i < b.N; i++ {
					// Alternate which goes first, so that neither always
					// meets the machine in the same state.
					if i%2 == 0 {
						unsharded()
						shardedRun()
					} else {
						shardedRun()
						unsharded()
					}
				}
				b.ReportMetric(minSharded.Seconds()/minWhole.Seconds(), "sharded/unsharded-min")
				g := NewSweepGrid(data, cfg)
				b.ReportMetric(float64(saves)/float64(b.N*n), "writes/shard")
				b.ReportMetric(saveTime/float64(b.N), "write-s")
				b.ReportMetric(sharded.Seconds()/whole.Seconds(), "sharded/unsharded")
				b.ReportMetric(shardedCPU.Seconds()/wholeCPU.Seconds(), "sharded/unsharded-cpu")
				b.ReportMetric(whole.Seconds()/float64(b.N), "unsharded-s")
				b.ReportMetric(sharded.Seconds()/float64(b.N), "sharded-s")
				b.ReportMetric(float64(g.FLOPs())/whole.Seconds()*float64(b.N)/1e9, "GFLOP/s")
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
