//go:build !race

// Package israce tells tests whether the binary was built with -race. Under
// the race detector sync.Pool drops items at random on purpose (so pooled
// buffers are reallocated and allocation counts mean nothing), and its
// shadow memory does not cover memory mapped outside the Go heap (so guard
// pages cannot be used).
package israce

// Enabled is false: the binary was built without -race.
const Enabled = false
