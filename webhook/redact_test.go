package webhook

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/store"
)

// An endpoint URL with a receiver's API key in its query, or a password,
// never shows them: not in a delivery error (logged, and kept as the
// outbox item's lastError), not in a config error. Before, both quoted
// the whole URL.
func TestEndpointURLSecretsRedacted(t *testing.T) {
	for raw, want := range map[string]string{
		"https://hooks.example.com/in?apikey=S3CRET&v=2": "https://hooks.example.com/in?apikey=redacted&v=redacted",
		"https://hooks.example.com/in":                   "https://hooks.example.com/in",
		"http://user:S3CRET@hooks.example.com/in":        "http://user:redacted@hooks.example.com/in",
		"https://hooks.example.com/in#S3CRET":            "https://hooks.example.com/in#redacted",
		"https://hooks.example.com/%zz?k=S3CRET":         "https://hooks.example.com/%zz...(redacted)",
	} {
		if got := Redact(raw); got != want {
			t.Errorf("Redact(%q) = %q, want %q", raw, got, want)
		}
	}
	if err := ValidateURL("http://hookuser:S3CRET@127.0.0.1:9/x"); err == nil || strings.Contains(err.Error(), "S3CRET") || !strings.Contains(err.Error(), "carries credentials") {
		t.Errorf("ValidateURL with a password = %v, want it refused without the password", err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port nobody answers on once closed
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := DefaultConfig()
	cfg.Endpoints = []Endpoint{{Name: "app", URL: "http://" + addr + "/x?apikey=S3CRET", Secret: secret}}
	s, err := New(cfg, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Deliver(context.Background(), store.OutboxItem{Target: "app", Payload: []byte(`{"id":"e1","type":"call.ended"}`)})
	if err == nil || strings.Contains(err.Error(), "S3CRET") || !strings.Contains(err.Error(), "apikey=redacted") {
		t.Fatalf("a delivery that fails = %v, want the error without the API key", err)
	}
}

// FuzzRedact: for any URL that parses, what Redact shows parses too and
// holds no password, query value or fragment but "redacted".
func FuzzRedact(f *testing.F) {
	f.Add("https://u:p@h.example/x?k=v#f")
	f.Add("http://h/%zz?k=v")
	f.Add("0?#")
	f.Fuzz(func(t *testing.T, raw string) {
		got := Redact(raw)
		if _, err := url.Parse(raw); err != nil {
			return
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("Redact(%q) = %q, which does not parse: %v", raw, got, err)
		}
		if pw, ok := u.User.Password(); ok && pw != "redacted" {
			t.Fatalf("Redact(%q) = %q shows a password", raw, got)
		}
		for k, vs := range u.Query() {
			for _, v := range vs {
				if v != "redacted" {
					t.Fatalf("Redact(%q) = %q shows %s=%q", raw, got, k, v)
				}
			}
		}
		if u.Fragment != "" && u.Fragment != "redacted" {
			t.Fatalf("Redact(%q) = %q shows the fragment", raw, got)
		}
	})
}
