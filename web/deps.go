package web

import (
	"context"
	"encoding/json"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// Ringing is what the front door needs of the ringing hub (package
// signaling's Hub satisfies it): admission and the /v1/ws socket, the REST
// answers to a ringing call, and the call log.
type Ringing interface {
	// Admit refuses a new /v1/ws connection before the upgrade.
	Admit(uid string) error
	// Start serves an upgraded /v1/ws socket on a goroutine of its own and
	// calls done when it has closed.
	Start(ctx context.Context, ws *websocket.Conn, user tokens.Claims, done func())
	// CanJoin tells whether uid may open /v1/rtc for a call.
	CanJoin(sessionID, uid string) error
	// Degraded is why new calls are refused: a short reason for anyone
	// (store_failing, store_unreachable) and the store's own error for
	// an admin; "" and "" while healthy.
	Degraded() (reason, detail string)
	// CheckStore is told a request found the store unavailable: the hub
	// checks it now, so that /healthz says so at once.
	CheckStore()

	InitiateCall(ctx context.Context, uid, name, device string, p protocol.InitiateParams) (json.RawMessage, error)
	// device is the deviceId the phone named ("" if none): it gets no stop push.
	AckCall(ctx context.Context, uid, device, sid string) (json.RawMessage, error)
	AcceptCall(ctx context.Context, uid, device, sid string) (json.RawMessage, error)
	RejectCall(ctx context.Context, uid, device, sid, status string) (json.RawMessage, error)
	EndCall(ctx context.Context, uid, device, sid string) (json.RawMessage, error)
	GetCall(ctx context.Context, uid, sid string) (json.RawMessage, error)
	// CallLogPage is a page of uid's call log and where the next starts.
	CallLogPage(ctx context.Context, uid string, q protocol.LogQuery) (protocol.CallPage, error)
	// LiveCalls is a page of every user's calls still ringing or ongoing
	// (the admin API).
	LiveCalls(ctx context.Context, q protocol.LogQuery) (protocol.CallPage, error)
	// LoggedCall is a call as the log holds it (the admin API).
	LoggedCall(ctx context.Context, sid string) (protocol.Call, error)
	// AdminEndCall ends a call for everyone (the admin API); the result
	// is the call as it ended.
	AdminEndCall(ctx context.Context, sid string) (json.RawMessage, error)
	// DisableUser takes a user the store now says is disabled out of every
	// live call and closes their sockets, on every node (the admin API).
	DisableUser(ctx context.Context, uid string) error
	// EnableUser lets a user the store no longer says is disabled be
	// called again at once on every node.
	EnableUser(ctx context.Context, uid string) error
	// EnsureUser records the user of a token as a /v1/ws connect does (the
	// token's name, if valid, else the stored one, else uid) and returns
	// them as stored.
	EnsureUser(ctx context.Context, who tokens.Claims) (store.User, error)
	// RegisterDevice stores a push target of uid (refused for a kind the
	// server sends no pushes of).
	RegisterDevice(ctx context.Context, uid string, p protocol.RegisterDeviceParams) (store.Device, error)
}

// Placement says which node of a cluster serves what. Both return nil or a
// *protocol.Error with code wrong_node.
type Placement interface {
	// RingsHere refuses /v1/ws and /v1/calls on a node that does not ring
	// (role media).
	RingsHere() error
	// MediaHere refuses /v1/rtc for a call whose media another node hosts;
	// the error's MediaURL names that node.
	MediaHere(ctx context.Context, sessionID string) error
	// MediaOrigins are the base URLs (http(s)://host[:port]) of the live
	// nodes that may host media: the page's CSP lets it connect to them.
	MediaOrigins(ctx context.Context) []string
}

// MediaParticipant is who opens a /v1/rtc socket, from the call token.
type MediaParticipant struct {
	SessionID string
	UID       string
	Name      string
	Resume    bool // resume=1: keep the session of a lost socket (ICE restart, not rejoin)
	// ResumeOnly: the call token has expired, which a resume may use:
	// there must be a session to resume (nothing else is served).
	ResumeOnly bool
}

// Media is what the front door needs of the media server: it serves an
// upgraded /v1/rtc socket until it closes (the assembly adapts sfu.Server).
type Media interface {
	Serve(ctx context.Context, ws *websocket.Conn, p MediaParticipant)
}

// deviceView renders a stored push target.
func deviceView(d store.Device) protocol.Device {
	return protocol.Device{DeviceID: d.DeviceID, Kind: d.Kind, Token: d.Token, AppID: d.AppID,
		CreatedAt: protocol.MillisOf(d.CreatedAt), UpdatedAt: protocol.MillisOf(d.UpdatedAt)}
}
