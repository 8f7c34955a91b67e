package web_test

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

// The page imports the SDK by its package name through an inline import
// map; the page's CSP allows exactly that script by its hash, and no other
// inline script.
func TestPageImportMapAllowedByHash(t *testing.T) {
	app := startApp(t)
	r := do(t, "GET", app.URL()+"/", "")
	const open = `<script type="importmap">`
	i := strings.Index(r.body, open)
	if i < 0 {
		t.Fatalf("index.html has no import map")
	}
	body := r.body[i+len(open):]
	body = body[:strings.Index(body, "</script>")]
	if !strings.Contains(body, `"@switchboard-rtc/sdk"`) {
		t.Errorf("the import map does not name the SDK package: %s", body)
	}
	sum := sha256.Sum256([]byte(body))
	want := "script-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "';"
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, want) || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q, want it to contain %q", csp, want)
	}
}
