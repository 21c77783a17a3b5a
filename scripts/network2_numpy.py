#!/usr/bin/env python3
"""Train a sigmoid network on MNIST with the algorithm of Nielsen's network2.py, in float64 numpy.

An independent reference for `deltacore train`: it shares no code, no random
numbers and no arithmetic with deltacore (float64, numpy's own generator and
Python's random.shuffle, as network2.py has them), so the spread of its test
accuracy over seeds is what the algorithm itself gives.

The algorithm is network2.py's SGD (Neural Networks and Deep Learning, ch. 3):
shuffle the training data every epoch, cut it into mini-batches of m, and for
every batch

    w <- (1 - eta*lambda/n) w - (eta/m) sum_x dC_x/dw,    b <- b - (eta/m) sum_x dC_x/db

with n the size of the training set, sigmoid units, and the cross-entropy
cost (delta^L = a^L - y) or the quadratic one (delta^L = (a^L - y) sigma'(z^L)).
network2.py sums the per-sample gradients in a Python loop; here a batch is
one matrix (sum_x delta a^T = Delta A^T), which is the same sum.

Pixels are scaled by 1/256 (the book's mnist.pkl.gz). By default it trains on
all 60 000 training images, as `deltacore train` does; --validation 10000 holds
out the last 10 000 (the book's 50 000 + 10 000 split).

    /usr/bin/python3 scripts/network2_numpy.py --sizes 784,100,10 --seed 3
    /usr/bin/python3 scripts/network2_numpy.py --check     # gradients against central differences

Needs numpy (Debian: apt install python3-numpy). The last line is
`test accuracy: NN.NN%`, as `deltacore train` prints it.
"""

import argparse
import gzip
import os
import random
import struct
import sys

import numpy as np

from gomnist import data_dir


def read_idx(path, magic, dims):
    with gzip.open(path, "rb") as f:
        head = f.read(4 + 4 * dims)
        if len(head) < 4 + 4 * dims:
            sys.exit("network2_numpy: %s: truncated header" % path)
        got = struct.unpack(">%dI" % (1 + dims), head)
        if got[0] != magic:
            sys.exit("network2_numpy: %s: magic %d, want %d" % (path, got[0], magic))
        size = int(np.prod(got[1:]))
        body = f.read(size)
        if len(body) != size:
            sys.exit("network2_numpy: %s: %d bytes of data, want %d" % (path, len(body), size))
    return np.frombuffer(body, dtype=np.uint8).reshape(got[1], -1)


def load(d, kind):
    x = read_idx(os.path.join(d, kind + "-images-idx3-ubyte.gz"), 2051, 3).astype(np.float64) / 256.0
    y = read_idx(os.path.join(d, kind + "-labels-idx1-ubyte.gz"), 2049, 1).reshape(-1).astype(np.int64)
    if len(x) != len(y):
        sys.exit("network2_numpy: %d %s images but %d labels" % (len(x), kind, len(y)))
    return x, y


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Net:
    """Weights w[l] (n_l x n_{l-1}) and biases b[l] (n_l x 1), as in network2.py."""

    def __init__(self, sizes, init, cost):
        self.sizes, self.cost = sizes, cost
        self.b = [np.random.randn(y, 1) for y in sizes[1:]]
        scale = (lambda x: np.sqrt(x)) if init == "nielsen" else (lambda x: 1.0)
        self.w = [np.random.randn(y, x) / scale(x) for x, y in zip(sizes[:-1], sizes[1:])]

    def forward(self, x):
        """x: n_0 x m. Returns the z's and the a's (a[0] = x)."""
        zs, acts = [], [x]
        for w, b in zip(self.w, self.b):
            zs.append(w @ acts[-1] + b)
            acts.append(sigmoid(zs[-1]))
        return zs, acts

    def gradients(self, x, y):
        """Sums over the columns of x (samples) of dC_x/dw and dC_x/db."""
        zs, acts = self.forward(x)
        delta = acts[-1] - y
        if self.cost == "quadratic":
            delta = delta * acts[-1] * (1 - acts[-1])
        gw, gb = [None] * len(self.w), [None] * len(self.b)
        for l in range(len(self.w) - 1, -1, -1):
            gw[l] = delta @ acts[l].T
            gb[l] = delta.sum(axis=1, keepdims=True)
            if l > 0:
                delta = (self.w[l].T @ delta) * acts[l] * (1 - acts[l])
        return gw, gb

    def cost_sum(self, x, y):
        a = self.forward(x)[1][-1]
        if self.cost == "quadratic":
            return 0.5 * ((a - y) ** 2).sum()
        return -(y * np.log(a) + (1 - y) * np.log(1 - a)).sum()

    def correct(self, x, labels):
        return int((self.forward(x.T)[1][-1].argmax(axis=0) == labels).sum())


def check(cost):
    """Gradients of a small random network against central differences."""
    np.random.seed(7)
    net = Net([5, 4, 3, 2], "nielsen", cost)
    x, y = np.random.rand(5, 3), np.eye(2)[:, [0, 1, 1]]
    gw, gb = net.gradients(x, y)
    h, worst = 1e-6, 0.0
    for params, grads in ((net.w, gw), (net.b, gb)):
        for p, g in zip(params, grads):
            for i in np.ndindex(p.shape):
                keep = p[i]
                p[i] = keep + h
                up = net.cost_sum(x, y)
                p[i] = keep - h
                down = net.cost_sum(x, y)
                p[i] = keep
                worst = max(worst, abs((up - down) / (2 * h) - g[i]) / max(1e-3, abs(g[i])))
    if worst > 1e-5:
        sys.exit("network2_numpy: %s gradients off by %.3g (relative) from central differences" % (cost, worst))
    print("%s gradients agree with central differences: worst relative error %.2g" % (cost, worst))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="784,30,10", help="layer sizes, input first (784 in, 10 out)")
    p.add_argument("--eta", type=float, default=0.5)
    p.add_argument("--lambda", dest="lam", type=float, default=5.0)
    p.add_argument("--batch", type=int, default=10)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--cost", choices=("crossentropy", "quadratic"), default="crossentropy")
    p.add_argument("--init", choices=("nielsen", "large"), default="nielsen",
                   help="network2.py's default_weight_initializer or large_weight_initializer")
    p.add_argument("--seed", type=int, default=1, help="seeds numpy's generator (initialiser) and random (shuffle)")
    p.add_argument("--ntrain", type=int, default=0, help="train on the first N images (0: all, less --validation)")
    p.add_argument("--validation", type=int, default=0, help="hold out the last N training images and report their accuracy")
    p.add_argument("--data", default="", help="directory of the MNIST IDX .gz files (default: GoMNIST in the Go module cache)")
    p.add_argument("--check", action="store_true", help="only check the gradients against central differences")
    a = p.parse_args()
    if a.check:
        check("crossentropy")
        check("quadratic")
        return
    sizes = [int(s) for s in a.sizes.split(",")]
    if len(sizes) < 2 or sizes[0] != 784 or sizes[-1] != 10 or min(sizes) <= 0:
        sys.exit("network2_numpy: --sizes must be 784,…,10 with positive sizes, got %s" % a.sizes)
    if a.batch <= 0 or a.epochs < 0 or a.eta <= 0:
        sys.exit("network2_numpy: --batch and --eta must be positive, --epochs not negative")
    d = data_dir(a.data, "network2_numpy")
    xtr, ytr = load(d, "train")
    xte, yte = load(d, "t10k")
    if not 0 <= a.validation < len(xtr):
        sys.exit("network2_numpy: --validation %d out of range" % a.validation)
    xva, yva = xtr[len(xtr) - a.validation:], ytr[len(ytr) - a.validation:]
    avail = len(xtr) - a.validation
    n = a.ntrain or avail
    if not 0 < n <= avail:
        sys.exit("network2_numpy: --ntrain %d: only %d training images" % (a.ntrain, avail))
    xtr, ytr = xtr[:n], ytr[:n]

    np.random.seed(a.seed)
    random.seed(a.seed)
    net = Net(sizes, a.init, a.cost)
    onehot = np.eye(10)
    order = list(range(n))
    decay = 1 - a.eta * a.lam / n
    print("network2 (float64 numpy) %s, %s, eta %g, lambda %g, batch %d, %d training images, seed %d"
          % (sizes, a.cost, a.eta, a.lam, a.batch, n, a.seed))
    print("epoch  test" + ("  validation" if a.validation else ""))
    for e in range(1, a.epochs + 1):
        random.shuffle(order)
        for k in range(0, n, a.batch):
            j = order[k:k + a.batch]
            gw, gb = net.gradients(xtr[j].T, onehot[ytr[j]].T)
            step = a.eta / len(j)
            net.w = [decay * w - step * g for w, g in zip(net.w, gw)]
            net.b = [b - step * g for b, g in zip(net.b, gb)]
        line = "%5d  %6.2f%%" % (e, 100.0 * net.correct(xte, yte) / len(yte))
        if a.validation:
            line += "  %6.2f%%" % (100.0 * net.correct(xva, yva) / len(yva))
        print(line, flush=True)
    print("test accuracy: %.2f%%" % (100.0 * net.correct(xte, yte) / len(yte)))


if __name__ == "__main__":
    main()
