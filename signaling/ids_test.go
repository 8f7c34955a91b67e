package signaling

import (
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// Session ids are 22 characters the store accepts, distinct within one
// millisecond, and sort by creation time (so the call log's indexes grow
// at one end).
func TestSessionIDsSortByTime(t *testing.T) {
	t0 := time.UnixMilli(1_767_225_600_000)
	seen := map[string]bool{}
	prev := ""
	for i := range 2000 {
		at := t0.Add(time.Duration(i/4) * time.Millisecond) // four per millisecond
		id := newSessionID(at)
		if len(id) != 22 {
			t.Fatalf("id %q has %d characters, want 22", id, len(id))
		}
		if err := store.ValidateID("session id", id); err != nil {
			t.Fatal(err)
		}
		if seen[id] {
			t.Fatalf("id %q made twice", id)
		}
		seen[id] = true
		if i%4 == 0 && id <= prev { // a later millisecond sorts after
			t.Fatalf("id %q at %v sorts before %q made earlier", id, at, prev)
		}
		prev = max(prev, id)
	}
	// Years apart, including a carry through every time byte.
	a, b := newSessionID(time.UnixMilli(0xFFFF_FFFF)), newSessionID(time.UnixMilli(0x1_0000_0000))
	if a >= b {
		t.Fatalf("%q >= %q", a, b)
	}
}
