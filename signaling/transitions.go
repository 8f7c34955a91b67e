package signaling

import (
	"fmt"
	"slices"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// initiate places a call. It returns the call and whether it was glare: the
// receiver was already ringing the caller, so that call was accepted instead.
func (m *machine) initiate(now time.Time, r initiateReq) (*call, bool, error) {
	if c := m.repeated(now, r.caller, r.requestID); c != nil {
		return c, false, nil
	}
	if c := m.glare(r); c != nil {
		c, err := m.accept(now, c.id, r.caller)
		if err == nil {
			m.rememberGlare(c, r.caller, r.requestID)
		}
		return c, true, err
	}
	if c := m.engaged(r.caller); c != nil {
		return nil, false, fmt.Errorf("%w: you are already in call %s (%s); end it first", ErrInvalidState, c.id, c.status)
	}
	c, ringing := m.newCall(now, r)
	if len(c.parts) == 1 {
		return nil, false, fmt.Errorf("%w: group %s has no other member to call", ErrInvalidState, r.receiver)
	}
	m.calls[c.id] = c
	m.count(protocol.StatusInitiated, 1)
	c.unreachable, c.mediaURL = r.unreachable, r.mediaURL
	m.remember(c, r.caller, r.requestID)
	m.hook(protocol.HookCallInitiated, c, "", "")
	m.tellBusy(c)
	if ringing == 0 { // every callee is busy: answer the caller at once
		m.emit(c.initiator, protocol.EventOutgoingCallRejected, c, protocol.ReasonBusy, false)
		m.finish(now, c, protocol.StatusBusy, protocol.ReasonBusy)
		return c, false, nil
	}
	for _, p := range c.parts {
		if p.status == protocol.StatusInitiated {
			m.link(p.uid, c)
			if p.uid != c.initiator {
				m.emit(p.uid, protocol.EventIncomingCall, c, "", false)
				m.hook(HookRing, c, p.uid, "")
			}
		}
	}
	m.do(fxArmTimer, c)
	m.do(fxPersist, c)
	return c, false, nil
}

// tellBusy tells each callee found busy (not rung) that the call came:
// incomingCallBusy, which only connections that subscribed to it get.
func (m *machine) tellBusy(c *call) {
	for _, p := range c.parts[1:] {
		if p.status == protocol.StatusBusy {
			m.emit(p.uid, protocol.EventIncomingCallBusy, c, protocol.ReasonBusy, false)
		}
	}
}

// glare returns the 1:1 call r's receiver is ringing r's caller with, if any.
func (m *machine) glare(r initiateReq) *call {
	if r.receiverType != protocol.ReceiverUser {
		return nil
	}
	for _, c := range m.users[r.caller] {
		if !c.isGroup() && c.status == protocol.StatusInitiated && c.initiator == r.receiver {
			return c
		}
	}
	return nil
}

// newCall builds the ringing call (not yet registered) and counts the
// callees it rings; busy ones (auto busy) are not rung.
func (m *machine) newCall(now time.Time, r initiateReq) (*call, int) {
	c := &call{
		id: r.sessionID, callType: r.callType, receiverType: r.receiverType,
		initiator: r.caller, initName: r.callerName, initAvatar: r.callerAvatar,
		receiver: r.receiver, recvName: r.receiverName, recvAvatar: r.receiverAvatar,
		status: protocol.StatusInitiated, initiatedAt: now, timeout: ringTimeout(m.cfg, r.timeout),
		parts: []participant{{uid: r.caller, status: protocol.StatusInitiated}},
	}
	c.deadline = now.Add(c.timeout)
	callees := []string{r.receiver}
	if c.isGroup() {
		callees = r.members
	}
	ringing := 0
	for _, uid := range callees {
		if uid == r.caller || c.part(uid) != nil {
			continue
		}
		st := protocol.StatusInitiated
		if m.cfg.AutoBusy && (m.busy(uid) || slices.Contains(r.busyElsewhere, uid)) {
			st = protocol.StatusBusy
		} else {
			ringing++
		}
		c.parts = append(c.parts, participant{uid: uid, status: st})
	}
	return c, ringing
}

// accept is acceptCall by uid: 1:1 only the callee; in a group any member
// not currently joined (a late join while the call is ongoing included).
func (m *machine) accept(now time.Time, sessionID, uid string) (*call, error) {
	return m.acceptAs(now, sessionID, uid, memberUnknown)
}

// acceptAs is accept with what the store said of uid's membership in a
// group call's group just before (mem): a member removed since the call
// began is refused, one added since may join it.
func (m *machine) acceptAs(now time.Time, sessionID, uid string, mem groupMember) (*call, error) {
	c, err := m.lookup(sessionID)
	if err != nil {
		return nil, err
	}
	p := c.part(uid)
	late := p == nil && c.isGroup() && mem == memberYes // added to the group after the call began
	switch {
	case c.isGroup() && mem == memberNo:
		return nil, fmt.Errorf("%w: you are not a member of group %q", ErrForbidden, c.receiver)
	case (p == nil && !late) || (!c.isGroup() && uid != c.receiver):
		return nil, fmt.Errorf("%w: only the callee may accept call %s", ErrForbidden, c.id)
	case uid == c.initiator && c.status == protocol.StatusInitiated:
		return nil, fmt.Errorf("%w: the caller cannot accept their own call %s", ErrForbidden, c.id)
	case c.terminal():
		return nil, fmt.Errorf("%w: call %s is %s", ErrInvalidState, c.id, c.status)
	case !late && p.status == protocol.StatusOngoing:
		return nil, fmt.Errorf("%w: call %s was already accepted by %s", ErrConflict, c.id, uid)
	}
	if o := m.engagedElsewhere(uid, c); o != nil {
		return nil, fmt.Errorf("%w: you are already in call %s (%s); end it first", ErrInvalidState, o.id, o.status)
	}
	if n := joinedCount(c); c.isGroup() && m.cfg.MaxCallParticipants > 0 && n >= m.cfg.MaxCallParticipants {
		return nil, fmt.Errorf("%w: call %s has %d participants, the most a call may have (media.max_participants); try again when someone leaves", ErrCallFull, c.id, n)
	}
	if late {
		c.parts = append(c.parts, participant{uid: uid, status: protocol.StatusMissed})
		p = &c.parts[len(c.parts)-1]
	}
	wasRinging := p.status == protocol.StatusInitiated
	if !wasRinging {
		m.link(uid, c) // a group member rejoining or joining late
	}
	if !p.joinedAt.IsZero() && p.leftAt.After(p.joinedAt) { // joining again: the time before counts
		p.earlier += p.leftAt.Sub(p.joinedAt)
	}
	p.status, p.joinedAt, p.leftAt = protocol.StatusOngoing, now, time.Time{}
	m.touched = append(m.touched, uid) // joined: busy
	if c.status == protocol.StatusInitiated {
		m.setStatus(c, protocol.StatusOngoing)
		c.joinedAt = now
		ini := &c.parts[0]
		ini.status, ini.joinedAt = protocol.StatusOngoing, now
		m.fx = append(m.fx, effect{kind: fxEvent, uid: c.initiator, event: protocol.EventOutgoingCallAccepted, call: c, token: true})
		m.hook(protocol.HookCallAccepted, c, uid, "")
		m.hook(protocol.HookParticipantJoined, c, c.initiator, "")
	}
	m.hook(protocol.HookParticipantJoined, c, uid, "")
	if wasRinging {
		m.emit(uid, protocol.EventIncomingCallCancelled, c, protocol.ReasonAnsweredElsewhere, true)
	}
	if ringingCallees(c) == 0 {
		m.do(fxStopTimer, c)
	}
	m.do(fxPersist, c)
	return c, nil
}

// reject is rejectCall: status rejected or busy by a callee, cancelled by
// the caller.
func (m *machine) reject(now time.Time, sessionID, uid, status string) (*call, error) {
	c, err := m.lookup(sessionID)
	if err != nil {
		return nil, err
	}
	if status == protocol.StatusCancelled {
		return m.cancel(now, c, uid)
	}
	p := c.part(uid)
	switch {
	case p == nil || uid == c.initiator:
		return nil, fmt.Errorf("%w: only the callee may reject call %s (the caller cancels with status cancelled)", ErrForbidden, c.id)
	case c.terminal():
		return nil, fmt.Errorf("%w: call %s is %s", ErrInvalidState, c.id, c.status)
	case p.status != protocol.StatusInitiated:
		return nil, fmt.Errorf("%w: you are no longer ringing in call %s (you are %s)", ErrInvalidState, c.id, p.status)
	}
	m.declined(now, c, p, status, protocol.ReasonRejectedElsewhere)
	return c, nil
}

// declined is callee p of c, still ringing, declining with status: their
// devices stop ringing with reason (rejectedElsewhere: the device that
// declined is the origin), and the call ends if nobody rings any more and
// nobody joined.
func (m *machine) declined(now time.Time, c *call, p *participant, status, reason string) {
	p.status = status
	m.unlink(p.uid, c)
	m.emit(p.uid, protocol.EventIncomingCallCancelled, c, reason, true)
	if ringingCallees(c) > 0 {
		m.do(fxPersist, c)
		return
	}
	if c.status == protocol.StatusOngoing {
		m.do(fxStopTimer, c)
		m.do(fxPersist, c)
		return
	}
	final := protocol.StatusBusy // nobody left ringing: rejected if anyone rejected
	for _, q := range c.parts[1:] {
		if q.status == protocol.StatusRejected {
			final = protocol.StatusRejected
		}
	}
	m.emit(c.initiator, protocol.EventOutgoingCallRejected, c, final, false)
	m.finish(now, c, final, final)
}

func (m *machine) cancel(now time.Time, c *call, uid string) (*call, error) {
	switch {
	case uid != c.initiator:
		return nil, fmt.Errorf("%w: only the caller may cancel call %s", ErrForbidden, c.id)
	case c.status == protocol.StatusOngoing:
		return nil, fmt.Errorf("%w: call %s was answered; use endCall", ErrInvalidState, c.id)
	case c.terminal():
		return nil, fmt.Errorf("%w: call %s is %s", ErrInvalidState, c.id, c.status)
	}
	m.cancelRinging(c, protocol.ReasonCancelled)
	m.finish(now, c, protocol.StatusCancelled, protocol.ReasonCancelled)
	// the caller's other devices (the one that placed the call, if another
	// one cancelled it) stop calling
	m.emit(c.initiator, protocol.EventOutgoingCallRejected, c, protocol.ReasonCancelled, true)
	return c, nil
}

// end is endCall by uid: in 1:1 it ends the call for both; in a group uid
// leaves, and the call ends when its last participant has left.
func (m *machine) end(now time.Time, sessionID, uid, reason string) (*call, error) {
	c, err := m.lookup(sessionID)
	if err != nil {
		return nil, err
	}
	p := c.part(uid)
	switch {
	case p == nil:
		return nil, fmt.Errorf("%w: only participants may end call %s", ErrForbidden, c.id)
	case p.status == protocol.StatusLeft:
		// Already out (CometChat's "leave the session, then endCall"):
		// nothing to do, and the caller learns how the call stands.
		return c, nil
	case c.terminal():
		return nil, fmt.Errorf("%w: call %s is %s", ErrInvalidState, c.id, c.status)
	case c.status == protocol.StatusInitiated:
		return nil, fmt.Errorf("%w: call %s was not answered yet; the caller cancels and the callee rejects with rejectCall", ErrInvalidState, c.id)
	case p.status != protocol.StatusOngoing:
		return nil, fmt.Errorf("%w: you are not in call %s (you are %s)", ErrInvalidState, c.id, p.status)
	}
	if !c.isGroup() {
		for _, q := range c.parts {
			m.emit(q.uid, protocol.EventCallEnded, c, reason, q.uid == uid)
		}
		m.finish(now, c, protocol.StatusEnded, reason)
		return c, nil
	}
	p.status, p.leftAt = protocol.StatusLeft, now
	m.unlink(uid, c)
	m.hook(protocol.HookParticipantLeft, c, uid, reason)
	m.emit(uid, protocol.EventCallEnded, c, reason, true)
	mediaReason := "" // left
	if reason == protocol.ReasonEndedByAdmin {
		mediaReason = reason
	}
	m.fx = append(m.fx, effect{kind: fxMediaRemove, call: c, uid: uid, reason: mediaReason})
	if joinedCount(c) > 0 {
		m.do(fxPersist, c)
		return c, nil
	}
	m.cancelRinging(c, protocol.ReasonEnded)
	m.finish(now, c, protocol.StatusEnded, reason)
	return c, nil
}

// timeout fires a call's ring timer: unanswered if nobody answered; in an
// ongoing group call the members still ringing missed it.
func (m *machine) timeout(now time.Time, sessionID string) {
	c := m.calls[sessionID]
	if c == nil || c.terminal() || now.Before(c.deadline) || ringingCallees(c) == 0 {
		return
	}
	m.cancelRinging(c, protocol.ReasonUnanswered)
	if c.status == protocol.StatusInitiated {
		m.emit(c.initiator, protocol.EventOutgoingCallRejected, c, protocol.ReasonUnanswered, false)
		m.finish(now, c, protocol.StatusUnanswered, protocol.ReasonUnanswered)
		return
	}
	for i := range c.parts {
		if p := &c.parts[i]; p.status == protocol.StatusInitiated {
			m.hook(protocol.HookCallMissed, c, p.uid, protocol.ReasonUnanswered)
			p.status = protocol.StatusMissed
			m.unlink(p.uid, c)
		}
	}
	m.do(fxPersist, c)
}

// userGone is the reconnect grace expiring for uid: calls uid is placing
// are cancelled, calls uid is joined in are left unless uid is still in
// their media (inMedia: a phone whose /v1/ws dropped while its call goes
// on). Calls ringing uid keep ringing until their timeout (uid may come
// back).
func (m *machine) userGone(now time.Time, uid string, since time.Time, inMedia func(sid, uid string) bool) {
	list := append([]*call(nil), m.users[uid]...)
	for _, c := range list {
		if c.newerFor(uid, since) {
			continue // placed or answered (over HTTPS) after the device went: watchAbsent's own grace
		}
		m.userGoneFrom(now, c, uid, inMedia)
	}
}

// userGoneFrom is userGone for one call.
func (m *machine) userGoneFrom(now time.Time, c *call, uid string, inMedia func(sid, uid string) bool) {
	p := c.part(uid)
	switch {
	case c.status == protocol.StatusInitiated && c.initiator == uid:
		m.cancelRinging(c, protocol.ReasonDisconnected)
		m.finish(now, c, protocol.StatusCancelled, protocol.ReasonDisconnected)
	case p != nil && p.status == protocol.StatusOngoing && !inMedia(c.id, uid):
		_, _ = m.end(now, c.id, uid, protocol.ReasonDisconnected)
	}
}

// disabled is uid's account disabled by the app's backend while in call c
// (reason ended_by_admin throughout): a 1:1 call ends for both (ringing:
// cancelled); a group call they are placing is cancelled; one they are in
// goes on without them (they leave); one ringing them stops ringing them,
// as if they had declined.
func (m *machine) disabled(now time.Time, c *call, uid string) {
	p := c.part(uid)
	switch {
	case p == nil || c.terminal():
	case !c.isGroup() || (c.status == protocol.StatusInitiated && c.initiator == uid):
		m.endFor(now, c, protocol.ReasonEndedByAdmin)
	case p.status == protocol.StatusOngoing:
		_, _ = m.end(now, c.id, uid, protocol.ReasonEndedByAdmin)
	case p.status == protocol.StatusInitiated:
		m.declined(now, c, p, protocol.StatusRejected, protocol.ReasonEndedByAdmin)
	}
}

// canJoin reports whether uid may open media for the call now.
func (m *machine) canJoin(sessionID, uid string) error {
	c, err := m.lookup(sessionID)
	if err != nil {
		return err
	}
	p := c.part(uid)
	switch {
	case p == nil:
		return fmt.Errorf("%w: you are not a participant of call %s", ErrForbidden, c.id)
	case c.status != protocol.StatusOngoing:
		return fmt.Errorf("%w: call %s is %s", ErrInvalidState, c.id, c.status)
	case p.status != protocol.StatusOngoing:
		return fmt.Errorf("%w: you have not joined call %s (you are %s)", ErrForbidden, c.id, p.status)
	}
	return nil
}

// shutdown ends every live call: ongoing ones as ended, ringing ones as
// cancelled, with reason. The sockets here are closed by then; the events
// reach the participants' devices on other nodes (and stop the pushed
// phones ringing).
func (m *machine) shutdown(now time.Time, reason string) {
	for _, c := range m.calls {
		if !c.terminal() {
			m.endFor(now, c, reason)
		}
	}
}
