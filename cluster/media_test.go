package cluster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/cluster/redistest"
)

// joinAs joins node id with role and a fixed announced load.
func joinAs(t *testing.T, srv *redistest.Server, id, role string, load int, deps Deps) *Node {
	t.Helper()
	cfg := fastConfig(id)
	cfg.Role, cfg.MediaURL, cfg.Redis = role, "http://"+id+".example:7880", "redis://unused"
	deps.Options, deps.Load = srv.Options(), func() int { return load }
	n, err := Join(context.Background(), cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Close() })
	return n
}

// TestMediaPinnedByLoadAndRole: a new call's media goes to the live node
// of role all or media with the lowest announced load, never to a signal
// node; each pick counts at once (calls placed before the next renewal
// spread); a claim made again keeps its node; the call's record names the
// node and its media URL for every node.
func TestMediaPinnedByLoadAndRole(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	n1 := joinAs(t, srv, "n1", RoleSignal, 0, Deps{})
	joinAs(t, srv, "n2", RoleAll, 5, Deps{})
	n3 := joinAs(t, srv, "n3", RoleMedia, 2, Deps{})
	var got []string
	for i := range 4 {
		_, m, err := n1.Claim(ctx, fmt.Sprint("c", i), "", true, []string{fmt.Sprint("a", i), fmt.Sprint("b", i)})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.Node)
		if want := "http://" + m.Node + ".example:7880"; m.URL != want {
			t.Fatalf("media URL %q, want %q", m.URL, want)
		}
	}
	// n3 (load 2) takes three calls (2, 3, 4), then ties with n2 at 5: the lower id wins.
	if want := []string{"n3", "n3", "n3", "n2"}; !slices.Equal(got, want) {
		t.Fatalf("media nodes %v, want %v (n1 is role signal, n2 load 5, n3 load 2)", got, want)
	}
	if m, err := n3.MediaOf(ctx, "c0"); err != nil || m.Node != "n3" || m.URL != "http://n3.example:7880" {
		t.Fatalf("MediaOf from another node: %+v %v", m, err)
	}
	if err := n1.Reclaim(ctx, "c0", "", []string{"a0", "b0"}, Request{}); err != nil {
		t.Fatal(err)
	}
	if m, _ := n1.MediaOf(ctx, "c0"); m.Node != "n3" {
		t.Fatalf("a claim made again moved the media to %q", m.Node)
	}
	if err := n1.Release(ctx, "c0", []string{"a0", "b0"}); err != nil {
		t.Fatal(err)
	}
	if m, err := n1.MediaOf(ctx, "c0"); err != nil || m != (Media{}) {
		t.Fatalf("a released call still has media %+v %v", m, err)
	}
	if busy, m, err := n1.Claim(ctx, "busy", "", true, []string{"a1", "zed"}); err != nil || len(busy) != 1 || m != (Media{}) {
		t.Fatalf("a refused (busy) call: busy %v media %+v %v; want [a1] and no media", busy, m, err)
	}
}

// TestNoMediaNode: with only signal nodes alive a call is refused.
func TestNoMediaNode(t *testing.T) {
	srv := redistest.Start(t)
	n := joinAs(t, srv, "s1", RoleSignal, 0, Deps{})
	if _, _, err := n.Claim(context.Background(), "c", "", true, []string{"a", "b"}); !errors.Is(err, ErrNoMediaNode) {
		t.Fatalf("claim with no media node: %v, want ErrNoMediaNode", err)
	}
	if b, _ := n.Busy(context.Background(), "a"); b {
		t.Fatal("a refused call left its caller busy")
	}
}

// TestLostMediaNode: the node hosting a call's media is lost while the
// call's owner lives: a survivor gets the call with its (live) owner, and
// the call's record stays for the owner to end and release.
func TestLostMediaNode(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	var mu sync.Mutex
	var swept []LostCall
	lost := func(node string, calls []LostCall) {
		mu.Lock()
		defer mu.Unlock()
		if node == "m" {
			swept = append(swept, calls...)
		}
	}
	owner := joinAs(t, srv, "o", RoleSignal, 0, Deps{Lost: lost})
	cfg := fastConfig("m")
	cfg.Role, cfg.Redis = RoleMedia, "redis://unused"
	m, err := Join(ctx, cfg, Deps{Options: srv.Options()})
	if err != nil {
		t.Fatal(err)
	}
	if _, where, err := owner.Claim(ctx, "s1", "", true, []string{"ann", "bob"}); err != nil || where.Node != "m" {
		t.Fatalf("claim: %+v %v", where, err)
	}
	_ = m.abandon()
	eventually(t, 10*time.Second, "the owner swept the media node", func() bool { mu.Lock(); defer mu.Unlock(); return len(swept) > 0 })
	mu.Lock()
	defer mu.Unlock()
	if c := swept[0]; len(swept) != 1 || c.SessionID != "s1" || c.Owner != "o" || c.Media != "m" || !slices.Equal(c.Users, []string{"ann", "bob"}) {
		t.Fatalf("swept %+v; want s1 owned by o with media on m", swept)
	}
	if b, _ := owner.Busy(ctx, "ann"); !b {
		t.Error("the owner's call was released by the sweep: the owner ends it")
	}
}

// TestMediaTieStaysHome: between nodes of equal load the claiming node
// keeps the media (no bus traffic for its room); a signal node never does.
func TestMediaTieStaysHome(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	nodes := []*Node{joinAs(t, srv, "a", RoleAll, 0, Deps{}), joinAs(t, srv, "b", RoleAll, 0, Deps{}),
		joinAs(t, srv, "c", RoleSignal, 0, Deps{})}
	for i, want := range []string{"a", "b", "a"} {
		_, m, err := nodes[i].Claim(ctx, fmt.Sprint("t", i), "", false, []string{fmt.Sprint("x", i), fmt.Sprint("y", i)})
		if err != nil || m.Node != want {
			t.Fatalf("claim from %s: media %+v %v, want %s", nodes[i].ID(), m, err, want)
		}
	}
}

// TestDrainingNodeNotChosen: a draining node keeps its calls' media but no
// new call's media is pinned to it.
func TestDrainingNodeNotChosen(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a, b := joinAs(t, srv, "a", RoleAll, 0, Deps{}), joinAs(t, srv, "b", RoleAll, 9, Deps{})
	if _, m, _ := a.Claim(ctx, "before", "", false, []string{"x1", "y1"}); m.Node != "a" {
		t.Fatalf("media on %q before the drain, want a", m.Node)
	}
	if err := a.SetDraining(ctx); err != nil {
		t.Fatal(err)
	}
	_ = a.renew(ctx) // a renewal keeps saying so
	if _, m, _ := a.Claim(ctx, "after", "", false, []string{"x2", "y2"}); m.Node != "b" {
		t.Fatalf("media on %q while a drains, want b (load 9)", m.Node)
	}
	if m, _ := b.MediaOf(ctx, "before"); m.Node != "a" {
		t.Fatalf("the drain moved a call's media to %q", m.Node)
	}
}

// TestRoleConfig: roles and the media URL are checked with messages that
// name the key; signal and media need Redis.
func TestRoleConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string // "" = valid
	}{
		{Config{Role: "relay", Redis: "redis://x"}, `cluster.role (--role) is "relay"`},
		{Config{Role: RoleMedia}, "cluster.role media needs cluster.redis"},
		{Config{Role: RoleSignal, Redis: "redis://x"}, ""},
		{Config{}, ""},
		{Config{MediaURL: "node3:7880"}, `cluster.media_url "node3:7880"`},
		{Config{MediaURL: "https://m3.example.com"}, ""},
	} {
		err := tc.cfg.ValidatePlacement()
		if (tc.want == "") != (err == nil) || (err != nil && (!errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want))) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
}
