package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/server"
	"gopkg.in/yaml.v3"
)

// startNodeProcess builds switchboard and runs node id as its own process
// (so it can be killed with SIGKILL), on the cluster's store and Redis.
func (tc *testCluster) startNodeProcess(id string) (url string, kill func()) {
	return tc.startNodeProcessAs(id, "all")
}

// startNodeProcessAs is startNodeProcess with a role (serve --role).
func (tc *testCluster) startNodeProcessAs(id, role string) (url string, kill func()) {
	t := tc.t
	t.Helper()
	dir := t.TempDir()
	if tc.bin == "" {
		tc.bin = filepath.Join(dir, "switchboard")
		if out, err := exec.Command("go", "build", "-o", tc.bin, "../cmd/switchboard").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v: %s", err, out)
		}
	}
	bin := tc.bin
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	cfg := map[string]any{
		"log":    map[string]any{"level": "warn"},
		"keys":   tc.keys,
		"server": map[string]any{"listen": addr},
		"media": map[string]any{"bind_address": "127.0.0.1", "udp_port": 0, "tcp_port": 0,
			"include_loopback": true, "ips": []string{"127.0.0.1"}},
		"store":   map[string]any{"driver": "postgres", "dsn": tc.dsn},
		"cluster": map[string]any{"redis": tc.redis.URL(), "node_id": id, "keepalive": "200ms", "expiry": "1s"},
	}
	raw, _ := yaml.Marshal(cfg)
	path := filepath.Join(dir, "switchboard.yaml")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--config", path, "--role", role)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	cmd.Env = withoutSwitchboardEnv(os.Environ())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	kill = func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
	t.Cleanup(kill)
	url = "http://" + addr
	deadline := time.Now().Add(waitLimit)
	for {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url, kill
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s did not start: %v", id, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func dialURL(t *testing.T, via *server.App, url, uid string) *device {
	t.Helper()
	d := dial(t, via, uid) // registers the user; a device on via
	_ = d.c.Close()
	tok, err := via.Tokens().MintAuth(uid, uid, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.DialWith(ctxT(t), url, tok, client.DialOptions{OnFrame: protocoltest.Hook(t, protocoltest.WS)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	d.c = c
	c.AddCallListener("t", client.CallListener{
		OnIncomingCallReceived:     func(x client.Call) { d.incoming <- x },
		OnIncomingCallCancelled:    func(x client.Call) { d.cancelled <- x },
		OnOutgoingCallAccepted:     func(x client.Call) { d.accepted <- x },
		OnCallEndedMessageReceived: func(x client.Call) { d.ended <- x },
	})
	return d
}

// TestClusterNodeKilled: kill -9 of the node that owns a call. Within
// 10 s a survivor ends it with node_lost: the participant on a surviving
// node hears callEnded (node_lost), the log says ended / node_lost, and the
// user is free again. A call owned by a survivor is untouched.
func TestClusterNodeKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tc := newTestCluster(t, "n2", "n3")
	n2, n3 := tc.nodes[0], tc.nodes[1]
	url1, kill1 := tc.startNodeProcess("n1")
	dan := dialURL(t, n2, url1, "dan")
	eve, fay, gus := dial(t, n2, "eve"), dial(t, n3, "fay"), dial(t, n3, "gus")
	_ = dial(t, n3, "hal")

	lost, err := dan.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "eve", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, eve.incoming, "eve's incomingCall")
	if _, err := eve.c.AcceptCall(ctxT(t), lost.SessionID); err != nil {
		t.Fatal(err)
	}
	kept, err := fay.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "gus", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, gus.incoming, "gus's incomingCall")
	if _, err := gus.c.AcceptCall(ctxT(t), kept.SessionID); err != nil {
		t.Fatal(err)
	}

	killed := time.Now()
	kill1()
	select {
	case c := <-eve.ended:
		if c.SessionID != lost.SessionID || c.Reason != protocol.ReasonNodeLost || c.Initiator.Name == "" || c.Receiver.Name == "" {
			t.Fatalf("eve heard %+v, want callEnded node_lost for %s, with the parties' names", c, lost.SessionID)
		}
		took := time.Since(killed)
		t.Logf("callEnded (node_lost) %v after kill -9", took.Round(time.Millisecond))
		if took > 10*time.Second {
			t.Errorf("node_lost took %v, more than 10 s", took)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no callEnded for the killed node's call")
	}
	rec, err := n2.Store().GetCall(context.Background(), lost.SessionID)
	if err != nil || rec.Status != protocol.StatusEnded || rec.EndReason != protocol.ReasonNodeLost {
		t.Fatalf("the log has %+v, %v; want ended / node_lost", rec, err)
	}
	fresh, err := eve.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "hal", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil || fresh.Status != protocol.StatusInitiated {
		if _, e2 := n3.Store().GetUser(context.Background(), "hal"); e2 != nil {
			t.Logf("(hal unknown: %v)", e2)
		}
		t.Fatalf("eve after node_lost: %+v %v, want a new call", fresh, err)
	}
	active, err := fay.c.GetActiveCall(ctxT(t))
	if err != nil || active == nil || active.SessionID != kept.SessionID || active.Status != protocol.StatusOngoing {
		t.Fatalf("the survivors' call: %+v %v, want ongoing %s", active, err, kept.SessionID)
	}
}

// TestClusterNodeKilledAndRestartedAtOnce: kill -9 of the node that owns a
// call, started again at once with the same node_id (a pod keeps its name):
// the call still ends with node_lost within 10 s, its participant is told,
// the log says so, and the user is free. Before, the restarted node
// registered as soon as its old registration expired, before any survivor
// saw it missing, and the call went on "ongoing" for good, its users busy
// (both cluster audits; 4 of 9 restarts).
func TestClusterNodeKilledAndRestartedAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	// The survivor looks for lost nodes once a second, n1 renews and retries
	// its registration every 200 ms (expiry 1 s): the restarted n1 nearly
	// always registers before the survivor has seen the old one gone.
	tc := newTestClusterWith(t, func(c *server.Config) { c.Cluster.Keepalive, c.Cluster.Expiry = time.Second, 3*time.Second }, "n2")
	n2 := tc.nodes[0]
	for round := range 3 {
		url1, kill1 := tc.startNodeProcess("n1")
		caller, callee, other := fmt.Sprint("dan", round), fmt.Sprint("eve", round), fmt.Sprint("hal", round)
		dan := dialURL(t, n2, url1, caller)
		eve := dial(t, n2, callee)
		_ = dial(t, n2, other)
		lost, err := dan.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: callee, ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
		if err != nil {
			t.Fatal(err)
		}
		wait(t, eve.incoming, callee+"'s incomingCall")
		if _, err := eve.c.AcceptCall(ctxT(t), lost.SessionID); err != nil {
			t.Fatal(err)
		}
		killed := time.Now()
		kill1()
		_, kill1 = tc.startNodeProcess("n1") // at once, the same id
		select {
		case c := <-eve.ended:
			if c.SessionID != lost.SessionID || c.Reason != protocol.ReasonNodeLost {
				t.Fatalf("round %d: %s heard %+v, want callEnded node_lost for %s", round, callee, c, lost.SessionID)
			}
			if took := time.Since(killed); took > 10*time.Second {
				t.Errorf("round %d: node_lost took %v, more than 10 s", round, took)
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("round %d: no callEnded for the killed node's call (restarted at once)", round)
		}
		rec, err := n2.Store().GetCall(context.Background(), lost.SessionID)
		if err != nil || rec.Status != protocol.StatusEnded || rec.EndReason != protocol.ReasonNodeLost {
			t.Fatalf("round %d: the log has %+v, %v; want ended / node_lost", round, rec, err)
		}
		fresh, err := eve.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: other, ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
		if err != nil || fresh.Status != protocol.StatusInitiated {
			t.Fatalf("round %d: %s after node_lost: %+v %v, want a new call", round, callee, fresh, err)
		}
		if _, err := eve.c.RejectCall(ctxT(t), fresh.SessionID, client.StatusCancelled); err != nil {
			t.Fatal(err)
		}
		kill1()
		time.Sleep(1500 * time.Millisecond) // the next round's n1 starts after this one's registration expired
	}
}

// withoutSwitchboardEnv drops the SWITCHBOARD_* variables of the test's own
// environment (scripts/test exports tool directories under that prefix),
// which the node would refuse as unknown config keys: the node's config is
// the file alone.
func withoutSwitchboardEnv(env []string) []string {
	kept := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "SWITCHBOARD_") {
			kept = append(kept, kv)
		}
	}
	return kept
}
