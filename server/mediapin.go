package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strconv"

	"github.com/switchboard-rtc/switchboard/cluster"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
	"github.com/switchboard-rtc/switchboard/signaling"
)

// A call's media is pinned to one node at initiateCall (cluster.Claim
// picks the least-loaded media node). The owner keeps the pin (link.pins)
// to tell that node when someone leaves or the call ends; the media node
// asks the owner who may join and tells it who left (signaling's
// forwarded canJoin and mediaLeft).

// reason is the params of an end.
type reason struct {
	Reason string `json:"reason"`
}

// pin records the media node of a call this node owns.
func (l *clusterLink) pin(sid, node string) {
	l.mu.Lock()
	l.pins[sid] = node
	l.mu.Unlock()
}

// unpin forgets sid's pin when the call is released, keeping it as the
// last one released: the machine ends a call's media right after it
// releases the call (fxTerminal, then fxMediaEnd, on the hub loop).
func (l *clusterLink) unpin(sid string) {
	l.mu.Lock()
	if node, ok := l.pins[sid]; ok {
		l.last = [2]string{sid, node}
		delete(l.pins, sid)
	}
	l.mu.Unlock()
}

// owns reports whether this node claimed call sid and has not released
// it: it runs the call, so no other node needs to be asked.
func (l *clusterLink) owns(sid string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.pins[sid]
	return ok
}

// pinned is the media node of call sid ("" = none known).
func (l *clusterLink) pinned(sid string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if node, ok := l.pins[sid]; ok {
		return node
	}
	if l.last[0] == sid {
		return l.last[1]
	}
	return ""
}

// clusterMedia is the hub's Media in a cluster: the local SFU, and the
// room on the call's media node when it is another node.
type clusterMedia struct {
	local *sfu.Server
	link  *clusterLink
}

func (m clusterMedia) RemoveParticipant(sid, uid, why string) {
	m.local.RemoveParticipant(sid, uid, why)
	params, _ := json.Marshal(reason{why})
	m.remote(sid, cluster.Envelope{Kind: cluster.KindMedia, Method: cluster.MediaRemove, SessionID: sid, UID: uid, Params: params})
}

func (m clusterMedia) EndCall(sid, why string) {
	m.local.EndCall(sid, why)
	params, _ := json.Marshal(reason{why})
	m.remote(sid, cluster.Envelope{Kind: cluster.KindMedia, Method: cluster.MediaEnd, SessionID: sid, Params: params})
}

func (m clusterMedia) remote(sid string, e cluster.Envelope) {
	node := m.link.pinned(sid)
	if node == "" || node == m.link.node.ID() {
		return
	}
	// A write like the others: it joins the batch of the release and the
	// deliveries queued around it (one round trip, in order).
	m.link.write("media", func(b *cluster.Batch) { b.Send(node, e) }, func(err error) {
		m.link.log.Warn("cluster: telling the media node failed", "session", sid, "media", node, "err", err)
	})
}

// receiveMedia runs an owner's order on a room this node hosts.
func (l *clusterLink) receiveMedia(e cluster.Envelope) {
	switch e.Method {
	case cluster.MediaEnd:
		var p reason
		_ = json.Unmarshal(e.Params, &p)
		l.sfu.EndCall(e.SessionID, p.Reason)
	case cluster.MediaRemove:
		p := reason{Reason: protocol.ReasonLeft} // a node of an earlier version sends none
		_ = json.Unmarshal(e.Params, &p)
		l.sfu.RemoveParticipant(e.SessionID, e.UID, p.Reason)
	}
}

// mediaHooks are the SFU's hooks in a cluster: the local hub for calls it
// owns; the owner, through the bus, for calls another node owns.
type mediaHooks struct {
	hub  *signaling.Hub
	link *clusterLink
}

func (h mediaHooks) MediaJoined(sid, uid string) {
	h.hub.MediaJoined(sid, uid) // nothing when another node owns it
	h.link.forwardAsync(signaling.Command{Method: signaling.ForwardMediaJoined, UID: uid, SessionID: sid})
}

func (h mediaHooks) MediaLeft(sid, uid, why string) {
	h.hub.MediaLeft(sid, uid, why) // nothing when another node owns it
	params, _ := json.Marshal(reason{why})
	h.link.forwardAsync(signaling.Command{Method: signaling.ForwardMediaLeft, UID: uid, SessionID: sid, Params: params})
}

func (h mediaHooks) MediaEndCall(sid, uid string) error {
	err := h.hub.MediaEndCall(sid, uid)
	if err == nil || protocol.AsError(err).Code != protocol.CodeNotFound {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), forwardTimeout)
	defer cancel()
	params, _ := json.Marshal(protocol.SessionParams{SessionID: sid})
	if _, owned, ferr := h.link.Forward(ctx, signaling.Command{Method: protocol.MethodEndCall, UID: uid, SessionID: sid, Params: params}); owned {
		return ferr
	}
	return err
}

// forwardAsync sends c to the owner of its call when another node owns it,
// off the caller's goroutine (the SFU's hooks return at once).
func (l *clusterLink) forwardAsync(c signaling.Command) {
	l.enqueue("forward", func(context.Context) {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), forwardTimeout)
			defer cancel()
			if _, owned, err := l.Forward(ctx, c); owned && err != nil {
				l.log.Warn("cluster: telling the call's owner failed", "method", c.Method, "session", c.SessionID, "err", err)
			}
		}()
	})
}

// placement is web's Placement in a cluster.
type placement struct {
	node *cluster.Node
}

func (p placement) RingsHere() error {
	if p.node.Role() == cluster.RoleMedia {
		return protocol.Errorf(protocol.CodeWrongNode, "this node hosts media only (role media): ringing (/v1/ws, /v1/calls) is on the nodes of role all or signal")
	}
	return nil
}

func (p placement) MediaHere(ctx context.Context, sid string) error {
	m, err := p.node.MediaOf(ctx, sid)
	if err != nil {
		return protocol.Errorf(protocol.CodeUnavailable, "cannot tell which node hosts this call's media: %v", err)
	}
	switch {
	case m.Node == p.node.ID():
		return nil
	case m.Node != "":
		e := protocol.Errorf(protocol.CodeWrongNode, "call %s's media is on node %s: open /v1/rtc at %s", sid, m.Node, m.URL)
		e.MediaURL = m.URL
		return e
	case p.node.Role() == cluster.RoleSignal:
		return protocol.Errorf(protocol.CodeWrongNode, "this node hosts no media (role signal)")
	}
	return nil // no live call: CanJoin says so
}

func (p placement) MediaOrigins(ctx context.Context) []string {
	nodes, err := p.node.Nodes(ctx)
	if err != nil {
		return nil
	}
	var out []string
	for _, n := range nodes {
		if n.Role != cluster.RoleSignal && n.MediaURL != "" {
			out = append(out, n.MediaURL)
		}
	}
	return out
}

// mediaURL is the base URL this node announces for /v1/rtc:
// cluster.media_url, else media.public_ip with the HTTP port, else the
// address it listens on.
func (a *App) mediaURL() string {
	if a.cfg.Cluster.MediaURL != "" {
		return a.cfg.Cluster.MediaURL
	}
	if ip := a.cfg.Media.PublicIP; ip != "" {
		port := a.listener.Addr().(*net.TCPAddr).Port
		return (&url.URL{Scheme: a.scheme(), Host: net.JoinHostPort(ip, strconv.Itoa(port))}).String()
	}
	return a.URL()
}

// checkRole refuses a role that needs what is not configured.
func checkRole(cfg Config) error {
	if err := cfg.Cluster.ValidatePlacement(); err != nil {
		return fmt.Errorf("%w (serve --role)", err)
	}
	return nil
}
