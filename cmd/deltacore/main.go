// Command deltacore is the command-line tool of the deltacore numeric core.
//
//	deltacore cpu      print the CPU's features and the ISA levels in use
//	deltacore train    train a network on MNIST and report its test accuracy
//	deltacore study    the speed-of-learning study of Nielsen ch. 5, and beyond
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/deltacore/deltacore"
	"github.com/klauspost/cpuid/v2"
)

func usage() {
	fmt.Fprintf(os.Stderr, `usage: deltacore <command> [flags]

commands:
  cpu     print the detected CPU features and ISA levels
  train   train a network on MNIST (deltacore train -h for flags)
  study   gradient studies: Nielsen ch. 5 and beyond (deltacore study -h)
  bench   benchmark every kernel and level, write a JSON report; bench compare a.json b.json …
`)
}

func main() {
	// The library never prints; the command shows why DELTACORE_ISA was
	// not honoured, whatever it is asked to do.
	if w := deltacore.EnvWarning(); w != "" {
		fmt.Fprintln(os.Stderr, w)
	}
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	switch os.Args[1] {
	case "cpu":
		cmdCPU()
	case "train":
		cmdTrain(os.Args[2:])
	case "study":
		cmdStudy(os.Args[2:])
	case "bench":
		os.Exit(cmdBench(os.Args[2:]))
	case "-h", "-help", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "deltacore: unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
}

func cmdCPU() {
	c := cpuid.CPU
	fmt.Printf("cpu:       %s\n", c.BrandName)
	fmt.Printf("vendor:    %s  family %d model %d stepping %d\n", c.VendorString, c.Family, c.Model, c.Stepping)
	fmt.Printf("cores:     %d logical (GOMAXPROCS %d)\n", c.LogicalCores, runtime.GOMAXPROCS(0))
	fmt.Printf("caches:    L1d %d KiB, L2 %d KiB, L3 %d KiB\n", c.Cache.L1D>>10, c.Cache.L2>>10, c.Cache.L3>>10)
	fmt.Printf("os/arch:   %s/%s, %s\n", runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Printf("features:  %s\n", strings.Join(c.FeatureSet(), " "))
	var ls []string
	for _, l := range deltacore.Levels() {
		ls = append(ls, l.String())
	}
	fmt.Printf("levels:    %s\n", strings.Join(ls, " "))
	fmt.Printf("level:     %s\n", deltacore.CurrentLevel())
	if w := deltacore.EnvWarning(); w != "" {
		fmt.Printf("warning:   %s\n", w)
	}
}
