package e2e

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
)

// frameWatch validates every WebSocket frame of one tab (the page's JS SDK
// is a client too) against docs/protocol.schema.json, as the Go client's
// tests do with its frame hook. Chromium reports the frames through the
// DevTools Network domain; listen runs on chromedp's reader and only queues
// them, one goroutine checks them in order.
type frameWatch struct {
	t    *testing.T
	name string
	done chan struct{} // closed when check has returned

	// mu guards queue, wake, stopped and recent.
	mu      sync.Mutex
	queue   []tabFrame
	wake    chan struct{} // cap 1
	stopped bool
	recent  []string // the last recentFrames frames, shortened: logged if the test fails
}

// recentFrames is how many of a tab's last frames a failed test shows.
const recentFrames = 40

type tabFrame struct {
	socket network.RequestID
	url    string // set on the socket's creation
	dir    protocol.FrameDir
	data   []byte
	at     time.Time // when the tab's event came
}

func newFrameWatch(t *testing.T, name string) *frameWatch {
	w := &frameWatch{t: t, name: name, done: make(chan struct{}), wake: make(chan struct{}, 1)}
	go w.check()
	return w
}

// listen is a chromedp.WithListener func: it never blocks.
func (w *frameWatch) listen(ev any) {
	var f tabFrame
	switch e := ev.(type) {
	case *network.EventWebSocketCreated:
		f = tabFrame{socket: e.RequestID, url: e.URL}
	case *network.EventWebSocketFrameSent:
		if e.Response == nil || e.Response.Opcode != 1 {
			return
		}
		f = tabFrame{socket: e.RequestID, dir: protocol.FrameSent, data: e.Response.PayloadData}
	case *network.EventWebSocketFrameReceived:
		if e.Response == nil || e.Response.Opcode != 1 {
			return
		}
		f = tabFrame{socket: e.RequestID, dir: protocol.FrameReceived, data: e.Response.PayloadData}
	default:
		return
	}
	f.at = time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return // wake is closed
	}
	w.queue = append(w.queue, f)
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// enable turns on the Network domain's events for the tab.
func (w *frameWatch) enable(ctx context.Context) error {
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	return err
}

// stop checks what is queued, then ignores later frames (the tab closing).
// If the test failed, it logs the tab's last frames.
func (w *frameWatch) stop() {
	w.mu.Lock()
	w.stopped = true
	close(w.wake) // under mu: listen never sends on it after this
	w.mu.Unlock()
	<-w.done
	if w.t.Failed() {
		w.t.Logf("%s's last frames:\n  %s", w.name, strings.Join(w.recent, "\n  "))
	}
}

func (w *frameWatch) check() {
	defer close(w.done)
	s, err := protocoltest.Load()
	if err != nil {
		w.t.Error(err)
		return
	}
	checkers := map[network.RequestID]*protocoltest.Checker{}
	endpoints := map[network.RequestID]string{}
	for {
		_, open := <-w.wake
		w.mu.Lock()
		batch := w.queue
		w.queue = nil
		w.mu.Unlock()
		for _, f := range batch {
			if f.url != "" {
				if ep := endpointOf(f.url); ep != "" {
					checkers[f.socket], endpoints[f.socket] = protocoltest.NewChecker(s, ep, true), ep
					if u, err := url.Parse(f.url); err == nil && u.Query().Has("token") {
						// The SDK offers it as a subprotocol (protocol.md, "Connecting").
						w.t.Errorf("%s: the page's %s socket carries its token in the URL: %.120s", w.name, ep, f.url)
					}
				}
				continue
			}
			c := checkers[f.socket]
			if c == nil {
				continue // not a switchboard socket
			}
			w.note(fmt.Sprintf("%s %s %.160s", f.at.Format("15:04:05.000"), endpoints[f.socket], f.data), f.dir)
			if err := c.Check(f.dir, f.data); err != nil {
				w.t.Errorf("%s: protocol.schema.json: %s frame on %s does not validate: %v\nframe: %.1500s", w.name, f.dir, endpoints[f.socket], err, f.data)
			}
		}
		if !open {
			return
		}
	}
}

func endpointOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	switch u.Path {
	case protocoltest.WS, protocoltest.RTC:
		return u.Path
	}
	return ""
}

// note keeps one frame's summary among the recent ones.
func (w *frameWatch) note(s string, dir protocol.FrameDir) {
	arrow := "<-"
	if dir == protocol.FrameSent {
		arrow = "->"
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.recent) == recentFrames {
		w.recent = w.recent[1:]
	}
	w.recent = append(w.recent, arrow+" "+s)
}
