package bench

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func quickClips(t *testing.T) [2]*Clip {
	t.Helper()
	a, err := LoadAudio()
	if err != nil {
		t.Fatal(err)
	}
	v, err := LoadVideo()
	if err != nil {
		t.Fatal(err)
	}
	return [2]*Clip{a, v}
}

func TestPionBaselineFanoutDeliversStampedMedia(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process and streams media for seconds")
	}
	ctx := context.Background()
	addr, err := FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	child, err := StartChild(ctx, testLauncher(RolePion, addr, ""), "http://"+addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	target, err := NewPionTarget(child)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	spec := ForwardSpec{Scenario: ScenarioFanout, Rooms: 1, PerRoom: 4, Publishers: 1,
		Warmup: 500 * time.Millisecond, Measure: 2 * time.Second}
	res, err := RunForward(ctx, target, spec, quickClips(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	if res.TracksReceived != 6 {
		t.Errorf("%d tracks received, want 6 (3 subscribers x audio+video)", res.TracksReceived)
	}
	// About 206 packets/s in, 3x out. This checks the harness, not the
	// server: a subscriber or a track left out shows as 0.67 or less, while
	// a loopback beside the rest of the suite on two cores lost 1.4% of a
	// 2 s window once (CI, load average 2.3), so the bar is 0.95.
	if res.InPPS < 150 || res.OutPPS < 2.5*res.InPPS {
		t.Errorf("in %.0f pkt/s, out %.0f pkt/s: want ~206 in and 3x out", res.InPPS, res.OutPPS)
	}
	if res.Delivery < 0.95 {
		t.Errorf("delivery %.3f, want ~1 (0.95 at least)", res.Delivery)
	}
	if res.LatencyP50MS <= 0 || res.Unstamped != 0 {
		t.Errorf("latency p50 %.3f ms with %d unstamped packets: the send time did not survive", res.LatencyP50MS, res.Unstamped)
	}
	if res.CPUPerPacketUS <= 0 || res.ServerRSS <= 0 || res.ServerHeap <= 0 {
		t.Errorf("server cpu %.2f us/packet, rss %d, heap %d: not measured", res.CPUPerPacketUS, res.ServerRSS, res.ServerHeap)
	}
}

// The baseline forwards 1:1 calls too: two publishers a room, each
// receiving the other, so 16.3's "cheaper than plain Pion in 1:1" is
// measured against the same load.
func TestPionBaselineOneToOneForwardsBothWays(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process and streams media for seconds")
	}
	ctx := context.Background()
	target, err := StartTarget(ctx, Config{Launcher: testLauncher}, RolePion, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	spec := ForwardSpec{Scenario: ScenarioOneToOne, Rooms: 2, PerRoom: 2, Publishers: 2,
		Warmup: 500 * time.Millisecond, Measure: 2 * time.Second}
	res, err := RunForward(ctx, target, spec, quickClips(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	if res.TracksReceived != 8 {
		t.Errorf("%d tracks received, want 8 (2 calls x 2 people x audio+video)", res.TracksReceived)
	}
	// four publishers of ~206 packets/s, each forwarded once (the bar as in
	// the fan-out test above: it checks the harness, not the server)
	if res.InPPS < 600 || res.OutPPS < 0.95*res.InPPS {
		t.Errorf("in %.0f pkt/s, out %.0f pkt/s: want ~824 in and as many out", res.InPPS, res.OutPPS)
	}
	if res.Delivery < 0.95 || res.LatencyP50MS <= 0 || res.Unstamped != 0 {
		t.Errorf("delivery %.3f, latency p50 %.3f ms, %d unstamped: want ~1, > 0 and 0", res.Delivery, res.LatencyP50MS, res.Unstamped)
	}
}

// The forwarder's signaling refuses what it cannot serve, and says why.
func TestPionForwarderRefusesBadRequests(t *testing.T) {
	f, err := NewPionForwarder(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	srv := httptest.NewServer(f)
	defer srv.Close()
	post := func(path, body string) (int, string) {
		resp, err := http.Post(srv.URL+path, "application/sdp", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, c := range []struct{ path, want string }{
		{"/subscribe?from=nobody", `no publisher "nobody"`},
		{"/subscribe", `no publisher "pub"`},
		{"/publish?id=" + strings.Repeat("x", 65), "id: 65 bytes, at most 64"},
		{"/subscribe?from=" + strings.Repeat("x", 65), "from: 65 bytes, at most 64"},
	} {
		if code, body := post(c.path, "v=0"); code != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("POST %.40s: %d %q, want 400 with %q", c.path, code, body, c.want)
		}
	}
	// a publish whose offer is refused leaves its id free
	if code, _ := post("/publish?id=alice", "not sdp"); code != http.StatusBadRequest {
		t.Errorf("publish of a bad offer: %d, want 400", code)
	}
	f.mu.Lock()
	_, taken := f.tracks["alice"]
	f.tracks["alice"] = &pionTracks{} // as if alice published
	f.mu.Unlock()
	if taken {
		t.Error("a refused publish kept its id")
	}
	// a publisher id is taken once: the second is refused before any
	// connection is made (its offer is not even read as SDP)
	if code, body := post("/publish?id=alice", "v=0"); code != http.StatusBadRequest || !strings.Contains(body, `publisher "alice" is already publishing`) {
		t.Errorf("second publish: %d %q, want 400, already publishing", code, body)
	}
	f.mu.Lock()
	n := len(f.pcs)
	f.mu.Unlock()
	if n != 1 {
		t.Errorf("%d connections made by refused requests, want 1 (the bad offer's)", n)
	}
}

// With --simulcast, switchboard's publishers send three layers: the top one
// reaches every subscriber as the one-layer video did, and the lower two
// are sent (the server asks for the lowest always, the middle one until
// dynacast finds nobody on it).
func TestSimulcastFanoutSendsLowerLayers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process and streams media for seconds")
	}
	ctx := context.Background()
	cfg := Config{Launcher: testLauncher, Simulcast: true}
	target, err := StartTarget(ctx, cfg, RoleSwitchboard, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	spec := ForwardSpec{Scenario: ScenarioFanout, Rooms: 1, PerRoom: 3, Publishers: 1,
		Warmup: 500 * time.Millisecond, Measure: 1500 * time.Millisecond}
	res, err := RunForward(ctx, target, spec, quickClips(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	// (how much arrives is not asked: a race-built server beside other
	// tests delivered 53-100 % here, its queues overflowing)
	if res.TracksReceived != 4 || res.OutPPS <= 0 {
		t.Errorf("%d tracks, %.0f pkt/s out: want 4 tracks (2 subscribers x audio+video), media flowing", res.TracksReceived, res.OutPPS)
	}
	// the lowest layer alone is one packet a frame: 30 a second
	if res.LowerInPPS < 20 {
		t.Errorf("lower layers sent %.0f pkt/s, want at least the lowest one's ~30", res.LowerInPPS)
	}
}
