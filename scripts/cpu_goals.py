#!/usr/bin/python3
"""Measures issue 16's goals on this CPU and writes bench/results/<key>.goals.md.

Issue 16 sets, for every CPU deltacore is measured on, goals against the
best peer that CPU runs: Sgemm against OpenBLAS (its own kernel choice and,
on a CPU with AVX-512, its SkylakeX kernels forced: Debian's OpenBLAS 0.3.21
takes AMD family 26 for Haswell), sigma and sigma' against glibc's libmvec,
one training step against batched numpy and PyTorch, and the main job,
`deltacore study`, against the fastest numpy variant of
scripts/study_compare.sh. This script runs all of them at one thread each
(study_compare on every core, as a user runs it), in one go, and writes the
verdicts with every figure and the command behind it:

    /usr/bin/python3 scripts/cpu_goals.py              # about 5 minutes
    /usr/bin/python3 scripts/cpu_goals.py --skip study # leave a part out

Run it on an otherwise idle machine; every rate is a median of interleaved
rounds timed by process CPU time where the tool allows, and the report
records the load average at the start and the end. With --record it also
writes the full `deltacore bench` report bench/results/<key>.json that the
README's per-CPU tables are generated from (see bench/results/README.md).

Needs: Go; libopenblas-dev (Sgemm's peer, cgo); libc6-dev's libmvec (the
sigma peer, cgo); python3-numpy; python3-torch (the batch-10 peer; its row
is marked not measured without it).
"""

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"

# Issue 16's Sgemm table: (shape as `deltacore bench` names it, goal).
SGEMM = [
    ("m=256,n=256,k=256", 1.0),
    ("m=512,n=512,k=512", 1.0),
    ("m=1024,n=1024,k=1024", 1.0),
    ("m=1000,n=30,k=784,op=NT", 1.3),  # the batch-1000 forward (a network-gradient shape)
    ("m=30,n=784,k=1000,op=TN", 1.3),  # the weight gradient
    ("m=10,n=30,k=784,op=NT", 1.0),  # the batch-10 forward
]


def log(msg):
    print("cpu_goals: " + msg, file=sys.stderr, flush=True)


def run(cmd, env=None, **kw):
    """Runs cmd (a list) in the repository root and returns its stdout; a
    failure stops the script with the command's output."""
    e = dict(os.environ)
    e.update(env or {})
    shown = " ".join(cmd)
    if env:
        shown = " ".join("%s=%s" % kv for kv in env.items()) + " " + shown
    log("$ " + shown)
    p = subprocess.run(cmd, cwd=ROOT, env=e, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit("cpu_goals: failed (exit %d): %s" % (p.returncode, shown))
    return p.stdout


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


class Goals:
    def __init__(self):
        self.rows = []  # (area, figure, ours, peer, ratio, goal, verdict)
        self.commands = []

    def add(self, area, figure, ours, peer, goal, unit="", note="", lower_better=False):
        if ours is None or peer is None or peer <= 0 or ours <= 0:
            self.rows.append((area, figure, "—", "—", "—", "≥ %.1f×" % goal, "not measured" + (": " + note if note else "")))
            return
        r = peer / ours if lower_better else ours / peer
        self.rows.append((area, figure, fmt(ours) + unit, fmt(peer) + unit, "%.2f×" % r, "≥ %.1f×" % goal,
                          ("met" if r >= goal else "**not met**") + (" (" + note + ")" if note else "")))

    def add_fraction(self, area, figure, ours, copy, goal):
        if ours is None or copy is None:
            self.rows.append((area, figure, "—", "—", "—", "≥ %d %% of copy" % (goal * 100), "not measured"))
            return
        f = ours / copy
        self.rows.append((area, figure, fmt(ours) + " Gelem/s", "copy " + fmt(copy) + " Gelem/s", "%.0f %%" % (100 * f),
                          "≥ %d %%" % (goal * 100), "met" if f >= goal else "**not met**"))


def fmt(v):
    return "%.3g" % v if v < 100 else "%.0f" % v


def cpu_info(dcb):
    out = run([dcb, "cpu"])
    info = {}
    for line in out.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            info[k.strip()] = v.strip()
    key = info.get("cpu key", "").split()[0]
    return key, info.get("level", ""), info.get("cpu", ""), info.get("vendor", ""), info.get("levels", "").split()


def shown(cmd, env=None):
    """cmd (a list) as a shell line, with env's settings in front."""
    pre = " ".join("%s=%s" % kv for kv in (env or {}).items())
    return (pre + " " if pre else "") + " ".join(shlex.quote(c) for c in cmd)


def sgemm(g, dcb, level, levels, tmp, count, area="Sgemm"):
    """Our level against OpenBLAS's own choice and, where the CPU has
    AVX-512, its SkylakeX kernels; the better peer counts. For the AVX2
    stand-in (level avx2 on a CPU with AVX-512), OpenBLAS's Haswell
    kernels are the peer."""
    shapes = "|".join(re.escape(s) for s, _ in SGEMM)
    flt = "(isa=%s|peer=openblas)/(%s)$" % (level, shapes)
    peers = [("its own choice", {})]
    if level == "avx2" and "avx512" in levels:
        peers = [("Haswell", {"OPENBLAS_CORETYPE": "Haswell"})]
    elif "avx512" in levels:
        peers.append(("SkylakeX", {"OPENBLAS_CORETYPE": "SkylakeX"}))
    ours = {s: [] for s, _ in SGEMM}
    best = {s: (0.0, "") for s, _ in SGEMM}
    for name, env in peers:
        js = os.path.join(tmp, "sgemm-%s-%s.json" % (level, name.split()[0]))
        cmd = [dcb, "bench", "--timer", "process-cpu", "--levels", level, "--count", str(count),
               "--filter", flt, "--out", js]
        run(cmd, env=env)
        g.commands.append(shown(["./dcb"] + cmd[1:-2], env))
        rep = json.load(open(js))
        for r in rep["results"]:
            shape = r["shape"]
            if shape not in ours:
                continue
            v = r["rate"]["median"]
            if "peer" in r["impl"]:
                if v > best[shape][0]:
                    best[shape] = (v, name)
            else:
                ours[shape].append(v)
    for s, goal in SGEMM:
        o = statistics.median(ours[s]) if ours[s] else None
        p, who = best[s]
        g.add(area, s + " (OpenBLAS %s)" % who if who else s, o, p or None, goal, " GFLOP/s")


def sigma(g, levels, rounds, avx2=False, area="σ"):
    cmd = ["go", "run", "-tags", "libmvec", "./scripts/mvecpeer", "-rounds", str(rounds), "-n", "4096,16777216"]
    if avx2 or "avx512" not in levels:
        cmd += ["-isa", "avx2"]
    out = run(cmd)
    g.commands.append(shown(cmd))
    vals = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4 and f[0].isdigit() and f[1] in ("Sigmoid", "SigmoidPrime"):
            vals[(int(f[0]), f[1])] = (float(f[2]), float(f[3]))
        elif len(f) >= 3 and f[0].isdigit() and f[1] in ("copy", "Sigmoid/bound", "SigmoidPrime/bound"):
            vals[(int(f[0]), f[1])] = (float(f[2]), None)
    for name, label in (("Sigmoid", "σ"), ("SigmoidPrime", "σ′")):
        o, p = vals.get((4096, name), (None, None))
        b = vals.get((4096, name + "/bound"), (None, None))[0]
        note = ""
        if o and p and b:
            # mvecpeer's instruction-mix bound: the kernel's own
            # instructions without their dependencies. Above it, the
            # goal needs fewer instructions, not a better schedule.
            need = 2.0 * p / b
            note = "runs at %.0f %% of its instruction-mix bound; 2× needs %.0f %% of it" % (100 * o / b, 100 * need)
            if need > 1.0 and o / p < 2.0:
                note += ": out of reach with these instructions on this CPU"
        g.add(area, "%s at n = 4096 (libmvec)" % label, o, p, 2.0, " Gelem/s", note=note)
    for name, label in (("Sigmoid", "σ"), ("SigmoidPrime", "σ′")):
        o = vals.get((16777216, name), (None, None))[0]
        c = vals.get((16777216, "copy"), (None, None))[0]
        g.add_fraction(area, "%s at n = 16M (DRAM)" % label, o, c, 0.9)


def trainstep(g, level, tmp, rounds):
    test = os.path.join(tmp, "mlp.test")
    run(["go", "test", "-c", "-o", test, "./mlp"])
    cmd = [test, "-test.run", "^$", "-test.bench", "TrainStep/isa=%s/" % level, "-test.cpu", "1", "-test.count", str(rounds)]
    out = run(cmd)
    g.commands.append(shown(["go", "test", "-run", "^$", "-bench", "TrainStep/isa=%s/" % level, "-cpu", "1",
                             "-count", str(rounds), "./mlp"]))
    ours = {}
    for line in out.splitlines():
        m = re.match(r"BenchmarkTrainStep/isa=\w+/batch=(\d+)\s", line)
        c = re.search(r"([\d.]+) cpu-samples/s", line)
        if m and c:
            ours.setdefault(int(m.group(1)), []).append(float(c.group(1)))
    peers = {}
    for name, script, env in (("numpy", "scripts/trainstep_numpy.py", {"OPENBLAS_NUM_THREADS": "1"}),
                              ("PyTorch", "scripts/trainstep_torch.py", {"OMP_NUM_THREADS": "1"})):
        cmd = [PY, script, "--rounds", str(rounds)]
        try:
            out = run(cmd, env=env)
        except SystemExit as e:
            log("%s peer not measured: %s" % (name, e))
            continue
        g.commands.append(shown(cmd, env))
        for line in out.splitlines():
            m = re.match(r"batch (\d+): \d+ samples/s wall, (\d+) samples/s cpu", line)
            if m:
                peers[(name, int(m.group(1)))] = float(m.group(2))
    med = {b: statistics.median(v) for b, v in ours.items()}
    g.add("TrainStep", "batch 1000 against numpy (samples/s)", med.get(1000), peers.get(("numpy", 1000)), 1.8)
    g.add("TrainStep", "batch 10 against PyTorch (samples/s)", med.get(10), peers.get(("PyTorch", 10)), 10.0,
          note="" if ("PyTorch", 10) in peers else "no python3-torch")


def study(g, rounds, steps):
    env = {"STEPS": str(steps)}
    cmd = ["scripts/study_compare.sh", str(rounds)]
    out = run(cmd, env=env)
    g.commands.append(shown(cmd, env))
    dc = None
    best = None
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 2 and f[0] == "deltacore" and f[1].endswith(";"):
            dc = float(f[1].rstrip(";"))
        m = re.match(r"(\S+)\s+/ deltacore \(medians\): compute ([\d.]+)x.*<- fastest numpy", line)
        if m:
            best = (m.group(1), float(m.group(2)))
    if dc is None or best is None:
        g.add("study", "deltacore study (compute)", None, None, 1.5, note="could not parse study_compare.sh")
        return
    g.add("study", "`deltacore study`, STEPS=%d, against numpy %s (compute time)" % (steps, best[0]),
          dc, best[1] * dc, 1.5, unit=" s", lower_better=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--skip", default="", help="comma-separated parts to leave out: sgemm, sigma, trainstep, study")
    ap.add_argument("--rounds", type=int, default=5, help="rounds (samples) per figure")
    ap.add_argument("--study-rounds", type=int, default=3)
    ap.add_argument("--steps", type=int, default=200, help="study_compare.sh's STEPS")
    ap.add_argument("--avx2", action="store_true",
                    help="on a CPU with AVX-512, also measure the AVX2 level (Sgemm against OpenBLAS's Haswell kernels,"
                         " σ against libmvec's AVX2 expf): a stand-in for CPUs without AVX-512, not a verdict on one")
    ap.add_argument("--record", action="store_true", help="also write the full bench report bench/results/<key>.json")
    ap.add_argument("--out", default="", help="the goals file (default bench/results/<key>.goals.md; - for stdout only)")
    a = ap.parse_args()
    skip = set(s for s in a.skip.split(",") if s)
    unknown = skip - {"sgemm", "sigma", "trainstep", "study"}
    if unknown:
        raise SystemExit("cpu_goals: unknown part(s) in --skip: %s" % ", ".join(sorted(unknown)))

    with tempfile.TemporaryDirectory() as tmp:
        dcb = os.path.join(tmp, "dcb")
        run(["go", "build", "-tags", "openblas", "-o", dcb, "./cmd/deltacore"])
        key, level, brand, vendor, levels = cpu_info(dcb)
        if not key:
            raise SystemExit("cpu_goals: `deltacore cpu` printed no cpu key")
        log("CPU %s (%s), level %s" % (key, brand, level))
        load0, t0 = loadavg(), time.time()
        g = Goals()
        parts = [("sgemm", lambda: sgemm(g, dcb, level, levels, tmp, a.rounds)),
                 ("sigma", lambda: sigma(g, levels, a.rounds)),
                 ("trainstep", lambda: trainstep(g, level, tmp, a.rounds)),
                 ("study", lambda: study(g, a.study_rounds, a.steps))]
        if a.avx2 and "avx512" in levels:
            parts += [("sgemm", lambda: sgemm(g, dcb, "avx2", levels, tmp, a.rounds, area="AVX2 stand-in: Sgemm")),
                      ("sigma", lambda: sigma(g, levels, a.rounds, avx2=True, area="AVX2 stand-in: σ"))]
        todo = [p for p in parts if p[0] not in skip]
        for i, (name, f) in enumerate(todo):
            log("[%d/%d] %s" % (i + 1, len(todo), name))
            f()
        if a.record:
            path = os.path.join("bench", "results", key + ".json")
            run([dcb, "bench", "--threads", "1", "--timer", "process-cpu", "--out", path])
            g.commands.append(shown(["./dcb", "bench", "--threads", "1", "--timer", "process-cpu", "--out", path]))
        load1 = loadavg()

    lines = ["# Issue 16's goals on %s" % key, "",
             "%s, %s, level %s; measured %s UTC in %.0f s, load average %s at the start, %s at the end (%d CPUs)."
             % (brand, vendor, level, time.strftime("%Y-%m-%d %H:%M", time.gmtime(t0)), time.time() - t0, load0, load1,
                os.cpu_count()), "",
             "Written by `/usr/bin/python3 scripts/cpu_goals.py`. Ratios are ours / the peer's (for the study, the"
             " peer's time / ours); every rate is a median of interleaved rounds, by process CPU time where the tool"
             " allows.", "",
             "| area | figure | ours | peer | ratio | goal | verdict |",
             "| --- | --- | ---: | ---: | ---: | --- | --- |"]
    for r in g.rows:
        lines.append("| " + " | ".join(r) + " |")
    goals = [r for r in g.rows if not r[0].startswith("AVX2 stand-in")]
    met = sum(1 for r in goals if r[6].startswith("met"))
    lines += ["", "%d of %d goals met%s." % (met, len(goals), " (the AVX2 stand-in rows not counted)" if len(goals) < len(g.rows) else ""), "", "Commands (in the repository root; `./dcb` is"
              " `go build -tags openblas -o dcb ./cmd/deltacore`):", ""]
    lines += ["    " + c for c in g.commands]
    text = "\n".join(lines) + "\n"
    print(text)
    out = a.out or os.path.join(ROOT, "bench", "results", key + ".goals.md")
    if out != "-":
        with open(out, "w") as f:
            f.write(text)
        log("wrote " + out)


if __name__ == "__main__":
    main()
