//go:build race

package fuzz

// raceEnabled keeps slices off the guard pages under the race detector,
// whose shadow memory does not cover memory mapped outside the Go heap.
const raceEnabled = true
