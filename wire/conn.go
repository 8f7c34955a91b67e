package wire

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Options tune a Conn. Zero fields take the defaults shown.
type Options struct {
	// ReadLimit is the largest frame accepted, in bytes (default 64 KiB).
	// A larger frame closes the connection with status 1009 (message too big).
	ReadLimit int64
	// SendQueue is how many frames may wait for the writer (default 256).
	// A peer that lets it fill is disconnected with status 1008.
	SendQueue int
	// WriteTimeout bounds each frame write (default 10 s).
	WriteTimeout time.Duration
	// PingInterval is how often the peer is pinged to detect a vanished
	// socket (default 15 s; negative disables pings).
	PingInterval time.Duration
}

// Defaults for Options.
const (
	DefaultReadLimit    = 64 << 10
	DefaultSendQueue    = 256
	DefaultWriteTimeout = 10 * time.Second
	DefaultPingInterval = 15 * time.Second
)

func (o Options) withDefaults() Options {
	if o.ReadLimit <= 0 {
		o.ReadLimit = DefaultReadLimit
	}
	if o.SendQueue <= 0 {
		o.SendQueue = DefaultSendQueue
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.PingInterval == 0 {
		o.PingInterval = DefaultPingInterval
	}
	return o
}

// Errors returned by Send.
var (
	ErrClosed = errors.New("wire: connection closed")
	ErrSlow   = errors.New("wire: peer too slow, send queue full")
)

// Conn owns one WebSocket: a reader (the goroutine that calls Run), a writer
// goroutine fed by a bounded queue, and a pinger. See the package doc for the
// concurrency rules.
type Conn struct {
	ws   *websocket.Conn
	opts Options
	out  chan []byte
	done chan struct{} // closed when Close is first called

	// mu guards the close status chosen by the first Close.
	mu          sync.Mutex
	closeCode   websocket.StatusCode
	closeReason string
	closeOnce   sync.Once
}

// NewConn wraps an accepted or dialed WebSocket.
func NewConn(ws *websocket.Conn, opts Options) *Conn {
	opts = opts.withDefaults()
	ws.SetReadLimit(opts.ReadLimit)
	return &Conn{
		ws:   ws,
		opts: opts,
		out:  make(chan []byte, opts.SendQueue),
		done: make(chan struct{}),
	}
}

// Done is closed once the connection starts closing.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Send queues m for the writer without blocking.
func (c *Conn) Send(m Message) error {
	frame, err := json.Marshal(m)
	if err != nil {
		return err
	}
	select {
	case <-c.done:
		return ErrClosed
	default:
	}
	select {
	case c.out <- frame:
		return nil
	default:
		c.Close(websocket.StatusPolicyViolation, "send queue full: peer too slow")
		return ErrSlow
	}
}

// Reply sends a successful reply to request id.
func (c *Conn) Reply(id string, result any) error {
	m, err := Reply(id, result)
	if err != nil {
		return err
	}
	return c.Send(m)
}

// ReplyError sends an error reply to request id.
func (c *Conn) ReplyError(id string, err error) error {
	return c.Send(ReplyError(id, err))
}

// Emit sends an event.
func (c *Conn) Emit(event string, data any) error {
	m, err := Event(event, data)
	if err != nil {
		return err
	}
	return c.Send(m)
}

// Close starts closing the connection with the given status. Frames already
// queued are still written (each within WriteTimeout) before the close frame.
// Only the first call's status is used; Close never blocks.
func (c *Conn) Close(code websocket.StatusCode, reason string) {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.closeCode, c.closeReason = code, reason
		c.mu.Unlock()
		close(c.done)
	})
}

// Run reads frames and calls handle for each well-formed one until the
// connection closes or ctx ends, then waits for the writer and pinger to stop.
// A malformed frame gets a bad_request error reply (id "") and the connection
// stays open. Run returns the error that ended the read loop.
func (c *Conn) Run(ctx context.Context, handle func(Message)) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); c.writeLoop(ctx) }()
	go func() { defer wg.Done(); c.pingLoop(ctx) }()
	err := c.readLoop(ctx, handle)
	c.Close(closeStatusFor(err), "")
	// Stop the pinger; the writer stops itself after flushing (see writeLoop).
	cancel()
	wg.Wait()
	return err
}

func (c *Conn) readLoop(ctx context.Context, handle func(Message)) error {
	for {
		typ, frame, err := c.ws.Read(ctx)
		if err != nil {
			return err
		}
		if typ != websocket.MessageText {
			_ = c.ReplyError("", Errorf(CodeBadRequest, "binary frames are not supported; send JSON text frames"))
			continue
		}
		m, err := Parse(frame)
		if err != nil {
			_ = c.ReplyError("", err)
			continue
		}
		handle(m)
	}
}

func (c *Conn) writeLoop(ctx context.Context) {
	for {
		select {
		case frame := <-c.out:
			if !c.write(frame) {
				c.Close(websocket.StatusGoingAway, "write failed")
				c.finish()
				return
			}
		case <-c.done:
			c.flush()
			c.finish()
			return
		case <-ctx.Done():
			c.Close(websocket.StatusGoingAway, "")
		}
	}
}

func (c *Conn) flush() {
	for {
		select {
		case frame := <-c.out:
			if !c.write(frame) {
				return
			}
		default:
			return
		}
	}
}

func (c *Conn) write(frame []byte) bool {
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.WriteTimeout)
	defer cancel()
	return c.ws.Write(ctx, websocket.MessageText, frame) == nil
}

// finish performs the close handshake (bounded by coder/websocket's own
// timeout), which also unblocks the reader.
func (c *Conn) finish() {
	c.mu.Lock()
	code, reason := c.closeCode, c.closeReason
	c.mu.Unlock()
	if code == 0 {
		code = websocket.StatusNormalClosure
	}
	if err := c.ws.Close(code, reason); err != nil {
		_ = c.ws.CloseNow()
	}
}

func (c *Conn) pingLoop(ctx context.Context) {
	if c.opts.PingInterval < 0 {
		return
	}
	t := time.NewTicker(c.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.done:
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, c.opts.PingInterval)
			err := c.ws.Ping(pctx)
			cancel()
			if err != nil && ctx.Err() == nil {
				c.Close(websocket.StatusGoingAway, "ping timeout")
				_ = c.ws.CloseNow()
				return
			}
		}
	}
}

func closeStatusFor(err error) websocket.StatusCode {
	if s := websocket.CloseStatus(err); s != -1 {
		return s
	}
	return websocket.StatusGoingAway
}
