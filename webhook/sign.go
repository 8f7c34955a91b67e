package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Headers of a delivery.
const (
	SignatureHeader = "Switchboard-Signature"
	EventIDHeader   = "Switchboard-Event-Id"
	EventTypeHeader = "Switchboard-Event-Type"
)

// DefaultTolerance is the replay window Verify applies by default.
const DefaultTolerance = 5 * time.Minute

// Verification errors.
var (
	ErrNoSignature  = errors.New("webhook: no valid signature header")
	ErrBadSignature = errors.New("webhook: signature does not match")
	ErrStale        = errors.New("webhook: timestamp outside the replay window")
)

// Sign returns the signature header value of body at time t.
func Sign(secret string, t time.Time, body []byte) string {
	return SignEach([]string{secret}, t, body)
}

// SignEach returns the signature header value of body at time t with one
// v1 value per secret, in the order given (an endpoint's newest first).
func SignEach(secrets []string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	b := make([]byte, 0, len(ts)+2+len(secrets)*(4+2*sha256.Size))
	b = append(append(b, "t="...), ts...)
	for _, s := range secrets {
		b = append(append(b, ",v1="...), mac(s, ts, body)...)
	}
	return string(b)
}

func mac(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks a delivery as a receiver should: the header parses, one of
// its v1 signatures is the HMAC of "<t>.<body>" (compared in constant
// time), and t is within tolerance of now (0 means DefaultTolerance).
// docs/webhooks.md carries the same code for receivers to copy.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrNoSignature
	}
	want := mac(secret, ts, body)
	ok := false
	for _, s := range sigs {
		ok = ok || hmac.Equal([]byte(s), []byte(want))
	}
	if !ok {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	return nil
}
