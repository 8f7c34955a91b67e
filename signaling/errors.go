package signaling

import (
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Sentinel errors, each with its wire code (protocol.AsError maps them).
// The state machine wraps them with %w and a message that names the call and
// the rule.
var (
	ErrNotFound     = protocol.NewSentinel(protocol.CodeNotFound, "no such call")
	ErrForbidden    = protocol.NewSentinel(protocol.CodeForbidden, "not allowed")
	ErrInvalidState = protocol.NewSentinel(protocol.CodeInvalidState, "call state does not allow this")
	ErrConflict     = protocol.NewSentinel(protocol.CodeConflict, "already done")
	ErrRateLimited  = protocol.NewSentinel(protocol.CodeRateLimited, "too many calls")
	ErrBadRequest   = protocol.NewSentinel(protocol.CodeBadRequest, "bad request")
	ErrCallFull     = protocol.NewSentinel(protocol.CodeTooLarge, "the call is full")
	ErrClosed       = protocol.NewSentinel(protocol.CodeInvalidState, "signaling: hub closed")
	ErrDraining     = protocol.NewSentinel(protocol.CodeInvalidState, "server is shutting down")
	ErrTooManyConns = protocol.NewSentinel(protocol.CodeRateLimited, "too many connections")
	ErrStoreFailing = protocol.NewSentinel(protocol.CodeUnavailable, "the server cannot record calls now")
	ErrClusterDown  = protocol.NewSentinel(protocol.CodeUnavailable, "the cluster's shared state (Redis) is unavailable")
	ErrNoMediaNode  = protocol.NewSentinel(protocol.CodeUnavailable, "no node of the cluster can host a call's media now")
)
