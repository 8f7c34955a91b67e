package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Envelope kinds.
const (
	KindDeliver = "deliver" // Frame for UID's devices on the receiving node
	KindCommand = "command" // Method by UID on call SessionID, for its owner
	KindReply   = "reply"   // the owner's answer to a command (ID matches)
	KindMedia   = "media"   // Method (MediaEnd, MediaRemove) on SessionID's room, for its media node
)

// Methods of KindMedia envelopes: what a call's owner tells the node
// hosting its media.
const (
	MediaEnd    = "end"    // end the room; Params {"reason"}
	MediaRemove = "remove" // remove UID from the room
)

// Envelope is one typed message between nodes on the bus (Redis pub/sub,
// one channel per node). Commands carry data, never code: the owner runs
// the same handler a local device's request would.
type Envelope struct {
	Kind      string          `json:"kind"`
	From      string          `json:"from"`
	ID        string          `json:"id,omitempty"`
	UID       string          `json:"uid,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Frame     json.RawMessage `json:"frame,omitempty"`
	Conn      uint64          `json:"conn,omitempty"`     // deliver: skip this connection (on SkipNode); command: the asking one
	SkipNode  string          `json:"skipNode,omitempty"` // deliver: the node of the connection Conn
	Result    json.RawMessage `json:"result,omitempty"`
	ErrCode   string          `json:"errCode,omitempty"`
	ErrText   string          `json:"errText,omitempty"`
	Name      string          `json:"name,omitempty"`   // presence: the user's name
	Status    string          `json:"status,omitempty"` // presence: online, busy or offline
}

// Send publishes e to node's channel.
func (n *Node) Send(ctx context.Context, node string, e Envelope) error {
	e.From = n.id
	if err := n.rdb.Publish(ctx, busChannel(node), encodeEnvelope(e)).Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// Deliver sends frame to uid's devices on every other node that holds
// some (this node's own devices are the caller's business), except the
// connection skipConn on node skipNode (the device that asked): one script
// reads the device index and publishes there.
func (n *Node) Deliver(ctx context.Context, uid string, frame json.RawMessage, skipNode string, skipConn uint64) error {
	return n.one(ctx, func(b *Batch) { b.Deliver(uid, frame, skipNode, skipConn) })
}

// SkipConn is the connection on node self that a delivery skips (0: none).
func (e Envelope) SkipConn(self string) uint64 {
	if e.SkipNode != self {
		return 0
	}
	return e.Conn
}

// Request sends a command to node and waits for its reply (ctx bounds the
// wait: ErrNoReply when it ends first).
func (n *Node) Request(ctx context.Context, node string, e Envelope) (Envelope, error) {
	r, _, err := n.request(ctx, e, func(raw []byte) (string, error) {
		if err := n.rdb.Publish(ctx, busChannel(node), raw).Err(); err != nil {
			return "", fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return node, nil
	})
	return r, err
}

// RequestOwner sends a command on call e.SessionID to the node that owns
// it and waits for its reply, looking the owner up and publishing there in
// one script (one round trip). owner is "" (nothing sent, no error) when
// no live call has that id or this node owns it; a lookup that fails
// returns owner "" and the error.
func (n *Node) RequestOwner(ctx context.Context, e Envelope) (r Envelope, owner string, err error) {
	return n.request(ctx, e, func(raw []byte) (string, error) {
		owner, err := forwardScript.Run(ctx, n.rdb, []string{callKey(e.SessionID)}, n.id, raw).Text()
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return owner, nil
	})
}

// request registers a pending reply, sends the command with send (which
// returns the node it went to; "" = not sent) and waits for the reply.
func (n *Node) request(ctx context.Context, e Envelope, send func([]byte) (string, error)) (Envelope, string, error) {
	e.Kind, e.From = KindCommand, n.id
	e.ID = n.id + "/" + strconv.FormatUint(n.nextReq.Add(1), 10)
	raw := encodeEnvelope(e)
	ch := make(chan Envelope, 1)
	n.mu.Lock()
	n.pending[e.ID] = ch
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		delete(n.pending, e.ID)
		n.mu.Unlock()
	}()
	node, err := send(raw)
	if err != nil || node == "" {
		return Envelope{}, "", err
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return Envelope{}, node, ErrClosed
		}
		return r, node, nil
	case <-ctx.Done():
		return Envelope{}, node, fmt.Errorf("%w: %s to %s: %w", ErrNoReply, e.Method, node, ctx.Err())
	}
}

// forwardScript: KEYS[1] = sb:call:{sid}; ARGV[1] = this node, ARGV[2] =
// the command. Publishes it on the owner's bus unless this node owns the
// call or no live call has that id; returns the owner it went to ("": none).
var forwardScript = newScript(`
local owner = redis.call('HGET', KEYS[1], 'owner')
if not owner or owner == ARGV[1] then return '' end
redis.call('PUBLISH', 'sb:bus:' .. owner, ARGV[2])
return owner`)

// Reply answers the command req.
func (n *Node) Reply(ctx context.Context, req Envelope, result json.RawMessage, code, text string) error {
	return n.Send(ctx, req.From, Envelope{Kind: KindReply, ID: req.ID, Result: result, ErrCode: code, ErrText: text})
}

// busHealthCheck: a bus silent this long is pinged (a dead connection is
// then replaced), as go-redis's own Channel does.
const busHealthCheck = 3 * time.Second

// readBus hands envelopes to Deps.Receive, and replies to their requests.
// It reads the subscription itself rather than through go-redis's Channel,
// which forwards each message through a goroutine of its own (one more
// hand-off per message). go-redis resubscribes by itself after Redis comes
// back.
func (n *Node) readBus() {
	defer n.wg.Done()
	ctx := context.Background()
	failed := false
	for {
		msg, err := n.pubsub.ReceiveTimeout(ctx, busHealthCheck)
		var ne net.Error
		switch {
		case err == nil:
			failed = false
		case errors.Is(err, redis.ErrClosed) || n.closed.Load():
			return
		case errors.As(err, &ne) && ne.Timeout():
			_ = n.pubsub.Ping(ctx) // a write that fails replaces the connection
			continue
		default: // go-redis reconnects at the next read; pause if it keeps failing
			if failed {
				select {
				case <-n.stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
			failed = true
			continue
		}
		if m, ok := msg.(*redis.Message); ok {
			n.receive(m.Payload)
		}
	}
}

// receive handles one bus message.
func (n *Node) receive(payload string) {
	e, err := decodeEnvelope([]byte(payload))
	if err != nil {
		n.log.Warn("cluster: undecodable bus message dropped", "err", err)
		return
	}
	if e.Kind == KindReply {
		n.mu.Lock()
		ch := n.pending[e.ID]
		n.mu.Unlock()
		if ch != nil {
			ch <- e // buffered 1; one reply per id
		}
		return
	}
	if n.deps.Receive != nil {
		n.deps.Receive(e)
	}
}
