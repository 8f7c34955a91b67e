package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/rtp"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// cuttable is a /v1/rtc front door over ts's SFU that takes resume=1, can
// refuse every new socket as web does (403 with a JSON error), and a
// client transport whose sockets the test can cut (a network gone: no
// close frame).
type cuttable struct {
	url    string
	refuse atomic.Bool
	client *http.Client

	mu    sync.Mutex
	conns []net.Conn
}

func newCuttable(t *testing.T, ts *testSFU) *cuttable {
	t.Helper()
	c := &cuttable{}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uid, session, _ := strings.Cut(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), "@")
		if c.refuse.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"error":{"code":"forbidden","message":"call is not ongoing: it was closed while the server restarted"}}` + "\n"))
			return
		}
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		ts.srv.Serve(r.Context(), ws, sfu.Participant{SessionID: session, UID: uid, Name: strings.ToUpper(uid), Resume: r.URL.Query().Get("resume") == "1"})
	}))
	t.Cleanup(hs.Close)
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			c.mu.Lock()
			c.conns = append(c.conns, conn)
			c.mu.Unlock()
		}
		return conn, err
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c.url, c.client = hs.URL, &http.Client{Transport: tr}
	return c
}

// cut closes every client socket opened so far.
func (c *cuttable) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, conn := range c.conns {
		_ = conn.Close()
	}
}

// A session whose socket is lost and whose automatic resume the server
// refuses (403: the call was closed meanwhile) does not end silently: a
// MediaError event carries the server's refusal, Err says it after Done,
// and later requests return it instead of the old socket's error.
func TestRefusedResumeIsAnErrorEvent(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	front := newCuttable(t, ts)
	at := *ts
	at.url = front.url
	alice := at.join(t, "alice", "refused", MediaOptions{Audio: true, HTTPClient: front.client, Loopback: true})
	if err := alice.Err(); err != nil {
		t.Fatalf("Err of an open session = %v, want nil", err)
	}
	front.refuse.Store(true)
	front.cut()

	<-alice.Done()
	alice.Close() // Done may come before OnEvent has been given the last events; Close waits for them
	var refusal *protocol.Error
	for len(alice.events) > 0 { // a request cut off may have failed first
		if ev := <-alice.events; ev.Type == MediaError && ev.Error.Code != protocol.CodeInternal {
			refusal = ev.Error
		}
	}
	if refusal == nil || refusal.Code != protocol.CodeForbidden || !strings.Contains(refusal.Message, "closed while the server restarted") {
		t.Fatalf("error event %v, want the server's refusal (forbidden)", refusal)
	}
	err := alice.Err()
	var he *HTTPError
	if !errors.Is(err, ErrSessionEnded) || !errors.As(err, &he) || he.Status != http.StatusForbidden || he.Code != protocol.CodeForbidden {
		t.Fatalf("Err after a refused resume = %v, want ErrSessionEnded with the HTTP 403", err)
	}
	if err := alice.Mute(context.Background(), "audio", true); !errors.Is(err, ErrClosed) || !errors.As(err, &he) {
		t.Fatalf("Mute after the session ended = %v, want ErrClosed with the refusal", err)
	}
	if err := alice.LocalTracks()[0].Write(make([]byte, 20), 960, false); !errors.Is(err, ErrClosed) || !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("Write after the session ended = %v, want ErrClosed with why it ended", err)
	}
}

// A network change whose new socket the server refuses (the token or the
// call is over for a new socket) while the current one still works is not
// retried quietly: the refusal comes as a MediaError event at once, ICE is
// restarted over the current socket, and the session stays open.
func TestRefusedRecoveryIsReportedAndTheSessionGoesOn(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	front := newCuttable(t, ts)
	at := *ts
	at.url = front.url
	alice := at.join(t, "alice", "refused-recovery", MediaOptions{Audio: true, HTTPClient: front.client, Loopback: true})
	front.refuse.Store(true)
	alice.NetworkChanged()

	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-alice.events:
			if ev.Type != MediaError {
				continue
			}
			if ev.Error == nil || ev.Error.Code != protocol.CodeForbidden {
				t.Fatalf("error event %v, want the server's refusal (forbidden)", ev.Error)
			}
		case <-alice.Done():
			t.Fatalf("the session ended (%v); its socket still worked", alice.Err())
		case <-timeout:
			t.Fatal("no error event for a refused recovery in 10 s")
		}
		break
	}
	if err := alice.RestartICE(context.Background()); err != nil {
		t.Fatalf("RestartICE over the current socket after the refusal: %v", err)
	}
	if err := alice.Err(); err != nil {
		t.Fatalf("Err = %v, want nil: the session goes on", err)
	}
}

// Writing a local track after Close fails with ErrClosed, so a publishing
// loop stops; before Close it works. A payload over MaxPayload is refused
// with ErrPayloadTooLarge and moves nothing on (before: audio went out and
// was lost at the server, video failed with a bare "short buffer").
func TestLocalTrackWriteAfterCloseFails(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "closed", MediaOptions{Audio: true, Video: "vp8"})
	for _, lt := range alice.LocalTracks() {
		seq := lt.pkt.SequenceNumber
		if err := lt.Write(make([]byte, MaxPayload+1), 960, false); !errors.Is(err, ErrPayloadTooLarge) || !strings.Contains(err.Error(), "1201 bytes, at most 1200") {
			t.Errorf("%s: Write of %d bytes = %v, want ErrPayloadTooLarge naming the sizes", lt.Kind, MaxPayload+1, err)
		}
		if err := lt.WriteRTP(&rtp.Packet{Payload: make([]byte, 5000)}); !errors.Is(err, ErrPayloadTooLarge) {
			t.Errorf("%s: WriteRTP of 5000 bytes = %v, want ErrPayloadTooLarge", lt.Kind, err)
		}
		if lt.pkt.SequenceNumber != seq {
			t.Errorf("%s: a refused Write moved the sequence number from %d to %d", lt.Kind, seq, lt.pkt.SequenceNumber)
		}
	}
	lt := alice.LocalTracks()[0]
	if err := lt.Write(make([]byte, MaxPayload), 960, false); err != nil {
		t.Fatalf("Write on an open session: %v", err)
	}
	alice.Close()
	if err := alice.Err(); err != ErrClosed {
		t.Fatalf("Err after Close = %v, want ErrClosed", err)
	}
	if err := lt.Write(make([]byte, 20), 960, false); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close = %v, want ErrClosed", err)
	}
}
