package push

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	jwtv5 "github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/jwt"

	"github.com/switchboard-rtc/switchboard/internal/retryafter"
)

const fcmScope = "https://www.googleapis.com/auth/firebase.messaging"

// serviceAccount is the part of a Google service-account JSON FCM needs.
type serviceAccount struct {
	Type         string `json:"type"`
	ProjectID    string `json:"project_id"`
	PrivateKeyID string `json:"private_key_id"`
	PrivateKey   string `json:"private_key"`
	ClientEmail  string `json:"client_email"`
	TokenURI     string `json:"token_uri"`
}

// fcm sends FCM HTTP v1 data messages. Access tokens come from a
// service-account JWT (RS256) exchanged at the token endpoint and are cached
// by oauth2.ReuseTokenSource until shortly before they expire.
type fcm struct {
	base    string
	project string
	client  *http.Client // to FCM, without auth
	now     func() time.Time

	// mu guards src (replaced when FCM answers 401).
	mu  sync.Mutex
	src oauth2.TokenSource
	jwt *jwt.Config
	ctx context.Context // carries the HTTP client of the token exchange
}

// loadServiceAccount reads the service-account JSON of cfg and the token
// endpoint to use (cfg's, else the file's token_uri).
func loadServiceAccount(cfg FCMConfig) (serviceAccount, string, error) {
	var sa serviceAccount
	raw, err := os.ReadFile(cfg.CredentialsFile)
	if err != nil {
		return sa, "", fmt.Errorf("%w: push.fcm.credentials_file: %w", ErrConfig, err)
	}
	if err := json.Unmarshal(raw, &sa); err != nil || sa.Type != "service_account" || sa.PrivateKey == "" ||
		sa.ClientEmail == "" || sa.ProjectID == "" {
		return sa, "", fmt.Errorf("%w: push.fcm.credentials_file: %s is not a service-account JSON with project_id, client_email and private_key (download it from the Firebase console)", ErrConfig, cfg.CredentialsFile)
	}
	if _, err := jwtv5.ParseRSAPrivateKeyFromPEM([]byte(sa.PrivateKey)); err != nil {
		return sa, "", fmt.Errorf("%w: push.fcm.credentials_file: the private_key of %s is not a PEM RSA key (download the file again from the Firebase console)", ErrConfig, cfg.CredentialsFile)
	}
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		tokenURL = sa.TokenURI
	}
	if tokenURL == "" {
		return sa, "", fmt.Errorf("%w: push.fcm.token_url: is empty and %s has no token_uri", ErrConfig, cfg.CredentialsFile)
	}
	return sa, tokenURL, nil
}

func newFCM(cfg FCMConfig, tlsConf *tls.Config, now func() time.Time) (*fcm, error) {
	sa, tokenURL, err := loadServiceAccount(cfg)
	if err != nil {
		return nil, err
	}
	httpc := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConf.Clone(), ForceAttemptHTTP2: true}, Timeout: 15 * time.Second}
	f := &fcm{
		base: strings.TrimRight(cfg.BaseURL, "/"), project: sa.ProjectID, client: httpc, now: now,
		jwt: &jwt.Config{Email: sa.ClientEmail, PrivateKey: []byte(sa.PrivateKey), PrivateKeyID: sa.PrivateKeyID,
			Scopes: []string{fcmScope}, TokenURL: tokenURL},
		ctx: context.WithValue(context.Background(), oauth2.HTTPClient, httpc),
	}
	f.src = oauth2.ReuseTokenSourceWithExpiry(nil, f.jwt.TokenSource(f.ctx), 5*time.Minute)
	return f, nil
}

func (f *fcm) accessToken(renew bool) (string, error) {
	f.mu.Lock()
	if renew {
		f.src = oauth2.ReuseTokenSourceWithExpiry(nil, f.jwt.TokenSource(f.ctx), 5*time.Minute)
	}
	src := f.src
	f.mu.Unlock()
	t, err := src.Token()
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

type fcmRequest struct {
	Message fcmMessage `json:"message"`
}

type fcmMessage struct {
	Token        string            `json:"token"`
	Data         map[string]string `json:"data"`
	Android      fcmAndroid        `json:"android"`
	Notification *fcmNotification  `json:"notification,omitempty"`
}

type fcmAndroid struct {
	Priority string `json:"priority"`
	TTL      string `json:"ttl,omitempty"`
}

type fcmNotification struct {
	Title string `json:"title"`
}

// fcmPriority is a push's android.priority: high wakes a dozing phone at
// once and is for what the user sees: the ring (it starts the call UI)
// and the missed-call notification. The stop push is data only and shows
// nothing, so it is normal: FCM and Android deprioritise apps whose
// high-priority messages show nothing, and the phone it stops is awake
// anyway, ringing.
func fcmPriority(typ string) string {
	if typ == TypeStop {
		return "normal"
	}
	return "high"
}

func (f *fcm) body(m Message) ([]byte, error) {
	msg := fcmMessage{Token: m.Token, Data: m.Payload.data(m.ID), Android: fcmAndroid{Priority: fcmPriority(m.Payload.Type)}}
	if ttl := m.Expires.Sub(f.now()); ttl > 0 {
		msg.Android.TTL = fmt.Sprintf("%ds", int(ttl.Seconds())+1)
	} else {
		msg.Android.TTL = "0s"
	}
	if m.Payload.Type == TypeMissed {
		msg.Notification = &fcmNotification{Title: m.Payload.title()}
	}
	return json.Marshal(fcmRequest{Message: msg})
}

func (f *fcm) send(ctx context.Context, m Message) error {
	body, err := f.body(m)
	if err != nil {
		return permanentError{err}
	}
	for attempt := 0; ; attempt++ {
		tok, err := f.accessToken(attempt > 0)
		if err != nil {
			return tokenError(err)
		}
		e := f.post(ctx, tok, body)
		if e == nil {
			return nil
		}
		if attempt == 0 && e.Status == http.StatusUnauthorized {
			continue // the cached access token was revoked: fetch a new one once
		}
		return e
	}
}

// tokenError classifies a failed token exchange: the endpoint's 4xx means
// the credentials are wrong (permanent); anything else may pass.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 && re.Response.StatusCode != http.StatusTooManyRequests {
		return &Error{Provider: "fcm", Status: re.Response.StatusCode, Reason: "token exchange refused: " + re.ErrorCode}
	}
	return &Error{Provider: "fcm", Reason: "token exchange failed", Retry: true}
}

func (f *fcm) post(ctx context.Context, accessToken string, body []byte) *Error {
	url := f.base + "/v1/projects/" + f.project + "/messages:send"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return &Error{Provider: "fcm", Reason: err.Error()}
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.client.Do(req)
	if err != nil {
		return &Error{Provider: "fcm", Reason: err.Error(), Retry: true}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<10))
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	code := fcmErrorCode(raw)
	e := &Error{Provider: "fcm", Status: resp.StatusCode, Reason: code, After: retryafter.Parse(resp.Header.Get("Retry-After"), f.now())}
	switch {
	case code == "UNREGISTERED" || resp.StatusCode == http.StatusNotFound:
		e.Dead = true
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500, resp.StatusCode == http.StatusUnauthorized:
		e.Retry = true
	}
	if e.Reason == "" {
		e.Reason = http.StatusText(resp.StatusCode)
	}
	return e
}

// fcmErrorCode is the FcmError errorCode of an error body (e.g.
// UNREGISTERED), else its status (e.g. UNAVAILABLE).
func fcmErrorCode(raw []byte) string {
	var b struct {
		Error struct {
			Status  string `json:"status"`
			Details []struct {
				Type      string `json:"@type"`
				ErrorCode string `json:"errorCode"`
			} `json:"details"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &b) != nil {
		return ""
	}
	for _, d := range b.Error.Details {
		if d.ErrorCode != "" {
			return d.ErrorCode
		}
	}
	return b.Error.Status
}
