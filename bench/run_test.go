package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestQuickRun runs `switchboard bench --quick` end to end against server
// child processes: every scenario must produce figures, and the JSON, the
// plots and the table must be written.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("quick bench: about half a minute of real media and calls")
	}
	cfg := QuickConfig()
	cfg.Launcher = testLauncher
	cfg.OutDir = t.TempDir()
	var progress bytes.Buffer
	cfg.Progress = &progress
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	var table bytes.Buffer
	rep.WriteTable(&table)
	t.Log("\n" + table.String())
	for _, w := range rep.Warnings {
		if !strings.Contains(w, "bottleneck") && !strings.Contains(w, "busy") {
			t.Errorf("warning: %s", w)
		}
	}
	if rep.NegotiatedFloor() <= 0 {
		t.Error("no floor measured")
	}
	for _, f := range []string{"bench.json", "cpu_fanout.png", "latency_fanout.png", "cpu_group.png", "cpu_1to1.png"} {
		if st, err := os.Stat(filepath.Join(cfg.OutDir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	seen := map[string]bool{}
	for _, s := range rep.Forward {
		seen[s.Target+" "+s.Scenario] = true
		if s.Delivery.Median < 0.5 || s.OutPPS.Median <= 0 || s.CPUPerPacket.Median <= 0 || s.LatencyP50.Median <= 0 {
			t.Errorf("%s %s load %d: delivery %.3f, out %.0f pkt/s, cpu %.2f us/pkt, p50 %.3f ms",
				s.Target, s.Scenario, s.Load, s.Delivery.Median, s.OutPPS.Median, s.CPUPerPacket.Median, s.LatencyP50.Median)
		}
	}
	for _, r := range rep.Raw {
		if r.LoadGCs != 0 { // gc.go: the load collects only outside the windows
			t.Errorf("%s %s load %d: the load side collected garbage %d times in the window", r.Target, r.Scenario, r.Load, r.LoadGCs)
		}
	}
	for _, want := range []string{"switchboard fanout", "pion fanout", "switchboard group", "switchboard 1:1"} {
		if !seen[want] {
			t.Errorf("no %s figures", want)
		}
	}
	if g := rep.Ringing; g == nil || g.Flows == 0 || g.FlowsPerSec <= 0 {
		t.Errorf("ringing: %+v", g)
	}
	if i := rep.Idle; i == nil || i.Held != i.Wanted {
		t.Errorf("idle: %+v", i)
	}
	if j := rep.Join; j == nil || j.P50MS <= 0 {
		t.Errorf("join: %+v", j)
	}
	// calls per core: 1 then 2 calls (whether a loaded machine holds them is not asserted)
	if g := rep.Ramp; g == nil || len(g.Steps) == 0 || g.StoppedBy == "" || g.Steps[0].OutPPS.Median <= 0 {
		t.Errorf("calls per core: %+v", g)
	} else if !strings.Contains(table.String(), "calls per core:") {
		t.Error("the table has no calls-per-core line")
	}
}
