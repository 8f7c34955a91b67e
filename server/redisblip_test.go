package server_test

import (
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/faultproxy"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/server"
)

// TestHangUpDuringARedisBlipFreesTheUsers: n1 loses Redis for 2 s (less
// than the expiry: nobody takes it for lost) and dan, on n1, hangs up his
// call with eve, on n2, meanwhile. Once Redis answers, eve is free: a call
// to her rings. Before, the release that failed was only logged: eve
// stayed busy until n1 died (the cluster code review). (The callEnded n2
// could not be handed meanwhile is not sent late: it would come after
// later events.)
func TestHangUpDuringARedisBlipFreesTheUsers(t *testing.T) {
	tc := newTestClusterWith(t, func(c *server.Config) { c.Cluster.Keepalive, c.Cluster.Expiry = 500*time.Millisecond, 5*time.Second }, "n2")
	proxy := faultproxy.New(t, "unix", tc.redis.Options().Addr)
	cfg := tc.config("n1")
	cfg.Cluster.Keepalive, cfg.Cluster.Expiry = 500*time.Millisecond, 5*time.Second
	cfg.Cluster.Redis = "redis://" + proxy.Addr()
	n1, n2 := tc.startWith(cfg), tc.nodes[0]
	dan, eve, hal := dial(t, n1, "dan"), dial(t, n2, "eve"), dial(t, n2, "hal")
	sid := answered(t, dan, eve)
	proxy.Cut(2 * time.Second)
	if _, err := dan.c.EndCall(ctxT(t), sid); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitLimit)
	for {
		call, err := hal.c.InitiateCall(ctxT(t), audioCall("eve"))
		if err == nil && call.Status == protocol.StatusInitiated {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("hal -> eve after the call ended and Redis answered again: %+v %v; want it to ring", call, err)
		}
		if err == nil {
			_, _ = hal.c.RejectCall(ctxT(t), call.SessionID, "cancelled")
		}
		time.Sleep(200 * time.Millisecond) // polling an outcome
	}
}
