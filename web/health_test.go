package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/tokens"
)

// degradedHub is a ringing hub whose store cannot save calls.
type degradedHub struct {
	Ringing
	reason string
}

func (h degradedHub) Degraded() string { return h.reason }

// TestHealthHidesStoreDetail: anyone may read /healthz, so while the store
// fails it says only "store_failing"; the store's error (host, user,
// database) is shown to an admin token alone.
func TestHealthHidesStoreDetail(t *testing.T) {
	const detail = "call log writes failing: failed to connect to user=switchboard database=switchboard: 127.0.0.1:15432"
	iss, err := tokens.New(map[string]string{"k": strings.Repeat("s", 32)}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{deps: Deps{Hub: degradedHub{reason: detail}, Tokens: iss}}
	admin, _ := iss.MintAdmin("ops", 0)
	auth, _ := iss.MintAuth("alice", "Alice", 0)
	for _, tc := range []struct {
		name, token string
		detail      bool
	}{{"no token", "", false}, {"auth token", auth, false}, {"bad token", "garbage", false}, {"admin token", admin, true}} {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		rec := httptest.NewRecorder()
		s.handleHealth(rec, req)
		var body map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: %v: %s", tc.name, err, rec.Body)
		}
		if rec.Code != 503 || body["status"] != "degraded" || body["reason"] != "store_failing" {
			t.Errorf("%s: = %d %v; want 503 degraded store_failing", tc.name, rec.Code, body)
		}
		if got := strings.Contains(rec.Body.String(), "15432"); got != tc.detail {
			t.Errorf("%s: store detail shown %v, want %v: %s", tc.name, got, tc.detail, rec.Body)
		}
	}
}
