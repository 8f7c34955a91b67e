package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

const exampleConfig = "../../configs/switchboard.yaml"

// exampleDoc is configs/switchboard.yaml as a YAML document.
func exampleDoc(t *testing.T) *yaml.Node {
	t.Helper()
	data, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// TestExampleConfigDocumentsEveryKey fails when a package Config gains a
// field that configs/switchboard.yaml does not document (or the file keeps
// a key that no longer exists), and when a key has no comment.
func TestExampleConfigDocumentsEveryKey(t *testing.T) {
	doc := exampleDoc(t)
	fields := configFields()
	documented := map[string]bool{}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := joinKey(prefix, k.Value)
			if _, leaf := fields[key]; leaf || v.Kind != yaml.MappingNode {
				documented[key] = true
				if strings.TrimSpace(k.HeadComment) == "" {
					t.Errorf("%s:%d: key %s has no comment line above it", exampleConfig, k.Line, key)
				}
				continue
			}
			walk(v, key)
		}
	}
	walk(doc.Content[0], "")
	for _, f := range sortedFields(fields) {
		if !documented[f.key] {
			t.Errorf("%s does not document %s (add it with its default and a comment)", exampleConfig, f.key)
		}
	}
	for key := range documented {
		if _, ok := fields[key]; !ok {
			t.Errorf("%s documents %s, which is not a config key", exampleConfig, key)
		}
	}
}

// TestExampleConfigStatesTheDefaults loads the example strictly: it must be
// valid and every value in it must be the real default.
func TestExampleConfigStatesTheDefaults(t *testing.T) {
	l, err := loadConfig(exampleConfig, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := yaml.Marshal(l.Config)
	want, _ := yaml.Marshal(defaultConfig())
	if string(got) != string(want) {
		t.Errorf("the example's values differ from the defaults:\nexample:\n%s\ndefaults:\n%s", got, want)
	}
}

// TestLimitsTakeZeroAsDocumented: a max_* key whose comment in
// configs/switchboard.yaml says "0 = no cap" (or no limit) takes 0; every
// other max_* number refuses it (the packages would quietly use their
// default instead).
func TestLimitsTakeZeroAsDocumented(t *testing.T) {
	doc := exampleDoc(t)
	comments := map[string]string{}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := joinKey(prefix, n.Content[i].Value)
			comments[key] = n.Content[i].HeadComment
			if n.Content[i+1].Kind == yaml.MappingNode {
				walk(n.Content[i+1], key)
			}
		}
	}
	walk(doc.Content[0], "")
	checked := 0
	for _, f := range sortedFields(configFields()) {
		if !isInteger(f.typ) || !strings.HasPrefix(f.key[strings.LastIndex(f.key, ".")+1:], "max_") {
			continue
		}
		checked++
		noCap := regexp.MustCompile(`0 = no (cap|limit)`).MatchString(comments[f.key])
		l, err := loadConfig("", []string{f.env + "=0"}, nil, nil)
		if err == nil {
			err = l.validate()
		}
		switch {
		case noCap && err != nil:
			t.Errorf("%s: documented as 0 = no cap, but 0 is refused: %v", f.key, err)
		case !noCap && (err == nil || !strings.Contains(err.Error(), f.key)):
			t.Errorf("%s: 0 is not documented, yet accepted (err %v)", f.key, err)
		}
	}
	if checked < 5 {
		t.Fatalf("checked %d max_* keys", checked)
	}
}

func TestEnvNamesAreUniqueAndDerivedFromKeys(t *testing.T) {
	seen := map[string]string{}
	for _, f := range configFields() {
		if other, dup := seen[f.env]; dup {
			t.Errorf("%s and %s share the variable %s", f.key, other, f.env)
		}
		seen[f.env] = f.key
	}
	for env, key := range map[string]string{
		"SWITCHBOARD_MEDIA_UDP_PORT":         "media.udp_port",
		"SWITCHBOARD_SERVER_LISTEN":          "server.listen",
		"SWITCHBOARD_KEYS":                   "keys",
		"SWITCHBOARD_LOG_LEVEL":              "log.level",
		"SWITCHBOARD_RINGING_RING_TIMEOUT":   "ringing.ring_timeout",
		"SWITCHBOARD_STORE_PATH":             "store.path",
		"SWITCHBOARD_SERVER_ALLOWED_ORIGINS": "server.allowed_origins",
	} {
		if seen[env] != key {
			t.Errorf("%s sets %q, want %q", env, seen[env], key)
		}
	}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := t.TempDir() + "/switchboard.yaml"
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLayersOverrideInOrder(t *testing.T) {
	file := writeFile(t, "media:\n  udp_port: 1000\n  tcp_port: 1001\nserver:\n  listen: 127.0.0.1:9000\n")
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	var cfgPath string
	addConfigFlags(fs, &cfgPath)
	if err := fs.Parse([]string{"--udp-port", "3000"}); err != nil {
		t.Fatal(err)
	}
	env := []string{"SWITCHBOARD_MEDIA_UDP_PORT=2000", "SWITCHBOARD_MEDIA_TCP_PORT=2001", "HOME=/x",
		"SWITCHBOARD_KEYS=k1:" + strings.Repeat("s", 32) + ",k2:" + strings.Repeat("t", 32),
		"SWITCHBOARD_SERVER_ALLOWED_ORIGINS=https://a.example, https://b.example",
		"SWITCHBOARD_RINGING_RING_TIMEOUT=10s"}
	l, err := loadConfig(file, env, fs, configFlagKeys())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.validate(); err != nil {
		t.Fatal(err)
	}
	if l.Media.UDPPort != 3000 || l.Media.TCPPort != 2001 || l.Server.Listen != "127.0.0.1:9000" {
		t.Errorf("udp %d tcp %d listen %q: want flag 3000, env 2001, file 127.0.0.1:9000",
			l.Media.UDPPort, l.Media.TCPPort, l.Server.Listen)
	}
	if len(l.Keys) != 2 || l.Keys["k2"] != strings.Repeat("t", 32) {
		t.Errorf("keys = %v", l.Keys)
	}
	if !slices.Equal(l.Server.AllowedOrigins, []string{"https://a.example", "https://b.example"}) {
		t.Errorf("allowed_origins = %q", l.Server.AllowedOrigins)
	}
	if l.Ringing.RingTimeout.String() != "10s" {
		t.Errorf("ring_timeout = %s", l.Ringing.RingTimeout)
	}
	for _, key := range []string{"media.udp_port", "media.tcp_port", "server.listen", "keys"} {
		if !l.set[key] {
			t.Errorf("%s not recorded as set by the user", key)
		}
	}
	if l.set["media.bind_address"] {
		t.Error("media.bind_address recorded as set, but nobody set it")
	}
}

func TestICEServersFromYAMLAndEnv(t *testing.T) {
	file := writeFile(t, "media:\n  ice_servers:\n    - urls: [\"stun:stun.example.com:3478\"]\n")
	l, err := loadConfig(file, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Media.ICEServers) != 1 || l.Media.ICEServers[0].URLs[0] != "stun:stun.example.com:3478" {
		t.Errorf("from YAML: %+v", l.Media.ICEServers)
	}
	env := []string{`SWITCHBOARD_MEDIA_ICE_SERVERS=[{urls: ["turn:t.example.com"], username: u, credential: p}]`}
	l, err = loadConfig("", env, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Media.ICEServers) != 1 || l.Media.ICEServers[0].Credential != "p" {
		t.Errorf("from env: %+v", l.Media.ICEServers)
	}
}

// TestBadConfig: each mistake gives one error naming the key (and the line
// for the file) and what to write instead.
func TestBadConfig(t *testing.T) {
	secret := strings.Repeat("s", 32)
	tests := []struct {
		name  string
		yaml  string
		env   []string
		flags []string
		want  []string // substrings of the error
	}{
		{name: "unknown top key", yaml: "log:\n  level: info\nlisten: :80\n",
			want: []string{":3: listen: unknown key", "server"}},
		{name: "unknown nested key", yaml: "media:\n  udp_prt: 5\n",
			want: []string{":2: media.udp_prt: unknown key", "udp_port"}},
		{name: "unknown key in a list item", yaml: "media:\n  ice_servers:\n    - url: x\n",
			want: []string{":3: media.ice_servers[0].url: unknown key", "urls"}},
		{name: "not a number", yaml: "media:\n\n  udp_port: abc\n",
			want: []string{`:3: media.udp_port: "abc" is not a whole number`}},
		{name: "duplicate key", yaml: "media:\n  udp_port: 7000\n  tcp_port: 7001\n  udp_port: 7002\n",
			want: []string{":4: media.udp_port: is set twice, on line 2 and on line 4"}},
		{name: "two server blocks", yaml: "server:\n  listen: :80\nlog:\n  level: info\nserver:\n  shutdown_grace: 5s\n",
			want: []string{":5: server: is set twice, on line 1 and on line 5", "merge"}},
		{name: "duplicate key in a list item", yaml: "webhooks:\n  endpoints:\n    - name: a\n      name: b\n",
			want: []string{":4: webhooks.endpoints[0].name: is set twice, on line 3 and on line 4"}},
		{name: "duplicate API key", yaml: "keys:\n  k1: " + secret + "\n  k1: " + secret + "\n",
			want: []string{":3: keys.k1: is set twice, on line 2 and on line 3"}},
		{name: "cluster expiry under two keepalives", yaml: "cluster:\n  keepalive: 5s\n  expiry: 6s\n",
			want: []string{"cluster.expiry (6s) must be at least twice cluster.keepalive (5s)"}},
		{name: "fraction for a whole number", yaml: "media:\n  tcp_port: 19881.9\n",
			want: []string{":2: media.tcp_port: 19881.9 is not a whole number"}},
		{name: "fraction in env", env: []string{"SWITCHBOARD_RINGING_MAX_FRAME_BYTES=1.5"},
			want: []string{"SWITCHBOARD_RINGING_MAX_FRAME_BYTES: ringing.max_frame_bytes: 1.5 is not a whole number"}},
		{name: "origin without scheme", yaml: "server:\n  allowed_origins: [\"https://app.example\", \"app2.example\"]\n",
			want: []string{`:2: server.allowed_origins[1]: "app2.example" is not an origin`, `"https://app2.example"`}},
		{name: "origin with a path", env: []string{"SWITCHBOARD_SERVER_ALLOWED_ORIGINS=https://app.example/call"},
			want: []string{`server.allowed_origins[0]: "https://app.example/call" is not an origin; use scheme://host[:port]`}},
		{name: "origin with the default port", yaml: "server:\n  allowed_origins:\n    - https://app.example\n    - https://app.example:443\n",
			want: []string{`:4: server.allowed_origins[1]: "https://app.example:443" names the default port`, `write "https://app.example"`}},
		{name: "a list of objects from env not in flow style", env: []string{"SWITCHBOARD_MEDIA_ICE_SERVERS=stun:stun.example.com"},
			want: []string{"SWITCHBOARD_MEDIA_ICE_SERVERS: media.ice_servers: must be a list of objects in YAML flow style, e.g. [{urls:"}},
		{name: "loopback bind with a public ip", yaml: "media:\n  bind_address: 127.0.0.1\n  public_ip: 203.0.113.7\n",
			want: []string{"media.public_ip: 203.0.113.7 would be announced to clients, but media.bind_address 127.0.0.1 is loopback"}},
		{name: "local only with a public ip", yaml: "media:\n  local_only: true\n  public_ip: 203.0.113.7\n",
			want: []string{":2: media.local_only: serves this host only: it cannot go with media.public_ip or turn.enabled"}},
		{name: "backoff min above max", yaml: "outbox:\n  min_backoff: 1h\n  max_backoff: 1s\n",
			want: []string{":3: outbox.max_backoff: 1s is shorter than outbox.min_backoff (1h0m0s)"}},
		{name: "no such interface", yaml: "media:\n  interfaces: [\"nosuchif0\"]\n",
			want: []string{`:2: media.interfaces: none of ["nosuchif0"] is an interface of this host`, "lo"}},
		{name: "ice-tcp on the http port", yaml: "server:\n  listen: \":7880\"\nmedia:\n  tcp_port: 7880\n",
			want: []string{":4: media.tcp_port: TCP port 7880 is also server.listen's (all addresses)", "another port"}},
		{name: "metrics on the http port", yaml: "server:\n  listen: 127.0.0.1:9000\n  metrics_listen: \":9000\"\n",
			want: []string{":3: server.metrics_listen: TCP port 9000 is also server.listen's (127.0.0.1)"}},
		{name: "turn on the media port", yaml: "media:\n  bind_address: 10.0.0.5\n  udp_port: 3478\nturn:\n  enabled: true\n  secret: 0123456789abcdefg\n  public_ip: 203.0.113.7\n  listen_tcp: \"\"\n",
			want: []string{":3: media.udp_port: UDP port 3478 is also turn.listen_udp's (all addresses)"}},
		{name: "duration without unit", yaml: "server:\n  shutdown_grace: 30\n",
			want: []string{":2: server.shutdown_grace: 30 has no unit", "30s"}},
		{name: "bad duration", yaml: "ringing:\n  ring_timeout: soon\n",
			want: []string{`:2: ringing.ring_timeout: "soon" is not a duration`}},
		{name: "section not a mapping", yaml: "media: 5\n",
			want: []string{":1: media: must be a mapping"}},
		{name: "bad bool", yaml: "ringing:\n  auto_busy: maybe\n",
			want: []string{`:2: ringing.auto_busy: "maybe" is not true or false`}},
		{name: "yaml syntax", yaml: "server:\n  listen: [\n",
			want: []string{"switchboard.yaml:2: ", `"  listen: ["`}},
		{name: "yaml syntax after a flow list closed on the next line", yaml: "server:\n  allowed_origins: [\"a\",\n    \"b\"]\n  listen: [\n",
			want: []string{`switchboard.yaml:4: did not find expected node content: "  listen: ["`}},
		{name: "key indented too far", yaml: "server:\n  listen: \":7880\"\n   shutdown_grace: 30s\nstore:\n  path: x\n",
			want: []string{`switchboard.yaml:3: did not find expected key: "   shutdown_grace: 30s"`, "indentation"}},
		{name: "key indented too little", yaml: "log:\n  level: info\nserver:\n  listen: \":7880\"\n  allowed_origins: []\n shutdown_grace: 30s\n",
			want: []string{`switchboard.yaml:6: did not find expected key: " shutdown_grace: 30s"`, "indentation"}},
		{name: "tab indent", yaml: "media:\n  udp_port: 7882\n\ttcp_port: 7881\n",
			want: []string{`switchboard.yaml:3: found a tab character that violates indentation: "\ttcp_port: 7881"`, "never tabs"}},
		{name: "unknown env", env: []string{"SWITCHBOARD_MEDIA_UDP=1"},
			want: []string{"unknown environment variable SWITCHBOARD_MEDIA_UDP"}},
		{name: "bad env value", env: []string{"SWITCHBOARD_MEDIA_UDP_PORT=x"},
			want: []string{`SWITCHBOARD_MEDIA_UDP_PORT: media.udp_port: "x" is not a whole number`}},
		{name: "bad env duration", env: []string{"SWITCHBOARD_RINGING_RING_TIMEOUT=45"},
			want: []string{"SWITCHBOARD_RINGING_RING_TIMEOUT: ringing.ring_timeout: 45 has no unit"}},
		{name: "bad env keys", env: []string{"SWITCHBOARD_KEYS=justakey"},
			want: []string{"SWITCHBOARD_KEYS: keys: want key:secret pairs"}},
		{name: "bad flag value", flags: []string{"--udp-port", "70000"},
			want: []string{"config: --udp-port: media.udp_port: 70000 is not a port"}},
		{name: "port out of range in file", yaml: "media:\n  tcp_port: -1\n",
			want: []string{"media.tcp_port: -1 is not a port"}},
		{name: "zero duration", yaml: "ringing:\n  reconnect_grace: 0s\n",
			want: []string{"ringing.reconnect_grace: must be a duration above 0"}},
		{name: "zero limit", yaml: "media:\n  max_participants: 0\n",
			want: []string{"media.max_participants: is a limit and must be above 0"}},
		{name: "bad level", flags: []string{"--log-level", "loud"},
			want: []string{`config: --log-level: log.level: "loud" is not a level`}},
		{name: "bad level from env over the file's", yaml: "log:\n  level: info\n", env: []string{"SWITCHBOARD_LOG_LEVEL=verbose"},
			want: []string{`config: SWITCHBOARD_LOG_LEVEL: log.level: "verbose" is not a level`}},
		{name: "bad format", env: []string{"SWITCHBOARD_LOG_FORMAT=xml"},
			want: []string{`config: SWITCHBOARD_LOG_FORMAT: log.format: "xml" is not a format`}},
		{name: "bad listen", flags: []string{"--listen", "7880"},
			want: []string{`config: --listen: server.listen: "7880" is not host:port`}},
		{name: "bad public ip", flags: []string{"--public-ip", "example.com"},
			want: []string{`config: --public-ip: media.public_ip: "example.com" is not an IP address`}},
		{name: "short secret from env", yaml: "keys:\n  k0: " + secret + "\n", env: []string{"SWITCHBOARD_KEYS=k1:short"},
			want: []string{"config: SWITCHBOARD_KEYS: keys.k1: the secret is 5 characters"}},
		{name: "port clash from env", env: []string{"SWITCHBOARD_MEDIA_TCP_PORT=7880"},
			want: []string{"config: SWITCHBOARD_MEDIA_TCP_PORT: media.tcp_port: TCP port 7880 is also server.listen's"}},
		{name: "short secret", yaml: "keys:\n  k1: short\n",
			want: []string{"keys.k1: the secret is 5 characters; use at least 32", "keys generate"}},
		{name: "unknown signing key", yaml: "keys:\n  k1: " + secret + "\nsigning_key: k2\n",
			want: []string{`signing_key: "k2" is not one of the API keys`}},
		{name: "ring timeout above max", yaml: "ringing:\n  ring_timeout: 5m\n",
			want: []string{"ringing.max_ring_timeout: 2m0s is shorter than ringing.ring_timeout (5m0s)"}},
		{name: "unknown role", flags: []string{"--role", "relay"},
			want: []string{`config: --role: cluster.role: "relay" is not a role; use all, signal or media`}},
		{name: "media role alone", flags: []string{"--role", "media"},
			want: []string{"cluster.role: is media but cluster.redis is empty"}},
		{name: "cluster node on every address without a media url", env: []string{"SWITCHBOARD_STORE_DRIVER=postgres",
			"SWITCHBOARD_STORE_DSN=postgres://sb@127.0.0.1/sb", "SWITCHBOARD_CLUSTER_REDIS=redis://127.0.0.1:6379/0"}, flags: []string{"--listen", ":7880"},
			want: []string{`cluster.media_url: is empty, and server.listen ":7880" is every address of this host`, "media.public_ip"}},
		{name: "turns without a certificate", yaml: "turn:\n  enabled: true\n  secret: 0123456789abcdefg\n  listen_tls: \":5349\"\n",
			want: []string{":4: turn.listen_tls: needs turn.tls_cert and turn.tls_key"}},
		{name: "bad media url", env: []string{"SWITCHBOARD_CLUSTER_MEDIA_URL=node3:7880"},
			want: []string{`config: SWITCHBOARD_CLUSTER_MEDIA_URL: cluster.media_url: "node3:7880" is not a base URL`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := ""
			if tc.yaml != "" {
				path = writeFile(t, tc.yaml)
			}
			fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
			var cfgPath string
			addConfigFlags(fs, &cfgPath)
			if err := fs.Parse(tc.flags); err != nil {
				t.Fatal(err)
			}
			l, err := loadConfig(path, tc.env, fs, configFlagKeys())
			if err == nil {
				err = l.validate()
			}
			if err == nil {
				t.Fatalf("no error; want one containing %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
			if strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("want one line, got:\n%s", err)
			}
		})
	}
}

// TestGoodValuesPass: what the stricter checks must still take.
func TestGoodValuesPass(t *testing.T) {
	for _, body := range []string{
		"server:\n  allowed_origins: [\"*\", \"https://app.example\", \"http://localhost:3000\", \"capacitor://localhost\", \"https://App.Example:8443/\"]\n",
		"media:\n  interfaces: [\"lo\", \"wg-later0\"]\n",
		"outbox:\n  min_backoff: 5s\n  max_backoff: 5s\n",
		"media:\n  ice_servers:\n    - urls: [\"stun:stun.example.com\", \"turns:t.example.com:443?transport=tcp\"]\n      username: u\n      credential: p\n",
		"turn:\n  max_bitrate: 0\n",
		"server:\n  listen: 127.0.0.1:7880\n  metrics_listen: 127.0.0.2:7880\nmedia:\n  udp_port: 7881\n  tcp_port: 7881\n",
		"media:\n  bind_address: 10.0.0.5\n  udp_port: 3478\nturn:\n  enabled: true\n  secret: 0123456789abcdefg\n  listen_udp: 10.0.0.6:3478\n  listen_tcp: 10.0.0.6:3478\n",
		"server:\n  listen: 127.0.0.1:0\nmedia:\n  udp_port: 0\n  tcp_port: 0\nturn:\n  enabled: true\n  secret: 0123456789abcdefg\n  listen_udp: 127.0.0.1:0\n  listen_tcp: 127.0.0.1:0\n",
	} {
		l, err := loadConfig(writeFile(t, body), nil, nil, nil)
		if err == nil {
			err = l.validate()
		}
		if err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// TestSyntaxErrorSearchIsBounded: in a file too large to search line by line
// (each line's search parses everything before it), the error names the
// line yaml reports, at once.
func TestSyntaxErrorSearchIsBounded(t *testing.T) {
	body := "server:\n  listen: \":7880\"\n" + strings.Repeat("  # a comment of some length to fill the file\n", 30000) +
		"   shutdown_grace: 30s\n"
	_, err := loadConfig(writeFile(t, body), nil, nil, nil)
	if err == nil || !strings.Contains(err.Error(), `switchboard.yaml:1: did not find expected key: "server:"`) {
		t.Fatalf("err = %v; want yaml's own line 1", err)
	}
	// small enough: the offending line
	body = "server:\n  listen: \":7880\"\n" + strings.Repeat("  # a comment\n", 300) + "   shutdown_grace: 30s\n"
	_, err = loadConfig(writeFile(t, body), nil, nil, nil)
	if err == nil || !strings.Contains(err.Error(), `switchboard.yaml:303: did not find expected key: "   shutdown_grace: 30s"`) {
		t.Fatalf("err = %v; want line 303", err)
	}
}

// TestConnectionStringsCheckedWithoutTheirPasswords: a PostgreSQL DSN that
// Open would refuse is refused with the rest of the configuration (doctor
// passed it and serve refused it only after binding its ports), and no
// message quotes a DSN's or a Redis URL's password, parsed or not (the
// cluster operator's audit: "cannot parse" and "invalid port" quoted them).
func TestConnectionStringsCheckedWithoutTheirPasswords(t *testing.T) {
	const pw = "TopSecret99"
	for _, tc := range []struct{ name, dsn, redis, want string }{
		{"scheme misspelt", "postgress://sb:" + pw + "@127.0.0.1:5440/sb", "redis://127.0.0.1:6379/0", "store.dsn"},
		{"bad escape", "postgres://sb:Top%zz" + pw + "@127.0.0.1:5440/sb", "redis://127.0.0.1:6379/0", "store.dsn"},
		{"unknown sslmode", "postgres://sb:" + pw + "@127.0.0.1:5440/sb?sslmode=bogus", "redis://127.0.0.1:6379/0", "store.dsn"},
		{"redis port", "postgres://sb:" + pw + "@127.0.0.1:5440/sb", "redis://:" + pw + "@127.0.0.1:xx/0", "cluster.redis"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := []string{"SWITCHBOARD_STORE_DRIVER=postgres", "SWITCHBOARD_STORE_DSN=" + tc.dsn, "SWITCHBOARD_CLUSTER_REDIS=" + tc.redis}
			l, err := loadConfig("", env, nil, nil)
			if err == nil {
				err = l.validate()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), pw) {
				t.Errorf("err = %v; want it to name %s without the password", err, tc.want)
			}
		})
	}
}
