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
	if got := exitStatus(err); got != 1 {
		t.Errorf("a FAILED check: exit status %d, want 1 (operations.md, doctor --help)", got)
	}
}

// TestDoctorCannotRun: a config doctor cannot read or parse, or a bad
// flag, is exit status 2, apart from a FAILED check (1), so that a script
// tells "the checks failed" from "doctor did not run".
func TestDoctorCannotRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  []string
		args []string
	}{
		{"unknown key", nil, []string{"doctor", "--config", writeFile(t, "media:\n  udp_prt: 5\n")}},
		{"yaml syntax", nil, []string{"doctor", "--config", writeFile(t, "media:\n\tudp_port: 5\n")}},
		{"missing file", nil, []string{"doctor", "--config", "/nonexistent/switchboard.yaml"}},
		{"wrong type from env", []string{"SWITCHBOARD_MEDIA_UDP_PORT=abc"}, []string{"doctor"}},
		{"bad flag", nil, []string{"doctor", "--no-such-flag"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := run(t, tc.env, tc.args...)
			if err == nil {
				t.Fatalf("doctor ran:\n%s", out)
			}
			if got := exitStatus(err); got != 2 {
				t.Errorf("%v: exit status %d, want 2", err, got)
			}
			if strings.Contains(out, "CHECK") {
				t.Errorf("a report was printed:\n%s", out)
			}
		})
	}
}

// TestDoctorFailsOnWhatServeRefuses: a value serve would refuse at start
// fails doctor too, named with its key and the file's line.
func TestDoctorFailsOnWhatServeRefuses(t *testing.T) {
	env := []string{"SWITCHBOARD_MEDIA_BIND_ADDRESS=127.0.0.1", "SWITCHBOARD_MEDIA_UDP_PORT=0", "SWITCHBOARD_MEDIA_TCP_PORT=0",
		"SWITCHBOARD_SERVER_LISTEN=127.0.0.1:0"}
	for _, tc := range []struct{ name, yaml, want string }{
		{"ice server url", "media:\n  ice_servers:\n    - urls: [\"stun;typo.example.com:3478\"]\n",
			`switchboard.yaml:3: media.ice_servers[0].urls[0]: "stun;typo.example.com:3478" is not a STUN or TURN URL`},
		{"push policy", "push:\n  policy: sometimes\n", `switchboard.yaml:2: push.policy: "sometimes" is not a policy`},
		{"apns key file", "push:\n  apns:\n    key_file: /nonexistent.p8\n    key_id: ABCDE12345\n    team_id: T\n",
			"switchboard.yaml:3: push.apns.key_file: open /nonexistent.p8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := run(t, env, "doctor", "--config", writeFile(t, tc.yaml))
			if err == nil || !strings.Contains(out, "FAIL") || !strings.Contains(out, tc.want) {
				t.Errorf("err %v; output lacks a FAIL saying %q:\n%s", err, tc.want, out)
			}
		})
	}
}
