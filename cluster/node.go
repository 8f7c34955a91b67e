package cluster

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Info is what a node announces about itself.
type Info struct {
	ID       string `json:"id"`
	MediaURL string `json:"mediaUrl"`
	Role     string `json:"role"`
	Load     int    `json:"load"` // media participants it hosts
}

// LostCall is a call a lost node owned, handed to the survivor that swept
// it: the survivor ends it (node_lost), tells its users and writes the log.
// A call whose Owner is another node (it survives) lost only its media: the
// survivor asks the owner to end it.
type LostCall struct {
	SessionID string
	Users     []string
	Media     string // node that hosted its media
	Owner     string // node that ran its machine
}

// Deps are a Node's collaborators; all optional.
type Deps struct {
	Log *slog.Logger
	// Lost is called (on the keepalive goroutine) with the calls of a lost
	// node this node swept. Each lost node is swept by one survivor.
	Lost func(node string, calls []LostCall)
	// Resync is called when the registration had vanished (first start,
	// Redis came back empty, or this node could not renew for an expiry):
	// the owner re-publishes its devices and calls (Node.CountDevices,
	// Node.Claim) and returns when it is done; the node is not Up before.
	// kept is true when Redis kept its data: a call of this node it no
	// longer has (Node.Known) was taken by a survivor, which ended it
	// (node_lost), and must not be claimed again. It runs on the keepalive
	// goroutine and must return when ctx is done (one keepalive period:
	// the registration just renewed cannot expire meanwhile).
	Resync func(ctx context.Context, kept bool)
	// Load, if set, is the load announced at each renewal (media
	// participants hosted); nil: SetLoad's value.
	Load func() int
	// Receive handles envelopes from other nodes (on the bus goroutine).
	Receive func(Envelope)
	// Watching, if set, reports whether this node has presence watchers
	// (announced at each renewal; SetWatching announces a change at once).
	Watching func() bool
	// Options overrides the Redis options built from Config.Redis (tests).
	Options *redis.Options
}

// Node is this process's membership of the cluster: its registration and
// keepalive, the sweep of lost nodes, and the shared indexes (call
// ownership and busy state, users' devices) and bus. Safe for concurrent
// use. One goroutine renews and sweeps; one reads the bus.
type Node struct {
	cfg  Config
	deps Deps
	log  *slog.Logger
	rdb  *redis.Client
	id   string

	instance    string       // this process's registration token (another process's id is refused)
	up          atomic.Bool  // registered at the last renewal (and published again)
	unreachable atomic.Bool  // "Redis unavailable" was logged; "reachable again" is not yet
	upSince     atomic.Int64 // unix ns of the renewal that made it up: sweeps wait a settle after it
	registered  atomic.Bool  // registered once: a later missing epoch means Redis lost its data
	load        atomic.Int64 // announced load
	draining    atomic.Bool  // announced: no new call's media is pinned here

	// mu guards info's mutable part (none today) and pending.
	mu      sync.Mutex
	pending map[string]chan Envelope // request id -> reply
	nextReq atomic.Uint64

	pubsub *redis.PubSub
	stop   chan struct{}
	kaDone chan struct{} // closed when keepalive has returned
	wg     sync.WaitGroup
	closed atomic.Bool

	// leftover: the calls the last run of this node id left in Redis (it
	// was killed), taken by register and reported by Join.
	leftover []LostCall
	// presenceLeft: lost nodes whose presence entries a sweep could not
	// drop yet (owned by keepalive; retried at each tick).
	presenceLeft map[string]bool
}

// Join registers this node and starts its keepalive and bus. It fails if
// Redis cannot be reached at start (a node never starts blind).
func Join(ctx context.Context, cfg Config, deps Deps) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts := deps.Options
	if opts == nil {
		var err error
		if opts, err = cfg.redisOptions(); err != nil {
			return nil, err
		}
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	n := &Node{cfg: cfg, deps: deps, id: cfg.nodeID(), rdb: redis.NewClient(opts), instance: rand.Text(),
		pending: make(map[string]chan Envelope), stop: make(chan struct{}), kaDone: make(chan struct{}),
		presenceLeft: map[string]bool{}}
	n.log = deps.Log.With("node", n.id)
	redisLog.Store(n.log)
	if err := n.register(ctx); err != nil {
		_ = n.rdb.Close()
		return nil, err
	}
	n.pubsub = n.rdb.Subscribe(ctx, busChannel(n.id))
	if _, err := n.pubsub.Receive(ctx); err != nil { // the subscription is live
		_ = n.pubsub.Close()
		_ = n.rdb.Close()
		return nil, fmt.Errorf("%w: cluster.redis: subscribe: %w", ErrUnavailable, err)
	}
	n.wg.Add(2)
	go n.keepalive()
	go n.readBus()
	n.log.Info("cluster: joined", "keepalive", cfg.Keepalive, "expiry", cfg.Expiry)
	if left := n.leftover; len(left) > 0 {
		n.leftover = nil
		n.log.Warn("cluster: the last run of this node id ended without leaving (killed?): ending the calls it left", "calls", len(left))
		if deps.Lost != nil {
			deps.Lost(n.id, left)
		}
	}
	return n, nil
}

// ID is this node's id.
func (n *Node) ID() string { return n.id }

// Up reports whether the last renewal reached Redis: while false, new calls
// must be refused (ErrUnavailable) and ongoing media keeps flowing.
func (n *Node) Up() bool { return n.up.Load() }

// SetLoad sets the load announced at the next renewal.
func (n *Node) SetLoad(v int) { n.load.Store(int64(v)) }

func (n *Node) announcedLoad() int64 {
	if n.deps.Load != nil {
		return int64(n.deps.Load())
	}
	return n.load.Load()
}

// SetDraining announces at once (and at every renewal) that this node
// drains: no new call's media is pinned to it; its rooms go on.
func (n *Node) SetDraining(ctx context.Context) error {
	n.draining.Store(true)
	if err := n.rdb.HSet(ctx, nodeKey(n.id), "draining", "1").Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// Role is this node's role (RoleAll, RoleSignal or RoleMedia).
func (n *Node) Role() string { return n.cfg.role() }

// MediaURL is the media URL this node announces.
func (n *Node) MediaURL() string { return n.cfg.MediaURL }

// register is the first renewal. A registration of this id by another
// process is waited out for one expiry (a node restarted after a crash
// finds its old one); still renewed after that, it belongs to a live node:
// the id is refused.
func (n *Node) register(ctx context.Context) error {
	deadline := time.Now().Add(n.cfg.Expiry + n.cfg.Keepalive)
	// all of them, even when another node loaded its own: a newer binary's
	// scripts may differ (a Redis that cannot be reached fails below)
	_ = n.loadScripts(ctx)
	for {
		err := n.renew(ctx)
		switch {
		case err == nil:
			return n.takeLeftover(ctx)
		case !errors.Is(err, errTaken):
			return fmt.Errorf("%w: cluster.redis: %w", ErrUnavailable, err)
		case time.Now().After(deadline):
			return fmt.Errorf("%w: cluster.node_id %q is registered by another running node: give each node its own id", ErrConfig, n.id)
		}
		n.log.Warn("cluster: this node id is registered by another process (a crashed run of this node?); waiting for it to expire", "expiry", n.cfg.Expiry)
		select {
		case <-time.After(n.cfg.Keepalive):
		case <-ctx.Done():
			return fmt.Errorf("%w: cluster.redis: %w", ErrUnavailable, ctx.Err())
		}
	}
}

// takeLeftover takes what the last run of this node id left in Redis (it
// was killed: its calls, devices and presence), as a survivor's sweep
// would, whichever comes first: else a node restarted at once, which
// registers before any survivor sees the old registration gone, would
// hold them as its own and they would never end. Right after the first
// registration, when this run has published nothing yet; Join reports
// the calls (Deps.Lost). The sweep script also takes the id out of
// sb:nodes: the registration is written again.
func (n *Node) takeLeftover(ctx context.Context) error {
	left, err := n.takeNode(ctx, n.id)
	n.leftover = append(n.leftover, left...)
	if errors.Is(err, errPresenceLeft) {
		err = n.dropPresence(ctx, n.id)
	}
	if err == nil {
		err = n.renew(ctx)
	}
	if err != nil {
		return fmt.Errorf("%w: cluster.redis: %w", ErrUnavailable, err)
	}
	return nil
}

// errTaken: another process holds this node id's registration.
var errTaken = errors.New("cluster: node id registered by another process")

// renew writes the registration; a vanished one calls Resync, and the node
// is up only once Resync has returned (its devices and calls are back). It
// may take up to the registration's expiry: a slower answer is worth
// nothing.
func (n *Node) renew(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, n.cfg.Expiry)
	defer cancel()
	var settle int64 // Redis lost its data if it has no epoch and we had registered
	if n.registered.Load() {
		settle = (n.cfg.Expiry + n.cfg.Keepalive).Milliseconds()
	}
	watching := n.deps.Watching != nil && n.deps.Watching()
	fresh, err := n.runLoaded(ctx, registerScript, []string{nodeKey(n.id), nodesKey(), epochKey(), settlingKey(), watchingKey()},
		n.cfg.Expiry.Milliseconds(), n.id, n.cfg.MediaURL, n.cfg.role(), n.announcedLoad(), settle, b01(n.draining.Load()), b01(watching),
		n.instance).Int()
	if err != nil && strings.Contains(err.Error(), "TAKEN") {
		if n.up.Swap(false) {
			n.log.Error("cluster: another process registered this node id (cluster.node_id): refusing new calls; give each node its own id")
		}
		return errTaken
	}
	if err != nil {
		if n.up.Swap(false) {
			n.unreachable.Store(true)
			n.log.Warn("cluster: Redis unavailable: refusing new calls, media continues", "err", err)
		}
		return err
	}
	back := n.unreachable.Swap(false) // the line operators pair with "Redis unavailable", data kept or not
	switch {
	case back && fresh == 1:
		n.log.Info("cluster: Redis reachable again; it lost its data: re-publishing this node's devices and calls")
	case back && fresh == 2:
		n.log.Warn("cluster: Redis reachable again after this node's registration expired: calls a survivor took over (node_lost) end here too; re-publishing the rest")
	case back:
		n.log.Info("cluster: Redis reachable again")
	case fresh != 0 && n.deps.Resync != nil:
		n.log.Info("cluster: registered (re-publishing this node's devices and calls)")
	}
	if fresh != 0 && n.deps.Resync != nil {
		if n.closed.Load() {
			return nil
		}
		rctx, cancel := context.WithTimeout(context.Background(), n.cfg.Keepalive)
		n.deps.Resync(rctx, fresh == 2)
		cancel()
	}
	n.registered.Store(true)
	if !n.up.Swap(true) {
		n.upSince.Store(time.Now().UnixNano())
	}
	return nil
}

func (n *Node) keepalive() {
	defer n.wg.Done()
	defer close(n.kaDone)
	t := time.NewTicker(n.cfg.Keepalive)
	defer t.Stop()
	for {
		select {
		case <-n.stop:
			return
		case <-t.C:
		}
		if n.renew(context.Background()) == nil {
			n.sweep(context.Background())
		}
	}
}

// Nodes lists the live nodes (registrations not expired).
func (n *Node) Nodes(ctx context.Context) ([]Info, error) {
	ids, err := n.rdb.SMembers(ctx, nodesKey()).Result()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	var out []Info
	for _, id := range ids {
		m, err := n.rdb.HGetAll(ctx, nodeKey(id)).Result()
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		if len(m) == 0 {
			continue // expired: lost, not swept yet
		}
		load, _ := strconv.Atoi(m["load"])
		out = append(out, Info{ID: id, MediaURL: m["media_url"], Role: m["role"], Load: load})
	}
	return out, nil
}

// Alive is the set of live nodes' ids, as a caller that takes over a lost
// node's work needs it: ErrUnavailable while this node is not up, and
// ErrSettling for one expiry and keepalive after it came up (after Redis
// was unavailable or lost its data, the other nodes may not have
// registered again yet), as sweep waits.
func (n *Node) Alive(ctx context.Context) (map[string]bool, error) {
	if !n.Up() {
		return nil, fmt.Errorf("%w: this node is not registered", ErrUnavailable)
	}
	if n.settling() {
		return nil, ErrSettling
	}
	nodes, err := n.Nodes(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(nodes))
	for _, info := range nodes {
		out[info.ID] = true
	}
	return out, nil
}

// settling reports whether this node came up less than an expiry and a
// keepalive ago.
func (n *Node) settling() bool {
	return time.Since(time.Unix(0, n.upSince.Load())) < n.cfg.Expiry+n.cfg.Keepalive
}

// sweep finds nodes whose registration expired and, for each one this node
// wins the right to sweep, takes its calls and devices and reports them.
// Not before this node has been up for one expiry and keepalive: after
// Redis was unavailable (or restarted with its data, where every
// registration expired meanwhile), the other nodes are given the time to
// register again, so a live node is not taken for lost.
func (n *Node) sweep(ctx context.Context) {
	if n.settling() {
		return
	}
	ids, err := n.rdb.SMembers(ctx, nodesKey()).Result()
	if err != nil {
		return
	}
	for _, id := range ids {
		if id == n.id {
			continue
		}
		if alive, err := n.rdb.Exists(ctx, nodeKey(id)).Result(); err != nil || alive == 1 {
			continue
		}
		won, err := n.rdb.SetNX(ctx, sweepKey(id), n.id, 2*n.cfg.Expiry).Result()
		if err != nil || !won {
			continue
		}
		calls, err := n.takeNode(ctx, id)
		if errors.Is(err, errPresenceLeft) {
			n.presenceLeft[id] = true // the calls are taken: they end now, the presence later
		} else if err != nil {
			n.log.Warn("cluster: sweeping a lost node failed; retried", "lost", id, "err", err)
			_ = n.rdb.Del(ctx, sweepKey(id)).Err()
			continue
		}
		n.log.Warn("cluster: node lost: ending its calls", "lost", id, "calls", len(calls))
		if n.deps.Lost != nil {
			n.deps.Lost(id, calls)
		}
	}
	for id := range n.presenceLeft {
		if n.dropPresence(ctx, id) == nil {
			delete(n.presenceLeft, id)
		}
	}
}

// errPresenceLeft: takeNode took the node's calls and devices (they are
// returned) but could not drop its presence entries.
var errPresenceLeft = errors.New("cluster: the lost node's presence is not dropped yet")

// takeNode takes node id's calls and devices (sweepScript) and drops its
// presence entries. Once the script has run, its calls are returned even
// if the presence drop fails (errPresenceLeft): the node is out of
// sb:nodes then, and no later sweep would find them again.
func (n *Node) takeNode(ctx context.Context, id string) ([]LostCall, error) {
	raw, err := sweepScript.Run(ctx, n.rdb, []string{ownedKey(id), nodeDevsKey(id), nodesKey(), mediaKey(id)}, id).StringSlice()
	if err != nil {
		return nil, err
	}
	var out []LostCall
	for i := 0; i+3 < len(raw); i += 4 {
		lc := LostCall{SessionID: raw[i], Media: raw[i+2], Owner: raw[i+3]}
		_ = json.Unmarshal([]byte(raw[i+1]), &lc.Users)
		out = append(out, lc)
	}
	if err := n.dropPresence(ctx, id); err != nil {
		n.log.Warn("cluster: dropping a lost node's presence failed; retried", "lost", id, "err", err)
		return out, errPresenceLeft
	}
	return out, nil
}

// Close leaves the cluster cleanly: the registration is deleted and the
// node's own calls and devices are released (drain lets calls end first).
func (n *Node) Close() error {
	if n.closed.Swap(true) {
		return nil
	}
	close(n.stop)
	<-n.kaDone // a renewal under way would register this node again
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var err error
	if inst, gerr := n.rdb.HGet(ctx, nodeKey(n.id), "instance").Result(); inst == n.instance || errors.Is(gerr, redis.Nil) { // not another process's
		_, _ = n.takeNode(ctx, n.id)
		err = n.rdb.Del(ctx, nodeKey(n.id)).Err()
	}
	return errors.Join(err, n.shutdown())
}

// abandon stops the node as a crash would: nothing is cleaned in Redis.
func (n *Node) abandon() error {
	if n.closed.Swap(true) {
		return nil
	}
	close(n.stop)
	return n.shutdown()
}

func (n *Node) shutdown() error {
	err := n.pubsub.Close()
	n.wg.Wait()
	n.mu.Lock()
	for id, ch := range n.pending {
		close(ch)
		delete(n.pending, id)
	}
	n.mu.Unlock()
	return errors.Join(err, n.rdb.Close())
}
