package turnserver

import (
	"fmt"

	"github.com/pion/stun/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// iceURLForms is what ParseICEURL accepts, for messages.
const iceURLForms = "stun:host[:port], stuns:host[:port], turn:host[:port][?transport=udp|tcp] or turns:host[:port][?transport=udp|tcp]"

// ParseICEURL parses raw as WebRTC stacks parse a URL of
// RTCConfiguration.iceServers (Pion's ice.ParseURL is stun.ParseURI; a
// browser's RTCPeerConnection throws on what it refuses, and with it on the
// whole list): scheme stun:, stuns:, turn: or turns:, a host, an optional
// port 1..65535, and ?transport=udp or tcp on turn: and turns: only.
func ParseICEURL(raw string) (*stun.URI, error) {
	u, err := stun.ParseURI(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a STUN or TURN URL (%v); want %s", raw, err, iceURLForms)
	}
	if u.Port < 1 || u.Port > 65535 {
		return nil, fmt.Errorf("%q: port %d is not 1 to 65535", raw, u.Port)
	}
	return u, nil
}

// IsTURN reports whether u is a turn: or turns: URL (these need credentials).
func IsTURN(u *stun.URI) bool {
	return u.Scheme == stun.SchemeTypeTURN || u.Scheme == stun.SchemeTypeTURNS
}

// CheckICEServer checks one entry that clients get as it is (where is its
// key, e.g. media.ice_servers[0]): at least one URL, each as ParseICEURL
// wants it, and a username and credential when a URL is turn: or turns:
// (browsers and Pion refuse a TURN server without them). The error is
// "<key>: <what>".
func CheckICEServer(where string, s protocol.ICEServer) error {
	if len(s.URLs) == 0 {
		return fmt.Errorf("%s.urls: at least one URL is needed; want %s", where, iceURLForms)
	}
	for j, raw := range s.URLs {
		u, err := ParseICEURL(raw)
		if err != nil {
			return fmt.Errorf("%s.urls[%d]: %w", where, j, err)
		}
		if IsTURN(u) && (s.Username == "" || s.Credential == "") {
			return fmt.Errorf("%s.username: %q is a TURN URL and needs a username and a credential (clients refuse it without); "+
				"for a TURN server sharing a TURN REST secret, list it under turn.external with its secret instead", where, raw)
		}
	}
	return nil
}
