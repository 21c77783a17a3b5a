"""Where the MNIST IDX files are: shared by the numpy scripts in this folder."""

import glob
import os
import subprocess
import sys


def data_dir(arg, prog):
    """The directory of the four MNIST IDX .gz files: arg if given, else
    $DELTACORE_MNIST, else the data/ folder of the GoMNIST module in the Go
    module cache (as deltacore's mnist.DefaultDir finds it)."""
    if arg:
        return arg
    if os.environ.get("DELTACORE_MNIST"):
        return os.environ["DELTACORE_MNIST"]
    try:
        cache = subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        cache = os.path.expanduser("~/go/pkg/mod")
    hits = sorted(glob.glob(os.path.join(cache, "github.com/petar/!go!m!n!i!s!t@*/data")))
    if not hits:
        sys.exit("%s: no GoMNIST data in %s (run `go mod download` or pass --data)" % (prog, cache))
    return hits[-1]
