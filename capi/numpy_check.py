"""numpy as a client of libdeltacore.so.

Run under LD_PRELOAD=./libdeltacore.so (and DELTACORE_TRACE=1 to see the
call counts printed at exit). Checks that float32 a @ b, np.dot and
matrix-vector products agree with float64 numpy within float32 bounds
(|c - ref| <= 2k * 2^-24 * (|a| @ |b|), elementwise), and that the library
is mapped into this process. With --bench, times float32 matmul at 1024^2
and at 10x784 @ 784x30 instead (best of several runs, in GFLOP/s of the
calling thread's CPU time: run it with one BLAS thread).
It also runs a product in a child of fork(): the Go runtime's threads do
not survive fork, and the library must then work on the calling thread.
"""

import os
import signal
import sys
import time

import numpy as np

EPS = 2.0**-24


def mapped():
    with open("/proc/self/maps") as f:
        return any("libdeltacore" in line for line in f)


def check(name, got, a, b, k):
    ref = a.astype(np.float64) @ b.astype(np.float64)
    bound = 2 * (k + 1) * EPS * (np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64))) + 1e-37
    err = np.abs(got.astype(np.float64) - ref)
    ratio = float((err / bound).max()) if err.size else 0.0
    ok = got.dtype == np.float32 and got.shape == ref.shape and ratio <= 1
    print(f"{'ok  ' if ok else 'FAIL'} {name:44s} shape {str(got.shape):14s} worst error/bound {ratio:.3f}")
    return ok


def checks():
    rng = np.random.default_rng(1)
    f32 = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    ok = True
    for m, k, n in [(1, 1, 1), (5, 7, 3), (64, 64, 64), (10, 784, 30), (257, 300, 129), (1000, 33, 700)]:
        a, b = f32(m, k), f32(k, n)
        ok &= check(f"a @ b {m}x{k}x{n}", a @ b, a, b, k)
        ok &= check(f"np.dot(a, b) {m}x{k}x{n}", np.dot(a, b), a, b, k)
        at, bt = np.asfortranarray(a), np.asfortranarray(b)
        ok &= check(f"Fortran-order a @ b {m}x{k}x{n}", at @ bt, a, b, k)
        ok &= check(f"(b.T @ a.T).T {m}x{k}x{n}", (b.T @ a.T).T, a, b, k)
        v = f32(k)
        ok &= check(f"a @ v {m}x{k}", a @ v, a, v, k)
        w = f32(m)
        ok &= check(f"w @ a {m}x{k}", w @ a, w, a, m)
        ok &= check(f"np.dot(a, v[::2] strided) {m}x{k}", np.dot(a[:, ::2], v[::2]), a[:, ::2], v[::2], (k + 1) // 2)
        ok &= check(f"np.dot(v, v) {k}", np.array(np.dot(v, v), dtype=np.float32), v, v, k)
    print("libdeltacore.so mapped:", mapped())
    return ok and mapped()


def fork_check():
    """A product in a child of fork() (as Python's multiprocessing makes),
    large enough for the parallel path: it must finish, and be right."""
    rng = np.random.default_rng(2)
    a = rng.standard_normal((600, 500)).astype(np.float32)
    b = rng.standard_normal((500, 400)).astype(np.float32)
    a @ b  # the parent's runtime has run a parallel product before the fork
    pid = os.fork()
    if pid == 0:
        ok = check("a @ b 600x500x400 in a fork()ed child", a @ b, a, b, 500)
        os._exit(0 if ok else 1)
    for _ in range(600):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    print("FAIL the fork()ed child did not finish in 60 s")
    return False


def bench():
    rng = np.random.default_rng(1)
    for m, k, n, reps in [(1024, 1024, 1024, 5), (10, 784, 30, 20000)]:
        a = rng.standard_normal((m, k)).astype(np.float32)
        b = rng.standard_normal((k, n)).astype(np.float32)
        c = np.empty((m, n), np.float32)
        np.matmul(a, b, out=c)
        best = float("inf")
        for _ in range(5):
            t = time.thread_time()
            for _ in range(reps):
                np.matmul(a, b, out=c)
            best = min(best, (time.thread_time() - t) / reps)
        print(f"matmul {m}x{k}x{n}: {2 * m * n * k / best / 1e9:.1f} GFLOP/s ({best * 1e6:.1f} us)")


if __name__ == "__main__":
    if "--bench" in sys.argv:
        bench()
    else:
        ok = checks()
        ok &= fork_check()
        sys.exit(0 if ok else 1)
