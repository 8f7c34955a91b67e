package webhook

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/retryafter"
	"github.com/switchboard-rtc/switchboard/store"
)

// Deps are a Sender's collaborators.
type Deps struct {
	Now func() time.Time // nil: time.Now
	TLS *tls.Config      // nil: system roots
}

// Sender delivers webhook outbox items.
type Sender struct {
	cfg       Config
	endpoints map[string]Endpoint
	client    *http.Client
	now       func() time.Time
}

// New validates cfg and returns a Sender.
func New(cfg Config, deps Deps) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Sender{cfg: cfg, endpoints: map[string]Endpoint{}, now: deps.Now,
		client: &http.Client{
			Transport: &http.Transport{TLSClientConfig: deps.TLS.Clone(), ForceAttemptHTTP2: true, MaxIdleConnsPerHost: 16},
			Timeout:   cfg.Timeout,
			// A redirect is not followed: the signature is for this URL's owner.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}
	if s.now == nil {
		s.now = time.Now
	}
	for _, e := range cfg.Endpoints {
		s.endpoints[e.Name] = e
	}
	return s, nil
}

// Config is the Sender's configuration.
func (s *Sender) Config() Config { return s.cfg }

// Close releases idle connections.
func (s *Sender) Close() { s.client.CloseIdleConnections() }

// Error is a failed delivery.
type Error struct {
	Status int
	Reason string
	Retry  bool
	After  time.Duration
}

func (e *Error) Error() string {
	if e.Status == 0 {
		return "webhook: " + e.Reason
	}
	return fmt.Sprintf("webhook: status %d: %s", e.Status, e.Reason)
}

// Permanent reports that retrying cannot help.
func (e *Error) Permanent() bool { return !e.Retry }

// RetryAfter is the receiver's Retry-After, or 0.
func (e *Error) RetryAfter() time.Duration { return e.After }

// Deliver POSTs one item to its endpoint, signed now with each of the
// endpoint's secrets.
func (s *Sender) Deliver(ctx context.Context, it store.OutboxItem) error {
	e, ok := s.endpoints[it.Target]
	if !ok {
		return &Error{Reason: fmt.Sprintf("endpoint %q is no longer configured", it.Target)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL, bytes.NewReader(it.Payload))
	if err != nil {
		return &Error{Reason: err.Error()}
	}
	id, typ := eventHeaders(it.Payload)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "switchboard-webhooks/1")
	req.Header.Set(SignatureHeader, SignEach(e.signingSecrets(), s.now(), it.Payload))
	req.Header.Set(EventIDHeader, id)
	req.Header.Set(EventTypeHeader, typ)
	resp, err := s.client.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok { // it quotes the URL: logged and kept as lastError
			ue.URL = Redact(ue.URL)
		}
		return &Error{Reason: err.Error(), Retry: true}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	we := &Error{Status: resp.StatusCode, Reason: http.StatusText(resp.StatusCode)}
	switch {
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusRequestTimeout:
		we.Retry = true
		we.After = retryafter.Parse(resp.Header.Get("Retry-After"), s.now())
	}
	return we
}
