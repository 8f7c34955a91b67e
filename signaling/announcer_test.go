package signaling

import (
	"sync"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

type watcherLog struct {
	// mu guards got.
	mu  sync.Mutex
	got []string
}

func (w *watcherLog) toUser(string, protocol.Message, uint64) int { return 0 }
func (w *watcherLog) ringUser(string, string, protocol.Message, uint64) (int, []*conn) {
	return 0, nil
}
func (w *watcherLog) toWatchers(m protocol.Message, _ string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.got = append(w.got, m.Event+":"+string(m.Data))
}

// Changes queued together are coalesced to each user's last one, in the
// order users first changed; stop sends what is queued.
func TestAnnouncerCoalesces(t *testing.T) {
	w := &watcherLog{}
	// Queue the burst before the goroutine runs.
	a := &announcer{out: w, wake: make(chan struct{}, 1), done: make(chan struct{}),
		pending: make(map[string]presenceChange)}
	a.announce(protocol.EventUserOnline, "bob", "Bob")
	a.announce(protocol.EventUserOnline, "carol", "Carol")
	a.announce(protocol.EventUserOffline, "bob", "Bob")
	go a.run()
	a.stop()
	a.announce(protocol.EventUserOnline, "dave", "Dave") // after stop: dropped
	w.mu.Lock()
	defer w.mu.Unlock()
	want := []string{`userOffline:{"uid":"bob","name":"Bob"}`, `userOnline:{"uid":"carol","name":"Carol"}`}
	if len(w.got) != 2 || w.got[0] != want[0] || w.got[1] != want[1] {
		t.Fatalf("sent %v, want %v", w.got, want)
	}
}
