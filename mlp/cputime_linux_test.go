package mlp

import "golang.org/x/sys/unix"

// threadTime returns the CPU time the calling OS thread has used, in
// seconds, and true; the caller must have locked its goroutine to the
// thread. On a shared machine it leaves out the time other processes held
// the core (though not a hypervisor's steal time).
func threadTime() (float64, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return float64(ts.Sec) + float64(ts.Nsec)*1e-9, true
}
