package docs_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/docs"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
)

// example is one JSON value of a ```json block of protocol.md.
type example struct {
	line     int    // where its block starts
	endpoint string // from the section it is in
	value    any
}

// readExamples returns every JSON value of protocol.md's ```json blocks. A
// level-2 heading that names /v1/ws or /v1/rtc sets the endpoint of the
// blocks under it; the sections before (the envelope) are /v1/ws.
func readExamples(t *testing.T) []example {
	t.Helper()
	f, err := os.Open("protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []example
	endpoint, inBlock, start := protocoltest.WS, false, 0
	var block strings.Builder
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case !inBlock && strings.HasPrefix(line, "## "):
			endpoint = headingEndpoint(line, endpoint)
		case !inBlock && strings.TrimSpace(line) == "```json":
			inBlock, start = true, n
			block.Reset()
		case inBlock && strings.TrimSpace(line) == "```":
			inBlock = false
			values, err := decodeAll(block.String())
			if err != nil {
				t.Errorf("protocol.md:%d: a json block that is not JSON: %v", start, err)
			}
			for _, v := range values {
				out = append(out, example{line: start, endpoint: endpoint, value: v})
			}
		case inBlock:
			block.WriteString(line + "\n")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func headingEndpoint(heading, current string) string {
	rtc, ws := strings.Contains(heading, "/v1/rtc"), strings.Contains(heading, "/v1/ws")
	switch {
	case rtc && !ws:
		return protocoltest.RTC
	case ws && !rtc:
		return protocoltest.WS
	}
	return current
}

// decodeAll decodes every JSON value of a block (one per line, or one
// spread over several lines), numbers kept exact as the validator wants.
func decodeAll(block string) ([]any, error) {
	dec := json.NewDecoder(strings.NewReader(block))
	dec.UseNumber()
	var out []any
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
}

// fillElided applies protocol.md's convention: "...":"..." stands for the
// other Call fields, always present. Each object holding it gets every
// field of the template Call (the doc's own Call object) it lacks.
func fillElided(v any, call map[string]any) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["..."]; ok {
			delete(x, "...")
			for k, tv := range call {
				if _, has := x[k]; !has {
					x[k] = tv
				}
			}
		}
		for _, e := range x {
			fillElided(e, call)
		}
	case []any:
		for _, e := range x {
			fillElided(e, call)
		}
	}
}

// isCallObject tells the doc's bare Call object from frames.
func isCallObject(v any) bool {
	m, _ := v.(map[string]any)
	_, p := m["participants"]
	_, s := m["sessionId"]
	return p && s
}

func TestEveryExampleOfProtocolMDValidates(t *testing.T) {
	s, err := protocoltest.Load()
	if err != nil {
		t.Fatal(err)
	}
	examples := readExamples(t)
	var template map[string]any
	for _, ex := range examples {
		if isCallObject(ex.value) {
			template = ex.value.(map[string]any)
			break
		}
	}
	if template == nil {
		t.Fatal("protocol.md has no Call object example to expand \"...\":\"...\" with")
	}
	seen := map[string]bool{} // "endpoint method" and "endpoint event"
	pending := map[string]string{}
	for _, ex := range examples {
		fillElided(ex.value, template)
		frame, _ := json.Marshal(ex.value)
		if err := checkExample(s, ex, pending, seen); err != nil {
			t.Errorf("protocol.md:%d (%s): %s\ndoes not validate: %v", ex.line, ex.endpoint, frame, err)
		}
	}
	for _, ep := range []string{protocoltest.WS, protocoltest.RTC} {
		for _, m := range s.Methods(ep) {
			wantExample(t, seen, ep+" method "+m)
		}
		for _, e := range s.Events(ep) {
			wantExample(t, seen, ep+" event "+e)
		}
	}
}

// notYetInProtocolMD are messages the schema has (their frames validate in
// the tests) that protocol.md does not show yet. Remove an entry when its
// example lands; the test fails if a listed one has an example.
func notYetInProtocolMD() map[string]bool {
	return map[string]bool{
		// e.g. "/v1/ws method registerDevice": true, while its docs are on their way
	}
}

func wantExample(t *testing.T, seen map[string]bool, what string) {
	t.Helper()
	switch {
	case !seen[what] && !notYetInProtocolMD()[what]:
		t.Errorf("protocol.md shows no example of %s", what)
	case seen[what] && notYetInProtocolMD()[what]:
		t.Errorf("protocol.md now shows %s: remove it from notYetInProtocolMD", what)
	case !seen[what]:
		t.Logf("protocol.md shows no example of %s yet (notYetInProtocolMD)", what)
	}
}

// checkExample validates one example: a request (remembered by id, so its
// reply in the same section is checked against the method's result type),
// a reply (an error reply may stand alone), an event, or the bare Call
// object.
func checkExample(s *protocoltest.Schema, ex example, pending map[string]string, seen map[string]bool) error {
	obj, _ := ex.value.(map[string]any)
	id, _ := obj["id"].(string)
	_, isResult := obj["result"]
	switch {
	case obj["method"] != nil:
		_, method, err := s.RequestMethod(ex.endpoint, ex.value)
		pending[ex.endpoint+" "+id] = method
		seen[ex.endpoint+" method "+method] = true
		return err
	case obj["event"] != nil:
		seen[fmt.Sprintf("%s event %v", ex.endpoint, obj["event"])] = true
		return s.Event(ex.endpoint, ex.value)
	case isResult || obj["error"] != nil:
		method, ok := pending[ex.endpoint+" "+id]
		if !ok && obj["error"] == nil {
			return fmt.Errorf("a result for %q, but no request with that id comes before it", id)
		}
		return s.Reply(ex.endpoint, method, ex.value) // an error alone is checked as any error reply
	case isCallObject(ex.value):
		return s.Validate("#/$defs/Call", ex.value)
	}
	return errors.New("neither a frame nor a Call object")
}

func TestProtocolSchemaIsWhatThePackageServes(t *testing.T) {
	onDisk, err := os.ReadFile("protocol.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, docs.ProtocolSchema()) {
		t.Fatal("docs.ProtocolSchema() differs from protocol.schema.json")
	}
}
