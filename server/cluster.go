package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-rtc/switchboard/cluster"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
	"github.com/switchboard-rtc/switchboard/signaling"
)

// clusterQueue bounds the Redis writes waiting to be sent (releases,
// device counts, deliveries); beyond it they are dropped and logged.
const (
	clusterQueue   = 4096
	forwardTimeout = 5 * time.Second
)

// clusterLink connects the hub to the other nodes: it implements
// signaling.Cluster on a cluster.Node and handles what the node receives.
// Writes the hub must not wait for go through one goroutine, in order.
type clusterLink struct {
	node *cluster.Node
	log  *slog.Logger
	hub  atomic.Pointer[signaling.Hub]
	sfu  *sfu.Server

	// mu guards pins (media node of each call this node owns) and last
	// (the pin of the call released last: see unpin).
	mu   sync.Mutex
	pins map[string]string
	last [2]string

	queue chan linkOp
	// batch and batched are the writes taken from queue and not sent yet
	// (owned by the run goroutine).
	batch   *cluster.Batch
	batched []linkOp
	unsent  atomic.Int64 // ops queued and not done yet (flush waits for them)
	stop    chan struct{}
	wg      sync.WaitGroup

	// staleMu guards stale: users whose device counts (sb:dev, sb:bound) a
	// failed write left wrong in Redis, set again from the hub's sockets
	// (retryCounts) until a write succeeds; retrying: a retry is pending.
	staleMu  sync.Mutex
	stale    map[string]bool
	retrying bool

	// hubSet is closed once hub is set (setHub). lostMu guards lostCalls:
	// the calls of lost nodes (a survivor's sweep, or this node's own last
	// run) not ended yet; lostWake tells endingLost, the goroutine that
	// ends them, so that the sweep (on the node's keepalive) never waits on
	// the store or another node (it would miss renewals and this live node
	// would be taken for lost), and calls taken before the hub exists are
	// kept for it.
	hubSet    chan struct{}
	lostMu    sync.Mutex
	lostCalls []lostBatch
	lostWake  chan struct{}
}

// lostBatch is one report of Deps.Lost.
type lostBatch struct {
	node  string
	calls []cluster.LostCall
}

// linkOp is one queued piece of work: a write that joins the batch sent
// at the next round trip (add), or work that runs alone once the writes
// queued before it are sent (run).
type linkOp struct {
	what string
	add  func(*cluster.Batch)
	fail func(error) // add's error, if any (nil: logged with what)
	run  func(context.Context)
}

// maxBatch bounds the writes sent in one round trip.
const maxBatch = 128

func newClusterLink(log *slog.Logger, media *sfu.Server) *clusterLink {
	l := &clusterLink{log: log, sfu: media, pins: make(map[string]string),
		queue: make(chan linkOp, clusterQueue), stop: make(chan struct{}),
		hubSet: make(chan struct{}), lostWake: make(chan struct{}, 1)}
	l.wg.Add(2)
	go l.run()
	go l.endingLost()
	return l
}

// setHub gives the link its hub, once: the lost calls kept until then are
// ended now.
func (l *clusterLink) setHub(h *signaling.Hub) {
	l.hub.Store(h)
	close(l.hubSet)
}

func (l *clusterLink) run() {
	defer l.wg.Done()
	for {
		select {
		case op := <-l.queue:
			l.take(op, forwardTimeout)
		case <-l.stop:
			select { // what is queued still goes out
			case op := <-l.queue:
				l.take(op, time.Second)
			default:
			}
			return
		}
	}
}

// take runs op and what is queued behind it, the writes sent together (up
// to maxBatch in one round trip). On the run goroutine.
func (l *clusterLink) take(op linkOp, limit time.Duration) {
	for {
		if op.add != nil {
			if l.batch == nil {
				l.batch = l.node.NewBatch()
			}
			op.add(l.batch)
			l.batched = append(l.batched, op)
		} else {
			l.send(limit)
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			op.run(ctx)
			cancel()
			l.unsent.Add(-1)
		}
		if len(l.batched) >= maxBatch {
			l.send(limit)
		}
		select {
		case op = <-l.queue:
		default:
			l.send(limit)
			return
		}
	}
}

// send sends the batched writes and logs those that failed.
func (l *clusterLink) send(limit time.Duration) {
	if len(l.batched) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for i, err := range l.batch.Exec(ctx) {
		switch op := l.batched[i]; {
		case err == nil:
		case op.fail != nil:
			op.fail(err)
		default:
			l.log.Warn("cluster: write failed", "what", op.what, "err", err)
		}
	}
	l.unsent.Add(-int64(len(l.batched)))
	clear(l.batched)
	l.batched = l.batched[:0]
}

func (l *clusterLink) enqueue(what string, f func(context.Context)) {
	_ = l.push(linkOp{what: what, run: f})
}

// write queues a write that joins the next batch.
func (l *clusterLink) write(what string, add func(*cluster.Batch), fail func(error)) {
	_ = l.push(linkOp{what: what, add: add, fail: fail})
}

func (l *clusterLink) push(op linkOp) bool {
	l.unsent.Add(1)
	select {
	case l.queue <- op:
		return true
	default:
		l.unsent.Add(-1)
		l.log.Warn("cluster: queue full: dropped", "what", op.what)
		if op.fail != nil { // a write that is tried again (writeAgain) or set again (counts) is
			op.fail(errQueueFull)
		}
		return false
	}
}

// flush waits until what is queued now has been sent; false if nothing
// was queued or on its way (taken into a batch not answered yet), or ctx
// ended first.
func (l *clusterLink) flush(ctx context.Context) bool {
	if l.unsent.Load() == 0 {
		return false
	}
	done := make(chan struct{})
	l.enqueue("flush", func(context.Context) { close(done) })
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	case <-l.stop:
		return false
	}
}

// close sends what is queued, then stops.
func (l *clusterLink) close() {
	close(l.stop)
	l.wg.Wait()
}

func (l *clusterLink) Up() bool { return l.node.Up() }

func (l *clusterLink) Claim(ctx context.Context, sid string, users []string, devicesOf string, key signaling.RetryKey) (signaling.Claimed, error) {
	// A user (the caller redialling, or a callee) may be busy only
	// because the release of a call that ended here was still queued when
	// the claim ran: then, once what was queued is sent, claim again. The
	// release may have gone out while the claim ran (nothing queued any
	// more when it answers), so what counts is whether anything was
	// queued before it.
	queued := l.unsent.Load() > 0
	req := clusterRequest(key)
	c, err := l.node.ClaimLooking(ctx, sid, "", false, users, devicesOf, req)
	if err == nil && c.Retried.SessionID == "" && c.RetryAfter == 0 && len(c.Busy) > 0 && (l.flush(ctx) || queued) {
		req.Rate = 0 // the first claim took the caller's token
		c, err = l.node.ClaimLooking(ctx, sid, "", false, users, devicesOf, req)
	}
	if err == nil && c.Media.Node != "" {
		l.pin(sid, c.Media.Node)
	}
	if errors.Is(err, cluster.ErrNoMediaNode) {
		// Redis answered: the nodes it lists are all role signal, or none.
		err = fmt.Errorf("%w: every live node is role signal (the media nodes are stopped or lost); calls in progress go on", signaling.ErrNoMediaNode)
	}
	if err != nil && !errors.Is(err, cluster.ErrSettling) && !errors.Is(err, signaling.ErrNoMediaNode) {
		l.log.Warn("cluster: claiming a new call failed", "session", sid, "err", err)
		err = errors.New("no new calls until it is back; calls in progress go on") // the cause (an address, perhaps) is in the log
	}
	return signaling.Claimed{Busy: c.Busy, MediaURL: c.Media.URL, Devices: c.Devices,
		Retried: signaling.Placed{SessionID: c.Retried.SessionID, Node: c.Retried.Node}, RetryAfter: c.RetryAfter}, err
}

// clusterRequest is key as package cluster records it.
func clusterRequest(key signaling.RetryKey) cluster.Request {
	return cluster.Request{Caller: key.Caller, ID: key.ID, TTL: key.TTL, Renew: key.Renew, Rate: key.Rate, Burst: key.Burst}
}

func (l *clusterLink) Release(sid string, users []string) {
	l.unpin(sid)
	l.writeAgain("release", func(b *cluster.Batch) { b.Release(sid, users) }, "session", sid)
}

// writeAgain queues a write that, should Redis not take it (an outage, or
// the link's queue full), is queued again every countsRetry until it does,
// for up to writeRetries: a call's release, an unlink. Done again they free
// nothing else, and their order does not matter (each is one call's), so
// a late one changes nothing but what was missed: the users of a call
// that ended during a short outage are free once Redis answers. Before,
// they stayed busy until the owning node died. Deliveries are not sent
// again: a late event would come after later ones (an incomingCall after
// its incomingCallCancelled).
func (l *clusterLink) writeAgain(what string, add func(*cluster.Batch), args ...any) {
	l.writeTry(what, add, args, 0)
}

func (l *clusterLink) writeTry(what string, add func(*cluster.Batch), args []any, tries int) {
	l.write(what, add, func(err error) {
		if tries == 0 {
			l.log.Warn("cluster: write failed; tried again until Redis answers", append([]any{"what", what, "err", err}, args...)...)
		}
		if tries+1 >= writeRetries {
			l.log.Error("cluster: write failed for good", append([]any{"what", what, "err", err, "tries", tries + 1}, args...)...)
			return
		}
		time.AfterFunc(countsRetry, func() {
			select {
			case <-l.stop:
			default:
				l.writeTry(what, add, args, tries+1)
			}
		})
	})
}

// errQueueFull: the link's queue had no room for a write.
var errQueueFull = errors.New("cluster: the link's queue is full")

// writeRetries bounds writeAgain: five minutes of an outage at countsRetry.
const writeRetries = 300

func (l *clusterLink) PairCall(ctx context.Context, initiator, callee string) string {
	sid, err := l.node.PairCall(ctx, initiator, callee)
	if err != nil {
		l.log.Warn("cluster: looking for glare failed", "err", err)
	}
	return sid
}

func (l *clusterLink) Presence(uid, name, view string) {
	l.write("presence", func(b *cluster.Batch) { b.SetPresence(uid, name, view) }, func(err error) {
		l.log.Warn("cluster: presence not shared", "uid", uid, "err", err)
	})
}

// Watch announces whether the hub has presence watchers; the state is
// read when the write runs, so the last of several changes wins. On waits
// until it is written.
func (l *clusterLink) Watch(ctx context.Context, on bool) {
	done := make(chan struct{})
	queued := l.push(linkOp{what: "watch", run: func(ctx context.Context) {
		defer close(done)
		if err := l.node.SetWatching(ctx, l.watching()); err != nil {
			l.log.Warn("cluster: presence watchers not announced: at the next renewal", "err", err)
		}
	}})
	if !on || !queued {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, forwardTimeout)
	defer cancel()
	select {
	case <-done:
	case <-ctx.Done():
	case <-l.stop:
	}
}

// watching reports whether the hub has presence watchers.
func (l *clusterLink) watching() bool {
	h := l.hub.Load()
	return h != nil && h.Watching()
}

func (l *clusterLink) PresenceOf(ctx context.Context, uids []string) map[string]string {
	m, err := l.node.PresenceOf(ctx, uids)
	if err != nil {
		l.log.Warn("cluster: presence not read: this node's view answers", "err", err)
		return nil
	}
	return m
}

func (l *clusterLink) Unlink(sid, uid string) {
	l.writeAgain("unlink", func(b *cluster.Batch) { b.Unlink(sid, uid) }, "session", sid, "uid", uid)
}

func (l *clusterLink) Deliver(uid string, m protocol.Message, skipNode string, skipConn uint64) {
	frame, err := protocol.Marshal(m) // the wire's encoder (no reflection), as the sockets use
	if err != nil {
		return
	}
	l.write("deliver", func(b *cluster.Batch) { b.Deliver(uid, frame, skipNode, skipConn) }, func(err error) {
		l.log.Warn("cluster: delivery to other nodes failed", "uid", uid, "event", m.Event, "err", err)
	})
}

// DeviceGone is queued: counts commute, and a device's -1 always follows
// its own reservation.
func (l *clusterLink) DeviceGone(uid string) {
	l.write("device", func(b *cluster.Batch) { b.CountDevices(uid, -1) }, func(err error) { l.countsFailed(uid, err) })
}

func (l *clusterLink) ReserveDevice(uid string, max int) bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ok, err := l.node.ReserveDevice(ctx, uid, max)
	if err != nil {
		l.countsFailed(uid, err) // set again from this node's sockets, as a failed +1 is
		return true
	}
	return ok
}

func (l *clusterLink) DeviceCount(ctx context.Context, uid string) (int, error) {
	return l.node.DeviceCount(ctx, uid)
}

func (l *clusterLink) DeviceBound(uid, deviceID string, delta int) {
	if delta > 0 { // as ReserveDevice: a ring placed after the reply finds it
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := l.node.CountBound(ctx, uid, deviceID, delta); err != nil {
			l.countsFailed(uid, err)
		}
		return
	}
	l.write("bound device", func(b *cluster.Batch) { b.CountBound(uid, deviceID, delta) }, func(err error) { l.countsFailed(uid, err) })
}

// countsRetry is how long a failed write of a user's device counts waits
// before they are set again.
const countsRetry = time.Second

// countsFailed notes that uid's device counts in Redis (sb:dev, sb:bound)
// may be wrong after a failed write (a count too high keeps a user looking
// connected: calls wait for a device that is gone, a device gets no push)
// and has them set again, absolutely, a moment later. (A Redis that lost
// its data gets everything again from Resync instead.)
func (l *clusterLink) countsFailed(uid string, err error) {
	l.log.Warn("cluster: a device count not published (Redis down): set again when it answers", "uid", uid, "err", err)
	l.markStale(uid)
}

// markStale adds uids to the users whose counts the next round sets again
// (a second later).
func (l *clusterLink) markStale(uids ...string) {
	l.staleMu.Lock()
	defer l.staleMu.Unlock()
	if l.stale == nil {
		l.stale = make(map[string]bool)
	}
	for _, uid := range uids {
		l.stale[uid] = true
	}
	if !l.retrying {
		l.retrying = true
		time.AfterFunc(countsRetry, l.retryCounts)
	}
}

// retryCounts is one round: the counts of the users noted stale are set
// to what the hub's sockets hold, one queued piece of work in the link's
// queue (after the writes before it); if Redis still does not answer, the
// rest wait for the next round. The hub's socket count and Redis are not
// changed together: a socket of the same user connecting in that very
// moment may be counted once too few until it reconnects.
func (l *clusterLink) retryCounts() {
	l.staleMu.Lock()
	uids := l.stale
	l.stale, l.retrying = nil, false
	l.staleMu.Unlock()
	h := l.hub.Load()
	select {
	case <-l.stop:
		return
	default:
	}
	if h == nil || len(uids) == 0 {
		return
	}
	l.enqueue("device counts again", func(ctx context.Context) {
		for uid := range uids {
			n, bound := h.Sockets(uid)
			if err := errors.Join(l.node.SetDevices(ctx, uid, n), l.node.SetBound(ctx, uid, bound)); err != nil {
				l.markStale(slices.Collect(maps.Keys(uids))...)
				return
			}
			delete(uids, uid)
		}
		l.log.Info("cluster: device counts set again after Redis answered")
	})
}

func (l *clusterLink) BoundDevices(ctx context.Context, uid string) (map[string]bool, error) {
	return l.node.BoundDevices(ctx, uid)
}

func (l *clusterLink) DevicesElsewhere(ctx context.Context, uid string) (bool, error) {
	nodes, err := l.node.NodesOf(ctx, uid)
	for _, n := range nodes {
		if n != l.node.ID() { // this node's own count may still be on its way
			return true, err
		}
	}
	return false, err
}

func (l *clusterLink) RingingNodes(ctx context.Context) ([]string, error) {
	nodes, err := l.node.Nodes(ctx)
	var ids []string
	for _, n := range nodes {
		if n.Role != cluster.RoleMedia {
			ids = append(ids, n.ID)
		}
	}
	return ids, err
}

func (l *clusterLink) CallsOf(ctx context.Context, uid string) ([]string, error) {
	return l.node.CallsOf(ctx, uid)
}

func (l *clusterLink) Forward(ctx context.Context, c signaling.Command) (json.RawMessage, bool, error) {
	if l.owns(c.SessionID) {
		return nil, false, nil // claimed here and not released: this node runs it
	}
	ctx, cancel := context.WithTimeout(ctx, forwardTimeout)
	defer cancel()
	r, owner, err := l.node.RequestOwner(ctx, cluster.Envelope{Method: c.Method, UID: c.UID, SessionID: c.SessionID,
		Params: c.Params, Conn: c.Conn})
	if owner == "" && err != nil { // Redis did not answer: which node runs the call is unknown
		return nil, true, protocol.Errorf(protocol.CodeUnavailable, "cannot tell which node runs call %s (the cluster's shared state is unavailable): %v", c.SessionID, err)
	}
	if owner == "" {
		return nil, false, nil // not another node's call: answered here
	}
	if err != nil {
		return nil, true, protocol.Errorf(protocol.CodeUnavailable, "the node that owns call %s did not answer: %v", c.SessionID, err)
	}
	res, err := answer(r)
	return res, true, err
}

// answer is a forwarded command's reply as the hub takes it.
func answer(r cluster.Envelope) (json.RawMessage, error) {
	if r.ErrCode != "" {
		return nil, &protocol.Error{Code: r.ErrCode, Message: r.ErrText}
	}
	return r.Result, nil
}

// Tell queues c for the node that owns its call, which runs it and
// answers nothing.
func (l *clusterLink) Tell(c signaling.Command) {
	l.write("tell", func(b *cluster.Batch) {
		b.Tell(cluster.Envelope{Method: c.Method, UID: c.UID, SessionID: c.SessionID, Params: c.Params, Conn: c.Conn})
	}, func(err error) {
		l.log.Warn("cluster: a command for another node's call was not sent", "method", c.Method, "session", c.SessionID, "err", err)
	})
}

func (l *clusterLink) ForwardTo(ctx context.Context, node string, c signaling.Command) (json.RawMessage, bool, error) {
	if node == l.node.ID() {
		return nil, false, nil
	}
	ctx, cancel := context.WithTimeout(ctx, forwardTimeout)
	defer cancel()
	r, err := l.node.Request(ctx, node, cluster.Envelope{Method: c.Method, UID: c.UID, SessionID: c.SessionID,
		Params: c.Params, Conn: c.Conn})
	if err != nil {
		return nil, true, protocol.Errorf(protocol.CodeUnavailable, "node %s did not answer: %v", node, err)
	}
	res, err := answer(r)
	return res, true, err
}

// receive handles an envelope from another node (the bus goroutine):
// deliveries at once, commands on a goroutine of their own (the owner's
// loop may take a moment, the bus must keep reading).
func (l *clusterLink) receive(e cluster.Envelope) {
	h := l.hub.Load()
	if h == nil {
		return
	}
	switch e.Kind {
	case cluster.KindDeliver:
		var m protocol.Message
		if err := json.Unmarshal(e.Frame, &m); err == nil {
			h.DeliverLocal(e.UID, m, e.SkipConn(l.node.ID()))
		}
	case cluster.KindMedia:
		l.receiveMedia(e)
	case cluster.KindPresence:
		h.PresenceChanged(e.UID, e.Name, e.Status)
	case cluster.KindCommand:
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), forwardTimeout)
			defer cancel()
			res, err := h.RunForwarded(ctx, signaling.Command{Method: e.Method, UID: e.UID, SessionID: e.SessionID,
				Params: e.Params, Node: e.From, Conn: e.Conn, Told: e.ID == ""})
			if e.ID == "" { // told (Tell): nobody waits for an answer
				return
			}
			code, text := "", ""
			if err != nil {
				pe := protocol.AsError(err)
				code, text = pe.Code, pe.Message
			}
			l.write("reply", func(b *cluster.Batch) { b.Reply(e, res, code, text) }, nil)
		}()
	}
}

// lost ends the calls of a lost node this node swept: for a call it
// owned, its log, its users' devices here and on the other nodes, and its
// media (here or on its media node); a call whose media it hosted is ended
// by its owner (asked here).
func (l *clusterLink) lost(node string, calls []cluster.LostCall) {
	if len(calls) == 0 {
		return
	}
	l.lostMu.Lock()
	l.lostCalls = append(l.lostCalls, lostBatch{node, calls})
	l.lostMu.Unlock()
	select {
	case l.lostWake <- struct{}{}:
	default: // already told
	}
}

// endingLost ends the calls lost reports, once the hub is set.
func (l *clusterLink) endingLost() {
	defer l.wg.Done()
	select {
	case <-l.hubSet:
	case <-l.stop:
		return
	}
	for {
		l.lostMu.Lock()
		batches := l.lostCalls
		l.lostCalls = nil
		l.lostMu.Unlock()
		for _, b := range batches {
			l.endLost(l.hub.Load(), b.node, b.calls)
		}
		select {
		case <-l.lostWake:
		case <-l.stop:
			return
		}
	}
}

// endLost ends the calls of lost node: those it owned, and (for their
// owner) those whose media it hosted.
func (l *clusterLink) endLost(h *signaling.Hub, node string, calls []cluster.LostCall) {
	for _, c := range calls {
		ctx, cancel := context.WithTimeout(context.Background(), forwardTimeout)
		var err error
		if c.Owner == node {
			err = l.endLostOwned(ctx, h, c)
		} else {
			err = l.endLostMedia(ctx, h, c)
		}
		cancel()
		if err != nil {
			l.log.Error("cluster: ending a lost node's call failed", "lost", node, "session", c.SessionID, "err", err)
		}
	}
}

func (l *clusterLink) endLostOwned(ctx context.Context, h *signaling.Hub, c cluster.LostCall) error {
	msg, err := h.EndLost(ctx, c.SessionID, c.Users)
	if err != nil {
		return err
	}
	for _, u := range c.Users {
		l.Deliver(u, msg, "", 0)
	}
	if c.Media != "" && c.Media != l.node.ID() {
		params, _ := json.Marshal(reason{protocol.ReasonNodeLost})
		return l.node.Send(ctx, c.Media, cluster.Envelope{Kind: cluster.KindMedia, Method: cluster.MediaEnd, SessionID: c.SessionID, Params: params})
	}
	return nil
}

func (l *clusterLink) endLostMedia(ctx context.Context, h *signaling.Hub, c cluster.LostCall) error {
	if c.Owner == l.node.ID() {
		return h.EndMediaLost(c.SessionID)
	}
	r, err := l.node.Request(ctx, c.Owner, cluster.Envelope{Method: signaling.ForwardMediaLost, SessionID: c.SessionID})
	if err == nil && r.ErrCode != "" {
		err = &protocol.Error{Code: r.ErrCode, Message: r.ErrText}
	}
	return err
}

// resync publishes this node's devices and calls again (Redis came back
// without them). It runs in the link's queue, after what was queued before
// (so no older device count overwrites it), and returns when it is done or
// ctx is done: the node is not up before. kept: Redis kept its data while
// this node's registration expired; a call of this node it no longer has
// was taken over by a survivor (node_lost) and ends here too, instead of
// being claimed again (its users busy again, its log written twice).
func (l *clusterLink) resync(ctx context.Context, kept bool) {
	h := l.hub.Load()
	if h == nil {
		return
	}
	done := make(chan struct{})
	l.enqueue("resync", func(ctx context.Context) {
		defer close(done)
		devices, bound, calls, views := h.ClusterState()
		var errs []error
		for uid, v := range views {
			errs = append(errs, l.node.SetPresence(ctx, uid, v.Name, v.View))
		}
		for uid, n := range devices {
			errs = append(errs, l.node.CountDevices(ctx, uid, n))
		}
		for uid, devs := range bound {
			for dev, n := range devs {
				errs = append(errs, l.node.CountBound(ctx, uid, dev, n))
			}
		}
		var takenOver []string
		for sid, c := range calls {
			// Taken over: Redis, which kept its data, no longer has the call,
			// and the log says it ended (a survivor's EndLost wrote it). A
			// call Redis lost otherwise (restarted from an older snapshot, a
			// replica behind) is claimed again.
			if kept {
				if known, err := l.node.Known(ctx, sid); err == nil && !known && h.EndedInLog(ctx, sid) {
					takenOver = append(takenOver, sid)
					continue
				}
			}
			errs = append(errs, l.node.Reclaim(ctx, sid, l.pinned(sid), c.Users, clusterRequest(c.Request)))
		}
		if len(takenOver) > 0 { // on the hub's loop, not this queue's goroutine
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				for _, sid := range takenOver {
					h.EndTakenOver(sid)
				}
			}()
		}
		if err := errors.Join(errs...); err != nil {
			l.log.Warn("cluster: re-publishing after Redis came back failed in part", "err", err)
		}
	})
	select {
	case <-done:
	case <-ctx.Done():
		l.log.Warn("cluster: re-publishing after Redis came back is slow; taking calls again before it is done")
	case <-l.stop:
	}
}

// joinCluster joins the cluster when cluster.redis is set (nil: alone).
func (a *App) joinCluster(ctx context.Context) (signaling.Cluster, error) {
	if !a.cfg.Cluster.Enabled() {
		return nil, nil
	}
	log := a.log.With("part", "cluster")
	a.link = newClusterLink(log, a.media)
	cfg := a.cfg.Cluster
	cfg.MediaURL = a.mediaURL()
	node, err := cluster.Join(ctx, cfg, cluster.Deps{Log: log, Lost: a.link.lost,
		Resync: a.link.resync, Receive: a.link.receive, Load: a.media.Participants, Watching: a.link.watching})
	if err != nil {
		a.link.close()
		a.link = nil
		return nil, err
	}
	a.link.node = node
	return a.link, nil
}

// closeCluster sends what is queued and leaves the cluster (after the hub
// has closed its calls).
func (a *App) closeCluster() error {
	if a.link == nil {
		return nil
	}
	a.link.close()
	return a.link.node.Close()
}
