//go:build !linux

package mlp

// threadTime reports that the thread's CPU time is not available here.
func threadTime() (float64, bool) { return 0, false }
