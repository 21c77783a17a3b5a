// Package bench holds deltacore's comparison benchmarks: ours against gonum's
// pure-Go BLAS always, and against OpenBLAS through cgo with the build tag
// openblas.
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

// peer is another library's Sgemm with deltacore's row-major signature
// ('N' or 'T' transposes).
type peer struct {
	name  string
	sgemm func(tA, tB byte, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
}

// peers are the libraries compared against; openblas.go adds OpenBLAS.
var peers = []peer{{name: "gonum", sgemm: gonumSgemm}}
