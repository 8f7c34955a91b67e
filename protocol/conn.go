package protocol

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Options tune a Conn. Zero fields take the defaults shown.
type Options struct {
	// ReadLimit is the largest frame accepted, in bytes (default 64 KiB).
	// A larger frame closes the connection with status 1009 (message too big).
	ReadLimit int64
	// SendQueue is how many frames may wait for the writer (default 256),
	// and MaxQueueBytes how many bytes (default 1 MiB; a single frame into
	// an empty queue always fits). A peer that lets either fill is
	// disconnected with status 1008. The reader stops reading while the
	// queue is more than half full, so a peer that reads its replies never
	// overflows it with its own requests.
	SendQueue     int
	MaxQueueBytes int
	// RequestRate is how many requests per second the peer may send,
	// sustained, and RequestBurst how many at once (a token bucket per
	// connection; defaults 20/s and 100; RequestRate < 0 disables it). A
	// request beyond it is not handled: it gets a rate_limited error with
	// retryAfterMs. Replies and events the peer sends are not counted.
	RequestRate  float64
	RequestBurst int
	// Now is the clock of the token bucket (default time.Now).
	Now func() time.Time
	// WriteTimeout bounds each frame write (default 10 s).
	WriteTimeout time.Duration
	// PingInterval is how often the peer is pinged to detect a vanished
	// socket (default 15 s; negative disables pings).
	PingInterval time.Duration
	// OnFrame, when set, sees every text frame this Conn sends and receives,
	// raw (for tests that validate the wire, and for debugging tools).
	OnFrame FrameHook
	// Malformed, when set, is called on the reader goroutine for a frame
	// that is not a valid envelope (or is binary) instead of the Conn
	// replying to it at once: a handler that answers requests elsewhere
	// (a queue) sends that reply itself, so replies keep request order.
	Malformed func(*Error)
}

// FrameHook sees one raw frame. A sent frame is seen in Send, on the
// sender's goroutine, before it is queued (so a request is always seen
// before its reply can arrive); a received one on the reader, before it is
// parsed (malformed ones too). The hook must return quickly and must not
// keep frame: the buffer is reused.
type FrameHook func(dir FrameDir, frame []byte)

// FrameDir says which way a frame went.
type FrameDir int

// Frame directions.
const (
	FrameReceived FrameDir = iota
	FrameSent
)

func (d FrameDir) String() string {
	if d == FrameSent {
		return "sent"
	}
	return "received"
}

// Defaults for Options.
const (
	DefaultReadLimit    = 64 << 10
	DefaultSendQueue    = 256
	DefaultMaxQueue     = 1 << 20
	DefaultRequestRate  = 20
	DefaultRequestBurst = 100
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
	if o.MaxQueueBytes <= 0 {
		o.MaxQueueBytes = DefaultMaxQueue
	}
	if o.RequestRate == 0 {
		o.RequestRate = DefaultRequestRate
	}
	if o.RequestBurst <= 0 {
		o.RequestBurst = DefaultRequestBurst
	}
	if o.Now == nil {
		o.Now = time.Now
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
	ErrClosed = errors.New("protocol: connection closed")
	ErrSlow   = errors.New("protocol: peer too slow, send queue full")
)

// Conn owns one WebSocket: a reader (the goroutine that calls Run), a writer
// goroutine that exists only while frames are waiting (so an idle connection
// costs one goroutine), and a ping timer. See the package doc for the
// concurrency rules.
type Conn struct {
	ws   *websocket.Conn
	opts Options
	done chan struct{} // closed when Close is first called

	// mu guards everything below.
	mu          sync.Mutex
	queue       [][]byte // frames waiting for the writer
	holds       []*Hold  // places kept for replies not made yet, oldest first (Hold)
	pending     int      // frames queued or in the writer's batch, not yet written
	pendingSize int      // their bytes
	readerWait  bool     // the reader waits for the queue to drain (room)
	spare       [][]byte // the writer's last batch, reused as the next queue
	writing     bool     // a writer goroutine is running
	closing     bool     // Close was called
	finished    bool     // the close handshake has been started
	stopped     bool     // Run is returning: no new goroutines
	closeCode   websocket.StatusCode
	closeReason string
	pingTimer   *time.Timer
	workers     sync.WaitGroup // writer and ping goroutines

	room   chan struct{} // cap 1: the queue drained below half (for the reader)
	bucket tokenBucket   // reader only

	// writeWatch closes the socket when a frame write takes longer than
	// WriteTimeout (one timer per Conn, reset per frame, instead of a
	// context with a deadline per frame). Only the writer touches it.
	writeWatch *time.Timer
	writeBusy  atomic.Bool // a frame write is in progress

	heard atomic.Int64 // unix ns of the peer's last frame or pong (Heard)
}

// NewConn wraps an accepted or dialed WebSocket.
func NewConn(ws *websocket.Conn, opts Options) *Conn {
	opts = opts.withDefaults()
	ws.SetReadLimit(opts.ReadLimit)
	c := &Conn{ws: ws, opts: opts, done: make(chan struct{}), room: make(chan struct{}, 1),
		bucket: tokenBucket{rate: opts.RequestRate, burst: float64(opts.RequestBurst), tokens: float64(opts.RequestBurst)}}
	c.heard.Store(time.Now().UnixNano())
	return c
}

// Heard is when the peer last showed it runs: its last frame read, its
// last pong, or the Conn's start.
func (c *Conn) Heard() time.Time { return time.Unix(0, c.heard.Load()) }

// Probe pings the peer now and waits up to timeout for its pong: a peer
// whose socket is open but whose application does not run (a phone app
// the system suspended) answers nothing. Without a pong in time (or when
// the Conn closes meanwhile) it closes the Conn (1001, "no answer to a
// ping") and returns an error; ErrClosed when the Conn was closing
// anyway.
func (c *Conn) Probe(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := c.ws.Ping(ctx)
	if err != nil {
		select {
		case <-c.done:
			return ErrClosed // closed meanwhile, not for want of a pong
		default:
		}
		c.Close(websocket.StatusGoingAway, "no answer to a ping")
		_ = c.ws.CloseNow() // nothing answers the close handshake either
		return err
	}
	c.heard.Store(time.Now().UnixNano())
	return nil
}

// Done is closed once the connection starts closing.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Send queues m for the writer without blocking.
func (c *Conn) Send(m Message) error {
	frame, err := Marshal(m)
	if err != nil {
		return err
	}
	if c.opts.OnFrame != nil {
		c.opts.OnFrame(FrameSent, frame)
	}
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return ErrClosed
	}
	if c.pending >= c.opts.SendQueue || (c.pending > 0 && c.pendingSize+len(frame) > c.opts.MaxQueueBytes) {
		c.mu.Unlock()
		c.Close(websocket.StatusPolicyViolation, "send queue full: peer too slow")
		return ErrSlow
	}
	c.pending++
	c.pendingSize += len(frame)
	if n := len(c.holds); n > 0 { // behind a reply not made yet
		c.holds[n-1].after = append(c.holds[n-1].after, frame)
		c.mu.Unlock()
		return nil
	}
	c.queue = append(c.queue, frame)
	c.startWriterLocked()
	c.mu.Unlock()
	return nil
}

// Hold keeps a place in the send order for a reply made later: what is
// sent after Hold waits until the reply is given (Reply), so a
// reply that waits for something (a commit) still comes before the events
// decided after its request. Close lets what waits go without it.
type Hold struct {
	c      *Conn
	frame  []byte   // the reply, once given
	filled bool     // given (or dropped)
	after  [][]byte // frames sent after this hold and before the next
}

// Hold keeps the next place in the send order (see Hold).
func (c *Conn) Hold() *Hold {
	h := &Hold{c: c}
	c.mu.Lock()
	if c.closing {
		h.filled = true
	} else {
		c.holds = append(c.holds, h)
	}
	c.mu.Unlock()
	return h
}

// Reply gives the held place a successful reply to request id.
func (h *Hold) Reply(id string, result any) error {
	m, err := Reply(id, result)
	if err != nil {
		_ = h.fill(nil) // nothing to send: what waits behind it goes
		return err
	}
	return h.send(m)
}

func (h *Hold) send(m Message) error {
	frame, err := Marshal(m)
	if err != nil {
		_ = h.fill(nil) // nothing to send: what waits behind it goes
		return err
	}
	if h.c.opts.OnFrame != nil {
		h.c.opts.OnFrame(FrameSent, frame)
	}
	return h.fill(frame)
}

// fill puts frame (nil: nothing) in the held place and hands the writer
// every frame no longer behind a reply not made yet.
func (h *Hold) fill(frame []byte) error {
	c := h.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if h.filled {
		return ErrClosed
	}
	h.filled, h.frame = true, frame
	if frame != nil {
		c.pending++
		c.pendingSize += len(frame)
	}
	c.releaseHoldsLocked()
	return nil
}

// releaseHoldsLocked moves the frames of the given holds at the head of
// the line to the writer's queue, in order.
func (c *Conn) releaseHoldsLocked() {
	for len(c.holds) > 0 && c.holds[0].filled {
		h := c.holds[0]
		c.holds[0] = nil
		c.holds = c.holds[1:]
		if h.frame != nil {
			c.queue = append(c.queue, h.frame)
		}
		c.queue = append(c.queue, h.after...)
		h.frame, h.after = nil, nil
	}
	if len(c.queue) > 0 {
		c.startWriterLocked()
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return
	}
	c.closing = true
	c.closeCode, c.closeReason = code, reason
	close(c.done)
	for _, h := range c.holds { // a reply not made yet will not be: what waits behind it goes
		h.filled = true
	}
	c.releaseHoldsLocked()
	c.startWriterLocked() // it flushes, then performs the close handshake
}

// startWriterLocked starts the writer unless one runs or Run has returned.
func (c *Conn) startWriterLocked() {
	if c.writing || c.stopped || c.finished {
		return
	}
	c.writing = true
	c.workers.Add(1)
	go c.writeLoop()
}

// Run reads frames and calls handle for each well-formed one until the
// connection closes or ctx ends, then waits for the writer and any ping in
// flight to stop. A malformed frame gets a bad_request error reply (id "")
// and the connection stays open. Run returns the error that ended the read loop.
func (c *Conn) Run(ctx context.Context, handle func(Message)) error {
	c.armPing()
	err := c.readLoop(ctx, handle)
	c.Close(closeStatusFor(err), "")
	c.mu.Lock()
	c.stopped = true
	if c.pingTimer != nil {
		c.pingTimer.Stop()
	}
	c.mu.Unlock()
	c.workers.Wait()
	return err
}

func (c *Conn) readLoop(ctx context.Context, handle func(Message)) error {
	var buf []byte // reused: Parse copies what it keeps
	for {
		if err := c.waitRoom(ctx); err != nil {
			return err
		}
		typ, frame, err := c.read(ctx, buf[:0])
		if err != nil {
			return err
		}
		c.heard.Store(time.Now().UnixNano())
		if cap(frame) <= maxKeptReadBuffer {
			buf = frame
		}
		if c.opts.OnFrame != nil {
			c.opts.OnFrame(FrameReceived, frame)
		}
		if typ != websocket.MessageText {
			c.malformed(Errorf(CodeBadRequest, "binary frames are not supported; send JSON text frames"))
			continue
		}
		m, err := Parse(frame)
		if err != nil {
			c.malformed(AsError(err))
			continue
		}
		if m.IsRequest() {
			if wait := c.bucket.take(c.opts.Now()); wait > 0 {
				_ = c.ReplyError(m.ID, rateLimited(wait, c.opts))
				continue
			}
		}
		handle(m)
	}
}

// malformed answers a frame that is not a valid envelope (id "").
func (c *Conn) malformed(e *Error) {
	if c.opts.Malformed != nil {
		c.opts.Malformed(e)
		return
	}
	_ = c.ReplyError("", e)
}

// maxKeptReadBuffer is the largest read buffer the reader keeps for the
// next frame; a bigger one (a rare large frame) is left to the GC.
const maxKeptReadBuffer = 4 << 10

// read reads the next message into buf (grown as needed), as
// websocket.Conn.Read does into a new slice.
func (c *Conn) read(ctx context.Context, buf []byte) (websocket.MessageType, []byte, error) {
	typ, r, err := c.ws.Reader(ctx)
	if err != nil {
		return 0, nil, err
	}
	if cap(buf) == 0 {
		buf = make([]byte, 0, 512)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return typ, buf, nil
		}
		if err != nil {
			return 0, nil, err
		}
	}
}

// writeLoop writes queued frames in batches until the queue is empty, then
// exits; after Close it also performs the close handshake.
func (c *Conn) writeLoop() {
	defer c.workers.Done()
	for {
		c.mu.Lock()
		batch := c.queue
		if len(batch) == 0 {
			c.writing = false
			finish := c.closing && !c.finished
			c.finished = c.finished || finish
			c.mu.Unlock()
			if finish {
				c.finish()
			}
			return
		}
		c.queue, c.spare = c.spare[:0], nil
		c.mu.Unlock()
		for i, frame := range batch {
			batch[i] = nil
			ok := c.write(frame)
			c.written(len(frame))
			if !ok {
				c.failWrites()
				break
			}
		}
		c.mu.Lock()
		c.spare = batch[:0]
		c.mu.Unlock()
	}
}

// failWrites drops what is queued and closes: the peer is gone or stuck.
func (c *Conn) failWrites() {
	c.Close(websocket.StatusGoingAway, "write failed")
	c.mu.Lock()
	for _, f := range c.queue {
		c.pending--
		c.pendingSize -= len(f)
	}
	c.queue = c.queue[:0]
	c.mu.Unlock()
}

func (c *Conn) write(frame []byte) bool {
	c.writeBusy.Store(true)
	if c.writeWatch == nil {
		c.writeWatch = time.AfterFunc(c.opts.WriteTimeout, c.writeTimedOut)
	} else {
		c.writeWatch.Reset(c.opts.WriteTimeout)
	}
	err := c.ws.Write(context.Background(), websocket.MessageText, frame)
	c.writeBusy.Store(false)
	c.writeWatch.Stop()
	return err == nil
}

// writeTimedOut runs on the watch timer's goroutine: closing the socket
// makes the stuck write fail, and the writer then closes the Conn.
func (c *Conn) writeTimedOut() {
	if c.writeBusy.Load() {
		_ = c.ws.CloseNow()
	}
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

// armPing schedules the next ping; the timer holds no goroutine while idle.
func (c *Conn) armPing() {
	if c.opts.PingInterval < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || c.closing {
		return
	}
	if c.pingTimer == nil {
		c.pingTimer = time.AfterFunc(c.opts.PingInterval, c.ping)
		return
	}
	c.pingTimer.Reset(c.opts.PingInterval)
}

// ping runs on the timer's goroutine: it waits for the pong, then re-arms.
func (c *Conn) ping() {
	c.mu.Lock()
	if c.stopped || c.closing {
		c.mu.Unlock()
		return
	}
	c.workers.Add(1)
	c.mu.Unlock()
	defer c.workers.Done()
	if c.Probe(c.opts.PingInterval) == nil {
		c.armPing()
	}
}

func closeStatusFor(err error) websocket.StatusCode {
	if s := websocket.CloseStatus(err); s != -1 {
		return s
	}
	if isUnmasked(err) {
		return websocket.StatusProtocolError
	}
	return websocket.StatusGoingAway
}

// isUnmasked reports whether err is coder/websocket's refusal of an
// unmasked client frame (RFC 6455 5.1: close with 1002). The library
// returns it without a close frame of its own and without a sentinel, so
// its text is matched (TestUnmaskedClientFrameIsClosedWith1002 notices if
// it changes).
func isUnmasked(err error) bool {
	return err != nil && strings.Contains(err.Error(), "received unmasked frame from client")
}
