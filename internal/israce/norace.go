//go:build !race

// Package israce tells tests whether the binary was built with -race. The
// race detector's shadow memory does not cover memory mapped outside the Go
// heap (so guard pages cannot be used), and it makes the largest products
// too slow for a test.
package israce

// Enabled is false: the binary was built without -race.
const Enabled = false
