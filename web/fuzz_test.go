package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/server"
)

// apiRoutes are the JSON endpoints FuzzHTTPAPI sends requests to ({} is
// the path parameter).
var apiRoutes = []struct{ method, path string }{
	{"POST", "/v1/admin/users"}, {"GET", "/v1/admin/users"}, {"GET", "/v1/admin/users/{}"},
	{"PATCH", "/v1/admin/users/{}"}, {"POST", "/v1/admin/groups"}, {"GET", "/v1/admin/groups"},
	{"GET", "/v1/admin/groups/{}"}, {"DELETE", "/v1/admin/groups/{}"}, {"POST", "/v1/admin/groups/{}/members"},
	{"GET", "/v1/admin/groups/{}/members"}, {"DELETE", "/v1/admin/groups/g1/members/{}"},
	{"GET", "/v1/admin/outbox"}, {"POST", "/v1/admin/outbox/{}/replay"}, {"GET", "/v1/admin/calls/{}/quality"},
	{"POST", "/v1/dev/login"}, {"GET", "/v1/info"}, {"GET", "/v1/calls"}, {"POST", "/v1/calls"},
	{"GET", "/v1/calls/{}"}, {"POST", "/v1/calls/{}/ack"}, {"POST", "/v1/calls/{}/accept"},
	{"POST", "/v1/calls/{}/reject"}, {"GET", "/v1/devices"}, {"POST", "/v1/devices"},
	{"DELETE", "/v1/devices/{}"}, {"GET", "/v1/{}"},
}

// FuzzHTTPAPI: whatever the request (path parameter, query, body,
// credentials), the HTTP API answers 2xx, or a 4xx with the documented
// error body {"error":{"code","message"}}; never a 5xx, never a panic.
func FuzzHTTPAPI(f *testing.F) {
	app := startApp(f, func(c *server.Config) { c.Server.MaxBodyBytes = 4096 })
	admin, err := app.Tokens().MintAdmin("ops", 0)
	if err != nil {
		f.Fatal(err)
	}
	user, err := app.Tokens().MintAuth("alice", "Alice", 0)
	if err != nil {
		f.Fatal(err)
	}
	auths := []string{"", "Bearer " + admin, "Bearer " + user, "Bearer garbage", "Basic YTpi"}
	// route (apiRoutes), auth (auths), path parameter, query, body
	f.Add(uint8(0), uint8(1), "", "", `{"uid":"bob","name":"Bob","avatar":"https://a.test/b.png"}`)
	f.Add(uint8(3), uint8(1), "bob", "", `{"name":null}`)
	f.Add(uint8(4), uint8(1), "", "", `{"guid":"g1","name":"G","members":["bob"]}`)
	f.Add(uint8(8), uint8(1), "g1", "", `{"uids":["bob","carol"]}`)
	f.Add(uint8(11), uint8(1), "", "state=failed&channel=webhook&limit=5", "")
	f.Add(uint8(12), uint8(1), "42", "", "")
	f.Add(uint8(16), uint8(2), "", "limit=-1&before=x", "")
	f.Add(uint8(17), uint8(2), "", "", `{"receiverId":"bob","receiverType":"user","callType":"video"}`)
	f.Add(uint8(21), uint8(2), "sid", "", `{"status":"rejected"}`)
	f.Add(uint8(23), uint8(2), "", "", `{"deviceId":"d1","kind":"fcm","token":"t","appId":"com.example.app"}`)
	f.Add(uint8(24), uint8(2), "d1", "", "")
	f.Add(uint8(2), uint8(1), "%00", "", "")
	f.Add(uint8(0), uint8(1), "", "", `[1,2]`)
	f.Fuzz(func(t *testing.T, route, auth uint8, param, query, body string) {
		rt := apiRoutes[int(route)%len(apiRoutes)]
		u := url.URL{Path: strings.Replace(rt.path, "{}", param, 1), RawQuery: query}
		req, err := http.NewRequest(rt.method, u.String(), strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		if a := auths[int(auth)%len(auths)]; a != "" {
			req.Header.Set("Authorization", a)
		}
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		app.Handler().ServeHTTP(rec, req)
		res := rec.Result()
		if res.StatusCode >= 500 {
			t.Fatalf("%s %s %q: %d %s", rt.method, u.String(), body, res.StatusCode, rec.Body)
		}
		if res.StatusCode < 400 {
			return
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Code == "" || e.Error.Message == "" ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("%s %s %q: %d without the error body: %q", rt.method, u.String(), body, res.StatusCode, rec.Body)
		}
	})
}
