#!/usr/bin/python3
"""One training step of [784,30,30,30,10] in batched float32 numpy, timed.

The peer of `go test -bench TrainStep -cpu 1 ./mlp`: the same step,
forward + backward + SGD update of a sigmoid network with the cross-entropy
cost (delta^L = a^L - y), eta = 0.1, L2 decay lambda = 5 with n = 60000
(w <- (1 - eta*lambda/n) w - eta*grad_w, b <- b - eta*grad_b, gradients
averaged over the batch), on a fixed batch of random inputs and one-hot
labels, at batch 10 and 1000. The layer-1 delta.W product is not computed
(as in deltacore). It prints samples/s in wall time and in process CPU
time (time.process_time), the median of --rounds rounds of about --seconds
each. Run it at one thread, as the Go benchmark runs:

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/trainstep_numpy.py

(--openblas-core SkylakeX sets OPENBLAS_CORETYPE for CPUs that Debian's
OpenBLAS 0.3.21 does not know). Needs python3-numpy.
"""

import argparse
import os
import statistics
import sys
import time

SIZES = [784, 30, 30, 30, 10]
ETA, LAM, NDECAY = 0.1, 5.0, 60000


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--batches", default="10,1000", help="batch sizes, comma-separated")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--seconds", type=float, default=1.0, help="approximate length of a round")
    p.add_argument("--openblas-core", default="", help="set OPENBLAS_CORETYPE (e.g. SkylakeX)")
    p.add_argument("--check", action="store_true", help="check one step against a float64 reference, then exit")
    return p.parse_args()


ARGS = parse_args()
if ARGS.openblas_core:
    os.environ["OPENBLAS_CORETYPE"] = ARGS.openblas_core
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402


class Net:
    def __init__(self, dtype, seed=1):
        rng = np.random.default_rng(seed)
        self.W = [None] + [(rng.standard_normal((n, k)) / np.sqrt(k)).astype(dtype) for k, n in zip(SIZES, SIZES[1:])]
        self.b = [None] + [rng.standard_normal(n).astype(dtype) for n in SIZES[1:]]
        self.dtype = dtype

    def step(self, x, y):
        L = len(SIZES) - 1
        m = x.shape[0]
        a = [x]
        for l in range(1, L + 1):
            z = a[-1] @ self.W[l].T
            z += self.b[l]
            np.negative(z, out=z)
            np.exp(z, out=z)
            z += 1
            np.reciprocal(z, out=z)
            a.append(z)
        d = a[L] - y
        decay = self.dtype(1 - ETA * LAM / NDECAY)
        eta_m = self.dtype(ETA / m)
        for l in range(L, 0, -1):
            gw = d.T @ a[l - 1]
            gb = d.sum(axis=0)
            if l > 1:
                dn = d @ self.W[l]
                s = a[l - 1]
                dn *= s
                dn *= 1 - s
            self.W[l] *= decay
            gw *= eta_m
            self.W[l] -= gw
            gb *= eta_m
            self.b[l] -= gb
            if l > 1:
                d = dn


def data(m, dtype, seed=2):
    rng = np.random.default_rng(seed)
    x = rng.random((m, SIZES[0])).astype(dtype)
    y = np.zeros((m, SIZES[-1]), dtype)
    y[np.arange(m), rng.integers(0, SIZES[-1], m)] = 1
    return x, y


def check():
    # float32 step against a float64 one from the same start: same update
    # up to float32 rounding.
    x, y = data(50, np.float64)
    n64, n32 = Net(np.float64), Net(np.float32)
    w0 = [w.copy() for w in n64.W[1:]]
    n64.step(x, y)
    n32.step(x.astype(np.float32), y.astype(np.float32))
    for l in range(1, len(SIZES)):
        upd = np.abs(n64.W[l] - w0[l - 1]).max()
        err = np.abs(n64.W[l] - n32.W[l]).max()
        if not (upd > 0 and err < 1e-5 + 1e-3 * upd):
            sys.exit("trainstep_numpy: layer %d: float32 step differs by %g (update %g)" % (l, err, upd))
    print("trainstep_numpy: float32 step = float64 step: ok")


def main():
    if ARGS.check:
        check()
        return
    print("trainstep_numpy: numpy %s, %s, OPENBLAS_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s" % (
        np.__version__, SIZES, os.environ.get("OPENBLAS_NUM_THREADS"), os.environ.get("OPENBLAS_CORETYPE", "")))
    for m in [int(s) for s in ARGS.batches.split(",")]:
        net = Net(np.float32)
        x, y = data(m, np.float32)
        net.step(x, y)
        t0 = time.perf_counter()
        reps = 0
        while time.perf_counter() - t0 < 0.2:
            net.step(x, y)
            reps += 1
        reps = max(1, int(reps * ARGS.seconds / 0.2))
        wall, cpu = [], []
        for _ in range(ARGS.rounds):
            w0, c0 = time.perf_counter(), time.process_time()
            for _ in range(reps):
                net.step(x, y)
            w1, c1 = time.perf_counter(), time.process_time()
            wall.append(m * reps / (w1 - w0))
            cpu.append(m * reps / (c1 - c0))
        print("batch %d: %.0f samples/s wall, %.0f samples/s cpu (medians of %d rounds of %d steps)" % (
            m, statistics.median(wall), statistics.median(cpu), ARGS.rounds, reps))


main()
