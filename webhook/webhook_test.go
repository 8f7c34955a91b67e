package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

const secret = "0123456789abcdef-secret"

func TestVerify(t *testing.T) {
	now := time.Unix(1_790_000_000, 0)
	body := []byte(`{"id":"evt_1","type":"call.ended"}`)
	good := Sign(secret, now, body)
	tests := []struct {
		name   string
		header string
		body   []byte
		at     time.Time
		want   error
	}{
		{"good", good, body, now, nil},
		{"good, 4 min later", good, body, now.Add(4 * time.Minute), nil},
		{"replayed 6 min later", good, body, now.Add(6 * time.Minute), ErrStale},
		{"from the future", Sign(secret, now.Add(10*time.Minute), body), body, now, ErrStale},
		{"tampered body", good, []byte(`{"id":"evt_1","type":"call.missed"}`), now, ErrBadSignature},
		{"other secret", Sign("another-secret-0123456", now, body), body, now, ErrBadSignature},
		{"timestamp changed", strings.Replace(good, "t=1790000000", "t=1790000100", 1), body, now, ErrBadSignature},
		{"no header", "", body, now, ErrNoSignature},
		{"no v1", "t=1790000000", body, now, ErrNoSignature},
		{"two signatures, one good", "t=1790000000,v1=00," + strings.Split(good, ",")[1], body, now, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := Verify(secret, tc.header, tc.body, tc.at, 0); !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestConfigRejects(t *testing.T) {
	ok := Endpoint{Name: "app", URL: "https://hooks.example.com/sb", Secret: secret}
	tests := []struct {
		name string
		eps  []Endpoint
		want string
	}{
		{"ftp url", []Endpoint{{Name: "a", URL: "ftp://x/y", Secret: secret}}, "http(s)"},
		{"no host", []Endpoint{{Name: "a", URL: "https:///y", Secret: secret}}, "http(s)"},
		{"relative", []Endpoint{{Name: "a", URL: "/hook", Secret: secret}}, "http(s)"},
		{"credentials in url", []Endpoint{{Name: "a", URL: "https://u:p@x/y", Secret: secret}}, "credentials"},
		{"short secret", []Endpoint{{Name: "a", URL: ok.URL, Secret: "short"}}, "at least 16"},
		{"unknown event", []Endpoint{{Name: "a", URL: ok.URL, Secret: secret, Events: []string{"call.exploded"}}}, "unknown event"},
		{"duplicate name", []Endpoint{ok, ok}, "used twice"},
		{"bad name", []Endpoint{{Name: "a b", URL: ok.URL, Secret: secret}}, "name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Endpoints = tc.eps
			_, err := New(cfg, Deps{})
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrConfig mentioning %q", err, tc.want)
			}
		})
	}
}

func TestItemsFilterAndOrderKeys(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Endpoints = []Endpoint{
		{Name: "all", URL: "https://a.test/", Secret: secret},
		{Name: "ends", URL: "https://b.test/", Secret: secret, Events: []string{CallEnded, "participant.*"}},
	}
	now := time.Now()
	items, err := cfg.Items(Event{ID: "evt_1", Type: CallAccepted, SessionID: "s1", Data: []byte(`{}`)}, now)
	if err != nil || len(items) != 1 || items[0].Target != "all" || items[0].OrderKey != "webhook/all/s1" ||
		!items[0].Deadline.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("call.accepted items = %+v, %v", items, err)
	}
	items, _ = cfg.Items(Event{ID: "evt_2", Type: ParticipantLeft, SessionID: "s1", Data: []byte(`{}`)}, now)
	if len(items) != 2 || items[1].EventID != "evt_2.ends" {
		t.Fatalf("participant.left items = %+v", items)
	}
}

func TestSenderAnswers(t *testing.T) {
	statuses := map[string]int{"e400": 400, "e429": 429, "e503": 503, "e200": 200, "e204": 204}
	now := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Switchboard-Event-Id") {
		case "e429":
			w.Header().Set("Retry-After", "9")
		case "e503": // the other form RFC 9110 allows: a date
			w.Header().Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
		}
		w.WriteHeader(statuses[r.Header.Get("Switchboard-Event-Id")])
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	cfg := DefaultConfig()
	cfg.Endpoints = []Endpoint{{Name: "app", URL: srv.URL, Secret: secret}}
	s, err := New(cfg, Deps{TLS: srv.Client().Transport.(*http.Transport).TLSClientConfig, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	send := func(id, target string) error {
		return s.Deliver(context.Background(), store.OutboxItem{Target: target, Payload: []byte(`{"id":"` + id + `","type":"call.ended"}`)})
	}
	for id, want := range map[string]string{"e200": "", "e204": "", "e400": "permanent", "e503": "retry", "e429": "retry"} {
		err := send(id, "app")
		var we *Error
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", id, err)
		case want == "permanent" && (!errors.As(err, &we) || !we.Permanent()):
			t.Errorf("%s: err = %v, want permanent", id, err)
		case want == "retry" && (!errors.As(err, &we) || we.Permanent()):
			t.Errorf("%s: err = %v, want a retry", id, err)
		}
	}
	var we *Error
	if err := send("e429", "app"); !errors.As(err, &we) || we.RetryAfter() != 9*time.Second {
		t.Errorf("429: err = %v, want Retry-After 9s", err)
	}
	if err := send("e503", "app"); !errors.As(err, &we) || we.RetryAfter() != 90*time.Second {
		t.Errorf("503: err = %v, want Retry-After 90s (a date 90 s ahead)", err)
	}
	if err := send("e200", "gone"); !errors.As(err, &we) || !we.Permanent() {
		t.Errorf("unknown endpoint: err = %v, want permanent", err)
	}
}
