package study

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deltacore/deltacore/mlp"
)

// Optimizer names a training method of a sweep.
type Optimizer string

// The optimisers of a sweep: plain SGD, classical momentum, and Nesterov
// momentum with Sutskever et al.'s (2013) schedule μ_t capped at μ.
const (
	OptSGD      Optimizer = "sgd"
	OptMomentum Optimizer = "momentum"
	OptNesterov Optimizer = "nesterov"
)

// ParseOptimizer returns the optimiser with the given name.
func ParseOptimizer(s string) (Optimizer, error) {
	switch o := Optimizer(s); o {
	case OptSGD, OptMomentum, OptNesterov:
		return o, nil
	}
	return "", fmt.Errorf("study: unknown optimiser %q (want sgd, momentum or nesterov)", s)
}

// SweepConfig is the grid of a sweep: every combination of depth,
// initialiser, activation, optimiser and seed is trained on the same data.
type SweepConfig struct {
	Inputs, Outputs int
	Width           int   // units per hidden layer
	Depths          []int // numbers of hidden layers
	Inits           []mlp.Initializer
	Activations     []mlp.Activation
	Optimizers      []Optimizer
	Seeds           int
	Epochs          int
	Batch           int
	Eta, Lambda, Mu float64
	// Trainability, when set, makes the sweep Schoenholz et al.'s
	// trainability experiment (TrainabilityConfig.Sweep): each run is a
	// cell of depth L = Depths[i] (layers with weights, not hidden layers)
	// and initialiser Inits[j] = meanfield:SigmaW2s[j],σ_b², trained for
	// Steps steps with softmax outputs and scored by its training accuracy.
	Trainability *TrainabilitySpec
	Threads      int
	Progress     func(n int)
}

// SweepRun is one trained network of a sweep.
type SweepRun struct {
	Depth      int       `json:"depth"`
	Init       string    `json:"init"`
	Activation string    `json:"activation"`
	Optimizer  Optimizer `json:"optimizer"`
	Seed       int       `json:"seed"`
	// SpeedsInit and SpeedsEnd are the hidden layers' ‖∂C/∂bˡ‖ over the
	// whole data set before and after training.
	SpeedsInit []float64 `json:"speeds_init"`
	SpeedsEnd  []float64 `json:"speeds_end"`
	// RatioInit and RatioEnd are ‖∂C/∂b¹‖/‖∂C/∂bᴸ⁻¹‖: how much slower the
	// first hidden layer learns than the last (< 1: vanishing).
	RatioInit float64 `json:"ratio_first_last_init"`
	RatioEnd  float64 `json:"ratio_first_last_end"`
	CostInit  float64 `json:"cost_init"`
	Cost      float64 `json:"cost"`
	Accuracy  float64 `json:"accuracy"`
	// Diverged is set when a weight became NaN or infinite.
	Diverged bool `json:"diverged"`
}

// Sweep trains every combination of the grid on data, spread over
// cfg.Threads goroutines (each run on one goroutine, so the results do not
// depend on the thread count), and returns the runs in grid order.
func Sweep(data *mlp.Dataset, cfg SweepConfig) ([]SweepRun, error) {
	runs, inits, err := sweepGridRuns(cfg)
	if err != nil {
		return nil, err
	}
	all := make([]int, len(runs))
	for i := range all {
		all[i] = i
	}
	err = sweepSubset(data, cfg, runs, inits, all, nil)
	return runs, err
}

// sweepGridRuns returns the grid's runs, in grid order, with only their
// grid point and seed set, and the initialiser of each.
func sweepGridRuns(cfg SweepConfig) ([]SweepRun, []mlp.Initializer, error) {
	if cfg.Seeds < 1 || cfg.Epochs < 0 || cfg.Width < 1 {
		return nil, nil, fmt.Errorf("study: sweep needs seeds ≥ 1, epochs ≥ 0 and width ≥ 1")
	}
	var runs []SweepRun
	var inits []mlp.Initializer
	for _, d := range cfg.Depths {
		if d < 1 {
			return nil, nil, fmt.Errorf("study: sweep depth %d: need at least one hidden layer", d)
		}
		for _, in := range cfg.Inits {
			for _, a := range cfg.Activations {
				for _, o := range cfg.Optimizers {
					for s := 0; s < cfg.Seeds; s++ {
						runs = append(runs, SweepRun{Depth: d, Init: in.String(), Activation: a.String(), Optimizer: o, Seed: s})
						inits = append(inits, in)
					}
				}
			}
		}
	}
	return runs, inits, nil
}

// sweepSubset trains the runs whose grid indices are in todo, most
// expensive first (so that the last runs, which leave threads idle, are the
// short ones), over cfg.Threads goroutines. done, when not nil, is called
// after each successful run, one call at a time, with the run's index and
// wall time; an error from it stops the sweep.
func sweepSubset(data *mlp.Dataset, cfg SweepConfig, runs []SweepRun, inits []mlp.Initializer, todo []int,
	done func(i int, wall time.Duration) error) error {
	if cfg.Threads <= 0 {
		cfg.Threads = runtime.GOMAXPROCS(0)
	}
	order := slices.Clone(todo)
	cost := func(i int) int64 { return cfg.runFLOPs(runs[i].Depth, data.Len()) }
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(cost(b), cost(a)) })
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for t := 0; t < min(cfg.Threads, len(order)); t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(order) {
					return
				}
				mu.Lock()
				stop := firstErr != nil
				mu.Unlock()
				if stop {
					return
				}
				i := order[k]
				t0 := time.Now()
				var err error
				if cfg.Trainability != nil {
					err = trainabilityRun(data, cfg, &runs[i])
				} else {
					err = sweepOne(data, cfg, &runs[i], inits[i])
				}
				wall := time.Since(t0)
				mu.Lock()
				if err == nil && done != nil {
					err = done(i, wall)
				}
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if cfg.Progress != nil {
					cfg.Progress(1)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

func sweepOne(data *mlp.Dataset, cfg SweepConfig, r *SweepRun, init mlp.Initializer) error {
	sizes := []int{cfg.Inputs}
	for i := 0; i < r.Depth; i++ {
		sizes = append(sizes, cfg.Width)
	}
	sizes = append(sizes, cfg.Outputs)
	act, err := mlp.ParseActivation(r.Activation)
	if err != nil {
		return err
	}
	net, err := mlp.New(mlp.Config{Sizes: sizes, Hidden: act})
	if err != nil {
		return err
	}
	seed := uint64(r.Seed)
	net.Init(init, seed)
	eval, err := mlp.NewWorkspace(net, min(data.Len(), 1000))
	if err != nil {
		return err
	}
	speeds := func() ([]float64, error) {
		c, err := SpeedCurve(net, data, 0, 0, 0)
		if err != nil {
			return nil, err
		}
		return c[0], nil
	}
	if r.SpeedsInit, err = speeds(); err != nil {
		return err
	}
	res, err := mlp.Evaluate(eval, data, 0, 0)
	if err != nil {
		return err
	}
	r.CostInit = res.Cost
	opt := mlp.SGD{Eta: cfg.Eta, Lambda: cfg.Lambda, BatchSize: cfg.Batch, Seed: seed}
	switch r.Optimizer {
	case OptMomentum:
		opt.Momentum = cfg.Mu
	case OptNesterov:
		opt.Momentum, opt.Nesterov, opt.MomentumSchedule = cfg.Mu, true, true
	}
	tr, err := mlp.NewTrainer(net, opt, data)
	if err != nil {
		return err
	}
	for e := 0; e < cfg.Epochs; e++ {
		if err := tr.Epoch(nil); err != nil {
			return err
		}
		if net.CheckFinite() != nil {
			r.Diverged = true
			break
		}
	}
	r.RatioInit = r.SpeedsInit[0] / r.SpeedsInit[len(r.SpeedsInit)-1]
	if r.Diverged {
		r.Cost, r.Accuracy, r.RatioEnd = math.NaN(), math.NaN(), math.NaN()
		return nil
	}
	if r.SpeedsEnd, err = speeds(); err != nil {
		return err
	}
	r.RatioEnd = r.SpeedsEnd[0] / r.SpeedsEnd[len(r.SpeedsEnd)-1]
	res, err = mlp.Evaluate(eval, data, 0, 0)
	if err != nil {
		return err
	}
	r.Cost, r.Accuracy = res.Cost, res.Accuracy
	return nil
}

// SweepGroup is the median over seeds of one grid point.
type SweepGroup struct {
	Depth                          int
	Init, Activation               string
	Optimizer                      Optimizer
	RatioInit, RatioEnd, Cost, Acc float64
	Diverged                       int
}

// SummariseSweep groups runs over seeds and returns the medians, in grid
// order.
func SummariseSweep(runs []SweepRun) []SweepGroup {
	type key struct {
		d    int
		i, a string
		o    Optimizer
	}
	idx := map[key]int{}
	var gs []SweepGroup
	var cols [][4][]float64
	for _, r := range runs {
		k := key{r.Depth, r.Init, r.Activation, r.Optimizer}
		j, ok := idx[k]
		if !ok {
			j = len(gs)
			idx[k] = j
			gs = append(gs, SweepGroup{Depth: r.Depth, Init: r.Init, Activation: r.Activation, Optimizer: r.Optimizer})
			cols = append(cols, [4][]float64{})
		}
		if r.Diverged {
			gs[j].Diverged++
		}
		c := &cols[j]
		c[0] = append(c[0], r.RatioInit)
		c[1] = append(c[1], r.RatioEnd)
		c[2] = append(c[2], r.Cost)
		c[3] = append(c[3], r.Accuracy)
	}
	for j := range gs {
		c := cols[j]
		gs[j].RatioInit, gs[j].RatioEnd = Quantile(c[0], 0.5), Quantile(c[1], 0.5)
		gs[j].Cost, gs[j].Acc = Quantile(c[2], 0.5), Quantile(c[3], 0.5)
	}
	return gs
}

// SweepFigures returns the summary plots: per activation, the median ratio
// ‖∂C/∂b¹‖/‖∂C/∂bᴸ⁻¹‖ at initialisation against depth (one line per
// initialiser), and the median final cost against depth (one line per
// initialiser and optimiser).
func SweepFigures(gs []SweepGroup) map[string]Figure {
	figs := map[string]Figure{}
	collect := func(act string, name func(g SweepGroup) string, val func(g SweepGroup) float64) []Series {
		lines := map[string]map[int]float64{}
		var order []string
		for _, g := range gs {
			if g.Activation != act {
				continue
			}
			n := name(g)
			if lines[n] == nil {
				lines[n] = map[int]float64{}
				order = append(order, n)
			}
			lines[n][g.Depth] = val(g)
		}
		var ss []Series
		for _, n := range order {
			var ds []int
			for d := range lines[n] {
				ds = append(ds, d)
			}
			sort.Ints(ds)
			s := Series{Name: n}
			for _, d := range ds {
				s.X = append(s.X, float64(d))
				s.Y = append(s.Y, lines[n][d])
			}
			ss = append(ss, s)
		}
		return ss
	}
	acts := map[string]bool{}
	for _, g := range gs {
		if acts[g.Activation] {
			continue
		}
		acts[g.Activation] = true
		a := g.Activation
		figs["sweep-ratio-"+a] = Figure{
			Title:  "‖∂C/∂b¹‖ / ‖∂C/∂b of the last hidden layer‖ at initialisation (" + a + ", median over seeds)",
			XLabel: "hidden layers", YLabel: "ratio (< 1: the first layer learns slower)", LogY: true,
			Series: collect(a, func(g SweepGroup) string { return g.Init }, func(g SweepGroup) float64 { return g.RatioInit }),
		}
		figs["sweep-cost-"+a] = Figure{
			Title:  "cost after training (" + a + ", median over seeds)",
			XLabel: "hidden layers", YLabel: "training cost", LogY: true,
			Series: collect(a, func(g SweepGroup) string { return g.Init + " " + string(g.Optimizer) }, func(g SweepGroup) float64 { return g.Cost }),
		}
	}
	return figs
}

// SweepRows returns the runs as CSV rows, with the header.
func SweepRows(runs []SweepRun) ([]string, [][]string) {
	h := []string{"depth", "init", "activation", "optimizer", "seed", "ratio_init", "ratio_end", "cost_init", "cost", "accuracy", "diverged"}
	var rows [][]string
	for _, r := range runs {
		rows = append(rows, []string{strconv.Itoa(r.Depth), r.Init, r.Activation, string(r.Optimizer), strconv.Itoa(r.Seed),
			fmtF(r.RatioInit), fmtF(r.RatioEnd), fmtF(r.CostInit), fmtF(r.Cost), fmtF(r.Accuracy), strconv.FormatBool(r.Diverged)})
	}
	return h, rows
}
