package cluster

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
)

// Envelopes travel between nodes in a compact binary form, not JSON: a
// delivery carries a whole frame, and JSON would escape it on the way out
// and scan it twice on the way in. The form: the byte envelopeV1, then each
// string field (strings(), in that order) and then each raw JSON field
// (raws(): Params, Frame, Result, as they are) as a uvarint length and its
// bytes, then Conn as a uvarint. Nothing may follow. A payload that starts with '{' is JSON: the
// presence changes the presence script publishes (cjson).
const envelopeV1 = 1

// appendEnvelope appends e's binary form to buf.
func appendEnvelope(buf []byte, e Envelope) []byte {
	buf = append(buf, envelopeV1)
	for _, s := range e.strings() {
		buf = binary.AppendUvarint(buf, uint64(len(*s)))
		buf = append(buf, *s...)
	}
	for _, r := range e.raws() {
		buf = binary.AppendUvarint(buf, uint64(len(*r)))
		buf = append(buf, *r...)
	}
	return binary.AppendUvarint(buf, e.Conn)
}

// strings lists e's string fields in their encoded order.
func (e *Envelope) strings() [11]*string {
	return [11]*string{&e.Kind, &e.From, &e.ID, &e.UID, &e.Method, &e.SessionID, &e.SkipNode,
		&e.ErrCode, &e.ErrText, &e.Name, &e.Status}
}

// raws lists e's raw JSON fields in their encoded order.
func (e *Envelope) raws() [3]*json.RawMessage {
	return [3]*json.RawMessage{&e.Params, &e.Frame, &e.Result}
}

// encodeEnvelope is e's binary form.
func encodeEnvelope(e Envelope) []byte {
	n := 16 + len(e.Params) + len(e.Frame) + len(e.Result) + len(e.ErrText)
	for _, s := range e.strings() {
		n += len(*s)
	}
	return appendEnvelope(make([]byte, 0, n), e)
}

// decodeEnvelope reads an envelope in either form. The raw JSON fields of
// the binary form share b's memory.
func decodeEnvelope(b []byte) (Envelope, error) {
	var e Envelope
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &e); err != nil {
			return Envelope{}, fmt.Errorf("%w: %w", ErrBadEnvelope, err)
		}
		return e, nil
	}
	if len(b) == 0 || b[0] != envelopeV1 {
		return Envelope{}, fmt.Errorf("%w: unknown form", ErrBadEnvelope)
	}
	b = b[1:]
	next := func() ([]byte, error) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, fmt.Errorf("%w: truncated", ErrBadEnvelope)
		}
		v := b[k : k+int(n)]
		b = b[k+int(n):]
		return v, nil
	}
	for _, s := range e.strings() {
		v, err := next()
		if err != nil {
			return Envelope{}, err
		}
		*s = string(v)
	}
	for _, r := range e.raws() {
		v, err := next()
		if err != nil {
			return Envelope{}, err
		}
		if len(v) > 0 {
			*r = json.RawMessage(v)
		}
	}
	conn, k := binary.Uvarint(b)
	if k <= 0 || k != len(b) {
		return Envelope{}, fmt.Errorf("%w: bad end", ErrBadEnvelope)
	}
	e.Conn = conn
	return e, nil
}
