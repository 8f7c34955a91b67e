// Package docs holds switchboard's documentation (Markdown, figures) and
// embeds the wire protocol's machine-readable contract, protocol.schema.json
// (JSON Schema draft 2020-12), so that the binary can serve it and tests can
// validate frames against it. protocol.md describes the same for people.
//
// docs is a leaf package: it imports no other switchboard package.
package docs

import (
	"bytes"
	_ "embed"
)

//go:embed protocol.schema.json
var protocolSchema []byte

// ProtocolSchema returns the contents of docs/protocol.schema.json (a copy).
func ProtocolSchema() []byte { return bytes.Clone(protocolSchema) }
