// Package client is switchboard's Go client SDK, for bots, tests and the
// load tool.
//
// The chat side (client.go, listener.go, types.go) mirrors CometChat's call
// API over /v1/ws: Dial, then InitiateCall, AcceptCall, RejectCall, EndCall,
// GenerateToken, GetActiveCall, ListCalls, ListUsers, ListGroups, and
// AddCallListener / RemoveCallListener for events. The media side
// (media*.go) joins a call's media session over /v1/rtc with a call token:
// JoinSession.
//
// Concurrency: every method is safe for concurrent use. Each connection has
// one reader goroutine that matches replies to requests and queues events;
// it never runs user code. A Client's CallListeners run on one dispatcher
// goroutine, in event order, so a listener may block or call any Client
// method (AcceptCall from OnIncomingCallReceived, Close, ...) without
// stalling replies. Sync is a barrier: it returns once every event sent
// before a ping's reply has been handed to the listeners.
package client
