package study

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp"
)

// The book's experiment (Nielsen, Neural Networks and Deep Learning, ch. 5,
// and the code behind it): the first 1000 MNIST training images, sigmoid
// units, cross-entropy cost, the default initialiser N(0, 1/n_in) for weights
// and N(0, 1) for biases. The "speed of learning" of hidden layer l is
// ‖∂C/∂bˡ‖, the Euclidean norm of δˡ averaged (mean, not sum) over the
// images. During training the network takes full-batch gradient-descent
// steps with η = 0.1 and L2 weight decay λ = 5 (n = 1000), and the speeds
// are recorded before each step.

// BookNets are the three networks of the book's experiment.
var BookNets = [][]int{
	{784, 30, 30, 10},
	{784, 30, 30, 30, 10},
	{784, 30, 30, 30, 30, 10},
}

// BookSpeeds are the speeds at initialisation that the book reports for
// BookNets (one random draw each), hidden layer 1 first.
var BookSpeeds = [][]float64{
	{0.0657, 0.309},
	{0.0118, 0.0600, 0.283},
	{0.00298, 0.0171, 0.0695, 0.285},
}

// BookSpeedsFor returns the book's speeds for a network, or nil if the book
// has none for those sizes.
func BookSpeedsFor(sizes []int) []float64 {
	for i, s := range BookNets {
		if slices.Equal(s, sizes) {
			return BookSpeeds[i]
		}
	}
	return nil
}

// The book's training parameters: η and λ of its full-batch gradient
// descent.
const (
	BookEta    = 0.1
	BookLambda = 5.0
)

// SpeedConfig configures the speed-of-learning experiment. The zero values
// of its fields mean the book's protocol.
type SpeedConfig struct {
	Nets       [][]int // default BookNets
	InitSeeds  int     // networks drawn per size for the speeds at initialisation; default 100
	TrainSeeds int     // networks trained per size for the curves; default 20 (0 < TrainSeeds ≤ InitSeeds)
	Steps      int     // gradient-descent steps per training; default 500
	// Eta and Lambda are the learning rate and the L2 weight decay (n is
	// the number of images). They have no default, since 0 is a meaningful
	// λ; the book uses BookEta and BookLambda.
	Eta     float64
	Lambda  float64
	Seed    uint64          // seed of network s is Seed + s
	Threads int             // goroutines; default GOMAXPROCS
	Init    mlp.Initializer // default mlp.NielsenDefault
	// NoTrain skips the training curves: speeds at initialisation only.
	NoTrain bool
	// Dense trains every network on all n⁰ inputs. By default Speeds
	// leaves the inputs that are 0 in every sample out of the first layer
	// (175 of MNIST's 784 pixels in its first 1000 images): each network
	// is drawn whole, then trained with the columns of w¹ that meet those
	// inputs removed. No result changes, bit for bit: in every sum of
	// z¹ = x·w¹ᵀ + b¹ the left-out terms are 0·w, which add exactly
	// nothing to a float32 sum that starts at +0, and nothing else reads
	// the left-out weights (their gradients δ¹ᵀ·x are sums of δ·0; they
	// only decay). Only the time and the flops computed change. Speeds
	// does this only for shapes where deltacore sums each element of x·w¹ᵀ
	// in one chain (see keepExact; the book's shapes are).
	Dense bool
	// Progress, if not nil, is called (from several goroutines, serially)
	// with the number of gradient evaluations just done.
	Progress func(n int)
}

func (c *SpeedConfig) defaults() {
	if c.Nets == nil {
		c.Nets = BookNets
	}
	if c.InitSeeds == 0 {
		c.InitSeeds = 100
	}
	if c.TrainSeeds == 0 {
		c.TrainSeeds = min(20, c.InitSeeds)
	}
	if c.Steps == 0 {
		c.Steps = 500
	}
	if c.Threads <= 0 {
		c.Threads = runtime.GOMAXPROCS(0)
	}
	if c.Init == nil {
		c.Init = mlp.NielsenDefault
	}
	if c.NoTrain {
		c.TrainSeeds, c.Steps = 0, 0
	}
}

// NetSpeeds is the result for one network.
type NetSpeeds struct {
	Sizes []int `json:"sizes"`
	// Init holds, per hidden layer, the median and 5–95 % band over
	// InitSeeds networks of the speed at initialisation.
	Init []Band `json:"init"`
	// Book is the book's single draw, or nil.
	Book []float64 `json:"book,omitempty"`
	// Ratio is the band of the per-network ratio last/first hidden layer.
	Ratio Band `json:"ratio_last_first"`
	// InitRaw[s][l-1] is the speed of hidden layer l of network s.
	InitRaw [][]float64 `json:"init_raw"`
	// Curves[t][l-1] is the band over TrainSeeds networks of hidden layer
	// l's speed before step t; CurvesRaw[s][t][l-1] is network s's value.
	Curves    [][]Band      `json:"-"`
	CurvesRaw [][][]float64 `json:"-"`
}

// SpeedReport is the whole experiment's result.
type SpeedReport struct {
	Config  SpeedConfig   `json:"-"`
	Images  int           `json:"images"`
	Nets    []NetSpeeds   `json:"nets"`
	Flops   float64       `json:"flops"` // floating-point operations of all passes, as computed
	Elapsed time.Duration `json:"elapsed_ns"`
	// ZeroInputs is the number of inputs left out of the first layer
	// because they are 0 in every sample (see SpeedConfig.Dense), and
	// DenseFlops the operations of all passes with them, as Dense would
	// compute them.
	ZeroInputs int     `json:"zero_inputs"`
	DenseFlops float64 `json:"dense_flops"`
}

// GFLOPS returns the sustained rate of the whole experiment.
func (r *SpeedReport) GFLOPS() float64 { return r.Flops / r.Elapsed.Seconds() / 1e9 }

// PassFlops returns the floating-point operations of one forward pass, one
// backward pass and the weight gradients for a batch of m samples: 2·m·nˡ·nˡ⁻¹
// for each product Z = X·Wᵀ, δ·W (not for the input layer) and δᵀ·A.
func PassFlops(sizes []int, m int) float64 {
	f := 0.0
	for l := 1; l < len(sizes); l++ {
		mul := 3.0
		if l == 1 {
			mul = 2
		}
		f += mul * 2 * float64(m) * float64(sizes[l]) * float64(sizes[l-1])
	}
	return f
}

// HiddenSpeeds appends ‖∂C/∂bˡ‖ for the hidden layers l = 1 … L−1 of the
// workspace's last backward pass to dst, in float64 with δˡ's scale
// (Workspace.Speed), so that deep layers do not read 0.
func HiddenSpeeds(dst []float64, ws *mlp.Workspace) []float64 {
	L := ws.Network().Layers()
	for l := 1; l < L; l++ {
		dst = append(dst, ws.Speed(l))
	}
	return dst
}

// Speeds runs the experiment on data (the book uses the first 1000 MNIST
// training images). Networks are spread over cfg.Threads goroutines; each
// owns its network and workspace, so the results do not depend on the
// thread count. While it runs, each network's matrix products stay on its
// goroutine: each goroutine runs its networks on a deltacore.Engine of its
// own whose thread budget is cfg.Threads divided by the number of networks
// (at least 1). The process-wide deltacore.SetGemmThreads is not touched,
// so concurrent calls of Speeds do not disturb each other or other users.
func Speeds(data *mlp.Dataset, cfg SpeedConfig) (*SpeedReport, error) {
	cfg.defaults()
	if cfg.TrainSeeds > cfg.InitSeeds {
		return nil, fmt.Errorf("study: %d training seeds > %d seeds at initialisation", cfg.TrainSeeds, cfg.InitSeeds)
	}
	if cfg.Steps < 0 {
		return nil, errors.New("study: negative number of steps")
	}
	if cfg.Steps > 0 && !(cfg.Eta > 0) {
		return nil, fmt.Errorf("study: learning rate η = %g, want > 0", cfg.Eta)
	}
	if cfg.Lambda < 0 {
		return nil, fmt.Errorf("study: weight decay λ = %g, want ≥ 0", cfg.Lambda)
	}
	n := data.Len()
	rep := &SpeedReport{Config: cfg, Images: n, Nets: make([]NetSpeeds, len(cfg.Nets))}
	// A job is a list of networks (net, seed): the trained ones go in
	// groups of up to trainGroup networks with the same n⁰ and n¹, which
	// share each step's first-layer weight gradient (mlp.Group; the results
	// are those of one network at a time, bit for bit), whatever their
	// depths. The groups are filled seed by seed across the sizes, so that
	// with the book's three sizes each group holds one network of each
	// depth: the groups cost the same, and 20 trained seeds make 20 equal
	// jobs, which two workers finish together (grouped by size, 20 seeds
	// made 7 groups per size, the last of 2 networks).
	type job struct {
		items []speedItem
		steps int
		cost  float64 // flops of all its passes
	}
	for i, sizes := range cfg.Nets {
		if len(sizes) < 3 {
			return nil, fmt.Errorf("study: network %v has no hidden layer", sizes)
		}
		probe, err := mlp.New(mlp.Config{Sizes: sizes})
		if err != nil {
			return nil, err
		}
		if err := data.Check(probe); err != nil {
			return nil, err
		}
		ns := &rep.Nets[i]
		ns.Sizes = slices.Clone(sizes)
		ns.Book = BookSpeedsFor(sizes)
		ns.InitRaw = make([][]float64, cfg.InitSeeds)
		ns.CurvesRaw = make([][][]float64, cfg.TrainSeeds)
	}
	// The inputs to keep (nil: all) and the data set restricted to them.
	var keep []int
	run := data
	if !cfg.Dense && keepExact(n, cfg.Nets) {
		keep = nonZeroInputs(data)
		if len(keep) == data.Inputs || len(keep) == 0 {
			keep = nil
		} else {
			run = keepInputs(data, keep)
			rep.ZeroInputs = data.Inputs - len(keep)
		}
	}
	// The input in the layout of the stacked products, shared by every
	// group (read only).
	batch, err := mlp.NewBatch(run.X, run.Inputs)
	if err != nil {
		return nil, err
	}
	var jobs []job
	open := map[[2]int]int{} // (n⁰, n¹) → index in jobs of the group being filled
	for s := 0; s < cfg.TrainSeeds; s++ {
		for i, sizes := range cfg.Nets {
			key := [2]int{sizes[0], sizes[1]}
			j, ok := open[key]
			if !ok || len(jobs[j].items) == trainGroup {
				j = len(jobs)
				jobs = append(jobs, job{steps: cfg.Steps})
				open[key] = j
			}
			jobs[j].items = append(jobs[j].items, speedItem{i, s})
			jobs[j].cost += float64(cfg.Steps) * PassFlops(sizes, n)
		}
	}
	// Training jobs first, the longest first, so that the shorter ones
	// and then the speeds at initialisation fill the end.
	slices.SortStableFunc(jobs, func(a, b job) int { return cmp.Compare(b.cost, a.cost) })
	for i := range cfg.Nets {
		for s := cfg.TrainSeeds; s < cfg.InitSeeds; s++ {
			jobs = append(jobs, job{items: []speedItem{{i, s}}})
		}
	}
	var (
		next     atomic.Int64
		flops    atomic.Uint64 // in units of 1 flop, fits easily
		dense    atomic.Uint64
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	// The networks are the parallelism: each matrix product runs on its
	// network's goroutine, unless there are fewer networks than threads.
	// Splitting the thin products (n = 30) of every network as well only
	// adds goroutine hand-offs (measured: 1.6× slower on 1 thread).
	budget := max(1, cfg.Threads/max(1, len(jobs)))
	start := time.Now()
	for w := 0; w < min(cfg.Threads, len(jobs)); w++ {
		eng, err := deltacore.NewEngine(deltacore.EngineConfig{Threads: budget})
		if err != nil {
			return nil, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j := int(next.Add(1) - 1)
				if j >= len(jobs) {
					return
				}
				jb := jobs[j]
				curves, err := runGroup(eng, run, batch, keep, cfg, jb.items, jb.steps)
				if err != nil {
					it := jb.items[0]
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("study: network %v seed %d: %w", cfg.Nets[it.net], it.seed, err)
					}
					mu.Unlock()
					return
				}
				for c, curve := range curves {
					it := jb.items[c]
					ns := &rep.Nets[it.net]
					ns.InitRaw[it.seed] = curve[0]
					if jb.steps > 0 {
						ns.CurvesRaw[it.seed] = curve
					}
					flops.Add(uint64(float64(len(curve)) * PassFlops(keptSizes(ns.Sizes, keep), n)))
					dense.Add(uint64(float64(len(curve)) * PassFlops(ns.Sizes, n)))
				}
				if cfg.Progress != nil {
					mu.Lock()
					cfg.Progress(max(jb.steps, 1) * len(jb.items))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	rep.Flops = float64(flops.Load())
	rep.DenseFlops = float64(dense.Load())
	if firstErr != nil {
		return nil, firstErr
	}
	for i := range rep.Nets {
		summarise(&rep.Nets[i])
	}
	return rep, nil
}

// trainGroup is the number of networks (with the same n⁰ and n¹) that
// Speeds trains together (mlp.Group): three share each step's first-layer
// weight gradient at the book's 1000 images and n¹ = 30.
const trainGroup = 3

// speedItem is one network of Speeds: cfg.Nets[net] with seed cfg.Seed+seed.
type speedItem struct{ net, seed int }

// runGroup draws the networks of items (network cfg.Nets[net], seed
// cfg.Seed+seed) and returns their speed curves (see SpeedCurves) on data
// (whose inputs batch holds), with the products on engine eng. When keep is not nil, data holds only
// the inputs keep of each sample, and each network, drawn whole, is
// trained on those inputs alone (see SpeedConfig.Dense).
func runGroup(eng *deltacore.Engine, data *mlp.Dataset, batch *mlp.Batch, keep []int, cfg SpeedConfig, items []speedItem, steps int) ([][][]float64, error) {
	nets := make([]*mlp.Network, len(items))
	for c, it := range items {
		sizes := cfg.Nets[it.net]
		net, err := mlp.New(mlp.Config{Sizes: sizes})
		if err != nil {
			return nil, err
		}
		net.Init(cfg.Init, cfg.Seed+uint64(it.seed))
		if keep != nil {
			if net, err = keepNetInputs(net, keep); err != nil {
				return nil, err
			}
		}
		nets[c] = net
	}
	return speedCurves(eng, nets, data, batch, cfg.Eta, cfg.Lambda, steps)
}

// keepExact reports whether leaving inputs out of the first layer keeps
// every result bit for bit: when deltacore computes each element of
// x·w¹ᵀ (m samples, n⁰ inputs, n¹ units) as one chain of FMAs over the
// inputs in order, which its direct path does (gemm.go, choosePath): more
// than 32 samples (fewer take the dot-product paths, whose vector lanes
// would sum other subsets of the terms), n⁰ ≤ 1024 (more would be split in
// blocks at other places) and n¹·n⁰ ≤ 96 Ki (more takes the swap path).
// Otherwise the results could differ in the last bits, so Speeds keeps all
// inputs.
func keepExact(m int, nets [][]int) bool {
	for _, s := range nets {
		if m <= 32 || s[0] > 1024 || s[0]*s[1] > 96*1024 {
			return false
		}
	}
	return true
}

// nonZeroInputs returns the inputs (columns of data.X) that are not 0 in
// every sample, in order. A NaN is not 0.
func nonZeroInputs(data *mlp.Dataset) []int {
	n0 := data.Inputs
	nz := make([]bool, n0)
	for i := 0; i+n0 <= len(data.X); i += n0 {
		for p, v := range data.X[i : i+n0] {
			if v != 0 {
				nz[p] = true
			}
		}
	}
	var keep []int
	for p, b := range nz {
		if b {
			keep = append(keep, p)
		}
	}
	return keep
}

// keepInputs returns data with only the inputs keep of each sample.
func keepInputs(data *mlp.Dataset, keep []int) *mlp.Dataset {
	n, n0, k := data.Len(), data.Inputs, len(keep)
	x := make([]float32, n*k)
	for i := 0; i < n; i++ {
		row := data.X[i*n0 : (i+1)*n0]
		for c, p := range keep {
			x[i*k+c] = row[p]
		}
	}
	return &mlp.Dataset{X: x, Inputs: k, Labels: data.Labels, Targets: data.Targets, Outputs: data.Outputs}
}

// keptSizes returns sizes with n⁰ = len(keep) (sizes when keep is nil).
func keptSizes(sizes, keep []int) []int {
	if keep == nil {
		return sizes
	}
	s := slices.Clone(sizes)
	s[0] = len(keep)
	return s
}

// keepNetInputs returns a network of net's configuration with
// n⁰ = len(keep), the same parameters, and as w¹ the columns keep of net's.
func keepNetInputs(net *mlp.Network, keep []int) (*mlp.Network, error) {
	sizes := net.Sizes()
	cfg := net.Config()
	cfg.Sizes = keptSizes(sizes, keep)
	out, err := mlp.New(cfg)
	if err != nil {
		return nil, err
	}
	n0, k := sizes[0], len(keep)
	w, kw := net.Weights(1), out.Weights(1)
	for j := 0; j < sizes[1]; j++ {
		for c, p := range keep {
			kw[j*k+c] = w[j*n0+p]
		}
	}
	copy(out.Biases(1), net.Biases(1))
	for l := 2; l < len(sizes); l++ {
		copy(out.Weights(l), net.Weights(l))
		copy(out.Biases(l), net.Biases(l))
	}
	return out, nil
}

// SpeedCurve returns the hidden layers' speeds of net on data before each
// of steps full-batch gradient-descent steps (η = eta, L2 decay lambda with
// n = the number of samples), curve[t][l-1]; with steps = 0 it returns just
// the speeds at the network as given, curve[0]. The network is trained in
// place.
func SpeedCurve(net *mlp.Network, data *mlp.Dataset, eta, lambda float64, steps int) ([][]float64, error) {
	if steps > 0 {
		curves, err := speedCurves(nil, []*mlp.Network{net}, data, nil, eta, lambda, steps)
		if err != nil {
			return nil, err
		}
		return curves[0], nil
	}
	return initialSpeeds(nil, net, data)
}

// initialSpeeds returns the hidden layers' speeds of net on data, as
// SpeedCurve with steps = 0, with the products on engine eng (nil:
// deltacore's default engine).
func initialSpeeds(eng *deltacore.Engine, net *mlp.Network, data *mlp.Dataset) ([][]float64, error) {
	ws, err := mlp.NewWorkspace(net, data.Len())
	if err != nil {
		return nil, err
	}
	ws.SetEngine(eng)
	ws.SetWeightGradients(false)
	if err := ws.Forward(data.X); err != nil {
		return nil, err
	}
	if err := backward(ws, data); err != nil {
		return nil, err
	}
	return [][]float64{HiddenSpeeds(make([]float64, 0, net.Layers()-1), ws)}, nil
}

// SpeedCurves is SpeedCurve for several networks with the same n⁰ and n¹,
// trained together (mlp.Group), with the same results as one at a time;
// curves[i] is nets[i]'s curve.
func SpeedCurves(nets []*mlp.Network, data *mlp.Dataset, eta, lambda float64, steps int) ([][][]float64, error) {
	return speedCurves(nil, nets, data, nil, eta, lambda, steps)
}

// speedCurves is SpeedCurves with the products on engine eng (nil:
// deltacore's default engine) and the group stepping on batch, data's
// inputs as an mlp.Batch (nil: made here).
func speedCurves(eng *deltacore.Engine, nets []*mlp.Network, data *mlp.Dataset, batch *mlp.Batch, eta, lambda float64, steps int) ([][][]float64, error) {
	n := data.Len()
	curves := make([][][]float64, len(nets))
	if steps == 0 {
		for i, net := range nets {
			c, err := initialSpeeds(eng, net, data)
			if err != nil {
				return nil, err
			}
			curves[i] = c
		}
		return curves, nil
	}
	trs := make([]*mlp.Trainer, len(nets))
	flats := make([][]float64, len(nets))
	for i, net := range nets {
		hidden := net.Layers() - 1
		flats[i] = make([]float64, 0, steps*hidden)
		tr, err := mlp.NewTrainer(net, mlp.SGD{Eta: eta, Lambda: lambda, N: n, BatchSize: n, NoShuffle: true}, data)
		if err != nil {
			return nil, err
		}
		if eng != nil {
			tr.WS.SetEngine(eng)
		}
		tr.WS.Observe(func(p *mlp.Pass) {
			for l := 1; l <= hidden; l++ {
				flats[i] = append(flats[i], p.Speed(l))
			}
		})
		trs[i] = tr
	}
	g, err := mlp.NewGroup(trs...)
	if err != nil {
		return nil, err
	}
	if batch == nil {
		if batch, err = mlp.NewBatch(data.X, data.Inputs); err != nil {
			return nil, err
		}
	}
	for t := 0; t < steps; t++ {
		if err := g.StepBatch(batch, data.Labels, data.Targets); err != nil {
			return nil, fmt.Errorf("step %d: %w", t, err)
		}
	}
	for i, net := range nets {
		hidden := net.Layers() - 1
		curves[i] = make([][]float64, steps)
		for t := range curves[i] {
			curves[i][t] = flats[i][t*hidden : (t+1)*hidden : (t+1)*hidden]
		}
	}
	return curves, nil
}

func backward(ws *mlp.Workspace, data *mlp.Dataset) error {
	if data.Labels != nil {
		return ws.BackwardLabels(data.Labels)
	}
	return ws.Backward(data.Targets)
}

func summarise(ns *NetSpeeds) {
	hidden := len(ns.Sizes) - 2
	col := make([]float64, len(ns.InitRaw))
	ns.Init = make([]Band, hidden)
	for l := 0; l < hidden; l++ {
		for s, v := range ns.InitRaw {
			col[s] = v[l]
		}
		ns.Init[l] = BandOf(col)
	}
	for s, v := range ns.InitRaw {
		col[s] = v[hidden-1] / v[0]
	}
	ns.Ratio = BandOf(col)
	if len(ns.CurvesRaw) == 0 {
		return
	}
	steps := len(ns.CurvesRaw[0])
	ns.Curves = make([][]Band, steps)
	col = col[:len(ns.CurvesRaw)]
	for t := 0; t < steps; t++ {
		ns.Curves[t] = make([]Band, hidden)
		for l := 0; l < hidden; l++ {
			for s, c := range ns.CurvesRaw {
				col[s] = c[t][l]
			}
			ns.Curves[t][l] = BandOf(col)
		}
	}
}

// Name returns the network's sizes joined by "-", e.g. "784-30-30-10".
func (ns *NetSpeeds) Name() string {
	s := ""
	for i, v := range ns.Sizes {
		if i > 0 {
			s += "-"
		}
		s += fmt.Sprint(v)
	}
	return s
}
