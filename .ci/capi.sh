#!/usr/bin/env bash
# .ci/capi.sh: libdeltacore.so (./capi) as C, Fortran and Python programs
# use it, checked with drivers that others wrote:
#   - build the library; the generated Go header is not the committed one;
#   - the README's C example, compiled with gcc, prints what it should;
#   - capi/ctest: bad arguments from C (every reference error exit, NULLs),
#     the default handlers' messages, shapes past the testers' n <= 65;
#   - Debian's netlib testers (libblas-test) with the library preloaded:
#     xblat1s, xblat2s, xblat3s and the CBLAS xscblat1/2/3, on their default
#     inputs and on capi/testdata's (n up to 65, the testers' NMAX). They
#     exit 0 even when they fail, so their reports are read: no FAIL,
#     SUSPECT, NOT DETECTED, FATAL or XERBLA WAS CALLED, and END OF TESTS
#     (level 1: one PASS per subprogram). DELTACORE_TRACE=1 makes the
#     library count its calls, which shows our symbols are the ones called;
#   - numpy (Debian's, through the system CBLAS) with the library preloaded:
#     capi/numpy_check.py against float64 numpy, and numpy's own matmul and
#     dot tests.
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
WORK=$(mktemp -d "${TMPDIR:-/tmp}/deltacore-capi.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
unset DELTACORE_ISA DELTACORE_THREADS DELTACORE_TRACE

PY=/usr/bin/python3 # Debian's, which python3-numpy installs into
BLAS=/usr/lib/x86_64-linux-gnu/blas
pkgs=(gcc libc6-dev libblas3 libblas-test python3-numpy python3-pytest python3-hypothesis python3-typing-extensions)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
	echo "installing ${missing[*]}"
	sudo=()
	if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
	"${sudo[@]}" apt-get update
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

fail() {
	echo "FAIL: $*"
	exit 1
}

echo "+ go build -buildmode=c-shared -o $WORK/libdeltacore.so ./capi"
go build -buildmode=c-shared -o "$WORK/libdeltacore.so" ./capi
LIB=$WORK/libdeltacore.so
if git ls-files --error-unmatch libdeltacore.h capi/libdeltacore.h >/dev/null 2>&1; then
	fail "Go's generated header is committed; capi/deltacore.h is the header"
fi
nm -D --defined-only "$LIB" >"$WORK/symbols"
for s in cblas_sgemm cblas_sgemv cblas_sger cblas_saxpy cblas_sdot cblas_sscal cblas_snrm2 cblas_sasum \
	cblas_isamax cblas_scopy cblas_sswap sgemm_ sgemv_ sger_ saxpy_ sdot_ sscal_ snrm2_ sasum_ isamax_ \
	scopy_ sswap_ deltacore_sigmoid deltacore_sigmoid_prime deltacore_mul_sigmoid_prime \
	deltacore_dense_forward deltacore_dense_backward deltacore_level deltacore_set_level; do
	grep -qw "T $s" "$WORK/symbols" || fail "$s is not exported"
done
for s in xerbla_ cblas_xerbla; do
	grep -qw "W $s" "$WORK/symbols" || fail "$s is not a weak symbol"
done
echo "all 29 symbols exported; xerbla_ and cblas_xerbla weak"

cc() { gcc -O2 -Wall -Wextra -Werror -pthread -I capi "$@" -L "$WORK" -ldeltacore -lm -Wl,-rpath,"$WORK"; }

echo "+ README example"
# The README shows capi/example/example.c: the block after its marker.
awk '/<!-- capi example: capi\/example\/example.c -->/ { on = 1; next }
	on && /^```c$/ { inside = 1; next }
	inside && /^```$/ { exit }
	inside { print }' README.md >"$WORK/readme_example.c"
diff -u capi/example/example.c "$WORK/readme_example.c" || fail "the README's example is not capi/example/example.c"
cc -o "$WORK/example" capi/example/example.c
got=$("$WORK/example")
want=$'c = [58 64; 139 154]\nsigmoid(0, 1) = 0.5000 0.7311'
[[ $got == "$want" ]] || fail "example printed: $got"
echo "$got"

echo "+ capi/ctest/badargs"
cc -o "$WORK/badargs" capi/ctest/badargs.c
"$WORK/badargs" >"$WORK/badargs.log" || {
	cat "$WORK/badargs.log"
	fail badargs
}
tail -n 1 "$WORK/badargs.log"
echo "+ capi/ctest/defaults"
cc -o "$WORK/defaults" capi/ctest/defaults.c
"$WORK/defaults" >"$WORK/defaults.out" 2>"$WORK/defaults.err"
cat "$WORK/defaults.err"
grep -qx "still running" "$WORK/defaults.out" || fail "defaults did not go on"
for line in "Parameter 4 to routine cblas_sgemm was incorrect" "Parameter 10 to routine cblas_sgemm was incorrect" \
	"Parameter 2 to routine cblas_sgemv was incorrect" "Illegal TransA setting, 42" \
	" ** On entry to SGEMM parameter number  8 had an illegal value"; do
	grep -qxF "$line" "$WORK/defaults.err" || fail "defaults: no line '$line'"
done
echo "+ capi/ctest/check"
cc -o "$WORK/check" capi/ctest/check.c
DELTACORE_THREADS=2 "$WORK/check" >"$WORK/check.log" || {
	grep -v '^ok' "$WORK/check.log"
	fail check
}
tail -n 1 "$WORK/check.log"

# tester NAME INPUT REPORT WANT...: run a tester with the library preloaded
# and counting; REPORT is its summary (a file it writes, or "-" for stdout);
# each WANT must appear among the counted calls.
tester() {
	local name=$1 input=$2 report=$3
	shift 3
	local dir=$WORK/$name.$(basename "$input")
	mkdir -p "$dir"
	(
		cd "$dir"
		if [[ $input == - ]]; then
			DELTACORE_TRACE=1 LD_PRELOAD=$LIB "$BLAS/$name" >stdout 2>stderr
		else
			DELTACORE_TRACE=1 LD_PRELOAD=$LIB "$BLAS/$name" <"$input" >stdout 2>stderr
		fi
	)
	local out=$dir/stdout
	[[ $report == - ]] || out=$dir/$report
	if grep -nE "FAIL|SUSPECT|NOT DETECTED|FATAL|XERBLA WAS CALLED" "$out"; then
		fail "$name $input: see above"
	fi
	if [[ $name == x*blat1* ]]; then
		local tests passes
		tests=$(grep -c "Test of subprogram" "$out")
		passes=$(grep -c -- "----- PASS -----" "$out")
		((tests > 0 && tests == passes)) || fail "$name: $passes PASS for $tests subprograms"
	else
		grep -q "END OF TESTS" "$out" || fail "$name $input: no END OF TESTS"
	fi
	if [[ $name != x*blat1* ]]; then
		local w r
		for w in "$@"; do # each of ours passed both kinds of test
			r=${w%_}
			[[ $r == cblas_* ]] || r=${r^^}
			grep -qE "^ *$r +PASSED THE TESTS OF ERROR-EXITS" "$out" || fail "$name: no error-exit pass for $r"
			grep -qE "^ *$r +PASSED THE .*COMPUTATIONAL TESTS" "$out" || fail "$name: no computational pass for $r"
		done
	fi
	local calls
	calls=$(grep "^libdeltacore: calls:" "$dir/stderr") || fail "$name: no call counts"
	for w in "$@"; do
		[[ $calls == *" $w="* ]] || fail "$name: $w never reached libdeltacore ($calls)"
	done
	printf '%-9s %-15s ok: %s\n' "$name" "$(basename "$input")" \
		"$(grep -E "PASSED THE (COLUMN|ROW|COMP)" "$out" | grep -iE "s(gemm|gemv|ger) " | sed -E 's/ +/ /g; s/^ //' | tr '\n' ';')"
	echo "          $calls"
}

echo "+ netlib testers (libblas-test), LD_PRELOAD=libdeltacore.so"
tester xblat1s - - saxpy_ sdot_ sscal_ snrm2_ sasum_ isamax_ scopy_ sswap_
tester xscblat1 - - cblas_saxpy cblas_sdot cblas_sscal cblas_snrm2 cblas_sasum cblas_isamax cblas_scopy cblas_sswap
tester xblat2s "$BLAS/sblat2.in" sblat2.out sgemv_ sger_
tester xblat3s "$BLAS/sblat3.in" sblat3.out sgemm_
tester xscblat2 "$BLAS/sin2" - cblas_sgemv cblas_sger
tester xscblat3 "$BLAS/sin3" - cblas_sgemm
tester xblat2s "$ROOT/capi/testdata/sblat2_big.in" sblat2_big.out sgemv_ sger_
tester xblat3s "$ROOT/capi/testdata/sblat3_big.in" sblat3_big.out sgemm_
tester xscblat2 "$ROOT/capi/testdata/sin2_big" - cblas_sgemv cblas_sger
tester xscblat3 "$ROOT/capi/testdata/sin3_big" - cblas_sgemm

# The dynamic linker's own account, for one tester: the CBLAS calls bind to
# the preloaded library, the routines we do not export to the system BLAS.
echo "+ LD_DEBUG=bindings xscblat3"
(cd "$WORK" && LD_DEBUG=bindings LD_PRELOAD=$LIB "$BLAS/xscblat3" <"$BLAS/sin3" 2>"$WORK/bindings" >/dev/null)
grep -q "to $LIB \[0\]: normal symbol \`cblas_sgemm'" "$WORK/bindings" || fail "cblas_sgemm does not bind to libdeltacore.so"
grep -E "symbol \`cblas_s(gemm|symm)'" "$WORK/bindings" | sed -E 's/^ *[0-9]+: *//' | sort -u

echo "+ numpy, LD_PRELOAD=libdeltacore.so"
DELTACORE_THREADS=2 DELTACORE_TRACE=1 LD_PRELOAD=$LIB $PY capi/numpy_check.py >"$WORK/numpy.log" 2>"$WORK/numpy.err" || {
	cat "$WORK/numpy.log" "$WORK/numpy.err"
	fail numpy_check.py
}
grep -c '^ok' "$WORK/numpy.log" | sed 's/$/ numpy products agree with float64 numpy/'
calls=$(grep "^libdeltacore: calls:" "$WORK/numpy.err")
echo "$calls"
for w in cblas_sgemm cblas_sgemv cblas_sdot; do
	[[ $calls == *" $w="* ]] || fail "numpy: $w never reached libdeltacore"
done

# numpy's own tests of matmul and dot. test_huge_vectordot is left out: it
# multiplies float64 and complex128 vectors only (never our routines) and
# needs 8–18 GB of memory and minutes. pytest exits 5 when nothing ran.
echo "+ numpy's matmul and dot tests, LD_PRELOAD=libdeltacore.so"
rc=0
(cd "$WORK" && DELTACORE_TRACE=1 LD_PRELOAD=$LIB $PY -m pytest --pyargs numpy -k "(matmul or dot) and not huge" \
	-q -p no:cacheprovider >"$WORK/pytest.log" 2>&1) || rc=$?
if ((rc == 5)); then
	fail "numpy's tests: none selected"
elif ((rc != 0)); then
	tail -n 40 "$WORK/pytest.log"
	fail "numpy's tests (exit status $rc)"
fi
grep -E "passed" "$WORK/pytest.log" | tail -n 1
calls=$(grep "^libdeltacore: calls:" "$WORK/pytest.log")
echo "$calls"
for w in cblas_sgemm cblas_sgemv cblas_sdot; do
	[[ $calls == *" $w="* ]] || fail "numpy's tests: $w never reached libdeltacore"
done
echo "capi: all checks passed"
