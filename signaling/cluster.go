package signaling

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Cluster is what the hub needs of the other nodes (package cluster through
// the assembly; nil: this node is alone). Deliver and DeviceGone never
// block (they queue); Claim, Release and Forward do I/O and are called off
// the hub loop, on connection goroutines.
type Cluster interface {
	// Up is false while the shared state cannot be reached: new calls are
	// refused (ErrClusterDown), calls in progress go on.
	Up() bool
	// Claim records this node as the owner of call sid, pins its media to
	// a node (chosen from the load the nodes publish) and links users (the
	// caller first) in the shared busy index, atomically; it returns the
	// users already in a call on any node (not linked) and the media
	// node's base URL, which call tokens name. In the same step it looks
	// whether uid devicesOf ("" = nobody) has live /v1/ws devices on some
	// node. It records req (an initiateCall's clientRequestId; ID "" =
	// none) with the claim: when an earlier claim recorded the same one
	// for a call a live node placed (and not req.Renew), nothing is claimed
	// and Claimed.Retried names that call.
	Claim(ctx context.Context, sid string, users []string, devicesOf string, req RetryKey) (Claimed, error)
	// Release forgets call sid and frees its users (queued).
	Release(sid string, users []string)
	// PairCall returns the 1:1 call initiator placed to callee, linked to
	// callee on any node ("" if none, or unknown).
	PairCall(ctx context.Context, initiator, callee string) string
	// Presence sets this node's view of uid (online, busy, or "": nothing
	// here); name "" keeps the known one (queued). The merged change comes
	// back through Hub.PresenceChanged, on every node.
	Presence(uid, name, view string)
	// PresenceOf returns each uid's merged status (online, busy, offline);
	// nil when the shared state cannot be read.
	PresenceOf(ctx context.Context, uids []string) map[string]string
	// Watch tells the other nodes whether this node has presence watchers
	// now (Hub.Watching): only nodes with some are sent the merged changes.
	// When on, it returns once the other nodes publish to this one (or ctx
	// ends); off is queued.
	Watch(ctx context.Context, on bool)
	// Unlink frees uid, who left, rejected or stopped ringing in call sid
	// while the call goes on (queued).
	Unlink(sid, uid string)
	// Deliver queues m for uid's devices on the other nodes; skipNode and
	// skipConn name the device that made the request, which gets none.
	Deliver(uid string, m protocol.Message, skipNode string, skipConn uint64)
	// ReserveDevice counts a /v1/ws device of uid here coming (done before
	// it returns, on the connecting goroutine, so a device that has
	// "connected" is reachable from every node), unless max (> 0) devices
	// of uid are live on the nodes already: then it counts nothing and
	// returns false (ringing.max_connections_per_user holds for the
	// cluster, not per node). While the shared state cannot be reached it
	// counts the device for later and returns true: each node's own cap
	// still holds.
	ReserveDevice(uid string, max int) bool
	// DeviceGone counts a /v1/ws device of uid here going (queued).
	DeviceGone(uid string)
	// DeviceCount is how many live /v1/ws devices of uid the nodes count
	// (an error when the shared state cannot be read).
	DeviceCount(ctx context.Context, uid string) (int, error)
	// DeviceBound counts a /v1/ws socket of uid here bound to the push
	// target deviceID (registerDevice: +1, done before it returns, so a
	// ring that follows the reply finds it) or no longer (-1: queued).
	DeviceBound(uid, deviceID string, delta int)
	// BoundDevices lists uid's push targets with a socket bound to them on
	// some node (an error when the shared state cannot be read).
	BoundDevices(ctx context.Context, uid string) (map[string]bool, error)
	// DevicesElsewhere reports whether uid has a live /v1/ws device on
	// another node than this one (an error when the shared state cannot
	// be read).
	DevicesElsewhere(ctx context.Context, uid string) (bool, error)
	// CallsOf lists the calls uid rings in, is rung in or is joined to,
	// whichever node runs them (the busy index).
	CallsOf(ctx context.Context, uid string) ([]string, error)
	// RingingNodes lists the live nodes that take /v1/ws sockets (roles
	// all and signal), this one included.
	RingingNodes(ctx context.Context) ([]string, error)
	// Forward sends a device's command on call sid to the node that owns
	// it and returns its answer; owned is false when no other node owns
	// sid (the hub then answers locally).
	Forward(ctx context.Context, c Command) (res json.RawMessage, owned bool, err error)
	// Tell sends c to the node that owns its call, which runs it as
	// Forward's owner does but answers nothing (queued; nothing is sent
	// when no other node owns the call).
	Tell(c Command)
	// ForwardTo sends c to node and returns its answer; elsewhere is
	// false when node is this one (nothing sent).
	ForwardTo(ctx context.Context, node string, c Command) (res json.RawMessage, elsewhere bool, err error)
}

// RetryKey is an initiateCall's clientRequestId as Cluster.Claim records
// it, so a retry that reaches another node finds the call the first
// attempt placed (as one node finds it, within the call's ring window).
type RetryKey struct {
	Caller, ID string        // ID "": none
	TTL        time.Duration // the call's ring window
	Renew      bool          // claim even if the id names an earlier call
	// Rate and Burst are the caller's initiateCall limit
	// (ringing.initiate_rate, initiate_burst; Rate 0: none), kept by the
	// shared state for every node together: a claim takes a token.
	Rate  float64
	Burst int
}

// Placed names a call and the node that placed it.
type Placed struct{ SessionID, Node string }

// Claimed is what Cluster.Claim found.
type Claimed struct {
	Busy     []string // users already in a call on some node (not linked)
	MediaURL string   // base URL of the node hosting the call's media
	Devices  bool     // devicesOf has a live /v1/ws device on some node
	Retried  Placed   // the call an earlier claim with the same RetryKey placed (nothing claimed)
	// RetryAfter > 0: the caller's initiateCall rate is spent on the
	// nodes together (nothing claimed); a token is back after it.
	RetryAfter time.Duration
}

// Command is a device's request for a call another node owns, forwarded
// to the owner as data (not a closure): the owner runs the same operation
// a local device's request runs.
type Command struct {
	Method    string          // acceptCall, rejectCall, endCall, ackCall
	UID       string          // who asks
	SessionID string          // the call
	Params    json.RawMessage // the request's params, as sent
	Node      string          // the asking device's node (filled by the cluster)
	Conn      uint64          // the asking device's connection there
	Told      bool            // sent by Tell: nobody waits for the answer
}

// remoteOrigin is the device of a forwarded command: its events skip it.
type remoteOrigin struct {
	node string
	conn uint64
}

// claimCluster links the call's users in the shared busy index before the
// loop places it: users busy on any node ring busy, as on one node.
func (h *Hub) claimCluster(ctx context.Context, req *initiateReq) error {
	if h.cluster == nil {
		return nil
	}
	if !h.cluster.Up() {
		return fmt.Errorf("%w: no new calls until it is back; calls in progress go on", ErrClusterDown)
	}
	users := req.users()
	devicesOf := ""
	if h.mayBeUnreachable(*req) {
		devicesOf = req.receiver
	}
	key := RetryKey{Caller: req.caller, ID: req.requestID, TTL: ringTimeout(h.cfg, req.timeout),
		Rate: h.cfg.InitiateRate, Burst: h.cfg.InitiateBurst}
	claimed, err := h.cluster.Claim(ctx, req.sessionID, users, devicesOf, key)
	if err == nil && claimed.Retried.SessionID != "" {
		if req.retried = h.retriedOn(ctx, req.caller, req.requestID, claimed.Retried); req.retried != nil {
			var placed protocol.Call
			if json.Unmarshal(req.retried, &placed) == nil {
				if err := req.sameAs(placed.ReceiverType, cmp.Or(placed.Receiver.UID, placed.Receiver.GUID), placed.CallType); err != nil {
					req.retried = nil
					return err
				}
			}
			return nil // a retry: the call it placed, on whichever node placed it
		}
		key.Renew = true // that node no longer has it (past its ring window): a new call
		claimed, err = h.cluster.Claim(ctx, req.sessionID, users, devicesOf, key)
	}
	if err != nil {
		if errors.Is(err, ErrNoMediaNode) {
			return err
		}
		return fmt.Errorf("%w: %v", ErrClusterDown, err)
	}
	if claimed.RetryAfter > 0 {
		return h.rateLimited(claimed.RetryAfter)
	}
	busy := claimed.Busy
	req.mediaURL, req.devicesElsewhere = claimed.MediaURL, claimed.Devices
	if slices.Contains(busy, req.caller) {
		h.cluster.Release(req.sessionID, users)
		if req.receiverType == protocol.ReceiverUser {
			// glare: the receiver is ringing the caller; the call is answered instead
			if req.glareWith = h.cluster.PairCall(ctx, req.receiver, req.caller); req.glareWith != "" {
				return nil
			}
		}
		return fmt.Errorf("%w: you are already in a call; end it first", ErrInvalidState)
	}
	req.busyElsewhere = busy
	return nil
}

// retriedOn asks node p.Node for call p.SessionID, which caller placed
// with clientRequestId id (nil: that node no longer has it within its
// ring window, or did not answer). Not on the loop.
func (h *Hub) retriedOn(ctx context.Context, caller, id string, p Placed) json.RawMessage {
	params, _ := json.Marshal(protocol.InitiateParams{ClientRequestID: id}) // answered by retriedHere there
	raw, elsewhere, err := h.cluster.ForwardTo(ctx, p.Node, Command{Method: protocol.MethodInitiateCall, UID: caller,
		SessionID: p.SessionID, Params: params})
	if elsewhere {
		if err != nil || len(raw) == 0 || string(raw) == "null" {
			return nil
		}
		return raw
	}
	var res json.RawMessage
	if err := h.run(func() { res = h.retriedHere(caller, id, p.SessionID) }); err != nil {
		return nil
	}
	return res
}

// retriedHere is call sid, if caller placed it here with clientRequestId
// id within its ring window; on the loop.
func (h *Hub) retriedHere(caller, id, sid string) json.RawMessage {
	c := h.m.repeated(h.clock.Now(), caller, id)
	if c == nil || c.id != sid {
		return nil
	}
	return viewJSONFor(c, caller) // as the initiate's own reply
}

// users is the caller then every callee.
func (r *initiateReq) users() []string {
	if r.receiverType == protocol.ReceiverGroup {
		out := []string{r.caller}
		for _, u := range r.members {
			if u != r.caller {
				out = append(out, u)
			}
		}
		return out
	}
	return []string{r.caller, r.receiver}
}

// glareForwarded answers an initiateCall that is glare with a call another
// node owns: the caller accepts that call there (as one node's glare
// does), and the reply is that call with its callToken. ok is false when
// no other node owns it (the local machine finds the glare itself).
// device is the deviceId an HTTPS request named ("" if none).
func (h *Hub) glareForwarded(ctx context.Context, req initiateReq, conn uint64, device string) (res json.RawMessage, ok bool, err error) {
	if req.glareWith == "" {
		return nil, false, nil
	}
	params, _ := json.Marshal(answerParams{SessionID: req.glareWith, DeviceID: device})
	raw, owned, err := h.cluster.Forward(ctx, Command{Method: protocol.MethodAcceptCall, UID: req.caller,
		SessionID: req.glareWith, Params: params, Conn: conn})
	if !owned || err != nil {
		return nil, owned, err
	}
	var acc struct {
		Call      json.RawMessage `json:"call"`
		CallToken string          `json:"callToken"`
		MediaURL  string          `json:"mediaUrl"`
	}
	if err := json.Unmarshal(raw, &acc); err != nil {
		return nil, true, fmt.Errorf("%w: the owner's answer to a glare accept: %v", ErrClusterDown, err)
	}
	return withFields(acc.Call, "callToken", acc.CallToken, "mediaUrl", acc.MediaURL), true, nil
}

// opInitiateClaimed is opInitiate, releasing the claim when no call was
// placed under it (refused, or a retry or glare answered another call).
func (h *Hub) opInitiateClaimed(req initiateReq) (any, error) {
	res, err := h.opInitiate(req)
	if h.cluster != nil && (err != nil || h.m.calls[req.sessionID] == nil) {
		h.cluster.Release(req.sessionID, req.users())
	}
	return res, err
}

// clusterEnded frees a terminal call's users in the shared index.
func (h *Hub) clusterEnded(c *call) {
	if h.cluster == nil {
		return
	}
	users := make([]string, len(c.parts))
	for i, p := range c.parts {
		users[i] = p.uid
	}
	h.cluster.Release(c.id, users)
}

// deliverRemote hands an event to the user's devices on other nodes.
func (h *Hub) deliverRemote(uid string, m protocol.Message, skipOrigin bool) {
	if h.cluster == nil {
		return
	}
	var o remoteOrigin
	if skipOrigin {
		o = h.remote
	}
	h.cluster.Deliver(uid, m, o.node, o.conn)
}

// clusterPresence is the merged status of users across the cluster (nil:
// alone, or the shared state cannot be read: this node's view answers).
func (h *Hub) clusterPresence(ctx context.Context, users []protocol.User) map[string]string {
	if h.cluster == nil || len(users) == 0 {
		return nil
	}
	uids := make([]string, len(users))
	for i, u := range users {
		uids[i] = u.UID
	}
	return h.cluster.PresenceOf(ctx, uids)
}

// PresenceView is this node's view of a user, for re-publishing.
type PresenceView struct{ Name, View string }

// LiveCall is a live call this node runs, for re-publishing: its users
// (the caller first) and, if it was placed with a clientRequestId still
// within its ring window, that id (Request.ID "" otherwise).
type LiveCall struct {
	Users   []string
	Request RetryKey
}

// ClusterState is what this node holds, for re-publishing after Redis lost
// its data: live devices per user, the push targets their sockets are
// bound to, each live call, and this node's presence views.
func (h *Hub) ClusterState() (devices map[string]int, bound map[string]map[string]int, calls map[string]LiveCall, views map[string]PresenceView) {
	devices, bound = h.reg.counts(), h.reg.bound()
	calls = make(map[string]LiveCall)
	views = make(map[string]PresenceView)
	_ = h.run(func() {
		for uid, p := range h.presence {
			views[uid] = PresenceView{Name: p.name, View: h.viewOf(uid)}
		}
		for uid := range h.clusterBusy {
			views[uid] = PresenceView{Name: views[uid].Name, View: h.viewOf(uid)}
		}
		now := h.clock.Now()
		for _, c := range h.m.calls {
			if c.status != protocol.StatusInitiated && c.status != protocol.StatusOngoing {
				continue
			}
			var lc LiveCall
			for _, p := range c.parts {
				lc.Users = append(lc.Users, p.uid)
			}
			if caller, id, ok := strings.Cut(c.reqKey, "\x00"); ok && now.Before(c.deadline) {
				lc.Request = RetryKey{Caller: caller, ID: id, TTL: c.deadline.Sub(now)}
			}
			calls[c.id] = lc
		}
	})
	return devices, bound, calls, views
}

// DeliverLocal delivers an event another node sent for uid's devices here
// (skip: the connection that made the request, 0: none).
func (h *Hub) DeliverLocal(uid string, m protocol.Message, skip uint64) {
	if m.Event != protocol.EventIncomingCall {
		h.reg.toUser(uid, m, skip)
	} else {
		sid := sessionOf(m.Data)
		awake, unsure := h.reg.ringUser(uid, sid, m, skip)
		h.rang(awake, unsure, uid, sid, h.ackElsewhere)
	}
}

// forwarded sends c's command to the call's owner when another node owns
// it; ok reports that it did (and replied to the device).
func (h *Hub) forwarded(c *conn, m protocol.Message, sid string) (bool, error) {
	if h.cluster == nil {
		return false, nil
	}
	res, owned, err := h.cluster.Forward(c.ctx, Command{Method: m.Method, UID: c.uid, SessionID: sid, Params: m.Params, Conn: c.id})
	if !owned {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	return true, c.ws.Reply(m.ID, res)
}

// RunForwarded runs a command another node forwarded for a call this node
// owns, as the same operation a local request runs, and returns the result
// or a *protocol.Error.
func (h *Hub) RunForwarded(ctx context.Context, cmd Command) (json.RawMessage, error) {
	o := remoteOrigin{node: cmd.Node, conn: cmd.Conn}
	as := func(op func() (any, error)) func() (any, error) {
		return func() (any, error) { h.remote = o; return op() } // applyWith clears it
	}
	uid, sid := cmd.UID, cmd.SessionID
	if cmd.Told && cmd.Method == protocol.MethodAckCall { // a ring reached a live socket there: no answer, nothing to commit
		h.ackDelivered(uid, sid)
		return nil, nil
	}
	if res, ok, err := h.runMediaForwarded(cmd); ok {
		return res, err
	}
	if res, ok, err := h.runDisabledForwarded(cmd); ok {
		return res, err
	}
	// An answer over HTTPS names the phone (deviceId) in its params; a
	// socket's params, as sent, do not.
	var p answerParams
	_ = json.Unmarshal(cmd.Params, &p)
	device := p.DeviceID
	switch cmd.Method {
	case ForwardUserGone:
		var g goneParams
		_ = json.Unmarshal(cmd.Params, &g)
		since := time.UnixMilli(g.Since)
		if g.Since == 0 { // a node of an older build: every call of the user, as then
			since = h.clock.Now()
		}
		return json.RawMessage(`{}`), h.run(func() { h.userGoneFrom(uid, sid, since) })
	case ForwardAdminEnd:
		return h.adminEndHere(ctx, sid)
	case ForwardSocketLost:
		return json.RawMessage(`{}`), h.run(func() { h.ringLost(uid, sid, device) })
	case protocol.MethodAcceptCall:
		mem := h.membership(ctx, uid, sid)
		return h.answerHTTP(ctx, protocol.MethodAcceptCall, uid, device, sid, as(func() (any, error) { return h.opAccept(uid, sid, mem) }))
	case protocol.MethodRejectCall:
		if err := checkRejectStatus(p.Status); err != nil {
			return nil, protocol.AsError(err)
		}
		return h.answerHTTP(ctx, protocol.MethodRejectCall, uid, device, sid, as(func() (any, error) { return h.opReject(uid, sid, p.Status) }))
	case protocol.MethodEndCall:
		return h.answerHTTP(ctx, protocol.MethodEndCall, uid, device, sid, as(func() (any, error) { return h.opEnd(uid, sid) }))
	case protocol.MethodAckCall:
		return h.answerHTTP(ctx, protocol.MethodAckCall, uid, device, sid, as(func() (any, error) { return h.opAck(uid, sid) }))
	case protocol.MethodGetCall:
		return h.getCallHere(ctx, uid, sid)
	case protocol.MethodGenerateToken:
		return h.generateTokenHere(uid, sid)
	case protocol.MethodGetActiveCall:
		return h.activeCallHere(uid, sid)
	case protocol.MethodInitiateCall: // a retry's clientRequestId, asked of the node that placed its call (retriedOn)
		var ip protocol.InitiateParams
		_ = json.Unmarshal(cmd.Params, &ip)
		res := json.RawMessage("null")
		if e := h.run(func() {
			if r := h.retriedHere(uid, ip.ClientRequestID, sid); r != nil {
				res = r
			}
		}); e != nil {
			return nil, protocol.AsError(e)
		}
		return res, nil
	}
	return nil, protocol.Errorf(protocol.CodeUnknownMethod, "method %q is not forwarded between nodes", cmd.Method)
}

// Watching reports whether a connection here watches presence (listed
// users): in a cluster, the other nodes publish presence changes here.
func (h *Hub) Watching() bool { return h.reg.watchers.Load() > 0 }

// watchStarted counts c as a presence watcher; the first one here asks
// the other nodes for presence changes before listUsers answers.
func (h *Hub) watchStarted(c *conn) {
	if c.watching.Swap(true) {
		return
	}
	if h.reg.watchers.Add(1) == 1 && h.cluster != nil {
		h.cluster.Watch(c.ctx, true)
	}
}

// watchEnded: c (unregistered) was perhaps the last watcher here.
func (h *Hub) watchEnded(c *conn) {
	if h.cluster != nil && c.watching.Load() && !h.Watching() {
		h.cluster.Watch(c.ctx, false)
	}
}
