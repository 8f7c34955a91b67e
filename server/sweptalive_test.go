package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/switchboard-rtc/switchboard/internal/faultproxy"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestNodeCutOffPastItsExpiryEndsTheCallsASurvivorTookOver: n1 cannot reach
// Redis for 3 s (its expiry is 1 s) while n2 can: n2 takes n1 for lost and
// ends its call (node_lost; eve, on n2, is told, the log written). When n1
// reaches Redis again, it ends that call too: dan, on n1, hears callEnded
// (node_lost), and both are free. Before, n1 claimed the call again: eve
// was busy again, dan still in a call the log said had ended, and its end
// would have been written and sent to webhooks a second time (the cluster
// code review).
func TestNodeCutOffPastItsExpiryEndsTheCallsASurvivorTookOver(t *testing.T) {
	tc := newTestCluster(t, "n2")
	proxy := faultproxy.New(t, "unix", tc.redis.Options().Addr)
	cfg := tc.config("n1")
	cfg.Cluster.Redis = "redis://" + proxy.Addr()
	n1, n2 := tc.startWith(cfg), tc.nodes[0]
	dan, eve, hal := dial(t, n1, "dan"), dial(t, n2, "eve"), dial(t, n2, "hal")
	sid := answered(t, dan, eve)
	proxy.Cut(3 * time.Second)
	if c := wait(t, eve.ended, "eve's callEnded"); c.SessionID != sid || c.Reason != protocol.ReasonNodeLost {
		t.Fatalf("eve heard %+v, want callEnded node_lost", c)
	}
	if c := wait(t, dan.ended, "dan's callEnded once n1 reaches Redis again"); c.SessionID != sid || c.Reason != protocol.ReasonNodeLost {
		t.Fatalf("dan heard %+v, want callEnded node_lost", c)
	}
	deadline := time.Now().Add(waitLimit)
	for {
		call, err := hal.c.InitiateCall(ctxT(t), audioCall("eve"))
		if err == nil && call.Status == protocol.StatusInitiated {
			if _, err := hal.c.RejectCall(ctxT(t), call.SessionID, "cancelled"); err != nil {
				t.Fatal(err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("hal -> eve after n1 came back: %+v %v; want it to ring", call, err)
		}
		time.Sleep(200 * time.Millisecond) // polling an outcome
	}
	if active, err := dan.c.GetActiveCall(ctxT(t)); err != nil || active != nil {
		t.Fatalf("dan's active call after: %+v %v, want none", active, err)
	}
	rec, err := n2.Store().GetCall(context.Background(), sid)
	if err != nil || rec.Status != protocol.StatusEnded || rec.EndReason != protocol.ReasonNodeLost {
		t.Fatalf("the log has %+v %v, want ended / node_lost", rec, err)
	}
}

// TestRedisBackFromAnOlderSnapshotIsNotATakeover: Redis restarts from a
// snapshot taken before a call (it kept "its data", the call is not in it):
// nobody took the call over, so the node claims it again and it goes on.
// The first version of the takeover rule ended it here with nothing
// written, the log "ongoing" for good (the review of the day's diff).
func TestRedisBackFromAnOlderSnapshotIsNotATakeover(t *testing.T) {
	tc := newTestCluster(t, "n1")
	n1 := tc.nodes[0]
	dan, eve := dial(t, n1, "dan"), dial(t, n1, "eve")
	rdb := redis.NewClient(tc.redis.Options())
	defer rdb.Close()
	if err := rdb.Save(context.Background()).Err(); err != nil { // the snapshot, before the call
		t.Fatal(err)
	}
	sid := answered(t, dan, eve)
	time.Sleep(1500 * time.Millisecond) // past the 1 s expiry of the registration in the snapshot
	tc.redis.Restart(t)                 // redis-server loads it
	select {
	case c := <-dan.ended:
		t.Fatalf("dan heard callEnded %q for %s after Redis came back from an older snapshot", c.Reason, c.SessionID)
	case <-time.After(4 * time.Second):
	}
	active, err := dan.c.GetActiveCall(ctxT(t))
	if err != nil || active == nil || active.SessionID != sid || active.Status != protocol.StatusOngoing {
		t.Fatalf("dan's active call: %+v %v, want %s ongoing", active, err, sid)
	}
}
