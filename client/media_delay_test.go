package client

import (
	"testing"

	dto "github.com/prometheus/client_model/go"
)

// The server measures its own share of media latency (issue 16 point 4):
// each copy it forwards is timed from the kernel's receive timestamp of
// the published packet to the send of the copy, in
// switchboard_sfu_forward_delay_seconds, and the part of it before the
// SFU's track reader in switchboard_sfu_receive_delay_seconds. Alice's audio reaches Bob and
// Carl: every forwarded copy is counted (two per packet), none before the
// packet arrived (a negative delay), none absurdly late (a unit or stale
// arrival mistake would put them past 2 s or all at 0).
func TestForwardDelayIsMeasured(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "delay", MediaOptions{Audio: true})
	bob := ts.join(t, "bob", "delay", MediaOptions{})
	carl := ts.join(t, "carl", "delay", MediaOptions{})
	pump(t, alice)
	bob.receiving(t, "alice", "audio", 100)
	carl.receiving(t, "alice", "audio", 100)

	recv := histogram(t, ts, "switchboard_sfu_receive_delay_seconds")
	if recv.GetSampleCount() < 100 {
		t.Fatalf("receive delay: %d packets observed, want at least the 100 received", recv.GetSampleCount())
	}
	if mean := recv.GetSampleSum() / float64(recv.GetSampleCount()); mean <= 0 || mean > 2 {
		t.Fatalf("receive delay: mean %.6f s over %d packets, want (0, 2 s]", mean, recv.GetSampleCount())
	}
	h := histogram(t, ts, "switchboard_sfu_forward_delay_seconds")
	if h.GetSampleCount() < 200 {
		t.Fatalf("forward delay: %d copies observed, want at least the 200 received", h.GetSampleCount())
	}
	mean := h.GetSampleSum() / float64(h.GetSampleCount())
	if mean <= 0 || mean > 2 {
		t.Fatalf("forward delay: mean %.6f s over %d copies, want (0, 2 s]", mean, h.GetSampleCount())
	}
	t.Logf("forward delay: %d copies, mean %.1f us", h.GetSampleCount(), mean*1e6)
	var last uint64
	for _, b := range h.GetBucket() {
		last = b.GetCumulativeCount()
	}
	if last != h.GetSampleCount() {
		t.Errorf("forward delay: %d of %d copies above the last bucket (%.3f s)", h.GetSampleCount()-last, h.GetSampleCount(), h.GetBucket()[len(h.GetBucket())-1].GetUpperBound())
	}
}

func histogram(t *testing.T, ts *testSFU, name string) *dto.Histogram {
	t.Helper()
	return metricFamily(t, ts, name).GetMetric()[0].GetHistogram()
}

// metricFamily gathers the test server's metrics and returns name's.
func metricFamily(t *testing.T, ts *testSFU, name string) *dto.MetricFamily {
	t.Helper()
	mfs, err := ts.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf
		}
	}
	t.Fatalf("no %s", name)
	return nil
}
