package notify

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/signaling"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/webhook"
)

// Outbox is where items go (outbox.Dispatcher).
type Outbox interface {
	Enqueue(items ...store.OutboxItem)
}

// Pusher is what notify needs of push.Sender.
type Pusher interface {
	Policy() string
	Enabled(kind string) bool
}

// Deps are the Notifier's collaborators.
type Deps struct {
	Store    store.Store
	Outbox   Outbox
	Push     Pusher         // nil: no pushes
	Webhooks webhook.Config // no endpoints: no webhooks
	// Online lists uid's devices that have a live socket, on any node
	// (Hub.OnlineDevices).
	Online func(ctx context.Context, uid string) map[string]bool
	Log    *slog.Logger     // nil: discard
	Now    func() time.Time // nil: time.Now
}

// Lifetimes of pushes that are not rings.
const (
	stopPushTTL   = 2 * time.Minute
	missedPushTTL = time.Hour
	// ringRecordTTL forgets a ring that never saw its stop (server shutdown).
	ringRecordTTL = 10 * time.Minute
)

// Notifier implements signaling.Notifier.
type Notifier struct {
	deps Deps
	log  *slog.Logger
	now  func() time.Time

	// mu guards queue and closed.
	mu     sync.Mutex
	queue  []signaling.CallEvent
	closed bool

	signal chan struct{}
	stop   chan struct{}
	done   chan struct{}

	// Owned by the worker.
	rung       map[string]ring     // session + "/" + uid -> the ring pushes sent
	renumbered map[string]numbered // session -> the last number renumber gave
}

// numbered is the last number renumber gave a call's events.
type numbered struct {
	seq int
	at  time.Time
}

// ring is what a callee's devices were sent when the call rang them.
type ring struct {
	at   time.Time
	msgs []push.Message
}

// New starts the Notifier's worker.
func New(deps Deps) *Notifier {
	n := &Notifier{deps: deps, log: deps.Log, now: deps.Now, signal: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{}), rung: map[string]ring{}, renumbered: map[string]numbered{}}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	if n.now == nil {
		n.now = time.Now
	}
	go n.run()
	return n
}

// CallEvent queues ev (the hub loop calls it: it never blocks).
func (n *Notifier) CallEvent(ev signaling.CallEvent) {
	if !n.wants(ev.Type) {
		return
	}
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return
	}
	n.queue = append(n.queue, ev)
	n.mu.Unlock()
	select {
	case n.signal <- struct{}{}:
	default:
	}
}

// wants reports whether an event leads to anything.
func (n *Notifier) wants(typ string) bool {
	switch typ {
	case signaling.HookRing, signaling.HookStopRinging:
		return n.deps.Push != nil
	case protocol.HookCallMissed:
		return n.deps.Push != nil || n.deps.Webhooks.Enabled()
	}
	return n.deps.Webhooks.Enabled()
}

// Close hands over what is queued and stops the worker.
func (n *Notifier) Close() {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return
	}
	n.closed = true
	n.mu.Unlock()
	close(n.stop)
	<-n.done
}

func (n *Notifier) run() {
	defer close(n.done)
	sweep := time.NewTicker(time.Minute)
	defer sweep.Stop()
	for {
		select {
		case <-n.signal:
			n.drain()
		case <-sweep.C:
			n.forgetOld()
		case <-n.stop:
			n.drain()
			return
		}
	}
}

// drain processes everything queued, in order.
func (n *Notifier) drain() {
	n.mu.Lock()
	batch := n.queue
	n.queue = nil
	n.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	ctx := context.Background()
	n.renumber(ctx, batch)
	var items []store.OutboxItem
	for _, ev := range batch {
		items = append(items, n.webhookItems(ev)...)
		items = append(items, n.pushItems(ctx, ev)...)
	}
	n.deps.Outbox.Enqueue(items...)
}

// renumber numbers the batch's Renumber events after their call's last
// webhook event in the outbox (the node that numbered the call's events
// is gone, or it was the run before a crash): an event id is never given
// twice, so a receiver that de-duplicates on it drops none.
// The numbers given are remembered (the items are stored a moment later)
// for a while.
func (n *Notifier) renumber(ctx context.Context, batch []signaling.CallEvent) {
	for i := range batch {
		ev := &batch[i]
		if !ev.Renumber {
			continue
		}
		last, ok := n.renumbered[ev.SessionID]
		if !ok {
			last.seq = n.lastSeq(ctx, ev.SessionID)
		}
		if ev.Type != signaling.HookRing && ev.Type != signaling.HookStopRinging {
			last.seq++
			ev.Seq = last.seq
		}
		last.at = n.now()
		n.renumbered[ev.SessionID] = last
	}
}

// seqWindow is how many of a call's event numbers are tried at a time
// (for each endpoint; looked up at most 100 ids at once).
const seqWindow = 24

// lastSeq is the highest event number of call sid in the outbox, for any
// endpoint (0: none, or no webhooks). Numbers are tried a window at a
// time; the first window with none ends the search (an endpoint's filter
// leaves gaps, never a whole window of them in practice).
func (n *Notifier) lastSeq(ctx context.Context, sid string) int {
	eps := n.deps.Webhooks.Endpoints
	last := 0
	for from := 1; len(eps) > 0; from += seqWindow {
		var ids []string
		for _, e := range eps {
			for k := from; k < from+seqWindow; k++ {
				ids = append(ids, fmt.Sprintf("evt_%s_%d.%s", sid, k, e.Name))
			}
		}
		found := last
		for len(ids) > 0 {
			chunk := ids[:min(len(ids), 100)]
			ids = ids[len(chunk):]
			present, err := n.deps.Store.OutboxEventsPresent(ctx, chunk)
			if err != nil {
				n.log.Error("notify: the outbox could not say how a call's events were numbered; numbering after what was found",
					"session", sid, "after", found, "err", err)
				return found
			}
			for id := range present {
				rest := strings.TrimPrefix(id, "evt_"+sid+"_")
				if k, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, '.'), 0)]); err == nil {
					found = max(found, k)
				}
			}
		}
		if found == last {
			return last
		}
		last = found
	}
	return last
}

func (n *Notifier) forgetOld() {
	cutoff := n.now().Add(-ringRecordTTL)
	for k, r := range n.rung {
		if r.at.Before(cutoff) {
			delete(n.rung, k)
		}
	}
	for k, r := range n.renumbered {
		if r.at.Before(cutoff) {
			delete(n.renumbered, k)
		}
	}
}

func (n *Notifier) webhookItems(ev signaling.CallEvent) []store.OutboxItem {
	if !n.deps.Webhooks.Enabled() || ev.Type == signaling.HookRing || ev.Type == signaling.HookStopRinging {
		return nil
	}
	// protocol.WebhookData with the Call already rendered (and listed for
	// ev.UID: protocol.MaxListedParticipants).
	data, err := webhook.CallData{Call: ev.Call, UID: ev.UID, Reason: ev.Reason, Duration: int64(ev.Duration / time.Second),
		Timed: ev.Type == protocol.HookCallEnded}.MarshalJSON()
	if err != nil {
		n.log.Error("notify: rendering a webhook event failed", "type", ev.Type, "session", ev.SessionID, "err", err)
		return nil
	}
	items, err := n.deps.Webhooks.Items(webhook.Event{
		ID: fmt.Sprintf("evt_%s_%d", ev.SessionID, ev.Seq), Type: ev.Type, CreatedAt: ev.At.UnixMilli(),
		SessionID: ev.SessionID, Seq: ev.Seq, Data: data,
	}, n.now())
	if err != nil {
		n.log.Error("notify: building webhook items failed", "type", ev.Type, "session", ev.SessionID, "err", err)
	}
	return items
}

// newID returns a UUID of version 7 (RFC 9562: 48 bits of Unix time in
// milliseconds, then 74 random bits): the push's apns-id and id. Ids made
// later sort after earlier ones, so the outbox's unique event-id index
// ("push_" + id) grows at one end: with random (version 4) ids each push
// dirtied a random leaf page of it, one more WAL frame per push per commit.
func newID() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	_, _ = rand.Read(b[6:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
