package main

import (
	"testing"
)

// serve --dev binds media on every address of the host and answers this
// host only (media.local_only), so that Firefox on the same machine, which
// takes no media from 127.0.0.1, can call; a bind_address or local_only the
// user set is kept, and a public address (for other hosts) leaves it off.
func TestDevMediaAnswersThisHostOnly(t *testing.T) {
	for _, c := range []struct {
		name, file  string
		env         []string
		bind        string
		localOnly   bool
		includeLoop bool
	}{
		{name: "defaults", bind: "", localOnly: true, includeLoop: true},
		{name: "bind set", env: []string{"SWITCHBOARD_MEDIA_BIND_ADDRESS="}, bind: "", localOnly: false, includeLoop: true},
		{name: "loopback bind set", env: []string{"SWITCHBOARD_MEDIA_BIND_ADDRESS=127.0.0.1"}, bind: "127.0.0.1", localOnly: false, includeLoop: true},
		{name: "local_only set", file: "media:\n  local_only: false\n", bind: "", localOnly: false, includeLoop: true},
		{name: "public ip set", env: []string{"SWITCHBOARD_MEDIA_PUBLIC_IP=203.0.113.7"}, bind: "", localOnly: false, includeLoop: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := ""
			if c.file != "" {
				path = writeFile(t, c.file)
			}
			l, err := loadConfig(path, c.env, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := applyDev(&l); err != nil {
				t.Fatal(err)
			}
			if l.Media.BindAddress != c.bind || l.Media.LocalOnly != c.localOnly || l.Media.IncludeLoopback != c.includeLoop {
				t.Errorf("bind_address %q local_only %v include_loopback %v, want %q %v %v",
					l.Media.BindAddress, l.Media.LocalOnly, l.Media.IncludeLoopback, c.bind, c.localOnly, c.includeLoop)
			}
		})
	}
}
