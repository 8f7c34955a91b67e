package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/cluster"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/server"
)

func (tc *testCluster) startAs(id, role string) *server.App {
	tc.t.Helper()
	cfg := tc.config(id)
	cfg.Cluster.Role = role
	return tc.startWith(cfg)
}

// joinMedia opens /v1/rtc with token from base (the token may send it to
// its media node), publishing audio and video.
func joinMedia(t *testing.T, base, token string) *client.Session {
	t.Helper()
	s, err := client.JoinSession(ctxT(t), base, token, client.MediaOptions{Audio: true, Video: "vp8", Loopback: true,
		OnFrame: protocoltest.Hook(t, protocoltest.RTC)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// flow writes RTP on the senders' tracks until every receiver has packets
// on two remote tracks; it returns the receivers' packet counts.
func flow(t *testing.T, sessions ...*client.Session) []uint64 {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		for _, s := range sessions {
			for _, lt := range s.LocalTracks() {
				_ = lt.Write([]byte{0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a}, 3000, true)
			}
		}
		var counts []uint64
		for _, s := range sessions {
			var n uint64
			tracks := s.RemoteTracks()
			for _, rt := range tracks {
				if rt.Packets() > 0 {
					n += rt.Packets()
				}
			}
			if len(tracks) == 2 && tracks[0].Packets() > 0 && tracks[1].Packets() > 0 {
				counts = append(counts, n)
			}
		}
		if len(counts) == len(sessions) {
			return counts
		}
		time.Sleep(10 * time.Millisecond) // media pacing, not a wait for an outcome
	}
	t.Fatal("media did not arrive on every expected track")
	return nil
}

// rtcRefusal opens /v1/rtc at base with token as a plain GET (no upgrade)
// and returns the HTTP status and the error body.
func rtcRefusal(t *testing.T, base, token string) (int, protocol.Error) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodGet, base+"/v1/rtc", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		Error protocol.Error `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Error
}

// placeCall: bob (on bobNode) calls ann, ann accepts; both tokens.
func placeCall(t *testing.T, ann, bob *device) (sid string, annCall, bobCall client.Call) {
	t.Helper()
	call, err := bob.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: ann.uid, ReceiverType: client.ReceiverUser, CallType: client.CallVideo})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ann.incoming, "ann's incomingCall")
	if annCall, err = ann.c.AcceptCall(ctxT(t), call.SessionID); err != nil {
		t.Fatal(err)
	}
	return call.SessionID, annCall, wait(t, bob.accepted, "bob's outgoingCallAccepted")
}

// TestClusterMediaPinned: ann signals through n1 and bob through n2 (both
// role signal); the call's media is pinned to n3 (role media, the only
// media node). The accept reply and bob's accepted event name n3's URL
// beside the tokens; both Go clients, given their own node's URL, open
// /v1/rtc on n3 (the token names it), publish and receive there. /v1/rtc
// on n1 for that call is refused with wrong_node naming n3 and joins
// nothing; n3 refuses /v1/ws. bob's endCall (on n2, the owner) ends the
// room on n3.
func TestClusterMediaPinned(t *testing.T) {
	tc := newTestCluster(t)
	n1, n2, n3 := tc.startAs("n1", cluster.RoleSignal), tc.startAs("n2", cluster.RoleSignal), tc.startAs("n3", cluster.RoleMedia)
	ann, bob := dial(t, n1, "ann"), dial(t, n2, "bob")
	sid, annCall, bobCall := placeCall(t, ann, bob)
	for who, c := range map[string]client.Call{"ann's accept reply": annCall, "bob's outgoingCallAccepted": bobCall} {
		if c.MediaURL != n3.URL() || c.CallToken == "" || client.TokenMediaURL(c.CallToken) != n3.URL() {
			t.Fatalf("%s: mediaUrl %q, token names %q; want n3 %s", who, c.MediaURL, client.TokenMediaURL(c.CallToken), n3.URL())
		}
	}

	status, e := rtcRefusal(t, n1.URL(), annCall.CallToken)
	if status != http.StatusMisdirectedRequest || e.Code != protocol.CodeWrongNode || e.MediaURL != n3.URL() {
		t.Fatalf("/v1/rtc on n1: HTTP %d %+v; want 421 wrong_node with mediaUrl %s", status, e, n3.URL())
	}
	a, b := joinMedia(t, n1.URL(), annCall.CallToken), joinMedia(t, n2.URL(), bobCall.CallToken)
	counts := flow(t, a, b)
	t.Logf("packets received on n3: ann %d, bob %d", counts[0], counts[1])
	if got := [3]int{n1.SFU().Participants(), n2.SFU().Participants(), n3.SFU().Participants()}; got != [3]int{0, 0, 2} {
		t.Fatalf("media participants on n1, n2, n3: %v; want [0 0 2]", got)
	}
	// The signal nodes bind no media port, and their /test page has no
	// media to try (the self-host audit: a signal node took UDP and TCP
	// media ports, clashing with a media node on the same host).
	if got := [3]int{n1.SFU().UDPPort(), n1.SFU().TCPPort(), n2.SFU().UDPPort()}; got != [3]int{} || n3.SFU().UDPPort() == 0 {
		t.Fatalf("media ports: n1 UDP/TCP %d/%d, n2 UDP %d (want none), n3 UDP %d", got[0], got[1], got[2], n3.SFU().UDPPort())
	}
	if status := httpsCall(t, n1, "ann", "GET", "/v1/selftest", "", nil); status != http.StatusNotFound {
		t.Fatalf("GET /v1/selftest on a signal node: HTTP %d, want 404", status)
	}
	if status, _ := rtcRefusal(t, n2.URL(), bobCall.CallToken); status != http.StatusMisdirectedRequest || n3.SFU().Participants() != 2 {
		t.Fatalf("a refused /v1/rtc on n2: HTTP %d, n3 participants %d", status, n3.SFU().Participants())
	}

	tok, _ := n3.Tokens().MintAuth("ann", "ann", 0)
	if _, err := client.DialWith(ctxT(t), n3.URL(), tok, client.DialOptions{}); !isWrongNode(err) {
		t.Fatalf("/v1/ws on a media node: %v; want HTTP 421 wrong_node", err)
	}
	for _, req := range [][2]string{{"POST", "/v1/calls"}, {"GET", "/v1/calls/" + sid}, {"POST", "/v1/calls/" + sid + "/accept"}} {
		if status := httpsCall(t, n3, "ann", req[0], req[1], `{"receiverId":"bob","receiverType":"user","callType":"audio"}`, nil); status != http.StatusMisdirectedRequest {
			t.Fatalf("%s %s on a media node: HTTP %d; want 421 wrong_node", req[0], req[1], status)
		}
	}
	if status := httpsCall(t, n3, "ann", "GET", "/v1/calls", "", nil); status != http.StatusOK {
		t.Fatalf("the call log on a media node: HTTP %d; want 200", status)
	}

	if _, err := bob.c.EndCall(ctxT(t), sid); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*client.Session{"ann": a, "bob": b} {
		select {
		case <-s.Done():
		case <-time.After(waitLimit):
			t.Fatalf("%s's media on n3 did not end with the call", name)
		}
	}
	wait(t, ann.ended, "ann's callEnded")
}

func isWrongNode(err error) bool {
	var he *client.HTTPError
	return asHTTPError(err, &he) && he.Status == http.StatusMisdirectedRequest
}

// TestClusterMediaNodeKilled: kill -9 of the node hosting a call's media
// while the call's owner (n2) lives: the call ends with node_lost for both
// participants, the log says so and both are free again.
func TestClusterMediaNodeKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	tc := newTestCluster(t)
	n1, n2 := tc.startAs("n1", cluster.RoleSignal), tc.startAs("n2", cluster.RoleSignal)
	url3, kill3 := tc.startNodeProcessAs("n3", cluster.RoleMedia)
	ann, bob := dial(t, n1, "ann"), dial(t, n2, "bob")
	sid, annCall, bobCall := placeCall(t, ann, bob)
	if annCall.MediaURL != url3 {
		t.Fatalf("media on %q, want the n3 process %s", annCall.MediaURL, url3)
	}
	flow(t, joinMedia(t, n1.URL(), annCall.CallToken), joinMedia(t, n2.URL(), bobCall.CallToken))

	killed := time.Now()
	kill3()
	for _, d := range []*device{ann, bob} {
		if c := wait(t, d.ended, d.uid+"'s callEnded"); c.SessionID != sid || c.Reason != protocol.ReasonNodeLost {
			t.Fatalf("%s heard %+v, want callEnded node_lost", d.uid, c)
		}
	}
	t.Logf("callEnded (node_lost) %v after kill -9 of the media node", time.Since(killed).Round(time.Millisecond))
	for deadline := time.Now().Add(waitLimit); ; time.Sleep(20 * time.Millisecond) { // the owner's writer commits it
		rec, err := n2.Store().GetCall(context.Background(), sid)
		if err == nil && rec.Status == protocol.StatusEnded && rec.EndReason == protocol.ReasonNodeLost {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log has %+v, %v; want ended / node_lost", rec, err)
		}
	}
	// No media node is left: a new call is refused, and says why.
	if _, err := ann.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "bob", ReceiverType: client.ReceiverUser, CallType: client.CallAudio}); protocol.AsError(err).Code != protocol.CodeUnavailable ||
		!strings.Contains(err.Error(), "no node of the cluster can host a call's media") || strings.Contains(err.Error(), "Redis") {
		t.Fatalf("a call with no media node: %v, want unavailable saying no node hosts media (Redis answered)", err)
	}
	n4 := tc.startAs("n4", cluster.RoleAll)
	again, err := ann.c.InitiateCall(ctxT(t), client.CallRequest{ReceiverID: "bob", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil || again.Status != protocol.StatusInitiated {
		t.Fatalf("ann after node_lost: %+v %v, want a new call (ann and bob free)", again, err)
	}
	_ = n4
}

func asHTTPError(err error, target **client.HTTPError) bool { return errors.As(err, target) }

// TestClusterMediaKeepsTheCallPastTheGrace: ann (n1, which owns the call)
// calls ben (n2); the media is on n3. ann's /v1/ws drops while her media
// flows: past the reconnect grace the call goes on, because n3 told the
// owner she joined its media. When her media goes too, n3's disconnect
// timeout ends the call for ben (disconnected).
func TestClusterMediaKeepsTheCallPastTheGrace(t *testing.T) {
	const grace = 300 * time.Millisecond
	tc := newTestCluster(t)
	start := func(id, role string) *server.App {
		cfg := tc.config(id)
		cfg.Cluster.Role = role
		cfg.Ringing.ReconnectGrace = grace
		cfg.Media.MediaTimeout, cfg.Media.DisconnectTimeout = 300*time.Millisecond, 500*time.Millisecond
		return tc.startWith(cfg)
	}
	n1, n2, _ := start("n1", cluster.RoleSignal), start("n2", cluster.RoleSignal), start("n3", cluster.RoleMedia)
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	sid, benCall, annCall := placeCall(t, ben, ann)
	a, b := joinMedia(t, n1.URL(), annCall.CallToken), joinMedia(t, n2.URL(), benCall.CallToken)
	before := flow(t, a, b)

	_ = ann.c.Close()
	select {
	case c := <-ben.ended:
		t.Fatalf("ben's call ended (%s) when ann's /v1/ws grace passed, her media still in it", c.Reason)
	case <-time.After(7 * grace): // her grace has passed; the end would go out with it
	}
	ann2 := dial(t, n1, "ann") // her phone's /v1/ws comes back, later than the grace
	if c, err := ann2.c.GetActiveCall(ctxT(t)); err != nil || c == nil || c.SessionID != sid || c.Status != protocol.StatusOngoing {
		t.Fatalf("ann's active call, her /v1/ws back: %+v %v", c, err)
	}
	_ = ann2.c.Close()
	// her media still reaches ben: his count grows (flow sends a packet
	// on each track per call and returns what has arrived so far)
	for after, deadline := flow(t, a, b), time.Now().Add(waitLimit); after[1] <= before[1]; after = flow(t, a, b) {
		if time.Now().After(deadline) {
			t.Fatalf("ben's packets from ann: %d, then still %d", before[1], after[1])
		}
		time.Sleep(10 * time.Millisecond) // media pacing, not a wait for an outcome
	}

	a.Close() // her media goes too
	if c := wait(t, ben.ended, "ben's callEnded"); c.SessionID != sid || c.Reason != protocol.ReasonDisconnected {
		t.Fatalf("ben's callEnded %+v, want %s disconnected", c, sid)
	}
}
