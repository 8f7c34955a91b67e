package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

// bearerToken returns the token of "Authorization: Bearer T" or, when
// allowQuery (WebSocket endpoints: browsers cannot set headers there), of
// the WebSocket subprotocol "bearer.T" (what the JS SDK sends, beside
// wsProtocol: the token stays out of the URL, so out of proxies' access
// logs and browsers' console messages) or of ?token=T.
func bearerToken(r *http.Request, allowQuery bool) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	if !allowQuery {
		return ""
	}
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(h, ",") {
			if tok, ok := strings.CutPrefix(strings.TrimSpace(p), bearerProtocol); ok {
				return tok
			}
		}
	}
	return r.URL.Query().Get("token")
}

// wsProtocol is the WebSocket subprotocol the server answers when a client
// offers it (a browser offering subprotocols needs one answered), and
// bearerProtocol the prefix of the one that carries a token.
const (
	wsProtocol     = "switchboard"
	bearerProtocol = "bearer."
)

// maxTokenLen bounds a token before it is parsed: the server's own tokens
// are a few hundred bytes (ids and names are at most 100 characters),
// while parsing a megabyte of made-up claims costs milliseconds of CPU
// before the signature check can refuse it.
const maxTokenLen = 8 << 10

// verify extracts and verifies a token of kind; the error is a 401 *protocol.Error
// that says what is wrong (never which secret was tried).
func (s *Server) verify(r *http.Request, kind tokens.Kind, allowQuery bool) (tokens.Claims, error) {
	tok := bearerToken(r, allowQuery)
	if tok == "" {
		where := "an Authorization: Bearer header"
		if allowQuery {
			where += ", a WebSocket subprotocol bearer.TOKEN or ?token="
		}
		return tokens.Claims{}, protocol.Errorf(protocol.CodeUnauthorized, "missing %s token: send it in %s", kind, where)
	}
	if len(tok) > maxTokenLen {
		return tokens.Claims{}, protocol.Errorf(protocol.CodeUnauthorized, "invalid %s token: it is %d bytes long; the limit is %d", kind, len(tok), maxTokenLen)
	}
	c, err := s.deps.Tokens.Verify(tok, kind)
	if err != nil {
		if kind == tokens.KindAdmin && (errors.Is(err, tokens.ErrExpired) || errors.Is(err, tokens.ErrInvalidClaims)) {
			// Signed with one of the app's keys (claims are checked after
			// the signature), so not noise: the app's backend is locked out
			// of the admin API, and the operator is who can say why.
			s.log.Warn("admin: a signed admin token was refused", "method", r.Method, "path", r.URL.Path,
				"remote", r.RemoteAddr, "err", tokenProblem(err))
		}
		return tokens.Claims{}, protocol.Errorf(protocol.CodeUnauthorized, "invalid %s token: %s", kind, tokenProblem(err))
	}
	if err := checkClaims(c); err != nil { // before any upgrade: 401, not 101 then 1011
		return tokens.Claims{}, protocol.Errorf(protocol.CodeUnauthorized, "invalid %s token: %v", kind, err)
	}
	return c, nil
}

// refuseDisabled is a 403 for a user the app's backend disabled (admin
// API). A store that cannot be read lets them in, as the group check at
// accept does: a store outage is not a lockout of everyone.
func (s *Server) refuseDisabled(ctx context.Context, uid string) error {
	if uid == "" {
		return nil
	}
	u, err := s.deps.Store.GetUser(ctx, uid)
	if err != nil || !u.Disabled {
		return nil
	}
	return protocol.Errorf(protocol.CodeForbidden, "user %s is disabled by the app's backend", uid)
}

// verifyRTC checks the call token of a /v1/rtc request. With resume=1 a
// token past its expiry is taken too (resumeOnly true): the expiry bounds
// joining a call, while a media session already joined outlives it and
// its client resumes with the token it joined with; the SFU then resumes
// only a session it still holds (docs/protocol.md, "Network changes and
// interruptions"). Anything else wrong with the token is refused as usual.
func (s *Server) verifyRTC(r *http.Request, resume bool) (c tokens.Claims, resumeOnly bool, err error) {
	c, err = s.verify(r, tokens.KindCall, true)
	tok := bearerToken(r, true)
	if err == nil || !resume || len(tok) > maxTokenLen {
		return c, false, err
	}
	late, lerr := s.deps.Tokens.VerifyCallResume(tok)
	if lerr != nil || checkClaims(late) != nil {
		return tokens.Claims{}, false, err
	}
	return late, true, nil
}

// checkClaims applies the store's rules to what a signed token names: a
// uid and session id the store would refuse, or a name it would, make the
// token invalid.
func checkClaims(c tokens.Claims) error {
	if c.UID != "" || c.Kind != tokens.KindAdmin {
		if err := store.ValidateID("uid", c.UID); err != nil {
			return err
		}
	}
	if c.Name != "" {
		if err := store.ValidateName("name", c.Name); err != nil {
			return err
		}
	}
	if c.Kind == tokens.KindCall {
		return store.ValidateID("sid", c.SessionID)
	}
	return nil
}

// tokenProblem is the client-facing reason a token was refused: the
// tokens package's error, which names the claim at fault and holds nothing
// secret (at most the token's own claims), cut to 300 bytes.
func tokenProblem(err error) string {
	msg := err.Error()
	if len(msg) > 300 {
		msg = strings.ToValidUTF8(msg[:300], "") + "..."
	}
	return msg
}

// originPolicy decides which browser origins may open WebSockets.
type originPolicy struct {
	any     bool
	allowed map[string]bool // "scheme://host[:port]", lowercase
	hosts   map[string]bool // their host names, without port or brackets
}

func newOriginPolicy(list []string) originPolicy {
	p := originPolicy{allowed: map[string]bool{}, hosts: map[string]bool{}}
	for _, o := range list {
		o = strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
		if o == "*" {
			p.any = true
		}
		p.allowed[o] = true
		if u, err := url.Parse(o); err == nil && u.Hostname() != "" {
			p.hosts[u.Hostname()] = true
		}
	}
	return p
}

// check allows requests without Origin (not a browser), from the server's
// own host, or from a configured origin.
func (p originPolicy) check(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" || p.any {
		return nil
	}
	u, err := url.Parse(origin)
	if err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host) {
		return nil
	}
	if err == nil && p.allowed[strings.ToLower(u.Scheme+"://"+u.Host)] {
		return nil
	}
	return protocol.Errorf(protocol.CodeForbidden, "origin %q may not connect; add it to server.allowed_origins", origin)
}
