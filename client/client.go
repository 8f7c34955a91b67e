package client

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Client is one /v1/ws connection (the chat side): ringing methods, the call
// log, users and groups, and call/presence events through listeners. Its
// methods are safe for concurrent use; see CallListener for where listeners
// run.
type Client struct {
	rpc    *rpc
	events *eventQueue
	ready  chan struct{} // closed when the server's "connected" event arrived
	user   User          // from "connected"; written before ready is closed

	// mu guards listeners and order.
	mu        sync.Mutex
	listeners map[string]CallListener
	order     []string // listener ids in the order they were added
}

// Dial connects to baseURL's /v1/ws (http(s):// or ws(s)://) with an auth
// token and returns once the server has registered this device (its
// "connected" event): from then on a call to this user rings it. A refused
// upgrade is an *HTTPError (401 for a bad token).
func Dial(ctx context.Context, baseURL, authToken string) (*Client, error) {
	return DialWith(ctx, baseURL, authToken, DialOptions{})
}

// DialOptions tune DialWith.
type DialOptions struct {
	// HTTPClient performs the WebSocket upgrade (nil: http.DefaultClient),
	// e.g. one whose transport dials from chosen local addresses.
	HTTPClient *http.Client
	// OnFrame, when set, sees every raw frame sent and received on the
	// connection (see protocol.FrameHook: it must return quickly and not
	// keep the frame). Tests use it to validate the wire against
	// docs/protocol.schema.json.
	OnFrame protocol.FrameHook
	// Listeners are registered (as AddCallListener, in the order of their
	// ids) before the connection's reader starts, so they hear every event,
	// including the incomingCall the server sends right after "connected"
	// for a call already ringing this user, which a listener added after
	// DialWith returns may miss.
	Listeners map[string]CallListener
}

// DialWith is Dial with options.
func DialWith(ctx context.Context, baseURL, authToken string, opts DialOptions) (*Client, error) {
	c := &Client{events: newEventQueue(), ready: make(chan struct{}), listeners: make(map[string]CallListener)}
	for _, id := range slices.Sorted(maps.Keys(opts.Listeners)) {
		c.AddCallListener(id, opts.Listeners[id])
	}
	r, err := dialRPCWith(ctx, strings.TrimRight(baseURL, "/")+"/v1/ws", authToken, opts.HTTPClient, opts.OnFrame, c.onEvent)
	if err != nil {
		return nil, err
	}
	c.rpc = r
	select {
	case <-c.ready:
	case <-r.closed():
		// The reader closes ready before it reads on, so a "connected"
		// followed at once by a close frame has both done: select picks
		// either, and the registration, which came first, wins.
		select {
		case <-c.ready:
		default:
			return nil, fmt.Errorf("%w before the server registered it: %w", ErrClosed, r.failure())
		}
	case <-ctx.Done():
		r.close()
		return nil, ctx.Err()
	}
	go c.dispatch()
	return c, nil
}

// onEvent runs on the reader: "connected" completes Dial, the rest is
// queued for the listeners.
func (c *Client) onEvent(m protocol.Message) {
	if m.Event == protocol.EventConnected {
		select {
		case <-c.ready: // a second one changes nothing
		default:
			var d protocol.Connected
			_ = json.Unmarshal(m.Data, &d)
			c.user = User{UID: d.User.UID, Name: d.User.Name, Avatar: d.User.Avatar, Online: true} // this very connection
			close(c.ready)
		}
		return
	}
	c.events.push(m)
}

// User is who the server says this connection is (uid, display name and
// avatar, from its "connected" event; Online, as this connection is; Status is not
// followed: ListUsers or the presence events say it).
func (c *Client) User() User { return c.user }

// InitiateCall calls a user or a group. If that user was already ringing
// you (glare), their call is answered instead: the result is that call,
// ongoing, with CallToken set.
//
// An error from a cancelled context or a passed deadline (or a connection
// lost meanwhile) does not mean the call was not placed: the request may
// have reached the server, and the call may be ringing. To retry safely,
// set req.ClientRequestID (the same id returns the call it placed, while
// that call is in its ring window) and call again, or ask GetActiveCall.
func (c *Client) InitiateCall(ctx context.Context, req CallRequest) (Call, error) {
	var call Call
	err := c.rpc.call(ctx, protocol.MethodInitiateCall, req, &call)
	return call, err
}

// AcceptCall answers an incoming call; the result carries your CallToken.
func (c *Client) AcceptCall(ctx context.Context, sessionID string) (Call, error) {
	var res protocol.AcceptResult
	err := c.rpc.call(ctx, protocol.MethodAcceptCall, protocol.SessionParams{SessionID: sessionID}, &res)
	res.Call.CallToken, res.Call.MediaURL = res.CallToken, res.MediaURL
	return res.Call, err
}

// RejectCall rejects an incoming call (status StatusRejected or StatusBusy)
// or cancels your outgoing one (StatusCancelled).
func (c *Client) RejectCall(ctx context.Context, sessionID, status string) (Call, error) {
	var call Call
	err := c.rpc.call(ctx, protocol.MethodRejectCall, protocol.RejectParams{SessionID: sessionID, Status: status}, &call)
	return call, err
}

// EndCall hangs up: in a 1:1 call it ends the call for both; in a group
// call you leave it.
func (c *Client) EndCall(ctx context.Context, sessionID string) (Call, error) {
	var call Call
	err := c.rpc.call(ctx, protocol.MethodEndCall, protocol.SessionParams{SessionID: sessionID}, &call)
	return call, err
}

// GenerateToken mints a new call token for an ongoing call you are in
// (e.g. after a page reload).
func (c *Client) GenerateToken(ctx context.Context, sessionID string) (string, error) {
	var res protocol.TokenResult
	err := c.rpc.call(ctx, protocol.MethodGenerateToken, protocol.SessionParams{SessionID: sessionID}, &res)
	return res.CallToken, err
}

// GetActiveCall returns the call you are in, calling out in, or being rung
// by, or nil.
func (c *Client) GetActiveCall(ctx context.Context) (*Call, error) {
	var raw json.RawMessage
	if err := c.rpc.call(ctx, protocol.MethodGetActiveCall, nil, &raw); err != nil {
		return nil, err
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var call Call
	if err := json.Unmarshal(raw, &call); err != nil {
		return nil, err
	}
	return &call, nil
}

// ListCalls returns your call log, newest first, with your view of each
// status (a call you did not answer is missed, one nobody answered you is
// unanswered). To read it page by page use ListCallPage: paging with
// q.Before can skip calls initiated in the same millisecond.
func (c *Client) ListCalls(ctx context.Context, q LogQuery) ([]Call, error) {
	var calls []Call
	err := c.rpc.call(ctx, protocol.MethodListCalls, q, &calls)
	return calls, err
}

// ListCallPage returns a page of your call log as ListCalls does, with
// Next set when more calls follow (or when a filtered log stopped reading
// before it filled: fewer calls then, perhaps none): pass it as q.After
// for the next page (keeping the other fields of q), until a page comes
// without it.
func (c *Client) ListCallPage(ctx context.Context, q LogQuery) (CallPage, error) {
	var page CallPage
	err := c.rpc.call(ctx, protocol.MethodListCallPage, q, &page)
	return page, err
}

// ListUsers returns every user with their online flag. From then on this
// connection receives OnUserOnline / OnUserOffline.
func (c *Client) ListUsers(ctx context.Context) ([]User, error) {
	var users []User
	err := c.rpc.call(ctx, protocol.MethodListUsers, nil, &users)
	return users, err
}

// ListGroups returns the groups you are a member of.
func (c *Client) ListGroups(ctx context.Context) ([]Group, error) {
	var groups []Group
	err := c.rpc.call(ctx, protocol.MethodListGroups, nil, &groups)
	return groups, err
}

// SubscribeBusyCalls asks the server for incomingCallBusy on this
// connection (subscribe): a call that came while you were busy, which the
// server answered busy for you without ringing (CallListener's
// OnIncomingCallBusy).
func (c *Client) SubscribeBusyCalls(ctx context.Context) error {
	return c.rpc.call(ctx, protocol.MethodSubscribe, protocol.SubscribeParams{Events: []string{protocol.EventIncomingCallBusy}}, nil)
}

// Ping round-trips to the server.
func (c *Client) Ping(ctx context.Context) error {
	return c.rpc.call(ctx, protocol.MethodPing, nil, nil)
}

// Sync returns once every event the server sent before answering a ping
// has been handed to the listeners (and they returned): a barrier for
// tests and bots. The server answers a ping after the events of every
// request it answered before, anyone's: once another user's InitiateCall
// has returned, Sync has this client's incomingCall delivered (one
// server; not what other cluster nodes relay). Do not call it from a
// listener.
func (c *Client) Sync(ctx context.Context) error {
	if err := c.Ping(ctx); err != nil {
		return err
	}
	b := make(chan struct{})
	c.events.add(queued{barrier: b})
	select {
	case <-b:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done is closed when the connection has ended (Close, the server, or the
// network); Err then says why. The client does not reconnect by itself:
// the app dials again (passing its listeners again in
// DialOptions.Listeners) and calls GetActiveCall to learn what changed
// meanwhile (docs/protocol.md, "Reconnecting"): events sent while no
// connection was open are not replayed.
func (c *Client) Done() <-chan struct{} { return c.rpc.closed() }

// Err is nil while the connection is open. Once Done is closed it says why
// the connection ended: ErrClosed after Close, otherwise the server's close
// or the network error that ended it (wrapped in ErrClosed too, so
// errors.Is(err, ErrClosed) holds either way; websocket.CloseStatus gives
// the server's close code).
func (c *Client) Err() error {
	select {
	case <-c.rpc.closed():
	default:
		return nil
	}
	return c.rpc.closeErr()
}

// Close closes the connection and waits for its reader. Events already
// received are still delivered to the listeners. It may be called from a
// listener.
func (c *Client) Close() error {
	c.rpc.close()
	return nil
}
