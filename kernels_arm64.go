//go:build !purego

package deltacore

// On arm64 the NEON kernels are not written yet: until they are, the generic
// kernels serve and Levels reports only Generic.

// archLevels returns the levels this CPU can run, best first.
func archLevels() []Level { return []Level{Generic} }

// tableFor returns the kernel table of level l.
func tableFor(Level) *kernelTable { return &genericTable }
