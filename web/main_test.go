package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/server"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// startApp runs a whole switchboard on loopback with a fresh database.
func startApp(t testing.TB, edit ...func(*server.Config)) *server.App {
	t.Helper()
	cfg := server.LocalConfig(t.TempDir() + "/switchboard.db")
	for _, e := range edit {
		e(&cfg)
	}
	app, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := app.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		http.DefaultClient.CloseIdleConnections()
	})
	return app
}

// reply is one HTTP answer.
type reply struct {
	status int
	header http.Header
	body   string
}

// errorCode is the "code" of an {"error":{...}} body ("" if none).
func (r reply) errorCode() string {
	var b struct {
		Error struct{ Code, Message string }
	}
	_ = json.Unmarshal([]byte(r.body), &b)
	return b.Error.Code
}

func (r reply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
}

// do sends method url with body and the headers given as "Key: value".
func do(t *testing.T, method, url, body string, headers ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		k, v, ok := strings.Cut(h, ": ")
		if !ok {
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func bearer(token string) string { return "Authorization: Bearer " + token }
