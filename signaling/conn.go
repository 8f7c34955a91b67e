package signaling

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// conn is one /v1/ws connection: one device of one user. Its requests are
// handled one at a time on its reader goroutine (so replies go out in
// request order); everything sent to it goes through ws's writer.
type conn struct {
	hub    *Hub
	ctx    context.Context
	id     uint64 // unique in this process, never 0
	uid    string
	name   string
	avatar string // as stored when it connected
	ws     *protocol.Conn
	// watching is set once the client lists users: it then gets presence events.
	watching atomic.Bool
	// busyNotices is set by subscribe: the connection gets incomingCallBusy.
	busyNotices atomic.Bool
	// device is the push target this socket stands for (registerDevice), or nil.
	device atomic.Pointer[string]
	// rung holds the last sessions this connection was sent incomingCall
	// for (ring), next where the next goes; rungMu guards both.
	rungMu sync.Mutex
	rung   [4]string
	next   int
}

// ring sends m, the incomingCall of call sid, unless this connection was
// sent it already, and reports whether it sent it. A call rings a socket
// once: in a cluster a socket that connects as a call is placed gets the
// ring from the call's node and could get it again from its own node's
// catch-up of the calls ringing its user (ringFromElsewhere).
func (c *conn) ring(sid string, m protocol.Message) bool {
	c.rungMu.Lock()
	defer c.rungMu.Unlock()
	if slices.Contains(c.rung[:], sid) || c.ws.Send(m) != nil {
		return false
	}
	c.rung[c.next] = sid
	c.next = (c.next + 1) % len(c.rung)
	return true
}

// handler serves one method. On success it has sent the reply; an error is
// sent as the error reply.
type handler func(c *conn, m protocol.Message) error

func handlerTable() map[string]handler {
	return map[string]handler{
		protocol.MethodInitiateCall:     handleInitiate,
		protocol.MethodAcceptCall:       handleAccept,
		protocol.MethodRejectCall:       handleReject,
		protocol.MethodEndCall:          handleEnd,
		protocol.MethodGenerateToken:    handleGenerateToken,
		protocol.MethodGetActiveCall:    handleGetActiveCall,
		protocol.MethodListCalls:        handleListCalls,
		protocol.MethodListCallPage:     handleListCallPage,
		protocol.MethodListUsers:        handleListUsers,
		protocol.MethodListGroups:       handleListGroups,
		protocol.MethodPing:             handlePing,
		protocol.MethodAckCall:          handleAck,
		protocol.MethodGetCall:          handleGetCall,
		protocol.MethodSubscribe:        handleSubscribe,
		protocol.MethodRegisterDevice:   handleRegisterDevice,
		protocol.MethodUnregisterDevice: handleUnregisterDevice,
		protocol.MethodListDevices:      handleListDevices,
	}
}

// closing reports whether the connection has started closing.
func (c *conn) closing() bool {
	select {
	case <-c.ws.Done():
		return true
	default:
		return false
	}
}

// handle serves one frame on the reader goroutine.
func (c *conn) handle(m protocol.Message) {
	if !m.IsRequest() {
		_ = c.ws.ReplyError(m.ID, protocol.Errorf(protocol.CodeBadRequest, "clients send requests only, not replies or events"))
		return
	}
	h := c.hub.handlers[m.Method]
	if h == nil {
		_ = c.ws.ReplyError(m.ID, protocol.Errorf(protocol.CodeUnknownMethod, "unknown method %q", m.Method))
		return
	}
	if err := h(c, m); err != nil {
		if errors.Is(err, protocol.ErrClosed) || errors.Is(err, protocol.ErrSlow) || c.closing() {
			// The client is gone or being dropped (its reply, or the store
			// read for it, failed because of that): expected, nobody to tell.
			c.hub.log.Debug("reply not sent", "method", m.Method, "uid", c.uid, "err", err)
			return
		}
		we := protocol.AsError(err)
		if we.Code == protocol.CodeInternal {
			c.hub.log.Error("request failed", "method", m.Method, "uid", c.uid, "err", err)
		}
		_ = c.ws.ReplyError(m.ID, we)
	}
}

// handleSubscribe turns on optional events for this connection (all named
// or none: a name it does not know refuses the whole request).
func handleSubscribe(c *conn, m protocol.Message) error {
	var p protocol.SubscribeParams
	if err := protocol.DecodeParams(m.Params, &p); err != nil {
		return err
	}
	if len(p.Events) == 0 || len(p.Events) > 8 {
		return protocol.Errorf(protocol.CodeBadRequest, "events: name 1 to 8 optional events (got %d)", len(p.Events))
	}
	for _, e := range p.Events {
		if e != protocol.EventIncomingCallBusy {
			return protocol.Errorf(protocol.CodeBadRequest, "events: %q is not an optional event (the one there is: %q)", e, protocol.EventIncomingCallBusy)
		}
	}
	c.busyNotices.Store(true)
	return c.ws.Reply(m.ID, struct{}{})
}

// wants reports whether the connection takes event: optional ones only
// once subscribed.
func (c *conn) wants(event string) bool {
	return event != protocol.EventIncomingCallBusy || c.busyNotices.Load()
}
