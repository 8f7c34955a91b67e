package sfu

import (
	"context"
	"errors"
	"testing"
)

// A Server with media off (a cluster node of role signal) binds nothing,
// refuses a self-test saying why, and closes.
func TestServerWithMediaOffBindsNothing(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Off, cfg.BindAddress = true, "127.0.0.1"
	srv, err := New(cfg, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	if srv.UDPPort() != 0 || srv.TCPPort() != 0 {
		t.Errorf("ports %d/%d, want none", srv.UDPPort(), srv.TCPPort())
	}
	if _, err := srv.SelfTest(context.Background(), "127.0.0.1", "v=0\r\n"); !errors.Is(err, ErrNoMediaHere) {
		t.Errorf("self-test: %v, want ErrNoMediaHere", err)
	}
	if r := srv.enqueue("s", true, func(*room) {}); r != nil {
		t.Errorf("a room was made")
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
}
