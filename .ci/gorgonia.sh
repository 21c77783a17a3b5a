#!/usr/bin/env bash
# .ci/gorgonia.sh: gorgonia.org/tensor's own tests on deltacore. The module
# interop/gorgonia (its own go.mod, so deltacore does not depend on gorgonia)
# is vetted and tested (example, dcblas reached, benchmark smoke run); then
# gorgonia.org/tensor v0.9.24 is downloaded into a temporary copy, our one
# file testdata/zz_dcblas_test.go is added to it (a TestMain that calls
# tensor.Use with a counting dcblas and fails if Sgemm, Sgemv, Sger or Sdot
# were never called), and gorgonia's tests run: first their linear-algebra
# tests by name, then the whole suite. None of gorgonia's files are ours or
# committed.
#
# Skipped: TestSaveLoadNumpy (needs Python with numpy) and
# TestDense_SubScalar_reuse (randomised, flaky with any backend). The tensor
# tests need -vet=off; on Go 1.26 go4.org/unsafe/assume-no-moving-gc must be
# at v0.0.0-20231121144256-b99613f794b6 or later.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TENSOR=gorgonia.org/tensor@v0.9.24
NOMOVINGGC=go4.org/unsafe/assume-no-moving-gc@v0.0.0-20231121144256-b99613f794b6
LINALG='TestDense_MatMul TestDense_MatVecMul TestDense_Outer TestDense_Inner TestDense_TensorMul TestDot TestOneDot TestColMajorDense_MatMul TestColMajor_Dense_MatVecMul TestColMajor_Dense_Outer TestColMajor_Dense_Inner'
SKIP='^(TestSaveLoadNumpy|TestDense_SubScalar_reuse)$'

TMP=$(mktemp -d "${TMPDIR:-/tmp}/deltacore-gorgonia.XXXXXX")
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

run() { printf '+ %s\n' "$*"; "$@"; }

cd "$ROOT/interop/gorgonia"
run go mod tidy -diff
run go vet ./...
run go test -count=1 -bench MatMul512 -benchtime 1x ./...

run go mod download "$TENSOR"
src=$(go mod download -json "$TENSOR" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -d $src ]] || { echo "no module directory for $TENSOR" >&2; exit 1; }
cp -r "$src" "$TMP/tensor"
chmod -R u+w "$TMP/tensor"
cp testdata/zz_dcblas_test.go "$TMP/tensor/"
cd "$TMP/tensor"
run go mod edit -go=1.26.0 -require=github.com/deltacore/deltacore@v0.0.0 \
	-replace=github.com/deltacore/deltacore="$ROOT" -require="$NOMOVINGGC"
run go mod tidy

regex="^($(tr ' ' '|' <<<"$LINALG"))\$"
printf '+ go test -vet=off -count=1 -v -run %q .\n' "$regex"
go test -vet=off -count=1 -v -run "$regex" . >"$TMP/linalg.out" 2>&1 || { cat "$TMP/linalg.out"; exit 1; }
grep -E '^(--- FAIL|ok|FAIL)|^dcblas' "$TMP/linalg.out"
for name in $LINALG; do
	grep -q "^--- PASS: $name " "$TMP/linalg.out" || { echo "gorgonia's $name did not run and pass" >&2; exit 1; }
done
echo "gorgonia's linear-algebra tests passed on dcblas: $LINALG"

printf '+ go test -vet=off -count=1 -v -skip %q .\n' "$SKIP"
go test -vet=off -count=1 -v -skip "$SKIP" . >"$TMP/all.out" 2>&1 || { grep -E -B2 -A20 '^--- FAIL' "$TMP/all.out" || tail -50 "$TMP/all.out"; exit 1; }
printf '%s of gorgonia.org/tensor'"'"'s tests passed on dcblas\n' "$(grep -c '^--- PASS' "$TMP/all.out")"
grep -E '^(ok|FAIL)|^dcblas' "$TMP/all.out"
