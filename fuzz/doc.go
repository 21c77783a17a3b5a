// Package fuzz holds the coverage-guided fuzz targets of deltacore's
// kernels. It has no API: everything is in its test files.
//
// Every target runs each ISA level that this CPU and build can run
// (deltacore.Levels) and compares the result with a float64 reference that
// is written plainly in the test files, under the accuracy bound that the
// kernel documents: ULP for the elementwise kernels (σ, σ′, the δ step),
// n·2⁻²⁴·Σ|x·y| for Dot, n·2⁻⁵³ relative for SumSquares, bit identity for
// ColSums and Scal, and 2·k·2⁻²⁴·(|α|·Σ|a·b| + |β·c|) for Sgemm and the
// fused dense-layer steps. NaN and ±Inf are checked explicitly. Outputs sit
// between guard values (or against a PROT_NONE page) that are checked
// afterwards, and inputs are checked to be unchanged. FuzzSgemmStrides
// checks the argument checks themselves: sizes and strides up to 2⁶²+1,
// where (rows−1)·ld overflows, must end in Sgemm's own panic exactly when a
// big-integer reading of the rules says the slices are too short.
//
// TestChecksCatchBrokenKernels runs the same checks against deliberately
// broken kernels (tails off by one, reads and writes past the end, NaN
// mishandled, strides ignored, the β = 0 rule ignored, ...) and against
// correct kernels that round differently, so the checks are known to catch
// the first and pass the second. TestConcurrentKernels calls every kernel
// from many goroutines at once and compares with serial calls; run it with
// -race (on the generic level the race detector sees every access).
//
// The seed corpus (f.Add seeds at the vector-width edge lengths and the
// files under testdata/fuzz/<Target>/) runs with plain `go test ./fuzz`,
// also under qemu-user:
//
//	go test ./fuzz
//	GOARCH=arm64 go test -exec qemu-aarch64 ./fuzz
//
// One target, natively, with the fuzzing engine:
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzSgemm$' -fuzztime 60s
//
// Every target in turn for a given time each: scripts/fuzz.sh 10m.
// A crasher lands in testdata/fuzz/<Target>/ and is committed, with its fix,
// as a regression seed.
package fuzz
