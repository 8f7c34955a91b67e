// Package protocoltest validates wire frames against docs/protocol.schema.json
// in tests, so that the schema and the server cannot drift apart. Hook gives
// a protocol.FrameHook for one client connection (client.DialOptions.OnFrame,
// client.MediaOptions.OnFrame): every request the client sends is checked
// against its method's request type, every event against its event type, and
// every reply against the result type of the method that the request with
// the same id named. A frame that does not validate fails the test with the
// frame and the schema's error.
//
// It is for tests only: the server binary never imports it (nor the
// validator, github.com/santhosh-tekuri/jsonschema/v6).
//
// Concurrency: a Schema is immutable and safe for concurrent use; a hook may
// be called from the connection's reader and from any sender at once.
package protocoltest

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/switchboard-rtc/switchboard/docs"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// The two endpoints, as the schema's x-methods and x-events name them.
const (
	WS  = "/v1/ws"
	RTC = "/v1/rtc"
)

// schemaURL is the schema's $id.
const schemaURL = "https://github.com/switchboard-rtc/switchboard/docs/protocol.schema.json"

// Schema is the compiled contract: one compiled type per $defs entry used.
type Schema struct {
	defs    map[string]*jsonschema.Schema // by "#/$defs/Name"
	methods map[string]map[string]methodRefs
	events  map[string]map[string]string
}

type methodRefs struct{ request, reply string }

// load compiles the schema once per test binary (it is immutable after).
var load = sync.OnceValues(compile)

// Load returns the compiled docs/protocol.schema.json.
func Load() (*Schema, error) { return load() }

func compile() (*Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(docs.ProtocolSchema()))
	if err != nil {
		return nil, fmt.Errorf("protocol.schema.json: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	root, _ := doc.(map[string]any)
	s := &Schema{defs: map[string]*jsonschema.Schema{}, methods: map[string]map[string]methodRefs{}, events: map[string]map[string]string{}}
	defs, _ := root["$defs"].(map[string]any)
	for name := range defs {
		ref := "#/$defs/" + name
		if s.defs[ref], err = c.Compile(schemaURL + ref); err != nil {
			return nil, fmt.Errorf("protocol.schema.json %s: %w", ref, err)
		}
	}
	methods, _ := root["x-methods"].(map[string]any)
	for ep, ms := range methods {
		s.methods[ep] = map[string]methodRefs{}
		for name, v := range ms.(map[string]any) {
			m := v.(map[string]any)
			s.methods[ep][name] = methodRefs{request: m["request"].(string), reply: m["reply"].(string)}
		}
	}
	events, _ := root["x-events"].(map[string]any)
	for ep, es := range events {
		s.events[ep] = map[string]string{}
		for name, v := range es.(map[string]any) {
			s.events[ep][name] = v.(string)
		}
	}
	if len(s.methods[WS]) == 0 || len(s.methods[RTC]) == 0 || len(s.events[WS]) == 0 || len(s.events[RTC]) == 0 {
		return nil, errors.New("protocol.schema.json: x-methods and x-events must name both endpoints")
	}
	return s, nil
}

// Methods returns the method names of endpoint, sorted.
func (s *Schema) Methods(endpoint string) []string { return sortedKeys(s.methods[endpoint]) }

// Events returns the event names of endpoint, sorted.
func (s *Schema) Events(endpoint string) []string { return sortedKeys(s.events[endpoint]) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Validate checks v (a value decoded by Decode) against the $defs entry
// ref, e.g. "#/$defs/Call".
func (s *Schema) Validate(ref string, v any) error {
	sch := s.defs[ref]
	if sch == nil {
		return fmt.Errorf("the schema has no %s", ref)
	}
	return sch.Validate(v)
}

// Decode parses JSON as the validator wants it (numbers kept exact).
func Decode(frame []byte) (any, error) { return jsonschema.UnmarshalJSON(bytes.NewReader(frame)) }

// RequestMethod validates a request frame on endpoint and returns its id
// and method. An unknown method is an error (the method is still returned).
func (s *Schema) RequestMethod(endpoint string, v any) (id, method string, err error) {
	obj, _ := v.(map[string]any)
	id, _ = obj["id"].(string)
	method, _ = obj["method"].(string)
	m, ok := s.methods[endpoint][method]
	if !ok {
		return id, method, fmt.Errorf("%s has no method %q (known: %v)", endpoint, method, s.Methods(endpoint))
	}
	return id, method, s.Validate(m.request, v)
}

// Reply validates a reply to method on endpoint ("" when the request is not
// known: then only the generic reply shape is checked).
func (s *Schema) Reply(endpoint, method string, v any) error {
	if m, ok := s.methods[endpoint][method]; ok {
		return s.Validate(m.reply, v)
	}
	obj, _ := v.(map[string]any)
	if _, isErr := obj["error"]; isErr {
		return s.Validate("#/$defs/ErrorReply", v)
	}
	return s.Validate("#/$defs/Reply", v)
}

// Event validates an event frame on endpoint.
func (s *Schema) Event(endpoint string, v any) error {
	obj, _ := v.(map[string]any)
	name, _ := obj["event"].(string)
	ref, ok := s.events[endpoint][name]
	if !ok {
		return fmt.Errorf("%s has no event %q (known: %v)", endpoint, name, s.Events(endpoint))
	}
	return s.Validate(ref, v)
}

// Checker validates the frames of one connection. Requests it saw sent name
// the method whose result type their reply must have.
type Checker struct {
	s        *Schema
	endpoint string
	sent     bool // validate sent frames too

	// mu guards pending.
	mu      sync.Mutex
	pending map[string][]string // request id -> methods asked under it, oldest first
}

// NewChecker returns a checker for one connection on endpoint. With
// checkSent false, the client's own requests are not validated (only
// recorded, to type their replies): for tests that send bad requests on
// purpose.
func NewChecker(s *Schema, endpoint string, checkSent bool) *Checker {
	return &Checker{s: s, endpoint: endpoint, sent: checkSent, pending: map[string][]string{}}
}

// Check validates one frame; the error names what it was checked against.
func (c *Checker) Check(dir protocol.FrameDir, frame []byte) error {
	v, err := Decode(frame)
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return errors.New("not a JSON object")
	}
	_, isRequest := obj["method"]
	_, isEvent := obj["event"]
	switch {
	case dir == protocol.FrameSent && isRequest:
		id, method, err := c.s.RequestMethod(c.endpoint, v)
		c.mu.Lock()
		c.pending[id] = append(c.pending[id], method) // replies come in request order
		c.mu.Unlock()
		if !c.sent {
			return nil
		}
		if err != nil {
			return fmt.Errorf("request %s: %w", method, err)
		}
		return nil
	case dir == protocol.FrameSent:
		if c.sent {
			return errors.New("a client sends only requests")
		}
		return nil
	case isRequest:
		return errors.New("the server sent a request")
	case isEvent:
		if err := c.s.Event(c.endpoint, v); err != nil {
			return fmt.Errorf("event %v: %w", obj["event"], err)
		}
		return nil
	}
	id, _ := obj["id"].(string)
	c.mu.Lock()
	var method string
	asked := c.pending[id]
	known := len(asked) > 0
	if known {
		method = asked[0]
		if len(asked) == 1 {
			delete(c.pending, id)
		} else {
			c.pending[id] = asked[1:]
		}
	}
	c.mu.Unlock()
	if !known && id != "" {
		return fmt.Errorf("a reply to id %q, which no request had", id)
	}
	if err := c.s.Reply(c.endpoint, method, v); err != nil {
		return fmt.Errorf("reply to %s: %w", method, err)
	}
	return nil
}

// Hook returns a frame hook for one connection on endpoint that fails t
// (t.Errorf, from whatever goroutine the hook runs on) for every frame that
// does not validate, naming the frame and the schema's error. Frames seen
// after t's cleanup started for this hook are ignored.
func Hook(t testing.TB, endpoint string) protocol.FrameHook { return hook(t, endpoint, true) }

// HookServerFrames is Hook for a connection whose test sends invalid
// requests on purpose: only what the server sends is validated.
func HookServerFrames(t testing.TB, endpoint string) protocol.FrameHook {
	return hook(t, endpoint, false)
}

func hook(t testing.TB, endpoint string, checkSent bool) protocol.FrameHook {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	c := NewChecker(s, endpoint, checkSent)
	var mu sync.Mutex
	over := false
	t.Cleanup(func() {
		mu.Lock()
		over = true
		mu.Unlock()
	})
	return func(dir protocol.FrameDir, frame []byte) {
		err := c.Check(dir, frame)
		if err == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if !over {
			t.Errorf("protocol.schema.json: %s frame on %s does not validate: %v\nframe: %s", dir, endpoint, err, clip(frame))
		}
	}
}

// clip shortens a frame for a failure message (SDP makes frames long).
func clip(frame []byte) string {
	const max = 1500
	if len(frame) <= max {
		return string(frame)
	}
	return string(frame[:max]) + fmt.Sprintf("... (%d bytes)", len(frame))
}
