package signaling

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// machine is the ringing state machine: pure logic, no I/O, no goroutines,
// no clock of its own (every transition is given now). One goroutine (the
// hub loop) owns it. Each transition appends the effects to perform to fx;
// the owner performs them in order and resets fx.
type machine struct {
	cfg   Config
	calls map[string]*call   // every live call, and ended calls kept for a while
	users map[string][]*call // uid -> calls in which uid is ringing or joined
	ended []*call            // terminal calls still in calls, oldest first
	fx    []effect
	// requests maps caller + clientRequestId to the call it placed.
	requests map[string]*call
	// hooks: append fxHook effects (a Notifier is listening).
	hooks bool
	// touched lists users whose calls changed in this command (presence busy).
	touched []string

	ringing, ongoing int // how many calls are in each state
}

// endedRetention bounds how long, and how many, ended calls stay in memory
// so late requests get invalid_state rather than not_found.
const (
	endedRetention = 2 * time.Minute
	endedMax       = 10000
)

type effectKind uint8

const (
	fxEvent       effectKind = iota // deliver event to every device of uid
	fxPersist                       // save the call
	fxArmTimer                      // (re)arm the call's ring timer at call.deadline
	fxStopTimer                     // stop the call's ring timer
	fxMediaRemove                   // tell the media side uid left the call
	fxMediaEnd                      // tell the media side the call ended
	fxTerminal                      // the call reached its terminal status
	fxUnlink                        // uid left a call that goes on: free it in the shared busy index
	fxHook                          // tell the Notifier (pushes, webhooks): event is the hook type
)

// effect is one thing the owner must do after a transition.
type effect struct {
	kind       effectKind
	call       *call
	uid        string // event recipient, or the participant leaving
	event      string
	reason     string
	token      bool   // mint uid a call token and put it in the event
	skipOrigin bool   // not to the device that made the request
	seq        int    // fxHook: the call's hook sequence number
	device     string // fxHook HookRing: the only push target to ring (asleep.go); "": all without a socket
}

// initiateReq is a validated initiateCall with names resolved by the caller.
type initiateReq struct {
	sessionID      string
	caller         string
	callerName     string
	callerAvatar   string
	receiverType   string
	receiver       string
	receiverName   string
	receiverAvatar string   // a 1:1 callee's
	members        []string // group: every member's uid (the caller's too)
	callType       string
	timeout        float64 // seconds as asked; see ringTimeout
	requestID      string  // clientRequestId, optional
	unreachable    bool    // 1:1 callee has no live socket and no push target
	// busyElsewhere: users in a call on any node (cluster: the shared busy index)
	busyElsewhere []string
	// devicesElsewhere: the 1:1 receiver has live devices on some node
	// (cluster: looked up by the claim)
	devicesElsewhere bool
	// mediaURL: the node the cluster pinned the call's media to ("" = here)
	mediaURL string
	// glareWith: the 1:1 call the receiver is ringing the caller with,
	// found in the shared index (cluster); accepted instead of placing one
	glareWith string
	// retried: the call a retry with this clientRequestId placed before,
	// found by claimCluster (cluster: the caller is busy with it, on this
	// node or another); answered as it is, nothing placed
	retried json.RawMessage
}

func newMachine(cfg Config) *machine {
	return &machine{cfg: cfg, calls: make(map[string]*call), users: make(map[string][]*call),
		requests: make(map[string]*call)}
}

// ringTimeout applies the timeout rules: truncated to whole seconds; <= 0
// (or absent) means cfg.RingTimeout; capped at cfg.MaxRingTimeout.
func ringTimeout(cfg Config, secs float64) time.Duration {
	t := math.Trunc(secs)
	if !(t > 0) {
		return cfg.RingTimeout
	}
	if cfg.MaxRingTimeout > 0 && t >= cfg.MaxRingTimeout.Seconds() {
		return cfg.MaxRingTimeout
	}
	return time.Duration(t) * time.Second
}

func (m *machine) emit(uid, event string, c *call, reason string, skipOrigin bool) {
	m.fx = append(m.fx, effect{kind: fxEvent, uid: uid, event: event, call: c, reason: reason, skipOrigin: skipOrigin})
	if event == protocol.EventIncomingCallCancelled {
		m.hook(HookStopRinging, c, uid, reason)
	}
}

func (m *machine) do(kind effectKind, c *call) { m.fx = append(m.fx, effect{kind: kind, call: c}) }

func (m *machine) link(uid string, c *call) {
	m.users[uid] = append(m.users[uid], c)
	m.touched = append(m.touched, uid)
}

func (m *machine) unlink(uid string, c *call) {
	m.touched = append(m.touched, uid)
	if !c.terminal() { // a terminal call frees all its users at once (fxTerminal)
		m.fx = append(m.fx, effect{kind: fxUnlink, call: c, uid: uid})
	}
	list := m.users[uid]
	for i, x := range list {
		if x == c {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(m.users, uid)
		return
	}
	m.users[uid] = list
}

func (m *machine) setStatus(c *call, s string) {
	m.count(c.status, -1)
	c.status = s
	m.count(s, +1)
}

func (m *machine) count(s string, d int) {
	switch s {
	case protocol.StatusInitiated:
		m.ringing += d
	case protocol.StatusOngoing:
		m.ongoing += d
	}
}

func (m *machine) lookup(sessionID string) (*call, error) {
	c := m.calls[sessionID]
	if c == nil {
		return nil, fmt.Errorf("%w %q", ErrNotFound, sessionID)
	}
	return c, nil
}

// busy reports whether uid is ringing or joined in any call.
func (m *machine) busy(uid string) bool { return len(m.users[uid]) > 0 }

// engaged returns a call that stops uid from placing another: one uid is
// joined in, or is calling out in.
func (m *machine) engaged(uid string) *call {
	for _, c := range m.users[uid] {
		if c.part(uid).status == protocol.StatusOngoing || c.initiator == uid {
			return c
		}
	}
	return nil
}

// engagedElsewhere is engaged without c: the call other than c that uid is
// joined in or calling out in (a user is never in two calls).
func (m *machine) engagedElsewhere(uid string, c *call) *call {
	for _, o := range m.users[uid] {
		if o != c && (o.part(uid).status == protocol.StatusOngoing || o.initiator == uid) {
			return o
		}
	}
	return nil
}

// active is uid's current call for getActiveCall: the one uid is joined
// in, else the one uid is calling out in, else one ringing uid.
func (m *machine) active(uid string) *call {
	var out, in *call
	for _, c := range m.users[uid] {
		switch {
		case c.part(uid).status == protocol.StatusOngoing:
			return c
		case c.initiator == uid:
			out = c
		case in == nil:
			in = c
		}
	}
	if out != nil {
		return out
	}
	return in
}

// ringingCallees is how many non-initiators are still being rung.
func ringingCallees(c *call) int {
	n := 0
	for _, p := range c.parts[1:] {
		if p.status == protocol.StatusInitiated {
			n++
		}
	}
	return n
}

func joinedCount(c *call) int {
	n := 0
	for _, p := range c.parts {
		if p.status == protocol.StatusOngoing {
			n++
		}
	}
	return n
}

// cancelRinging tells every callee still ringing that the ring stopped.
func (m *machine) cancelRinging(c *call, reason string) {
	for _, p := range c.parts[1:] {
		if p.status == protocol.StatusInitiated {
			m.emit(p.uid, protocol.EventIncomingCallCancelled, c, reason, false)
		}
	}
}

// finish moves c to its terminal status: participants get their final
// status, nobody is linked to it any more, it is persisted and retained.
func (m *machine) finish(now time.Time, c *call, status, reason string) {
	wasOngoing := c.status == protocol.StatusOngoing
	m.finishHooks(c, status, reason)
	m.setStatus(c, status)
	c.endedAt, c.endReason = now, reason
	for i := range c.parts {
		p := &c.parts[i]
		switch p.status {
		case protocol.StatusOngoing:
			p.status, p.leftAt = protocol.StatusLeft, now
		case protocol.StatusInitiated:
			p.status = finalStatus(status, i == 0)
		default:
			continue // already unlinked when it rejected, left or missed
		}
		m.unlink(p.uid, c)
	}
	m.do(fxStopTimer, c)
	m.do(fxPersist, c)
	m.do(fxTerminal, c)
	if wasOngoing {
		m.fx = append(m.fx, effect{kind: fxMediaEnd, call: c, reason: reason})
	}
	m.ended = append(m.ended, c)
}

// finalStatus is the status of a participant still ringing (or, for the
// initiator, still waiting) when the call ends with status.
func finalStatus(status string, initiator bool) string {
	if initiator {
		if status == protocol.StatusEnded {
			return protocol.StatusLeft
		}
		return status
	}
	if status == protocol.StatusUnanswered || status == protocol.StatusEnded {
		return protocol.StatusMissed
	}
	return status
}

// prune forgets ended calls past their retention.
func (m *machine) prune(now time.Time) {
	n := 0
	for n < len(m.ended) {
		c := m.ended[n]
		if len(m.ended)-n <= endedMax && now.Sub(c.endedAt) < endedRetention {
			break
		}
		delete(m.calls, c.id)
		m.forget(c)
		m.ended[n] = nil
		n++
	}
	if n > 0 {
		m.ended = m.ended[n:]
	}
}
