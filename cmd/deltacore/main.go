// Command deltacore is the command-line tool of the deltacore numeric core.
//
//	deltacore cpu      print the CPU's features and the ISA levels in use
//	deltacore train    train a network on MNIST and report its test accuracy
//	deltacore study    the speed-of-learning study of Nielsen ch. 5, and beyond
package main

import (
	"fmt"
	"io"
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
  bench   benchmark every kernel and level, write a JSON report; bench compare a.json b.json … | dir;
          bench gotest report.json (for benchstat); bench tune (search the GEMM blocking)
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
	fmt.Printf("caches:    L1d %s, L2 %s, L3 %s\n", cacheSize(c.Cache.L1D), cacheSize(c.Cache.L2), cacheSize(c.Cache.L3))
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
	printTuning(os.Stdout, deltacore.CurrentTuning(), deltacore.CurrentLevel())
}

// printTuning shows the per-CPU choices and where they come from; the
// level in use is marked with *.
func printTuning(w io.Writer, t deltacore.Tuning, cur deltacore.Level) {
	entry := "none (not in the table)"
	if t.Entry != "" {
		entry = t.Entry
	}
	fmt.Fprintf(w, "cpu key:   %s (its report: bench/results/%s.json)\n", t.CPU, t.CPU)
	fmt.Fprintf(w, "table:     %s\n", entry)
	fmt.Fprintf(w, "gemm:      per level (* in use): register tile, blocking kc/mc/nc, dot tiles; why\n")
	for _, l := range t.Levels {
		dot := "none (B packed)"
		if l.Dot != "" {
			dot = l.Dot
		}
		mark := " "
		if l.Level == cur {
			mark = "*"
		}
		fmt.Fprintf(w, "  %-8s tile %d×%d, kc %d, mc %d, nc %d, dot %s\n", l.Level.String()+mark, l.MR, l.NR, l.KC, l.MC, l.NC, dot)
		fmt.Fprintf(w, "           %s\n", l.Why)
	}
}

// cacheSize prints a cache size that cpuid reports; -1 or 0 is unknown.
func cacheSize(b int) string {
	if b <= 0 {
		return "unknown"
	}
	return fmt.Sprintf("%d KiB", b>>10)
}
