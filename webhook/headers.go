package webhook

import "encoding/json"

// eventHeaders reads the id and type of a stored event body.
func eventHeaders(body []byte) (id, typ string) {
	var ev struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	_ = json.Unmarshal(body, &ev)
	return ev.ID, ev.Type
}
