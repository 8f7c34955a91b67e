package e2e

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/internal/calltest"
	"github.com/switchboard-rtc/switchboard/internal/netlab"
	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// TestChromiumRelayOnlyCallsThroughTURN: Chromium, in a namespace that
// reaches only the server's edge address (HTTP and one TURN listener: UDP,
// then TCP only, then TLS only, with a self-signed certificate;
// the SFU's media address sits on another LAN it has no route to), joins
// a call through the JS SDK with iceTransportPolicy "relay"; Bob, a Go
// client on the media LAN, connects directly. Media flows both ways and
// Chromium's selected pairs are relayed over that transport (TLS shows as
// relayProtocol "tls"). turnserver's
// TestRelayOnlyGoClientThroughEachTURNTransport does the same with the Go
// client.
func TestChromiumRelayOnlyCallsThroughTURN(t *testing.T) {
	for _, transport := range []string{"udp", "tcp", "tls"} {
		t.Run(transport, func(t *testing.T) { chromiumRelayCall(t, transport) })
	}
}

func chromiumRelayCall(t *testing.T, transport string) {
	lab := netlab.New(t)
	media, edge := lab.LAN(), lab.LAN()
	srvNS, aliceNS, bobNS := lab.Namespace("srv"), lab.Namespace("alice"), lab.Namespace("bob")
	mediaIP, edgeIP := media.Plug(srvNS).Addr, edge.Plug(srvNS).Addr
	edge.Plug(aliceNS)
	media.Plug(bobNS)
	srv := startRelayServer(t, srvNS, mediaIP, edgeIP, transport)
	_, port, _ := net.SplitHostPort(srv.app.Addr().String())
	edgeURL, mediaURL := "http://"+net.JoinHostPort(edgeIP.String(), port), "http://"+net.JoinHostPort(mediaIP.String(), port)

	alice := calltest.SignIn(t, srv.app, edgeURL, "alice", client.DialOptions{HTTPClient: aliceNS.HTTPClient()})
	bob := calltest.SignIn(t, srv.app, mediaURL, "bob", client.DialOptions{HTTPClient: bobNS.HTTPClient()})
	aliceTok, bobTok := calltest.Ring(t, alice, bob, "bob")
	b := nsJoin(t, bobNS, mediaURL, bobTok)
	stop := make(chan struct{})
	pumped := make(chan struct{})
	go func() { // Bob sends all along
		defer close(pumped)
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond): // media pacing
			}
			for _, lt := range b.LocalTracks() {
				_ = lt.Write([]byte{0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a}, 3000, true)
			}
		}
	}()
	defer func() { close(stop); <-pumped }()

	// The TURN server's certificate is self-signed: Chromium checks a
	// turns: server's certificate (without this flag the TLS relay fails),
	// so it is told to accept it; a deployment needs one its clients trust.
	p := newNSBrowser(t, aliceNS, edgeURL, chromedp.Flag("ignore-certificate-errors", true)).person("Alice")
	if err := chromedp.Do(p.ctx, chromedp.Navigate(edgeURL+"/")); err != nil {
		t.Fatal(err)
	}
	// Over TCP the media is prepared first, as the page does while a call
	// rings: the peers made then gathered without joined's TURN servers and
	// restart ICE with them (docs/protocol.md, "Joining fast").
	eval[bool](p, fmt.Sprintf(`(async () => {
		const { Switchboard } = await import("/sdk/switchboard.js");
		const sb = new Switchboard();
		if (%t) await sb.prepareMedia({});
		window.relaySession = await sb.startSession(%q, { iceTransportPolicy: "relay", listener: {} }, null);
		return true;
	})()`, transport == "tcp", aliceTok))
	peers := eval[string](p, `window.relaySession.steps.map(([n]) => n).find((n) => n.startsWith("peers:"))`)
	if want := map[bool]string{true: "peers:warm-restart", false: "peers:new"}[transport == "tcp"]; peers != want {
		t.Fatalf("the session's peers: %q, want %q", peers, want)
	}
	got := evalLong[string](p, `(async () => {
		const s = window.relaySession;
		const pair = async (pc) => {
			const st = await pc.getStats(); let out = "";
			let cp = null;
			st.forEach((r) => { if (r.type === "transport" && r.selectedCandidatePairId) cp = st.get(r.selectedCandidatePairId); });
			if (!cp) st.forEach((r) => { if (r.type === "candidate-pair" && r.state === "succeeded" && r.nominated) cp = r; });
			if (cp) { const l = st.get(cp.localCandidateId); out = l.candidateType + "(" + (l.relayProtocol || "") + ")/" + st.get(cp.remoteCandidateId).address; }
			return out || ("none(" + pc.connectionState + ")");
		};
		const received = async () => { let n = 0; (await s.subscriber.getStats()).forEach((r) => { if (r.type === "inbound-rtp") n += r.packetsReceived || 0; }); return n; };
		for (let i = 0; i < 200; i++) {
			const pairs = (await pair(s.publisher)) + " " + (await pair(s.subscriber));
			if (await received() > 20 && !pairs.includes("none(")) return pairs; // both connected, media in
			await new Promise((r) => setTimeout(r, 100));
		}
		return "no media: " + (await pair(s.publisher)) + " " + (await pair(s.subscriber));
	})()`, 30*time.Second)
	if strings.HasPrefix(got, "no media") || strings.Count(got, "relay("+transport+")/") != 2 {
		t.Fatalf("Chromium's pairs and media: %q (want both relayed, media received)", got)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		n := 0
		for _, rt := range b.RemoteTracks() {
			if rt.Packets() > 0 {
				n++
			}
		}
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("bob received %d of Chromium's 2 tracks", n)
		}
		time.Sleep(10 * time.Millisecond) // media pacing
	}
	if srv.app.TURN().Allocations() == 0 {
		t.Fatal("no TURN allocation")
	}
	t.Logf("Chromium relayed: %s (load %s)", got, load())
}

// startRelayServer runs switchboard in ns: HTTP on every address of ns,
// media on mediaIP only, TURN over one transport (udp, tcp or tls) on
// edgeIP only (relays on mediaIP).
func startRelayServer(t *testing.T, ns *netlab.Namespace, mediaIP, edgeIP netip.Addr, transport string) *server {
	t.Helper()
	n, err := ns.Net()
	if err != nil {
		t.Fatal(err)
	}
	return startNetServer(t, ns, mediaIP, func(c *switchboard.Config) {
		c.Server.Listen = "0.0.0.0:0"
		c.TURN.Enabled, c.TURN.Secret = true, "chromium-relay-secret-0123"
		c.TURN.ListenUDP, c.TURN.ListenTCP = "", ""
		switch transport {
		case "udp":
			c.TURN.ListenUDP = netip.AddrPortFrom(edgeIP, 3478).String()
		case "tcp":
			c.TURN.ListenTCP = netip.AddrPortFrom(edgeIP, 3478).String()
		case "tls":
			c.TURN.ListenTLS = netip.AddrPortFrom(edgeIP, 5349).String()
			c.TURN.TLSCert, c.TURN.TLSKey = netlab.SelfSignedCert(t, edgeIP.AsSlice())
		}
		c.TURN.Host, c.TURN.RelayAddress = edgeIP.String(), mediaIP.String()
		c.TURN.RelayPortMin, c.TURN.RelayPortMax = 0, 0
		c.TURN.Net = n
	})
}

func nsJoin(t *testing.T, ns *netlab.Namespace, url, token string) *client.Session {
	t.Helper()
	n, err := ns.Net()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := client.JoinSession(ctx, url, token, client.MediaOptions{Audio: true, Video: "vp8", HTTPClient: ns.HTTPClient(),
		Settings: func(se *webrtc.SettingEngine) {
			se.SetNet(n)
			se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
			se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}
