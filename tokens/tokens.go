package tokens

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
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

// leeway is the clock skew allowed on exp, iat and lifetimes.
const leeway = 5 * time.Second

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
	// Media is the base URL of the node hosting the call's media (call
	// tokens minted in a cluster): /v1/rtc is opened there. "" = the
	// server that minted it.
	Media string `json:"media,omitempty"`
	jwt.RegisteredClaims
}

// Issuer mints tokens with one API key and verifies tokens of any configured key.
type Issuer struct {
	signingKey string
	secrets    map[string][]byte // API key -> secret
	now        func() time.Time
	maxLife    map[Kind]time.Duration // set before use (LimitLifetime)
}

// DefaultMaxAuthLifetime is the longest auth token lifetime accepted by
// default (web sets it from server.max_auth_token_ttl).
const DefaultMaxAuthLifetime = 30 * 24 * time.Hour

// DefaultMaxAdminLifetime is the same for admin tokens (web sets it from
// server.max_admin_token_ttl).
const DefaultMaxAdminLifetime = 30 * 24 * time.Hour

// LimitLifetime refuses tokens of kind whose lifetime (exp minus iat, or
// minus now without iat) is above max, and minting them. Call it before the
// Issuer is used; max <= 0 removes the limit.
func (i *Issuer) LimitLifetime(kind Kind, max time.Duration) {
	if i.maxLife == nil {
		i.maxLife = make(map[Kind]time.Duration)
	}
	i.maxLife[kind] = max
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

// MintAuth mints an auth token for uid with display name name, valid for
// ttl (0 or less: DefaultAuthTTL, 24 hours).
func (i *Issuer) MintAuth(uid, name string, ttl time.Duration) (string, error) {
	if uid == "" {
		return "", fmt.Errorf("%w: uid is required", ErrInvalidClaims)
	}
	return i.mint(Claims{Kind: KindAuth, UID: uid, Name: name}, ttl, DefaultAuthTTL)
}

// MintCall mints a call token that lets uid join call session sessionID.
func (i *Issuer) MintCall(uid, sessionID string, ttl time.Duration) (string, error) {
	return i.MintCallOn(uid, sessionID, "", ttl)
}

// MintCallOn is MintCall for a call whose media the node at mediaURL hosts
// ("" = the minting server): the token names it (claim "media").
func (i *Issuer) MintCallOn(uid, sessionID, mediaURL string, ttl time.Duration) (string, error) {
	if uid == "" || sessionID == "" {
		return "", fmt.Errorf("%w: uid and session id are required", ErrInvalidClaims)
	}
	return i.mint(Claims{Kind: KindCall, UID: uid, SessionID: sessionID, Media: mediaURL}, ttl, DefaultCallTTL)
}

// MintAdmin mints an admin token; uid (optional) records who holds it.
func (i *Issuer) MintAdmin(uid string, ttl time.Duration) (string, error) {
	return i.mint(Claims{Kind: KindAdmin, UID: uid}, ttl, DefaultAdminTTL)
}

func (i *Issuer) mint(c Claims, ttl, def time.Duration) (string, error) {
	if ttl <= 0 {
		ttl = def
	}
	if max := i.maxLife[c.Kind]; max > 0 && ttl > max {
		return "", fmt.Errorf("%w: lifetime %v is above the maximum %v", ErrInvalidClaims, ttl, max)
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
	return i.verifyAt(token, want, i.now)
}

// VerifyCallResume verifies a call token presented to resume a media
// session (/v1/rtc?resume=1): as VerifyCall, except that a token past its
// expiry is taken (its signature, kind, audience, lifetime and claims are
// all checked, as of the moment it expired). A call token's expiry bounds
// when a call can be joined; a session already joined outlives it, and
// clients resume with the token they joined with. Whether there is a
// session to resume is the media server's to say.
func (i *Issuer) VerifyCallResume(token string) (Claims, error) {
	c, err := i.Verify(token, KindCall)
	if !errors.Is(err, ErrExpired) {
		return c, err
	}
	var peek Claims
	if _, _, perr := jwt.NewParser().ParseUnverified(token, &peek); perr != nil || peek.ExpiresAt == nil {
		return Claims{}, err
	}
	at := peek.ExpiresAt.Time
	return i.verifyAt(token, KindCall, func() time.Time { return at })
}

// verifyAt is Verify with now as the clock.
func (i *Issuer) verifyAt(token string, want Kind, now func() time.Time) (Claims, error) {
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
		jwt.WithTimeFunc(now),
		jwt.WithAudience(want.audience()),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(leeway),
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
		if errors.Is(err, jwt.ErrTokenInvalidAudience) || (errors.Is(err, jwt.ErrTokenRequiredClaimMissing) && !strings.Contains(err.Error(), "exp")) {
			return Claims{}, fmt.Errorf("%w: a%s %s token needs aud %q and typ %q", ErrWrongKind, article(want), want, want.audience(), want)
		}
		return Claims{}, classify(err)
	}
	if err := strict(t); err != nil {
		return Claims{}, err
	}
	if c.Kind != want {
		return Claims{}, fmt.Errorf("%w: a%s %s token needs typ %q, this one has %q", ErrWrongKind, article(want), want, want, c.Kind)
	}
	if err := i.checkLifetime(c, want, now); err != nil {
		return Claims{}, err
	}
	if (want == KindAuth || want == KindCall) && c.UID == "" {
		return Claims{}, fmt.Errorf("%w: uid is missing", ErrInvalidClaims)
	}
	if want == KindCall && c.SessionID == "" {
		return Claims{}, fmt.Errorf("%w: session id is missing", ErrInvalidClaims)
	}
	return c, nil
}

// strict refuses what jwt lets through: a critical header extension
// (none is understood here, so RFC 7515 says refuse) and numeric dates
// given as JSON strings ("exp":"1772370000"), which jwt's NumericDate
// parses as numbers.
func strict(t *jwt.Token) error {
	if _, ok := t.Header["crit"]; ok {
		return fmt.Errorf("%w: critical header extensions (crit) are not supported", ErrMalformed)
	}
	parts := strings.Split(t.Raw, ".")
	if len(parts) != 3 {
		return fmt.Errorf("%w: not three parts", ErrMalformed)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return fmt.Errorf("%w: payload is not base64url", ErrMalformed)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(payload, &fields); err != nil {
		return fmt.Errorf("%w: payload is not a JSON object", ErrMalformed)
	}
	for _, k := range []string{"exp", "iat", "nbf"} {
		if v, ok := fields[k]; ok && (len(v) == 0 || v[0] < '0' || v[0] > '9') {
			return fmt.Errorf("%w: %s must be a number (seconds since 1970), not %s", ErrMalformed, k, v)
		}
	}
	return nil
}

// checkLifetime refuses a token whose lifetime is above its kind's maximum.
func (i *Issuer) checkLifetime(c Claims, kind Kind, now func() time.Time) error {
	max := i.maxLife[kind]
	if max <= 0 || c.ExpiresAt == nil {
		return nil
	}
	start := now()
	if c.IssuedAt != nil {
		start = c.IssuedAt.Time
	}
	if life := c.ExpiresAt.Sub(start); life > max+leeway {
		return fmt.Errorf("%w: lifetime %v is above the maximum %v", ErrInvalidClaims, life.Round(time.Second), max)
	}
	return nil
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

// article is "n" before a kind that starts with a vowel ("an auth token").
func article(k Kind) string {
	if strings.ContainsRune("aeiou", rune(k[0])) {
		return "n"
	}
	return ""
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
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued), errors.Is(err, jwt.ErrTokenNotValidYet):
		return fmt.Errorf("%w", ErrNotYetValid)
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return fmt.Errorf("%w: %v", ErrWrongKind, err)
	default:
		return fmt.Errorf("%w: %v", ErrInvalidClaims, err)
	}
}
