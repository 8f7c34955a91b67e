package signaling

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// frameLog records what a connection received, in order: "reply:<id>" or
// "event:<name>".
type frameLog struct {
	mu  sync.Mutex
	got []string
}

func (l *frameLog) hook(dir protocol.FrameDir, frame []byte) {
	if dir != protocol.FrameReceived {
		return
	}
	var m struct {
		ID    string `json:"id"`
		Event string `json:"event"`
	}
	_ = json.Unmarshal(frame, &m)
	l.mu.Lock()
	defer l.mu.Unlock()
	if m.Event != "" {
		l.got = append(l.got, "event:"+m.Event)
	} else {
		l.got = append(l.got, "reply:"+m.ID)
	}
}

func (l *frameLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.got...)
}

// protocol.md "Order": "the callee sees incomingCall, then its acceptCall
// reply (other devices: incomingCallCancelled), then callEnded". The
// acceptCall reply waits for the commit (durable) while the caller hears
// outgoingCallAccepted at once and ends the call: the callEnded this sends
// the callee waits behind the reply's place. Before, with a store slow to
// commit, the callee heard callEnded before its accept's reply (the
// signaling review).
func TestAcceptReplyComesBeforeTheCallEndedAfterIt(t *testing.T) {
	ss := &slowStore{}
	e := newEnvOn(t, nil, func(st store.Store) store.Store { ss.Store = st; return ss })
	e.users("alice", "bob")
	alice := e.dial("alice")
	var bobFrames frameLog
	bob := e.dialWith("bob", client.DialOptions{OnFrame: bobFrames.hook})
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)

	ss.hold.Store(true)
	accepted := make(chan error, 1)
	go func() {
		_, err := bob.AcceptCall(ctxT(t), out.SessionID)
		accepted <- err
	}()
	alice.expect(protocol.EventOutgoingCallAccepted) // sent before bob's reply
	if _, err := alice.EndCall(ctxT(t), out.SessionID); err != nil {
		t.Fatal(err)
	}
	if err := <-accepted; err != nil {
		t.Fatal(err)
	}
	bob.expect(protocol.EventCallEnded)
	ss.hold.Store(false)

	frames := bobFrames.list()
	replyAt, endedAt := -1, -1
	for i, f := range frames {
		if f == "event:"+protocol.EventCallEnded && endedAt < 0 {
			endedAt = i
		}
		if len(f) > 6 && f[:6] == "reply:" && replyAt < 0 {
			replyAt = i
		}
	}
	if endedAt < 0 || replyAt < 0 || replyAt > endedAt {
		t.Fatalf("bob heard callEnded (frame %d) before the reply to his acceptCall (frame %d): %v", endedAt, replyAt, frames)
	}
}
