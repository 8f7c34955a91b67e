package web_test

import (
	"encoding/json"
	"testing"

	"github.com/switchboard-rtc/switchboard/docs"
)

func TestServesTheProtocolSchema(t *testing.T) {
	app := startApp(t)
	r := do(t, "GET", app.URL()+"/v1/protocol.schema.json", "")
	if r.status != 200 || r.header.Get("Content-Type") != "application/schema+json" {
		t.Fatalf("GET /v1/protocol.schema.json = %d %q, want 200 application/schema+json", r.status, r.header.Get("Content-Type"))
	}
	if r.body != string(docs.ProtocolSchema()) {
		t.Fatal("the served schema is not docs/protocol.schema.json")
	}
	var s struct {
		Schema  string                     `json:"$schema"`
		Methods map[string]map[string]any  `json:"x-methods"`
		Defs    map[string]json.RawMessage `json:"$defs"`
	}
	r.decode(t, &s)
	if s.Schema != "https://json-schema.org/draft/2020-12/schema" || len(s.Methods["/v1/ws"]) == 0 || len(s.Methods["/v1/rtc"]) == 0 || s.Defs["Call"] == nil {
		t.Fatalf("the served schema lacks $schema 2020-12, x-methods of both endpoints or $defs/Call: %.200s", r.body)
	}
}
