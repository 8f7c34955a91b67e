package sfu

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

// selfTestPeer is a /test page's side of one path: a PeerConnection with a
// data channel, its offer gathered whole.
type selfTestPeer struct {
	pc   *webrtc.PeerConnection
	open chan struct{}
}

func newSelfTestPeer(t *testing.T) (*selfTestPeer, string) {
	t.Helper()
	var se webrtc.SettingEngine
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(0)
	pc, err := webrtc.NewAPI(webrtc.WithSettingEngine(se)).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	p := &selfTestPeer{pc: pc, open: make(chan struct{})}
	dc, err := pc.CreateDataChannel("selftest", nil)
	if err != nil {
		t.Fatal(err)
	}
	dc.OnOpen(func() { close(p.open) })
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		t.Fatal(err)
	}
	<-gathered
	return p, pc.LocalDescription().SDP
}

// heldSelfTests is how many slots the server holds for client.
func heldSelfTests(srv *Server, client string) int {
	srv.selftests.mu.Lock()
	defer srv.selftests.mu.Unlock()
	return srv.selftests.clients[client]
}

func waitSelfTests(t *testing.T, srv *Server, client string, want int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for heldSelfTests(srv, client) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s holds %d self-tests after %s, want %d", client, heldSelfTests(srv, client), within, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSelfTestSlotsPerClient: one client runs at most two self-tests at
// once (a third is refused before anything is built, another client is
// not); a page that closes its connection frees its slot at once, and one
// whose ICE never connects frees it after the connect deadline.
func TestSelfTestSlotsPerClient(t *testing.T) {
	srv, _ := loopbackServer(t)
	srv.selftests.connectWithin = time.Second
	ctx := context.Background()

	page, offer := newSelfTestPeer(t) // connects, then closes
	answer, err := srv.SelfTest(ctx, "198.51.100.7", offer)
	if err != nil {
		t.Fatal(err)
	}
	if err := page.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-page.open:
	case <-time.After(10 * time.Second):
		t.Fatal("the echo's data channel never opened")
	}
	_, offer = newSelfTestPeer(t) // never given its answer: ICE never connects
	if _, err := srv.SelfTest(ctx, "198.51.100.7", offer); err != nil {
		t.Fatal(err)
	}
	_, offer = newSelfTestPeer(t)
	if _, err := srv.SelfTest(ctx, "198.51.100.7", offer); !errors.Is(err, ErrSelfTestClientBusy) {
		t.Fatalf("a third self-test from one client: %v, want ErrSelfTestClientBusy", err)
	}
	if _, err := srv.SelfTest(ctx, "203.0.113.9", offer); err != nil {
		t.Fatalf("another client: %v", err)
	}
	time.Sleep(2 * time.Second) // past the connect deadline: the unconnected one is gone, the connected one stays
	waitSelfTests(t, srv, "198.51.100.7", 1, time.Second)
	_ = page.pc.Close()
	waitSelfTests(t, srv, "198.51.100.7", 0, 3*time.Second)
}

// TestSelfTestCapacityIsCheckedFirst: with every slot taken, a self-test
// is refused without a PeerConnection being built, whatever the offer.
func TestSelfTestCapacityIsCheckedFirst(t *testing.T) {
	srv, _ := loopbackServer(t)
	for i := range selfTestMax {
		if err := srv.selftests.reserve(string(rune('a' + i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.SelfTest(context.Background(), "z", "not an offer"); !errors.Is(err, ErrSelfTestBusy) {
		t.Fatalf("with every slot taken: %v, want ErrSelfTestBusy (not an SDP error: nothing built)", err)
	}
}
