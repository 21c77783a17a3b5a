//go:build race

package bench

// raceEnabled: under -race, sync.Pool drops items at random on purpose (to
// shake out reuse bugs), so the packing buffers of Sgemm are reallocated and
// allocation counts mean nothing.
const raceEnabled = true
