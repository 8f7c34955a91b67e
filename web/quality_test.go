package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
)

// TestQualityInCallLogAndAdminAPI: after a 1:1 call with media, both
// participants' quality is in the call log (GET /v1/calls and listCalls on
// /v1/ws) and in the admin API, every reply valid against the schema.
func TestQualityInCallLogAndAdminAPI(t *testing.T) {
	schema, err := protocoltest.Load()
	if err != nil {
		t.Fatal(err)
	}
	app := startApp(t)
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	sid, aliceTok, bobTok := connectCall(t, alice, bob)
	a, b := join(t, app, aliceTok, nil), join(t, app, bobTok, nil)
	flowUntilReceived(t, []*client.Session{a, b}, a, b)
	for range 50 { // half a second more of media
		for _, s := range []*client.Session{a, b} {
			for _, lt := range s.LocalTracks() {
				_ = lt.Write([]byte{0x10, 0x00, 0x00, 0x9d, 0x01, 0x2a}, 3000, true)
			}
		}
		time.Sleep(10 * time.Millisecond) // media pacing
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := b.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	waitCallEnded(t, alice)

	// GET /v1/calls: each participant's quality, once the rows are written.
	aliceAuth, _ := app.Tokens().MintAuth("alice", "Alice", 0)
	var log struct{ Calls []protocol.Call }
	deadline := time.Now().Add(waitLimit)
	for {
		r := do(t, "GET", app.URL()+"/v1/calls?limit=1", "", bearer(aliceAuth))
		r.decode(t, &log)
		v, err := protocoltest.Decode([]byte(r.body))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range v.(map[string]any)["calls"].([]any) {
			if err := schema.Validate("#/$defs/Call", c); err != nil {
				t.Fatalf("GET /v1/calls: %v\n%s", err, r.body)
			}
		}
		if len(log.Calls) == 1 && withQuality(log.Calls[0]) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the call log never showed both participants' quality: %s", r.body)
		}
		time.Sleep(20 * time.Millisecond) // polling an outcome
	}
	for _, p := range log.Calls[0].Participants {
		q := p.Quality
		if q.UID != p.UID || q.Rating == "" || q.MOS < 1 || q.BitrateSent <= 0 || q.BitrateReceived <= 0 || q.Candidate != protocol.CandidateHost {
			t.Errorf("%s's quality %+v: want a rating, bitrates both ways and a host candidate", p.UID, *q)
		}
	}
	// listCalls on /v1/ws: the same (the client checks its frames against the schema).
	calls, err := bob.chat.ListCalls(ctx, client.LogQuery{Limit: 1})
	if err != nil || len(calls) != 1 || withQuality(calls[0]) != 2 {
		t.Errorf("bob's listCalls = %+v, %v; want both participants' quality", calls, err)
	}

	// The admin API: every session's row.
	adminTok, _ := app.Tokens().MintAdmin("ops", 0)
	r := do(t, "GET", app.URL()+"/v1/admin/calls/"+sid+"/quality", "", bearer(adminTok))
	v, err := protocoltest.Decode([]byte(r.body))
	if err != nil || r.status != 200 {
		t.Fatalf("admin quality: %d %s (%v)", r.status, r.body, err)
	}
	if err := schema.Validate("#/$defs/CallQuality", v); err != nil {
		t.Fatalf("admin quality reply: %v\n%s", err, r.body)
	}
	var cq protocol.CallQuality
	r.decode(t, &cq)
	if cq.SessionID != sid || len(cq.Quality) != 2 {
		t.Errorf("admin quality = %+v, want two rows of %s", cq, sid)
	}
	// Prometheus: the histograms counted both sessions.
	metrics := do(t, "GET", app.URL()+"/metrics", "").body
	for _, want := range []string{"switchboard_sfu_quality_mos_count 2", `switchboard_sfu_quality_bitrate_bits_per_second_count{direction="sent"} 2`,
		`switchboard_sfu_quality_packet_loss_ratio_count{direction="sent"} 2`, "switchboard_sfu_quality_rtt_seconds_count 2",
		`switchboard_sfu_quality_jitter_seconds_count{direction="sent"} 2`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if r := do(t, "GET", app.URL()+"/v1/admin/calls/nosuchcall/quality", "", bearer(adminTok)); r.status != 404 {
		t.Errorf("quality of an unknown call: %d %s, want 404", r.status, r.body)
	}
	if r := do(t, "GET", app.URL()+"/v1/admin/calls/"+sid+"/quality", "", bearer(aliceAuth)); r.status != 401 {
		t.Errorf("quality with an auth token: %d, want 401", r.status)
	}
}

func withQuality(c protocol.Call) (n int) {
	for _, p := range c.Participants {
		if p.Quality != nil {
			n++
		}
	}
	return n
}
