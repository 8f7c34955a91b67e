package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/server"
)

// TestClusterRedisRoundTripsPerFlow counts the Redis commands one complete
// cross-node 1:1 flow costs (initiate on n1 for a callee on n2, accept on
// n2 forwarded to the owner, end on n1), with renewals slowed down so they
// do not count. It reports the figure (docs/cluster.md) and fails only if
// a flow costs none (then the count measures nothing).
func TestClusterRedisRoundTripsPerFlow(t *testing.T) {
	tc := newTestClusterWith(t, func(c *server.Config) {
		c.Cluster.Keepalive, c.Cluster.Expiry = time.Minute, 3*time.Minute
		c.Ringing.InitiateRate = 0
	}, "n1", "n2")
	caller, callee := dial(t, tc.nodes[0], "amy"), dial(t, tc.nodes[1], "ben")
	rdb := redis.NewClient(tc.redis.Options())
	defer rdb.Close()
	processed := func() int { return redisCommands(t, rdb) }
	const flows = 20
	before, reads := processed(), redisStat(t, rdb, "total_reads_processed")
	for range flows {
		call, err := caller.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "ben", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
		if err != nil {
			t.Fatal(err)
		}
		wait(t, callee.incoming, "incomingCall")
		if _, err := callee.c.AcceptCall(ctxT(t), call.SessionID); err != nil {
			t.Fatal(err)
		}
		wait(t, caller.accepted, "accepted")
		if _, err := caller.c.EndCall(ctxT(t), call.SessionID); err != nil {
			t.Fatal(err)
		}
		wait(t, callee.ended, "callEnded")
	}
	// The release is queued after the end: wait until both are free.
	deadline := time.Now().Add(waitLimit)
	for n, _ := rdb.Exists(context.Background(), "sb:ucalls:amy", "sb:ucalls:ben").Result(); n > 0; n, _ = rdb.Exists(context.Background(), "sb:ucalls:amy", "sb:ucalls:ben").Result() {
		if time.Now().After(deadline) {
			t.Fatal("the users were never released")
		}
		time.Sleep(10 * time.Millisecond)
	}
	trips := redisStat(t, rdb, "total_reads_processed") - reads - 1 // the first INFO
	total := processed() - before - 2                               // the INFOs themselves
	t.Logf("Redis commands per cross-node flow (initiate, accept forwarded, end): %.1f (%d over %d flows); round trips (requests read by redis-server): %.1f",
		float64(total)/flows, total, flows, float64(trips)/flows)
	if total < flows {
		t.Fatalf("%d commands for %d flows: the count measures nothing", total, flows)
	}
}
