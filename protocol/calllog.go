package protocol

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// MethodListCallPage is listCalls with the page's next cursor: its result
// is a CallPage, where listCalls' is a bare array that has no room for one.
const MethodListCallPage = "listCallPage"

// CallPage is a page of the call log: listCallPage's result, and the
// answer of GET /v1/calls and GET /v1/admin/calls?uid=.
type CallPage struct {
	Calls []Call `json:"calls"`
	// Next, present when the page is full (or when a filtered log stopped
	// reading before it filled), is where the next page starts: pass it as
	// after (LogQuery.After).
	Next string `json:"next,omitempty"`
}

// LogCursor is a position in a call log: just after the call initiated
// at InitiatedAt (unix ms) with session id SessionID. The log is ordered
// by (initiatedAt, sessionId), newest first, so the pair, unlike the time
// alone, is never shared by two calls. On the wire it is an opaque string
// (String, ParseLogCursor).
type LogCursor struct {
	InitiatedAt int64
	SessionID   string
}

// maxLogCursor bounds the text ParseLogCursor reads: a 19-digit time, a
// colon and a 100-character session id, in base64.
const maxLogCursor = 4 * (19 + 1 + 100 + 2) / 3

// String is the cursor as clients pass it: unpadded base64url of
// "<initiatedAt>:<sessionId>".
func (c LogCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.InitiatedAt, 10) + ":" + c.SessionID))
}

// ParseLogCursor reads a cursor made by LogCursor.String (a page's next).
// Anything else is a bad_request *Error naming param, the parameter that
// carried it.
func ParseLogCursor(param, s string) (LogCursor, error) {
	bad := func() (LogCursor, error) {
		shown := s
		if len(shown) > 40 {
			shown = shown[:40] + "..."
		}
		return LogCursor{}, Errorf(CodeBadRequest, "%s must be the next of a call log page, passed as it came, not %q", param, shown)
	}
	// base64 decoding skips CR and LF, even strict: a cursor with them is not one this server made
	if s == "" || len(s) > maxLogCursor || strings.ContainsAny(s, "\r\n") {
		return bad()
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return bad()
	}
	at, sid, ok := strings.Cut(string(raw), ":")
	if !ok || !validLogSessionID(sid) {
		return bad()
	}
	ms, err := strconv.ParseInt(at, 10, 64)
	if err != nil || ms <= 0 || strconv.FormatInt(ms, 10) != at {
		return bad()
	}
	return LogCursor{InitiatedAt: ms, SessionID: sid}, nil
}

// validLogSessionID: 1 to 100 characters of A-Z a-z 0-9 _ . @ - (the
// store's id rule).
func validLogSessionID(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '@', r == '-':
		default:
			return false
		}
	}
	return true
}
