//go:build !linux

package bench

// threadTime is not available: the limits are timed by the wall clock.
func threadTime() (float64, bool) { return 0, false }

// processTime is not available.
func processTime() (float64, bool) { return 0, false }

// ThreadTime returns the CPU time of the calling OS thread; not available
// here: 0, false.
func ThreadTime() (float64, bool) { return threadTime() }
