package client

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestWeriftSubscriber runs a real werift (npm) subscriber against the SFU
// while tracks come and go. It needs Node and a directory holding
// node_modules/werift and node_modules/ws, named by SWITCHBOARD_WERIFT_DIR
// (e.g. `npm install werift@0.24 ws@8` there); without it, it is skipped.
func TestWeriftSubscriber(t *testing.T) {
	dir := os.Getenv("SWITCHBOARD_WERIFT_DIR")
	if dir == "" {
		t.Skip("SWITCHBOARD_WERIFT_DIR not set (a directory with node_modules/werift and node_modules/ws)")
	}
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "werift", MediaOptions{Audio: true, Video: "vp8"})
	pump(t, alice)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "testdata/werift_subscriber.mjs", "ws"+strings.TrimPrefix(ts.url, "http")+"/v1/rtc", "bob@werift")
	cmd.Env = append(os.Environ(), "WERIFT_DIR="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	type report struct {
		Counts map[string]int
		Tracks map[string]string
		Errors []string
	}
	var mu sync.Mutex
	var last report
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var r report
			if json.Unmarshal(sc.Bytes(), &r) == nil {
				mu.Lock()
				last = r
				mu.Unlock()
			}
		}
	}()
	// receiving: werift gets packets on the latest m-line announced for
	// each kind of uid.
	receiving := func(what string, uid string, kinds ...string) {
		t.Helper()
		eventually(t, what, func() bool {
			mu.Lock()
			defer mu.Unlock()
			ok := 0
			for _, k := range kinds {
				latest := -1
				for mid, tr := range last.Tracks {
					if n, err := strconv.Atoi(mid); err == nil && tr == uid+"-"+k && n > latest {
						latest = n
					}
				}
				if latest >= 0 && last.Counts[strconv.Itoa(latest)] > 20 {
					ok++
				}
			}
			return ok == len(kinds) && len(last.Errors) == 0
		})
	}
	receiving("werift receives alice", "alice", "audio", "video")
	alice2 := ts.join(t, "alice", "werift", MediaOptions{Audio: true, Video: "vp8"}) // a reload: two m-lines go dead, two new
	pump(t, alice2)
	mu.Lock()
	before := len(last.Tracks)
	mu.Unlock()
	eventually(t, "the reload's tracks announced", func() bool { mu.Lock(); defer mu.Unlock(); return len(last.Tracks) >= before+2 })
	receiving("werift receives the reloaded alice on new m-lines", "alice", "audio", "video")
	carol := ts.join(t, "carol", "werift", MediaOptions{Video: "vp8"})
	pump(t, carol)
	receiving("werift receives carol's video after dead m-lines", "carol", "video")
	mu.Lock()
	defer mu.Unlock()
	if len(last.Errors) > 0 {
		t.Errorf("werift: %v", last.Errors)
	}
	t.Logf("werift: mids %v, packets %v", last.Tracks, last.Counts)
}
