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

Networks (seeds) are spread over the cores by worker processes with one BLAS
thread each (--procs, default one per CPU; multiprocessing) or by OpenBLAS's
own threads in one process (--procs 1 --threads N), which is much slower for
these small products. Each network is one set of BLAS calls on the whole
batch by default; --stack K puts K networks of one size side by side, so that
layer 1 (nine tenths of the FLOPs) is one GEMM of K*30 columns instead of K of
30, which OpenBLAS runs faster. Debian's OpenBLAS 0.3.21 takes an AMD family
26 CPU for Haswell (AVX2 kernels); --openblas-core SkylakeX makes it use its
AVX-512 kernels. scripts/study_compare.sh times the variants against
`deltacore study`. The FLOPs
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
import gzip
import json
import math
import os
import struct
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
    p.add_argument("--procs", type=int, default=0, help="worker processes (0: one per CPU; 1: one process, BLAS threads)")
    p.add_argument("--threads", type=int, default=0,
                   help="OpenBLAS threads per process (0: number of CPUs with --procs 1, else 1)")
    p.add_argument("--openblas-core", default="",
                   help="set OPENBLAS_CORETYPE (e.g. SkylakeX): OpenBLAS 0.3.21 takes an AMD family 26 CPU for Haswell, AVX2 only")
    p.add_argument("--data", default="", help="directory of the MNIST IDX .gz files (default: GoMNIST in the Go module cache)")
    p.add_argument("--json", default="", help="also write the results (init medians, curve medians, timing) to this file")
    p.add_argument("--stack", type=int, default=1,
                   help="train this many networks of a size side by side, stacked into larger BLAS calls (1: one at a time)")
    p.add_argument("--compare-to", default="",
                   help="a `deltacore study -out` folder of the same protocol: test that its speeds have the same distribution")
    p.add_argument("--check", action="store_true",
                   help="check the float32 gradients against float64 central differences of the cost, then exit")
    a = p.parse_args()
    if a.procs <= 0:
        a.procs = os.cpu_count()
    if a.seeds < 1 or a.stack < 1 or a.train_seeds < 0 or a.train_seeds > a.seeds or a.steps < 0 or a.images < 1:
        p.error("need --seeds >= 1, 0 <= --train-seeds <= --seeds, --steps >= 0, --images >= 1, --stack >= 1")
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
if ARGS.openblas_core:
    os.environ["OPENBLAS_CORETYPE"] = ARGS.openblas_core

import numpy as np  # noqa: E402

from gomnist import data_dir  # noqa: E402

F32 = np.float32


# ---------------------------------------------------------------- MNIST


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


class StackNet:
    """K networks of the same sizes side by side, so that each product is one
    larger BLAS call: layer 1's weights are stacked into one (K*n1) x 784
    matrix (Z1 = X W1^T is one GEMM for all K, and so is delta1^T X), the
    later layers are K x n_l x n_{l-1} and go through np.matmul's stacked
    (batched) loop. Network k is drawn exactly as Net(sizes, m, seeds[k]), so
    the results are those of K separate Nets up to rounding."""

    def __init__(self, sizes, m, seeds):
        nets = [Net(sizes, 1, s) for s in seeds]  # only for the weights
        K = self.K = len(seeds)
        self.sizes = sizes
        self.L = L = len(sizes) - 1
        n1 = sizes[1]
        self.W1 = np.ascontiguousarray(np.concatenate([n.W[1] for n in nets]))  # K*n1 x n0
        self.b1 = np.concatenate([n.b[1] for n in nets])
        self.W = [None, None] + [np.ascontiguousarray(np.stack([n.W[l] for n in nets])) for l in range(2, L + 1)]
        self.b = [None, None] + [np.ascontiguousarray(np.stack([n.b[l] for n in nets]))[:, None, :] for l in range(2, L + 1)]
        self.A1 = np.empty((m, K * n1), F32)  # layer 1 in the wide layout ...
        self.D1 = np.empty((m, K * n1), F32)
        # ... and as K x m x n1 views of it for the stacked products.
        self.A = [None, self.A1.reshape(m, K, n1).transpose(1, 0, 2)] + \
            [np.empty((K, m, sizes[l]), F32) for l in range(2, L + 1)]
        self.D = [None, self.D1.reshape(m, K, n1).transpose(1, 0, 2)] + \
            [np.empty((K, m, sizes[l]), F32) for l in range(2, L + 1)]
        self.T = [None] + [np.empty((K, m, sizes[l]), F32) for l in range(1, L + 1)]
        self.gW1 = np.empty((K * n1, sizes[0]), F32)
        self.gW = [None, None] + [np.empty((K, sizes[l], sizes[l - 1]), F32) for l in range(2, L + 1)]
        self.gb = [None] + [np.empty((K, sizes[l]), F32) for l in range(1, L + 1)]
        self.gb1 = self.gb[1].reshape(K * n1)
        self.sq = np.empty((K, max(sizes[1:])), F32)

    def gradient(self, x, y, weights=True):
        A, D, T, W, b = self.A, self.D, self.T, self.W, self.b
        for l in range(1, self.L + 1):
            if l == 1:
                a = self.A1
                np.matmul(x, self.W1.T, out=a)
                a += self.b1
            else:
                a = A[l]
                np.matmul(A[l - 1], W[l].transpose(0, 2, 1), out=a)
                a += b[l]
            np.negative(a, out=a)
            np.exp(a, out=a)
            a += F32(1)
            np.reciprocal(a, out=a)
        np.subtract(A[self.L], y, out=D[self.L])
        inv_m = F32(1 / x.shape[0])
        for l in range(self.L, 0, -1):
            if l == 1:
                np.sum(self.D1, axis=0, out=self.gb1)
                self.gb1 *= inv_m
                if weights:
                    np.matmul(self.D1.T, x, out=self.gW1)
                break
            d = D[l]
            np.sum(d, axis=1, out=self.gb[l])
            self.gb[l] *= inv_m
            if weights:
                np.matmul(d.transpose(0, 2, 1), A[l - 1], out=self.gW[l])
            np.matmul(d, W[l], out=D[l - 1])
            t = T[l - 1]
            np.subtract(F32(1), A[l - 1], out=t)
            t *= A[l - 1]
            D[l - 1] *= t

    def speeds(self, out):
        """out[k, l-1] = ||gb^l|| of network k."""
        for l in range(1, self.L):
            g = self.gb[l]
            sq = self.sq[:, :g.shape[1]]
            np.multiply(g, g, out=sq)
            out[:, l - 1] = np.sqrt(sq.sum(axis=1, dtype=np.float64))

    def step(self, eta, lam, n, m):
        decay = F32(1 - eta * lam / n)
        ew, eb = F32(eta / m), F32(eta)
        for w, gw, gb, bb in [(self.W1, self.gW1, self.gb1, self.b1)] + \
                [(self.W[l], self.gW[l], self.gb[l], self.b[l][:, 0, :]) for l in range(2, self.L + 1)]:
            w *= decay
            gw *= ew
            w -= gw
            gb *= eb
            bb -= gb

    def check_dtypes(self):
        for v in [self.W1, self.b1, self.A1, self.D1, self.gW1] + self.W[2:] + self.b[2:] + self.A[1:] + \
                self.D[1:] + self.T[1:] + self.gW[2:] + self.gb[1:]:
            assert v.dtype == F32, v.dtype


# ---------------------------------------------------------------- jobs

X = Y = None  # set in main, inherited by forked workers


def run_job(job):
    """One network: its speed curve (steps rows) or, untrained, its speeds at init."""
    ni, s, steps = job
    if isinstance(s, list):
        return run_stack(job)
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


def run_stack(job):
    """Networks seeds side by side (StackNet): their curves, curve[k, t, l-1]."""
    ni, seeds, steps = job
    sizes = ARGS.nets[ni]
    m = X.shape[0]
    net = StackNet(sizes, m, [ARGS.seed + s for s in seeds])
    curve = np.empty((len(seeds), max(steps, 1), len(sizes) - 2))
    if steps == 0:
        net.gradient(X, Y, weights=False)
        net.speeds(curve[:, 0])
    else:
        for t in range(steps):
            net.gradient(X, Y)
            net.speeds(curve[:, t])
            net.step(ARGS.eta, ARGS.lam, m, m)
    net.check_dtypes()
    return ni, seeds, curve


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
        # StackNet against separate Nets of the same seeds.
        seeds = [12345, 12346, 12347]
        st = StackNet(sizes, 200, seeds)
        st.gradient(X[:200], Y[:200])
        st.check_dtypes()
        sp = np.empty((3, net.L - 1))
        st.speeds(sp)
        for k, sd in enumerate(seeds):
            one = Net(sizes, 200, sd)
            one.gradient(X[:200], Y[:200])
            n1 = sizes[1]
            pairs = [(st.gb1[k * n1:(k + 1) * n1], one.gb[1]), (st.gW1[k * n1:(k + 1) * n1], one.gW[1])] + \
                [(st.gb[l][k], one.gb[l]) for l in range(2, net.L + 1)] + \
                [(st.gW[l][k], one.gW[l]) for l in range(2, net.L + 1)]
            sp1 = np.empty(net.L - 1)
            one.speeds(sp1)
            pairs.append((sp[k], sp1))
            for u, v in pairs:
                err = np.max(np.abs(u - v)) / np.max(np.abs(v))
                worst = max(worst, err)
        print("%-25s stacked = separate: ok" % sizes)
    net.check_dtypes()
    if worst > 1e-3:
        sys.exit("study_numpy: gradient check FAILED")
    print("gradient check passed")


def mann_whitney(a, b):
    """Two-sided p-value of the Mann-Whitney U test (normal approximation, no ties expected)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    r = np.empty(len(a) + len(b))
    r[np.argsort(np.concatenate([a, b]), kind="stable")] = np.arange(1, len(r) + 1)
    n1, n2 = len(a), len(b)
    u = r[:n1].sum() - n1 * (n1 + 1) / 2
    z = (u - n1 * n2 / 2) / math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
    return math.erfc(abs(z) / math.sqrt(2))


def compare_to(d, init, curves):
    """Go's raw speeds (speeds-init.csv, speeds-<sizes>.csv in d) against ours:
    medians side by side and the p-value that both come from one distribution
    (the networks differ, since the RNGs do)."""
    def read(path):
        with open(path) as f:
            next(f)
            return [ln.strip().split(",") for ln in f]
    go_init = read(os.path.join(d, "speeds-init.csv"))
    print("\nAgainst deltacore (%s): medians, and the Mann-Whitney p-value of equal distributions" % d)
    print("%-25s %6s %-8s %11s %11s %7s" % ("network", "layer", "when", "deltacore", "numpy", "p"))
    ps = []
    for ni, sizes in enumerate(ARGS.nets):
        name = "-".join(map(str, sizes))
        rows = [("init", l, [float(r[3]) for r in go_init if r[0] == name and int(r[2]) == l + 1], init[ni][:, l])
                for l in range(len(sizes) - 2)]
        cpath = os.path.join(d, "speeds-%s.csv" % name)
        if ARGS.steps and os.path.exists(cpath):
            gc = read(cpath)
            for t in (0, ARGS.steps - 1):
                for l in range(len(sizes) - 2):
                    rows.append(("step %d" % t, l, [float(r[3]) for r in gc if int(r[1]) == t and int(r[2]) == l + 1],
                                 curves[ni][:, t, l]))
        for i, (when, l, g, ours) in enumerate(rows):
            if not g:
                continue
            p = mann_whitney(g, ours)
            ps.append(p)
            print("%-25s %6d %-8s %11.4g %11.4g %7.3f" % (str(sizes) if i == 0 else "", l + 1, when,
                                                         np.median(g), np.median(ours), p))
    if ps:
        print("%d comparisons, %d with p < 0.05 (about %.1f expected by chance), smallest p = %.3g" %
              (len(ps), sum(p < 0.05 for p in ps), 0.05 * len(ps), min(ps)))


def band(v):
    return np.percentile(v, [50, 5, 95])  # linear interpolation, as study.Quantile


def main():
    global X, Y
    t_wall = time.perf_counter()
    X, Y = load_mnist(data_dir(ARGS.data, "study_numpy"), ARGS.images)
    if ARGS.check:
        check()
        return
    m = ARGS.images
    jobs = []
    for ni in range(len(ARGS.nets)):
        for s in range(ARGS.seeds):
            jobs.append((ni, s, ARGS.steps if s < ARGS.train_seeds else 0))
    jobs.sort(key=lambda j: j[2] == 0)  # training jobs first: they are the long ones (stable sort)
    if ARGS.stack > 1:  # groups of up to --stack seeds of one network and one length
        groups = []
        for j in jobs:
            g = groups[-1] if groups else None
            if g and g[0] == j[0] and g[2] == j[2] and len(g[1]) < ARGS.stack:
                g[1].append(j[1])
            else:
                groups.append((j[0], [j[1]], j[2]))
        jobs = groups
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
            if isinstance(s, list):  # a stack: one curve per seed
                for k, sk in enumerate(s):
                    init[ni][sk] = curve[k, 0]
                    if ARGS.steps and sk < ARGS.train_seeds:
                        curves[ni][sk] = curve[k]
                flops += curve.shape[0] * curve.shape[1] * pass_flops(ARGS.nets[ni], m)
                continue
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

    out = {"numpy": np.__version__, "blas": blas_info(), "procs": ARGS.procs, "threads": ARGS.threads, "stack": ARGS.stack,
           "images": m, "seeds": ARGS.seeds, "train_seeds": ARGS.train_seeds, "steps": ARGS.steps, "nets": []}
    print("study_numpy: numpy %s, %s, %d process(es) x %d BLAS thread(s), %d network(s) per stack\n" %
          (np.__version__, out["blas"], ARGS.procs, ARGS.threads, ARGS.stack))
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
    if ARGS.compare_to:
        compare_to(ARGS.compare_to, init, curves)
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
                return "%s (runtime core %s)" % (h.openblas_get_config().decode(), h.openblas_get_corename().decode())
            except (OSError, AttributeError):
                pass
    return ", ".join(os.path.basename(v) for v in libs) or "unknown BLAS"


if __name__ == "__main__":
    main()
