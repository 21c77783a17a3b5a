#!/usr/bin/env bash
# Times `deltacore study` against scripts/study_numpy.py (the same protocol in
# batched float32 numpy/OpenBLAS), interleaved, ROUNDS times each, and prints
# every timing and the ratio of the medians.
#
#   scripts/study_compare.sh [ROUNDS]                 # the default study, 3 rounds
#   STEPS=50 scripts/study_compare.sh 5               # a reduced protocol, same for both
#   VARIANTS="procs2:--procs 2" scripts/study_compare.sh
#
# Environment: SEEDS (100), TRAIN_SEEDS (20), STEPS (500) change the protocol
# of both programs; VARIANTS lists the numpy configurations, "name:flags"
# separated by semicolons (default: one process per CPU with one BLAS thread
# each, as Debian's OpenBLAS 0.3.21 runs it, which takes AMD family 26 for
# Haswell; the same with OPENBLAS_CORETYPE=SkylakeX, its AVX-512 kernels;
# and that with 10 networks stacked into each BLAS call. One process with
# OpenBLAS threads, e.g. "threads2:--procs 1 --threads 2", is 3-7x slower
# than deltacore here, so it is not in the default list);
# DC_FLAGS, extra flags for deltacore study (e.g. "-threads 1" with
# VARIANTS="1thread:--procs 1 --threads 1" to compare one core's work by CPU
# time, which a shared machine disturbs less than wall time); PYTHON (/usr/bin/python3, Debian's, with python3-numpy). "compute" is the
# time each program reports for the curve work alone (MNIST loading and
# output excluded); "wall" is the whole process.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SEEDS=${SEEDS:-100}
TRAIN_SEEDS=${TRAIN_SEEDS:-20}
STEPS=${STEPS:-500}
PYTHON=${PYTHON:-/usr/bin/python3}
NCPU=$(nproc)
VARIANTS=${VARIANTS:-"procs$NCPU:--procs $NCPU;procs$NCPU-skx:--procs $NCPU --openblas-core SkylakeX;procs$NCPU-skx-stack10:--procs $NCPU --stack 10 --openblas-core SkylakeX"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/dc" ./cmd/deltacore
$PYTHON scripts/study_numpy.py --check >/dev/null

IFS=';' read -r -a variants <<<"$VARIANTS"
names=(deltacore)
for v in "${variants[@]}"; do names+=("${v%%:*}"); done

# run NAME CMD...: appends "NAME compute wall cpu" to $tmp/times.
run() {
	local name=$1 c w cpu
	shift
	/usr/bin/time -f '%e %U %S' -o "$tmp/time.txt" "$@" >"$tmp/out.txt" 2>&1 || { cat "$tmp/out.txt"; exit 1; }
	# Both print "… GFLOP in S s: … GFLOP/s sustained".
	c=$(sed -n 's/.* GFLOP in \([0-9.]*\) s: .*/\1/p' "$tmp/out.txt" | tail -1)
	read -r w u s <"$tmp/time.txt"
	cpu=$(echo "$u + $s" | bc -l)
	echo "$name $c $w $cpu" >>"$tmp/times"
	printf '%-22s compute %7.2f s   wall %7.2f s   cpu (user+sys) %7.2f s\n' "$name" "$c" "$w" "$cpu"
	cp "$tmp/out.txt" "$tmp/last-$name.txt"
}

echo "protocol: $SEEDS networks per size at init, $TRAIN_SEEDS trained for $STEPS steps; $ROUNDS rounds, interleaved"
for r in $(seq "$ROUNDS"); do
	echo "round $r ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
	run deltacore "$tmp/dc" study -quiet -seeds "$SEEDS" -train-seeds "$TRAIN_SEEDS" -steps "$STEPS" -out "$tmp/dcout" ${DC_FLAGS:-}
	for v in "${variants[@]}"; do
		# shellcheck disable=SC2086
		run "${v%%:*}" $PYTHON scripts/study_numpy.py --seeds "$SEEDS" --train-seeds "$TRAIN_SEEDS" --steps "$STEPS" ${v#*:}
	done
done

echo
grep -m1 'study_numpy: numpy' "$tmp/last-${names[1]}.txt" || true
"$PYTHON" - "$tmp/times" "${names[@]}" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
names = sys.argv[2:]
med = {}
cols = ("compute s", "wall s", "process cpu s")
print("%-22s" % "" + "".join(" %-34s" % (c + " (median; all)") for c in cols))
for n in names:
    v = [[float(r[i]) for r in rows if r[0] == n] for i in (1, 2, 3)]
    med[n] = [statistics.median(x) for x in v]
    print("%-22s" % n + "".join(" %-34s" % ("%.2f; %s" % (m, " ".join("%.2f" % y for y in x))) for m, x in zip(med[n], v)))
print()
best = min(names[1:], key=lambda n: med[n][0])
for n in names[1:]:
    r = ["%.2fx" % (med[n][i] / med["deltacore"][i]) if med["deltacore"][i] > 0 else "n/a" for i in range(3)]
    print("%-22s / deltacore (medians): compute %s, wall %s, cpu %s%s" % (
        n, *r, "   <- fastest numpy" if n == best else ""))
print("(compute: each program's own timer around the curve work; deltacore prints it to 0.1 s. wall and cpu:"
      " the whole process, which for deltacore includes reading the MNIST images and writing plots)")
EOF
