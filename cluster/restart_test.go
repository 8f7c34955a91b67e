package cluster

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/switchboard-rtc/switchboard/cluster/redistest"
	"github.com/switchboard-rtc/switchboard/internal/faultproxy"
)

// lostLog records what Deps.Lost reports, from any node.
type lostLog struct {
	mu    sync.Mutex
	calls map[string]int // session id -> times reported
}

func (l *lostLog) lost(_ string, calls []LostCall) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range calls {
		l.calls[c.SessionID]++
	}
}

func (l *lostLog) times(sid string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls[sid]
}

// TestNodeRestartedAtOnceEndsTheCallsOfItsLastRun: a node killed in calls
// and started again at once with the same node_id (a pod keeps its name)
// registers as soon as the old registration expires, before any survivor
// sees it missing: the killed run's calls were then never reported lost
// and their users stayed busy for good (both cluster audits). Now the
// restarted node takes what its last run left and reports it, once,
// whichever of it and a survivor's sweep comes first.
func TestNodeRestartedAtOnceEndsTheCallsOfItsLastRun(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	log := &lostLog{calls: map[string]int{}}
	survivor := join(t, srv, "survivor", Deps{Lost: log.lost})
	for round := range 4 {
		id, bob, sid := fmt.Sprint("restarted", round), fmt.Sprint("bob", round), fmt.Sprint("call-", round)
		crashed, err := Join(ctx, fastConfig(id), Deps{Options: srv.Options()})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := crashed.Claim(ctx, sid, id, true, []string{"ann" + bob, bob}); err != nil {
			t.Fatal(err)
		}
		if err := crashed.SetPresence(ctx, bob, "Bob", PresenceBusy); err != nil {
			t.Fatal(err)
		}
		_ = crashed.abandon() // kill -9
		again := join(t, srv, id, Deps{Lost: log.lost})
		eventually(t, 5*time.Second, "the killed run's call reported lost", func() bool { return log.times(sid) > 0 })
		if busy, _ := survivor.Busy(ctx, bob); busy {
			t.Errorf("round %d: %s still busy in %s, which died with the killed run of %s", round, bob, sid, id)
		}
		if st, _ := again.PresenceOf(ctx, []string{bob}); st[bob] == PresenceBusy {
			t.Errorf("round %d: %s's presence is still the killed run's busy", round, bob)
		}
		time.Sleep(3 * fastConfig(id).Expiry) // time for a second report, which must not come
		if n := log.times(sid); n != 1 {
			t.Errorf("round %d: %s reported lost %d times, want once", round, sid, n)
		}
	}
}

// TestSweepThatLosesRedisAfterTakingACallStillReportsIt: Redis dropped out
// right after the sweep script took a lost node's calls, as the survivor
// dropped its presence: the sweep gave up and retried, but the script had
// already removed the node from sb:nodes, so its calls were never reported
// (never ended) and its presence stayed (the cluster code review).
func TestSweepThatLosesRedisAfterTakingACallStillReportsIt(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	proxy := faultproxy.New(t, "unix", srv.Options().Addr)
	log := &lostLog{calls: map[string]int{}}
	survivor, err := Join(ctx, fastConfig("n1"), Deps{Options: &redis.Options{Addr: proxy.Addr()}, Lost: log.lost})
	if err != nil {
		t.Fatal(err)
	}
	defer survivor.Close()
	n3, err := Join(ctx, fastConfig("n3"), Deps{Options: srv.Options()})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := n3.Claim(ctx, "call-on-n3", "n3", true, []string{"xia", "yan"}); err != nil {
		t.Fatal(err)
	}
	if err := n3.SetPresence(ctx, "xia", "Xia", PresenceBusy); err != nil {
		t.Fatal(err)
	}
	proxy.CutOn(presenceDropScript.Hash(), 500*time.Millisecond)
	_ = n3.abandon() // kill -9
	<-proxy.Fired
	eventually(t, 5*time.Second, "n3's call reported lost", func() bool { return log.times("call-on-n3") == 1 })
	eventually(t, 5*time.Second, "xia's presence of n3 dropped", func() bool {
		st, err := survivor.PresenceOf(ctx, []string{"xia"})
		return err == nil && st["xia"] != PresenceBusy
	})
}

// TestClosedNodeStaysUnregistered: Close waits for a renewal under way
// before it deletes the registration; before, the renewal could write it
// back after the delete, and the closed node stayed listed (and could be
// chosen for media) until it expired (the cluster code review).
func TestClosedNodeStaysUnregistered(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	rdb := redis.NewClient(srv.Options())
	defer rdb.Close()
	for i := range 100 {
		cfg := fastConfig(fmt.Sprint("c", i))
		cfg.Keepalive = time.Millisecond // a renewal is nearly always under way
		n, err := Join(ctx, cfg, Deps{Options: srv.Options()})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(i%7) * time.Millisecond)
		_ = n.Close()
		if in, _ := rdb.SIsMember(ctx, nodesKey(), n.ID()).Result(); in {
			t.Errorf("round %d: %s closed, yet registered again", i, n.ID())
		}
	}
}
