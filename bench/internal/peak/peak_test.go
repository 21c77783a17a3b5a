package peak

import "testing"

// The loops must run any iteration count, zero included, without faulting
// or clobbering the caller's registers (a wrong frame or a missing
// VZEROUPPER shows up as a crash or as wrong results around the call).
func TestLoopsRun(t *testing.T) {
	x := []float32{1, 2, 3}
	for _, k := range FMAKernels() {
		if k.Name == "" || k.FlopsPerIter <= 0 {
			t.Errorf("kernel %+v", k)
		}
		for _, n := range []int{0, 1, 2, 1000} {
			k.Run(n)
		}
	}
	if add := AddChain(); add != nil {
		for _, n := range []int{0, 1, 1000} {
			add(n)
		}
		if AddChainLen <= 0 {
			t.Errorf("AddChainLen = %d", AddChainLen)
		}
	}
	if x[0]+x[1]+x[2] != 6 {
		t.Errorf("x = %v", x)
	}
}
