//go:build linux || darwin || freebsd

package memguard

import (
	"runtime/debug"
	"testing"
)

var sink byte

// faults reports whether f faulted on a memory access.
func faults(f func()) (faulted bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			faulted = true
		}
	}()
	f()
	return false
}

func TestGuards(t *testing.T) {
	b, err := New(100)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Free()
	end := b.AtEnd(100)
	start := b.AtStart(100)
	if faults(func() { end[0], end[99] = 1, 2; start[0], start[99] = 3, 4 }) {
		t.Fatal("access inside the slices faulted")
	}
	d := b.data()
	if !faults(func() { sink = b.mem[b.page+len(d)] }) {
		t.Fatal("read past the end did not fault")
	}
	if !faults(func() { sink = b.mem[b.page-1] }) {
		t.Fatal("read before the start did not fault")
	}
	if len(b.AtEnd(0)) != 0 {
		t.Fatal("AtEnd(0) not empty")
	}
}
