package turnserver

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the TURN REST scheme is HMAC-SHA1 by definition
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxUIDLen bounds the uid part of a TURN username (STUN USERNAME is at
// most 513 bytes; switchboard uids are far shorter).
const maxUIDLen = 256

// Credential is one TURN REST credential.
type Credential struct {
	Username string    // "expiry:uid"
	Password string    // base64(HMAC-SHA1(secret, Username))
	Expires  time.Time // when new allocations stop being accepted
}

// Mint returns the credential of uid valid until now+ttl under secret.
func Mint(secret, uid string, now time.Time, ttl time.Duration) Credential {
	exp := now.Add(ttl).Truncate(time.Second)
	user := strconv.FormatInt(exp.Unix(), 10) + ":" + uid
	return Credential{Username: user, Password: Password(secret, user), Expires: exp}
}

// Password is base64(HMAC-SHA1(secret, username)).
func Password(secret, username string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(username))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// ParseUsername splits a TURN REST username "expiry:uid". The uid may
// itself hold colons; it must be non-empty valid UTF-8 without control
// characters, at most 256 bytes.
func ParseUsername(username string) (expires time.Time, uid string, err error) {
	ts, uid, ok := strings.Cut(username, ":")
	if !ok || uid == "" || len(uid) > maxUIDLen || !utf8.ValidString(uid) {
		return time.Time{}, "", fmt.Errorf("%w: %q", ErrBadUsername, clip(username))
	}
	for _, r := range uid {
		if r < 0x20 || r == 0x7f {
			return time.Time{}, "", fmt.Errorf("%w: control character in uid", ErrBadUsername)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec <= 0 || ts[0] == '+' {
		return time.Time{}, "", fmt.Errorf("%w: expiry %q is not Unix seconds", ErrBadUsername, clip(ts))
	}
	return time.Unix(sec, 0), uid, nil
}

// clip shortens attacker-chosen text before it is logged.
func clip(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
