package signaling

import (
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// participant is the machine's view of one user in a call.
type participant struct {
	uid      string
	status   string
	joinedAt time.Time
	leftAt   time.Time
	earlier  time.Duration // in the call before joinedAt (left and joined again)
	ackedAt  time.Time     // a device of this callee acknowledged the ring
}

// call is the machine's live state of one call session.
type call struct {
	id           string
	callType     string
	receiverType string
	initiator    string
	initName     string
	initAvatar   string
	receiver     string
	recvName     string
	recvAvatar   string // a 1:1 callee's
	status       string
	initiatedAt  time.Time
	joinedAt     time.Time
	endedAt      time.Time
	timeout      time.Duration
	deadline     time.Time
	endReason    string
	parts        []participant // parts[0] is the initiator
	unreachable  bool          // the 1:1 callee had no socket and no push target
	seq          int           // hooks emitted so far (webhook event order)
	// takenOver: a survivor ended this call (node_lost) while this node
	// could not reach Redis, and wrote its log and its hooks: ending it
	// here (EndTakenOver) writes and hooks nothing more.
	takenOver bool
	reqKey    string // requests key, if placed with a clientRequestId
	glareKey  string // requests key of the initiateCall (with a clientRequestId) that accepted it by glare
	mediaURL  string // cluster: base URL of the node hosting its media ("" = here)
}

func (c *call) isGroup() bool { return c.receiverType == protocol.ReceiverGroup }

// acked reports whether a callee's device has acknowledged the ring.
func (c *call) acked() bool {
	for _, p := range c.parts[1:] {
		if !p.ackedAt.IsZero() {
			return true
		}
	}
	return false
}

func (c *call) terminal() bool {
	return c.status != protocol.StatusInitiated && c.status != protocol.StatusOngoing
}

func (c *call) part(uid string) *participant {
	for i := range c.parts {
		if c.parts[i].uid == uid {
			return &c.parts[i]
		}
	}
	return nil
}

// view renders the Call object (the call's own status, not a viewer's),
// every participant listed.
func (c *call) view() protocol.Call {
	v := c.head()
	v.Participants = make([]protocol.Participant, len(c.parts))
	for i := range c.parts {
		v.Participants[i] = c.parts[i].view()
	}
	return v
}

// viewFor is the Call object as sent to uid: view, but a call of more than
// protocol.MaxListedParticipants lists only those protocol.Listed keeps
// (so sending it to each member costs what those are, not the group).
func (c *call) viewFor(uid string) protocol.Call {
	if len(c.parts) <= protocol.MaxListedParticipants {
		return c.view()
	}
	v := c.head()
	v.Participants = make([]protocol.Participant, 0, 8)
	for i := range c.parts {
		if p := &c.parts[i]; protocol.Listed(i, p.uid, !p.joinedAt.IsZero(), uid) {
			v.Participants = append(v.Participants, p.view())
		}
	}
	v.ParticipantsOmitted = len(c.parts) - len(v.Participants)
	return v
}

// head is the Call object without its participants.
func (c *call) head() protocol.Call {
	v := protocol.Call{
		SessionID:    c.id,
		CallType:     c.callType,
		ReceiverType: c.receiverType,
		Initiator:    protocol.Party{UID: c.initiator, Name: c.initName, Avatar: c.initAvatar},
		Status:       c.status,
		InitiatedAt:  protocol.MillisOf(c.initiatedAt),
		JoinedAt:     protocol.MillisOf(c.joinedAt),
		EndedAt:      protocol.MillisOf(c.endedAt),
		Timeout:      int(c.timeout / time.Second),
		EndReason:    c.endReason,
		Unreachable:  c.unreachable,
	}
	v.Receiver = party(c.receiverType, c.receiver, c.recvName)
	v.Receiver.Avatar = c.recvAvatar
	return v
}

// newerFor reports whether c was placed, or joined by uid, after t: a
// reconnect grace that started at t is not the one to take uid out of it.
func (c *call) newerFor(uid string, t time.Time) bool {
	p := c.part(uid)
	return c.initiatedAt.After(t) || (p != nil && p.joinedAt.After(t))
}

func (p *participant) view() protocol.Participant {
	return protocol.Participant{UID: p.uid, Status: p.status,
		JoinedAt: protocol.MillisOf(p.joinedAt), LeftAt: protocol.MillisOf(p.leftAt), EarlierMs: p.earlier.Milliseconds(),
		AckedAt: protocol.MillisOf(p.ackedAt)}
}

func party(receiverType, id, name string) protocol.Party {
	if receiverType == protocol.ReceiverGroup {
		return protocol.Party{GUID: id, Name: name}
	}
	return protocol.Party{UID: id, Name: name}
}

// record is the persisted form of the call.
func (c *call) record() store.Call {
	r := store.Call{
		SessionID:    c.id,
		CallType:     c.callType,
		ReceiverType: c.receiverType,
		InitiatorUID: c.initiator,
		ReceiverID:   c.receiver,
		Status:       c.status,
		InitiatedAt:  c.initiatedAt,
		JoinedAt:     c.joinedAt,
		EndedAt:      c.endedAt,
		Timeout:      int(c.timeout / time.Second),
		EndReason:    c.endReason,
		Participants: make([]store.Participant, len(c.parts)),
	}
	for i, p := range c.parts {
		r.Participants[i] = store.Participant{UID: p.uid, Status: p.status, JoinedAt: p.joinedAt, LeftAt: p.leftAt, Earlier: p.earlier}
	}
	return r
}

// viewerStatus is the status uid sees for a call in their log: an
// unanswered call is unanswered to its initiator and missed to everyone
// else; a member who never answered a group call that others answered
// missed it; one who rejected (or was busy) sees that.
func viewerStatus(r store.Call, uid string) string {
	if uid == r.InitiatorUID {
		return r.Status
	}
	if r.Status == protocol.StatusUnanswered {
		return protocol.StatusMissed
	}
	for _, p := range r.Participants {
		if p.UID != uid {
			continue
		}
		switch p.Status {
		case protocol.StatusMissed, protocol.StatusRejected, protocol.StatusBusy:
			return p.Status
		}
	}
	return r.Status
}

// logView renders a stored call for uid's log; init and recv are its
// initiator and receiver as they are now (names.go, nameCache).
func logView(r store.Call, uid string, init, recv protocol.Party) protocol.Call {
	v := protocol.Call{
		SessionID:    r.SessionID,
		CallType:     r.CallType,
		ReceiverType: r.ReceiverType,
		Initiator:    init,
		Receiver:     recv,
		Status:       viewerStatus(r, uid),
		InitiatedAt:  protocol.MillisOf(r.InitiatedAt),
		JoinedAt:     protocol.MillisOf(r.JoinedAt),
		EndedAt:      protocol.MillisOf(r.EndedAt),
		Timeout:      r.Timeout,
		EndReason:    r.EndReason,
		Participants: make([]protocol.Participant, len(r.Participants)),
	}
	for i, p := range r.Participants {
		v.Participants[i] = protocol.Participant{UID: p.UID, Status: p.Status,
			JoinedAt: protocol.MillisOf(p.JoinedAt), LeftAt: protocol.MillisOf(p.LeftAt), EarlierMs: p.Earlier.Milliseconds()}
	}
	return v
}
