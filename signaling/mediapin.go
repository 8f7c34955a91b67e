package signaling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// A cluster pins each call's media to one node (Cluster.Claim): its call
// tokens name that node's URL (claim "media"), and the replies and events
// carrying a token carry it as "mediaUrl". The media node may not own the
// call: it asks the owner whether a participant may join (ForwardCanJoin)
// and tells it who joined and who left the media (ForwardMediaJoined,
// ForwardMediaLeft); a survivor that swept
// a lost media node asks the owner to end its calls (ForwardMediaLost).

// Methods forwarded between nodes besides the devices' own (never on the
// wire to clients).
const (
	ForwardCanJoin     = "canJoin"     // may UID open media for SessionID now
	ForwardMediaJoined = "mediaJoined" // UID joined SessionID's media
	ForwardMediaLeft   = "mediaLeft"   // UID left SessionID's media for good; params {"reason"}
	ForwardMediaLost   = "mediaLost"   // SessionID's media node was lost: end it (node_lost)
	ForwardUserGone    = "userGone"    // UID has no device left on any node: the reconnect grace ended
	ForwardAdminEnd    = "adminEnd"    // an admin ends SessionID for everyone (ended_by_admin)
	ForwardSocketLost  = "socketLost"  // UID's socket bound to push target params {"deviceId"} went (asleep.go)
)

// mediaURL is the media node named in call sid's tokens ("" = here), on
// the loop.
func (h *Hub) mediaURL(sid string) string {
	if c := h.m.calls[sid]; c != nil {
		return c.mediaURL
	}
	return ""
}

// mediaIf is c's media URL when an event carries a token.
func mediaIf(token string, c *call) string {
	if token == "" {
		return ""
	}
	return c.mediaURL
}

// tokenResult is generateToken's result.
func tokenResult(token, mediaURL string) protocol.TokenResult {
	return protocol.TokenResult{CallToken: token, MediaURL: mediaURL}
}

// canJoinRemote asks the owner of a call this node does not run whether
// uid may open its media (this node hosts it). err is what CanJoin found
// here; it is kept when no other node owns sid.
func (h *Hub) canJoinRemote(sid, uid string, err error) error {
	if h.cluster == nil || protocol.AsError(err).Code != protocol.CodeNotFound {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, owned, ferr := h.cluster.Forward(ctx, Command{Method: ForwardCanJoin, UID: uid, SessionID: sid})
	if !owned {
		return err
	}
	if ferr != nil {
		return protocol.AsError(ferr)
	}
	return nil
}

// runMediaForwarded runs the media node's and the sweeper's commands for a
// call this node owns; ok is false for another method.
func (h *Hub) runMediaForwarded(cmd Command) (res json.RawMessage, ok bool, err error) {
	switch cmd.Method {
	case ForwardCanJoin:
		if err := h.CanJoin(cmd.SessionID, cmd.UID); err != nil {
			return nil, true, err
		}
		return json.RawMessage(`{}`), true, nil
	case ForwardMediaJoined:
		h.MediaJoined(cmd.SessionID, cmd.UID)
		return json.RawMessage(`{}`), true, nil
	case ForwardMediaLeft:
		var p struct {
			Reason string `json:"reason"`
		}
		_ = json.Unmarshal(cmd.Params, &p)
		h.MediaLeft(cmd.SessionID, cmd.UID, p.Reason)
		return json.RawMessage(`{}`), true, nil
	case ForwardMediaLost:
		return json.RawMessage(`{}`), true, h.EndMediaLost(cmd.SessionID)
	}
	return nil, false, nil
}

// EndMediaLost ends call sid, which this node owns, because the node
// hosting its media was lost: ongoing participants hear callEnded and
// callees still ringing incomingCallCancelled, with reason node_lost; the
// log says ended (or cancelled if nobody answered) with endReason node_lost.
func (h *Hub) EndMediaLost(sid string) error {
	var err error
	if e := h.run(func() {
		c := h.m.calls[sid]
		if c == nil || c.terminal() {
			return
		}
		h.m.endFor(h.clock.Now(), c, protocol.ReasonNodeLost)
		h.apply()
	}); e != nil {
		err = e
	}
	if err != nil && !errors.Is(err, ErrClosed) {
		return fmt.Errorf("signaling: node_lost %s: %w", sid, err)
	}
	return nil
}

// EndedInLog reports whether the call log says call sid has ended (false
// when it cannot be read).
func (h *Hub) EndedInLog(ctx context.Context, sid string) bool {
	r, err := h.st.GetCall(ctx, sid)
	return err == nil && !r.EndedAt.IsZero()
}

// EndTakenOver ends call sid, which this node runs, here too: a survivor
// took it over and ended it (node_lost; its log and webhooks written) while
// this node could not reach Redis for an expiry. The participants' devices
// here get callEnded (node_lost), its media here ends, and the users are
// free here; nothing is written or hooked again.
func (h *Hub) EndTakenOver(sid string) {
	_ = h.run(func() {
		c := h.m.calls[sid]
		if c == nil || c.terminal() {
			return
		}
		h.log.Warn("call ended: a survivor took it over while this node could not reach Redis", "session", sid, "reason", protocol.ReasonNodeLost)
		c.takenOver = true
		h.m.endFor(h.clock.Now(), c, protocol.ReasonNodeLost)
		h.apply()
	})
}

// endFor ends c for everyone in it, for a reason of the server's (its
// media node is gone: node_lost; the server shuts down): callees still
// ringing get incomingCallCancelled, the caller of a call still ringing and
// the joined participants get callEnded.
func (m *machine) endFor(now time.Time, c *call, reason string) {
	m.cancelRinging(c, reason)
	if c.status == protocol.StatusInitiated {
		m.emit(c.initiator, protocol.EventCallEnded, c, reason, false)
		m.finish(now, c, protocol.StatusCancelled, reason)
		return
	}
	for _, p := range c.parts {
		if p.status == protocol.StatusOngoing {
			m.emit(p.uid, protocol.EventCallEnded, c, reason, false)
		}
	}
	m.finish(now, c, protocol.StatusEnded, reason)
}
