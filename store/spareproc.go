package store

import (
	"os"
	"runtime"
	"sync"
	"sync/atomic"
)

// spare lends a process that has one Go processor (GOMAXPROCS 1: a host
// or container with one core, or a server pinned to one) a second one
// while a call that blocks in the kernel runs, so every other goroutine
// keeps the first. Go hands a blocked goroutine's processor over only when
// its monitor thread (sysmon) looks, and a monitor kept awake
// (runtime.keep_monitor_awake) looks at most every 10 ms when it finds
// nothing to do: a checkpoint's fsync of 1-6 ms held the whole server for
// as long, and ringing's p99 at 1,000 flows/s went from 2-3 ms to 11-13 ms
// (docs/benchmarks.md). Changing GOMAXPROCS stops the world for a moment;
// the checkpointer does it twice per pass, five passes a second.
var spare struct {
	mu     sync.Mutex
	users  int
	raised bool
	lent   atomic.Int64 // how many times a processor was lent (for the tests)
}

// withSpareProcessor runs fn with a second Go processor when the process
// has one, and gives it back after; with more than one it just runs fn.
// Calls may overlap: the processor goes back when the last one returns.
func withSpareProcessor(fn func()) {
	spare.mu.Lock()
	if spare.users == 0 && runtime.GOMAXPROCS(0) == 1 {
		runtime.GOMAXPROCS(2)
		spare.raised = true
		spare.lent.Add(1)
	}
	spare.users++
	spare.mu.Unlock()
	defer func() {
		spare.mu.Lock()
		defer spare.mu.Unlock()
		spare.users--
		if spare.users > 0 || !spare.raised {
			return
		}
		spare.raised = false
		// Back to 1 the way it was set: by the runtime's default (which
		// follows the CPUs and cgroup limit the process is given, and
		// keeps following them), unless the default is not 1, which
		// means the environment or the program fixed it at 1.
		if os.Getenv("GOMAXPROCS") == "" {
			runtime.SetDefaultGOMAXPROCS()
		}
		if runtime.GOMAXPROCS(0) != 1 {
			runtime.GOMAXPROCS(1)
		}
	}()
	fn()
}
