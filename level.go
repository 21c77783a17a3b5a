package deltacore

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
)

// Level is an instruction-set level: a family of kernels that this CPU may run.
type Level uint8

// The levels, in the order of their numeric value. Generic is pure Go and runs
// everywhere; AVX2 needs AVX2 and FMA3; AVX512 needs AVX-512 F, VL, BW and DQ
// (and AVX2+FMA3); NEON needs ARMv8 ASIMD.
const (
	Generic Level = iota
	AVX2
	AVX512
	NEON
)

var levelNames = [...]string{Generic: "generic", AVX2: "avx2", AVX512: "avx512", NEON: "neon"}

// String returns the level's name: "generic", "avx2", "avx512" or "neon".
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("Level(%d)", uint8(l))
}

// ParseLevel returns the level with the given name (as printed by String,
// case-insensitive).
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return Level(i), nil
		}
	}
	return Generic, fmt.Errorf("deltacore: unknown ISA level %q (want one of generic, avx2, avx512, neon)", s)
}

// rank orders the levels of one architecture: a level may stand in for any
// available level of lower or equal rank.
func (l Level) rank() int {
	switch l {
	case AVX512:
		return 2
	case AVX2, NEON:
		return 1
	}
	return 0
}

var (
	// detected holds the levels this CPU (and this build) can run, best first,
	// Generic last. It is set once, at init, and never changes.
	detected []Level
	// active is the kernel table of the current level.
	active atomic.Pointer[kernelTable]
	// envWarning explains why DELTACORE_ISA was not honoured, if it was not.
	envWarning string
)

// EnvVar is the environment variable that caps the ISA level at start, for
// example DELTACORE_ISA=avx2. It is read once, at package initialisation.
// The package never prints: a value it cannot honour is reported by
// EnvWarning, for the program to show as it sees fit (the deltacore command
// prints it on stderr).
const EnvVar = "DELTACORE_ISA"

func init() {
	detected = archLevels()
	best := detected[0]
	if v, ok := os.LookupEnv(EnvVar); ok && strings.TrimSpace(v) != "" {
		want, err := ParseLevel(v)
		if err != nil {
			envWarning = err.Error() + "; using " + best.String()
		} else {
			best = capLevel(want)
			if best != want {
				envWarning = fmt.Sprintf("deltacore: %s=%s is not available on this CPU; using %s", EnvVar, want, best)
			}
		}
	}
	active.Store(tableFor(best))
}

// capLevel returns the best detected level that is not above want: want
// itself when the CPU has it, else the best detected level of the same
// architecture and lower rank, else Generic.
func capLevel(want Level) Level {
	for _, l := range detected {
		if l == Generic || (l.x86() == want.x86() && l.rank() <= want.rank()) {
			return l
		}
	}
	return Generic
}

func (l Level) x86() bool { return l == AVX2 || l == AVX512 }

// Levels returns the levels this CPU and build can run, best first, Generic
// last. With the purego build tag it returns only Generic.
func Levels() []Level {
	return append([]Level(nil), detected...)
}

// Available reports whether this CPU and build can run level l.
func Available(l Level) bool {
	for _, d := range detected {
		if d == l {
			return true
		}
	}
	return false
}

// CurrentLevel returns the level whose kernels the package functions use now.
func CurrentLevel() Level {
	return active.Load().level
}

// SetLevel switches every kernel to level l. It returns an error, and changes
// nothing, when this CPU or build cannot run l: it never forces a level the
// CPU lacks. It is meant for tests and benchmarks; calls already running keep
// the level they started with.
func SetLevel(l Level) error {
	if !Available(l) {
		return fmt.Errorf("deltacore: ISA level %s is not available on this CPU (available: %v)", l, detected)
	}
	active.Store(tableFor(l))
	return nil
}

// EnvWarning returns the reason why DELTACORE_ISA was not honoured exactly at
// start (an unknown name, or a level this CPU lacks, and the level used
// instead), or "" if it was honoured or not set. The package does not print
// it; a program that wants its users to see it prints it.
func EnvWarning() string { return envWarning }
