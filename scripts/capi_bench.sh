#!/usr/bin/env bash
# scripts/capi_bench.sh: speed of libdeltacore.so, one thread, in one run:
#   1. C calling cblas_sgemm through the library (capi/ctest/bench.c) against
#      the same products in Go (BenchmarkSgemmGo in ./capi), interleaved;
#   2. numpy float32 matmul at 1024² and 10×784·784×30 with the library
#      preloaded against Debian's OpenBLAS (libopenblas0-pthread, unpacked
#      into a temporary folder with dpkg -x, so the system's BLAS choice is
#      left alone), OPENBLAS_NUM_THREADS=1 and DELTACORE_THREADS=1.
# Environment: ROUNDS (default 3) interleaved rounds.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
WORK=$(mktemp -d "${TMPDIR:-/tmp}/deltacore-capi-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ROUNDS=${ROUNDS:-3}
PY=/usr/bin/python3

grep -m1 "model name" /proc/cpuinfo
go build -buildmode=c-shared -o "$WORK/libdeltacore.so" ./capi
gcc -O2 -I capi -o "$WORK/bench" capi/ctest/bench.c -L "$WORK" -ldeltacore -Wl,-rpath,"$WORK"
go test -c -o "$WORK/capi.test" ./capi

(cd "$WORK" && apt-get download libopenblas0-pthread >/dev/null 2>&1 && dpkg -x libopenblas0-pthread_*.deb openblas)
OB=$WORK/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread
[[ -e $OB/libblas.so.3 ]] || { echo "could not unpack libopenblas0-pthread"; exit 1; }
echo "OpenBLAS: $($PY -c "import ctypes; l=ctypes.CDLL('$OB/libopenblas.so.0'); l.openblas_get_config.restype=ctypes.c_char_p; l.openblas_get_corename.restype=ctypes.c_char_p; print(l.openblas_get_config().decode(), '/ core', l.openblas_get_corename().decode())")"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"

LOG=$WORK/log
for r in $(seq "$ROUNDS"); do
	echo "--- round $r"
	DELTACORE_THREADS=1 "$WORK/bench" | tee -a "$LOG"
	"$WORK/capi.test" -test.run '^$' -test.bench SgemmGo -test.count 7 -test.benchtime 0.1s | grep Benchmark | tee -a "$LOG"
	echo "numpy + libdeltacore.so:"
	DELTACORE_THREADS=1 LD_PRELOAD=$WORK/libdeltacore.so $PY capi/numpy_check.py --bench | sed 's/^/deltacore /' | tee -a "$LOG"
	echo "numpy + OpenBLAS:"
	OPENBLAS_NUM_THREADS=1 LD_LIBRARY_PATH=$OB $PY capi/numpy_check.py --bench | sed 's/^/openblas /' | tee -a "$LOG"
done

# Best (least) time of each over all rounds and trials, and the ratios.
echo "--- best of all rounds (CPU time of the calling thread per product, one thread)"
awk '
function cpu(   i) { for (i = 1; i < NF; i++) if ($(i + 1) == "cpu-ns/op") return $i }
function keep(k, v) { if (!(k in best) || v < best[k]) best[k] = v }
/^C cblas_sgemm/ { keep("C " $3 " " $4, $5) }
/^BenchmarkSgemmGo\/deltacore.Sgemm/ { split($1, p, "/"); sub(/-[0-9]+$/, "", p[3]); sub(/_/, " ", p[3]); keep("Go " p[3], cpu() / 1000) }
/^BenchmarkSgemmGo\/capi.sgemm/ { split($1, p, "/"); sub(/-[0-9]+$/, "", p[3]); sub(/_/, " ", p[3]); keep("core " p[3], cpu() / 1000) }
/^(deltacore|openblas) matmul/ { t = $6; gsub(/[(]/, "", t); keep($1 " " $3, t) }
END {
	for (k in best) printf "%-28s %10.2f us\n", k, best[k]
	n = split("256x256x256 NN|10x30x784 NT|10x30x784 NN|10x30x784 NT_off16|10x30x784 NN_off16", s, "|")
	for (i = 1; i <= n; i++) {
		c = "C " s[i] ":"; g = "Go " s[i]
		if ((c in best) && (g in best)) printf "C through libdeltacore / Go, %s: %.2fx the time\n", s[i], best[c] / best[g]
	}
	split("1024x1024x1024: 10x784x30:", q, " ")
	for (i = 1; i <= 2; i++) if (("deltacore " q[i]) in best) printf "numpy %s OpenBLAS time / deltacore time = %.2fx\n", q[i], best["openblas " q[i]] / best["deltacore " q[i]]
}' "$LOG" | sort
