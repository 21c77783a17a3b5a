//go:build linux || darwin || freebsd

// Package memguard places float32 slices against inaccessible (PROT_NONE)
// pages, so that a kernel reading or writing one element past either end of
// a slice faults at once. Tests use it with debug.SetPanicOnFault(true), which
// turns the fault into a recoverable panic whose Addr() names the address.
package memguard

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Supported reports whether guard pages work on this platform.
const Supported = true

// Buffer is a mapping of accessible pages between two PROT_NONE pages.
type Buffer struct {
	mem  []byte
	page int
}

// New maps room for n float32 values between two guard pages.
func New(n int) (*Buffer, error) {
	page := os.Getpagesize()
	data := (n*4 + page - 1) / page * page
	if data == 0 {
		data = page
	}
	mem, err := unix.Mmap(-1, 0, data+2*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("memguard: mmap: %w", err)
	}
	if err := unix.Mprotect(mem[:page], unix.PROT_NONE); err != nil {
		unix.Munmap(mem)
		return nil, fmt.Errorf("memguard: mprotect: %w", err)
	}
	if err := unix.Mprotect(mem[page+data:], unix.PROT_NONE); err != nil {
		unix.Munmap(mem)
		return nil, fmt.Errorf("memguard: mprotect: %w", err)
	}
	return &Buffer{mem: mem, page: page}, nil
}

func (b *Buffer) data() []byte { return b.mem[b.page : len(b.mem)-b.page] }

// AtEnd returns n float32 values whose last element ends exactly where the
// trailing guard page begins. n must not exceed the size given to New.
func (b *Buffer) AtEnd(n int) []float32 {
	d := b.data()
	if n*4 > len(d) {
		panic("memguard: AtEnd: n too large")
	}
	if n == 0 {
		return unsafe.Slice((*float32)(unsafe.Pointer(&d[len(d)-4])), 1)[:0]
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&d[len(d)-n*4])), n)
}

// AtStart returns n float32 values whose first element starts exactly where
// the leading guard page ends.
func (b *Buffer) AtStart(n int) []float32 {
	d := b.data()
	if n*4 > len(d) {
		panic("memguard: AtStart: n too large")
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&d[0])), n)[:n:n]
}

// Free unmaps the buffer; slices obtained from it must not be used after.
func (b *Buffer) Free() {
	if b.mem != nil {
		unix.Munmap(b.mem)
		b.mem = nil
	}
}
