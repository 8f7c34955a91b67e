package signaling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// Media is what the ringing side needs from the media side (package sfu
// implements it; web/cmd wire it). Both methods must return at once: they
// only queue work.
type Media interface {
	// RemoveParticipant tears down uid's media in the call (e.g. a group
	// member's endCall, which means "I leave": reason left; or the app's
	// backend disabling them: ended_by_admin); uid and the others hear it
	// with reason.
	RemoveParticipant(sessionID, uid, reason string)
	// EndCall tears down every participant's media in the call and tells them
	// callEnded with the reason.
	EndCall(sessionID, reason string)
}

// Deps are the Hub's collaborators.
type Deps struct {
	Store   store.Store
	Tokens  *tokens.Issuer
	Media   Media                 // may be nil until the media side is wired
	Log     *slog.Logger          // nil: discard
	Now     func() time.Time      // nil: time.Now (ignored when Clock is set)
	Clock   Clock                 // nil: real time (from Now)
	Metrics prometheus.Registerer // nil: no metrics
	// Notifier, if set, hears every call's hooks (pushes, webhooks).
	Notifier Notifier
	// Cluster, if set, shares busy state, devices and calls with other nodes.
	Cluster Cluster
	// Devices, if set, says whether uid has a push target: a 1:1 callee
	// with no socket and no push target makes the Call unreachable.
	Devices func(ctx context.Context, uid string) (bool, error)
	// PushKinds, if set, says whether the server sends pushes of a device
	// kind; registering a device of a kind it does not (or of any kind,
	// when nil) is refused, since that device would never ring.
	PushKinds func(kind string) bool
	// PushOffline: pushes go only to devices without a live socket
	// (push.policy offline-only, a provider configured). A socket bound to
	// a push target is then asked whether it runs when a call rings it,
	// and a device whose socket goes while a call rings it is pushed
	// (asleep.go).
	PushOffline bool
	// Outbox, if set, has its items stored by the call writer, in the
	// transactions of the call snapshots (see OutboxQueue).
	Outbox OutboxQueue
	// StorePing, if set, checks that the store's database answers
	// (store.Pinger): set it for a database that is a server of its own
	// (PostgreSQL), which can go away while no call is saved. The hub
	// pings it every few seconds, and at once when a read failed; while it
	// does not answer, the hub is degraded (ReasonStoreUnreachable).
	// nil (SQLite): only failing saves make the hub degraded.
	StorePing func(ctx context.Context) error
}

// Hub owns every call's ringing state and every /v1/ws connection. See
// doc.go for its concurrency rules.
type Hub struct {
	cfg       Config
	st        store.Store
	tok       *tokens.Issuer
	log       *slog.Logger
	probe     *storeProbe // nil: the store is not pinged (SQLite)
	clock     Clock
	metrics   *metrics
	reg       *registry
	out       delivery
	names     *userNames
	announcer *announcer
	writer    *callWriter
	handlers  map[string]handler
	media     atomic.Pointer[mediaRef]
	notifier  Notifier
	cluster   Cluster
	devices   func(ctx context.Context, uid string) (bool, error)
	pushKinds func(kind string) bool
	pushOff   bool         // Deps.PushOffline
	active    atomic.Int64 // ringing + ongoing calls, for ActiveCalls
	replies   atomic.Int64 // durable replies waiting for their commit (commandWith)
	draining  atomic.Bool  // StartDrain was called: initiateCall is refused
	nextConn  atomic.Uint64

	cmds     chan func()   // work for the loop
	stop     chan struct{} // closed by Close to end the loop
	loopDone chan struct{} // closed when the loop has returned

	// mu guards closed, stopped, waiting and Adds to the WaitGroups.
	mu      sync.Mutex
	closed  bool           // no new connections
	stopped bool           // no new work for the loop
	waiting []func()       // work that found cmds full, oldest first (enqueue)
	serving sync.WaitGroup // Serve calls in progress
	bg      sync.WaitGroup // the goroutine feeding waiting to the loop
	probes  sync.WaitGroup // probeRing's pings

	// groupOf is the guid of each live group call, by session id: written
	// on the loop, read by an accept's membership check before it.
	groupOf sync.Map
	// locked holds the uids disabled by the app's backend that this node
	// has been told of (uid -> *lockEntry; DisableUser, EnableUser): the
	// loop refuses their calls and answers, RegisterDevice their push
	// targets. It orders a request already past the web layer's store
	// check against the disable: either it ran before the disable's sweep
	// of their calls (and is swept), or it is refused.
	locked sync.Map

	// Owned by the loop goroutine.
	m            *machine
	timers       map[string]Timer // ring timers by session id
	lim          *limiter
	presence     map[string]*presenceEntry
	inMedia      map[string]map[string]bool // users in a live call's media, by session id (media hooks)
	clusterBusy  map[string]bool            // cluster: users busy in a call this node runs
	origin       uint64                     // id of the connection whose request is being handled
	originDevice deviceRef                  // the device whose request is being handled, if it named its push target
	remote       remoteOrigin               // the device of a forwarded command (cluster)
	ops          uint64
	rendered     *call // the call whose JSON is in renderedJSON (this loop task)
	renderedJSON []byte
}

type mediaRef struct{ Media }

// New starts the Hub (its owner goroutine). It closes calls a previous run
// left open in the store.
func New(ctx context.Context, cfg Config, deps Deps) (*Hub, error) {
	if deps.Store == nil || deps.Tokens == nil {
		return nil, errors.New("signaling: Deps.Store and Deps.Tokens are required")
	}
	if cfg.RingTimeout <= 0 {
		cfg.RingTimeout = DefaultConfig().RingTimeout
	}
	if cfg.MaxRingTimeout > 0 && cfg.MaxRingTimeout < cfg.RingTimeout {
		return nil, fmt.Errorf("signaling: max_ring_timeout %v is below ring_timeout %v", cfg.MaxRingTimeout, cfg.RingTimeout)
	}
	log := deps.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	clock := deps.Clock
	if clock == nil {
		clock = realClock{now: deps.Now}
	}
	met, err := newMetrics(deps.Metrics)
	if err != nil {
		return nil, fmt.Errorf("signaling: registering metrics: %w", err)
	}
	var leftOpen []store.Call
	if deps.Cluster == nil { // in a cluster other nodes' calls are open: lost nodes are swept instead
		leftOpen, err = deps.Store.CloseOpenCalls(ctx, protocol.ReasonServerRestart, clock.Now())
		if err != nil {
			return nil, fmt.Errorf("signaling: closing calls left open by the last run: %w", err)
		}
		if len(leftOpen) > 0 {
			log.Info("closed calls left open by the last run", "calls", len(leftOpen), "reason", protocol.ReasonServerRestart)
		}
	}
	h := &Hub{
		cfg: cfg, st: deps.Store, tok: deps.Tokens, log: log, clock: clock, metrics: met,
		reg: newRegistry(), cmds: make(chan func(), 1024),
		stop: make(chan struct{}), loopDone: make(chan struct{}),
		m: newMachine(cfg), timers: make(map[string]Timer),
		lim: newLimiter(cfg.InitiateRate, cfg.InitiateBurst), presence: make(map[string]*presenceEntry),
		clusterBusy: make(map[string]bool), inMedia: make(map[string]map[string]bool),
	}
	h.out = h.reg
	h.notifier, h.devices, h.cluster, h.pushKinds = deps.Notifier, deps.Devices, deps.Cluster, deps.PushKinds
	h.pushOff = deps.PushOffline && deps.Notifier != nil
	h.m.hooks = deps.Notifier != nil
	h.names = newUserNames(deps.Store, clock.Now)
	for _, r := range leftOpen { // their webhooks (call.ended / call.cancelled, server_restart) and stop pushes
		h.notifyClosed(ctx, r)
	}
	h.announcer = newAnnouncer(h.out)
	h.handlers = handlerTable()
	health := newStoreHealth(func(bad bool) { met.storeDegraded.Set(b2f(bad)) })
	h.writer = newCallWriter(deps.Store, log, met.saveErrors.Inc, health)
	h.probe = newStoreProbe(deps.StorePing, health, log, clock)
	if deps.Outbox != nil {
		h.writer.storeOutbox(deps.Outbox)
	}
	if deps.Media != nil {
		h.SetMedia(deps.Media)
	}
	go h.loop()
	return h, nil
}

// SetMedia wires the media side after construction (the two refer to each other).
func (h *Hub) SetMedia(m Media) { h.media.Store(&mediaRef{m}) }

func (h *Hub) loop() {
	defer close(h.loopDone)
	for {
		select {
		case f := <-h.cmds:
			f()
			h.rendered, h.renderedJSON = nil, nil // a rendering serves one task: the next may change the call first
		case <-h.stop:
			return
		}
	}
}

// run executes f on the loop and waits for it.
func (h *Hub) run(f func()) error {
	done := make(chan struct{})
	if !h.enqueue(func() { f(); close(done) }) {
		return ErrClosed
	}
	select {
	case <-done:
		return nil
	case <-h.loopDone: // the loop runs every function it takes before it returns
		select {
		case <-done:
			return nil
		default:
			return ErrClosed // queued but never taken
		}
	}
}

// post queues f for the loop without blocking the caller.
func (h *Hub) post(f func()) { h.enqueue(f) }

// enqueue hands f to the loop without blocking, in the order of the calls:
// straight into the loop's channel while nothing waits for room in it,
// else behind what waits, which one goroutine (feed) moves into the
// channel. False once the hub has stopped.
func (h *Hub) enqueue(f func()) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped {
		return false
	}
	if len(h.waiting) == 0 {
		select {
		case h.cmds <- f:
			return true
		default:
		}
	}
	h.waiting = append(h.waiting, f)
	if len(h.waiting) == 1 {
		h.bg.Add(1)
		go h.feed()
	}
	return true
}

// feed moves the waiting work into the loop's channel, oldest first. An
// item leaves waiting only once it is in the channel, so nothing enqueued
// meanwhile overtakes it.
func (h *Hub) feed() {
	defer h.bg.Done()
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.waiting) > 0 {
		f := h.waiting[0]
		h.mu.Unlock()
		select {
		case h.cmds <- f:
		case <-h.loopDone: // stopped: what waits is never run
			h.mu.Lock()
			clear(h.waiting)
			h.waiting = h.waiting[:0]
			return
		}
		h.mu.Lock()
		h.waiting[0] = nil
		h.waiting = h.waiting[1:]
	}
}

// Serve runs one authenticated /v1/ws connection until it closes. web has
// already verified the auth token and upgraded the connection.
func (h *Hub) Serve(ctx context.Context, ws *websocket.Conn, user tokens.Claims) {
	done := make(chan struct{})
	h.Start(ctx, ws, user, func() { close(done) })
	<-done
}

// Start is Serve without the wait: it records the user and registers the
// connection (its "connected" event queued), then serves it on a goroutine
// of its own and returns, so the caller's goroutine (an HTTP handler, with
// its grown stack and request state) can end while the connection lives
// on in a small one. done is called once the connection has ended (at once
// if it was refused). ctx must outlive the connection: not the context of
// an HTTP request, which ends when its handler returns.
func (h *Hub) Start(ctx context.Context, ws *websocket.Conn, user tokens.Claims, done func()) {
	c := h.open(ctx, ws, user)
	if c == nil {
		done()
		return
	}
	go h.serve(c, done)
}

// open admits and registers a connection, or closes ws and returns nil.
func (h *Hub) open(ctx context.Context, ws *websocket.Conn, user tokens.Claims) *conn {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		_ = ws.Close(websocket.StatusGoingAway, "server shutting down")
		return nil
	}
	h.serving.Add(1)
	h.mu.Unlock()
	if !h.reg.reserve(user.UID, h.cfg.MaxConnectionsPerUser) {
		h.serving.Done()
		h.log.Info("connect refused: too many connections", "uid", user.UID, "max", h.cfg.MaxConnectionsPerUser)
		_ = ws.Close(websocket.StatusPolicyViolation, "too many connections for this user")
		return nil
	}
	u, err := h.EnsureUser(ctx, user)
	if err != nil || u.Disabled || h.isLocked(user.UID) {
		h.reg.release(user.UID)
		h.serving.Done()
		if err != nil {
			h.log.Error("connect: user lookup failed", "uid", user.UID, "err", err)
			_ = ws.Close(websocket.StatusInternalError, "user lookup failed")
		} else { // disabled since the web layer looked
			_ = ws.Close(websocket.StatusPolicyViolation, closeReason)
		}
		return nil
	}
	// Other nodes know this device before it hears "connected" (register),
	// and the cap counts the cluster's devices of the user, not this node's.
	if h.cluster != nil && !h.cluster.ReserveDevice(user.UID, h.cfg.MaxConnectionsPerUser) {
		h.reg.release(user.UID)
		h.serving.Done()
		h.log.Info("connect refused: too many connections on the cluster's nodes", "uid", user.UID, "max", h.cfg.MaxConnectionsPerUser)
		_ = ws.Close(websocket.StatusPolicyViolation, "too many connections for this user")
		return nil
	}
	c := &conn{hub: h, ctx: ctx, id: h.nextConn.Add(1), uid: user.UID, name: u.Name, avatar: u.Avatar,
		ws: protocol.NewConn(ws, h.connOptions())}
	h.register(c)
	if h.cluster != nil && h.cluster.Up() { // (while Redis is down no other node's call can be asked for)
		h.ringFromElsewhere(ctx, c)
	}
	return c
}

// Admit reports whether uid may open one more /v1/ws connection: web asks
// before the upgrade, so a refusal is a plain HTTP error (rate_limited);
// open enforces the cap again, atomically, for connections that race.
func (h *Hub) Admit(uid string) error {
	if h.reg.full(uid, h.cfg.MaxConnectionsPerUser) {
		return h.tooManyConns(uid)
	}
	if h.cluster != nil && h.cfg.MaxConnectionsPerUser > 0 && h.cluster.Up() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if n, err := h.cluster.DeviceCount(ctx, uid); err == nil && n >= h.cfg.MaxConnectionsPerUser {
			return h.tooManyConns(uid)
		}
	}
	return nil
}

func (h *Hub) tooManyConns(uid string) error {
	return fmt.Errorf("%w: user %s has %d open connections (ringing.max_connections_per_user); close one first",
		ErrTooManyConns, uid, h.cfg.MaxConnectionsPerUser)
}

// connOptions are the flow limits of a /v1/ws connection.
func (h *Hub) connOptions() protocol.Options {
	return protocol.Options{ReadLimit: h.cfg.MaxFrameBytes, MaxQueueBytes: h.cfg.MaxQueueBytes,
		RequestRate: noLimitIfZero(h.cfg.RequestRate), RequestBurst: h.cfg.RequestBurst}
}

// noLimitIfZero maps a config rate (0: no limit) to protocol.Options' (< 0).
func noLimitIfZero(rate float64) float64 {
	if rate == 0 {
		return -1
	}
	return rate
}

// serve reads c until it closes, then unregisters it.
func (h *Hub) serve(c *conn, done func()) {
	err := c.ws.Run(c.ctx, c.handle)
	h.log.Debug("ws closed", "uid", c.uid, "conn", c.id, "err", err)
	h.reg.remove(c)
	h.reg.release(c.uid)
	device := c.device.Load()
	if h.cluster != nil {
		h.bindDevice(c, nil) // before the device count: the sweep finds a bound socket's user by it
		h.cluster.DeviceGone(c.uid)
		h.watchEnded(c)
	}
	if device != nil {
		h.socketLostMidRing(c.uid, *device)
	}
	h.metrics.conns.Dec()
	h.post(func() { h.disconnected(c.uid) })
	h.serving.Done()
	done()
}

// register makes c reachable and tells the client so. On the loop, in one
// step: presence counts the device, the registry adds it, and "connected"
// is queued as its first frame; no event of the loop can come between, and
// a call placed once the client has read "connected" finds the device.
func (h *Hub) register(c *conn) {
	hello := protocol.Message{Event: protocol.EventConnected, Data: connectedData(c.uid, c.name, c.avatar)}
	h.metrics.conns.Inc() // before "connected": a client that has it sees itself counted
	if h.run(func() {
		h.connected(c.uid, c.name)
		h.reg.add(c)
		_ = c.ws.Send(hello)
		h.ringOnConnect(c)
	}) != nil {
		h.reg.add(c) // the loop has stopped: Close is under way
	}
	if h.isClosed() { // Close may have run closeAll before the add
		c.ws.Close(websocket.StatusGoingAway, "server shutting down")
	}
}

// connectedData renders {"user":{"uid":...,"name":...,"avatar":...}}.
func connectedData(uid, name, avatar string) json.RawMessage {
	b, _ := json.Marshal(protocol.Connected{User: protocol.Self{UID: uid, Name: name, Avatar: avatar}})
	return b
}

func (h *Hub) isClosed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}

// EnsureUser records the user of a token (on connect, and on the HTTPS
// endpoints that may be a user's first request) and returns them as stored
// (with whether they are disabled); the display name is the token's if it
// carries a valid one, else the stored one, else uid.
func (h *Hub) EnsureUser(ctx context.Context, user tokens.Claims) (store.User, error) {
	var u store.User
	var err error
	if user.Name != "" && store.ValidateName("name", user.Name) == nil {
		u, err = h.st.UpsertUser(ctx, store.User{UID: user.UID, Name: user.Name})
		if err != nil { // the store cannot write (disk full): a known user still connects
			if known, gerr := h.st.GetUser(ctx, user.UID); gerr == nil {
				h.log.Warn("connect: could not record the token's name; using the stored one", "uid", user.UID, "err", err)
				u, err = known, nil
			}
		}
	} else {
		u, err = h.st.GetUser(ctx, user.UID)
		if errors.Is(err, store.ErrNotFound) {
			u, err = h.st.UpsertUser(ctx, store.User{UID: user.UID, Name: user.UID})
		}
	}
	if err == nil {
		h.names.set(u)
	}
	return u, err
}

// CanJoin reports whether uid may open media for sessionID now: the call is
// ongoing and uid has accepted it (and not left). It returns a *protocol.Error
// (not_found, forbidden, invalid_state) otherwise.
func (h *Hub) CanJoin(sessionID, uid string) error {
	var err error
	if e := h.run(func() { err = h.m.canJoin(sessionID, uid) }); e != nil {
		err = e
	}
	if err = h.canJoinRemote(sessionID, uid, err); err != nil {
		return protocol.AsError(err)
	}
	return nil
}

// MediaLeft is called by the media side when uid left the call's media for
// good: the same as endCall by uid, with reason protocol.ReasonEnded (a
// leave) or protocol.ReasonDisconnected (their media vanished: the same
// reason as the reconnect grace expiring, so a vanished 1:1 call ends one
// way whichever timer fires first). Never blocks.
func (h *Hub) MediaLeft(sessionID, uid, reason string) {
	if reason != protocol.ReasonDisconnected {
		reason = protocol.ReasonEnded
	}
	h.post(func() {
		h.mediaOut(sessionID, uid)
		if _, err := h.m.end(h.clock.Now(), sessionID, uid, reason); err == nil {
			h.apply()
		}
	})
}

// MediaJoined is called by the media side when uid joined the call's
// media: until MediaLeft, the reconnect grace of their /v1/ws leaves the
// call alone. Nothing for a call this node does not run. Never blocks.
func (h *Hub) MediaJoined(sessionID, uid string) {
	h.post(func() {
		if c := h.m.calls[sessionID]; c == nil || c.terminal() {
			return
		}
		if h.inMedia[sessionID] == nil {
			h.inMedia[sessionID] = map[string]bool{}
		}
		h.inMedia[sessionID][uid] = true
	})
}

// mediaOut forgets that uid is in the call's media (on the loop).
func (h *Hub) mediaOut(sessionID, uid string) {
	if in := h.inMedia[sessionID]; in != nil {
		delete(in, uid)
		if len(in) == 0 {
			delete(h.inMedia, sessionID)
		}
	}
}

// MediaEndCall is endCall sent on /v1/rtc by uid. It waits only for the
// hub loop (no I/O) and returns a *protocol.Error if uid may not end the call.
func (h *Hub) MediaEndCall(sessionID, uid string) error {
	var err error
	if e := h.run(func() {
		if _, err = h.m.end(h.clock.Now(), sessionID, uid, protocol.ReasonEnded); err == nil {
			h.apply()
		}
	}); e != nil {
		err = e
	}
	if err != nil {
		return protocol.AsError(err)
	}
	return nil
}

// Degraded returns why the hub cannot take new calls although it runs:
// the reason (ReasonStoreFailing: the store cannot save calls;
// ReasonStoreUnreachable: its database does not answer) and the store's
// own error, or "" and "" when all is well. /healthz reports it.
func (h *Hub) Degraded() (reason, detail string) { return h.writer.Degraded() }

// CheckStore is told that a request found the store unavailable (the admin
// API): the database is pinged at once (Deps.StorePing), so that the hub
// is degraded now rather than at the next periodic ping. Without
// StorePing it does nothing.
func (h *Hub) CheckStore() { h.probe.check() }

// ActiveCalls is how many calls are ringing or ongoing (drain waits for 0).
func (h *Hub) ActiveCalls() int { return int(h.active.Load()) }

// repliesWait bounds how long Close waits for durable replies in flight.
const repliesWait = 5 * time.Second

// sendPendingReplies lets the durable replies of commands already applied
// go out before the sockets close: such a reply leaves once its change is
// committed, and a drain ends as soon as the last call's end is applied
// (ActiveCalls 0), so closing at once cut the end's reply and its client
// saw the connection close on an end that happened. The loop is passed
// once first, so a command it is running has counted its reply.
func (h *Hub) sendPendingReplies() {
	_ = h.run(func() {})
	deadline := time.Now().Add(repliesWait)
	for h.replies.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond) // a commit takes a few ms; Close runs once
	}
}

// Close stops accepting, closes every connection, ends the calls still
// live (reason server_shutdown), writes the call log and stops the loop.
func (h *Hub) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	h.mu.Unlock()
	h.sendPendingReplies()
	h.reg.closeAll(websocket.StatusGoingAway, "server shutting down")
	h.serving.Wait()
	h.probes.Wait() // their sockets are closed: each returns at once
	_ = h.run(func() {
		h.m.shutdown(h.clock.Now(), protocol.ReasonServerShutdown)
		h.apply()
		h.stopTimers()
	})
	h.mu.Lock()
	h.stopped = true
	h.mu.Unlock()
	close(h.stop)
	<-h.loopDone
	h.bg.Wait()
	h.announcer.stop()
	h.probe.stop()
	h.writer.stop()
	return nil
}
