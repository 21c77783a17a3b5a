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
// of test accuracy per epoch; its last line is "test accuracy: NN.NN%".
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
	data := fs.String("data", "", "directory of the MNIST IDX files (default: the GoMNIST module's data)")
	ntrain := fs.Int("ntrain", 0, "use only the first N training images (0: all 60000; the book trains on 50000)")
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

	t0 := time.Now()
	train, test, err := mnist.Load(*data, mnist.PixelScale)
	if err != nil {
		fail(err)
	}
	if *ntrain > 0 {
		train = train.Head(*ntrain)
	}
	fmt.Fprintf(os.Stderr, "loaded MNIST: %d training, %d test images, pixels × 1/256 (%.1fs)\n", train.N, test.N, time.Since(t0).Seconds())
	trainSet, testSet := train.Dataset(), test.Dataset()

	opt := mlp.SGD{Eta: *eta, Lambda: *lambda, BatchSize: *batch, Momentum: *momentum,
		Nesterov: *nesterov, MomentumSchedule: *schedule, Seed: *seed}
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
	fmt.Printf("%5s  %10s  %9s  %9s  %12s\n", "epoch", "test cost", "test acc", "time (s)", "samples/s")

	var res mlp.Result
	for e := 1; e <= *epochs; e++ {
		// A bar per epoch on a terminal; nothing in a log, where the
		// per-epoch table already shows progress.
		bar := newProgress(fmt.Sprintf("epoch %d/%d", e, *epochs), train.N, !isTerminal(os.Stderr))
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
		fmt.Printf("%5d  %10.5f  %8.2f%%  %9.2f  %12.0f\n", e, res.Cost, 100*res.Accuracy, dt, float64(train.N)/dt)
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
	fmt.Printf("test accuracy: %.2f%%\n", 100*res.Accuracy)
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
