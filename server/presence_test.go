package server_test

import (
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/server"
)

// TestClusterPresence: presence is the cluster's, not a node's. eve on n1
// watches (listUsers): ann signing in on n2 comes online, ann and ben (n1)
// in a call ann's node runs are busy, then online again, and ann's device
// leaving n2 makes her offline; listUsers on n1 says the same each time. A
// second device of ann on n1 announces nothing more.
func TestClusterPresence(t *testing.T) {
	tc := newTestClusterWith(t, func(c *server.Config) { c.Ringing.ReconnectGrace = 300 * time.Millisecond }, "n1", "n2")
	n1, n2 := tc.nodes[0], tc.nodes[1]
	eve, ben := dial(t, n1, "eve"), dial(t, n1, "ben")
	type change struct{ uid, status string }
	seen := make(chan change, 32)
	note := func(u client.User) { seen <- change{u.UID, u.Status} }
	eve.c.AddCallListener("presence", client.CallListener{OnUserOnline: note, OnUserOffline: note, OnUserBusy: note})
	if _, err := eve.c.ListUsers(ctxT(t)); err != nil { // eve watches from now on
		t.Fatal(err)
	}
	want := func(uid, status string) {
		t.Helper()
		deadline := time.After(waitLimit)
		for {
			select {
			case c := <-seen:
				if c.uid == uid && c.status == status {
					listed(t, eve, uid, status)
					return
				}
				if c.uid == uid {
					t.Fatalf("eve heard %s %s, want %s", uid, c.status, status)
				}
			case <-deadline:
				t.Fatalf("eve never heard %s %s", uid, status)
			}
		}
	}
	ann := dial(t, n2, "ann")
	want("ann", protocol.PresenceOnline)
	call, err := ann.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "ben", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	want("ann", protocol.PresenceBusy) // calling out
	wait(t, ben.incoming, "incomingCall for ben")
	if _, err := ben.c.AcceptCall(ctxT(t), call.SessionID); err != nil {
		t.Fatal(err)
	}
	want("ben", protocol.PresenceBusy) // in a call run by n2, his device on n1
	if _, err := ann.c.EndCall(ctxT(t), call.SessionID); err != nil {
		t.Fatal(err)
	}
	want("ann", protocol.PresenceOnline)
	want("ben", protocol.PresenceOnline)
	ann1 := dial(t, n1, "ann") // a second device, on another node: no news
	_ = ann.c.Close()
	select {
	case c := <-seen:
		if c.uid == "ann" {
			t.Fatalf("ann's second device, then her first one leaving, announced %s", c.status)
		}
	case <-time.After(time.Second): // > the 300 ms grace
	}
	listed(t, eve, "ann", protocol.PresenceOnline)
	_ = ann1.c.Close()
	want("ann", protocol.PresenceOffline)
}

// listed checks what listUsers on d's node says of uid.
func listed(t *testing.T, d *device, uid, status string) {
	t.Helper()
	users, err := d.c.ListUsers(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.UID == uid {
			if u.Status != status || u.Online != (status != protocol.PresenceOffline) {
				t.Fatalf("listUsers says %s is %s (online %v), want %s", uid, u.Status, u.Online, status)
			}
			return
		}
	}
	t.Fatalf("listUsers has no %s", uid)
}
