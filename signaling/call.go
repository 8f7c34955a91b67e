package signaling

import (
	"strconv"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// Call statuses (the Call object's status; also per-participant statuses).
const (
	StatusInitiated  = "initiated"
	StatusOngoing    = "ongoing"
	StatusBusy       = "busy"
	StatusRejected   = "rejected"
	StatusCancelled  = "cancelled"
	StatusEnded      = "ended"
	StatusMissed     = "missed"
	StatusUnanswered = "unanswered"
	// StatusLeft is a participant's status after leaving an ongoing call.
	StatusLeft = "left"
)

// Reasons carried by incomingCallCancelled and callEnded, and stored as a
// call's endReason.
const (
	ReasonCancelled         = "cancelled"
	ReasonUnanswered        = "unanswered"
	ReasonAnsweredElsewhere = "answeredElsewhere"
	ReasonRejectedElsewhere = "rejectedElsewhere"
	ReasonRejected          = "rejected"
	ReasonBusy              = "busy"
	ReasonEnded             = "ended"
	ReasonDisconnected      = "disconnected"
	ReasonServerShutdown    = "server_shutdown"
	ReasonServerRestart     = "server_restart"
)

// Receiver and call types.
const (
	ReceiverUser  = "user"
	ReceiverGroup = "group"
	CallAudio     = "audio"
	CallVideo     = "video"
)

// Millis is a time in unix milliseconds; the zero value is JSON null.
type Millis int64

// MillisOf converts t (zero stays zero).
func MillisOf(t time.Time) Millis {
	if t.IsZero() {
		return 0
	}
	return Millis(t.UnixMilli())
}

// MarshalJSON writes null for zero.
func (m Millis) MarshalJSON() ([]byte, error) {
	if m == 0 {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(m), 10), nil
}

// UnmarshalJSON accepts a number or null.
func (m *Millis) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*m = 0
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	*m = Millis(n)
	return err
}

// Party is a call's initiator ({uid,name}) or receiver ({uid,name} or {guid,name}).
type Party struct {
	UID  string `json:"uid,omitempty"`
	GUID string `json:"guid,omitempty"`
	Name string `json:"name"`
}

// Participant is one user's part in a call.
type Participant struct {
	UID      string `json:"uid"`
	Status   string `json:"status"`
	JoinedAt Millis `json:"joinedAt"`
	LeftAt   Millis `json:"leftAt"`
}

// Call is the Call object of docs/protocol.md. Unset times are null;
// endReason is omitted until the call ends.
type Call struct {
	SessionID    string        `json:"sessionId"`
	CallType     string        `json:"callType"`
	ReceiverType string        `json:"receiverType"`
	Initiator    Party         `json:"initiator"`
	Receiver     Party         `json:"receiver"`
	Status       string        `json:"status"`
	InitiatedAt  Millis        `json:"initiatedAt"`
	JoinedAt     Millis        `json:"joinedAt"`
	EndedAt      Millis        `json:"endedAt"`
	Timeout      int           `json:"timeout"`
	Participants []Participant `json:"participants"`
	EndReason    string        `json:"endReason,omitempty"`
}

// participant is the machine's view of one user in a call.
type participant struct {
	uid      string
	status   string
	joinedAt time.Time
	leftAt   time.Time
}

// call is the machine's live state of one call session.
type call struct {
	id           string
	callType     string
	receiverType string
	initiator    string
	initName     string
	receiver     string
	recvName     string
	status       string
	initiatedAt  time.Time
	joinedAt     time.Time
	endedAt      time.Time
	timeout      time.Duration
	deadline     time.Time
	endReason    string
	parts        []participant // parts[0] is the initiator
}

func (c *call) isGroup() bool { return c.receiverType == ReceiverGroup }

func (c *call) terminal() bool {
	return c.status != StatusInitiated && c.status != StatusOngoing
}

func (c *call) part(uid string) *participant {
	for i := range c.parts {
		if c.parts[i].uid == uid {
			return &c.parts[i]
		}
	}
	return nil
}

// view renders the Call object (the call's own status, not a viewer's).
func (c *call) view() Call {
	v := Call{
		SessionID:    c.id,
		CallType:     c.callType,
		ReceiverType: c.receiverType,
		Initiator:    Party{UID: c.initiator, Name: c.initName},
		Status:       c.status,
		InitiatedAt:  MillisOf(c.initiatedAt),
		JoinedAt:     MillisOf(c.joinedAt),
		EndedAt:      MillisOf(c.endedAt),
		Timeout:      int(c.timeout / time.Second),
		EndReason:    c.endReason,
		Participants: make([]Participant, len(c.parts)),
	}
	v.Receiver = party(c.receiverType, c.receiver, c.recvName)
	for i, p := range c.parts {
		v.Participants[i] = Participant{UID: p.uid, Status: p.status,
			JoinedAt: MillisOf(p.joinedAt), LeftAt: MillisOf(p.leftAt)}
	}
	return v
}

func party(receiverType, id, name string) Party {
	if receiverType == ReceiverGroup {
		return Party{GUID: id, Name: name}
	}
	return Party{UID: id, Name: name}
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
		r.Participants[i] = store.Participant{UID: p.uid, Status: p.status, JoinedAt: p.joinedAt, LeftAt: p.leftAt}
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
	if r.Status == StatusUnanswered {
		return StatusMissed
	}
	for _, p := range r.Participants {
		if p.UID != uid {
			continue
		}
		switch p.Status {
		case StatusMissed, StatusRejected, StatusBusy:
			return p.Status
		}
	}
	return r.Status
}

// logView renders a stored call for uid's log.
func logView(r store.Call, uid, initName, recvName string) Call {
	v := Call{
		SessionID:    r.SessionID,
		CallType:     r.CallType,
		ReceiverType: r.ReceiverType,
		Initiator:    Party{UID: r.InitiatorUID, Name: initName},
		Receiver:     party(r.ReceiverType, r.ReceiverID, recvName),
		Status:       viewerStatus(r, uid),
		InitiatedAt:  MillisOf(r.InitiatedAt),
		JoinedAt:     MillisOf(r.JoinedAt),
		EndedAt:      MillisOf(r.EndedAt),
		Timeout:      r.Timeout,
		EndReason:    r.EndReason,
		Participants: make([]Participant, len(r.Participants)),
	}
	for i, p := range r.Participants {
		v.Participants[i] = Participant{UID: p.UID, Status: p.Status,
			JoinedAt: MillisOf(p.JoinedAt), LeftAt: MillisOf(p.LeftAt)}
	}
	return v
}
