package netlab_test

import (
	"testing"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/internal/netlab"
)

// peer is a Pion PeerConnection whose ICE lives in ns.
func peer(t *testing.T, ns *netlab.Namespace) *webrtc.PeerConnection {
	t.Helper()
	n, err := ns.Net()
	if err != nil {
		t.Fatal(err)
	}
	var se webrtc.SettingEngine
	se.SetNet(n)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	pc, err := webrtc.NewAPI(webrtc.WithSettingEngine(se)).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	return pc
}

// TestPionAcrossNamespaces: two in-process Pion peers, each gathering in
// its own namespace through Namespace.Net, open a data channel over the
// LAN; the candidates they use are the lab's addresses.
func TestPionAcrossNamespaces(t *testing.T) {
	lab := netlab.New(t)
	lan := lab.LAN()
	a, b := lab.Namespace("a"), lab.Namespace("b")
	pa, pb := lan.Plug(a), lan.Plug(b)
	offerer, answerer := peer(t, a), peer(t, b)
	got := make(chan string, 1)
	answerer.OnDataChannel(func(dc *webrtc.DataChannel) {
		dc.OnMessage(func(m webrtc.DataChannelMessage) {
			select {
			case got <- string(m.Data):
			default:
			}
		})
	})
	dc, err := offerer.CreateDataChannel("x", nil)
	if err != nil {
		t.Fatal(err)
	}
	dc.OnOpen(func() { _ = dc.SendText("hello") })
	signal(t, offerer, answerer)
	select {
	case m := <-got:
		if m != "hello" {
			t.Fatalf("got %q", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no message across namespaces")
	}
	pair, err := offerer.SCTP().Transport().ICETransport().GetSelectedCandidatePair()
	if err != nil || pair == nil {
		t.Fatalf("no selected pair: %v", err)
	}
	if pair.Local.Address != pa.Addr.String() || pair.Remote.Address != pb.Addr.String() {
		t.Fatalf("selected %s -> %s, want %s -> %s", pair.Local.Address, pair.Remote.Address, pa.Addr, pb.Addr)
	}
}

// signal completes offer/answer with gathering done (no trickle).
func signal(t *testing.T, offerer, answerer *webrtc.PeerConnection) {
	t.Helper()
	offer, err := offerer.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	g := webrtc.GatheringCompletePromise(offerer)
	if err := offerer.SetLocalDescription(offer); err != nil {
		t.Fatal(err)
	}
	<-g
	if err := answerer.SetRemoteDescription(*offerer.LocalDescription()); err != nil {
		t.Fatal(err)
	}
	answer, err := answerer.CreateAnswer(nil)
	if err != nil {
		t.Fatal(err)
	}
	g = webrtc.GatheringCompletePromise(answerer)
	if err := answerer.SetLocalDescription(answer); err != nil {
		t.Fatal(err)
	}
	<-g
	if err := offerer.SetRemoteDescription(*answerer.LocalDescription()); err != nil {
		t.Fatal(err)
	}
}
