package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestRingingPush runs one off/on pair of the ringing-push scenario against
// server children: "on" must deliver every webhook and ring push of its
// flows to the fakes (drain fails otherwise) over the connections opened in
// the warm-up, and "off" must send none.
func TestRingingPush(t *testing.T) {
	if testing.Short() {
		t.Skip("two server children and a few hundred calls")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	runs, err := RunRingingPush(ctx, Config{Runs: 1, Launcher: testLauncher}, 2, 500*time.Millisecond, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Mode != "off" || runs[1].Mode != "on" {
		t.Fatalf("runs %+v, want off then on", runs)
	}
	for _, r := range runs {
		if r.Flows == 0 || r.Errors != 0 || r.FlowsPerSec <= 0 || r.ServerUSPerFlow <= 0 || r.PacedRate <= 0 {
			t.Errorf("%s: %+v", r.Mode, r)
		}
	}
	off, on := runs[0], runs[1]
	if off.HookP99MS != 0 || off.RingPushP99MS != 0 {
		t.Errorf("off delivered something: %+v", off)
	}
	if on.HookP99MS <= 0 || on.RingPushP99MS <= 0 || on.PacedHookP99MS <= 0 || on.PacedPushP99MS <= 0 {
		t.Errorf("on: no delivery latency: %+v", on)
	}
	if on.NewConns != 0 {
		t.Errorf("on: %d new TLS connections to the fakes after the warm-up; want them reused", on.NewConns)
	}
	var table bytes.Buffer
	(&Report{RingingPush: runs}).writeRingingPush(&table)
	if !strings.Contains(table.String(), "medians on/off") {
		t.Errorf("table:\n%s", table.String())
	}
	t.Log("\n" + table.String())
}
