// Package client is switchboard's Go client SDK, for bots, tests and the
// load tool.
//
// The chat side (client.go, listener.go, types.go) mirrors CometChat's call
// API over /v1/ws: Dial, then InitiateCall, AcceptCall, RejectCall, EndCall,
// GenerateToken, GetActiveCall, ListCalls, ListUsers, ListGroups, and
// AddCallListener / RemoveCallListener for events. The media side
// (media*.go) joins a call's media session over /v1/rtc with a call token:
// JoinSession; then Mute, StartScreenShare / StopScreenShare, Leave. A
// LocalTrack sends encoded frames (WriteSample: VP8, VP9, H.264, Opus,
// split into packets for you) or RTP packets (Write, WriteRTP).
// Participants lists who else is in the call; received tracks come to
// OnTrack and OnPacket (RTP) and OnRTCP (the server's sender reports:
// RemoteTrack.WallClock maps a track's RTP time to the server's clock, to
// line up a participant's audio and video).
//
// Concurrency: every method is safe for concurrent use. Each connection has
// one reader goroutine that matches replies to requests and queues events;
// it never runs user code. A Client's CallListeners run on one dispatcher
// goroutine, in event order, so a listener may block or call any Client
// method (AcceptCall from OnIncomingCallReceived, Close, ...) without
// stalling replies. Sync is a barrier: it returns once every event sent
// before a ping's reply has been handed to the listeners. A media
// Session's OnEvent likewise runs on a goroutine of its own, in order, and
// may call any Session method (Leave and Close included).
//
// Errors: an error the server answered a request with is a
// *protocol.Error (errors.As, or protocol.AsError; its Code is one of
// protocol's Code* constants, listed in docs/protocol.md). A connection
// the server refused before the WebSocket upgrade (Dial, DialWith,
// JoinSession; e.g. 401 for a bad token) is an *HTTPError, which carries
// the server's code and message too (errors.As to *protocol.Error works on
// it). A call on a connection that has ended fails with ErrClosed
// (errors.Is); Client.Err and Session.Err say why it ended (ErrClosed
// after Close; a media session ended otherwise: ErrSessionEnded wrapping
// the reason, e.g. a refused resume's *HTTPError).
// A context's own error (context.Canceled, context.DeadlineExceeded) is
// returned as it is; the request may still have reached the server.
//
// Tokens: Dial takes an auth token your backend mints (a JWT signed with
// the API key's secret, docs/api.md "Tokens"; or, in Go, tokens.Issuer.MintAuth of
// package github.com/switchboard-rtc/switchboard/tokens with the server's
// key); JoinSession takes the call token AcceptCall, the
// outgoingCallAccepted event or GenerateToken gives. See the examples.
package client
