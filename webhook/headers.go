package webhook

import (
	"bytes"
	"encoding/json"
)

// eventHeaders reads the id and type of a stored event body. Bodies are
// marshalled from Event, whose first two keys are id and type: they are
// read as the first tokens, without scanning the rest (the call in data is
// most of the body); a body that does not start so is decoded whole.
func eventHeaders(body []byte) (id, typ string) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return eventHeadersSlow(body)
	}
	id, okID := stringField(dec, "id")
	typ, okType := stringField(dec, "type")
	if !okID || !okType {
		return eventHeadersSlow(body)
	}
	return id, typ
}

// stringField reads the next key, which must be key, and its string value.
func stringField(dec *json.Decoder, key string) (string, bool) {
	if k, err := dec.Token(); err != nil || k != key {
		return "", false
	}
	v, err := dec.Token()
	s, ok := v.(string)
	return s, err == nil && ok
}

func eventHeadersSlow(body []byte) (id, typ string) {
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	_ = json.Unmarshal(body, &ev)
	return ev.ID, ev.Type
}
