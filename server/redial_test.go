package server_test

import (
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestClusterRedialAtOnce: a caller who hangs up and calls again at once is
// not refused "already in a call": the release of the call just ended is
// still queued for Redis when the new claim runs (or was, and went out
// while the claim ran), and the claim is made again once it is sent.
// Twenty redials, each right after callEnded. Under load (-race, other
// tests on both cores) it failed 4 runs in 20 while a claim that found
// nothing queued any more when it answered did not claim again.
func TestClusterRedialAtOnce(t *testing.T) {
	tc := newTestCluster(t)
	cfg := tc.config("n1")
	cfg.Ringing.InitiateRate = 0
	n1 := tc.startWith(cfg)
	amy, ben := dial(t, n1, "amy"), dial(t, n1, "ben")
	for i := range 20 {
		call, err := amy.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "ben", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
		if err != nil || call.Status != protocol.StatusInitiated {
			t.Fatalf("call %d, right after the last one ended: %+v %v", i, call, err)
		}
		wait(t, ben.incoming, "incomingCall")
		if _, err := ben.c.AcceptCall(ctxT(t), call.SessionID); err != nil {
			t.Fatal(err)
		}
		wait(t, amy.accepted, "accepted")
		if _, err := amy.c.EndCall(ctxT(t), call.SessionID); err != nil {
			t.Fatal(err)
		}
		wait(t, ben.ended, "callEnded")
	}
}
