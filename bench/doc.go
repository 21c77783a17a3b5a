// Package bench holds deltacore's benchmark suites, shared by
// `go test -bench ./bench` and `deltacore bench`, the machine limits they are
// measured against (FMA peak, clock, memory bandwidth), the JSON report that
// identifies a machine and its results, and the comparison of reports from
// many machines.
//
// A suite is a list of Cases: one kernel of the root package's public API at
// one shape. Each case runs on every ISA level of deltacore.Levels() (through
// deltacore.SetLevel) and, for Sgemm and Sgemv, on every registered peer
// (gonum always; OpenBLAS from a file built with the tag openblas, see
// RegisterPeer; a peer's Sgemv is the optional Peer.Sgemv).
// Buffers are allocated once per case, so the timed calls allocate nothing.
//
// The comparisons run ours against gonum's pure-Go BLAS always, and against
// OpenBLAS through cgo with the build tag openblas.
//
// OpenBLAS needs Debian's libopenblas-dev (apt-get install libopenblas-dev)
// and cgo:
//
//	go test -tags openblas -bench Sgemm -count 6 ./bench | tee sgemm.txt
//	benchstat -col /isa sgemm.txt
//
// Every product runs on one thread (deltacore.SetGemmThreads(1),
// openblas_set_num_threads(1)) unless the benchmark name says threads=N.
// Rates are GFLOP/s (2·m·n·k per call); compare ratios from one run only.
package bench
