package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is one bench run.
type Config struct {
	Quick bool
	// Runs is how many times each forwarding point is measured (fresh
	// server each time); the report gives medians and spread.
	Runs int
	// Loads per forwarding scenario: subscribers (fan-out), participants
	// (group), concurrent calls (1:1). Empty skips the scenario.
	FanoutK   []int
	GroupM    []int
	OneToOneN []int
	// RampFrom starts the calls-per-core ramp (1:1 calls raised until the
	// server no longer carries them; ramp.go) at this many calls, up to
	// RampMax; 0 skips it.
	RampFrom, RampMax int
	Warmup            time.Duration
	Measure           time.Duration
	// Baseline also runs the fan-out and 1:1 points against the plain-Pion
	// forwarder.
	Baseline bool
	// Simulcast: switchboard's publishers send video as three layers (the
	// clip, and it thinned to a third and a tenth of its packets); the
	// plain-Pion baseline always publishes one.
	Simulcast bool
	// Scenarios that need only signaling; 0 skips them.
	RingingPairs    int
	RingingDuration time.Duration
	PacedRate       float64 // flows per second for the per-step latency
	// RingingPush runs the ringing scenario with pushes and webhooks off and
	// on (Runs interleaved pairs, local fakes in this process) instead.
	RingingPush  bool
	IdleConns    int
	JoinCalls    int
	FloorPackets int
	// ServerCPUs and LoadCPUs pin the server child and this process.
	ServerCPUs []int
	LoadCPUs   []int
	Launcher   Launcher
	// OutDir receives bench.json and the plots ("" = no files).
	OutDir string
	// Progress receives one line per step ("" = none).
	Progress io.Writer
}

// DefaultConfig is the full run the report in docs/benchmarks.md uses.
func DefaultConfig() Config {
	return Config{
		Runs: 3, FanoutK: []int{10, 50, 100}, GroupM: []int{4, 8}, OneToOneN: []int{5, 20},
		RampFrom: 10, RampMax: 1000, Warmup: 2 * time.Second, Measure: 10 * time.Second, Baseline: true,
		RingingPairs: 200, RingingDuration: 5 * time.Second, PacedRate: 1000,
		IdleConns: 19000, JoinCalls: 50, FloorPackets: 300000, OutDir: ".",
	}
}

// QuickConfig runs every scenario once at a small size, in well under a
// minute: what the test suite runs to keep the tool working.
func QuickConfig() Config {
	return Config{
		Quick: true, Runs: 1, FanoutK: []int{3, 6}, GroupM: []int{3}, OneToOneN: []int{2},
		RampFrom: 1, RampMax: 2, Warmup: 300 * time.Millisecond, Measure: 1500 * time.Millisecond, Baseline: true,
		RingingPairs: 20, RingingDuration: time.Second, PacedRate: 200,
		IdleConns: 200, JoinCalls: 5, FloorPackets: 20000,
	}
}

// Run measures everything cfg asks for and writes bench.json and the plots.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Launcher == nil || cfg.Runs < 1 {
		return nil, fmt.Errorf("%w: a launcher and at least one run are needed", ErrConfig)
	}
	if err := PinProcess(0, cfg.LoadCPUs); err != nil {
		return nil, err
	}
	rep := &Report{Started: time.Now().UTC(), Machine: DescribeMachine(), Quick: cfg.Quick, Runs: cfg.Runs,
		Pinning: pinning(cfg)}
	if rep.Machine.LoadAvg > 0.5*float64(rep.Machine.CPUs) {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf(
			"the machine was busy when the run started (load average %.2f on %d CPUs): figures are noisier", rep.Machine.LoadAvg, rep.Machine.CPUs))
	}
	cfg.progress("floor: SRTP encrypt + UDP send, %d packets per cipher", cfg.FloorPackets)
	floor, err := MeasureFloor(ctx, cfg.FloorPackets)
	if err != nil {
		return nil, err
	}
	rep.Floor = floor
	if err := runSignaling(ctx, cfg, rep); err != nil {
		return rep, err
	}
	clips, err := loadClips()
	if err != nil {
		return rep, err
	}
	if err := runForwarding(ctx, cfg, rep, clips); err != nil {
		return rep, err
	}
	rep.Forward = summarizeRuns(rep.Raw, rep.NegotiatedFloor())
	if cfg.RampFrom > 0 {
		if rep.Ramp, err = runRamp(ctx, cfg, rep.NegotiatedFloor(), func(n int) ([]ForwardResult, error) {
			return measurePoint(ctx, cfg, forwardPoint{RoleSwitchboard, cfg.spec(ScenarioOneToOne, n, 2, 2)}, clips)
		}); err != nil {
			return rep, err
		}
	}
	rep.Memory = memorySlopes(rep.Raw)
	rep.Warnings = append(rep.Warnings, loadWarnings(rep.Raw)...)
	if cfg.OutDir != "" {
		if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
			return rep, err
		}
		plots, err := WritePlots(cfg.OutDir, rep.Forward, rep.NegotiatedFloor())
		rep.Plots = plots
		if err != nil {
			return rep, err
		}
		if err := rep.WriteJSON(filepath.Join(cfg.OutDir, "bench.json")); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func (cfg Config) progress(format string, args ...any) {
	if cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, "bench: "+format+"\n", args...)
	}
}

func pinning(cfg Config) string {
	if len(cfg.ServerCPUs) == 0 && len(cfg.LoadCPUs) == 0 {
		return "none (server and load share all CPUs)"
	}
	return fmt.Sprintf("server on CPUs %v, load on CPUs %v", cfg.ServerCPUs, cfg.LoadCPUs)
}

// forwardPoint is one (target, spec) to measure Runs times.
type forwardPoint struct {
	role Role
	spec ForwardSpec
}

func (cfg Config) spec(s string, rooms, per, pubs int) ForwardSpec {
	return ForwardSpec{Scenario: s, Rooms: rooms, PerRoom: per, Publishers: pubs, Warmup: cfg.Warmup, Measure: cfg.Measure}
}

func forwardPoints(cfg Config) []forwardPoint {
	var pts []forwardPoint
	spec := cfg.spec
	for _, k := range cfg.FanoutK {
		pts = append(pts, forwardPoint{RoleSwitchboard, spec(ScenarioFanout, 1, k+1, 1)})
		if cfg.Baseline {
			pts = append(pts, forwardPoint{RolePion, spec(ScenarioFanout, 1, k+1, 1)})
		}
	}
	for _, m := range cfg.GroupM {
		pts = append(pts, forwardPoint{RoleSwitchboard, spec(ScenarioGroup, 1, m, m)})
	}
	for _, n := range cfg.OneToOneN {
		pts = append(pts, forwardPoint{RoleSwitchboard, spec(ScenarioOneToOne, n, 2, 2)})
		if cfg.Baseline {
			pts = append(pts, forwardPoint{RolePion, spec(ScenarioOneToOne, n, 2, 2)})
		}
	}
	return pts
}

func runForwarding(ctx context.Context, cfg Config, rep *Report, clips [2]*Clip) error {
	for _, pt := range forwardPoints(cfg) {
		runs, err := measurePoint(ctx, cfg, pt, clips)
		rep.Raw = append(rep.Raw, runs...)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			rep.Warnings = append(rep.Warnings, err.Error())
		}
	}
	return nil
}

// measurePoint measures pt cfg.Runs times, a fresh server each time. The
// error names the point; the runs that worked are returned with it.
func measurePoint(ctx context.Context, cfg Config, pt forwardPoint, clips [2]*Clip) ([]ForwardResult, error) {
	var runs []ForwardResult
	var errs []error
	for run := range cfg.Runs {
		cfg.progress("%s %s load %d, run %d/%d", pt.spec.Scenario, pt.role, loadOf(pt.spec), run+1, cfg.Runs)
		res, err := forwardOnce(ctx, cfg, pt, clips)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s load %d: %w", pt.spec.Scenario, pt.role, loadOf(pt.spec), err))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		runs = append(runs, res)
	}
	return runs, errors.Join(errs...)
}

// loadClips is the audio and the video clip every source replays (parsed
// once per run: a source never changes them).
func loadClips() ([2]*Clip, error) {
	audio, err := LoadAudio()
	if err != nil {
		return [2]*Clip{}, err
	}
	video, err := LoadVideo()
	return [2]*Clip{audio, video}, err
}

func loadOf(s ForwardSpec) int {
	return summarize(s, "", snapshot{}, snapshot{}, nil, nil).Load
}

func forwardOnce(ctx context.Context, cfg Config, pt forwardPoint, clips [2]*Clip) (ForwardResult, error) {
	t, err := StartTarget(ctx, cfg, pt.role, pt.spec.Participants())
	if err != nil {
		return ForwardResult{}, err
	}
	res, err := RunForward(ctx, t, pt.spec, clips)
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	return res, err
}

// StartTarget starts a server child of role sized for participants.
func StartTarget(ctx context.Context, cfg Config, role Role, participants int) (Target, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	switch role {
	case RolePion:
		child, err := StartChild(ctx, cfg.Launcher(RolePion, addr, ""), "http://"+addr, cfg.ServerCPUs)
		if err != nil {
			return nil, err
		}
		t, err := NewPionTarget(child)
		if err != nil {
			return nil, errors.Join(err, child.Stop())
		}
		return t, nil
	case RoleSwitchboard:
		return StartSwitchboard(ctx, cfg, addr, participants)
	}
	return nil, fmt.Errorf("%w: unknown role %q", ErrConfig, role)
}

// loadCPULimit is the load side's CPU (percent of one CPU, summed over
// the CPUs it may use) above which the load tool, not the server, may be
// the limit.
func loadCPULimit() float64 { return 85 * float64(AllowedCPUs()) }

// loadWarnings flags runs where the load side, not the server, was the
// bottleneck (its CPU near the cores it may use, or its sources late), and
// runs where tracks never arrived.
func loadWarnings(raw []ForwardResult) []string {
	limit := loadCPULimit()
	var out []string
	for _, r := range raw {
		var why []string
		if r.LoadCPUPct > limit {
			why = append(why, fmt.Sprintf("load CPU %.0f%% of %d allowed CPUs", r.LoadCPUPct, AllowedCPUs()))
		}
		if r.TracksReceived < r.TracksExpected {
			out = append(out, fmt.Sprintf("%s %s load %d: %d of %d tracks never arrived (counted as lost in the delivery)",
				r.Scenario, r.Target, r.Load, r.TracksExpected-r.TracksReceived, r.TracksExpected))
		}
		if r.LoadGCs > 0 {
			why = append(why, fmt.Sprintf("it collected garbage %d times in the window, which delays its reads", r.LoadGCs))
		}
		if r.SourceLateMS > 20 {
			why = append(why, fmt.Sprintf("sources up to %.0f ms behind schedule, load average %.1f", r.SourceLateMS, r.LoadAvg))
		}
		if len(why) > 0 {
			out = append(out, fmt.Sprintf("%s %s load %d: the load tool may be the bottleneck (%s)",
				r.Scenario, r.Target, r.Load, strings.Join(why, ", ")))
		}
	}
	return out
}
