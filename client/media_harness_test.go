package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/rtp"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"github.com/switchboard-rtc/switchboard/internal/logbuf"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// waitLimit bounds every wait in the media tests: reaching it is a failure,
// never a timing assertion.
const waitLimit = 20 * time.Second

// fakeHooks plays the ringing side: it records what the SFU tells it and,
// like the hub, ends a 1:1 call when one participant leaves.
type fakeHooks struct {
	srv      *sfu.Server
	oneToOne bool

	mu       sync.Mutex
	joined   []string
	left     []string
	endCalls []string
}

func (h *fakeHooks) MediaJoined(sessionID, uid string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.joined = append(h.joined, sessionID+"/"+uid)
}

func (h *fakeHooks) joins() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.joined...)
}

func (h *fakeHooks) MediaLeft(sessionID, uid, _ string) {
	h.mu.Lock()
	h.left = append(h.left, sessionID+"/"+uid)
	h.mu.Unlock()
	if h.oneToOne {
		h.srv.EndCall(sessionID, "ended")
	}
}

func (h *fakeHooks) MediaEndCall(sessionID, uid string) error {
	h.mu.Lock()
	h.endCalls = append(h.endCalls, sessionID+"/"+uid)
	h.mu.Unlock()
	h.srv.EndCall(sessionID, "ended")
	return nil
}

func (h *fakeHooks) snapshot() (left, ends []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.left...), append([]string(nil), h.endCalls...)
}

type testSFU struct {
	t     *testing.T // the test that started it
	url   string
	srv   *sfu.Server
	hooks *fakeHooks
	logs  *logbuf.Buffer // the server's warn and error lines
	reg   *prometheus.Registry
}

// removalGrace is the grace after a lost socket or a failed or
// disconnected ICE for the tests that wait for a participant's removal.
// Every other test keeps the production grace (15 s): under CI's load a
// connection's ICE goes disconnected for a moment (round trips of 2-3 s in
// runs 164 and 172), and a short grace removed participants the test was
// still watching.
const removalGrace = 300 * time.Millisecond

// newTestSFU starts an SFU on 127.0.0.1 behind a tiny /v1/rtc handler whose
// call token is "uid@session" (the real front door is web/).
func newTestSFU(t *testing.T, oneToOne bool, tune func(*sfu.Config)) *testSFU {
	t.Helper()
	t.Cleanup(func() { goleak.VerifyNone(t, goleak.IgnoreCurrent()) })
	cfg := sfu.DefaultConfig()
	cfg.BindAddress, cfg.UDPPort, cfg.TCPPort = "127.0.0.1", 0, 0
	cfg.IncludeLoopback, cfg.DisableMDNS = true, true
	cfg.KeyframeInterval = 0
	if tune != nil {
		tune(&cfg)
	}
	hooks := &fakeHooks{oneToOne: oneToOne}
	logs, all := &logbuf.Buffer{}, &logbuf.Buffer{}
	log := slog.New(slog.NewMultiHandler(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}),
		ownDebug{h: slog.NewTextHandler(all, &slog.HandlerOptions{Level: slog.LevelDebug})}))
	reg := prometheus.NewRegistry()
	srv, err := sfu.New(cfg, sfu.Deps{Hooks: hooks, Log: log, Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	hooks.srv = srv
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uid, session, ok := strings.Cut(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), "@")
		if !ok || r.URL.Path != "/v1/rtc" {
			http.Error(w, "bad token", http.StatusUnauthorized)
			return
		}
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		srv.Serve(r.Context(), ws, sfu.Participant{SessionID: session, UID: uid, Name: strings.ToUpper(uid)})
	}))
	t.Cleanup(hs.Close)
	t.Cleanup(func() { _ = srv.Close() })
	t.Cleanup(func() {
		if t.Failed() { // the whole log: a failure seen only under load says no more
			t.Logf("the server's log:\n%s", all.String())
		}
	})
	return &testSFU{t: t, url: hs.URL, srv: srv, hooks: hooks, logs: logs, reg: reg}
}

// ownDebug passes the server's own debug lines (the fast path's switches
// between its own sockets and Pion's, for one) and only info and above of
// Pion's, whose debug lines are many per packet.
type ownDebug struct {
	h    slog.Handler
	pion bool // the logger is Pion's (pionlog.go tags it component=pion)
}

func (o ownDebug) Enabled(ctx context.Context, l slog.Level) bool {
	return (l >= slog.LevelInfo || !o.pion) && o.h.Enabled(ctx, l)
}

func (o ownDebug) Handle(ctx context.Context, r slog.Record) error { return o.h.Handle(ctx, r) }

func (o ownDebug) WithAttrs(as []slog.Attr) slog.Handler {
	pion := o.pion
	for _, a := range as {
		pion = pion || (a.Key == "component" && a.Value.String() == "pion")
	}
	return ownDebug{h: o.h.WithAttrs(as), pion: pion}
}

func (o ownDebug) WithGroup(name string) slog.Handler {
	return ownDebug{h: o.h.WithGroup(name), pion: o.pion}
}

// peer is a joined test participant with its event stream.
type peer struct {
	*Session
	uid    string
	events chan MediaEvent
	mu     sync.Mutex
	seqs   map[uint32]map[uint16]int // per SSRC: times each sequence number arrived
}

func (ts *testSFU) join(t *testing.T, uid, session string, opts MediaOptions) *peer {
	t.Helper()
	if opts.OnFrame == nil {
		opts.OnFrame = protocoltest.Hook(t, protocoltest.RTC)
	}
	p, err := ts.tryJoin(uid, session, opts)
	if err != nil {
		t.Fatalf("%s joining %s: %v", uid, session, err)
	}
	t.Cleanup(p.Close)
	return p
}

func (ts *testSFU) tryJoin(uid, session string, opts MediaOptions) (*peer, error) {
	p := &peer{uid: uid, events: make(chan MediaEvent, 4096), seqs: map[uint32]map[uint16]int{}}
	if opts.HTTPClient == nil { // a netlab test brings its own network (and dialer)
		opts.Loopback = true
	}
	if opts.OnFrame == nil { // every frame of the test is checked against docs/protocol.schema.json
		opts.OnFrame = protocoltest.Hook(ts.t, protocoltest.RTC)
	}
	onEvent := opts.OnEvent
	opts.OnEvent = func(ev MediaEvent) {
		if onEvent != nil {
			onEvent(ev)
		}
		select {
		case p.events <- ev:
		default:
		}
	}
	also := opts.OnPacket
	opts.OnPacket = func(t *RemoteTrack, pkt *rtp.Packet, at time.Time) {
		if also != nil {
			also(t, pkt, at)
		}
		p.mu.Lock()
		m := p.seqs[t.SSRC]
		if m == nil {
			m = map[uint16]int{}
			p.seqs[t.SSRC] = m
		}
		m[pkt.SequenceNumber]++
		p.mu.Unlock()
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	s, err := JoinSession(ctx, ts.url, uid+"@"+session, opts)
	if err != nil {
		return nil, err
	}
	p.Session = s
	return p, nil
}

// waitEvent returns the first event of type typ (and uid, if set).
func (p *peer) waitEvent(t *testing.T, typ, uid string) MediaEvent {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		select {
		case ev := <-p.events:
			if ev.Type == typ && (uid == "" || ev.UID == uid) {
				return ev
			}
		case <-deadline:
			t.Fatalf("%s: no %s event for %q", p.uid, typ, uid)
		}
	}
}

// eventually polls cond until it holds (failing after waitLimit).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling an outcome, not timing logic
	}
}

// remoteFrom returns the received track of kind published by uid, or nil.
func (p *peer) remoteFrom(uid, kind string) *RemoteTrack {
	for _, t := range p.RemoteTracks() {
		if t.UID == uid && t.Kind == kind {
			select {
			case <-t.Done():
				continue
			default:
			}
			return t
		}
	}
	return nil
}

// receiving waits until p gets at least n packets of kind from uid.
func (p *peer) receiving(t *testing.T, uid, kind string, n uint64) *RemoteTrack {
	t.Helper()
	var tr *RemoteTrack
	deadline := time.Now().Add(waitLimit)
	for tr = p.remoteFrom(uid, kind); tr == nil || tr.Packets() < n; tr = p.remoteFrom(uid, kind) {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s receives %s from %s\n%s", p.uid, kind, uid, p.mediaState())
		}
		time.Sleep(5 * time.Millisecond) // polling an outcome, not timing logic
	}
	return tr
}

// receivingAll waits until every peer gets n packets of audio and of video
// from every other. Failing, it lists who misses what from whom, and the
// state of each peer concerned (as receiver or sender), so that a publisher
// nobody hears is told apart from one subscription lost.
func receivingAll(t *testing.T, peers []*peer, n uint64) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		var missing []string
		concerned := map[*peer]bool{}
		for _, p := range peers {
			for _, from := range peers {
				for _, kind := range []string{"audio", "video"} {
					if from == p {
						continue
					}
					if tr := p.remoteFrom(from.uid, kind); tr == nil || tr.Packets() < n {
						missing = append(missing, fmt.Sprintf("%s misses %s from %s", p.uid, kind, from.uid))
						concerned[p], concerned[from] = true, true
					}
				}
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			var b strings.Builder
			for _, p := range peers {
				if concerned[p] {
					fmt.Fprintf(&b, "%s:\n%s", p.uid, p.mediaState())
				}
			}
			t.Fatalf("never happened: each receives %d packets of each track of the others; %s\n%s", n, strings.Join(missing, ", "), b.String())
		}
		time.Sleep(5 * time.Millisecond) // polling an outcome, not timing logic
	}
}

// mediaState describes p's received tracks, announced tracks and
// subscriber transceivers, for a failure's message.
func (p *peer) mediaState() string {
	var b strings.Builder
	for _, t := range p.RemoteTracks() {
		done := ""
		select {
		case <-t.Done():
			done = " (ended)"
		default:
		}
		fmt.Fprintf(&b, "  track %s %s mid %s ssrc %d: %d packets%s\n", t.UID, t.Kind, t.Mid, t.SSRC, t.Packets(), done)
	}
	s := p.Session
	if s.pub != nil {
		fmt.Fprintf(&b, "  publisher: signaling %s, ICE %s\n", s.pub.SignalingState(), s.pub.ICEConnectionState())
	}
	s.mu.Lock()
	for mid, info := range s.byMid {
		fmt.Fprintf(&b, "  announced mid %s: %s %s %s\n", mid, info.UID, info.Kind, info.TrackID)
	}
	s.mu.Unlock()
	if s.sub != nil {
		fmt.Fprintf(&b, "  subscriber: signaling %s, ICE %s\n", s.sub.SignalingState(), s.sub.ICEConnectionState())
		for _, tr := range s.sub.GetTransceivers() {
			fmt.Fprintf(&b, "  transceiver mid %s %s %s\n", tr.Mid(), tr.Kind(), tr.Direction())
		}
	}
	return b.String()
}

// pumpTrack writes packets on lt (5 ms apart) until it ends (its session
// ended: ErrClosed; its share stopped: ErrShareStopped) or the test ends;
// the returned channel gets the error that stopped it. The first payload
// byte counts the packets, so a VP8 track's packets 16, 24, 48, 56, ... of
// every 256 look like keyframes to the server (one every 80 ms).
func pumpTrack(t *testing.T, lt *LocalTrack) <-chan error {
	return pumpTrackWith(t, lt, func(i int) byte { return byte(i) })
}

// pumpDeltas is pumpTrack with no packet a keyframe (the VP8 descriptor's
// S bit never set): the server has none cached to start a subscriber from.
func pumpDeltas(t *testing.T, lt *LocalTrack) <-chan error {
	return pumpTrackWith(t, lt, func(i int) byte { return byte(i) &^ 0x10 })
}

// pumpTrackWith is pumpTrack with first giving packet i's first byte.
func pumpTrackWith(t *testing.T, lt *LocalTrack, first func(i int) byte) <-chan error {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	t.Cleanup(func() { cancel(); wg.Wait() })
	go func() {
		defer wg.Done()
		payload := make([]byte, 300)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				done <- ctx.Err()
				return
			case <-tick.C:
				payload[0] = first(i)
				// A write may fail for a moment (an ICE restart); only an
				// end stops the pump.
				if err := lt.Write(payload, 450, i%3 == 0); errors.Is(err, ErrClosed) || errors.Is(err, ErrShareStopped) {
					done <- err
					return
				}
			}
		}
	}()
	return done
}

// pump writes packets on every local track of the peers until the test
// ends or the track stops (its session ended, or a share stopped).
func pump(t *testing.T, peers ...*peer) {
	for _, p := range peers {
		for _, lt := range p.LocalTracks() {
			pumpTrack(t, lt)
		}
	}
}

// lastSeq is the highest sequence number received on t (no wrap in tests).
func (p *peer) lastSeq(t *RemoteTrack) uint16 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var last uint16
	first := true
	for s := range p.seqs[t.SSRC] {
		if first || int16(s-last) > 0 {
			last, first = s, false
		}
	}
	return last
}

func (p *peer) timesSeen(t *RemoteTrack, seq uint16) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seqs[t.SSRC][seq]
}
