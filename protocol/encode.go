package protocol

import (
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"
)

// errBadRaw is returned for a Params, Result or Data that is not one JSON value.
var errBadRaw = errors.New("protocol: embedded JSON is not a single value")

// Marshal encodes m exactly as json.Marshal(m) does (same fields, order
// and escaping), without re-encoding the embedded json.RawMessage fields
// through reflection: the envelope is appended by hand and a raw field is
// copied as is when it is already compact and HTML-escaped (what
// json.Marshal produces), else it goes through json.Marshal's compaction.
// Raw fields are checked for balanced brackets and strings, not fully
// validated: they must hold valid JSON (the builders in this package and
// json.Marshal always produce it).
func Marshal(m Message) ([]byte, error) {
	return m.appendJSON(make([]byte, 0, m.sizeHint()))
}

func (m *Message) sizeHint() int {
	return 64 + len(m.ID) + len(m.Method) + len(m.Params) + len(m.Result) + len(m.Event) + len(m.Data)
}

func (m *Message) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	n0 := len(b)
	var err error
	b = appendStringField(b, n0, `"id":`, m.ID)
	b = appendStringField(b, n0, `"method":`, m.Method)
	if b, err = appendRawField(b, n0, `"params":`, m.Params); err != nil {
		return nil, err
	}
	if b, err = appendRawField(b, n0, `"result":`, m.Result); err != nil {
		return nil, err
	}
	if m.Error != nil {
		b = appendKey(b, n0, `"error":`)
		b = appendString(append(b, `{"code":`...), m.Error.Code)
		b = appendString(append(b, `,"message":`...), m.Error.Message)
		if m.Error.RetryAfterMs != 0 {
			b = strconv.AppendInt(append(b, `,"retryAfterMs":`...), m.Error.RetryAfterMs, 10)
		}
		b = append(b, '}')
	}
	b = appendStringField(b, n0, `"event":`, m.Event)
	if b, err = appendRawField(b, n0, `"data":`, m.Data); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// appendKey appends a comma unless the object opened at n0 is still empty.
func appendKey(b []byte, n0 int, key string) []byte {
	if len(b) > n0 {
		b = append(b, ',')
	}
	return append(b, key...)
}

func appendStringField(b []byte, n0 int, key, v string) []byte {
	if v == "" { // omitempty
		return b
	}
	return appendString(appendKey(b, n0, key), v)
}

func appendRawField(b []byte, n0 int, key string, raw json.RawMessage) ([]byte, error) {
	if len(raw) == 0 { // omitempty
		return b, nil
	}
	b = appendKey(b, n0, key)
	switch rawState(raw) {
	case rawVerbatim:
		return append(b, raw...), nil
	case rawRewrite: // whitespace or characters json.Marshal escapes
		out, err := json.Marshal(raw)
		if err != nil {
			return nil, err
		}
		return append(b, out...), nil
	}
	return nil, errBadRaw
}

// AppendString appends s as a JSON string, escaped exactly as json.Marshal
// escapes it: for callers that build JSON by hand.
func AppendString(b []byte, s string) []byte { return appendString(b, s) }

// appendString appends s as a JSON string, escaped as json.Marshal does.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

type rawKind int

const (
	rawBroken   rawKind = iota // unbalanced: not one JSON value
	rawVerbatim                // compact and escaped: copy as is
	rawRewrite                 // valid-looking but json.Marshal would change it
)

// rawState scans raw once: brackets and strings must balance, and it may be
// copied verbatim when it has no whitespace outside strings and none of the
// characters json.Marshal escapes (<, >, &, U+2028, U+2029).
func rawState(raw []byte) rawKind {
	depth, verbatim := 0, true
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '"':
			end, ok := skipString(raw, i+1)
			if end < 0 {
				return rawBroken
			}
			verbatim = verbatim && ok
			i = end
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth < 0 {
				return rawBroken
			}
		case ' ', '\t', '\n', '\r', '<', '>', '&':
			verbatim = false
		}
	}
	switch {
	case depth != 0:
		return rawBroken
	case verbatim:
		return rawVerbatim
	}
	return rawRewrite
}

// skipString returns the index of the quote that closes the string whose
// contents start at i (-1 if none), and whether the contents need no
// escaping by json.Marshal.
func skipString(raw []byte, i int) (end int, ok bool) {
	ok = true
	for ; i < len(raw); i++ {
		c := raw[i]
		if plainInString[c] {
			continue
		}
		switch {
		case c == '"':
			return i, ok
		case c == '\\':
			i++ // the escaped character
		case c == 0xE2 && i+2 < len(raw) && raw[i+1] == 0x80 && (raw[i+2] == 0xA8 || raw[i+2] == 0xA9):
			ok = false // U+2028, U+2029
		case c == '<' || c == '>' || c == '&':
			ok = false
		}
	}
	return -1, false
}

// plainInString marks the bytes a string scan skips at once. Read only.
var plainInString = func() (t [256]bool) {
	for c := range t {
		switch c {
		case '"', '\\', '<', '>', '&', 0xE2:
		default:
			t[c] = true
		}
	}
	return t
}()
