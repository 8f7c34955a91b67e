package webhook

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// Receiver is an http.Handler that acts as an application's webhook
// endpoint in tests: it verifies each request with Verify and the secret,
// records the good ones, and answers with the status Fail returns (200 by
// default). It lives here, not in a _test file, so that the tests of other
// packages can run it behind a real HTTP/2 TLS server.
type Receiver struct {
	Secret string
	// Fail, if set, picks the answer to a verified request (0: 200).
	Fail func(ev Event) int
	// Delay, if set, is slept before answering.
	Delay time.Duration

	// mu guards events, refused and changed.
	mu      sync.Mutex
	events  []Event
	arrived []time.Time
	refused []error
	changed chan struct{}
}

// NewReceiver returns a Receiver for secret.
func NewReceiver(secret string) *Receiver {
	return &Receiver{Secret: secret, changed: make(chan struct{}, 1)}
}

func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	at := time.Now()
	body, _ := io.ReadAll(req.Body)
	if err := Verify(r.Secret, req.Header.Get(SignatureHeader), body, time.Now(), 0); err != nil {
		r.mu.Lock()
		r.refused = append(r.refused, err)
		r.mu.Unlock()
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID != req.Header.Get(EventIDHeader) || ev.Type != req.Header.Get(EventTypeHeader) {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	if r.Delay > 0 {
		select {
		case <-time.After(r.Delay):
		case <-req.Context().Done():
			return
		}
	}
	status := http.StatusOK
	if r.Fail != nil {
		if s := r.Fail(ev); s != 0 {
			status = s
		}
	}
	if status < 300 {
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.arrived = append(r.arrived, at)
		r.mu.Unlock()
		select {
		case r.changed <- struct{}{}:
		default:
		}
	}
	w.WriteHeader(status)
}

// Events returns the events accepted so far, in arrival order.
func (r *Receiver) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Count is how many events were accepted so far (cheaper than Events).
func (r *Receiver) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// Refused returns the verification errors of refused requests.
func (r *Receiver) Refused() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.refused...)
}

// WaitEvents waits up to timeout for at least n accepted events.
func (r *Receiver) WaitEvents(n int, timeout time.Duration) []Event {
	deadline := time.After(timeout)
	for {
		if evs := r.Events(); len(evs) >= n {
			return evs
		}
		select {
		case <-r.changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			return r.Events()
		}
	}
}

// Delays returns, per accepted event, its arrival minus its createdAt.
func (r *Receiver) Delays() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]time.Duration, len(r.events))
	for i, ev := range r.events {
		out[i] = r.arrived[i].Sub(time.UnixMilli(ev.CreatedAt))
	}
	return out
}
