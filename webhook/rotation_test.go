package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// TestRotationSignsWithEverySecret: an endpoint listing a new and an old
// secret signs each request with both, newest first, so a receiver still
// on the old secret and one already on the new accept the same request
// (a retry queued before the rotation included: it is signed at send
// time).
func TestRotationSignsWithEverySecret(t *testing.T) {
	const oldSecret, newSecret = "old-secret-0123456789", "new-secret-0123456789"
	now := time.Now()
	body := []byte(`{"id":"evt_S_1","type":"call.initiated","sessionId":"S","seq":1,"data":{}}`)
	for _, tc := range []struct {
		name     string
		receiver string
	}{{"receiver on the old secret", oldSecret}, {"receiver on the new secret", newSecret}} {
		t.Run(tc.name, func(t *testing.T) {
			rcv := NewReceiver(tc.receiver)
			srv := httptest.NewServer(rcv)
			defer srv.Close()
			cfg := DefaultConfig()
			cfg.Endpoints = []Endpoint{{Name: "app", URL: srv.URL, Secrets: []string{newSecret, oldSecret}}}
			s, err := New(cfg, Deps{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Deliver(context.Background(), store.OutboxItem{Target: "app", Payload: body}); err != nil {
				t.Fatalf("Deliver: %v (refused: %v)", err, rcv.Refused())
			}
			if n := rcv.Count(); n != 1 {
				t.Fatalf("receiver accepted %d events, want 1", n)
			}
		})
	}
	v1 := func(s string) string { _, sig, _ := strings.Cut(Sign(s, now, body), ",v1="); return sig }
	want := fmt.Sprintf("t=%d,v1=%s,v1=%s", now.Unix(), v1(newSecret), v1(oldSecret))
	if got := SignEach([]string{newSecret, oldSecret}, now, body); got != want {
		t.Fatalf("SignEach = %q, want %q (one v1 per secret, newest first)", got, want)
	}
}

// TestConfigSecrets: secret and secrets are alternatives; every listed
// secret is as long as a single one must be; errors name the key.
func TestConfigSecrets(t *testing.T) {
	const url = "https://hooks.example.com/sb"
	tests := []struct {
		name string
		ep   Endpoint
		want string // "" accepts
	}{
		{"secret", Endpoint{Secret: secret}, ""},
		{"secrets", Endpoint{Secrets: []string{secret, "old-" + secret}}, ""},
		{"both", Endpoint{Secret: secret, Secrets: []string{secret}}, "webhooks.endpoints[0].secrets: set either secret or secrets, not both"},
		{"neither", Endpoint{}, "webhooks.endpoints[0].secret: must be at least 16"},
		{"short in the list", Endpoint{Secrets: []string{secret, "short"}}, "webhooks.endpoints[0].secrets: each must be at least 16 characters; secrets[1] has 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.ep.Name, tc.ep.URL = "app", url
			cfg.Endpoints = []Endpoint{tc.ep}
			err := cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate = %v, want nil", err)
			case tc.want != "" && (!errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Validate = %v, want ErrConfig with %q", err, tc.want)
			}
		})
	}
}
