// Package pushtest runs local stand-ins for APNs and FCM (with its OAuth 2
// token endpoint): real HTTP/2 TLS servers on 127.0.0.1 that check what
// the providers check (JWT signatures against the test keys, headers,
// topics, payloads) and answer as a test scripts them.
package pushtest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"
)

// TB is what the fakes need from their owner: a *testing.T or B, or the
// load tool's stand-in (switchboard bench runs the fakes outside a test,
// so this package does not import testing). Fatal must not return.
type TB interface {
	Fatal(args ...any)
	TempDir() string
	Cleanup(f func())
}

// Response is a scripted answer.
type Response struct {
	Status     int
	Body       string // JSON
	RetryAfter string
	Delay      time.Duration
}

// Request is one push a fake received.
type Request struct {
	Token   string // device token
	Header  http.Header
	Body    []byte
	Proto   string
	AuthErr string    // why the auth was refused ("" if fine)
	At      time.Time // when it arrived
}

// JSON decodes the body.
func (r Request) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// recorder records requests and hands out scripted responses.
type recorder struct {
	conns atomic.Int64 // connections accepted (each a TLS handshake)

	mu      sync.Mutex
	reqs    []Request
	scripts map[string][]Response // by device token
	notify  chan struct{}
}

func newRecorder() *recorder {
	return &recorder{scripts: map[string][]Response{}, notify: make(chan struct{}, 1)}
}

// Script queues responses for a device token; when they run out the fake
// answers 200.
func (r *recorder) Script(token string, rs ...Response) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scripts[token] = append(r.scripts[token], rs...)
}

func (r *recorder) next(token string) Response {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := r.scripts[token]
	if len(q) == 0 {
		return Response{Status: http.StatusOK}
	}
	r.scripts[token] = q[1:]
	return q[0]
}

func (r *recorder) record(req Request) {
	req.At = time.Now()
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

// Conns is how many connections the fake accepted: each one costs its
// client a TLS handshake.
func (r *recorder) Conns() int64 { return r.conns.Load() }

// Count is how many requests arrived so far (cheaper than Requests).
func (r *recorder) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// Requests returns a copy of every request so far.
func (r *recorder) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.reqs...)
}

// Wait waits until at least n requests arrived (or fails the test after 10 s).
func (r *recorder) Wait(t interface {
	Helper()
	Fatalf(format string, args ...any)
}, n int) []Request {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if reqs := r.Requests(); len(reqs) >= n {
			return reqs
		}
		select {
		case <-r.notify:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("got %d requests, want %d", len(r.Requests()), n)
		}
	}
}

func answer(w http.ResponseWriter, resp Response) {
	if resp.Delay > 0 {
		time.Sleep(resp.Delay)
	}
	if resp.RetryAfter != "" {
		w.Header().Set("Retry-After", resp.RetryAfter)
	}
	if resp.Body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write([]byte(resp.Body))
}

// startTLS starts h as an HTTP/2 TLS server on 127.0.0.1 that counts the
// connections it accepts in conns.
func startTLS(t TB, h http.Handler, conns *atomic.Int64) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// ClientTLS returns a client TLS config that trusts the fakes' certificate
// (every httptest server uses the same one).
func ClientTLS(srv *httptest.Server) *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return &tls.Config{RootCAs: pool}
}
