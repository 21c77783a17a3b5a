//go:build race

package israce

// Enabled is true: the binary was built with -race.
const Enabled = true
