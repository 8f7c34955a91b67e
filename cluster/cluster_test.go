package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/switchboard-rtc/switchboard/cluster/redistest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fastConfig renews every 50 ms and expires after 300 ms, so a lost node is
// found in well under a second.
func fastConfig(id string) Config {
	c := DefaultConfig()
	c.NodeID, c.Keepalive, c.Expiry = id, 50*time.Millisecond, 300*time.Millisecond
	return c
}

func join(t *testing.T, srv *redistest.Server, id string, deps Deps) *Node {
	t.Helper()
	deps.Options = srv.Options()
	n, err := Join(context.Background(), fastConfig(id), deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

// eventually polls cond (a real engine's clock is real time) until it holds
// or limit passes.
func eventually(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", limit, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestClaimIsAtomicAcrossNodes: three nodes race to ring the same callee;
// exactly one wins and the others see busy. Glare (ann calls bob on one
// node while bob calls ann on another) lets exactly one call through. A
// group call rings the free members and reports the busy one.
func TestClaimIsAtomicAcrossNodes(t *testing.T) {
	srv := redistest.Start(t)
	nodes := []*Node{join(t, srv, "n1", Deps{}), join(t, srv, "n2", Deps{}), join(t, srv, "n3", Deps{})}
	ctx := context.Background()
	for round := range 20 {
		var wins atomic.Int32
		var wg sync.WaitGroup
		callee := fmt.Sprint("bob", round)
		for i, n := range nodes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				busy, _, err := n.Claim(ctx, fmt.Sprintf("c%d-%d", round, i), n.ID(), true, []string{fmt.Sprint("caller", i, "-", round), callee})
				if err != nil {
					t.Error(err)
				}
				if len(busy) == 0 {
					wins.Add(1)
				} else if !slices.Equal(busy, []string{callee}) {
					t.Errorf("busy = %v, want [%s]", busy, callee)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("round %d: %d calls to one callee got through, want 1", round, wins.Load())
		}
		// Glare.
		var glareWins atomic.Int32
		a, b := fmt.Sprint("ann", round), fmt.Sprint("ben", round)
		wg.Add(2)
		for i, pair := range [][]string{{a, b}, {b, a}} {
			go func() {
				defer wg.Done()
				if busy, _, err := nodes[i].Claim(ctx, fmt.Sprintf("g%d-%d", round, i), "n1", true, pair); err == nil && len(busy) == 0 {
					glareWins.Add(1)
				}
			}()
		}
		wg.Wait()
		if glareWins.Load() != 1 {
			t.Fatalf("round %d glare: %d calls got through, want 1", round, glareWins.Load())
		}
	}
	busy, _, err := nodes[1].Claim(ctx, "grp", "n2", false, []string{"ann0", "cat", "dan"})
	if err != nil || !slices.Equal(busy, []string{"ann0"}) {
		t.Fatalf("group claim: busy %v, %v; want [ann0]", busy, err)
	}
	for _, u := range []string{"cat", "dan"} {
		if b, _ := nodes[0].Busy(ctx, u); !b {
			t.Errorf("%s rings in the group call but is not busy", u)
		}
	}
	if owner, media, _ := nodes[2].Owner(ctx, "grp"); owner != "n2" || media != "n2" {
		t.Errorf("owner %q media %q, want n2", owner, media)
	}
	if err := nodes[1].Release(ctx, "grp", []string{"cat", "dan"}); err != nil {
		t.Fatal(err)
	}
	if b, _ := nodes[0].Busy(ctx, "cat"); b {
		t.Error("cat still busy after the call was released")
	}
}

// TestLostNodeIsSweptOnce: a node that stops renewing (as after kill -9)
// is swept by exactly one survivor, which gets its calls; their users are
// free again and its devices leave the index. The survivors stay.
func TestLostNodeIsSweptOnce(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	var mu sync.Mutex
	var swept []LostCall
	sweeps := 0
	lost := func(node string, calls []LostCall) {
		mu.Lock()
		defer mu.Unlock()
		if node == "n3" {
			sweeps++
			swept = append(swept, calls...)
		}
	}
	n1, n2 := join(t, srv, "n1", Deps{Lost: lost}), join(t, srv, "n2", Deps{Lost: lost})
	n3, err := Join(ctx, fastConfig("n3"), Deps{Options: srv.Options()})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := n3.Claim(ctx, "call-on-n3", "n3", true, []string{"xia", "yan"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := n1.Claim(ctx, "call-on-n1", "n1", true, []string{"zoe", "ada"}); err != nil {
		t.Fatal(err)
	}
	if err := n3.AddDevice(ctx, "xia"); err != nil {
		t.Fatal(err)
	}
	if err := n3.CountBound(ctx, "xia", "xia-phone", 1); err != nil {
		t.Fatal(err)
	}
	if err := n1.AddDevice(ctx, "xia"); err != nil {
		t.Fatal(err)
	}
	if err := n1.CountBound(ctx, "xia", "xia-tablet", 1); err != nil {
		t.Fatal(err)
	}
	if b, _ := n1.BoundDevices(ctx, "xia"); !b["xia-phone"] || !b["xia-tablet"] {
		t.Fatalf("xia's bound devices %v, want her phone (n3) and tablet (n1)", b)
	}
	start := time.Now()
	_ = n3.abandon()
	eventually(t, 10*time.Second, "a survivor swept n3", func() bool { mu.Lock(); defer mu.Unlock(); return sweeps > 0 })
	t.Logf("n3 swept %v after it stopped", time.Since(start).Round(time.Millisecond))
	for range 5 { // more renewals: nobody sweeps it again
		_ = n1.renew(ctx)
		n1.sweep(ctx)
		n2.sweep(ctx)
	}
	mu.Lock()
	defer mu.Unlock()
	if sweeps != 1 || len(swept) != 1 || swept[0].SessionID != "call-on-n3" || !slices.Equal(swept[0].Users, []string{"xia", "yan"}) {
		t.Fatalf("sweeps %d, calls %+v; want one sweep of call-on-n3 [xia yan]", sweeps, swept)
	}
	for _, u := range []string{"xia", "yan"} {
		if b, _ := n1.Busy(ctx, u); b {
			t.Errorf("%s still busy after its node was lost", u)
		}
	}
	if b, _ := n1.Busy(ctx, "zoe"); !b {
		t.Error("a survivor's call lost its busy state")
	}
	if ids, _ := n1.NodesOf(ctx, "xia"); !slices.Equal(ids, []string{"n1"}) {
		t.Errorf("xia's devices on %v, want n1 only", ids)
	}
	if b, _ := n1.BoundDevices(ctx, "xia"); len(b) != 1 || !b["xia-tablet"] {
		t.Errorf("xia's bound devices %v after n3 was swept, want her tablet (n1) only", b)
	}
	live, _ := n2.Nodes(ctx)
	if len(live) != 2 {
		t.Errorf("live nodes %+v, want n1 and n2", live)
	}
}

// TestClaimRecordsTheRequest: a claim with a clientRequestId records which
// call it placed; a claim with the same id on another node claims nothing
// and names that call, until the id's time runs out, or unless it renews;
// the caller busy writes no record; a lost node's record is not followed.
func TestClaimRecordsTheRequest(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	n1, n2 := join(t, srv, "n1", Deps{}), join(t, srv, "n2", Deps{})
	req := Request{Caller: "ann", ID: "r1", TTL: time.Second}
	if c, err := n1.ClaimLooking(ctx, "s1", "n1", false, []string{"ann", "bob"}, "", req); err != nil || c.Retried != (Placed{}) {
		t.Fatalf("first claim: %+v %v", c, err)
	}
	if c, err := n1.ClaimLooking(ctx, "s1", "n1", false, []string{"ann", "bob"}, "", req); err != nil || c.Retried != (Placed{}) {
		t.Fatalf("the same call claimed again: %+v %v", c, err)
	}
	if err := n1.Release(ctx, "s1", []string{"ann", "bob"}); err != nil { // the call ended
		t.Fatal(err)
	}
	c, err := n2.ClaimLooking(ctx, "s2", "n2", false, []string{"ann", "bob"}, "", req)
	if err != nil || c.Retried != (Placed{SessionID: "s1", Node: "n1"}) {
		t.Fatalf("the retry on n2: %+v %v; want s1 placed by n1", c, err)
	}
	if b, _ := n2.Busy(ctx, "bob"); b {
		t.Fatal("the retry's claim linked bob")
	}
	renew := req
	renew.Renew = true
	if c, err := n2.ClaimLooking(ctx, "s2", "n2", false, []string{"ann", "bob"}, "", renew); err != nil || c.Retried != (Placed{}) || len(c.Busy) > 0 {
		t.Fatalf("a renewed claim: %+v %v; want s2 claimed", c, err)
	}
	if c, _ := n1.ClaimLooking(ctx, "s3", "n1", false, []string{"ann", "bob"}, "", req); c.Retried != (Placed{SessionID: "s2", Node: "n2"}) {
		t.Fatalf("after the renewal the id names %+v; want s2 on n2", c.Retried)
	}
	// ann busy (in s2): a claim with a new id records nothing
	other := Request{Caller: "ann", ID: "r2", TTL: time.Second}
	if c, _ := n1.ClaimLooking(ctx, "s4", "n1", false, []string{"ann", "cat"}, "", other); !slices.Contains(c.Busy, "ann") {
		t.Fatalf("ann not busy: %+v", c)
	}
	if err := n1.Release(ctx, "s4", []string{"ann", "cat"}); err != nil {
		t.Fatal(err)
	}
	if c, _ := n2.ClaimLooking(ctx, "s5", "n2", false, []string{"ann", "cat"}, "", other); c.Retried != (Placed{}) {
		t.Fatalf("a refused claim was recorded: %+v", c.Retried)
	}
	eventually(t, 3*time.Second, "the id's record expires", func() bool {
		c, err := n1.ClaimLooking(ctx, "s6", "n1", false, []string{"dan", "eve"}, "", Request{Caller: "ann", ID: "r1", TTL: time.Second})
		_ = n1.Release(ctx, "s6", []string{"dan", "eve"})
		return err == nil && c.Retried == (Placed{})
	})
	// a record naming a node that is gone is not followed
	n3, err := Join(ctx, fastConfig("n3"), Deps{Options: srv.Options()})
	if err != nil {
		t.Fatal(err)
	}
	lost := Request{Caller: "fay", ID: "r3", TTL: time.Minute}
	if _, err := n3.ClaimLooking(ctx, "s7", "n3", false, []string{"fay", "gus"}, "", lost); err != nil {
		t.Fatal(err)
	}
	_ = n3.abandon()
	eventually(t, 10*time.Second, "n3 swept", func() bool { b, err := n1.Busy(ctx, "fay"); return err == nil && !b })
	if c, err := n1.ClaimLooking(ctx, "s8", "n1", false, []string{"fay", "gus"}, "", lost); err != nil || c.Retried != (Placed{}) || len(c.Busy) > 0 {
		t.Fatalf("a retry whose call was placed by a lost node: %+v %v; want a new claim", c, err)
	}
}

// TestRedisBackWithItsDataSweepsNoLiveNode: Redis stopped for longer than
// the nodes' expiry and started again with its data (a restart that
// saved): every registration expired meanwhile. The node that registers
// first does not take a slower live node for lost (it ended that node's
// calls node_lost before: a live call ended on a healthy node).
func TestRedisBackWithItsDataSweepsNoLiveNode(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	var lost atomic.Int32
	deps := Deps{Options: srv.Options(), Lost: func(string, []LostCall) { lost.Add(1) }}
	slow, quick := fastConfig("slow"), fastConfig("quick")
	slow.Keepalive, slow.Expiry = 400*time.Millisecond, time.Second
	quick.Expiry = time.Second
	n1, err := Join(ctx, slow, deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n1.Close() })
	n2, err := Join(ctx, quick, deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n2.Close() })
	if _, _, err := n1.Claim(ctx, "live", "slow", true, []string{"ann", "bob"}); err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(srv.Options())
	if err := rdb.Save(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	_ = rdb.Close()
	srv.Stop()
	eventually(t, 5*time.Second, "both nodes see Redis down", func() bool { return !n1.Up() && !n2.Up() })
	time.Sleep(1200 * time.Millisecond) // past every registration's expiry
	if err := srv.Begin(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "both nodes registered again", func() bool { return n1.Up() && n2.Up() })
	time.Sleep(1500 * time.Millisecond) // the quick node's settle, and sweeps after it
	if n := lost.Load(); n > 0 {
		t.Fatalf("%d node(s) reported lost after Redis came back with its data; both are alive", n)
	}
	if b, err := n2.Busy(ctx, "ann"); err != nil || !b {
		t.Fatalf("the slow node's live call was released: busy %v %v", b, err)
	}
}

// TestNodeIDTakenByAnotherProcess: a second process given a running node's
// cluster.node_id is refused at Join (it took over the registration before,
// and its exit deleted the running node's calls from Redis); a node
// restarted after a crash waits its old registration out and joins.
func TestNodeIDTakenByAnotherProcess(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	n1 := join(t, srv, "n1", Deps{})
	if _, _, err := n1.Claim(ctx, "c1", "n1", true, []string{"ann", "bob"}); err != nil {
		t.Fatal(err)
	}
	if dup, err := Join(ctx, fastConfig("n1"), Deps{Options: srv.Options()}); !errors.Is(err, ErrConfig) {
		if dup != nil {
			_ = dup.Close()
		}
		t.Fatalf("a second process with n1's id: %v; want ErrConfig", err)
	}
	if b, _ := n1.Busy(ctx, "ann"); !b || !n1.Up() {
		t.Fatalf("the running node lost its state: up %v, ann busy %v", n1.Up(), b)
	}
	crashed, err := Join(ctx, fastConfig("n2"), Deps{Options: srv.Options()})
	if err != nil {
		t.Fatal(err)
	}
	_ = crashed.abandon()
	again, err := Join(ctx, fastConfig("n2"), Deps{Options: srv.Options()})
	if err != nil {
		t.Fatalf("n2 restarted after a crash: %v", err)
	}
	_ = again.Close()
}

// TestRedisRestart: while Redis is down the node says so (Up false, Claim
// ErrUnavailable); when it comes back empty the node re-registers, asks its
// owner to publish its state again (Resync) and is up only after that; new
// calls are refused while the other nodes may not have published theirs
// yet (one expiry and keepalive), the owner's own claims are not.
func TestRedisRestart(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	cfg := fastConfig("n1")
	cfg.Keepalive, cfg.Expiry = 100*time.Millisecond, 3*time.Second // settles for 3.1 s
	var resyncs, upDuring atomic.Int32
	var self atomic.Pointer[Node]
	n, err := Join(ctx, cfg, Deps{Options: srv.Options(), Resync: func(context.Context, bool) {
		resyncs.Add(1)
		if n := self.Load(); n != nil && n.Up() {
			upDuring.Add(1)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	self.Store(n)
	t.Cleanup(func() { _ = n.Close() })
	if _, _, err := n.Claim(ctx, "first", "n1", true, []string{"a", "b"}); err != nil {
		t.Fatalf("a cluster's first start does not settle: %v", err)
	}
	if err := n.Release(ctx, "first", []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	first := resyncs.Load()
	srv.Stop()
	eventually(t, 5*time.Second, "the node sees Redis down", func() bool { return !n.Up() })
	if _, _, err := n.Claim(ctx, "c", "n1", true, []string{"a", "b"}); err == nil {
		t.Fatal("a call was claimed while Redis is down")
	}
	if err := srv.Begin(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the node re-registers", func() bool { return n.Up() && resyncs.Load() > first })
	if upDuring.Load() > 0 {
		t.Error("the node was up while its state was being published again")
	}
	live, err := n.Nodes(ctx)
	if err != nil || len(live) != 1 || live[0].ID != "n1" {
		t.Fatalf("after restart nodes = %+v, %v", live, err)
	}
	if _, _, err := n.Claim(ctx, "c", "n1", true, []string{"a", "b"}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("a new call right after Redis lost its data: %v, want ErrUnavailable (settling)", err)
	}
	if err := n.Reclaim(ctx, "old", "n1", []string{"c", "d"}, Request{Caller: "c", ID: "r1", TTL: time.Minute}); err != nil {
		t.Fatalf("the owner's claim of its ongoing call while settling: %v", err)
	}
	eventually(t, 10*time.Second, "new calls taken again", func() bool {
		busy, _, err := n.Claim(ctx, "c", "n1", true, []string{"a", "b"})
		return err == nil && len(busy) == 0
	})
	if busy, _, err := n.Claim(ctx, "e", "n1", true, []string{"a", "c"}); err != nil || len(busy) != 2 {
		t.Fatalf("the re-claimed call keeps its users busy: %v %v", busy, err)
	}
	// its clientRequestId is recorded again: a retry finds the call
	if c, err := n.ClaimLooking(ctx, "retry", "n1", false, []string{"c", "d"}, "", Request{Caller: "c", ID: "r1", TTL: time.Minute}); err != nil ||
		c.Retried != (Placed{SessionID: "old", Node: "n1"}) {
		t.Fatalf("a retry after Redis lost its data: %+v %v; want the re-claimed call", c, err)
	}
}

// TestBusDeliversAndForwards: a frame for a user reaches the node holding
// the user's device, and a command reaches the owner and is answered.
func TestBusDeliversAndForwards(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	got := make(chan Envelope, 4)
	var n2 *Node
	n2 = join(t, srv, "n2", Deps{Receive: func(e Envelope) {
		if e.Kind == KindCommand {
			_ = n2.Reply(ctx, e, json.RawMessage(`{"ok":true}`), "", "")
			return
		}
		got <- e
	}})
	n1 := join(t, srv, "n1", Deps{})
	if err := n2.AddDevice(ctx, "amy"); err != nil {
		t.Fatal(err)
	}
	if err := n1.Deliver(ctx, "amy", json.RawMessage(`{"type":"event","event":"incomingCall"}`), "", 0); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-got:
		if e.UID != "amy" || e.From != "n1" || string(e.Frame) != `{"type":"event","event":"incomingCall"}` {
			t.Fatalf("delivered %+v", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the frame did not reach amy's node")
	}
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	r, err := n1.Request(rctx, "n2", Envelope{Method: "acceptCall", UID: "amy", SessionID: "s1"})
	if err != nil || string(r.Result) != `{"ok":true}` {
		t.Fatalf("reply %+v, %v", r, err)
	}
}

// TestDeviceCapHoldsAcrossNodes: ringing.max_connections_per_user is the
// cluster's. With a cap of 3, devices reserved on two nodes at once
// (twenty tries racing) get exactly 3 counted; one going frees a place
// for the other node; a cap of 0 lets every device in.
func TestDeviceCapHoldsAcrossNodes(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	n1, n2 := join(t, srv, "n1", Deps{}), join(t, srv, "n2", Deps{})
	var wg sync.WaitGroup
	var admitted atomic.Int32
	for i := range 20 {
		n := []*Node{n1, n2}[i%2]
		wg.Go(func() {
			ok, err := n.ReserveDevice(ctx, "kim", 3)
			if err != nil {
				t.Error(err)
			}
			if ok {
				admitted.Add(1)
			}
		})
	}
	wg.Wait()
	if got, _ := n1.DeviceCount(ctx, "kim"); admitted.Load() != 3 || got != 3 {
		t.Fatalf("%d devices admitted, %d counted; want 3 and 3", admitted.Load(), got)
	}
	ids, _ := n1.NodesOf(ctx, "kim")
	var gone *Node
	for _, n := range []*Node{n1, n2} {
		if slices.Contains(ids, n.id) {
			gone = n
		}
	}
	if err := gone.RemoveDevice(ctx, "kim"); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*Node{n2, n1} {
		ok, err := n.ReserveDevice(ctx, "kim", 3)
		if err != nil || ok != (n == n2) {
			t.Errorf("%s after one device went: admitted %v (%v), want only the first to be", n.id, ok, err)
		}
	}
	if ok, err := n1.ReserveDevice(ctx, "kim", 0); err != nil || !ok {
		t.Errorf("no cap: admitted %v (%v)", ok, err)
	}
	if got, _ := n2.DeviceCount(ctx, "kim"); got != 4 {
		t.Errorf("%d devices counted, want 4", got)
	}
}

// TestInitiateRateHoldsAcrossNodes: a caller's new calls share one bucket
// whichever node claims them (ringing.initiate_rate holds for the cluster,
// not per node); a retry naming the call already placed and a claim made
// again take no token; a caller without a rate is not limited.
func TestInitiateRateHoldsAcrossNodes(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	n1, n2 := join(t, srv, "n1", Deps{}), join(t, srv, "n2", Deps{})
	limit := func(id string) Request { return Request{Caller: "ann", ID: id, TTL: time.Minute, Rate: 0.5, Burst: 2} }
	for i, n := range []*Node{n1, n2} {
		sid := fmt.Sprintf("s%d", i)
		c, err := n.ClaimLooking(ctx, sid, "", false, []string{"ann", fmt.Sprintf("u%d", i)}, "", limit(sid))
		if err != nil || c.RetryAfter != 0 || c.Media.Node == "" {
			t.Fatalf("call %d of a burst of 2 on %s: %+v %v", i+1, n.id, c, err)
		}
		if err := n.Release(ctx, sid, []string{"ann", fmt.Sprintf("u%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := n1.ClaimLooking(ctx, "s2", "", false, []string{"ann", "u2"}, "", limit("s2"))
	if err != nil || c.RetryAfter < time.Second || c.RetryAfter > 2*time.Second || c.Media.Node != "" {
		t.Fatalf("a third call at once: %+v %v; want refused, a token back in about 2 s", c, err)
	}
	if b, _ := n1.Busy(ctx, "u2"); b {
		t.Fatal("a refused claim linked its callee")
	}
	if c, err := n2.ClaimLooking(ctx, "s9", "", false, []string{"ann", "u2"}, "", limit("s0")); err != nil || c.Retried.SessionID != "s0" {
		t.Fatalf("a retry of the first call: %+v %v; want it named, not refused", c, err)
	}
	if err := n1.Reclaim(ctx, "s1", "n2", []string{"ann", "u1"}, limit("s1")); err != nil {
		t.Fatalf("a claim made again: %v", err)
	}
	if c, _ := n2.ClaimLooking(ctx, "s3", "", false, []string{"bob", "u3"}, "", Request{Caller: "bob"}); c.RetryAfter != 0 {
		t.Fatalf("a caller without a rate was limited: %+v", c)
	}
	eventually(t, 5*time.Second, "a token back", func() bool {
		c, err := n2.ClaimLooking(ctx, "s4", "", false, []string{"ann", "u4"}, "", limit("s4"))
		return err == nil && c.RetryAfter == 0 && c.Media.Node != ""
	})
	rdb := redis.NewClient(srv.Options())
	defer rdb.Close()
	if ttl := rdb.PTTL(ctx, rateKey("ann")).Val(); ttl <= 0 || ttl > 5*time.Second {
		t.Errorf("the bucket's key lives %v, want until it is full again (<= 5 s)", ttl)
	}
}

// TestBatchWritesRunInOrder: a batch's writes take effect in the order
// they were queued, from a node's first batch on and after Redis lost its
// scripts: a call's release is never run after the callEnded queued
// behind it (a script Redis does not know fails in the pipeline and can
// only run after the rest). Each step's batch is checked against Redis's
// count of NOSCRIPT errors. Before, the first release on a fresh Redis
// ran last, and a user told the call ended could still be called busy.
func TestBatchWritesRunInOrder(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	rdb := redis.NewClient(srv.Options())
	defer rdb.Close()
	noScripts := func() int {
		n, _ := strconv.Atoi(strings.TrimPrefix(redistest.Info(t, rdb, "errorstats")["errorstat_NOSCRIPT"], "count="))
		return n
	}
	n1 := join(t, srv, "n1", Deps{})
	endCall := func(sid string) {
		t.Helper()
		if busy, _, err := n1.Claim(ctx, sid, "", true, []string{"amy", "ben"}); err != nil || len(busy) > 0 {
			t.Fatalf("claim %s: busy %v, %v", sid, busy, err)
		}
		b := n1.NewBatch()
		b.Release(sid, []string{"amy", "ben"})
		b.Deliver("amy", json.RawMessage(`{"type":"event","event":"callEnded"}`), "", 0)
		for i, err := range b.Exec(ctx) {
			if err != nil {
				t.Fatalf("write %d of %s: %v", i, sid, err)
			}
		}
		if busy, err := n1.Busy(ctx, "amy"); err != nil || busy {
			t.Fatalf("amy busy after %s's release: %v %v", sid, busy, err)
		}
	}
	before := noScripts()
	endCall("s1")
	if n := noScripts() - before; n != 0 {
		t.Fatalf("the first batch met %d unknown scripts: its release ran after its delivery", n)
	}
	if err := rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "the scripts loaded again after SCRIPT FLUSH", func() bool {
		for _, s := range scripts {
			if ok, err := s.Exists(ctx, rdb).Result(); err != nil || !ok[0] {
				return false
			}
		}
		return true
	})
	before = noScripts()
	endCall("s2")
	if n := noScripts() - before; n != 0 {
		t.Fatalf("a batch after the reload met %d unknown scripts", n)
	}
}
