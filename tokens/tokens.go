package tokens

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Kind says what a token is for.
type Kind string

// The three kinds of token.
const (
	KindAuth  Kind = "auth"
	KindCall  Kind = "call"
	KindAdmin Kind = "admin"
)

func (k Kind) audience() string { return "switchboard:" + string(k) }

// Default lifetimes.
const (
	DefaultAuthTTL  = 24 * time.Hour
	DefaultCallTTL  = 2 * time.Minute
	DefaultAdminTTL = time.Hour
)

// Claims are the verified contents of a token.
type Claims struct {
	Kind Kind `json:"typ"`
	// UID is the user (auth, call; optional for admin: who the admin is).
	UID string `json:"uid,omitempty"`
	// Name is the user's display name (auth tokens; optional).
	Name string `json:"name,omitempty"`
	// SessionID is the call session a call token opens.
	SessionID string `json:"sid,omitempty"`
	jwt.RegisteredClaims
}

// Issuer mints tokens with one API key and verifies tokens of any configured key.
type Issuer struct {
	signingKey string
	secrets    map[string][]byte // API key -> secret
	now        func() time.Time
}

// New returns an Issuer. keys maps API key -> secret; signingKey names the key
// used to mint (the lexically first key when empty). now may be nil.
func New(keys map[string]string, signingKey string, now func() time.Time) (*Issuer, error) {
	if len(keys) == 0 {
		return nil, ErrNoKeys
	}
	secrets := make(map[string][]byte, len(keys))
	names := make([]string, 0, len(keys))
	for k, s := range keys {
		if k == "" {
			return nil, errors.New("tokens: an API key is empty")
		}
		if len(s) < 32 {
			return nil, fmt.Errorf("tokens: the secret of API key %q is %d characters; use at least 32 (switchboard keys generate)", k, len(s))
		}
		secrets[k] = []byte(s)
		names = append(names, k)
	}
	sort.Strings(names)
	if signingKey == "" {
		signingKey = names[0]
	}
	if _, ok := secrets[signingKey]; !ok {
		return nil, fmt.Errorf("tokens: signing key %q is not among the configured API keys", signingKey)
	}
	if now == nil {
		now = time.Now
	}
	return &Issuer{signingKey: signingKey, secrets: secrets, now: now}, nil
}

// GenerateKey returns a new random API key and secret.
func GenerateKey() (key, secret string, err error) {
	k := make([]byte, 8)
	s := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return "", "", err
	}
	if _, err := rand.Read(s); err != nil {
		return "", "", err
	}
	return "SB" + hex.EncodeToString(k), base64.RawURLEncoding.EncodeToString(s), nil
}

// MintAuth mints an auth token for uid with display name name.
func (i *Issuer) MintAuth(uid, name string, ttl time.Duration) (string, error) {
	if uid == "" {
		return "", fmt.Errorf("%w: uid is required", ErrInvalidClaims)
	}
	return i.mint(Claims{Kind: KindAuth, UID: uid, Name: name}, ttl, DefaultAuthTTL)
}

// MintCall mints a call token that lets uid join call session sessionID.
func (i *Issuer) MintCall(uid, sessionID string, ttl time.Duration) (string, error) {
	if uid == "" || sessionID == "" {
		return "", fmt.Errorf("%w: uid and session id are required", ErrInvalidClaims)
	}
	return i.mint(Claims{Kind: KindCall, UID: uid, SessionID: sessionID}, ttl, DefaultCallTTL)
}

// MintAdmin mints an admin token; uid (optional) records who holds it.
func (i *Issuer) MintAdmin(uid string, ttl time.Duration) (string, error) {
	return i.mint(Claims{Kind: KindAdmin, UID: uid}, ttl, DefaultAdminTTL)
}

func (i *Issuer) mint(c Claims, ttl, def time.Duration) (string, error) {
	if ttl <= 0 {
		ttl = def
	}
	now := i.now()
	c.Issuer = i.signingKey
	c.Audience = jwt.ClaimStrings{c.Kind.audience()}
	c.IssuedAt = jwt.NewNumericDate(now)
	c.ExpiresAt = jwt.NewNumericDate(now.Add(ttl))
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(i.secrets[i.signingKey])
}

// VerifyAuth verifies an auth token.
func (i *Issuer) VerifyAuth(token string) (Claims, error) { return i.Verify(token, KindAuth) }

// VerifyCall verifies a call token.
func (i *Issuer) VerifyCall(token string) (Claims, error) { return i.Verify(token, KindCall) }

// VerifyAdmin verifies an admin token.
func (i *Issuer) VerifyAdmin(token string) (Claims, error) { return i.Verify(token, KindAdmin) }

// Verify checks token's signature, algorithm, expiry and kind. Every error
// wraps one of the sentinels in errors.go.
func (i *Issuer) Verify(token string, want Kind) (Claims, error) {
	var c Claims
	var keyErr error // keyFor's own error, without jwt's wrapping
	keyFor := func(t *jwt.Token) (any, error) {
		k, err := i.keyFor(t)
		keyErr = err
		return k, err
	}
	t, err := jwt.ParseWithClaims(token, &c, keyFor,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(i.now),
		jwt.WithAudience(want.audience()),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(5*time.Second),
	)
	if err != nil {
		// jwt reports a method outside WithValidMethods as a bad signature;
		// say what it is: a token that is not HS256 at all.
		if t != nil && t.Method != nil && t.Method.Alg() != jwt.SigningMethodHS256.Alg() && !errors.Is(err, jwt.ErrTokenMalformed) {
			return Claims{}, fmt.Errorf("%w: got %q", ErrBadAlgorithm, t.Method.Alg())
		}
		if keyErr != nil {
			return Claims{}, keyErr
		}
		return Claims{}, classify(err)
	}
	if c.Kind != want {
		return Claims{}, fmt.Errorf("%w: want kind %q, got %q", ErrWrongKind, want, c.Kind)
	}
	if (want == KindAuth || want == KindCall) && c.UID == "" {
		return Claims{}, fmt.Errorf("%w: uid is missing", ErrInvalidClaims)
	}
	if want == KindCall && c.SessionID == "" {
		return Claims{}, fmt.Errorf("%w: session id is missing", ErrInvalidClaims)
	}
	return c, nil
}

func (i *Issuer) keyFor(t *jwt.Token) (any, error) {
	if t.Method.Alg() != jwt.SigningMethodHS256.Alg() {
		return nil, ErrBadAlgorithm
	}
	iss, _ := t.Claims.GetIssuer()
	if iss == "" {
		return nil, fmt.Errorf("%w: the token has no issuer (iss)", ErrUnknownKey)
	}
	secret, ok := i.secrets[iss]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownKey, iss)
	}
	return secret, nil
}

func classify(err error) error {
	sentinels := []error{ErrUnknownKey, ErrBadAlgorithm}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return err
		}
	}
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return fmt.Errorf("%w: %s", ErrMalformed, strings.TrimPrefix(err.Error(), jwt.ErrTokenMalformed.Error()+": "))
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return fmt.Errorf("%w", ErrBadSignature)
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return fmt.Errorf("%w: %v", ErrBadAlgorithm, err)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing) && strings.Contains(err.Error(), "exp"):
		return fmt.Errorf("%w", ErrMissingExpiry)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return fmt.Errorf("%w: %v", ErrWrongKind, err)
	case errors.Is(err, jwt.ErrTokenExpired):
		return fmt.Errorf("%w", ErrExpired)
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return fmt.Errorf("%w: %v", ErrWrongKind, err)
	default:
		return fmt.Errorf("%w: %v", ErrInvalidClaims, err)
	}
}
