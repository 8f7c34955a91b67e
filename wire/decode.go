package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// decodeStrict decodes exactly one JSON value into v, rejecting unknown fields.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

// Parse decodes one frame. A frame that is not a JSON object of the envelope's
// shape is a CodeBadRequest error.
func Parse(frame []byte) (Message, error) {
	var m Message
	if err := decodeStrict(frame, &m); err != nil {
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
