package bench

import (
	"context"
	"fmt"
	"math"
)

// Calls per core (issue 16 point 1): 1:1 video calls are raised until the
// server no longer carries them well, and the last load that held is the
// figure. A step holds when, by the medians of its runs, delivery is at
// least RampMinDelivery and the p99 latency at most RampMaxP99MS. After the
// first step that fails, the gap between it and the last that held is
// halved RampRefine times. A step where the load side (this process) used
// more than 85 % of its CPUs stops the ramp too: the load tool, not the
// server, was then the limit, and the figure is a lower bound.
const (
	RampMinDelivery = 0.999
	RampMaxP99MS    = 20.0
	RampGrowth      = 1.5
	RampRefine      = 2
)

// RampResult is the calls-per-core ramp.
type RampResult struct {
	// Steps are the loads measured, in the order they ran.
	Steps []ForwardSummary `json:"steps"`
	// Calls is the most concurrent calls that held (0: not even the first).
	Calls int `json:"calls"`
	// CPUPerPacketUS and FloorRatio are those of that step.
	CPUPerPacketUS float64 `json:"server_cpu_us_per_packet"`
	FloorUS        float64 `json:"floor_us"`
	FloorRatio     float64 `json:"floor_ratio"`
	ServerCPUPct   float64 `json:"server_cpu_percent"`
	// StoppedBy says why the ramp stopped.
	StoppedBy string `json:"stopped_by"`
	// LoadBound: the load side saturated before the server failed; Calls
	// is then a lower bound of what the server holds.
	LoadBound bool `json:"load_bound"`
}

// rampVerdict is why a step did not hold ("" when it held), and whether
// the load side was the limit.
func rampVerdict(s ForwardSummary, loadLimitPct float64) (why string, loadBound bool) {
	switch {
	case s.LoadCPUPct.Median > loadLimitPct:
		return fmt.Sprintf("the load side used %.0f %% CPU at %d calls (the server's limit is higher)", s.LoadCPUPct.Median, s.Load), true
	case s.Delivery.Median < RampMinDelivery:
		return fmt.Sprintf("delivery %.4f < %.3f at %d calls", s.Delivery.Median, RampMinDelivery, s.Load), false
	case s.LatencyP99.Median > RampMaxP99MS:
		why := fmt.Sprintf("p99 latency %.1f ms > %.0f ms at %d calls", s.LatencyP99.Median, RampMaxP99MS, s.Load)
		if s.ServerDelayP99.Median > 0 {
			why += fmt.Sprintf(" (of which the server's own p99: %.1f ms)", s.ServerDelayP99.Median)
		}
		return why, false
	}
	return "", false
}

// nextRampLoad is the load after n while raising.
func nextRampLoad(n int) int { return max(n+1, int(math.Ceil(float64(n)*RampGrowth))) }

// runRamp raises 1:1 calls from cfg.RampFrom (at most cfg.RampMax) and
// returns the ramp; measure runs one step cfg.Runs times.
func runRamp(ctx context.Context, cfg Config, floorUS float64, measure func(n int) ([]ForwardResult, error)) (*RampResult, error) {
	r := &RampResult{FloorUS: floorUS}
	loadLimit := loadCPULimit()
	step := func(n int) (bool, error) {
		cfg.progress("calls per core: %d 1:1 calls", n)
		runs, err := measure(n)
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if len(runs) == 0 { // e.g. no media arrived: this load did not hold
			r.StoppedBy = fmt.Sprintf("%d calls: %v", n, err)
			return false, nil
		}
		s := summarizeRuns(runs, floorUS)[0]
		r.Steps = append(r.Steps, s)
		why, loadBound := rampVerdict(s, loadLimit)
		if why != "" {
			r.StoppedBy, r.LoadBound = why, loadBound
			return false, nil
		}
		if n > r.Calls {
			r.Calls, r.CPUPerPacketUS, r.FloorRatio = n, s.CPUPerPacket.Median, s.FloorRatio
			cpu := make([]float64, len(runs))
			for i, x := range runs {
				cpu[i] = x.ServerCPUPct
			}
			r.ServerCPUPct = SpreadOf(cpu).Median
		}
		return true, nil
	}
	n, failed := max(cfg.RampFrom, 1), 0
	for failed == 0 {
		held, err := step(n)
		if err != nil {
			return r, err
		}
		switch {
		case !held:
			failed = n
		case n >= cfg.RampMax:
			r.StoppedBy = fmt.Sprintf("held at the ramp's maximum, %d calls", n)
			return r, nil
		default:
			n = min(nextRampLoad(n), cfg.RampMax)
		}
	}
	for range RampRefine {
		if r.LoadBound || r.Calls == 0 || failed-r.Calls < 2 {
			break
		}
		mid := (r.Calls + failed) / 2
		held, err := step(mid) // a step that holds leaves StoppedBy as the failed one set it
		if err != nil {
			return r, err
		}
		if !held {
			failed = mid
		}
	}
	return r, nil
}
