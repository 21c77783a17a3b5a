//go:build race

package deltacore

import (
	"runtime"
	"unsafe"
)

// Memory that assembly touches is invisible to the race detector, so the
// exported kernels report their reads and writes here (as reedsolomon and
// Go's crypto packages do). Without -race these are no-ops (race_none.go).

func raceRead(s []float32) {
	if len(s) > 0 {
		runtime.RaceReadRange(unsafe.Pointer(unsafe.SliceData(s)), len(s)*4)
	}
}

func raceWrite(s []float32) {
	if len(s) > 0 {
		runtime.RaceWriteRange(unsafe.Pointer(unsafe.SliceData(s)), len(s)*4)
	}
}
