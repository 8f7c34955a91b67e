package e2e

import (
	"context"
	"net/url"
	"sync"
	"testing"

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

	// mu guards queue, wake and stopped.
	mu      sync.Mutex
	queue   []tabFrame
	wake    chan struct{} // cap 1
	stopped bool
}

type tabFrame struct {
	socket network.RequestID
	url    string // set on the socket's creation
	dir    protocol.FrameDir
	data   []byte
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
	w.mu.Lock()
	if !w.stopped {
		w.queue = append(w.queue, f)
	}
	w.mu.Unlock()
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
func (w *frameWatch) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	close(w.wake)
	<-w.done
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
				}
				continue
			}
			c := checkers[f.socket]
			if c == nil {
				continue // not a switchboard socket
			}
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
