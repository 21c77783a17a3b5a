#!/usr/bin/python3
"""The default `deltacore study` protocol in numpy (float32, OpenBLAS).

A reference point for deltacore's speed: the same work as `deltacore study`
(Nielsen, Neural Networks and Deep Learning, ch. 5), written the way a
competent numpy user would write it, batched so that the work is float32
matrix products through the BLAS numpy is linked against:

- the first 1000 MNIST training images, pixels/256, one-hot labels;
- sigmoid units everywhere, cross-entropy cost (so delta^L = a^L - y);
- Nielsen's default init: w ~ N(0,1)/sqrt(n_in), b ~ N(0,1);
- the speed of hidden layer l is ||dC/db^l||, the norm of the batch mean
  of delta^l;
- networks [784,30,30,10], [784,30,30,30,10], [784,30,30,30,30,10];
  100 networks per size for the speeds at initialisation, 20 of them
  trained for 500 full-batch gradient-descent steps (eta = 0.1, L2 decay
  lambda = 5 in Nielsen's form w <- (1 - eta*lambda/n) w - eta*grad_w,
  n = 1000), the speeds recorded before each step.

Networks (seeds) are spread over the cores either by OpenBLAS's own threads
in one process (--procs 1, OPENBLAS_NUM_THREADS=--threads) or by worker
processes with one BLAS thread each (--procs N, multiprocessing). The FLOPs
are counted as deltacore's study.PassFlops counts them: per gradient
evaluation over m images, 2*m*n_l*n_{l-1} for each of the products
Z = X W^T, delta W (not for the first layer) and delta^T A; elementwise work
and the weight update are not counted. Every curve point is one gradient
evaluation, and a network that is not trained costs one evaluation.

Run it with Debian's python (/usr/bin/python3) and python3-numpy. The RNG is
numpy's, not deltacore's, so individual networks differ; the medians agree
statistically.
"""

import argparse
import glob
import gzip
import json
import math
import os
import struct
import subprocess
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=int, default=100, help="networks per size for the speeds at initialisation")
    p.add_argument("--train-seeds", type=int, default=20, help="networks per size trained for the curves")
    p.add_argument("--steps", type=int, default=500, help="full-batch gradient-descent steps per training")
    p.add_argument("--images", type=int, default=1000, help="use the first N MNIST training images")
    p.add_argument("--nets", default="784,30,30,10;784,30,30,30,10;784,30,30,30,30,10",
                   help="networks, sizes separated by commas, networks by semicolons")
    p.add_argument("--eta", type=float, default=0.1)
    p.add_argument("--lambda", dest="lam", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=1, help="network s uses seed+s")
    p.add_argument("--procs", type=int, default=1, help="worker processes (1: one process, BLAS threads)")
    p.add_argument("--threads", type=int, default=0,
                   help="OpenBLAS threads per process (0: number of CPUs with --procs 1, else 1)")
    p.add_argument("--data", default="", help="directory of the MNIST IDX .gz files (default: GoMNIST in the Go module cache)")
    p.add_argument("--json", default="", help="also write the results (init medians, curve medians, timing) to this file")
    p.add_argument("--check", action="store_true",
                   help="check the float32 gradients against float64 central differences of the cost, then exit")
    a = p.parse_args()
    if a.seeds < 1 or a.train_seeds < 0 or a.train_seeds > a.seeds or a.steps < 0 or a.images < 1 or a.procs < 1:
        p.error("need --seeds >= 1, 0 <= --train-seeds <= --seeds, --steps >= 0, --images >= 1, --procs >= 1")
    if a.train_seeds == 0 or a.steps == 0:
        a.train_seeds, a.steps = 0, 0
    if a.threads <= 0:
        a.threads = os.cpu_count() if a.procs == 1 else 1
    a.nets = [[int(v) for v in s.split(",")] for s in a.nets.split(";") if s.strip()]
    return a


ARGS = parse_args()
# OpenBLAS reads its thread count when it is loaded, so before numpy.
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))

import numpy as np  # noqa: E402

F32 = np.float32


# ---------------------------------------------------------------- MNIST


def mnist_dir(d):
    if d:
        return d
    try:
        cache = subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        cache = os.path.expanduser("~/go/pkg/mod")
    hits = sorted(glob.glob(os.path.join(cache, "github.com/petar/!go!m!n!i!s!t@*/data")))
    if not hits:
        sys.exit("study_numpy: no GoMNIST data in %s (run `go mod download` or pass --data)" % cache)
    return hits[-1]


def load_mnist(d, n):
    """The first n training images (n x 784 float32, pixels/256) and labels."""
    with gzip.open(os.path.join(d, "train-images-idx3-ubyte.gz"), "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 2051 or n > count:
            sys.exit("study_numpy: bad image file or too few images")
        x = np.frombuffer(f.read(n * rows * cols), dtype=np.uint8).reshape(n, rows * cols)
    with gzip.open(os.path.join(d, "train-labels-idx1-ubyte.gz"), "rb") as f:
        magic, count = struct.unpack(">II", f.read(8))
        if magic != 2049 or n > count:
            sys.exit("study_numpy: bad label file or too few labels")
        labels = np.frombuffer(f.read(n), dtype=np.uint8)
    x = x.astype(F32) * F32(1.0 / 256)
    y = np.zeros((n, 10), dtype=F32)
    y[np.arange(n), labels] = 1
    return np.ascontiguousarray(x), y


# ---------------------------------------------------------------- network


def pass_flops(sizes, m):
    """deltacore's study.PassFlops: one forward, backward and weight gradients."""
    f = 0.0
    for l in range(1, len(sizes)):
        f += (2 if l == 1 else 3) * 2.0 * m * sizes[l] * sizes[l - 1]
    return f


class Net:
    """One network with its workspace for a batch of m images; all float32."""

    def __init__(self, sizes, m, seed):
        rng = np.random.default_rng(seed)
        self.sizes = sizes
        self.L = L = len(sizes) - 1
        # W[l] is n_l x n_{l-1}, b[l] is n_l; index 0 unused.
        self.W = [None] + [rng.standard_normal((sizes[l], sizes[l - 1]), dtype=F32) * F32(1 / math.sqrt(sizes[l - 1]))
                           for l in range(1, L + 1)]
        self.b = [None] + [rng.standard_normal(sizes[l], dtype=F32) for l in range(1, L + 1)]
        self.A = [None] + [np.empty((m, sizes[l]), F32) for l in range(1, L + 1)]  # A[l] = sigma(Z[l]); Z in place
        self.D = [None] + [np.empty((m, sizes[l]), F32) for l in range(1, L + 1)]
        self.T = [None] + [np.empty((m, sizes[l]), F32) for l in range(1, L + 1)]  # sigma' scratch
        self.gW = [None] + [np.empty((sizes[l], sizes[l - 1]), F32) for l in range(1, L + 1)]
        self.gb = [None] + [np.empty(sizes[l], F32) for l in range(1, L + 1)]

    def gradient(self, x, y, weights=True):
        """Forward and backward over the batch: gb[l] = mean of delta^l, and
        gW[l] = sum (not mean) of delta^l a^{l-1}T if weights."""
        A, D, T, W, b = self.A, self.D, self.T, self.W, self.b
        prev = x
        for l in range(1, self.L + 1):
            a = A[l]
            np.matmul(prev, W[l].T, out=a)  # z
            a += b[l]
            np.negative(a, out=a)  # sigma(z) = 1/(1+exp(-z)), in place
            np.exp(a, out=a)
            a += F32(1)
            np.reciprocal(a, out=a)
            prev = a
        np.subtract(A[self.L], y, out=D[self.L])  # cross-entropy with sigmoid output
        inv_m = F32(1 / x.shape[0])
        for l in range(self.L, 0, -1):
            d = D[l]
            np.sum(d, axis=0, out=self.gb[l])
            self.gb[l] *= inv_m
            if weights:
                np.matmul(d.T, A[l - 1] if l > 1 else x, out=self.gW[l])
            if l > 1:
                dp, ap, t = D[l - 1], A[l - 1], T[l - 1]
                np.matmul(d, W[l], out=dp)
                np.subtract(F32(1), ap, out=t)  # sigma'(z) = a (1 - a)
                t *= ap
                dp *= t

    def speeds(self, out):
        for l in range(1, self.L):
            g = self.gb[l]
            out[l - 1] = math.sqrt(float(np.dot(g, g)))

    def step(self, eta, lam, n, m):
        """w <- (1 - eta lam / n) w - eta gW/m, b <- b - eta gb."""
        decay = F32(1 - eta * lam / n)
        ew, eb = F32(eta / m), F32(eta)
        for l in range(1, self.L + 1):
            w, gw, gb = self.W[l], self.gW[l], self.gb[l]
            w *= decay
            gw *= ew
            w -= gw
            gb *= eb
            self.b[l] -= gb

    def check_dtypes(self):
        for arrs in (self.W, self.b, self.A, self.D, self.T, self.gW, self.gb):
            for v in arrs[1:]:
                assert v.dtype == F32, v.dtype


# ---------------------------------------------------------------- jobs

X = Y = None  # set in main, inherited by forked workers


def run_job(job):
    """One network: its speed curve (steps rows) or, untrained, its speeds at init."""
    ni, s, steps = job
    sizes = ARGS.nets[ni]
    m = X.shape[0]
    net = Net(sizes, m, ARGS.seed + s)
    curve = np.empty((max(steps, 1), len(sizes) - 2))
    if steps == 0:
        net.gradient(X, Y, weights=False)
        net.speeds(curve[0])
    else:
        for t in range(steps):
            net.gradient(X, Y)
            net.speeds(curve[t])
            net.step(ARGS.eta, ARGS.lam, m, m)
    net.check_dtypes()
    return ni, s, curve


def cost64(W, b, x, y):
    """The cross-entropy cost, mean over the images, in float64 (no decay term)."""
    a = x
    for w, c in zip(W, b):
        a = 1 / (1 + np.exp(-(a @ w.T + c)))
    return -np.mean(np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=1))


def check():
    """Net.gradient against central differences of cost64 on a few hundred images."""
    x, y = X[:200].astype(np.float64), Y[:200].astype(np.float64)
    worst = 0.0
    for sizes in ARGS.nets:
        net = Net(sizes, 200, 12345)
        net.gradient(X[:200], Y[:200])
        W = [w.astype(np.float64) for w in net.W[1:]]
        b = [c.astype(np.float64) for c in net.b[1:]]
        rng = np.random.default_rng(7)
        for l in range(1, net.L + 1):
            h = 1e-4
            got, want = [], []
            for j in rng.choice(sizes[l], 3, replace=False):
                b[l - 1][j] += h
                cp = cost64(W, b, x, y)
                b[l - 1][j] -= 2 * h
                cm = cost64(W, b, x, y)
                b[l - 1][j] += h
                got.append(net.gb[l][j])
                want.append((cp - cm) / (2 * h))
                i = rng.integers(sizes[l - 1])
                W[l - 1][j, i] += h
                cp = cost64(W, b, x, y)
                W[l - 1][j, i] -= 2 * h
                cm = cost64(W, b, x, y)
                W[l - 1][j, i] += h
                got.append(net.gW[l][j, i] / 200)
                want.append((cp - cm) / (2 * h))
            got, want = np.array(got), np.array(want)
            err = np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-12)
            worst = max(worst, err)
            print("%-25s layer %d: max |float32 - float64 difference| / max |gradient| = %.2g" % (sizes, l, err))
    net.check_dtypes()
    if worst > 1e-3:
        sys.exit("study_numpy: gradient check FAILED")
    print("gradient check passed")


def band(v):
    return np.percentile(v, [50, 5, 95])  # linear interpolation, as study.Quantile


def main():
    global X, Y
    t_wall = time.perf_counter()
    X, Y = load_mnist(mnist_dir(ARGS.data), ARGS.images)
    if ARGS.check:
        check()
        return
    m = ARGS.images
    jobs = []
    for ni in range(len(ARGS.nets)):
        for s in range(ARGS.seeds):
            jobs.append((ni, s, ARGS.steps if s < ARGS.train_seeds else 0))
    jobs.sort(key=lambda j: j[2] == 0)  # training jobs first: they are the long ones (stable sort)
    init = [np.empty((ARGS.seeds, len(sz) - 2)) for sz in ARGS.nets]
    curves = [np.empty((ARGS.train_seeds, ARGS.steps, len(sz) - 2)) for sz in ARGS.nets]
    flops = 0.0

    t0 = time.perf_counter()
    c0 = os.times()
    with np.errstate(over="ignore"):  # exp(-z) may overflow to inf for very negative z; 1/(1+inf) = 0 is right
        if ARGS.procs == 1:
            results = map(run_job, jobs)
            pool = None
        else:
            import multiprocessing as mp
            pool = mp.get_context("fork").Pool(ARGS.procs)
            results = pool.imap_unordered(run_job, jobs, chunksize=1)
        for ni, s, curve in results:
            init[ni][s] = curve[0]
            if ARGS.steps and s < ARGS.train_seeds:
                curves[ni][s] = curve
            flops += curve.shape[0] * pass_flops(ARGS.nets[ni], m)
        if pool is not None:
            pool.close()
            pool.join()
    elapsed = time.perf_counter() - t0
    c1 = os.times()
    cpu = (c1.user - c0.user) + (c1.system - c0.system) + (c1.children_user - c0.children_user) + \
        (c1.children_system - c0.children_system)

    out = {"numpy": np.__version__, "blas": blas_info(), "procs": ARGS.procs, "threads": ARGS.threads,
           "images": m, "seeds": ARGS.seeds, "train_seeds": ARGS.train_seeds, "steps": ARGS.steps, "nets": []}
    print("study_numpy: numpy %s, %s, %d process(es) x %d BLAS thread(s)\n" %
          (np.__version__, out["blas"], ARGS.procs, ARGS.threads))
    print("Speed of learning ||dC/db^l|| at initialisation: %d images, %d networks per size" % (m, ARGS.seeds))
    print("%-25s %6s %11s %11s %11s" % ("network", "layer", "median", "p05", "p95"))
    for ni, sizes in enumerate(ARGS.nets):
        rec = {"sizes": sizes, "init": [], "curve_first": [], "curve_last": []}
        for l in range(len(sizes) - 2):
            md, p5, p95 = band(init[ni][:, l])
            rec["init"].append({"median": md, "p05": p5, "p95": p95})
            print("%-25s %6d %11.4g %11.4g %11.4g" % (str(sizes) if l == 0 else "", l + 1, md, p5, p95))
        md, p5, p95 = band(init[ni][:, -1] / init[ni][:, 0])
        rec["ratio_last_first"] = {"median": md, "p05": p5, "p95": p95}
        print("%-25s %6s %11.1f %11.1f %11.1f" % ("", "last/1", md, p5, p95))
        out["nets"].append(rec)
    if ARGS.steps:
        print("\nSpeeds during training (%d full-batch steps, eta=%g, lambda=%g, %d networks per size): "
              "median before the first and the last step" % (ARGS.steps, ARGS.eta, ARGS.lam, ARGS.train_seeds))
        print("%-25s %6s %11s %11s" % ("network", "layer", "step 0", "step %d" % (ARGS.steps - 1)))
        for ni, sizes in enumerate(ARGS.nets):
            rec = out["nets"][ni]
            for l in range(len(sizes) - 2):
                a = float(np.median(curves[ni][:, 0, l]))
                z = float(np.median(curves[ni][:, -1, l]))
                rec["curve_first"].append(a)
                rec["curve_last"].append(z)
                print("%-25s %6d %11.4g %11.4g" % (str(sizes) if l == 0 else "", l + 1, a, z))
    wall = time.perf_counter() - t_wall
    out.update({"flops": flops, "elapsed_s": elapsed, "cpu_s": cpu, "gflops": flops / elapsed / 1e9, "wall_s": wall})
    print("\n%.3g GFLOP in %.1f s: %.1f GFLOP/s sustained (%.1f s CPU; %.1f s with loading and output)" %
          (flops / 1e9, elapsed, flops / elapsed / 1e9, cpu, wall))
    if ARGS.json:
        with open(ARGS.json, "w") as f:
            json.dump(out, f, indent=1, default=float)


def blas_info():
    """The BLAS library numpy has loaded and, for OpenBLAS, its config and core."""
    libs = sorted({ln.split()[-1] for ln in open("/proc/self/maps") if "blas" in ln.split()[-1]})
    for lib in libs:
        if "openblas" in os.path.basename(lib):
            try:
                import ctypes
                h = ctypes.CDLL(lib)
                h.openblas_get_config.restype = ctypes.c_char_p
                h.openblas_get_corename.restype = ctypes.c_char_p
                return "%s (core %s)" % (h.openblas_get_config().decode(), h.openblas_get_corename().decode())
            except (OSError, AttributeError):
                pass
    return ", ".join(os.path.basename(v) for v in libs) or "unknown BLAS"


if __name__ == "__main__":
    main()
