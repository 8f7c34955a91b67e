package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/tokens"
)

// degradedHub is a ringing hub whose store cannot save calls, or whose
// database does not answer.
type degradedHub struct {
	Ringing
	reason, detail string
}

func (h degradedHub) Degraded() (string, string) { return h.reason, h.detail }

// TestHealthHidesStoreDetail: anyone may read /healthz, so while the store
// fails (or its database does not answer) it says only the short reason;
// the store's error (host, user, database) is shown to an admin token alone.
func TestHealthHidesStoreDetail(t *testing.T) {
	const detail = "call log writes failing: failed to connect to user=switchboard database=switchboard: 127.0.0.1:15432"
	iss, err := tokens.New(map[string]string{"k": strings.Repeat("s", 32)}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := iss.MintAdmin("ops", 0)
	auth, _ := iss.MintAuth("alice", "Alice", 0)
	// a failed save is this node's (503); PostgreSQL not answering is every node's, as Redis:
	// 200, so that a load balancer does not take them all out
	for reason, code := range map[string]int{"store_failing": 503, "store_unreachable": 200} {
		s := &Server{deps: Deps{Hub: degradedHub{reason: reason, detail: detail}, Tokens: iss}}
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
			if rec.Code != code || body["status"] != "degraded" || body["reason"] != reason {
				t.Errorf("%s: = %d %v; want %d degraded %s", tc.name, rec.Code, body, code, reason)
			}
			if got := strings.Contains(rec.Body.String(), "15432"); got != tc.detail {
				t.Errorf("%s: store detail shown %v, want %v: %s", tc.name, got, tc.detail, rec.Body)
			}
		}
	}
}
