package protocol

import (
	"strconv"
	"time"
)

// Payload types of both sockets (docs/protocol.md, docs/protocol.schema.json).
// The server, the Go client and tests use these; nothing mirrors them.
// A field tagged `wire:"required"` is one the schema's "required" lists:
// DecodeParams refuses params without it (CheckFieldNames).

// Millis is a time in unix milliseconds; the zero value is JSON null.
type Millis int64

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

// MillisOf converts t (the zero time stays 0, null on the wire).
func MillisOf(t time.Time) Millis {
	if t.IsZero() {
		return 0
	}
	return Millis(t.UnixMilli())
}

// Party is a call's initiator ({uid,name}) or receiver ({uid,name} or
// {guid,name}); a user's avatar (a URL the app set) comes with it when the
// user has one.
type Party struct {
	UID    string `json:"uid,omitempty"`
	GUID   string `json:"guid,omitempty"`
	Name   string `json:"name"`
	Avatar string `json:"avatar,omitempty"`
}

// Participant is one user's part in a call.
type Participant struct {
	UID      string `json:"uid"`
	Status   string `json:"status"`
	JoinedAt Millis `json:"joinedAt"`
	LeftAt   Millis `json:"leftAt"`
	// EarlierMs is the time, in milliseconds, the participant spent in the
	// call before joinedAt: a group member who left and joined again has
	// joinedAt and leftAt of their last time in it, and the times before
	// summed here (omitted when none). Their time in the call is
	// earlierMs + (leftAt, or now while in it) - joinedAt.
	EarlierMs int64 `json:"earlierMs,omitempty"`
	// AckedAt is when a device of a ringing callee acknowledged the ring
	// (ackCall, POST /v1/calls/{sid}/ack, or a live socket it was sent on);
	// omitted until then.
	AckedAt Millis `json:"ackedAt,omitempty"`
	// Quality is the participant's last media session's quality, once it
	// has left the call's media; omitted before, and in call events.
	Quality *Quality `json:"quality,omitempty"`
}

// Call is the Call object. Unset times are null; endReason is omitted until
// the call ends. CallToken and Reason are set only where docs/protocol.md
// says (accept results and glare, outgoingCallAccepted; cancel/end events).
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
	// ParticipantsOmitted counts the participants left out of a call of
	// more than MaxListedParticipants in an event, a reply or a webhook
	// (see ListedFor). Omitted (0) otherwise.
	ParticipantsOmitted int    `json:"participantsOmitted,omitempty"`
	EndReason           string `json:"endReason,omitempty"`
	// Unreachable is true when the (1:1) callee had no live socket and no
	// push target when the call was placed: it rings to its timeout, but
	// the caller's UI can say the callee is offline.
	Unreachable bool   `json:"unreachable,omitempty"`
	CallToken   string `json:"callToken,omitempty"`
	// MediaURL comes with CallToken in a cluster: the base URL of the node
	// hosting the call's media, where /v1/rtc is opened.
	MediaURL string `json:"mediaUrl,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// MaxListedParticipants is the most participants a Call object lists in
// events, replies and webhooks. A larger call (a group of more members)
// lists only those Listed keeps for whom it is sent to: otherwise each of n
// members would receive the n-member list in every event about the call, and
// a call's bytes would grow with the square of its group. getCall, GET
// /v1/calls/{sid} and the call log list every participant.
const MaxListedParticipants = 50

// Listed reports whether participant i (uid, and whether they ever joined)
// of a call of more than MaxListedParticipants is listed in what is sent to
// viewer: the initiator (always first), the viewer (or, in a webhook, the
// participant the event concerns) and whoever joined the call.
func Listed(i int, uid string, joined bool, viewer string) bool {
	return i == 0 || joined || (uid == viewer && viewer != "")
}

// ListedFor returns c as sent to viewer: c itself when it has at most
// MaxListedParticipants participants, else a copy listing only those
// Listed keeps, with ParticipantsOmitted counting the others.
func (c Call) ListedFor(viewer string) Call {
	if len(c.Participants) <= MaxListedParticipants {
		return c
	}
	kept := make([]Participant, 0, 8)
	for i, p := range c.Participants {
		if Listed(i, p.UID, p.JoinedAt != 0, viewer) {
			kept = append(kept, p)
		}
	}
	c.ParticipantsOmitted, c.Participants = len(c.Participants)-len(kept), kept
	return c
}

// User is a listUsers entry; Online is false in presence events' data
// (userOnline/userOffline say it by their name).
type User struct {
	UID    string `json:"uid"`
	Name   string `json:"name"`
	Avatar string `json:"avatar,omitempty"`
	Online bool   `json:"online"`
	// Status is online, offline or busy (online and in a call).
	Status string `json:"status,omitempty"`
}

// PresenceUser is the data of userOnline / userOffline.
type PresenceUser struct {
	UID  string `json:"uid"`
	Name string `json:"name"`
}

// EventUserBusy says a watched user entered a call; userOnline follows
// when they leave it (and are still connected).
const EventUserBusy = "userBusy"

// Group is a listGroups entry.
type Group struct {
	GUID         string `json:"guid"`
	Name         string `json:"name"`
	MembersCount int    `json:"membersCount"`
}

// Connected is the data of the first event on /v1/ws.
type Connected struct {
	User Self `json:"user"`
}

// Self is the connected user: uid, display name, and avatar when the user
// has one.
type Self struct {
	UID    string `json:"uid"`
	Name   string `json:"name"`
	Avatar string `json:"avatar,omitempty"`
}

// InitiateParams are initiateCall's params. Timeout is in seconds
// (truncated; <= 0 or absent means the server's ring timeout).
type InitiateParams struct {
	ReceiverID   string  `json:"receiverId"`
	ReceiverType string  `json:"receiverType"`
	CallType     string  `json:"callType"`
	Timeout      float64 `json:"timeout,omitempty"`
	// ClientRequestID makes initiateCall retry-safe: the same id from the
	// same user within the ring window of the call it placed returns that
	// call, in whatever state it is now.
	ClientRequestID string `json:"clientRequestId,omitempty"`
}

// SessionParams name a call: acceptCall, endCall, generateToken.
type SessionParams struct {
	SessionID string `json:"sessionId"`
}

// RejectParams are rejectCall's params (status rejected, busy or cancelled).
type RejectParams struct {
	SessionID string `json:"sessionId"`
	Status    string `json:"status"`
}

// AcceptResult is acceptCall's result.
type AcceptResult struct {
	Call      Call   `json:"call"`
	CallToken string `json:"callToken"`
	MediaURL  string `json:"mediaUrl,omitempty"` // cluster: where to open /v1/rtc
}

// TokenResult is generateToken's result.
type TokenResult struct {
	CallToken string `json:"callToken"`
	MediaURL  string `json:"mediaUrl,omitempty"` // cluster: where to open /v1/rtc
}

// LogQuery is listCalls' and listCallPage's params.
type LogQuery struct {
	Limit     int    `json:"limit,omitempty"`     // 1..100, 0 means 50
	Before    int64  `json:"before,omitempty"`    // unix ms: calls initiated strictly before (may skip calls of that millisecond: use After)
	After     string `json:"after,omitempty"`     // a page's next (CallPage.Next): the calls after that page's last
	Status    string `json:"status,omitempty"`    // the viewer's status, e.g. missed
	Direction string `json:"direction,omitempty"` // incoming | outgoing
}

// ListUsersParams are listUsers' params.
type ListUsersParams struct {
	Limit int    `json:"limit,omitempty"` // 1..1000, 0 means 1000
	After string `json:"after,omitempty"` // uids strictly greater than this
}

// SubscribeParams are subscribe's params.
type SubscribeParams struct {
	Events []string `json:"events" wire:"required"`
}

// PingResult is ping's result.
type PingResult struct {
	Now int64 `json:"now"`
}

// --- /v1/rtc ---

// ICEServer is a STUN or TURN server handed to clients in joined.
type ICEServer struct {
	URLs       []string `yaml:"urls" json:"urls"`
	Username   string   `yaml:"username" json:"username,omitempty"`
	Credential string   `yaml:"credential" json:"credential,omitempty"`
}

// MediaParticipant is a participant of a media session; Muted is per kind.
type MediaParticipant struct {
	UID   string          `json:"uid"`
	Name  string          `json:"name,omitempty"`
	Muted map[string]bool `json:"muted"`
}

// Track is a forwarded track (joined's tracks, trackPublished), as one
// subscriber sees it: Mid is the m-line that carries it on that
// subscriber's connection (omitted when it is not forwarded to it). Match
// received tracks on Mid, or on the stream id (= UID); never on the remote
// track's own id (docs/protocol.md, "Which track is whose").
type Track struct {
	TrackID string `json:"trackId"`
	UID     string `json:"uid"`
	Kind    string `json:"kind"`
	Codec   string `json:"codec"`
	Muted   bool   `json:"muted"`
	Mid     string `json:"mid,omitempty"`
	// Source is what a video track shows: SourceCamera or SourceScreen
	// (omitted for audio).
	Source string `json:"source,omitempty"`
}

// Joined is the data of joined, the first frame on /v1/rtc.
type Joined struct {
	SessionID    string             `json:"sessionId"`
	You          MediaParticipant   `json:"you"`
	Participants []MediaParticipant `json:"participants"`
	Tracks       []Track            `json:"tracks"`
	ICEServers   []ICEServer        `json:"iceServers"`
	// Resumed: this connection took over the user's existing media
	// session (?resume=1): PeerConnections, tracks and mids are kept.
	Resumed bool `json:"resumed,omitempty"`
}

// UserJoined is the data of userJoined.
type UserJoined struct {
	MediaParticipant
	Rejoined bool `json:"rejoined,omitempty"`
}

// UserLeft is the data of userLeft (reason left or timeout).
type UserLeft struct {
	UID    string `json:"uid"`
	Reason string `json:"reason"`
}

// TrackUnpublished is the data of trackUnpublished; Mid is the m-line that
// carried it (which stays, carrying nothing).
type TrackUnpublished struct {
	TrackID string `json:"trackId"`
	UID     string `json:"uid"`
	Mid     string `json:"mid,omitempty"`
}

// Mute is muteChanged's data.
type Mute struct {
	UID   string `json:"uid,omitempty"`
	Kind  string `json:"kind"`
	Muted bool   `json:"muted"`
}

// MuteParams is mute's params (no uid: it is the sender).
type MuteParams struct {
	Kind  string `json:"kind" wire:"required"`
	Muted bool   `json:"muted" wire:"required"`
}

// Simulcast layer names (trackSettings' layer), lowest first.
const (
	LayerLow    = "low"
	LayerMedium = "medium"
	LayerHigh   = "high"
)

// TrackSettings is trackSettings' params: how a subscriber wants one
// received track. Each request replaces the track's settings whole.
type TrackSettings struct {
	TrackID string `json:"trackId" wire:"required"`
	// Paused stops the track being forwarded until a request without it.
	Paused bool `json:"paused,omitempty"`
	// Width and Height are the size the track is rendered at (CSS pixels
	// times devicePixelRatio); 0: unknown.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	// Layer pins a simulcast layer (LayerLow, LayerMedium, LayerHigh); ""
	// lets the server choose.
	Layer string `json:"layer,omitempty"`
}

// ActiveLayers is the data of activeLayers, sent to a simulcast publisher:
// the layers (rids) of its track that someone receives; the others may
// stop being encoded until a later activeLayers names them.
type ActiveLayers struct {
	TrackID       string   `json:"trackId"`
	SourceTrackID string   `json:"sourceTrackId"` // the track id of the publisher's a=msid
	RIDs          []string `json:"rids"`
}

// ActiveSpeakers is the data of activeSpeakers: who speaks now, loudest
// first (empty: nobody).
type ActiveSpeakers struct {
	UIDs []string `json:"uids"`
}

// RTCCallEnded is the data of callEnded on /v1/rtc.
type RTCCallEnded struct {
	SessionID string `json:"sessionId"`
	Reason    string `json:"reason"`
}

// SDP carries an offer or answer: publishOffer's params and result,
// subscriberOffer's data, subscriberAnswer's params.
type SDP struct {
	SDP string `json:"sdp" wire:"required"`
}

// Video track sources (Track.Source, PublishOffer.Sources).
const (
	SourceCamera = "camera"
	SourceScreen = "screen"
)

// PublishOffer is publishOffer's params: the offer, and optionally what
// each sending video m-line (by mid) carries (absent: camera).
type PublishOffer struct {
	SDP     string            `json:"sdp" wire:"required"`
	Sources map[string]string `json:"sources,omitempty"`
}

// Candidate is an ICE candidate as /v1/rtc carries it both ways: the fields
// of RTCIceCandidateInit; absent fields are omitted, never null. An empty
// Candidate line is the end of candidates (so is a null candidate in a
// client's trickle).
type Candidate struct {
	Candidate        string  `json:"candidate" wire:"required"`
	SDPMid           *string `json:"sdpMid,omitempty"`
	SDPMLineIndex    *uint16 `json:"sdpMLineIndex,omitempty"`
	UsernameFragment *string `json:"usernameFragment,omitempty"`
}

// Trickle is trickle's params (Candidate nil, from a JSON null: the end of
// candidates; absent is refused) and the trickle event's data (Candidate
// always set).
type Trickle struct {
	Target    string     `json:"target" wire:"required"`
	Candidate *Candidate `json:"candidate" wire:"required"`
}
