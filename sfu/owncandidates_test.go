package sfu_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// subClient is a raw /v1/rtc socket of one participant and a Pion
// connection answering its subscriber offers.
type subClient struct {
	t      *testing.T
	ctx    context.Context
	ws     *websocket.Conn
	pc     *webrtc.PeerConnection
	events chan protocol.Message // read by its own goroutine
	ids    int
}

// joinRaw serves one participant of cfg's server and dials it.
func joinRaw(t *testing.T, cfg sfu.Config) *subClient {
	t.Helper()
	srv, err := sfu.New(cfg, sfu.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ws, err := websocket.Accept(w, r, nil); err == nil {
			srv.Serve(r.Context(), ws, sfu.Participant{SessionID: "call", UID: "alice"})
		}
	}))
	t.Cleanup(hs.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // reaching it fails the test
	t.Cleanup(cancel)
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(hs.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	c := &subClient{t: t, ctx: ctx, ws: ws, pc: pc, events: make(chan protocol.Message, 64)}
	done, stop := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(stop); _ = ws.CloseNow(); <-done })
	go func() {
		defer close(done)
		defer close(c.events)
		for {
			_, frame, err := ws.Read(ctx)
			if err != nil {
				return
			}
			if m, err := protocol.Parse(frame); err == nil && m.Event != "" {
				select {
				case c.events <- m:
				case <-stop: // the test is over: nobody reads
					return
				}
			}
		}
	}()
	return c
}

// next is the next event, failing the test when none comes.
func (c *subClient) next() protocol.Message {
	c.t.Helper()
	m, ok := <-c.events
	if !ok {
		c.t.Fatal("the socket closed (or the test's time ran out) before the event awaited")
	}
	return m
}

// offer waits for the subscriber offer; no subscriber candidate may come
// before it.
func (c *subClient) offer() string {
	c.t.Helper()
	for {
		m := c.next()
		if isSubscriberTrickle(m) {
			c.t.Fatalf("a subscriber candidate came before the offer was answered: %s", m.Data)
		}
		if m.Event == protocol.EventSubscriberOffer {
			var sdp protocol.SDP
			_ = json.Unmarshal(m.Data, &sdp)
			return sdp.SDP
		}
	}
}

func (c *subClient) send(method string, params any) {
	c.t.Helper()
	c.ids++
	raw, _ := json.Marshal(params)
	frame, _ := json.Marshal(map[string]any{"id": "r" + strconv.Itoa(c.ids), "method": method, "params": json.RawMessage(raw)})
	if err := c.ws.Write(c.ctx, websocket.MessageText, frame); err != nil {
		c.t.Fatal(err)
	}
}

// answer applies offer and sends the answer as made, before any candidate
// is gathered (so it has none).
func (c *subClient) answer(offer string) {
	c.t.Helper()
	if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		c.t.Fatal(err)
	}
	a, err := c.pc.CreateAnswer(nil)
	if err != nil {
		c.t.Fatal(err)
	}
	c.send(protocol.MethodSubscriberAnswer, protocol.SDP{SDP: a.SDP})
	if err := c.pc.SetLocalDescription(a); err != nil {
		c.t.Fatal(err)
	}
}

func isSubscriberTrickle(m protocol.Message) bool {
	var tr protocol.Trickle
	return m.Event == protocol.EventTrickle && json.Unmarshal(m.Data, &tr) == nil && tr.Target == protocol.TargetSubscriber
}

func loopbackConfig() sfu.Config {
	cfg := sfu.DefaultConfig()
	cfg.BindAddress, cfg.UDPPort, cfg.TCPPort = "127.0.0.1", 0, 0
	cfg.IncludeLoopback, cfg.DisableMDNS = true, true
	return cfg
}

// The server's own candidates of a subscriber connection come only once
// it has the client's answer and a candidate of the client: its checks
// then reach the client first, so it can nominate at once (owncandidates.go).
func TestOwnSubscriberCandidatesWaitForTheClients(t *testing.T) {
	c := joinRaw(t, loopbackConfig())
	offer := c.offer()
	// nothing of the subscriber connection while the offer is unanswered
	// (the server has gathered its candidates by then: it binds no socket;
	// and it holds them up to a second: ownCandidateMaxHold)
	quiet := time.After(100 * time.Millisecond)
	for waiting := true; waiting; {
		select {
		case m, ok := <-c.events:
			if ok && isSubscriberTrickle(m) {
				t.Fatalf("a subscriber candidate came before the offer was answered: %s", m.Data)
			}
		case <-quiet:
			waiting = false
		}
	}
	gathered := make(chan webrtc.ICECandidateInit, 8)
	c.pc.OnICECandidate(func(ic *webrtc.ICECandidate) {
		if ic != nil {
			gathered <- ic.ToJSON()
		}
	})
	c.answer(offer)
	first := <-gathered
	c.send(protocol.MethodTrickle, protocol.Trickle{Target: protocol.TargetSubscriber,
		Candidate: &protocol.Candidate{Candidate: first.Candidate, SDPMid: first.SDPMid, SDPMLineIndex: first.SDPMLineIndex}})
	for {
		if m := c.next(); isSubscriberTrickle(m) {
			return
		}
	}
}

// A client that sends no candidate of its own (its answer has none, it
// trickles none) still gets the server's, a moment after its answer.
func TestOwnSubscriberCandidatesComeWithoutTheClients(t *testing.T) {
	c := joinRaw(t, loopbackConfig())
	c.answer(c.offer())
	for {
		if m := c.next(); isSubscriberTrickle(m) {
			return
		}
	}
}

// A client that will not answer before it has the server's candidates
// (it does not trickle, against protocol.md) gets them a second after the
// offer, and so answers late instead of never.
func TestOwnSubscriberCandidatesComeToAClientThatWaitsForThem(t *testing.T) {
	c := joinRaw(t, loopbackConfig())
	c.offer()
	for {
		if m := c.next(); isSubscriberTrickle(m) {
			return
		}
	}
}
