package server_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/cluster/redistest"
	"github.com/switchboard-rtc/switchboard/internal/calltest"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/store/pgtest"
)

const waitLimit = 20 * time.Second

// testCluster is N nodes on loopback sharing one PostgreSQL and one Redis
// and one API key (a token minted by any node works on all).
type testCluster struct {
	t     *testing.T
	redis *redistest.Server
	dsn   string
	keys  map[string]string
	nodes []*server.App
	bin   string // the switchboard binary of startNodeProcess, built once
}

func newTestCluster(t *testing.T, ids ...string) *testCluster {
	t.Helper()
	return newTestClusterWith(t, nil, ids...)
}

// newTestClusterWith is newTestCluster with edit applied to each node's
// config (nil: none).
func newTestClusterWith(t *testing.T, edit func(*server.Config), ids ...string) *testCluster {
	t.Helper()
	tc := &testCluster{t: t}
	tc.redis, tc.dsn = newEngines(t)
	for _, id := range ids {
		cfg := tc.config(id)
		if edit != nil {
			edit(&cfg)
		}
		tc.nodes = append(tc.nodes, tc.startWith(cfg))
	}
	return tc
}

// redisCommands is how many commands Redis has processed (INFO stats),
// counting those run inside scripts; 0 without Redis (rdb nil).
func redisCommands(tb testing.TB, rdb *redis.Client) int {
	tb.Helper()
	if rdb == nil {
		return 0
	}
	n, err := strconv.Atoi(redistest.Info(tb, rdb, "stats")["total_commands_processed"])
	if err != nil {
		tb.Fatal("no total_commands_processed in INFO")
	}
	return n
}

// newEngines starts Redis and makes a PostgreSQL database for t.
func newEngines(t *testing.T) (*redistest.Server, string) {
	return redistest.Start(t), pgtest.Require(t).NewDSN(t)
}

func (tc *testCluster) config(id string) server.Config {
	cfg := server.LocalConfig(filepath.Join(tc.t.TempDir(), "unused.db"))
	if tc.keys == nil {
		tc.keys = cfg.Keys
	}
	cfg.Keys = tc.keys
	cfg.Store.Driver, cfg.Store.DSN = store.DriverPostgres, tc.dsn
	cfg.Cluster.Redis, cfg.Cluster.NodeID = tc.redis.URL(), id
	cfg.Cluster.Keepalive, cfg.Cluster.Expiry = 200*time.Millisecond, time.Second
	if os.Getenv("CLUSTER_LOG") != "" { // every node's log on stderr, to trace a failure
		cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, nil)).With("node", id)
	}
	return cfg
}

func (tc *testCluster) startWith(cfg server.Config) *server.App {
	tc.t.Helper()
	app, err := server.Start(context.Background(), cfg)
	if err != nil {
		tc.t.Fatal(err)
	}
	tc.t.Cleanup(func() { _ = app.Close() })
	return app
}

// device is one signed-in /v1/ws client and the events it saw.
type device struct {
	uid       string
	c         *client.Client
	incoming  chan client.Call
	cancelled chan client.Call
	accepted  chan client.Call
	ended     chan client.Call
	ringing   chan client.Call
}

func dial(t *testing.T, app *server.App, uid string) *device {
	t.Helper()
	d := &device{uid: uid, incoming: make(chan client.Call, 8), cancelled: make(chan client.Call, 8),
		accepted: make(chan client.Call, 8), ended: make(chan client.Call, 8), ringing: make(chan client.Call, 8)}
	// registered before the first event: a call ringing the user comes right after "connected"
	listeners := map[string]client.CallListener{"t": {
		OnIncomingCallReceived:     func(x client.Call) { d.incoming <- x },
		OnIncomingCallCancelled:    func(x client.Call) { d.cancelled <- x },
		OnOutgoingCallAccepted:     func(x client.Call) { d.accepted <- x },
		OnCallEndedMessageReceived: func(x client.Call) { d.ended <- x },
		OnRinging: func(x client.Call) { // every live ring sends one: kept only while there is room, never blocking the events after it
			select {
			case d.ringing <- x:
			default:
			}
		},
	}}
	d.c = calltest.SignIn(t, app, app.URL(), uid, client.DialOptions{OnFrame: protocoltest.Hook(t, protocoltest.WS), Listeners: listeners})
	return d
}

// answered places a 1:1 audio call from caller to callee, has callee
// accept it, waits until caller hears so, and returns its session id.
func answered(t *testing.T, caller, callee *device) string {
	t.Helper()
	call, err := caller.c.InitiateCall(ctxT(t), audioCall(callee.uid))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, callee.incoming, callee.uid+"'s incomingCall")
	if _, err := callee.c.AcceptCall(ctxT(t), call.SessionID); err != nil {
		t.Fatal(err)
	}
	wait(t, caller.accepted, caller.uid+"'s outgoingCallAccepted")
	return call.SessionID
}

func wait(t *testing.T, ch chan client.Call, what string) client.Call {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(waitLimit):
		t.Fatalf("never got %s", what)
	}
	return client.Call{}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	t.Cleanup(cancel)
	return ctx
}

// TestClusterCallsAcrossNodes: three nodes, users on different ones. bob
// (n2) calls ann, whose two devices sit on n1 and n3: both ring; the n3
// device accepts (forwarded to the owner, n2), the n1 device hears
// answeredElsewhere and bob hears accepted. cat (n3) calling ann now finds
// her busy, across nodes. bob's endCall reaches ann's device on n3.
func TestClusterCallsAcrossNodes(t *testing.T) {
	tc := newTestCluster(t, "n1", "n2", "n3")
	n1, n2, n3 := tc.nodes[0], tc.nodes[1], tc.nodes[2]
	ann1, ann3, bob, cat := dial(t, n1, "ann"), dial(t, n3, "ann"), dial(t, n2, "bob"), dial(t, n3, "cat")
	call, err := bob.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "ann", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*device{ann1, ann3} {
		if got := wait(t, d.incoming, "incomingCall on "+d.uid); got.SessionID != call.SessionID {
			t.Fatalf("rang %s, want %s", got.SessionID, call.SessionID)
		}
	}
	answer, err := ann3.c.AcceptCall(ctxT(t), call.SessionID)
	if err != nil || answer.CallToken == "" {
		t.Fatalf("accept on another node than the owner: %+v %v", answer, err)
	}
	if got := wait(t, ann1.cancelled, "answeredElsewhere on ann's n1 device"); got.Reason != protocol.ReasonAnsweredElsewhere {
		t.Fatalf("ann's other device heard %q, want answeredElsewhere", got.Reason)
	}
	wait(t, bob.accepted, "outgoingCallAccepted for bob")
	select {
	case c := <-ann3.cancelled:
		t.Fatalf("the accepting device heard %q", c.Reason)
	default:
	}

	busy, err := cat.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "ann", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil || busy.Status != protocol.StatusBusy {
		t.Fatalf("calling ann (in a call on another node): %+v %v, want status busy", busy, err)
	}
	if _, err := bob.c.EndCall(ctxT(t), call.SessionID); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, ann3.ended, "callEnded on ann's n3 device"); got.SessionID != call.SessionID {
		t.Fatalf("ann's n3 device heard callEnded of %s (%s), want %s", got.SessionID, got.Status, call.SessionID)
	}
	again, err := cat.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "ann", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil || again.Status != protocol.StatusInitiated {
		t.Fatalf("calling ann after her call ended: %+v %v, want initiated", again, err)
	}
}
