package client

import (
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
	"go.uber.org/goleak"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// TestLocalOnlyServesThisHostAlone: with media.local_only (what `serve
// --dev` sets, binding every address) the server serves clients on its own
// host on its LAN address, as Firefox needs (it gathers no loopback
// candidate and drops media from 127.0.0.1), and nothing from another host.
// The host is a namespace with one LAN address, the server bound to it;
// alice and bob on the host gather that address alone (UDP; the server has
// no ICE-TCP) and get media both ways. Then carol, on another host of the
// same LAN, joins: her datagrams are dropped, so her media never arrives,
// and the first drop is logged. (Carol comes last: in process, the
// server's later reads of the interfaces list the test process's own
// namespace, not the one it started in.)
func TestLocalOnlyServesThisHostAlone(t *testing.T) {
	lab := netlab.New(t)
	t.Cleanup(func() { goleak.VerifyNone(t, goleak.IgnoreCurrent()) })
	lan := lab.LAN()
	host := lab.Namespace("host")
	hp := lan.Plug(host)
	nc := newNetSFUOn(t, lab, lan, host, hp, func(c *sfu.Config) { c.LocalOnly = true })
	lanOnly := func(ns *netlab.Namespace, opts MediaOptions) MediaOptions {
		o := nsOptions(t, ns, opts)
		inNS := o.Settings
		o.Settings = func(se *webrtc.SettingEngine) {
			inNS(se)
			se.SetIncludeLoopbackCandidate(false)
		}
		return o
	}
	alice := nc.join(t, "alice", "here", lanOnly(host, MediaOptions{Audio: true, Video: "vp8"}))
	bob := nc.join(t, "bob", "here", lanOnly(host, MediaOptions{Audio: true, Video: "vp8"}))
	pump(t, alice, bob)
	alice.receiving(t, "bob", "video", 50)
	alice.receiving(t, "bob", "audio", 50)
	bob.receiving(t, "alice", "video", 50)
	bob.receiving(t, "alice", "audio", 50)

	other := lab.Namespace("other")
	lan.Plug(other)
	carol := nc.join(t, "carol", "here", lanOnly(other, MediaOptions{Audio: true}))
	pump(t, carol)
	eventually(t, "the server logs the first datagram from another host", func() bool {
		return strings.Contains(nc.logs.String(), "media serves this host only")
	})
	time.Sleep(2 * time.Second) // time enough for 100 of her audio packets
	if tr := alice.remoteFrom("carol", "audio"); tr != nil && tr.Packets() > 0 {
		t.Errorf("alice received %d audio packets from carol, on another host", tr.Packets())
	}
}
