package turnserver

import (
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestCheckICEServer: what a WebRTC stack refuses in iceServers (and with
// it the whole list) is refused, naming the entry's key; what it takes is
// taken.
func TestCheckICEServer(t *testing.T) {
	tests := []struct {
		name string
		s    protocol.ICEServer
		want string // "" = accepted
	}{
		{"stun with port", protocol.ICEServer{URLs: []string{"stun:stun.example.com:3478"}}, ""},
		{"stun without port", protocol.ICEServer{URLs: []string{"stun:stun.example.com"}}, ""},
		{"stuns", protocol.ICEServer{URLs: []string{"stuns:stun.example.com:5349"}}, ""},
		{"stun on IPv6", protocol.ICEServer{URLs: []string{"stun:[2001:db8::1]:3478"}}, ""},
		{"turn with credentials", protocol.ICEServer{URLs: []string{"turn:t.example.com?transport=tcp", "turns:t.example.com:443"}, Username: "u", Credential: "p"}, ""},
		{"semicolon for colon", protocol.ICEServer{URLs: []string{"stun;typo.example.com:3478"}}, `x.urls[0]: "stun;typo.example.com:3478" is not a STUN or TURN URL`},
		{"http", protocol.ICEServer{URLs: []string{"stun:ok.example.com", "https://t.example.com"}}, `x.urls[1]: "https://t.example.com" is not a STUN or TURN URL (unknown scheme type)`},
		{"slashes", protocol.ICEServer{URLs: []string{"stun://stun.example.com:3478"}}, "x.urls[0]: "},
		{"no host", protocol.ICEServer{URLs: []string{"stun::3478"}}, "invalid hostname"},
		{"port out of range", protocol.ICEServer{URLs: []string{"stun:h.example.com:70000"}}, "port 70000 is not 1 to 65535"},
		{"bad port", protocol.ICEServer{URLs: []string{"stun:h.example.com:x"}}, "invalid port"},
		{"transport on stun", protocol.ICEServer{URLs: []string{"stun:h.example.com?transport=udp"}}, "queries not supported"},
		{"unknown transport", protocol.ICEServer{URLs: []string{"turn:h.example.com?transport=tls"}, Username: "u", Credential: "p"}, "invalid transport protocol type"},
		{"no urls", protocol.ICEServer{}, "x.urls: at least one URL is needed"},
		{"turn without credential", protocol.ICEServer{URLs: []string{"turn:t.example.com"}, Username: "u"}, "x.username: \"turn:t.example.com\" is a TURN URL and needs a username and a credential"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckICEServer("x", tc.s)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("err = %v, want %q", err, tc.want)
			case err != nil && !strings.Contains(err.Error(), "stun:host[:port]") && !strings.Contains(err.Error(), "port") && !strings.Contains(err.Error(), "credential"):
				t.Errorf("err = %v does not say what is accepted", err)
			}
		})
	}
}
