package client

import (
	"context"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
	"go.uber.org/goleak"
)

// TestQualityRowShowsALossyPath: the server sits behind a UDP relay
// (announced as its public address) in network namespaces; alice's
// datagrams, both ways, lose 10% at the relay, bob's path is clean. When
// they leave, alice's row shows loss on what she sent and received, bob's
// shows none either way (the gaps the server forwards of alice's lost
// packets are not counted as bob's loss).
func TestQualityRowShowsALossyPath(t *testing.T) {
	lab := netlab.New(t)
	t.Cleanup(func() { goleak.VerifyNone(t, goleak.IgnoreCurrent()) })
	rl := lab.Relayed()
	srvNS, relayNS, sp, rf := rl.Server, rl.Relay, rl.ServerPort, rl.RelayFront
	aliceNS, bobNS := lab.Namespace("alice"), lab.Namespace("bob")
	af := rl.Front.Plug(aliceNS)
	rl.Front.Plug(bobNS)
	nc := newNetSFUOn(t, lab, rl.Back, srvNS, sp, func(c *sfu.Config) { c.PublicIP = rf.Addr.String() })
	port := uint16(nc.srv.UDPPort())
	relay := netlab.NewRelay(t, relayNS, netip.AddrPortFrom(rf.Addr, port), netip.AddrPortFrom(sp.Addr, port), netlab.Impairment{Seed: 15})
	relay.SetFor(af.Addr, netlab.Impairment{Loss: 0.10})
	nc.url = "http://" + netlab.Forward(t, relayNS, relayNS, netip.AddrPortFrom(rf.Addr, 0).String(), nc.url[len("http://"):])
	ql := watchQuality(nc.testSFU)

	alice := nc.join(t, "alice", "lossy", nsOptions(t, aliceNS, MediaOptions{Audio: true, Video: "vp8"}))
	bob := nc.join(t, "bob", "lossy", nsOptions(t, bobNS, MediaOptions{Audio: true, Video: "vp8"}))
	pump(t, alice, bob)
	// About 6 s: alice's reception reports (one a second per track) cross
	// her lossy path too, and the server keeps the latest that arrived; a
	// shorter call (3 s) once left only video's, repaired by NACK, in her
	// row (0.8% received).
	alice.receiving(t, "bob", "video", 1200)
	alice.receiving(t, "bob", "audio", 1000)
	bob.receiving(t, "alice", "video", 800)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	for _, p := range []*peer{alice, bob} {
		if err := p.Leave(ctx); err != nil {
			t.Fatal(err)
		}
	}
	rows := map[string]protocol.Quality{}
	for _, uid := range []string{"alice", "bob"} {
		eventually(t, uid+"'s quality row", func() bool {
			q, ok := ql.get("lossy/" + uid)
			rows[uid] = q
			return ok
		})
		t.Logf("%s: %s", uid, describeQuality(rows[uid]))
	}
	st := relay.Stats()
	t.Logf("relay: %d datagrams forwarded, %d dropped; load %s", st.Forwarded, st.Dropped, loadAvg())
	a, b := rows["alice"], rows["bob"]
	// Audio (no NACK) loses 10%; video's losses are partly repaired by
	// retransmission: over both, several percent. Bob's path is the floor:
	// clean, but a loaded machine's relay and sockets drop a little too
	// (0-2% seen at load 15-23), so alice's figures are compared with his.
	checkRange(t, "alice lossSent", a.LossSent, 0.02, 0.5)
	checkRange(t, "alice lossReceived", a.LossReceived, 0.01, 0.5)
	checkRange(t, "bob lossSent", b.LossSent, 0, 0.05)
	checkRange(t, "bob lossReceived", b.LossReceived, 0, 0.05)
	if a.LossSent != nil && b.LossSent != nil && *a.LossSent < *b.LossSent+0.02 {
		t.Errorf("alice's loss sent %.4f is not 2 points above clean bob's %.4f", *a.LossSent, *b.LossSent)
	}
	if a.LossReceived != nil && b.LossReceived != nil && *a.LossReceived < *b.LossReceived+0.01 {
		t.Errorf("alice's loss received %.4f is not 1 point above clean bob's %.4f", *a.LossReceived, *b.LossReceived)
	}
	if a.Candidate != protocol.CandidateHost && a.Candidate != protocol.CandidatePrflx {
		t.Errorf("alice's candidate %q, want host or prflx (the relay is a NAT the server cannot tell)", a.Candidate)
	}
	if a.MOS >= b.MOS {
		t.Errorf("alice's MOS %.2f is not below clean bob's %.2f", a.MOS, b.MOS)
	}
}

// loadAvg is the machine's load average, for the log beside figures.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}
