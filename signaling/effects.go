package signaling

import (
	"cmp"
	"encoding/json"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Everything in this file runs on the hub loop.

// apply performs the machine's pending effects, then resets them: first
// timers, persistence and media (in order), then reply (if not nil), then
// the events (in order). So once a client sees a reply or an event, the
// command's timers are armed, and a reply precedes the events it caused.
func (h *Hub) apply() { h.applyWith(nil) }

func (h *Hub) applyWith(reply func()) {
	for i := range h.m.fx {
		if k := h.m.fx[i].kind; k != fxEvent && k != fxHook {
			h.perform(&h.m.fx[i])
		}
	}
	h.metrics.ringing.Set(float64(h.m.ringing))
	h.metrics.ongoing.Set(float64(h.m.ongoing))
	h.active.Store(int64(h.m.ringing + h.m.ongoing))
	if reply != nil {
		reply()
	}
	for i := range h.m.fx {
		switch h.m.fx[i].kind {
		case fxEvent:
			h.deliver(&h.m.fx[i])
		case fxHook:
			h.notify(&h.m.fx[i])
		}
	}
	clear(h.m.fx)
	h.m.fx = h.m.fx[:0]
	if len(h.m.touched) > 0 {
		h.updateBusy()
	}
	h.rendered, h.renderedJSON = nil, nil // the next command renders afresh
	h.remote = remoteOrigin{}             // a forwarded command's origin ends with it
	h.m.prune(h.clock.Now())
	if h.ops++; h.ops%4096 == 0 {
		h.lim.forget(h.clock.Now())
	}
}

func (h *Hub) perform(e *effect) {
	c := e.call
	switch e.kind {
	case fxPersist:
		if !c.takenOver {
			h.writer.save(c.record())
		}
	case fxArmTimer:
		h.stopTimer(c.id)
		id := c.id
		h.timers[id] = h.clock.AfterFunc(c.deadline.Sub(h.clock.Now()), func() {
			h.post(func() {
				h.m.timeout(h.clock.Now(), id)
				h.apply()
			})
		})
	case fxStopTimer:
		h.stopTimer(c.id)
	case fxTerminal:
		h.metrics.ended(c.status)
		h.groupOf.Delete(c.id)
		h.clusterEnded(c)
		delete(h.inMedia, c.id)
	case fxUnlink:
		if h.cluster != nil {
			h.cluster.Unlink(c.id, e.uid)
		}
	case fxMediaRemove:
		h.mediaOut(c.id, e.uid)
		if m := h.media.Load(); m != nil {
			m.RemoveParticipant(c.id, e.uid, cmp.Or(e.reason, protocol.ReasonLeft))
		}
	case fxMediaEnd:
		if m := h.media.Load(); m != nil {
			m.EndCall(c.id, e.reason)
		}
	}
}

func (h *Hub) stopTimer(id string) {
	if t := h.timers[id]; t != nil {
		t.Stop()
		delete(h.timers, id)
	}
}

func (h *Hub) stopTimers() {
	for id := range h.timers {
		h.stopTimer(id)
	}
	for _, p := range h.presence {
		if p.grace != nil {
			p.grace.Stop()
		}
	}
}

// deliver sends one event to every device of its recipient.
func (h *Hub) deliver(e *effect) {
	token := ""
	if e.token {
		token = h.mintToken(e.uid, e.call.id)
	}
	skip := uint64(0)
	if e.skipOrigin {
		skip = h.origin
	}
	data := withFields(h.renderFor(e.call, e.uid), "callToken", token, "mediaUrl", mediaIf(token, e.call), "reason", e.reason)
	msg := protocol.Message{Event: e.event, Data: data}
	if e.event != protocol.EventIncomingCall {
		h.out.toUser(e.uid, msg, skip)
	} else {
		awake, unsure := h.out.ringUser(e.uid, e.call.id, msg, skip)
		h.rang(awake, unsure, e.uid, e.call.id, h.ackDelivered)
	}
	h.deliverRemote(e.uid, msg, e.skipOrigin)
}

func (h *Hub) mintToken(uid, sessionID string) string {
	t, err := h.tok.MintCallOn(uid, sessionID, h.mediaURL(sessionID), h.cfg.CallTokenTTL)
	if err != nil {
		h.log.Error("minting a call token failed", "uid", uid, "session", sessionID, "err", err)
	}
	return t
}

// renderFor returns c's Call object as JSON as sent to uid (c.viewFor):
// the command's one rendering (render), unless c lists more participants
// than protocol.MaxListedParticipants, which is rendered for each.
func (h *Hub) renderFor(c *call, uid string) json.RawMessage {
	if len(c.parts) <= protocol.MaxListedParticipants {
		return h.render(c)
	}
	return viewJSONFor(c, uid)
}

// render returns c's Call object as JSON, rendered once per command.
func (h *Hub) render(c *call) json.RawMessage {
	if h.rendered != c {
		v := c.view()
		h.rendered, h.renderedJSON = c, appendCallJSON(make([]byte, 0, 512), &v)
	}
	return h.renderedJSON
}

// withFields returns the JSON object obj with string fields added (pairs
// of key, value; empty values are left out). obj is not modified.
func withFields(obj json.RawMessage, kv ...string) json.RawMessage {
	out, copied := obj, false
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" || len(obj) < 2 {
			continue
		}
		if !copied {
			out, copied = append(make([]byte, 0, len(obj)+64), obj...), true
		}
		out = protocol.AppendString(append(out[:len(out)-1], ','), kv[i])
		out = append(protocol.AppendString(append(out, ':'), kv[i+1]), '}')
	}
	return out
}

// command runs a transition requested by connection c: it resets the
// per-command render cache, marks c as the origin, and after fn replies (if
// fn returned a result) and performs the effects.
func (h *Hub) command(c *conn, id string, fn func() (any, error)) error {
	return h.commandWith(c, id, false, fn)
}

// commandWith is command; durable is for transitions that answer or end a
// call: the reply goes out only once the call writer has committed the
// change (group commit: it waits for its batch's transaction, never for
// the linger), so a client that heard "ok" finds the change after a crash.
// The reply is sent by c's reader goroutine, which waits; the loop does
// not. The command's events to others are not held back; on c, the reply
// keeps its place (protocol.Hold): what c is sent after the command waits
// for it, so c never hears of a later change before this reply.
func (h *Hub) commandWith(c *conn, id string, durable bool, fn func() (any, error)) error {
	var err error
	var res any
	var committed <-chan struct{}
	var held *protocol.Hold
	if e := h.run(func() {
		h.origin, h.originDevice = c.id, deviceRef{uid: c.uid, id: deviceOf(c)}
		res, err = fn()
		h.applyWith(func() {
			switch {
			case err != nil:
			case durable: // the snapshots are queued: the marker follows them
				committed = h.writer.commit(h.persisted()...)
				// Its place on c: events decided after it (the caller's
				// endCall right after an accept) come after the reply.
				held = c.ws.Hold()
				h.replies.Add(1) // Close lets it go out first
			default:
				h.reply(c, id, res)
			}
		})
		h.origin, h.originDevice = 0, deviceRef{}
	}); e != nil {
		return e
	}
	if err == nil && durable {
		if committed != nil {
			<-committed // the writer closes every marker it takes, also on stop
		}
		if rerr := held.Reply(id, res); rerr != nil {
			h.log.Debug("reply not sent", "conn", c.id, "err", rerr)
		}
		h.replies.Add(-1)
	}
	return err
}

// persisted lists the calls whose snapshots the command's effects queued
// (nil if none: a marker then waits for everything queued before it).
func (h *Hub) persisted() []string {
	var ids []string
	for i := range h.m.fx {
		if h.m.fx[i].kind == fxPersist {
			ids = append(ids, h.m.fx[i].call.id)
		}
	}
	return ids
}

// deviceRef names one device of a user by its push target's deviceId.
type deviceRef struct{ uid, id string }

// deviceOf is the push target c stands for ("" if none).
func deviceOf(c *conn) string {
	if d := c.device.Load(); d != nil {
		return *d
	}
	return ""
}

func (h *Hub) reply(c *conn, id string, res any) {
	if rerr := c.ws.Reply(id, res); rerr != nil {
		h.log.Debug("reply not sent", "conn", c.id, "err", rerr)
	}
}
