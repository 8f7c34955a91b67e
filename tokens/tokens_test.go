package tokens

import (
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	keyA    = "SBkeyA"
	keyB    = "SBkeyB"
	secretA = "secret-A-0123456789abcdef0123456789"
	secretB = "secret-B-0123456789abcdef0123456789"
)

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testClock is the injected clock; tests move it by hand.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { return c.t }

func newIssuer(t *testing.T, keys map[string]string, signing string, clk *testClock) *Issuer {
	t.Helper()
	i, err := New(keys, signing, clk.now)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return i
}

// handMade signs arbitrary claims with HS256 and secret.
func handMade(t *testing.T, claims jwt.MapClaims, secret string) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validClaims are the claims of a good auth token from keyA at epoch.
func validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss": keyA, "aud": "switchboard:auth", "typ": "auth", "uid": "alice",
		"iat": epoch.Unix(), "exp": epoch.Add(time.Hour).Unix(),
	}
}

func without(c jwt.MapClaims, keys ...string) jwt.MapClaims {
	for _, k := range keys {
		delete(c, k)
	}
	return c
}

func with(c jwt.MapClaims, k string, v any) jwt.MapClaims {
	c[k] = v
	return c
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// withHeader replaces a token's header, keeping payload and signature.
func withHeader(token, header string) string {
	parts := strings.Split(token, ".")
	parts[0] = b64(header)
	return strings.Join(parts, ".")
}

func signedWith(t *testing.T, m jwt.SigningMethod, claims jwt.MapClaims, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerifyRejects(t *testing.T) {
	clk := &testClock{t: epoch}
	issA := newIssuer(t, map[string]string{keyA: secretA}, "", clk)
	issB := newIssuer(t, map[string]string{keyB: secretB}, "", clk)
	impostor := newIssuer(t, map[string]string{keyA: secretB}, "", clk) // right key name, wrong secret
	mint := func(tok string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := mint(issA.MintAuth("alice", "Alice", time.Hour))
	payload := strings.Split(good, ".")[1]

	tests := []struct {
		name  string
		token string
		kind  Kind
		want  error
	}{
		{"wrong secret", mint(impostor.MintAuth("alice", "", 0)), KindAuth, ErrBadSignature},
		{"unknown API key", mint(issB.MintAuth("alice", "", 0)), KindAuth, ErrUnknownKey},
		{"no issuer", handMade(t, without(validClaims(), "iss"), secretA), KindAuth, ErrUnknownKey},
		{"tampered payload", strings.Split(good, ".")[0] + "." + b64(`{"iss":"SBkeyA","aud":"switchboard:auth","typ":"auth","uid":"mallory","exp":9999999999}`) + "." + strings.Split(good, ".")[2], KindAuth, ErrBadSignature},
		{"alg none", signedWith(t, jwt.SigningMethodNone, validClaims(), jwt.UnsafeAllowNoneSignatureType), KindAuth, ErrBadAlgorithm},
		{"alg none, good signature kept", withHeader(good, `{"alg":"none","typ":"JWT"}`), KindAuth, ErrBadAlgorithm},
		{"HS384", signedWith(t, jwt.SigningMethodHS384, validClaims(), []byte(secretA)), KindAuth, ErrBadAlgorithm},
		{"HS512", signedWith(t, jwt.SigningMethodHS512, validClaims(), []byte(secretA)), KindAuth, ErrBadAlgorithm},
		{"RS256 header", withHeader(good, `{"alg":"RS256","typ":"JWT"}`), KindAuth, ErrBadAlgorithm},
		{"unknown alg", withHeader(good, `{"alg":"XX999","typ":"JWT"}`), KindAuth, ErrBadAlgorithm},
		{"missing exp", handMade(t, without(validClaims(), "exp"), secretA), KindAuth, ErrMissingExpiry},
		{"exp not a number", handMade(t, with(validClaims(), "exp", "tomorrow"), secretA), KindAuth, ErrMalformed},
		{"issued in the future", handMade(t, with(validClaims(), "iat", epoch.Add(time.Hour).Unix()), secretA), KindAuth, ErrNotYetValid},
		{"valid from the future", handMade(t, with(validClaims(), "nbf", epoch.Add(time.Minute).Unix()), secretA), KindAuth, ErrNotYetValid},
		{"missing audience", handMade(t, without(validClaims(), "aud"), secretA), KindAuth, ErrWrongKind},
		{"right audience, wrong typ", handMade(t, with(validClaims(), "typ", "admin"), secretA), KindAuth, ErrWrongKind},
		{"right audience, no typ", handMade(t, without(validClaims(), "typ"), secretA), KindAuth, ErrWrongKind},
		{"auth without uid", handMade(t, without(validClaims(), "uid"), secretA), KindAuth, ErrInvalidClaims},
		{"call without uid", handMade(t, without(with(with(with(validClaims(), "aud", "switchboard:call"), "typ", "call"), "sid", "s1"), "uid"), secretA), KindCall, ErrInvalidClaims},
		{"call without session id", handMade(t, with(with(validClaims(), "aud", "switchboard:call"), "typ", "call"), secretA), KindCall, ErrInvalidClaims},
		{"empty", "", KindAuth, ErrMalformed},
		{"two parts", strings.Join(strings.Split(good, ".")[:2], "."), KindAuth, ErrMalformed},
		{"four parts", good + ".x", KindAuth, ErrMalformed},
		{"garbage base64", "@@@." + payload + ".!!!", KindAuth, ErrMalformed},
		{"header not JSON", b64("nope") + "." + payload + ".sig", KindAuth, ErrMalformed},
		{"claims JSON array", withPayload(t, `[1,2,3]`), KindAuth, ErrMalformed},
		{"claims JSON string", withPayload(t, `"alice"`), KindAuth, ErrMalformed},
		{"claims not JSON", withPayload(t, `uid=alice`), KindAuth, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := issA.Verify(tc.token, tc.kind)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want an error wrapping %q", err, tc.want)
			}
			assertOneSentinel(t, err)
			if !reflect.DeepEqual(c, Claims{}) {
				t.Fatalf("rejected token returned claims %+v", c)
			}
		})
	}
}

// withPayload builds a correctly signed HS256 token around a raw payload.
func withPayload(t *testing.T, payload string) string {
	t.Helper()
	m := jwt.SigningMethodHS256
	unsigned := b64(`{"alg":"HS256","typ":"JWT"}`) + "." + b64(payload)
	sig, err := m.Sign(unsigned, []byte(secretA))
	if err != nil {
		t.Fatal(err)
	}
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(sig)
}

var sentinels = []error{ErrMalformed, ErrUnknownKey, ErrBadSignature, ErrBadAlgorithm, ErrExpired, ErrNotYetValid,
	ErrMissingExpiry, ErrWrongKind, ErrInvalidClaims, ErrNoKeys}

// assertOneSentinel checks the promise in errors.go: every verification
// error wraps exactly one sentinel.
func assertOneSentinel(t *testing.T, err error) {
	t.Helper()
	var hit []string
	for _, s := range sentinels {
		if errors.Is(err, s) {
			hit = append(hit, s.Error())
		}
	}
	if len(hit) != 1 {
		t.Fatalf("error %q wraps %d sentinels %v, want exactly one", err, len(hit), hit)
	}
}

func TestWrongKind(t *testing.T) {
	clk := &testClock{t: epoch}
	iss := newIssuer(t, map[string]string{keyA: secretA}, "", clk)
	minted := map[Kind]string{}
	var err error
	if minted[KindAuth], err = iss.MintAuth("alice", "Alice", 0); err != nil {
		t.Fatal(err)
	}
	if minted[KindCall], err = iss.MintCall("alice", "s1", 0); err != nil {
		t.Fatal(err)
	}
	if minted[KindAdmin], err = iss.MintAdmin("alice", 0); err != nil {
		t.Fatal(err)
	}
	verifiers := map[Kind]func(string) (Claims, error){
		KindAuth: iss.VerifyAuth, KindCall: iss.VerifyCall, KindAdmin: iss.VerifyAdmin,
	}
	cases := 0
	for have, tok := range minted {
		for want, verify := range verifiers {
			if have == want {
				continue
			}
			cases++
			t.Run(string(have)+" as "+string(want), func(t *testing.T) {
				_, err := verify(tok)
				if !errors.Is(err, ErrWrongKind) {
					t.Fatalf("a %s token verified as %s: %v, want ErrWrongKind", have, want, err)
				}
				assertOneSentinel(t, err)
			})
		}
	}
	if cases != 6 {
		t.Fatalf("%d wrong-kind cases, want 6", cases)
	}
}

func TestExpiry(t *testing.T) {
	clk := &testClock{t: epoch}
	iss := newIssuer(t, map[string]string{keyA: secretA}, "", clk)
	tok, err := iss.MintCall("alice", "s1", 0) // default call TTL
	if err != nil {
		t.Fatal(err)
	}
	clk.t = epoch.Add(DefaultCallTTL - time.Second)
	if _, err := iss.VerifyCall(tok); err != nil {
		t.Fatalf("a second before expiry: %v", err)
	}
	clk.t = epoch.Add(DefaultCallTTL + time.Minute)
	_, err = iss.VerifyCall(tok)
	if !errors.Is(err, ErrExpired) {
		t.Fatalf("a minute after expiry: %v, want ErrExpired", err)
	}
	assertOneSentinel(t, err)
}

func TestRoundTrips(t *testing.T) {
	clk := &testClock{t: epoch}
	iss := newIssuer(t, map[string]string{keyA: secretA}, "", clk)
	tests := []struct {
		name   string
		mint   func() (string, error)
		verify func(string) (Claims, error)
		want   Claims
		ttl    time.Duration
	}{
		{"auth", func() (string, error) { return iss.MintAuth("alice", "Alice Ünal", 0) }, iss.VerifyAuth,
			Claims{Kind: KindAuth, UID: "alice", Name: "Alice Ünal"}, DefaultAuthTTL},
		{"auth, custom ttl", func() (string, error) { return iss.MintAuth("bob", "", 10*time.Minute) }, iss.VerifyAuth,
			Claims{Kind: KindAuth, UID: "bob"}, 10 * time.Minute},
		{"call", func() (string, error) { return iss.MintCall("alice", "sess-1", 0) }, iss.VerifyCall,
			Claims{Kind: KindCall, UID: "alice", SessionID: "sess-1"}, DefaultCallTTL},
		{"admin", func() (string, error) { return iss.MintAdmin("ops", 0) }, iss.VerifyAdmin,
			Claims{Kind: KindAdmin, UID: "ops"}, DefaultAdminTTL},
		{"admin without uid", func() (string, error) { return iss.MintAdmin("", 0) }, iss.VerifyAdmin,
			Claims{Kind: KindAdmin}, DefaultAdminTTL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := tc.mint()
			if err != nil {
				t.Fatal(err)
			}
			c, err := tc.verify(tok)
			if err != nil {
				t.Fatalf("verify: %v", err)
			}
			if c.Kind != tc.want.Kind || c.UID != tc.want.UID || c.Name != tc.want.Name || c.SessionID != tc.want.SessionID {
				t.Fatalf("claims = %+v, want %+v", c, tc.want)
			}
			if c.Issuer != keyA || !c.ExpiresAt.Time.Equal(epoch.Add(tc.ttl)) {
				t.Fatalf("iss %q exp %v, want %q and %v", c.Issuer, c.ExpiresAt.Time, keyA, epoch.Add(tc.ttl))
			}
		})
	}
}

func TestMintRejectsMissingIDs(t *testing.T) {
	iss := newIssuer(t, map[string]string{keyA: secretA}, "", &testClock{t: epoch})
	for name, f := range map[string]func() (string, error){
		"auth without uid":        func() (string, error) { return iss.MintAuth("", "A", 0) },
		"call without uid":        func() (string, error) { return iss.MintCall("", "s1", 0) },
		"call without session id": func() (string, error) { return iss.MintCall("alice", "", 0) },
	} {
		t.Run(name, func(t *testing.T) {
			if tok, err := f(); !errors.Is(err, ErrInvalidClaims) || tok != "" {
				t.Fatalf("mint = %q, %v; want ErrInvalidClaims", tok, err)
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	clk := &testClock{t: epoch}
	oldIss := newIssuer(t, map[string]string{keyA: secretA}, "", clk)
	newIss := newIssuer(t, map[string]string{keyB: secretB}, "", clk)
	both := newIssuer(t, map[string]string{keyA: secretA, keyB: secretB}, keyB, clk)
	for _, iss := range []*Issuer{oldIss, newIss, both} {
		tok, err := iss.MintAuth("alice", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := both.VerifyAuth(tok); err != nil {
			t.Fatalf("verifier with both keys rejected a token signed by %s: %v", iss.signingKey, err)
		}
	}
	tok, _ := both.MintAuth("alice", "", 0)
	c, err := newIss.VerifyAuth(tok)
	if err != nil || c.Issuer != keyB {
		t.Fatalf("both mints with its signing key: iss %q, %v; want %q", c.Issuer, err, keyB)
	}
	if _, err := oldIss.VerifyAuth(tok); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("old-key-only verifier: %v, want ErrUnknownKey", err)
	}
	// Without a signing key, the lexically first key signs.
	first := newIssuer(t, map[string]string{keyB: secretB, keyA: secretA}, "", clk)
	tok, _ = first.MintAuth("alice", "", 0)
	if c, err := first.VerifyAuth(tok); err != nil || c.Issuer != keyA {
		t.Fatalf("default signing key: iss %q, %v; want %q", c.Issuer, err, keyA)
	}
}

func TestNewRejects(t *testing.T) {
	tests := []struct {
		name    string
		keys    map[string]string
		signing string
		want    string
	}{
		{"no keys", nil, "", ErrNoKeys.Error()},
		{"empty key", map[string]string{"": secretA}, "", "an API key is empty"},
		{"short secret", map[string]string{keyA: "short"}, "", "is 5 characters; use at least 32"},
		{"unknown signing key", map[string]string{keyA: secretA}, keyB, `signing key "SBkeyB" is not among`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.keys, tc.signing, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestGenerateKey(t *testing.T) {
	key, secret, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	key2, secret2, _ := GenerateKey()
	if !strings.HasPrefix(key, "SB") || key == key2 || secret == secret2 {
		t.Fatalf("keys %q/%q secrets %q/%q: want SB-prefixed, distinct", key, key2, secret, secret2)
	}
	iss, err := New(map[string]string{key: secret}, "", nil)
	if err != nil {
		t.Fatalf("a generated key is not accepted by New: %v", err)
	}
	tok, err := iss.MintAdmin("", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iss.VerifyAdmin(tok); err != nil {
		t.Fatal(err)
	}
}

// TestCallTokenNamesMediaNode: a call token minted for a call whose media
// another node hosts carries that node's URL, readable by a client from the
// payload alone (claim "media"); one minted without it has none.
func TestCallTokenNamesMediaNode(t *testing.T) {
	iss := newIssuer(t, map[string]string{keyA: secretA}, "", &testClock{t: epoch})
	tok, err := iss.MintCallOn("alice", "s1", "https://media3.example:7880", 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := iss.VerifyCall(tok)
	if err != nil || c.Media != "https://media3.example:7880" || c.SessionID != "s1" {
		t.Fatalf("claims %+v, %v", c, err)
	}
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if !strings.Contains(string(payload), `"media":"https://media3.example:7880"`) {
		t.Fatalf("payload %s does not name the media node", payload)
	}
	plain, _ := iss.MintCall("alice", "s1", 0)
	if c, _ := iss.VerifyCall(plain); c.Media != "" {
		t.Fatalf("a token minted without a media node names %q", c.Media)
	}
}

// VerifyCallResume takes a call token past its expiry and nothing else
// VerifyCall refuses: not another kind, not another key's signature.
func TestVerifyCallResume(t *testing.T) {
	clk := &testClock{t: epoch}
	iss := newIssuer(t, map[string]string{keyA: secretA}, "", clk)
	tok, _ := iss.MintCall("alice", "s1", 0)
	auth, _ := iss.MintAuth("alice", "Alice", 0)
	other := newIssuer(t, map[string]string{keyA: "another secret of enough length!!"}, "", clk)
	forged, _ := other.MintCall("alice", "s1", 0)
	clk.t = epoch.Add(DefaultCallTTL + time.Hour)
	c, err := iss.VerifyCallResume(tok)
	if err != nil || c.UID != "alice" || c.SessionID != "s1" {
		t.Fatalf("an expired call token: %+v %v; want alice in s1", c, err)
	}
	if _, err := iss.VerifyCallResume(auth); !errors.Is(err, ErrWrongKind) && !errors.Is(err, ErrExpired) {
		t.Fatalf("an auth token: %v; want refused", err)
	}
	if _, err := iss.VerifyCallResume(forged); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("a token signed with another secret: %v; want ErrBadSignature", err)
	}
	if _, err := iss.VerifyCallResume(tok + "x"); err == nil {
		t.Fatal("a damaged token was taken")
	}
}
