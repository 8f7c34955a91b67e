package bench

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads GOGC without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestHoldGCTurnsTheCollectorOffUntilTheLastRelease: nested holds share
// one; a release runs once; the last restores GOGC and the memory limit.
func TestHoldGCTurnsTheCollectorOffUntilTheLastRelease(t *testing.T) {
	pct, limit := gcPercent(), debug.SetMemoryLimit(-1)
	first := holdGC()
	if p := gcPercent(); p != -1 {
		t.Fatalf("GOGC %d while held, want off", p)
	}
	if l := debug.SetMemoryLimit(-1); l != gcHoldLimit() {
		t.Errorf("memory limit %d while held, want %d", l, gcHoldLimit())
	}
	second := holdGC()
	first()
	first() // twice: counted once
	if p := gcPercent(); p != -1 {
		t.Fatalf("GOGC %d with one hold left, want off", p)
	}
	second()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != pct || l != limit {
		t.Errorf("after the last release GOGC %d, limit %d; want %d, %d", p, l, pct, limit)
	}
}

func TestGCHoldLimitIsBounded(t *testing.T) {
	if l := gcHoldLimit(); l < 1<<30 || l > 8<<30 {
		t.Errorf("limit %d outside [1, 8] GiB", l)
	}
	if memTotal() <= 0 {
		t.Skip("no /proc/meminfo here")
	}
}
