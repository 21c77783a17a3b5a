//go:build purego || !(amd64 || arm64)

package deltacore

// archLevels returns the levels this build can run: with the purego tag, or
// on an architecture without assembly kernels, only Generic.
func archLevels() []Level { return []Level{Generic} }

// tableFor returns the kernel table of level l.
func tableFor(Level) *kernelTable { return &genericTable }
