package web_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/server"
)

// shortBodies gives request bodies 1 s to arrive instead of 10 s.
func shortBodies(c *server.Config) { c.Server.BodyReadTimeout = time.Second }

// rawRequest opens a connection to app (http://host:port) and writes req.
func rawRequest(t *testing.T, url, req string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSlowBodiesAreNotWaitedFor: a client that declares a body and then
// sends nothing more gets an answer and a closed connection within about
// the body deadline, without any login: a 400 saying so where the body is read, the
// endpoint's refusal (a 401 here) where it is not.
func TestSlowBodiesAreNotWaitedFor(t *testing.T) {
	app := startApp(t, shortBodies)
	for path, want := range map[string]string{
		"/v1/selftest":        `"the request body did not arrive within 1s"`,
		"/v1/dev/login":       `"the request body did not arrive within 1s"`,
		"/v1/calls":           `"code":"unauthorized"`,
		"/":                   "HTTP/1.1 ", // the page: a static file, whatever its answer to a POST
		"/sdk/switchboard.js": "HTTP/1.1 ",
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			method := "POST"
			if !strings.HasPrefix(path, "/v1/") {
				method = "GET" // a static file, with a body declared
			}
			c := rawRequest(t, app.URL(), method+" "+path+" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{")
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			start := time.Now()
			got, err := io.ReadAll(c) // to EOF: the server closed it
			if err != nil {
				t.Fatalf("after %s: %v (answer so far %q)", time.Since(start).Round(time.Second), err, got)
			}
			if !strings.Contains(string(got), want) {
				t.Errorf("answer %q, want %s", got, want)
			}
		})
	}
}

// TestKeptAliveConnectionOutlivesTheBodyDeadline: the deadline that bounds
// a body does not stay on the connection: a WebSocket opened on it after a
// JSON request still answers a ping after the body deadline passed.
func TestKeptAliveConnectionOutlivesTheBodyDeadline(t *testing.T) {
	app := startApp(t, shortBodies)
	body := `{"name":"Alice"}`
	c := rawRequest(t, app.URL(), fmt.Sprintf("POST /v1/dev/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body))
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	login, _ := io.ReadAll(resp.Body)
	_, tok, _ := strings.Cut(string(login), `"token":"`)
	tok, _, _ = strings.Cut(tok, `"`)
	if resp.StatusCode != 200 || tok == "" {
		t.Fatalf("login: %d %s", resp.StatusCode, login)
	}
	_, _ = io.WriteString(c, "GET /v1/ws?token="+tok+" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"+
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
	resp, err = http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v %v", resp, err)
	}
	time.Sleep(2 * time.Second)                    // past the body deadline
	_, _ = c.Write([]byte{0x89, 0x80, 1, 2, 3, 4}) // a masked, empty ping
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		hdr := make([]byte, 2)
		if _, err := io.ReadFull(br, hdr); err != nil {
			t.Fatalf("no pong: %v", err)
		}
		n := int(hdr[1] & 0x7f)
		if n == 126 {
			ext := make([]byte, 2)
			_, _ = io.ReadFull(br, ext)
			n = int(ext[0])<<8 | int(ext[1])
		}
		if _, err := io.CopyN(io.Discard, br, int64(n)); err != nil {
			t.Fatal(err)
		}
		if hdr[0]&0x0f == 0xA { // pong
			return
		}
	}
}
