package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/server"
)

// TestDevLoginRefusesOtherSites: another site's page cannot sign anyone in
// through the dev login: a browser's request (it carries Origin) must be
// JSON, which no page can send across origins without a preflight the
// dev login never answers (415 otherwise); and a host name in the public
// DNS (a DNS rebinding: attacker.com resolved to 127.0.0.1 later) is
// refused (403) unless server.allowed_origins names it. The page's own
// sign-in, curl, the LAN recipe (https://<LAN IP>:7880) and names outside
// the public DNS (the e2e tests' sb.test) keep working.
func TestDevLoginRefusesOtherSites(t *testing.T) {
	app := startApp(t, func(c *server.Config) { c.Server.AllowedOrigins = []string{"https://dev.example.com"} })
	login := `{"name":"Alice"}`
	for _, tc := range []struct {
		name    string
		host    string
		headers []string
		status  int
		says    string
	}{
		{"cross-site text/plain", "", []string{"Origin: https://evil.example", "Content-Type: text/plain;charset=UTF-8"}, 415, "Content-Type: application/json"},
		{"cross-site form", "", []string{"Origin: https://evil.example", "Content-Type: application/x-www-form-urlencoded"}, 415, "application/json"},
		{"browser, no type", "", []string{"Origin: null"}, 415, "application/json"},
		{"rebound name", "rebind.attacker.com:7880", []string{"Origin: http://rebind.attacker.com:7880", "Content-Type: application/json"}, 403, "DNS rebinding"},
		{"rebound name, curl", "x.attacker.co.uk", nil, 403, "server.allowed_origins"},
		{"rebound name, dynamic DNS", "me.duckdns.org.", nil, 403, "DNS rebinding"},
		{"the page", "", []string{"Origin: " + app.URL(), "Content-Type: application/json; charset=utf-8"}, 200, `"uid":"alice"`},
		{"curl -d", "", []string{"Content-Type: application/x-www-form-urlencoded"}, 200, `"uid":"alice"`},
		{"LAN address", "198.18.0.1:7880", []string{"Origin: https://198.18.0.1:7880", "Content-Type: application/json"}, 200, `"uid":"alice"`},
		{"IPv6 address", "[fd00::1]:7880", []string{"Content-Type: application/json"}, 200, `"uid":"alice"`},
		{"localhost", "localhost:7880", []string{"Origin: http://localhost:7880", "Content-Type: application/json"}, 200, `"uid":"alice"`},
		{"mDNS name", "laptop.local:7880", []string{"Content-Type: application/json"}, 200, `"uid":"alice"`},
		{"a name in /etc/hosts", "sb.test:7880", []string{"Origin: https://sb.test:7880", "Content-Type: application/json"}, 200, `"uid":"alice"`},
		{"the router's DNS", "nas.home.arpa", []string{"Content-Type: application/json"}, 200, `"uid":"alice"`},
		{"a single label", "laptop:7880", []string{"Content-Type: application/json"}, 200, `"uid":"alice"`},
		{"a name of allowed_origins", "dev.example.com", []string{"Origin: https://dev.example.com", "Content-Type: application/json"}, 200, `"uid":"alice"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest("POST", app.URL()+"/v1/dev/login", strings.NewReader(login))
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range tc.headers {
				k, v, _ := strings.Cut(h, ": ")
				req.Header.Set(k, v)
			}
			if tc.host != "" {
				req.Host = tc.host
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.says) {
				t.Errorf("= %d %s; want %d saying %q", resp.StatusCode, b, tc.status, tc.says)
			}
		})
	}
}
