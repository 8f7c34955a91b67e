package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// ErrClosed is returned by calls on a closed connection.
var ErrClosed = errors.New("client: connection closed")

// rpc is one WebSocket to a switchboard endpoint: requests matched to replies
// by id, events handed to onEvent from the reader goroutine, in order.
type rpc struct {
	conn    *protocol.Conn
	onEvent func(protocol.Message)
	done    chan struct{} // closed when the read loop has ended

	// mu guards next, pending, err and closing.
	mu      sync.Mutex
	next    uint64
	pending map[string]chan protocol.Message
	err     error
	closing bool // close was called: the app ended the connection
}

// dialRPCWith opens endpoint (an http(s):// or ws(s):// base URL plus path)
// with token, through the HTTP client that performs the upgrade (nil:
// http.DefaultClient), and starts the read loop. onEvent must not block for
// long.
func dialRPCWith(ctx context.Context, endpoint, token string, hc *http.Client, onFrame protocol.FrameHook, onEvent func(protocol.Message)) (*rpc, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("client: bad URL %q: %w", endpoint, err)
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	}
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	ws, resp, err := websocket.Dial(ctx, u.String(), &websocket.DialOptions{HTTPHeader: h, HTTPClient: hc})
	if err != nil {
		if resp != nil {
			return nil, newHTTPError(resp, err)
		}
		return nil, err
	}
	ws.SetReadLimit(1 << 20)
	r := &rpc{
		conn:    protocol.NewConn(ws, protocol.Options{ReadLimit: 1 << 20, OnFrame: onFrame}),
		onEvent: onEvent,
		done:    make(chan struct{}),
		pending: make(map[string]chan protocol.Message),
	}
	go r.run()
	return r, nil
}

// HTTPError is a refused WebSocket upgrade (e.g. 401 for a bad token, 403
// for a call that is over). Code and Message are the server's own error,
// from its JSON body {"error":{"code","message"}} (docs/protocol.md, "Error
// codes"); both are "" when the body had none (a proxy's page). errors.As
// with a **protocol.Error finds that error too (and protocol.AsError keeps
// its code), e.g. to read wrong_node's MediaURL.
type HTTPError struct {
	Status  int
	Code    string
	Message string
	Err     error // the WebSocket library's dial error

	server *protocol.Error // the decoded body, nil without one
}

// newHTTPError builds the error of a refused upgrade from the response
// (whose body coder/websocket keeps, up to 1 KiB).
func newHTTPError(resp *http.Response, err error) *HTTPError {
	he := &HTTPError{Status: resp.StatusCode, Err: err}
	if resp.Body == nil {
		return he
	}
	var body struct {
		Error *protocol.Error `json:"error"`
	}
	raw, rerr := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	if rerr == nil && json.Unmarshal(raw, &body) == nil && body.Error != nil && body.Error.Code != "" {
		he.server, he.Code, he.Message = body.Error, body.Error.Code, body.Error.Message
	}
	return he
}

func (e *HTTPError) Error() string {
	if e.Code != "" {
		return "client: HTTP " + strconv.Itoa(e.Status) + ": " + e.Code + ": " + e.Message
	}
	return "client: HTTP " + strconv.Itoa(e.Status) + ": " + e.Err.Error()
}

func (e *HTTPError) Unwrap() error { return e.Err }

// As makes errors.As(err, &pe) with pe a *protocol.Error find the server's
// error (only when it sent one).
func (e *HTTPError) As(target any) bool {
	pe, ok := target.(**protocol.Error)
	if !ok || e.server == nil {
		return false
	}
	*pe = e.server
	return true
}

func (r *rpc) run() {
	err := r.conn.Run(context.Background(), r.dispatch) // never nil
	r.mu.Lock()
	r.err = err
	for id, ch := range r.pending {
		close(ch)
		delete(r.pending, id)
	}
	r.mu.Unlock()
	close(r.done)
}

func (r *rpc) dispatch(m protocol.Message) {
	if m.IsEvent() {
		if r.onEvent != nil {
			r.onEvent(m)
		}
		return
	}
	r.mu.Lock()
	ch, ok := r.pending[m.ID]
	delete(r.pending, m.ID)
	r.mu.Unlock()
	if ok {
		ch <- m
	}
}

// send sends method with params without waiting for the reply (the reply
// is dropped). Its id is unique among the connection's requests, as the
// envelope asks: "n" and a counter.
func (r *rpc) send(method string, params any) error {
	r.mu.Lock()
	r.next++
	id := "n" + strconv.FormatUint(r.next, 10)
	r.mu.Unlock()
	req, err := protocol.Request(id, method, params)
	if err != nil {
		return err
	}
	return r.conn.Send(req)
}

// call sends method with params and decodes the reply's result into result
// (which may be nil). A reply error is returned as *protocol.Error.
func (r *rpc) call(ctx context.Context, method string, params, result any) error {
	r.mu.Lock()
	if r.err != nil {
		r.mu.Unlock()
		return fmt.Errorf("%w: %v", ErrClosed, r.err)
	}
	r.next++
	id := "c" + strconv.FormatUint(r.next, 10)
	ch := make(chan protocol.Message, 1)
	r.pending[id] = ch
	r.mu.Unlock()

	req, err := protocol.Request(id, method, params)
	if err == nil {
		err = r.conn.Send(req)
	}
	if err != nil {
		r.forget(id)
		return err
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return ErrClosed
		}
		if m.Error != nil {
			return m.Error
		}
		if result == nil {
			return nil
		}
		return json.Unmarshal(m.Result, result)
	case <-ctx.Done():
		r.forget(id)
		return ctx.Err()
	}
}

func (r *rpc) forget(id string) {
	r.mu.Lock()
	delete(r.pending, id)
	r.mu.Unlock()
}

// close closes the connection and waits for the read loop to end.
func (r *rpc) close() {
	r.mu.Lock()
	r.closing = true
	r.mu.Unlock()
	r.conn.Close(websocket.StatusNormalClosure, "")
	<-r.done
}

// Done is closed when the connection has ended.
func (r *rpc) closed() <-chan struct{} { return r.done }

// failure is why the connection ended (nil while it is open).
func (r *rpc) failure() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// closeErr is why the connection ended, for the app (nil while it is
// open): ErrClosed after close, else ErrClosed wrapping the server's close
// or the network error.
func (r *rpc) closeErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.err == nil:
		return nil
	case r.closing:
		return ErrClosed
	}
	return fmt.Errorf("%w: %w", ErrClosed, r.err)
}
