#!/usr/bin/env bash
# Trains on MNIST with `deltacore train` and with scripts/network2_numpy.py
# (Nielsen's network2.py algorithm in float64 numpy, an independent
# implementation) for seeds 1 … SEEDS, with the same flags, and prints each
# run's final test accuracy and, per program, n, mean ± sd, min–max and how
# many runs reached THRESHOLD. The two spreads are the same when deltacore
# trains as network2.py does; the spread itself is SGD's.
#
#   scripts/train_seeds.sh 16 -sizes 784,100,10                       # the defaults otherwise
#   THRESHOLD=97.8 scripts/train_seeds.sh 16 -sizes 784,100,10 -epochs 60 -eta 0.1
#
# Flags are those both programs know: -sizes -eta -lambda -batch -epochs
# -cost -init (nielsen or large) -ntrain -validation -data. Environment:
# JOBS (runs at once; default nproc, each on one thread), PROGRAMS
# ("deltacore network2", or one of them), PYTHON (/usr/bin/python3, Debian's,
# with python3-numpy), THRESHOLD (97.8), OUT (a folder to keep every run's
# output in; default a temporary one).
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${1:?usage: scripts/train_seeds.sh SEEDS [flags…]}
shift
JOBS=${JOBS:-$(nproc)}
PROGRAMS=${PROGRAMS:-"deltacore network2"}
PYTHON=${PYTHON:-/usr/bin/python3}
THRESHOLD=${THRESHOLD:-97.8}
if [[ -n "${OUT:-}" ]]; then
	mkdir -p "$OUT"
	out=$OUT
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
# Go's flag package takes --name as well as -name; argparse wants --name.
pyflags=()
for f in "$@"; do
	if [[ $f == -[a-z]* ]]; then pyflags+=("-$f"); else pyflags+=("$f"); fi # --x and values stay
done

for p in $PROGRAMS; do
	case $p in
	deltacore)
		go build -o "$out/deltacore" ./cmd/deltacore
		;;
	network2)
		"$PYTHON" scripts/network2_numpy.py --check >/dev/null
		;;
	*)
		echo "train_seeds: unknown program $p" >&2
		exit 2
		;;
	esac
done

run() { # program seed
	local p=$1 s=$2
	case $p in
	deltacore) "$out/deltacore" train -threads 1 -seed "$s" "${goflags[@]}" ;;
	network2) OPENBLAS_NUM_THREADS=1 "$PYTHON" scripts/network2_numpy.py --seed "$s" "${pyflags[@]}" ;;
	esac >"$out/$p.$s.txt" 2>&1 || {
		echo "train_seeds: $p seed $s failed:" >&2
		tail -3 "$out/$p.$s.txt" >&2
		return 1
	}
}

goflags=("$@")
running=0
for s in $(seq 1 "$SEEDS"); do
	for p in $PROGRAMS; do
		if ((running >= JOBS)); then
			wait -n || exit 1
			running=$((running - 1))
		fi
		run "$p" "$s" &
		running=$((running + 1))
	done
done
while ((running > 0)); do
	wait -n || exit 1
	running=$((running - 1))
done

for p in $PROGRAMS; do
	for s in $(seq 1 "$SEEDS"); do
		acc=$(sed -n 's/^test accuracy: \([0-9.]*\)%$/\1/p' "$out/$p.$s.txt")
		if [[ -z $acc ]]; then
			echo "train_seeds: $p seed $s printed no test accuracy (see $out/$p.$s.txt)" >&2
			exit 1
		fi
		echo "$p $s $acc"
	done
done | awk -v t="$THRESHOLD" '
	{ print; n[$1]++; s[$1] += $3; ss[$1] += $3 * $3
	  if (!($1 in lo) || $3 < lo[$1]) lo[$1] = $3
	  if (!($1 in hi) || $3 > hi[$1]) hi[$1] = $3
	  if ($3 >= t) k[$1]++ }
	END {
		printf "\n%-10s %4s %16s %16s %8s\n", "program", "runs", "mean ± sd (%)", "min–max (%)", ">= " t "%"
		for (p in n) {
			m = s[p] / n[p]; v = n[p] > 1 ? (ss[p] - n[p] * m * m) / (n[p] - 1) : 0
			printf "%-10s %4d %9.2f ± %4.2f %9.2f–%5.2f %5d/%d\n", p, n[p], m, sqrt(v > 0 ? v : 0), lo[p], hi[p], k[p] + 0, n[p]
			mean[p] = m; se2[p] = v / n[p]
		}
		if (("deltacore" in n) && ("network2" in n) && se2["deltacore"] + se2["network2"] > 0) {
			d = mean["deltacore"] - mean["network2"]; se = sqrt(se2["deltacore"] + se2["network2"])
			printf "deltacore − network2: %+.3f ± %.3f %% (Welch t = %.2f; |t| < 2 is within chance)\n", d, se, d / se
		}
	}'
