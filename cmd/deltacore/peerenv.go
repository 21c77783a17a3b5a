package main

import (
	"os"

	"github.com/deltacore/deltacore/bench"
)

// openblasTimeoutEnv is set for `deltacore bench` runs of more than one
// thread with OpenBLAS beside us. OpenBLAS's idle worker threads spin for
// about 2²⁸ cycles after each of its calls (OPENBLAS_THREAD_TIMEOUT, read
// once when the library loads), and in an interleaved run they hold a core
// that our next sample needs: at two threads on the two-core Intel family 6
// model 167 VM our 512³ read 195–230 GFLOP/s beside a spinning OpenBLAS and
// 280–288 alone or with the timeout at 2⁴ cycles, while OpenBLAS itself ran
// at the same speed either way (266–277).
const openblasTimeoutEnv = "OPENBLAS_THREAD_TIMEOUT=4"

// needPeerEnv reports whether a bench run must restart itself with
// openblasTimeoutEnv: more than one thread, OpenBLAS among the peers, and
// the variable not already set by the caller.
func needPeerEnv(threads int, noPeers bool, peers []bench.Peer, getenv func(string) string) bool {
	if threads < 2 || noPeers || getenv("OPENBLAS_THREAD_TIMEOUT") != "" {
		return false
	}
	for _, p := range peers {
		if p.Name == "openblas" {
			return true
		}
	}
	return false
}

// withPeerEnv restarts the process with openblasTimeoutEnv when needPeerEnv
// says so (on Unix; elsewhere, and if the restart fails, it returns and the
// run goes on as it is).
func withPeerEnv(threads int, noPeers bool) {
	if needPeerEnv(threads, noPeers, bench.Peers(), os.Getenv) {
		reexec(append(os.Environ(), openblasTimeoutEnv))
	}
}
