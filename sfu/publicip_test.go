package sfu_test

import (
	"strings"
	"testing"
)

// With media.public_ip set (NAT 1:1), the server announces that address in
// its candidates instead of the host's own. (Its subscriber candidates
// come once the offer is answered: owncandidates.go.)
func TestPublicIPIsAnnouncedInsteadOfTheHostAddress(t *testing.T) {
	cfg := loopbackConfig()
	cfg.PublicIP = "203.0.113.7"
	c := joinRaw(t, cfg)
	c.answer(c.offer())
	for {
		m := c.next()
		if !isSubscriberTrickle(m) {
			continue
		}
		cand := string(m.Data)
		if strings.Contains(cand, "127.0.0.1") {
			t.Fatalf("the host address leaked into a candidate: %s", cand)
		}
		if strings.Contains(cand, "203.0.113.7") {
			return
		}
	}
}
