package protocol

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Message is one frame on the wire. Exactly one of Method (a request),
// Result/Error (a reply) or Event (an event) is set. Params, Result and
// Data hold valid JSON (Marshal and Conn.Send do not fully re-validate it).
type Message struct {
	ID     string          `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *Error          `json:"error,omitempty"`
	Event  string          `json:"event,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
}

// IsRequest reports whether m is a request (it names a method).
func (m *Message) IsRequest() bool { return m.Method != "" }

// IsEvent reports whether m is an event.
func (m *Message) IsEvent() bool { return m.Event != "" }

// IsReply reports whether m answers a request.
func (m *Message) IsReply() bool { return m.Method == "" && m.Event == "" && m.ID != "" }

// Stable error codes. Clients switch on these; never rename one.
const (
	CodeBadRequest    = "bad_request"    // malformed JSON, missing or wrong-typed params
	CodeUnknownMethod = "unknown_method" // no such method on this endpoint
	CodeUnauthorized  = "unauthorized"   // no valid token
	CodeForbidden     = "forbidden"      // the token's user may not do this
	CodeNotFound      = "not_found"      // no such call, user, group or session
	CodeInvalidState  = "invalid_state"  // the call is not in a state that allows this
	CodeConflict      = "conflict"       // already exists / already done
	CodeRateLimited   = "rate_limited"   // too many requests; try again later
	CodeTooLarge      = "too_large"      // a documented limit was exceeded
	CodeUnavailable   = "unavailable"    // the server cannot do this now (e.g. its storage fails); retry later
	CodeWrongNode     = "wrong_node"     // cluster: another node serves this (mediaUrl names it for /v1/rtc)
	CodeInternal      = "internal"       // a server fault; logged on the server
)

// Error is the error object of a reply or of an "error" event.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// RetryAfterMs is set with rate_limited: how long to wait, in
	// milliseconds, before the request would be accepted.
	RetryAfterMs int64 `json:"retryAfterMs,omitempty"`
	// MediaURL is set with wrong_node on /v1/rtc: the base URL of the node
	// hosting the call's media, where to open /v1/rtc instead.
	MediaURL string `json:"mediaUrl,omitempty"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Coded is an error that knows its wire code: the sentinel errors of the
// server packages (NewSentinel, and the store's) implement it, so AsError is
// the one place errors become codes.
type Coded interface {
	error
	ErrorCode() string
}

type sentinel struct{ code, msg string }

func (s *sentinel) Error() string     { return s.msg }
func (s *sentinel) ErrorCode() string { return s.code }

// NewSentinel returns a sentinel error with a wire code; wrap it with %w to
// add detail (the whole text becomes the reply's message).
func NewSentinel(code, msg string) error { return &sentinel{code: code, msg: msg} }

// AsError returns err as the *Error a client sees: an *Error anywhere in the
// chain as is; otherwise the code of the first Coded error in the chain, with
// err's whole text as the message. Anything else, and CodeInternal, becomes
// CodeInternal with a generic message, so server internals never leak.
func AsError(err error) *Error {
	var we *Error
	if errors.As(err, &we) {
		return we
	}
	var c Coded
	if errors.As(err, &c) && c.ErrorCode() != CodeInternal {
		return &Error{Code: c.ErrorCode(), Message: err.Error()}
	}
	return &Error{Code: CodeInternal, Message: "internal error"}
}

// Request builds a request frame.
func Request(id, method string, params any) (Message, error) {
	raw, err := marshalOptional(params)
	return Message{ID: id, Method: method, Params: raw}, err
}

// Reply builds a successful reply frame.
func Reply(id string, result any) (Message, error) {
	raw, err := marshalValue(result)
	return Message{ID: id, Result: raw}, err
}

// ReplyError builds an error reply frame.
func ReplyError(id string, err error) Message {
	return Message{ID: id, Error: AsError(err)}
}

// Event builds an event frame.
func Event(name string, data any) (Message, error) {
	raw, err := marshalOptional(data)
	return Message{Event: name, Data: raw}, err
}

// DecodeParams unmarshals a request's params into v, strictly: unknown fields
// and wrong types are a CodeBadRequest error that names the problem.
func DecodeParams(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		raw = json.RawMessage("{}")
	}
	if err := decodeStrict(raw, v); err != nil {
		return Errorf(CodeBadRequest, "invalid params: %s", DescribeJSONError(err))
	}
	return nil
}

func marshalOptional(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	return marshalValue(v)
}

// marshalValue is json.Marshal, except that JSON this process already
// encoded (a json.RawMessage) is used as is: Marshal compacts or escapes it
// later if it needs to, without a second pass through reflection.
func marshalValue(v any) (json.RawMessage, error) {
	if raw, ok := v.(json.RawMessage); ok && len(raw) > 0 {
		return raw, nil
	}
	return json.Marshal(v)
}
