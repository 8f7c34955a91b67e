package client

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// One participant flooding mute toggles without reading cannot get another
// one disconnected: the flood is rate-limited, the muteChanged events the
// others get are coalesced (a few per second), and the one who reads keeps
// its socket and ends up with the flooder's final state.
func TestMuteFloodLeavesTheOthersConnected(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "flood", MediaOptions{})
	mallory := dialRaw(t, ts, "mallory@flood")
	alice.waitEvent(t, MediaUserJoined, "mallory")
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()

	const toggles = 5000 // the attack used 20,000; this many make the same point faster
	wrote := make(chan struct{})
	go func() { // without reading
		defer close(wrote)
		for i := 0; i < toggles; i++ {
			frame := fmt.Sprintf(`{"id":"m%d","method":"mute","params":{"kind":"audio","muted":%v}}`, i, i%2 == 0)
			if mallory.Write(ctx, websocket.MessageText, []byte(frame)) != nil {
				return
			}
		}
	}()
	select {
	case <-wrote:
	case <-time.After(2 * time.Second): // mallory's socket is full: now she reads
	}
	final := make(chan struct{}, 1)
	go func() { // mallory reads from now on, to see her final mute answered
		for {
			_, b, err := mallory.Read(ctx)
			if err != nil {
				return
			}

			if m, _ := protocol.Parse(b); m.ID == "final" && m.Error == nil {
				select {
				case final <- struct{}{}:
				default:
				}
			}
		}
	}()
	<-wrote
	for done := false; !done; {
		_ = mallory.Write(ctx, websocket.MessageText, []byte(`{"id":"final","method":"mute","params":{"kind":"audio","muted":true}}`))
		select {
		case <-final:
			done = true
		case <-time.After(100 * time.Millisecond): // rate-limited: retry
		case <-ctx.Done():
			t.Fatal("mallory's final mute was never accepted")
		}
	}

	// alice kept her socket and ends up seeing mallory muted.
	var events int
	last := false
	deadline := time.After(waitLimit)
	for !last || len(alice.events) > 0 {
		select {
		case ev := <-alice.events:
			if ev.Type == MediaMuteChanged && ev.UID == "mallory" {
				events++
				last = ev.Muted
			}
		case <-alice.Done():
			t.Fatalf("alice was disconnected by mallory's flood: %+v", ev(alice))
		case <-deadline:
			t.Fatalf("alice never saw mallory's final state (muted); %d muteChanged seen", events)
		}
	}
	if err := alice.Mute(ctx, "audio", true); err != nil {
		t.Fatalf("alice's socket broke: %v", err)
	}
	elapsed := time.Since(start)
	interval := sfu.DefaultConfig().MuteInterval
	if limit := int(elapsed/interval) + 2; events > limit {
		t.Errorf("alice got %d muteChanged in %v: want them coalesced, at most %d", events, elapsed.Round(time.Millisecond), limit)
	}
	t.Logf("alice got %d muteChanged in %v", events, elapsed.Round(time.Millisecond))
}

func ev(p *peer) MediaEvent { e, _ := p.Ended(); return e }
