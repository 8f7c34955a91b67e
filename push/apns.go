package push

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/switchboard-rtc/switchboard/internal/retryafter"
	"github.com/switchboard-rtc/switchboard/store"
)

// apnsTokenTTL is how long a provider token is reused: Apple refuses one
// older than an hour and throttles refreshes more often than every 20 min.
const apnsTokenTTL = 50 * time.Minute

// apns sends to Apple over HTTP/2 with token-based authentication.
type apns struct {
	base   string
	keyID  string
	teamID string
	key    *ecdsa.PrivateKey
	client *http.Client
	now    func() time.Time

	// mu guards token and tokenAt.
	mu      sync.Mutex
	token   string
	tokenAt time.Time
}

// loadAPNsKey reads the .p8 signing key at path.
func loadAPNsKey(path string) (*ecdsa.PrivateKey, error) {
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: push.apns.key_file: %w", ErrConfig, err)
	}
	key, err := jwt.ParseECPrivateKeyFromPEM(pemBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: push.apns.key_file: %s is not a .p8 EC private key (download it again from the Apple developer site)", ErrConfig, path)
	}
	return key, nil
}

func newAPNs(cfg APNsConfig, tlsConf *tls.Config, now func() time.Time) (*apns, error) {
	key, err := loadAPNsKey(cfg.KeyFile)
	if err != nil {
		return nil, err
	}
	return &apns{
		base: strings.TrimRight(cfg.BaseURL, "/"), keyID: cfg.KeyID, teamID: cfg.TeamID, key: key, now: now,
		client: &http.Client{Transport: http2Only(tlsConf), Timeout: 15 * time.Second},
	}, nil
}

// providerToken returns the cached ES256 JWT, signing a new one when it is
// older than apnsTokenTTL (or force, after Apple called it expired).
func (a *apns) providerToken(force bool) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	if !force && a.token != "" && now.Sub(a.tokenAt) < apnsTokenTTL {
		return a.token, nil
	}
	t := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{"iss": a.teamID, "iat": now.Unix()})
	t.Header["kid"] = a.keyID
	s, err := t.SignedString(a.key)
	if err != nil {
		return "", fmt.Errorf("apns: signing the provider token: %w", err)
	}
	a.token, a.tokenAt = s, now
	return s, nil
}

// headers are the APNs request headers for m.
func apnsHeaders(m Message) (http.Header, bool) {
	h := http.Header{}
	voip := m.Kind == store.DeviceAPNsVoIP
	h.Set("apns-id", m.ID)
	switch {
	case voip:
		h.Set("apns-push-type", "voip")
		h.Set("apns-topic", m.AppID+".voip")
		h.Set("apns-priority", "10")
		h.Set("apns-expiration", "0") // now or never: a late ring is worse than none
	case m.Payload.Type == TypeStop:
		h.Set("apns-push-type", "background")
		h.Set("apns-topic", m.AppID)
		h.Set("apns-priority", "5") // Apple requires 5 for background pushes
		h.Set("apns-expiration", strconv.FormatInt(m.Expires.Unix(), 10))
	default:
		h.Set("apns-push-type", "alert")
		h.Set("apns-topic", m.AppID)
		h.Set("apns-priority", "10")
		h.Set("apns-expiration", strconv.FormatInt(m.Expires.Unix(), 10))
	}
	if m.Payload.SessionID != "" {
		h.Set("apns-collapse-id", m.Payload.SessionID)
	}
	return h, voip
}

func (a *apns) send(ctx context.Context, m Message) error {
	hdr, voip := apnsHeaders(m)
	body, err := apnsBody(m, voip)
	if err != nil {
		return permanentError{err}
	}
	for attempt := 0; ; attempt++ {
		tok, err := a.providerToken(attempt > 0)
		if err != nil {
			return permanentError{err}
		}
		e := a.post(ctx, hdr, tok, m.Token, body)
		if e == nil {
			return nil
		}
		// A token Apple calls expired or invalid is re-signed once at once.
		if attempt == 0 && e.Status == http.StatusForbidden && e.Reason == "ExpiredProviderToken" {
			continue
		}
		return e
	}
}

func (a *apns) post(ctx context.Context, hdr http.Header, providerToken, deviceToken string, body []byte) *Error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+"/3/device/"+deviceToken, bytes.NewReader(body))
	if err != nil {
		return &Error{Provider: "apns", Reason: withoutURL(err)}
	}
	req.Header = hdr.Clone()
	req.Header.Set("authorization", "bearer "+providerToken)
	req.Header.Set("content-type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return &Error{Provider: "apns", Reason: withoutURL(err), Retry: true}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var r struct {
		Reason string `json:"reason"`
	}
	_ = json.Unmarshal(raw, &r)
	e := &Error{Provider: "apns", Status: resp.StatusCode, Reason: r.Reason, After: retryafter.Parse(resp.Header.Get("Retry-After"), a.now())}
	switch {
	case resp.StatusCode == http.StatusGone || r.Reason == "Unregistered":
		e.Dead = true
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		e.Retry = true
	case resp.StatusCode == http.StatusForbidden && r.Reason == "ExpiredProviderToken":
		e.Retry = true
	}
	if e.Reason == "" {
		e.Reason = http.StatusText(resp.StatusCode)
	}
	return e
}

// http2Only is a transport that speaks HTTP/2 and nothing else (APNs
// refuses HTTP/1.1): net/http's own HTTP/2, which x/net/http2.Transport's
// TLSClientConfig now defers to.
func http2Only(tlsConf *tls.Config) *http.Transport {
	t := &http.Transport{TLSClientConfig: tlsConf.Clone(), ForceAttemptHTTP2: true}
	t.Protocols = new(http.Protocols)
	t.Protocols.SetHTTP2(true)
	return t
}
