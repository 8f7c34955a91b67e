package signaling

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/tokens"
)

func TestMetricsCountCallsAndConnections(t *testing.T) {
	e := newEnv(t, nil)
	e.users("alice", "bob")
	alice, bob := e.dial("alice"), e.dial("bob")
	m := e.hub.metrics
	out := alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	if value(m.ringing) != 1 || value(m.conns) != 2 {
		t.Fatalf("ringing %v, connections %v", value(m.ringing), value(m.conns))
	}
	bob.accept(out.SessionID)
	if value(m.ongoing) != 1 || value(m.ringing) != 0 {
		t.Fatal("gauges after accept")
	}
	if _, err := bob.EndCall(ctxT(t), out.SessionID); err != nil {
		t.Fatal(err)
	}
	out = alice.call("bob")
	bob.expect(protocol.EventIncomingCall)
	if _, err := bob.RejectCall(ctxT(t), out.SessionID, protocol.StatusRejected); err != nil {
		t.Fatal(err)
	}
	for status, want := range map[string]float64{protocol.StatusEnded: 1, protocol.StatusRejected: 1, protocol.StatusBusy: 0} {
		if got := value(m.calls.WithLabelValues(status)); got != want {
			t.Errorf("calls_total{status=%s} = %v, want %v", status, got, want)
		}
	}
	if value(m.ongoing)+value(m.ringing) != 0 {
		t.Fatal("gauges after the calls ended")
	}
}

func TestNewRegistersMetrics(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{Path: filepath.Join(t.TempDir(), "m.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	iss, _ := tokens.New(map[string]string{"k": strings.Repeat("x", 32)}, "", nil)
	reg := prometheus.NewRegistry()
	h, err := New(ctx, DefaultConfig(), Deps{Store: st, Tokens: iss, Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	fams, err := reg.Gather()
	names := map[string]bool{}
	for _, f := range fams {
		names[f.GetName()] = true
	}
	for _, want := range []string{"switchboard_calls_ringing", "switchboard_calls_ongoing", "switchboard_ringing_connections", "switchboard_calls_total"} {
		if err != nil || !names[want] {
			t.Fatalf("%s not registered (%v): %v", want, err, names)
		}
	}
	if _, err := New(ctx, DefaultConfig(), Deps{Store: st, Tokens: iss, Metrics: reg}); err == nil {
		t.Fatal("a second hub on the same registry must fail, not panic")
	}
}

func value(c prometheus.Metric) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	if m.Gauge != nil {
		return m.Gauge.GetValue()
	}
	return m.Counter.GetValue()
}
