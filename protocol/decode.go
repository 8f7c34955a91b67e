package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
)

// decodeStrict decodes exactly one JSON value into v, rejecting unknown
// fields, fields named in another case and fields given twice.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after JSON value")
	}
	return CheckFieldNames(raw, v)
}

// DescribeJSONError says what is wrong with a JSON document in its own
// terms, not Go's: a value of the wrong type names the field and the JSON
// type it must have (json's message names the Go struct and type).
func DescribeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return fmt.Sprintf("must be %s, not %s", jsonKind(typeErr.Type.Kind()), typeErr.Value)
		}
		return fmt.Sprintf("field %q must be %s, not %s", typeErr.Field, jsonKind(typeErr.Type.Kind()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("syntax error at byte %d: %v", syntaxErr.Offset, err)
	default:
		return err.Error() // e.g. `json: unknown field "x"`
	}
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	default:
		return "a number"
	}
}

// Parse decodes one frame. A frame that is not a JSON object of the envelope's
// shape is a CodeBadRequest error.
func Parse(frame []byte) (Message, error) {
	var m Message
	if err := decodeEnvelope(frame, &m); err != nil {
		return Message{}, Errorf(CodeBadRequest, "malformed frame: %v", err)
	}
	kinds := 0
	if m.Method != "" {
		kinds++
	}
	if m.Event != "" {
		kinds++
	}
	if m.Result != nil || m.Error != nil {
		kinds++
	}
	if kinds != 1 {
		return Message{}, Errorf(CodeBadRequest, "frame must have exactly one of method, event, or result/error")
	}
	if m.Method != "" && m.ID == "" {
		return Message{}, Errorf(CodeBadRequest, "request %q has no id", m.Method)
	}
	return m, nil
}

// decodeEnvelope is decodeStrict(frame, m) with half the allocations for
// the usual frame: when a scan of the top-level keys shows that each one
// names a field (so refusing unknown fields cannot matter) and none is
// "error" (whose own fields are checked too), json.Unmarshal decodes it
// with the same decoder but without a Decoder's buffer. Anything else, and
// any error, goes the strict way, so results and errors are the same.
func decodeEnvelope(frame []byte, m *Message) error {
	if envelopeKeysKnown(frame) {
		if envelopeFields(frame, m) || json.Unmarshal(frame, m) == nil {
			return nil
		}
	}
	*m = Message{}
	return decodeStrict(frame, m)
}

// envelopeFields is json.Unmarshal(frame, m) for a valid frame whose keys
// envelopeKeysKnown accepted and whose string fields are plain (printable
// ASCII without escapes, or null): it copies each value's bytes instead of
// decoding the frame a second time through reflection (the Call in data
// or result is most of a frame, and is decoded again where it is used).
// It reports false, having set nothing, for any other frame. m must be
// the zero Message.
func envelopeFields(frame []byte, m *Message) bool {
	if !json.Valid(frame) {
		return false
	}
	var spans [len(envelopeKeys)][2]int
	seen := 0
	for i := skipSpace(frame, skipSpace(frame, 0)+1); i < len(frame) && frame[i] != '}'; i = skipSpace(frame, i+1) {
		end := i + 1 + bytes.IndexByte(frame[i+1:], '"') // a valid frame: the key ends, without escapes (envelopeKeysKnown)
		f := knownField(frame[i+1 : end])
		start := skipSpace(frame, skipSpace(frame, end+1)+1) // past the ':'
		i = skipValue(frame, start)
		stop := i
		for stop > start && isSpace(frame[stop-1]) {
			stop--
		}
		spans[f], seen = [2]int{start, stop}, seen|1<<f
		if i = skipSpace(frame, i); frame[i] == '}' {
			break
		}
	}
	var strs [len(envelopeKeys)]string
	for f, key := range envelopeKeys {
		if seen&(1<<f) == 0 || key.raw {
			continue
		}
		v := frame[spans[f][0]:spans[f][1]]
		if string(v) == "null" {
			continue
		}
		if len(v) < 2 || v[0] != '"' || !plainASCII(v[1:len(v)-1]) {
			return false
		}
		strs[f] = string(v[1 : len(v)-1])
	}
	for f, key := range envelopeKeys {
		if seen&(1<<f) == 0 {
			continue
		}
		if key.raw {
			*key.rawOf(m) = append(json.RawMessage(nil), frame[spans[f][0]:spans[f][1]]...)
		} else {
			*key.strOf(m) = strs[f]
		}
	}
	return true
}

// plainASCII reports whether a JSON string's inside decodes to itself:
// printable ASCII and no escape.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// envelopeKeys are Message's JSON names except "error", each with the
// field it fills: a string, or raw JSON.
var envelopeKeys = [...]struct {
	name  string
	raw   bool
	strOf func(*Message) *string
	rawOf func(*Message) *json.RawMessage
}{
	{name: "id", strOf: func(m *Message) *string { return &m.ID }},
	{name: "method", strOf: func(m *Message) *string { return &m.Method }},
	{name: "params", raw: true, rawOf: func(m *Message) *json.RawMessage { return &m.Params }},
	{name: "result", raw: true, rawOf: func(m *Message) *json.RawMessage { return &m.Result }},
	{name: "event", strOf: func(m *Message) *string { return &m.Event }},
	{name: "data", raw: true, rawOf: func(m *Message) *json.RawMessage { return &m.Data }},
}

// envelopeKeysKnown reports whether frame is an object whose keys are all
// plain ASCII (no escapes), each exactly a field's name and none twice
// (the strict decoder refuses another case or a repeat: CheckFieldNames).
// Values are skipped, not validated.
func envelopeKeysKnown(frame []byte) bool {
	i := skipSpace(frame, 0)
	if i >= len(frame) || frame[i] != '{' {
		return false
	}
	var seen uint
	for i = skipSpace(frame, i+1); i < len(frame) && frame[i] != '}'; i = skipSpace(frame, i+1) {
		if frame[i] != '"' {
			return false
		}
		end := bytes.IndexByte(frame[i+1:], '"')
		if end < 0 {
			return false
		}
		f := knownField(frame[i+1 : i+1+end])
		if f < 0 || seen&(1<<f) != 0 {
			return false
		}
		seen |= 1 << f
		i = skipSpace(frame, i+end+2)
		if i >= len(frame) || frame[i] != ':' {
			return false
		}
		if i = skipValue(frame, skipSpace(frame, i+1)); i < 0 {
			return false
		}
		if i = skipSpace(frame, i); i < len(frame) && frame[i] == '}' {
			return true
		}
		if i >= len(frame) || frame[i] != ',' {
			return false
		}
	}
	return i < len(frame)
}

// knownField is the index in envelopeKeys of key, exactly, or -1.
func knownField(key []byte) int {
	for i, f := range envelopeKeys {
		if string(key) == f.name {
			return i
		}
	}
	return -1
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just after the value that starts at i, or
// of the ',' or closing bracket that ends it (-1 if it does not end):
// strings and brackets are matched, nothing else is checked.
func skipValue(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			end, _ := skipString(b, i+1)
			if end < 0 {
				return -1
			}
			i = end
		case '{', '[':
			depth++
			continue
		case '}', ']':
			if depth--; depth < 0 {
				return i
			}
		case ',':
			if depth == 0 {
				return i
			}
			continue
		default:
			continue
		}
		if depth == 0 {
			return i + 1
		}
	}
	return -1
}
