package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
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
	{"POST", "/v1/calls/{}/reject"}, {"POST", "/v1/calls/{}/end"}, {"GET", "/v1/devices"}, {"POST", "/v1/devices"},
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

// FuzzSocketRequests: whatever a /v1/ws request's params (or a frame that
// is not even JSON), the reply validates against protocol.schema.json, as
// every event before it does, and an error is never "internal": bad input
// gets a clear error. The socket is one user's, kept across inputs, so
// calls placed by one input meet the next ones.
func FuzzSocketRequests(f *testing.F) {
	app := startApp(f, func(c *server.Config) { c.Ringing.InitiateRate, c.Ringing.RequestRate = 0, 0 })
	schema, err := protocoltest.Load()
	if err != nil {
		f.Fatal(err)
	}
	auth, err := app.Tokens().MintAuth("alice", "Alice", 0)
	if err != nil {
		f.Fatal(err)
	}
	// users and a group to call (bob and carol have no socket: they ring)
	ctx := context.Background()
	for _, u := range []string{"alice", "bob", "carol"} {
		if _, err := app.Store().UpsertUser(ctx, store.User{UID: u, Name: u}); err != nil {
			f.Fatal(err)
		}
	}
	if _, err := app.Store().CreateGroup(ctx, store.Group{GUID: "g1", Name: "G"}); err != nil {
		f.Fatal(err)
	}
	if err := app.Store().AddMembers(ctx, "g1", []string{"alice", "bob", "carol"}); err != nil {
		f.Fatal(err)
	}
	var ws *websocket.Conn
	var check *protocoltest.Checker
	f.Cleanup(func() {
		if ws != nil {
			_ = ws.CloseNow()
		}
	})
	methods := append(schema.Methods(protocoltest.WS), "noSuchMethod")
	for _, s := range [][2]string{
		{"initiateCall", `{"receiverId":"bob","receiverType":"user","callType":"video","timeout":30}`},
		{"initiateCall", `{"receiverId":"g1","receiverType":"group","callType":"audio","clientRequestId":"r1"}`},
		{"acceptCall", `{"sessionId":"v1.x"}`}, {"rejectCall", `{"sessionId":"v1.x","status":"busy"}`},
		{"endCall", `{"sessionId":""}`}, {"generateToken", `{"sessionId":"v1.x"}`}, {"getActiveCall", `{}`},
		{"listCalls", `{"limit":5,"before":"x"}`}, {"listUsers", `{"uids":["bob"]}`}, {"ping", ``},
		{"registerDevice", `{"deviceId":"d1","kind":"apns-voip","token":"ab12","appId":"com.example.app"}`},
		{"unregisterDevice", `{"deviceId":"d1"}`}, {"ackCall", `{"sessionId":"v1.x"}`}, {"getCall", `{"sessionId":"v1.x"}`},
		{"noSuchMethod", `{"x":1}`}, {"endCall", `[`},
		{"ping", `{"pad":"` + strings.Repeat("x", 70<<10) + `"}`}, // over the frame limit: closed with 1009
		{"ping", ``}, // on a new socket
	} {
		i := slices.Index(methods, s[0])
		if i < 0 {
			f.Fatalf("no method %s", s[0])
		}
		f.Add(uint8(i), s[1])
	}
	var n int
	f.Fuzz(func(t *testing.T, method uint8, params string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if ws == nil {
			c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(app.URL(), "http")+"/v1/ws?token="+auth, nil)
			if err != nil {
				t.Fatal(err)
			}
			c.SetReadLimit(1 << 20)
			ws, check = c, protocoltest.NewChecker(schema, protocoltest.WS, false)
		}
		n++
		id := fmt.Sprint(n)
		name := methods[int(method)%len(methods)]
		frame := `{"id":"` + id + `","method":"` + name + `"`
		if params != "" {
			frame += `,"params":` + params
		}
		frame += "}"
		malformed := !json.Valid([]byte(frame))
		_ = check.Check(protocol.FrameSent, []byte(frame)) // types the reply
		if err := ws.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
			ws = nil
			t.Skipf("the socket closed before the request: %v", err) // after the last input's close
		}
		for {
			_, got, err := ws.Read(ctx)
			if err != nil {
				_ = ws.CloseNow()
				ws = nil
				if websocket.CloseStatus(err) == websocket.StatusMessageTooBig && len(frame) > 64<<10 {
					return // a frame over /v1/ws's limit: closed with 1009, as documented
				}
				t.Fatalf("%s: no reply: %v", frame, err)
			}
			if err := check.Check(protocol.FrameReceived, got); err != nil {
				t.Fatalf("%s: got %s: does not validate: %v", frame, got, err)
			}
			var m struct {
				ID    string
				Event string
				Error *struct{ Code string }
			}
			_ = json.Unmarshal(got, &m)
			ours := m.ID == id || (malformed && m.ID == "") // a malformed frame's reply has no id
			if m.Event != "" || !ours {
				continue // an event, or (never) another reply
			}
			if m.Error != nil && m.Error.Code == "internal" {
				t.Fatalf("%s: internal error: %s", frame, got)
			}
			return
		}
	})
}
