package sfu

import (
	"fmt"
	"strings"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// ErrICERestart refuses a renegotiating publishOffer whose ICE credentials
// changed. pion/ice v4 (through v4.4.2 at least) writes the agent's
// localUfrag in Agent.Restart while the UDP-mux gathering goroutine reads
// it: a data race a client could trigger at will. A participant whose
// transport failed rejoins (a new /v1/rtc connection) instead.
var ErrICERestart = protocol.NewSentinel(protocol.CodeInvalidState, "sfu: ICE restart is not supported; reconnect /v1/rtc instead")

// checkICERestart refuses an offer whose ice-ufrag differs from the one of
// the description already applied (none applied yet: anything goes).
func checkICERestart(current, offer string) error {
	if current == "" {
		return nil
	}
	if was, now := iceUfrag(current), iceUfrag(offer); was != now {
		return fmt.Errorf("%w (ice-ufrag %q -> %q)", ErrICERestart, was, now)
	}
	return nil
}

// iceUfrag returns the first a=ice-ufrag value of an SDP ("" if none).
func iceUfrag(sdp string) string {
	const key = "a=ice-ufrag:"
	i := strings.Index(sdp, key)
	if i < 0 {
		return ""
	}
	v := sdp[i+len(key):]
	if j := strings.IndexAny(v, "\r\n"); j >= 0 {
		v = v[:j]
	}
	return strings.TrimSpace(v)
}
