#!/usr/bin/python3
"""One training step of [784,30,30,30,10] in PyTorch (float32, CPU), timed.

The peer of `go test -bench TrainStep -cpu 1 ./mlp` and of
scripts/trainstep_numpy.py, written as a PyTorch user writes it: nn.Linear
layers with sigmoids, the cross-entropy cost on the logits
(binary_cross_entropy_with_logits summed over the outputs, averaged over the
batch, so delta^L = a^L - y), autograd, and torch.optim.SGD with eta = 0.1
and weight_decay = lambda/n = 5/60000 on the weights only (the biases get
none), which is w <- (1 - eta*lambda/n) w - eta*grad_w. Fixed random
inputs and one-hot labels, batch 10 and 1000, one thread
(torch.set_num_threads(1)). It prints samples/s in wall and process CPU time,
the median of --rounds rounds of about --seconds each.

    /usr/bin/python3 scripts/trainstep_torch.py

Needs Debian's python3-torch (1.13).
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402

SIZES = [784, 30, 30, 30, 10]
ETA, LAM, NDECAY = 0.1, 5.0, 60000


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--batches", default="10,1000", help="batch sizes, comma-separated")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--seconds", type=float, default=1.0, help="approximate length of a round")
    p.add_argument("--check", action="store_true", help="check one step against the update computed by hand, then exit")
    return p.parse_args()


def model():
    torch.manual_seed(1)
    layers = []
    for k, n in zip(SIZES, SIZES[1:]):
        lin = torch.nn.Linear(k, n)
        with torch.no_grad():
            lin.weight.normal_(0, 1 / k ** 0.5)
            lin.bias.normal_(0, 1)
        layers += [lin, torch.nn.Sigmoid()]
    net = torch.nn.Sequential(*layers[:-1])  # the last sigmoid is in the cost
    weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in net.named_parameters() if name.endswith("bias")]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": LAM / NDECAY},
                           {"params": biases, "weight_decay": 0}], lr=ETA)
    return net, opt


def data(m):
    g = torch.Generator().manual_seed(2)
    x = torch.rand(m, SIZES[0], generator=g)
    y = torch.zeros(m, SIZES[-1])
    y[torch.arange(m), torch.randint(0, SIZES[-1], (m,), generator=g)] = 1
    return x, y


def step(net, opt, x, y):
    opt.zero_grad(set_to_none=True)
    z = net(x)
    cost = torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="sum") / x.shape[0]
    cost.backward()
    opt.step()


def check():
    # The step against the book's update with delta^L = a^L - y by hand.
    net, opt = model()
    x, y = data(20)
    W = [lin.weight.detach().double().clone() for lin in net if isinstance(lin, torch.nn.Linear)]
    B = [lin.bias.detach().double().clone() for lin in net if isinstance(lin, torch.nn.Linear)]
    a = [x.double()]
    for w, b in zip(W, B):
        a.append(torch.sigmoid(a[-1] @ w.T + b))
    d = a[-1] - y.double()
    m = x.shape[0]
    newW = [None] * len(W)
    for l in range(len(W) - 1, -1, -1):
        newW[l] = (1 - ETA * LAM / NDECAY) * W[l] - ETA * (d.T @ a[l]) / m
        d = (d @ W[l]) * a[l] * (1 - a[l])
    step(net, opt, x, y)
    got = [lin.weight.detach().double() for lin in net if isinstance(lin, torch.nn.Linear)]
    for l, (g, w, w0) in enumerate(zip(got, newW, W)):
        err, upd = (g - w).abs().max().item(), (w - w0).abs().max().item()
        if not (upd > 0 and err < 1e-5 + 1e-3 * upd):
            raise SystemExit("trainstep_torch: layer %d differs by %g (update %g)" % (l + 1, err, upd))
    print("trainstep_torch: the step is the book's update: ok")


def main():
    args = parse_args()
    torch.set_num_threads(1)
    if args.check:
        check()
        return
    print("trainstep_torch: torch %s, %s, %d thread(s)" % (torch.__version__, SIZES, torch.get_num_threads()))
    for m in [int(s) for s in args.batches.split(",")]:
        net, opt = model()
        x, y = data(m)
        step(net, opt, x, y)
        t0 = time.perf_counter()
        reps = 0
        while time.perf_counter() - t0 < 0.2:
            step(net, opt, x, y)
            reps += 1
        reps = max(1, int(reps * args.seconds / 0.2))
        wall, cpu = [], []
        for _ in range(args.rounds):
            w0, c0 = time.perf_counter(), time.process_time()
            for _ in range(reps):
                step(net, opt, x, y)
            w1, c1 = time.perf_counter(), time.process_time()
            wall.append(m * reps / (w1 - w0))
            cpu.append(m * reps / (c1 - c0))
        print("batch %d: %.0f samples/s wall, %.0f samples/s cpu (medians of %d rounds of %d steps)" % (
            m, statistics.median(wall), statistics.median(cpu), args.rounds, reps))


main()
