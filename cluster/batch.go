package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Batch is writes sent to Redis together, in order, in one round trip (a
// pipeline): the writes a node queues (deliveries, presence views,
// releases, unlinks, device counts, replies, orders to a media node) go
// out as one batch per wake of the queue instead of one round trip each.
// Each write is still atomic on its own (a script or one command); a batch
// is not a transaction.
//
// A Batch is not safe for concurrent use; it can be reused after Exec.
type Batch struct {
	n   *Node
	ops []batchOp
}

// batchOp is one write: a script (sent as EVALSHA, loaded again if Redis
// lost it) or one plain command.
type batchOp struct {
	script *redis.Script
	keys   []string
	args   []any
	cmd    func(ctx context.Context, p redis.Pipeliner) redis.Cmder
}

// NewBatch starts an empty batch.
func (n *Node) NewBatch() *Batch { return &Batch{n: n} }

// Len is the number of writes in the batch.
func (b *Batch) Len() int { return len(b.ops) }

// Deliver adds the delivery of frame to uid's devices on every other node
// that holds some (one script: the device index is read and the envelope
// published there in one step). skipNode and skipConn name the device
// that asked, which gets nothing.
func (b *Batch) Deliver(uid string, frame json.RawMessage, skipNode string, skipConn uint64) {
	raw := encodeEnvelope(Envelope{Kind: KindDeliver, From: b.n.id, UID: uid, Frame: frame, SkipNode: skipNode, Conn: skipConn})
	b.ops = append(b.ops, batchOp{script: deliverScript, keys: []string{devKey(uid)}, args: []any{b.n.id, raw}})
}

// Reply adds the answer to the command req (see Node.Reply): queued behind
// the writes the command caused, it goes out in the same round trip.
func (b *Batch) Reply(req Envelope, result json.RawMessage, code, text string) {
	raw := encodeEnvelope(Envelope{Kind: KindReply, From: b.n.id, ID: req.ID, Result: result, ErrCode: code, ErrText: text})
	b.ops = append(b.ops, batchOp{cmd: func(ctx context.Context, p redis.Pipeliner) redis.Cmder {
		return p.Publish(ctx, busChannel(req.From), raw)
	}})
}

// Tell adds the command e (its method, uid, call and params), published
// on the bus of the node that owns call e.SessionID, which runs it and
// answers nothing (no reply is waited for). Nothing is sent when no other
// live call has that id or this node owns it.
func (b *Batch) Tell(e Envelope) {
	e.Kind, e.From, e.ID = KindCommand, b.n.id, ""
	raw := encodeEnvelope(e)
	b.ops = append(b.ops, batchOp{script: forwardScript, keys: []string{callKey(e.SessionID)}, args: []any{b.n.id, raw}})
}

// Send adds e, published on node's bus (see Node.Send).
func (b *Batch) Send(node string, e Envelope) {
	e.From = b.n.id
	raw := encodeEnvelope(e)
	b.ops = append(b.ops, batchOp{cmd: func(ctx context.Context, p redis.Pipeliner) redis.Cmder {
		return p.Publish(ctx, busChannel(node), raw)
	}})
}

// SetPresence adds a change of this node's view of uid (see
// Node.SetPresence).
func (b *Batch) SetPresence(uid, name, status string) {
	b.ops = append(b.ops, batchOp{script: presenceScript, keys: []string{presenceKey(uid), nodePresKey(b.n.id)},
		args: []any{b.n.id, uid, status, name}})
}

// Release adds the release of call sid (see Node.Release).
func (b *Batch) Release(sid string, users []string) {
	keys := []string{callKey(sid), ownedKey(b.n.id)}
	for _, u := range users {
		keys = append(keys, ucallsKey(u))
	}
	b.ops = append(b.ops, batchOp{script: releaseScript, keys: keys, args: []any{sid}})
}

// Unlink adds freeing uid from call sid (see Node.Unlink).
func (b *Batch) Unlink(sid, uid string) {
	b.ops = append(b.ops, batchOp{cmd: func(ctx context.Context, p redis.Pipeliner) redis.Cmder {
		return p.SRem(ctx, ucallsKey(uid), sid)
	}})
}

// CountDevices adds a change of uid's device count on this node.
func (b *Batch) CountDevices(uid string, delta int) {
	b.ops = append(b.ops, batchOp{script: deviceScript, keys: []string{devKey(uid), nodeDevsKey(b.n.id)},
		args: []any{b.n.id, uid, delta}})
}

// CountBound changes by delta how many sockets of uid on this node are
// bound to the push target deviceID (registerDevice).
func (b *Batch) CountBound(uid, deviceID string, delta int) {
	b.ops = append(b.ops, batchOp{script: boundScript, keys: []string{boundKey(uid)},
		args: []any{deviceID + "|" + b.n.id, delta}})
}

// Exec sends the batch in one round trip and empties it. It returns one
// error per write, in the order they were added (nil: done); errors wrap
// ErrUnavailable. A script Redis no longer knows (it restarted) is loaded
// again by running those writes once more, one by one, in order.
func (b *Batch) Exec(ctx context.Context) []error {
	ops := b.ops
	b.ops = nil
	errs := make([]error, len(ops))
	if len(ops) == 0 {
		return errs
	}
	pipe := b.n.rdb.Pipeline()
	cmds := make([]redis.Cmder, len(ops))
	for i, op := range ops {
		if op.script != nil {
			cmds[i] = op.script.EvalSha(ctx, pipe, op.keys, op.args...)
		} else {
			cmds[i] = op.cmd(ctx, pipe)
		}
	}
	_, _ = pipe.Exec(ctx) // each command's own error is read below
	for i, op := range ops {
		err := cmds[i].Err()
		if op.script != nil && noScript(err) {
			// Redis lost its scripts since the last renewal: this write
			// runs after those behind it (see scripts.go)
			err = b.n.runLoaded(ctx, op.script, op.keys, op.args...).Err()
		}
		if err != nil && !errors.Is(err, redis.Nil) {
			errs[i] = fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
	}
	return errs
}

// deliverScript: KEYS[1] = sb:dev:{uid}; ARGV[1] = this node, ARGV[2] = the
// envelope. Publishes it on the bus channel of every other node holding
// devices of uid; returns how many.
var deliverScript = newScript(`
local n = 0
for _, id in ipairs(redis.call('HKEYS', KEYS[1])) do
  if id ~= ARGV[1] then
    redis.call('PUBLISH', 'sb:bus:' .. id, ARGV[2])
    n = n + 1
  end
end
return n`)

// one sends a batch of one write.
func (n *Node) one(ctx context.Context, add func(*Batch)) error {
	b := n.NewBatch()
	add(b)
	return b.Exec(ctx)[0]
}
