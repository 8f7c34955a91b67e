package bench

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// fakeStep is a 1:1 run at n calls on a server that carries up to limit
// calls (p99 or delivery fail above it), with the load side at loadPct.
func fakeStep(n, limit int, loadPct float64, failBy string) ForwardResult {
	r := ForwardResult{Target: "switchboard", Scenario: ScenarioOneToOne, Load: n, Delivery: 1, LatencyP99MS: 3,
		CPUPerPacketUS: 10 - float64(n)/100, ServerCPUPct: float64(n), LoadCPUPct: loadPct}
	if n > limit {
		switch failBy {
		case "delivery":
			r.Delivery = 0.99
		default:
			r.LatencyP99MS = 40
		}
	}
	return r
}

func TestRampFindsTheLastLoadThatHeld(t *testing.T) {
	cfg := Config{Runs: 1, RampFrom: 10, RampMax: 1000}
	for _, failBy := range []string{"p99", "delivery"} {
		var tried []int
		r, err := runRamp(context.Background(), cfg, 2, func(n int) ([]ForwardResult, error) {
			tried = append(tried, n)
			return []ForwardResult{fakeStep(n, 27, 20, failBy)}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// 10, 15, 23, 35 fails; refined: 29 fails, 26 holds
		if r.Calls != 26 || r.LoadBound || !strings.Contains(r.StoppedBy, failBy) {
			t.Errorf("%s: calls %d, load bound %v, stopped by %q (tried %v)", failBy, r.Calls, r.LoadBound, r.StoppedBy, tried)
		}
		if want := 10 - 0.26; r.CPUPerPacketUS != want || r.FloorRatio != want/2 || r.ServerCPUPct != 26 {
			t.Errorf("%s: at the last step that held: %.2f us, %.2f x floor, %.0f %% CPU", failBy, r.CPUPerPacketUS, r.FloorRatio, r.ServerCPUPct)
		}
		if len(r.Steps) != len(tried) {
			t.Errorf("%d steps reported, %d tried", len(r.Steps), len(tried))
		}
	}
}

func TestRampStopsWhenTheLoadSideIsTheLimit(t *testing.T) {
	cfg := Config{Runs: 1, RampFrom: 10, RampMax: 1000}
	r, err := runRamp(context.Background(), cfg, 2, func(n int) ([]ForwardResult, error) {
		load := 50.0
		if n >= 20 {
			load = 95 * float64(AllowedCPUs())
		}
		return []ForwardResult{fakeStep(n, 1000, load, "p99")}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Calls != 15 || !r.LoadBound || len(r.Steps) != 3 || !strings.Contains(r.StoppedBy, "load side") {
		t.Errorf("calls %d, load bound %v, %d steps, stopped by %q", r.Calls, r.LoadBound, len(r.Steps), r.StoppedBy)
	}
}

func TestRampStepThatBreaksAndTheMaximum(t *testing.T) {
	cfg := Config{Runs: 1, RampFrom: 4, RampMax: 9}
	r, err := runRamp(context.Background(), cfg, 2, func(n int) ([]ForwardResult, error) {
		if n > 6 {
			return nil, errors.New("no media arrived")
		}
		return []ForwardResult{fakeStep(n, 1000, 10, "p99")}, nil
	})
	if err != nil || r.Calls != 6 || !strings.Contains(r.StoppedBy, "no media arrived") {
		t.Errorf("calls %d, stopped by %q, err %v", r.Calls, r.StoppedBy, err)
	}
	r, err = runRamp(context.Background(), cfg, 2, func(n int) ([]ForwardResult, error) {
		return []ForwardResult{fakeStep(n, 1000, 10, "p99")}, nil
	})
	if err != nil || r.Calls != 9 || !strings.Contains(r.StoppedBy, "maximum") {
		t.Errorf("calls %d, stopped by %q, err %v", r.Calls, r.StoppedBy, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := runRamp(ctx, cfg, 2, func(int) ([]ForwardResult, error) { return nil, ctx.Err() }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
