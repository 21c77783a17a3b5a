//go:build !race

package mlp

const raceEnabled = false
