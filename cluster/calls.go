package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Media is where a call's media lives: a node and its public media URL.
type Media struct {
	Node string
	URL  string
}

// Claim records the call sid as owned by this node with its media on
// media (a node id; "" = choose: the call's recorded node, else the live
// media node with the lowest load, this one on a tie) and links users (the caller first) in
// the shared busy index, atomically. Users already in another call are
// returned as busy and not linked. For a 1:1 call (pair), when the caller
// or the callee is busy nothing is written: the call is refused busy,
// exactly as one node decides (and the returned Media is empty). Claiming
// a call again (Resync) is a no-op for its users.
func (n *Node) Claim(ctx context.Context, sid, media string, pair bool, users []string) (busy []string, where Media, err error) {
	c, err := n.ClaimLooking(ctx, sid, media, pair, users, "", Request{})
	return c.Busy, c.Media, err
}

// Claimed is what a claim found.
type Claimed struct {
	Busy    []string // users already in another call (not linked)
	Media   Media    // where the call's media is pinned (empty: refused busy)
	Devices bool     // the uid looked at has live devices on some node
	// Retried is the call an earlier claim with the same Request placed
	// (nothing was claimed); empty otherwise.
	Retried Placed
	// RetryAfter > 0: the caller's initiateCall rate (Request.Rate) is
	// spent; nothing was claimed, and a token is back after it.
	RetryAfter time.Duration
}

// Request is an initiateCall's clientRequestId, which a claim records so
// that a retry reaching any node finds the call the first attempt placed.
type Request struct {
	Caller, ID string        // ID "": none
	TTL        time.Duration // how long the id names the call (its ring window)
	Renew      bool          // claim even if the id names an earlier call
	// Rate and Burst limit the caller's new calls on every node together
	// (ringing.initiate_rate and initiate_burst): a token bucket in Redis,
	// a token a claim. Rate 0: no limit (a claim made again passes 0).
	Rate  float64
	Burst int
}

// Placed names a call and the node that placed it.
type Placed struct{ SessionID, Node string }

// ClaimLooking is Claim that also looks, in the same step, whether uid
// devicesOf ("" = nobody) has live /v1/ws devices on some node, and
// records req (see claimScript): when req's id already names a call placed
// by a live node, nothing is claimed and Claimed.Retried names it.
func (n *Node) ClaimLooking(ctx context.Context, sid, media string, pair bool, users []string, devicesOf string, req Request) (Claimed, error) {
	if !n.Up() {
		return Claimed{}, ErrUnavailable
	}
	return n.claim(ctx, sid, media, pair, false, users, devicesOf, req)
}

// Reclaim records this node's call sid again after Redis lost its data
// (Resync), with the clientRequestId it was placed with (req; ID "" =
// none): unlike Claim it runs while the node is not yet up and while the
// cluster settles.
func (n *Node) Reclaim(ctx context.Context, sid, media string, users []string, req Request) error {
	req.Renew = true
	_, err := n.claim(ctx, sid, media, false, true, users, "", req)
	return err
}

// Known reports whether Redis still has call sid, owned by this node: a
// call a survivor took over (this node's registration expired while Redis
// kept its data) is gone from it.
func (n *Node) Known(ctx context.Context, sid string) (bool, error) {
	owner, err := n.rdb.HGet(ctx, callKey(sid), "owner").Result()
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return owner == n.id, nil
}

func (n *Node) claim(ctx context.Context, sid, media string, pair, again bool, users []string, devicesOf string, req Request) (Claimed, error) {
	keys := []string{callKey(sid), ownedKey(n.id)}
	for _, u := range users {
		keys = append(keys, ucallsKey(u))
	}
	usersJSON, _ := json.Marshal(users)
	caller, callee := "", ""
	if pair && len(users) >= 2 {
		caller, callee = users[0], users[1]
	}
	reqKey := ""
	if req.ID != "" {
		reqKey = requestKey(req.Caller, req.ID)
	}
	rate := ""
	if req.Rate > 0 && req.Caller != "" {
		rate = rateKey(req.Caller)
	}
	args := []any{n.id, sid, string(usersJSON), media, b01(pair), caller, callee, b01(again), devicesOf,
		reqKey, req.TTL.Milliseconds(), b01(req.Renew), rate, req.Rate, max(req.Burst, 1)}
	for _, u := range users {
		args = append(args, u)
	}
	out, err := claimScript.Run(ctx, n.rdb, keys, args...).StringSlice()
	var placed Placed
	var wait time.Duration
	switch {
	case err != nil && retried(err, &placed):
		return Claimed{Retried: placed}, nil
	case err != nil && limited(err, &wait):
		return Claimed{RetryAfter: wait}, nil
	case err != nil && strings.Contains(err.Error(), "SETTLING"):
		return Claimed{}, ErrSettling
	case err != nil && strings.Contains(err.Error(), "NOMEDIA"):
		return Claimed{}, ErrNoMediaNode
	case err != nil:
		return Claimed{}, fmt.Errorf("%w: claim %s: %w", ErrUnavailable, sid, err)
	case len(out) < 3:
		return Claimed{}, fmt.Errorf("%w: claim %s: short answer %q", ErrUnavailable, sid, out)
	}
	return Claimed{Busy: out[3:], Media: Media{Node: out[0], URL: out[1]}, Devices: out[2] == "1"}, nil
}

// retried reads the claim script's RETRIED {sid}|{node} error into p.
func retried(err error, p *Placed) bool {
	rest, ok := strings.CutPrefix(err.Error(), "RETRIED ")
	if !ok {
		return false
	}
	p.SessionID, p.Node, ok = strings.Cut(rest, "|")
	return ok && p.SessionID != "" && p.Node != ""
}

// limited reads the claim script's LIMITED {ms} error into wait.
func limited(err error, wait *time.Duration) bool {
	rest, ok := strings.CutPrefix(err.Error(), "LIMITED ")
	if !ok {
		return false
	}
	ms, perr := strconv.ParseInt(rest, 10, 64)
	if perr != nil || ms <= 0 {
		return false
	}
	*wait = time.Duration(ms) * time.Millisecond
	return true
}

// MediaOf is where call sid's media is pinned (empty and no error: no such
// live call).
func (n *Node) MediaOf(ctx context.Context, sid string) (Media, error) {
	id, err := n.rdb.HGet(ctx, callKey(sid), "media").Result()
	if errors.Is(err, redis.Nil) {
		return Media{}, nil
	}
	if err != nil {
		return Media{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	url, err := n.rdb.HGet(ctx, nodeKey(id), "media_url").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return Media{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return Media{Node: id, URL: url}, nil
}

// Release forgets the call sid (ended) and frees its users.
func (n *Node) Release(ctx context.Context, sid string, users []string) error {
	if err := n.one(ctx, func(b *Batch) { b.Release(sid, users) }); err != nil {
		return fmt.Errorf("release %s: %w", sid, err)
	}
	return nil
}

// Unlink frees uid from the call sid (it left, rejected, or stopped
// ringing) while the call goes on.
func (n *Node) Unlink(ctx context.Context, sid, uid string) error {
	return n.one(ctx, func(b *Batch) { b.Unlink(sid, uid) })
}

// Owner is the node whose machine runs call sid, and the node hosting its
// media ("" and no error: no such live call).
func (n *Node) Owner(ctx context.Context, sid string) (owner, media string, err error) {
	v, err := n.rdb.HMGet(ctx, callKey(sid), "owner", "media").Result()
	if err != nil {
		return "", "", fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	owner, _ = v[0].(string)
	media, _ = v[1].(string)
	return owner, media, nil
}

// PairCall returns the 1:1 call initiator placed to callee that callee is
// linked to, on any node ("" if none): glare, when callee now calls
// initiator back.
func (n *Node) PairCall(ctx context.Context, initiator, callee string) (string, error) {
	sids, err := n.rdb.SMembers(ctx, ucallsKey(callee)).Result()
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	for _, sid := range sids {
		raw, err := n.rdb.HGet(ctx, callKey(sid), "users").Result()
		if err != nil {
			continue // ended meanwhile
		}
		var users []string
		if json.Unmarshal([]byte(raw), &users) == nil && len(users) == 2 && users[0] == initiator && users[1] == callee {
			return sid, nil
		}
	}
	return "", nil
}

// Busy reports whether uid is in a call on any node.
func (n *Node) Busy(ctx context.Context, uid string) (bool, error) {
	c, err := n.rdb.SCard(ctx, ucallsKey(uid)).Result()
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return c > 0, nil
}

// AddDevice counts one more live /v1/ws device of uid on this node;
// RemoveDevice one fewer.
func (n *Node) AddDevice(ctx context.Context, uid string) error    { return n.device(ctx, uid, 1) }
func (n *Node) RemoveDevice(ctx context.Context, uid string) error { return n.device(ctx, uid, -1) }

func (n *Node) device(ctx context.Context, uid string, delta int) error {
	return n.one(ctx, func(b *Batch) { b.CountDevices(uid, delta) })
}

// ReserveDevice counts one more live /v1/ws device of uid on this node,
// unless max (> 0) devices of uid are counted on all the nodes already:
// then it counts nothing and returns false. One script, so two nodes
// admitting devices of one user at once cannot both pass the cap.
func (n *Node) ReserveDevice(ctx context.Context, uid string, max int) (bool, error) {
	r, err := deviceReserveScript.Run(ctx, n.rdb, []string{devKey(uid), nodeDevsKey(n.id)}, n.id, uid, max).Int()
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return r >= 0, nil
}

// DeviceCount is how many live /v1/ws devices of uid are counted on all
// the nodes.
func (n *Node) DeviceCount(ctx context.Context, uid string) (int, error) {
	vals, err := n.rdb.HVals(ctx, devKey(uid)).Result()
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	total := 0
	for _, v := range vals {
		if c, err := strconv.Atoi(v); err == nil && c > 0 {
			total += c
		}
	}
	return total, nil
}

// NodesOf lists the nodes holding live devices of uid (this one included).
func (n *Node) NodesOf(ctx context.Context, uid string) ([]string, error) {
	ids, err := n.rdb.HKeys(ctx, devKey(uid)).Result()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return ids, nil
}

// CountBound changes by delta how many sockets of uid on this node are
// bound to the push target deviceID, in one round trip.
func (n *Node) CountBound(ctx context.Context, uid, deviceID string, delta int) error {
	return n.one(ctx, func(b *Batch) { b.CountBound(uid, deviceID, delta) })
}

// SetDevices sets this node's count of uid's live devices to n, whatever
// the deltas before left: after a failed write.
func (n *Node) SetDevices(ctx context.Context, uid string, count int) error {
	err := deviceSetScript.Run(ctx, n.rdb, []string{devKey(uid), nodeDevsKey(n.id)}, n.id, uid, count).Err()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// SetBound sets this node's part of uid's bound push targets to counts
// (deviceId -> sockets here bound to it), whatever the deltas before left:
// after a failed write.
func (n *Node) SetBound(ctx context.Context, uid string, counts map[string]int) error {
	args := []any{n.id}
	for dev, c := range counts {
		if c > 0 {
			args = append(args, dev, c)
		}
	}
	if err := boundSetScript.Run(ctx, n.rdb, []string{boundKey(uid)}, args...).Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}

// BoundDevices lists uid's push targets that have a live /v1/ws socket
// bound to them (registerDevice) on some node.
func (n *Node) BoundDevices(ctx context.Context, uid string) (map[string]bool, error) {
	fields, err := n.rdb.HKeys(ctx, boundKey(uid)).Result()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	out := make(map[string]bool, len(fields))
	for _, f := range fields {
		if dev, _, ok := strings.Cut(f, "|"); ok { // device ids hold no '|'
			out[dev] = true
		}
	}
	return out, nil
}

// CallsOf lists the calls uid rings in or is joined to, on any node (the
// busy index).
func (n *Node) CallsOf(ctx context.Context, uid string) ([]string, error) {
	sids, err := n.rdb.SMembers(ctx, ucallsKey(uid)).Result()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return sids, nil
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// CountDevices changes uid's device count on this node by delta (Resync
// publishes a whole count at once).
func (n *Node) CountDevices(ctx context.Context, uid string, delta int) error {
	return n.device(ctx, uid, delta)
}
