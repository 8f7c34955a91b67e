package tokens

import (
	"encoding/base64"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// signedRaw signs a raw header and payload with HS256 and secretA.
func signedRaw(t *testing.T, header, payload string) string {
	t.Helper()
	unsigned := b64(header) + "." + b64(payload)
	sig, err := jwt.SigningMethodHS256.Sign(unsigned, []byte(secretA))
	if err != nil {
		t.Fatal(err)
	}
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// Strictness: numeric dates must be JSON numbers, a critical header
// extension nobody here understands is refused, and a lifetime above the
// configured maximum is refused (at the maximum it is fine).
func TestVerifyIsStrict(t *testing.T) {
	clk := &testClock{t: epoch}
	iss := newIssuer(t, map[string]string{keyA: secretA}, "", clk)
	iss.LimitLifetime(KindAuth, 30*24*time.Hour)
	exp := strconv.FormatInt(epoch.Add(time.Hour).Unix(), 10)
	body := `{"iss":"SBkeyA","aud":"switchboard:auth","typ":"auth","uid":"alice","iat":` + strconv.FormatInt(epoch.Unix(), 10)
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"exp a numeric string", signedRaw(t, `{"alg":"HS256","typ":"JWT"}`, body+`,"exp":"`+exp+`"}`), ErrMalformed},
		{"iat a numeric string", signedRaw(t, `{"alg":"HS256","typ":"JWT"}`, `{"iss":"SBkeyA","aud":"switchboard:auth","typ":"auth","uid":"alice","iat":"1","exp":`+exp+`}`), ErrMalformed},
		{"unknown crit header", signedRaw(t, `{"alg":"HS256","typ":"JWT","crit":["x-bind"],"x-bind":1}`, body+`,"exp":`+exp+`}`), ErrMalformed},
		{"lifetime above the max", handMade(t, with(validClaims(), "exp", epoch.Add(31*24*time.Hour).Unix()), secretA), ErrInvalidClaims},
		{"no iat, lifetime above the max", handMade(t, with(without(validClaims(), "iat"), "exp", epoch.Add(31*24*time.Hour).Unix()), secretA), ErrInvalidClaims},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := iss.Verify(tc.token, KindAuth)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want an error wrapping %q", err, tc.want)
			}
			assertOneSentinel(t, err)
		})
	}
	ok := handMade(t, with(validClaims(), "exp", epoch.Add(30*24*time.Hour).Unix()), secretA)
	if _, err := iss.Verify(ok, KindAuth); err != nil {
		t.Fatalf("a token of exactly the maximum lifetime: %v", err)
	}
	if _, err := iss.MintAuth("alice", "", 31*24*time.Hour); !errors.Is(err, ErrInvalidClaims) {
		t.Fatalf("minting above the maximum: %v", err)
	}
}
