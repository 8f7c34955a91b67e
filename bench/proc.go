package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// clockTick is the unit of utime/stime in /proc/PID/stat (USER_HZ, 100 on
// every Linux ABI Go supports).
const clockTick = 10 * time.Millisecond

// ProcSample is a process's CPU time and resident memory at one instant.
type ProcSample struct {
	At  time.Time
	CPU time.Duration // user + system, all threads
	RSS int64         // bytes
}

// ReadProc samples pid from /proc.
func ReadProc(pid int) (ProcSample, error) {
	now := time.Now()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ProcSample{}, fmt.Errorf("%w: %w", ErrChild, err)
	}
	// The command name may hold spaces: fields start after the last ')'.
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return ProcSample{}, fmt.Errorf("%w: bad /proc/%d/stat", ErrChild, pid)
	}
	f := strings.Fields(string(raw[i+1:]))
	// f[0] is field 3 (state): utime is field 14, stime 15, rss 24.
	if len(f) < 22 {
		return ProcSample{}, fmt.Errorf("%w: short /proc/%d/stat", ErrChild, pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	rss, err3 := strconv.ParseInt(f[21], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return ProcSample{}, fmt.Errorf("%w: bad /proc/%d/stat numbers", ErrChild, pid)
	}
	cpu := time.Duration(ut+st) * clockTick
	// Each thread's stat figure may be up to a tick behind or ahead.
	if precise, threads, ok := schedCPU(pid); ok && precise >= cpu-time.Duration(threads+1)*clockTick {
		cpu = precise
	}
	return ProcSample{At: now, CPU: cpu, RSS: rss * int64(os.Getpagesize())}, nil
}

// schedCPU sums the run time of pid's live threads from
// /proc/PID/task/*/schedstat (nanoseconds, unlike stat's 10 ms ticks). Go
// keeps its threads, so none of the time is lost to exited threads; the
// caller still checks it against the tick-based figure (and falls back to
// it if threads exited).
func schedCPU(pid int) (time.Duration, int, bool) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, false
	}
	var sum int64
	for _, t := range tasks {
		raw, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread just exited
		}
		first, _, _ := strings.Cut(string(raw), " ")
		ns, err := strconv.ParseInt(first, 10, 64)
		if err != nil {
			return 0, 0, false
		}
		sum += ns
	}
	return time.Duration(sum), len(tasks), true
}

// SelfCPU is the CPU time (user + system) this process has used so far.
func SelfCPU() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ThreadCPU is the CPU time of the calling OS thread (lock it first), from
// CLOCK_THREAD_CPUTIME_ID: nanosecond resolution, unlike getrusage's ticks.
func ThreadCPU() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// ParseCPUList parses "0", "1", "0-1" or "0,2-3" into CPU numbers.
func ParseCPUList(s string) ([]int, error) {
	var cpus []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("%w: cpu list %q", ErrConfig, s)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("%w: cpu list %q", ErrConfig, s)
			}
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus, nil
}

// PinProcess pins every thread of pid (0: this process) to cpus. Threads
// created later inherit the mask of the thread that creates them.
func PinProcess(pid int, cpus []int) error {
	if len(cpus) == 0 {
		return nil
	}
	var set unix.CPUSet
	for _, c := range cpus {
		set.Set(c)
	}
	dir := "/proc/self/task"
	if pid != 0 {
		dir = fmt.Sprintf("/proc/%d/task", pid)
	}
	// Twice: a thread started while we walk the list is caught the second time.
	for range 2 {
		tasks, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("%w: pin: %w", ErrConfig, err)
		}
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil {
				continue
			}
			if err := unix.SchedSetaffinity(tid, &set); err != nil {
				return fmt.Errorf("%w: pin thread %d: %w", ErrConfig, tid, err)
			}
		}
	}
	return nil
}

// AllowedCPUs is how many CPUs this process may run on.
func AllowedCPUs() int {
	var set unix.CPUSet
	if unix.SchedGetaffinity(0, &set) != nil {
		return 1
	}
	return set.Count()
}

// WithTaskset prefixes cmd with `taskset -c cpus` when taskset is installed,
// so the child's threads are pinned from their first instruction. It
// reports whether it did; if not, call PinProcess on the started child.
func WithTaskset(cmd *exec.Cmd, cpus []int) bool {
	if len(cpus) == 0 {
		return false
	}
	ts, err := exec.LookPath("taskset")
	if err != nil {
		return false
	}
	list := make([]string, len(cpus))
	for i, c := range cpus {
		list[i] = strconv.Itoa(c)
	}
	cmd.Args = append([]string{ts, "-c", strings.Join(list, ",")}, cmd.Args...)
	cmd.Path = ts
	return true
}
