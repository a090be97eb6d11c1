//go:build unix

package mapping

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used, user and system,
// so that benchmarks can report CPU time per operation, which other load
// on the machine disturbs far less than wall time.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
