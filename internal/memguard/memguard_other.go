//go:build !(linux || darwin || freebsd)

package memguard

import "errors"

// Supported reports whether guard pages work on this platform.
const Supported = false

// Buffer is unavailable on this platform.
type Buffer struct{}

// New always fails on this platform.
func New(n int) (*Buffer, error) {
	return nil, errors.New("memguard: guard pages unsupported on this OS")
}

// AtEnd is unavailable on this platform.
func (b *Buffer) AtEnd(n int) []float32 { panic("memguard: unsupported") }

// AtStart is unavailable on this platform.
func (b *Buffer) AtStart(n int) []float32 { panic("memguard: unsupported") }

// Free does nothing on this platform.
func (b *Buffer) Free() {}
