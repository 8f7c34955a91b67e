package signaling

import (
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// A vanished 1:1 call ends one way, whichever timer fires first: the
// media side's disconnect timeout (MediaLeft with reason disconnected) or
// the ringing side's reconnect grace. Both sides' callEnded and both call
// logs say status ended, reason disconnected.
func TestVanished1to1EndsOneWay(t *testing.T) {
	for _, first := range []string{"media timeout", "reconnect grace"} {
		t.Run(first, func(t *testing.T) {
			e := newEnv(t, nil)
			e.users("alice", "bob")
			alice, bob := e.dial("alice"), e.dial("bob")
			out := alice.call("bob")
			bob.expect(protocol.EventIncomingCall)
			bob.accept(out.SessionID)
			alice.expect(protocol.EventOutgoingCallAccepted)
			e.drop(bob, 0)
			if first == "media timeout" {
				e.hub.MediaLeft(out.SessionID, "bob", protocol.ReasonDisconnected)
			} else {
				e.clock.Advance(15 * time.Second)
			}
			got := alice.expect(protocol.EventCallEnded).call
			if got.Reason != protocol.ReasonDisconnected || got.Status != protocol.StatusEnded {
				t.Fatalf("alice's callEnded: status %s, reason %s; want ended, disconnected", got.Status, got.Reason)
			}
			// The other timer fires too: nothing changes.
			if first == "media timeout" {
				e.clock.Advance(15 * time.Second)
			} else {
				e.hub.MediaLeft(out.SessionID, "bob", protocol.ReasonDisconnected)
			}
			alice.quiet()
			for _, uid := range []string{"alice", "bob"} {
				log := e.log(uid)
				if len(log) != 1 || log[0].Status != protocol.StatusEnded || log[0].EndReason != protocol.ReasonDisconnected {
					t.Fatalf("%s's log: %+v", uid, log)
				}
			}
		})
	}
}

// A leave on /v1/rtc still ends a 1:1 call as ended (not disconnected).
func TestMediaLeaveEnds1to1AsEnded(t *testing.T) {
	e := newEnv(t, nil)
	alice, _, out := e.answered()
	e.hub.MediaLeft(out.SessionID, "bob", protocol.ReasonEnded)
	if got := alice.expect(protocol.EventCallEnded).call; got.Reason != protocol.ReasonEnded {
		t.Fatalf("alice's callEnded reason %s, want ended", got.Reason)
	}
}
