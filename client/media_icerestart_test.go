package client

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// An ICE restart on both connections (a publishOffer with new credentials,
// restartIce for the subscriber) is accepted mid-call: new ICE credentials
// on both sides, media keeps flowing both ways, nobody sees userLeft (run
// with -race: restarts are serialised with gathering).
func TestICERestartKeepsMedia(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "restart", MediaOptions{Audio: true})
	bob := ts.join(t, "bob", "restart", MediaOptions{Audio: true})
	pump(t, alice, bob)
	bob.receiving(t, "alice", "audio", 5)
	alice.receiving(t, "bob", "audio", 5)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	pubUfrag := iceUfragOf(alice.pub.RemoteDescription().SDP)
	subUfrag := iceUfragOf(alice.sub.RemoteDescription().SDP)
	if err := alice.RestartICE(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "alice's connections have the server's new ICE credentials", func() bool {
		var pub, sub string
		_ = alice.run(ctx, func(context.Context) error {
			pub, sub = iceUfragOf(alice.pub.RemoteDescription().SDP), iceUfragOf(alice.sub.RemoteDescription().SDP)
			return nil
		})
		return pub != pubUfrag && sub != subUfrag
	})
	atBob, atAlice := bob.remoteFrom("alice", "audio"), alice.remoteFrom("bob", "audio")
	n1, n2 := atBob.Packets(), atAlice.Packets()
	bob.receiving(t, "alice", "audio", n1+50)
	alice.receiving(t, "bob", "audio", n2+50)
	for _, p := range []*peer{alice, bob} {
		for len(p.events) > 0 {
			if ev := <-p.events; ev.Type == MediaUserLeft || ev.Type == MediaError {
				t.Fatalf("%s got %s (%v) during an ICE restart", p.uid, ev.Type, ev.Error)
			}
		}
	}
}

// ICE restarts in a loop are refused beyond media.ice_restart_limit with
// rate_limited (and logged); the others are not disturbed.
func TestICERestartLoopRefused(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.ICERestartLimit = 3 })
	alice := ts.join(t, "alice", "loop", MediaOptions{Audio: true, NoRecover: true})
	bob := ts.join(t, "bob", "loop", MediaOptions{Audio: true})
	pump(t, alice, bob)
	alice.receiving(t, "bob", "audio", 5)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	subUfrag := func() (u string) {
		_ = alice.run(ctx, func(context.Context) error { u = iceUfragOf(alice.sub.RemoteDescription().SDP); return nil })
		return u
	}
	var refused error
	for i := 0; i < 10 && refused == nil; i++ {
		was := subUfrag()
		if refused = alice.Call(ctx, protocol.MethodRestartICE, nil, nil); refused == nil {
			eventually(t, "the restart offer is applied", func() bool { return subUfrag() != was })
		}
	}
	wantCode(t, "restartIce beyond the limit", refused, protocol.CodeRateLimited)
	n := alice.remoteFrom("bob", "audio").Packets()
	alice.receiving(t, "bob", "audio", n+50)
	m := bob.remoteFrom("alice", "audio").Packets()
	bob.receiving(t, "alice", "audio", m+50)
	eventually(t, "the refusal is logged", func() bool { return contains(ts.logs.String(), "refused ICE restart") })
	for len(bob.events) > 0 {
		if ev := <-bob.events; ev.Type == MediaUserLeft {
			t.Fatalf("bob saw userLeft during alice's restart loop")
		}
	}
}

func iceUfragOf(sdp string) string {
	const key = "a=ice-ufrag:"
	for i := 0; i+len(key) <= len(sdp); i++ {
		if sdp[i:i+len(key)] == key {
			j := i + len(key)
			k := j
			for k < len(sdp) && sdp[k] != '\r' && sdp[k] != '\n' {
				k++
			}
			return sdp[j:k]
		}
	}
	return ""
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// A stack that cannot restart ICE (aiortc 1.4) answers the server's
// ICE-restart offer with its old credentials: the answer is refused, with
// a message that says so. Before, it was taken, the client's checks went
// on with credentials the server no longer answered, and it was removed
// 19 s later while media still flowed (an aiortc author's audit).
func TestAnswerThatDoesNotRestartICEIsRefused(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	var mu sync.Mutex
	var first []string // the first answer's ice-ufrag and ice-pwd lines
	keepCreds := func(sdp string) string {
		mu.Lock()
		defer mu.Unlock()
		lines := strings.Split(sdp, "\r\n")
		var creds []string
		for _, l := range lines {
			if strings.HasPrefix(l, "a=ice-ufrag:") || strings.HasPrefix(l, "a=ice-pwd:") {
				creds = append(creds, l)
			}
		}
		if first == nil {
			first = creds[:2]
			return sdp
		}
		for i, l := range lines {
			switch {
			case strings.HasPrefix(l, "a=ice-ufrag:"):
				lines[i] = first[0]
			case strings.HasPrefix(l, "a=ice-pwd:"):
				lines[i] = first[1]
			}
		}
		return strings.Join(lines, "\r\n")
	}
	alice := ts.join(t, "alice", "norestart", MediaOptions{Audio: true, NoRecover: true, answerSDP: keepCreds})
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := alice.Call(ctx, protocol.MethodRestartICE, nil, nil); err != nil {
		t.Fatal(err)
	}
	ev := alice.waitEvent(t, MediaError, "")
	if ev.Error == nil || ev.Error.Code != protocol.CodeBadRequest || !strings.Contains(ev.Error.Message, "restarts ICE") {
		t.Fatalf("the answer keeping its ICE credentials: %+v, want bad_request saying the offer restarts ICE", ev.Error)
	}
}
