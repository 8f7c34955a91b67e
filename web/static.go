package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/switchboard-rtc/switchboard/docs"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// staticFiles is the web page and the JS SDK (web/static, built by the web
// page work): index.html at /, the SDK at /sdk/switchboard.js.
//
//go:embed static
var staticFiles embed.FS

// pageCSP lets the page load only its own scripts, styles and images
// (the icon is a data: URL), talk only to its own origin (fetch and its
// WebSockets; CSP 3 'self' covers ws: and wss: of the same host), play
// camera streams (blob:, mediastream:), and never be framed. The page has
// no inline script or style; its one inline element, the import map that
// names the SDK package, is allowed by its hash (importMapHash).
const pageCSP = "default-src 'none'; script-src 'self' %s; style-src 'self'; img-src 'self' data: blob:; " +
	"media-src 'self' blob: mediastream:; connect-src 'self'; font-src 'self'; manifest-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// importMapHash is the CSP source of index.html's import map
// ('sha256-...'), or "" if the page has none.
func importMapHash(page []byte) string {
	const open = `<script type="importmap">`
	i := bytes.Index(page, []byte(open))
	if i < 0 {
		return ""
	}
	body := page[i+len(open):]
	j := bytes.Index(body, []byte("</script>"))
	if j < 0 {
		return ""
	}
	sum := sha256.Sum256(body[:j])
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// setPageHeaders adds the page's security headers (csp: pageCSP filled in).
// Referrer-Policy no-referrer also keeps a ?token= URL out of any Referer.
func setPageHeaders(h http.Header, csp string) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY") // frame-ancestors for browsers without CSP 2
}

// newStaticHandler serves the embedded page. Everything is sent with
// Cache-Control: no-cache, so a new binary's page is picked up at once.
// mediaOrigins, in a cluster, names the nodes that may host a call's media:
// the page's connect-src lets it open /v1/rtc there too.
func newStaticHandler(mediaOrigins func(*http.Request) []string) (http.Handler, error) {
	root, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	files := http.FileServerFS(root)
	page, err := fs.ReadFile(root, "index.html")
	if err != nil {
		return nil, err
	}
	csp := fmt.Sprintf(pageCSP, importMapHash(page))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: protocol.Errorf(protocol.CodeBadRequest, "method %s is not allowed here; use GET", r.Method)})
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		if mediaOrigins != nil {
			setPageHeaders(w.Header(), withConnect(csp, mediaOrigins(r)))
		} else {
			setPageHeaders(w.Header(), csp)
		}
		if strings.HasSuffix(r.URL.Path, ".js") {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		}
		files.ServeHTTP(w, r)
	}), nil
}

// withConnect adds origins (http(s)://host[:port]) and their WebSocket
// forms to csp's connect-src; anything else is left out.
func withConnect(csp string, origins []string) string {
	var extra []string
	for _, o := range origins {
		u, err := url.Parse(o)
		if err != nil || u.Host == "" || strings.ContainsAny(o, " ;,'\"") || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		ws := "ws"
		if u.Scheme == "https" {
			ws = "wss"
		}
		extra = append(extra, u.Scheme+"://"+u.Host, ws+"://"+u.Host)
	}
	if len(extra) == 0 {
		return csp
	}
	return strings.Replace(csp, "connect-src 'self'", "connect-src 'self' "+strings.Join(extra, " "), 1)
}

// handleProtocolSchema serves docs/protocol.schema.json, the wire contract
// for code generators (no token needed: it is the public protocol).
func handleProtocolSchema(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/schema+json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(docs.ProtocolSchema())
}
