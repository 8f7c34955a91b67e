package bench

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
)

// The load side's garbage collector is held off while a forwarding run
// measures. The load process keeps its Pion peers' state live (at 50 1:1
// calls about 120 MB, 70 MB of it the publishers' NACK buffers) and
// allocates tens of MB a second. Pinned to one CPU, each of its GC mark
// phases took 75-130 ms of wall time, and every read goroutine assisted
// it: the packets that arrived meanwhile were measured 20-115 ms late, in
// every sink at once. That was the load's p99 latency, not the server's
// (whose own p99 stayed under 2 ms). So the load collects before the
// warm-up and after the window, not during them; a memory limit keeps the
// collector as a safety net, and the cycles that ran anyway are counted
// (ForwardResult.LoadGCs) and warned about.

var gcHold struct {
	sync.Mutex
	n     int // holders
	pct   int
	limit int64
}

// holdGC collects now, then turns the collector off (GOGC=off, with
// gcHoldLimit as the memory limit) until the returned release runs.
// Holds nest: the last release restores the settings.
func holdGC() (release func()) {
	gcHold.Lock()
	defer gcHold.Unlock()
	if gcHold.n == 0 {
		runtime.GC()
		gcHold.pct = debug.SetGCPercent(-1)
		gcHold.limit = debug.SetMemoryLimit(gcHoldLimit())
	}
	gcHold.n++
	var once sync.Once
	return func() {
		once.Do(func() {
			gcHold.Lock()
			defer gcHold.Unlock()
			if gcHold.n--; gcHold.n == 0 {
				debug.SetGCPercent(gcHold.pct)
				debug.SetMemoryLimit(gcHold.limit)
			}
		})
	}
}

// gcHoldLimit is the heap a held collector lets the load reach: a quarter
// of the machine's memory, between 1 and 8 GiB (2 GiB when unknown).
func gcHoldLimit() int64 {
	const gib = 1 << 30
	total := memTotal()
	if total <= 0 {
		return 2 * gib
	}
	return min(max(total/4, gib), 8*gib)
}

// memTotal is MemTotal of /proc/meminfo in bytes (0: unknown).
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}

// gcCycles is how many GC cycles this process has completed.
func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
