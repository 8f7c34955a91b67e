package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzConfigFile: any file, and any value for one of the keys from the
// environment (field picks it), is either a config or an ErrConfig naming
// what is wrong; never a panic. A config that loads is validated as serve
// does.
func FuzzConfigFile(f *testing.F) {
	fields := sortedFields(configFields())
	env := func(key string) uint16 {
		for i, fl := range fields {
			if fl.key == key {
				return uint16(i)
			}
		}
		f.Fatalf("no key %s", key)
		return 0
	}
	f.Add("server:\n  listen: \":7880\"\n", env("media.udp_port"), "7882")
	f.Add("media:\n  ice_servers:\n    - urls: [\"stun:x\"]\n", env("keys"), "k1:"+strings.Repeat("s", 32))
	f.Add("ringing: &r\n  ring_timeout: 30s\nwebhooks:\n  endpoints: [*r]\n", env("media.ice_servers"), "[{urls: [a]}]")
	f.Add("a: &a [*a, *a]\n", env("ringing.ring_timeout"), "1h")
	f.Add("keys: {k1: x}\nlog: {level: [1, 2]}\n", env("log.level"), "info")
	f.Fuzz(func(t *testing.T, file string, field uint16, envValue string) {
		path := filepath.Join(t.TempDir(), "switchboard.yaml")
		if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		name := fields[int(field)%len(fields)].env
		l, err := loadConfig(path, []string{name + "=" + envValue}, nil, nil)
		if err == nil {
			err = l.validate()
		}
		if err != nil && !errors.Is(err, ErrConfig) {
			t.Fatalf("error %q is not an ErrConfig", err)
		}
	})
}
