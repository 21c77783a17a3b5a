#!/usr/bin/env bash
# scripts/fuzz.sh — a longer fuzzing campaign over every deltacore fuzz target.
#
# Usage:
#   scripts/fuzz.sh [DURATION] [REGEXP]
#
#   DURATION  how long to fuzz EACH target, in `go test -fuzztime` syntax:
#             10m, 1h, 30s, or a count of executions such as 500000x.
#             Default: 10m.
#   REGEXP    only the targets whose names match (grep -E), e.g. 'Sgemm|Dense'.
#             Default: all of them.
#
# Environment:
#   FUZZ_PARALLEL  fuzzing workers per target (go test -parallel); default:
#                  the go command's default, GOMAXPROCS.
#   FUZZ_LOG_DIR   where each target's log goes; default deltacore-out/fuzz.
#   DELTACORE_ISA  does NOT restrict the campaign: every target runs every
#                  level this CPU has (deltacore.Levels) on each input anyway.
#
# The targets are found with `go test -list 'Fuzz.*' ./fuzz` and run one
# after the other (fuzzing one already uses every core), each with
#   go test ./fuzz -run '^$' -fuzz '^<Target>$' -fuzztime DURATION
# A failing target does not stop the campaign. At the end the script prints,
# per target, the engine's last status line (executions, new interesting
# inputs) and exits 1 if any target failed.
#
# When a target fails, the go command writes the input to
# fuzz/testdata/fuzz/<Target>/<hash> and prints how to re-run it:
#   go test ./fuzz -run '<Target>/<hash>'
# Commit that file together with the fix: it then runs with every plain
# `go test ./fuzz`, natively and under qemu. Inputs that only grew coverage
# stay in the go build cache ($(go env GOCACHE)/fuzz), so a later campaign
# on the same machine continues where this one stopped.
#
# Example: everything for ten minutes each (12 kernel targets today: 2 hours):
#   scripts/fuzz.sh 10m
# Only the products, an hour each, on 8 workers:
#   FUZZ_PARALLEL=8 scripts/fuzz.sh 1h 'Sgemm|Dense'
set -u -o pipefail

dur=${1:-10m}
filter=${2:-.}
cd "$(dirname "$0")/.." || exit 2
logdir=${FUZZ_LOG_DIR:-deltacore-out/fuzz}
mkdir -p "$logdir" || exit 2

targets=$(go test -list 'Fuzz.*' ./fuzz | grep '^Fuzz' | grep -E -- "$filter") || true
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz target matches '$filter'" >&2
	exit 2
fi

par=()
if [ -n "${FUZZ_PARALLEL:-}" ]; then
	par=(-parallel "$FUZZ_PARALLEL")
fi

failed=()
summary=()
for t in $targets; do
	log="$logdir/$t.log"
	echo "=== $t for $dur (log: $log)"
	start=$(date +%s)
	if go test ./fuzz -run '^$' -fuzz "^$t\$" -fuzztime "$dur" "${par[@]}" 2>&1 | tee "$log"; then
		status=ok
	else
		status=FAIL
		failed+=("$t")
	fi
	last=$(grep -E 'execs: [0-9]+' "$log" | tail -n 1 | sed -E 's/^fuzz: //')
	summary+=("$(printf '%-22s %-4s %5ss  %s' "$t" "$status" "$(($(date +%s) - start))" "$last")")
done

echo
echo "=== summary (each target: $dur)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
	echo
	echo "FAILED: ${failed[*]}"
	echo "Crashing inputs are under fuzz/testdata/fuzz/<Target>/; commit them with the fix."
	exit 1
fi
