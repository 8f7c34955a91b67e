package web

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/switchboard-rtc/switchboard/docs"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// staticFiles is the web page and the JS SDK (web/static, built by the web
// page work): index.html at /, the SDK at /sdk/switchboard.js.
//
//go:embed static
var staticFiles embed.FS

// newStaticHandler serves the embedded page. Everything is sent with
// Cache-Control: no-cache, so a new binary's page is picked up at once.
func newStaticHandler() (http.Handler, error) {
	root, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	files := http.FileServerFS(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: protocol.Errorf(protocol.CodeBadRequest, "method %s is not allowed here; use GET", r.Method)})
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		if r.URL.Path == "/sdk/switchboard.js" {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		}
		files.ServeHTTP(w, r)
	}), nil
}

// handleProtocolSchema serves docs/protocol.schema.json, the wire contract
// for code generators (no token needed: it is the public protocol).
func handleProtocolSchema(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/schema+json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(docs.ProtocolSchema())
}
