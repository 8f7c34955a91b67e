package client

import (
	"context"
	"encoding/json"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/sfu"
)

func TestLeaveInOneToOneEndsTheCall(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	alice := ts.join(t, "alice", "t1", MediaOptions{Audio: true})
	bob := ts.join(t, "bob", "t1", MediaOptions{Audio: true})
	pump(t, alice, bob)
	bob.receiving(t, "alice", "audio", 10)
	if err := alice.Leave(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ev := bob.waitEvent(t, MediaUserLeft, "alice"); ev.Reason != "left" {
		t.Errorf("userLeft reason %q, want left", ev.Reason)
	}
	bob.waitEvent(t, MediaCallEnded, "")
	<-bob.Done()
	left, _ := ts.hooks.snapshot()
	if !slices.Equal(left, []string{"t1/alice"}) {
		t.Errorf("ringing side told MediaLeft %v, want [t1/alice]", left)
	}
	eventually(t, "no participants left", func() bool { return ts.srv.Participants() == 0 })
}

func TestLeaveInGroupKeepsTheCallForOthers(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	a := ts.join(t, "a", "g", MediaOptions{Audio: true})
	b := ts.join(t, "b", "g", MediaOptions{Audio: true})
	c := ts.join(t, "c", "g", MediaOptions{Audio: true})
	pump(t, a, b, c)
	c.receiving(t, "b", "audio", 10)
	if err := a.Leave(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The ringing side heard it before the reply went out (a call log
	// read next shows a out), whatever closing a's connections takes.
	if left, _ := ts.hooks.snapshot(); !slices.Equal(left, []string{"g/a"}) {
		t.Errorf("when a's leave was answered the ringing side had been told MediaLeft %v, want [g/a]", left)
	}
	b.waitEvent(t, MediaUserLeft, "a")
	c.waitEvent(t, MediaTrackUnpublished, "a")
	tr := c.receiving(t, "b", "audio", 10)
	n := tr.Packets()
	eventually(t, "b's audio keeps flowing to c", func() bool { return tr.Packets() > n+20 })
	if _, ended := c.Ended(); ended {
		t.Fatal("group call ended when one of three left")
	}
}

func TestEndCallFromRTCClosesEveryone(t *testing.T) {
	ts := newTestSFU(t, true, nil)
	alice := ts.join(t, "alice", "e1", MediaOptions{Video: "vp8"})
	bob := ts.join(t, "bob", "e1", MediaOptions{Video: "vp8"})
	pump(t, alice, bob)
	alice.receiving(t, "bob", "video", 10)
	if err := bob.EndCall(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*peer{alice, bob} {
		if ev := p.waitEvent(t, MediaCallEnded, ""); ev.Reason != "ended" {
			t.Errorf("%s: callEnded reason %q", p.uid, ev.Reason)
		}
		<-p.Done()
	}
	if _, ends := ts.hooks.snapshot(); !slices.Equal(ends, []string{"e1/bob"}) {
		t.Errorf("ringing side told MediaEndCall %v, want [e1/bob]", ends)
	}
	eventually(t, "no participants left", func() bool { return ts.srv.Participants() == 0 })
}

func TestEndCallAndRemoveFromRingingSide(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	a := ts.join(t, "a", "h", MediaOptions{Audio: true})
	b := ts.join(t, "b", "h", MediaOptions{Audio: true})
	c := ts.join(t, "c", "h", MediaOptions{Audio: true})
	d := ts.join(t, "d", "h", MediaOptions{Audio: true})
	ts.srv.RemoveParticipant("h", "c", "left") // e.g. c's endCall on /v1/ws in a group
	c.waitEvent(t, MediaCallEnded, "")
	a.waitEvent(t, MediaUserLeft, "c")
	b.waitEvent(t, MediaUserLeft, "c")
	ts.srv.RemoveParticipant("h", "d", "ended_by_admin") // d disabled by the app's backend
	if ev := d.waitEvent(t, MediaCallEnded, ""); ev.Reason != "ended_by_admin" {
		t.Errorf("d's callEnded reason %q, want ended_by_admin", ev.Reason)
	}
	if ev := a.waitEvent(t, MediaUserLeft, "d"); ev.Reason != "ended_by_admin" {
		t.Errorf("userLeft d reason %q, want ended_by_admin", ev.Reason)
	}
	b.waitEvent(t, MediaUserLeft, "d")
	ts.srv.EndCall("h", "ended") // e.g. endCall from /v1/ws in 1:1
	for _, p := range []*peer{a, b} {
		p.waitEvent(t, MediaCallEnded, "")
		<-p.Done()
	}
	if left, _ := ts.hooks.snapshot(); len(left) != 0 {
		t.Errorf("SFU echoed the ringing side's own removal back: %v", left)
	}
}

func TestVanishedParticipantRemovedAfterTimeout(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.DisconnectTimeout = removalGrace })
	alice := ts.join(t, "alice", "v", MediaOptions{Audio: true})
	bob := ts.join(t, "bob", "v", MediaOptions{Audio: true})
	pump(t, alice, bob)
	bob.receiving(t, "alice", "audio", 10)
	if got := ts.hooks.joins(); !slices.Equal(got, []string{"v/alice", "v/bob"}) {
		t.Errorf("MediaJoined %v, want [v/alice v/bob]", got)
	}
	alice.Close() // socket and PCs gone without a word
	if ev := bob.waitEvent(t, MediaUserLeft, "alice"); ev.Reason != "timeout" {
		t.Errorf("userLeft reason %q, want timeout", ev.Reason)
	}
	// the ringing side is told after the others (the room broadcasts first)
	eventually(t, "MediaLeft [v/alice]", func() bool {
		left, _ := ts.hooks.snapshot()
		return slices.Equal(left, []string{"v/alice"})
	})
}

func TestRejoinReplacesTheOldSession(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "r", MediaOptions{Audio: true})
	bob := ts.join(t, "bob", "r", MediaOptions{Audio: true})
	pump(t, alice, bob)
	bob.receiving(t, "alice", "audio", 10)
	alice2 := ts.join(t, "alice", "r", MediaOptions{Audio: true}) // page reload, new call token
	if ev := alice.waitEvent(t, MediaError, ""); ev.Error == nil || ev.Error.Code != "conflict" {
		t.Errorf("old session got %+v, want a conflict error", ev)
	}
	<-alice.Done()
	if ev := bob.waitEvent(t, MediaUserJoined, "alice"); !ev.Rejoined {
		t.Errorf("bob's userJoined for alice's reload is not marked rejoined: %+v", ev)
	}
	pump(t, alice2)
	alice2.receiving(t, "bob", "audio", 10)
	eventually(t, "bob receives the new alice", func() bool {
		live := 0
		for _, tr := range bob.RemoteTracks() {
			select {
			case <-tr.Done():
			default:
				if tr.UID == "alice" && tr.Packets() > 0 {
					live++
				}
			}
		}
		return live == 1
	})
	if got := ts.srv.Participants(); got != 2 {
		t.Errorf("server counts %d participants after the rejoin, want 2", got)
	}
	for _, ev := range drain(bob.events) {
		if ev.Type == MediaUserLeft {
			t.Errorf("bob saw %+v for a reload", ev)
		}
	}
}

func drain(ch chan MediaEvent) []MediaEvent {
	var out []MediaEvent
	for {
		select {
		case ev := <-ch:
			out = append(out, ev)
		default:
			return out
		}
	}
}

func TestServerShutdownEndsCalls(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	a := ts.join(t, "a", "down", MediaOptions{Audio: true})
	b := ts.join(t, "b", "down", MediaOptions{})
	pump(t, a)
	b.receiving(t, "a", "audio", 5)
	if err := ts.srv.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*peer{a, b} {
		if ev := p.waitEvent(t, MediaCallEnded, ""); ev.Reason != "server_shutdown" {
			t.Errorf("%s: callEnded reason %q", p.uid, ev.Reason)
		}
		<-p.Done()
	}
	if _, err := ts.tryJoin("c", "down", MediaOptions{}); err == nil {
		t.Error("joined a closed server")
	}
}

// TestSessionMethodsFromOnEvent: OnEvent may call Session methods that wait for the
// session goroutine (StartScreenShare) and Leave, which closes the session. Before,
// OnEvent ran on that goroutine: the share never started, and Leave never returned (nor
// did a later Close), whatever its context said.
func TestSessionMethodsFromOnEvent(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	var bobS atomic.Pointer[Session]
	res := make(chan error, 2)
	bob := ts.join(t, "bob", "g", MediaOptions{Audio: true, OnEvent: func(ev MediaEvent) {
		s := bobS.Load()
		if ev.Type != MediaUserJoined || s == nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := s.StartScreenShare(ctx, "vp8")
		res <- err
		res <- s.Leave(ctx)
	}})
	bobS.Store(bob.Session)
	alice := ts.join(t, "alice", "g", MediaOptions{Audio: true})
	for range 2 {
		select {
		case err := <-res:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(waitLimit):
			t.Fatal("a Session method called from OnEvent never returned")
		}
	}
	<-bob.Done()
	bob.Close()
	alice.waitEvent(t, MediaUserLeft, "bob")
}

// A participant whose media stopped while its socket stayed open (a stack
// that lost ICE and could not restart it) is told when the server gives up
// on it: callEnded (disconnected) on its /v1/rtc, then a normal close.
// Before, its socket closed with 1001 "timeout" and no word, which tells a
// client to reconnect (an aiortc author's audit).
func TestRemovedParticipantIsToldWhy(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) {
		c.MediaTimeout, c.DisconnectTimeout = time.Second, removalGrace
	})
	alice := ts.join(t, "alice", "g", MediaOptions{Audio: true, NoRecover: true})
	bob := ts.join(t, "bob", "g", MediaOptions{Audio: true})
	pump(t, alice, bob)
	bob.receiving(t, "alice", "audio", 10)
	_ = alice.pub.Close() // her media stops; her socket does not
	_ = alice.sub.Close()
	ev := alice.waitEvent(t, MediaCallEnded, "")
	if ev.Reason != "disconnected" {
		t.Errorf("alice's callEnded reason %q, want disconnected", ev.Reason)
	}
	<-alice.Done()
	if status := websocket.CloseStatus(alice.Err()); status != websocket.StatusNormalClosure && status != -1 {
		t.Errorf("alice's socket closed with %v (%v), want a normal close", status, alice.Err())
	}
	if ev := bob.waitEvent(t, MediaUserLeft, "alice"); ev.Reason != "timeout" {
		t.Errorf("userLeft reason %q, want timeout", ev.Reason)
	}
}

// TestMediaThatNeverConnectsIsNoticed: a participant whose media never
// comes up (here: its socket never answers the subscriber offer, so ICE
// never even starts) is treated as media stopped, counted from its first
// negotiation (the subscriber offer at join): participantReconnecting after
// media.media_timeout, removed disconnect_timeout later with its socket
// told why. Before, nothing ever happened: the call kept it, its socket
// open, for as long as the socket stayed.
func TestMediaThatNeverConnectsIsNoticed(t *testing.T) {
	const mediaTimeout = 500 * time.Millisecond
	ts := newTestSFU(t, false, func(c *sfu.Config) {
		c.MediaTimeout, c.DisconnectTimeout = mediaTimeout, removalGrace
	})
	alice := ts.join(t, "alice", "nc", MediaOptions{Audio: true})
	// Counted from before the dial: the server arms its timer when it
	// offers, which may be before the dial returns here, so a mark taken
	// after it would shorten what is measured by the offer's transit.
	joined := time.Now()
	ws := dialRaw(t, ts, "mallory@nc")
	alice.waitEvent(t, MediaUserJoined, "mallory")
	alice.waitEvent(t, MediaParticipantReconnecting, "mallory")
	if told := time.Since(joined); told < mediaTimeout {
		t.Errorf("participantReconnecting %v after the join, before media.media_timeout (%v)", told, mediaTimeout)
	}
	if ev := alice.waitEvent(t, MediaUserLeft, "mallory"); ev.Reason != "timeout" {
		t.Errorf("userLeft reason %q, want timeout", ev.Reason)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	var events []string
	for {
		_, frame, err := ws.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) != websocket.StatusNormalClosure {
				t.Errorf("mallory's socket ended with %v, want a normal close", err)
			}
			break
		}
		var m struct {
			Event string `json:"event"`
			Data  struct {
				Reason string `json:"reason"`
			} `json:"data"`
		}
		if json.Unmarshal(frame, &m) == nil && m.Event != "" {
			events = append(events, m.Event+" "+m.Data.Reason)
		}
	}
	if !slices.Contains(events, "callEnded disconnected") {
		t.Errorf("mallory's events %q, want callEnded disconnected", events)
	}
}

// TestPublisherThatNeverConnectsIsNoticed: mallory receives (her
// subscriber connection is up) and then offers to publish from a
// connection that never takes the answer: her publisher connection never
// comes up, counted from that answer. A watcher that never publishes is
// never flagged.
func TestPublisherThatNeverConnectsIsNoticed(t *testing.T) {
	const mediaTimeout = 500 * time.Millisecond
	ts := newTestSFU(t, false, func(c *sfu.Config) {
		c.MediaTimeout, c.DisconnectTimeout = mediaTimeout, removalGrace
	})
	alice := ts.join(t, "alice", "npc", MediaOptions{Audio: true})
	mallory := ts.join(t, "mallory", "npc", MediaOptions{})
	pump(t, alice)
	mallory.receiving(t, "alice", "audio", 10)
	time.Sleep(3 * mediaTimeout) // a watcher only: nothing to say
	for len(alice.events) > 0 {
		if ev := <-alice.events; ev.Type == MediaParticipantReconnecting {
			t.Fatalf("%s reported interrupted while only watching", ev.UID)
		}
	}
	var answer struct{ SDP string }
	sent := time.Now() // the server arms its timer as it answers: after this, before the answer arrives
	if err := mallory.Call(context.Background(), "publishOffer", map[string]string{"sdp": pionOffer(t)}, &answer); err != nil || answer.SDP == "" {
		t.Fatalf("publishOffer: %v", err)
	}
	alice.waitEvent(t, MediaParticipantReconnecting, "mallory")
	if told := time.Since(sent); told < mediaTimeout {
		t.Errorf("participantReconnecting %v after the offer was sent, before media.media_timeout (%v)", told, mediaTimeout)
	}
	if ev := alice.waitEvent(t, MediaUserLeft, "mallory"); ev.Reason != "timeout" {
		t.Errorf("userLeft reason %q, want timeout", ev.Reason)
	}
}
