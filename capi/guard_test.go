//go:build cgo

package main

import "testing"

// TestGuard checks that the deferred guard of every export stops a panic,
// so that none can unwind into C, and that argument checks that could
// panic deeper down never do: dcblas is called only with the lengths its
// checks want.
func TestGuard(t *testing.T) {
	func() { // a panic that got past guard would fail the test
		defer guard("cblas_test\x00")
		panic("boom")
	}()
	// The largest shapes and strides a C caller can pass, on tiny arrays, are
	// refused (reported), never read and never a panic.
	p := new(float32)
	const big = 1<<31 - 1
	if got := sgemm('N', 'N', big, big, big, 1, p, 1, p, 1, 0, p, 1); got != 8 {
		t.Errorf("sgemm with lda 1 < m: %d", got)
	}
	if got := sgemv('T', 1, 1, 1, p, 1, p, -big-1, 0, p, big); got != 0 {
		t.Errorf("sgemv with extreme increments on n = 1: %d", got)
	}
}
