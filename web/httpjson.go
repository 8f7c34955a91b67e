package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// writeJSON writes v as the JSON response body with status. (Before the
// status line goes out, net/http reads what is left of a body the handler
// did not read: ServeHTTP's read deadline bounds that.)
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// errorBody is the JSON body of every error answer.
type errorBody struct {
	Error *protocol.Error `json:"error"`
}

// writeError answers err as {"error":{"code","message"}} with the matching
// HTTP status. Internal errors are logged at error, never shown; an
// unavailable refusal at info (its cause was logged where it happened),
// or at warn with the store's error when the store refused.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	we := apiError(err)
	status := httpStatus(we.Code)
	switch {
	case status == http.StatusServiceUnavailable && store.Unavailable(err): // said nowhere else
		s.log.Warn("request refused: the database cannot be read or written", "method", r.Method, "path", r.URL.Path, "err", err)
		if s.deps.Hub != nil {
			s.deps.Hub.CheckStore() // /healthz says so now if the database is gone
		}
	case status == http.StatusServiceUnavailable: // a refusal the server chose (draining, store or Redis down): said where it began
		s.log.Info("request refused: unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	case status >= 500:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="switchboard"`)
	}
	if we.Code == protocol.CodeRateLimited && we.RetryAfterMs > 0 { // whole seconds, rounded up
		w.Header().Set("Retry-After", strconv.FormatInt((we.RetryAfterMs+999)/1000, 10))
	}
	writeJSON(w, status, errorBody{Error: we})
}

// decodeBody decodes the request body into v strictly: at most
// cfg.MaxBodyBytes, one JSON object, no unknown fields, nothing after it.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	return s.decode(w, r, v, false)
}

// decodeOptionalBody is decodeBody for a body that may be empty (v is then
// left as it is).
func (s *Server) decodeOptionalBody(w http.ResponseWriter, r *http.Request, v any) error {
	return s.decode(w, r, v, true)
}

// bodyReadTimeout bounds reading a request body (Config.BodyReadTimeout,
// when set, replaces it). The server has no overall read timeout
// (WebSockets live for hours), so without it a client that declares a body
// and sends it a byte a minute holds its connection and goroutine forever,
// before any login. Bodies are at most MaxBodyBytes (64 KiB by default):
// 10 s asks 6.4 KB/s of the slowest client, and is the server's own limit
// for a request's headers.
const bodyReadTimeout = 10 * time.Second

// bodyTimeout is how long a request's body may take to arrive.
func (s *Server) bodyTimeout() time.Duration {
	if s.cfg.BodyReadTimeout > 0 {
		return s.cfg.BodyReadTimeout
	}
	return bodyReadTimeout
}

func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	body, err := s.readBody(w, r)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return protocol.Errorf(protocol.CodeTooLarge, "request body is over the limit of %d bytes", s.cfg.MaxBodyBytes)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return protocol.Errorf(protocol.CodeBadRequest, "the request body did not arrive within %s", s.bodyTimeout())
	}
	if err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "cannot read the request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return protocol.Errorf(protocol.CodeBadRequest, "the request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "invalid JSON body: %s", protocol.DescribeJSONError(err))
	}
	if dec.More() {
		return protocol.Errorf(protocol.CodeBadRequest, "invalid JSON body: data after the JSON object")
	}
	if err := protocol.CheckFieldNames(body, v); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "invalid JSON body: %v", err)
	}
	return nil
}

// readBody reads r's body (at most MaxBodyBytes) within bodyTimeout.
// Read whole, the deadline is lifted: left on the connection, it would
// cancel the request's context when it passed during a long handler
// (net/http's background read fails), and must not reach a connection
// later hijacked. Not read whole, the connection is closed after the
// answer instead of waiting for the rest of the body. A writer without
// deadlines (httptest) reads without one.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	rc := http.NewResponseController(w)
	deadline := rc.SetReadDeadline(time.Now().Add(s.bodyTimeout())) == nil
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil { // not waited for again (the deadline holds): the connection closes after the answer
		_ = r.Body.Close()
	} else if deadline {
		_ = rc.SetReadDeadline(time.Time{})
	}
	return body, err
}
