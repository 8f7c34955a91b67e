package signaling

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// TestRealFullDisk is TestStoreFailureKeepsSavesAndRefusesNewCalls on a
// real full filesystem. It runs only with SB_FULLDISK_DIR set to a small
// filesystem of its own, e.g. as root:
//
//	unshare -m sh -c 'mkdir -p /tmp/sbfull && mount -t tmpfs -o size=4m tmpfs /tmp/sbfull &&
//	  SB_FULLDISK_DIR=/tmp/sbfull go test ./signaling/ -run TestRealFullDisk -v'
func TestRealFullDisk(t *testing.T) {
	dir := os.Getenv("SB_FULLDISK_DIR")
	if dir == "" {
		t.Skip("set SB_FULLDISK_DIR to a small filesystem of its own (see the comment)")
	}
	var real store.Store
	e := newEnvOn(t, nil, func(store.Store) store.Store {
		st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(dir, "full.db")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		real = st
		t.Cleanup(func() { _ = st.Close() })
		return st
	})
	for _, uid := range []string{"alice", "bob", "carol"} {
		if _, err := real.UpsertUser(context.Background(), store.User{UID: uid, Name: uid}); err != nil {
			t.Fatal(err)
		}
	}
	alice, bob, carol := e.dial("alice"), e.dial("bob"), e.dial("carol")
	first := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)

	filler := filepath.Join(dir, "filler")
	fill(t, filler)
	bob.accept(first.SessionID)
	if _, err := alice.EndCall(ctxT(t), first.SessionID); err != nil {
		t.Fatal(err)
	}
	reason, detail := e.hub.Degraded()
	if reason != ReasonStoreFailing {
		t.Fatalf("the disk is full but the hub says %q", reason)
	}
	t.Logf("degraded: %s", detail)
	_, err := carol.InitiateCall(ctxT(t), callTo("alice", 0))
	if got := protocol.AsError(err); got.Code != protocol.CodeUnavailable {
		t.Fatalf("a new call on a full disk: %v", err)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(failsafe)
	for reason, _ := e.hub.Degraded(); reason != ""; reason, _ = e.hub.Degraded() {
		if time.Now().After(deadline) {
			t.Fatal("the kept saves never landed after space returned")
		}
		time.Sleep(20 * time.Millisecond) // polling an outcome
	}
	c, err := real.GetCall(context.Background(), first.SessionID)
	if err != nil || c.Status != protocol.StatusEnded {
		t.Fatalf("the kept save: %q %v", c.Status, err)
	}
	if n := e.errors.Load(); n != 1 {
		t.Errorf("%d ERROR records, want 1", n)
	}
}

// fill writes path until the filesystem has no space left.
func fill(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				_ = f.Sync()
				return
			}
			t.Fatal(err)
		}
	}
}
