package main

import (
	"strings"
	"testing"
)

// TestValidationErrorsNameTheLine: an invalid value the file set is named
// with the file's line, as a decoding error is (README: config errors
// name the line), including the turn and webhooks blocks, whose message
// no longer stutters ("webhooks: webhooks config: ..."). A key an env
// variable set instead names the variable, not a line of the file.
func TestValidationErrorsNameTheLine(t *testing.T) {
	const secret = "a secret of at least 32 characters........"
	tests := []struct {
		name, yaml string
		env        []string
		want       string
	}{
		{"cluster role", "log:\n  level: info\ncluster:\n  role: boss\n", nil,
			`switchboard.yaml:4: cluster.role: "boss" is not a role`},
		{"short key secret", "store:\n  path: x.db\nkeys:\n  k1: short\n", nil,
			"switchboard.yaml:4: keys.k1: the secret is 5 characters"},
		{"turn secret", "keys: {k1: \"" + secret + "\"}\nturn:\n  enabled: true\n  secret: short\n", nil,
			"switchboard.yaml:4: turn.secret: at least 16 characters are needed"},
		{"webhook url", "webhooks:\n  endpoints:\n    - name: a\n      url: ftp://x\n      secret: 0123456789abcdefg\n", nil,
			`config: ` + "%s" + `:4: webhooks.endpoints[0].url: "ftp://x" is not an http(s) URL with a host`},
		{"log level", "\nlog:\n  level: loud\n", nil, `switchboard.yaml:3: log.level: "loud" is not a level`},
		{"relay range over the media port", "keys: {k1: \"" + secret + "\"}\nmedia:\n  udp_port: 50000\nturn:\n  enabled: true\n  secret: 0123456789abcdefg\n  relay_port_min: 49160\n  relay_port_max: 50100\n", nil,
			"switchboard.yaml:7: turn.relay_port_min: the relay ports 49160-50100 include media.udp_port 50000"},
		{"ice server url", "media:\n  ice_servers:\n    - urls: [\"stun:stun.example.com:3478\"]\n    - urls:\n        - turn:turn.example.com\n        - \"stun;typo.example.com:3478\"\n      username: u\n      credential: p\n", nil,
			`switchboard.yaml:6: media.ice_servers[1].urls[1]: "stun;typo.example.com:3478" is not a STUN or TURN URL`},
		{"ice server without credentials", "media:\n  ice_servers:\n    - urls: [\"turns:turn.example.com:5349?transport=tcp\"]\n", nil,
			`switchboard.yaml:3: media.ice_servers[0].username: "turns:turn.example.com:5349?transport=tcp" is a TURN URL and needs a username and a credential`},
		{"external turn url", "turn:\n  external:\n    - secret: 0123456789abcdefg\n      urls: [\"turn:t.example.com:3478?transport=sctp\"]\n", nil,
			`switchboard.yaml:4: turn.external[0].urls[0]: "turn:t.example.com:3478?transport=sctp" is not a STUN or TURN URL (invalid transport protocol type)`},
		{"ice servers from env", "", []string{`SWITCHBOARD_MEDIA_ICE_SERVERS=[{urls: ["stun:h:0"]}]`},
			`config: SWITCHBOARD_MEDIA_ICE_SERVERS: media.ice_servers[0].urls[0]: "stun:h:0": port 0 is not 1 to 65535`},
		{"push policy", "push:\n  policy: sometimes\n", nil,
			`switchboard.yaml:2: push.policy: "sometimes" is not a policy; use offline-only or always`},
		{"apns key file missing", "push:\n  apns:\n    key_file: /nonexistent.p8\n    key_id: ABCDE12345\n    team_id: T\n", nil,
			"switchboard.yaml:3: push.apns.key_file: open /nonexistent.p8: no such file or directory"},
		{"apns key file not a key", "push:\n  apns:\n    key_file: config_test.go\n    key_id: ABCDE12345\n    team_id: T\n", nil,
			"switchboard.yaml:3: push.apns.key_file: config_test.go is not a .p8 EC private key"},
		{"apns key id", "push:\n  apns:\n    key_file: /nonexistent.p8\n    key_id: ABC\n    team_id: T\n", nil,
			`switchboard.yaml:4: push.apns.key_id: "ABC" is not a 10-character key id`},
		{"fcm credentials missing", "push:\n  fcm:\n    credentials_file: /nonexistent.json\n", nil,
			"switchboard.yaml:3: push.fcm.credentials_file: open /nonexistent.json: no such file or directory"},
		{"overridden by env", "cluster:\n  role: all\n", []string{"SWITCHBOARD_CLUSTER_ROLE=boss"},
			`config: SWITCHBOARD_CLUSTER_ROLE: cluster.role: "boss" is not a role`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.yaml)
			want := strings.Replace(tc.want, "%s", path, 1)
			l, err := loadConfig(path, tc.env, nil, nil)
			if err == nil {
				err = l.validate()
			}
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v\nwant it to contain %q", err, want)
			}
			if err != nil && strings.Contains(err.Error(), "webhooks config") {
				t.Errorf("err = %v: the package's own prefix stutters", err)
			}
		})
	}
}
