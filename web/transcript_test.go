package web_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
)

// TestRTCTranscript records the callee's /v1/rtc frames of a 1:1 call into
// the file named by SWITCHBOARD_TRANSCRIPT, one "+ms dir frame" line each:
// the raw material of protocol.md's transcript. The caller joins first and
// publishes; the callee joins, publishes, receives; the caller mutes its
// video and leaves, which ends the call. Skipped without that variable.
func TestRTCTranscript(t *testing.T) {
	path := os.Getenv("SWITCHBOARD_TRANSCRIPT")
	if path == "" {
		t.Skip("set SWITCHBOARD_TRANSCRIPT=file to record a /v1/rtc transcript")
	}
	app := startApp(t)
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	_, aliceTok, bobTok := connectCall(t, alice, bob)

	check := protocoltest.Hook(t, protocoltest.RTC)
	var mu sync.Mutex
	var lines []string
	start := time.Now()
	record := func(dir protocol.FrameDir, frame []byte) {
		check(dir, frame)
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf("+%d %s %s", time.Since(start).Milliseconds(), dir, frame))
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	a := join(t, app, aliceTok, nil)
	time.Sleep(300 * time.Millisecond) // let alice's transports settle before bob comes: a readable transcript
	start = time.Now()
	b, err := client.JoinSession(ctx, app.URL(), bobTok, client.MediaOptions{Audio: true, Video: "vp8", Loopback: true, OnFrame: record})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	flowUntilReceived(t, []*client.Session{a, b}, a, b)
	if err := a.Mute(ctx, "video", true); err != nil {
		t.Fatal(err)
	}
	if err := a.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	<-b.Done()
	mu.Lock()
	defer mu.Unlock()
	var out []byte
	for _, l := range lines {
		out = append(out, l+"\n"...)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
