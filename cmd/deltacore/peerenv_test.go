package main

import (
	"testing"

	"github.com/deltacore/deltacore/bench"
)

func TestNeedPeerEnv(t *testing.T) {
	ob := []bench.Peer{{Name: "gonum"}, {Name: "openblas"}}
	unset := func(string) string { return "" }
	set := func(k string) string {
		if k == "OPENBLAS_THREAD_TIMEOUT" {
			return "10"
		}
		return ""
	}
	for _, c := range []struct {
		threads int
		noPeers bool
		peers   []bench.Peer
		getenv  func(string) string
		want    bool
	}{
		{2, false, ob, unset, true},
		{16, false, ob, unset, true},
		{1, false, ob, unset, false},     // one thread: no worker threads to spin
		{2, true, ob, unset, false},      // --no-peers
		{2, false, ob[:1], unset, false}, // built without -tags openblas
		{2, false, ob, set, false},       // the caller's own setting wins
		{2, false, nil, unset, false},
	} {
		if got := needPeerEnv(c.threads, c.noPeers, c.peers, c.getenv); got != c.want {
			t.Errorf("needPeerEnv(%d, %v, %d peers, set=%v) = %v, want %v",
				c.threads, c.noPeers, len(c.peers), c.getenv("OPENBLAS_THREAD_TIMEOUT") != "", got, c.want)
		}
	}
}
