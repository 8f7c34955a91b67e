package main

import (
	"strings"
	"testing"
)

// TestDoctorCommand: with TURN on (from the environment, on loopback),
// doctor allocates against it and prints the firewall table; a TURN block
// that cannot start (a short secret) fails with status 1 and says why.
func TestDoctorCommand(t *testing.T) {
	env := []string{"SWITCHBOARD_TURN_ENABLED=true", "SWITCHBOARD_TURN_SECRET=doctor-cli-secret-0123",
		"SWITCHBOARD_TURN_LISTEN_UDP=127.0.0.1:0", "SWITCHBOARD_TURN_LISTEN_TCP=127.0.0.1:0",
		"SWITCHBOARD_TURN_RELAY_PORT_MIN=0", "SWITCHBOARD_TURN_RELAY_PORT_MAX=0",
		"SWITCHBOARD_MEDIA_BIND_ADDRESS=127.0.0.1", "SWITCHBOARD_MEDIA_UDP_PORT=0", "SWITCHBOARD_SERVER_LISTEN=127.0.0.1:0"}
	out, _, err := run(t, env, "doctor")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"TURN over udp", "relay allocated at 127.0.0.1:", "TURN peer ranges", "must let in", "TURN over TCP"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = run(t, append(env, "SWITCHBOARD_TURN_SECRET=short"), "doctor")
	if err == nil || !strings.Contains(out, "turn.secret") {
		t.Fatalf("short secret: %v\n%s", err, out)
	}
}
