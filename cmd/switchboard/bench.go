//go:build bench

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/switchboard-rtc/switchboard/bench"
)

func init() { extraCommands = append(extraCommands, newBenchCmd) }

// benchFlags are the bench command's options, turned into a bench.Config.
type benchFlags struct {
	quick, noBaseline, pin, ringPush, simulcast bool
	runs                                        int
	fanout, group, oneToOne                     string
	warmup, measure, ringDuration               time.Duration
	ringPairs, idle, join, floorN               int
	rampFrom, rampMax                           int
	pacedRate                                   float64
	serverCPUs, loadCPUs, out, cpu, loadCPU     string
}

func newBenchCmd(env cliEnv) *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure what switchboard holds on this machine, against the physical floor and plain Pion",
		Long: `Run the load tool. It starts switchboard servers as child processes
(` + "`switchboard serve`" + ` with a generated loopback-only config, one fresh server per
measurement), drives them through the public protocol with the Go client,
and prints a table; with --out it also writes bench.json and PNG plots.

Scenarios: the floor (SRTP encrypt + one UDP send of a 1200-byte packet),
ringing (complete call flows per second, p50/p99 per step), idle signaling
connections (held count, memory each), join (accept -> first RTP), and
forwarding with pre-encoded VP8 (~1.5 Mbit/s) + Opus: 1:1 calls, group calls
and fan-out, the fan-out also against a plain-Pion forwarder in the same run.
Server CPU is read from /proc/PID of the server process.

--quick runs every scenario once at a small size in under a minute.
Pinning (--pin, or --server-cpus/--load-cpus) puts the server and the load
on different cores; a warning says when the load side was the bottleneck.`,
		Example: `  switchboard bench --quick
  switchboard bench --pin --runs 3 --out docs/bench
  switchboard bench --fanout 100 --group "" --one-to-one "" --ringing-pairs 0 --idle 0 --join 0 \
    --no-baseline --runs 1 --server-profile /tmp/switchboard.pprof`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBench(cmd, env, f) },
	}
	def := bench.DefaultConfig()
	fl := cmd.Flags()
	fl.BoolVar(&f.quick, "quick", false, "every scenario once, small (under a minute)")
	fl.IntVar(&f.runs, "runs", def.Runs, "measurements per forwarding point (medians and spread)")
	fl.StringVar(&f.fanout, "fanout", ints(def.FanoutK), "fan-out loads: subscribers of one publisher (\"\" skips)")
	fl.StringVar(&f.group, "group", ints(def.GroupM), "group loads: participants all publishing (\"\" skips)")
	fl.StringVar(&f.oneToOne, "one-to-one", ints(def.OneToOneN), "1:1 loads: concurrent calls (\"\" skips)")
	fl.IntVar(&f.rampFrom, "calls-per-core", def.RampFrom, "calls per core: raise 1:1 calls from this many (x1.5 a step) until delivery < 99.9% or p99 > 20 ms (0 skips)")
	fl.IntVar(&f.rampMax, "calls-per-core-max", def.RampMax, "the most 1:1 calls the calls-per-core ramp tries")
	fl.DurationVar(&f.warmup, "warmup", def.Warmup, "media flowing before each measurement")
	fl.DurationVar(&f.measure, "measure", def.Measure, "measurement window of each forwarding run")
	fl.BoolVar(&f.noBaseline, "no-baseline", false, "skip the plain-Pion baseline (fan-out and 1:1)")
	fl.BoolVar(&f.simulcast, "simulcast", false, "switchboard's publishers send video in three simulcast layers (the top one the clip; the baseline publishes one)")
	fl.IntVar(&f.ringPairs, "ringing-pairs", def.RingingPairs, "caller/callee pairs for the ringing scenario (0 skips)")
	fl.DurationVar(&f.ringDuration, "ringing-duration", def.RingingDuration, "length of each ringing phase")
	fl.Float64Var(&f.pacedRate, "paced-rate", def.PacedRate, "flows per second of the paced ringing phase")
	fl.BoolVar(&f.ringPush, "ringing-push", false, "ringing with pushes and webhooks off, then on (--runs interleaved pairs; local APNs and webhook fakes in the load process)")
	fl.IntVar(&f.idle, "idle", def.IdleConns, "idle signaling connections to hold (0 skips)")
	fl.IntVar(&f.join, "join", def.JoinCalls, "calls for the join scenario (0 skips)")
	fl.IntVar(&f.floorN, "floor-packets", def.FloorPackets, "packets per cipher in the floor micro-benchmark")
	fl.BoolVar(&f.pin, "pin", false, "server on CPU 0, load on CPU 1 (same as --server-cpus 0 --load-cpus 1)")
	fl.StringVar(&f.serverCPUs, "server-cpus", "", "CPUs for the server processes, e.g. 0 or 0-1")
	fl.StringVar(&f.loadCPUs, "load-cpus", "", "CPUs for this (load) process, e.g. 1")
	fl.StringVar(&f.out, "out", "", "directory for bench.json and the plots (\"\" = none)")
	fl.StringVar(&f.cpu, "server-profile", "", "write the server's CPU profile here (passed to `serve --cpuprofile`; the last server wins)")
	fl.StringVar(&f.loadCPU, "load-profile", "", "write this (load) process's CPU profile of the whole run here")
	cmd.AddCommand(newBenchPionCmd(env))
	return cmd
}

func runBench(cmd *cobra.Command, env cliEnv, f benchFlags) error {
	cfg, err := f.config(cmd)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cfg.Launcher = launcher(exe, f.cpu)
	cfg.Progress = env.stderr
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-env.signals:
			cancel()
		case <-ctx.Done():
		}
	}()
	stop, err := startCPUProfile(f.loadCPU)
	if err != nil {
		return err
	}
	defer func() { _ = stop() }()
	rep, err := bench.Run(ctx, cfg)
	if rep != nil {
		rep.WriteTable(env.stdout)
	}
	return err
}

// config turns the flags into a bench.Config (quick mode keeps the flags
// the user set explicitly).
func (f benchFlags) config(cmd *cobra.Command) (bench.Config, error) {
	cfg := bench.DefaultConfig()
	if f.quick {
		cfg = bench.QuickConfig()
	}
	changed := func(name string) bool { return !f.quick || cmd.Flags().Changed(name) }
	var err error
	set := func(name string, apply func() error) {
		if err == nil && changed(name) {
			err = apply()
		}
	}
	set("runs", func() error { cfg.Runs = f.runs; return nil })
	set("fanout", func() (e error) { cfg.FanoutK, e = parseInts(f.fanout); return })
	set("group", func() (e error) { cfg.GroupM, e = parseInts(f.group); return })
	set("one-to-one", func() (e error) { cfg.OneToOneN, e = parseInts(f.oneToOne); return })
	set("calls-per-core", func() error { cfg.RampFrom = f.rampFrom; return nil })
	set("calls-per-core-max", func() error { cfg.RampMax = f.rampMax; return nil })
	set("warmup", func() error { cfg.Warmup = f.warmup; return nil })
	set("measure", func() error { cfg.Measure = f.measure; return nil })
	set("ringing-pairs", func() error { cfg.RingingPairs = f.ringPairs; return nil })
	set("ringing-duration", func() error { cfg.RingingDuration = f.ringDuration; return nil })
	set("paced-rate", func() error { cfg.PacedRate = f.pacedRate; return nil })
	set("idle", func() error { cfg.IdleConns = f.idle; return nil })
	set("join", func() error { cfg.JoinCalls = f.join; return nil })
	set("floor-packets", func() error { cfg.FloorPackets = f.floorN; return nil })
	cfg.RingingPush = f.ringPush
	cfg.Baseline = !f.noBaseline
	cfg.Simulcast = f.simulcast
	cfg.OutDir = f.out
	if f.pin {
		cfg.ServerCPUs, cfg.LoadCPUs = []int{0}, []int{1}
	}
	if err == nil && f.serverCPUs != "" {
		cfg.ServerCPUs, err = bench.ParseCPUList(f.serverCPUs)
	}
	if err == nil && f.loadCPUs != "" {
		cfg.LoadCPUs, err = bench.ParseCPUList(f.loadCPUs)
	}
	if err == nil && (cfg.Runs < 1 || cfg.Measure <= 0) {
		err = fmt.Errorf("%w: --runs must be >= 1 and --measure > 0", ErrConfig)
	}
	if err == nil && (cfg.RampFrom < 0 || (cfg.RampFrom > 0 && cfg.RampMax < cfg.RampFrom)) {
		err = fmt.Errorf("%w: --calls-per-core must be >= 0 and --calls-per-core-max at least as large", ErrConfig)
	}
	return cfg, err
}

// launcher runs servers as users run them (`serve --config`, with
// --cpuprofile when a CPU profile is wanted); the baseline is
// `bench pion-forwarder`.
func launcher(exe, profile string) bench.Launcher {
	return func(role bench.Role, listen, configPath string) *exec.Cmd {
		if role == bench.RolePion {
			return exec.Command(exe, "bench", "pion-forwarder", "--listen", listen)
		}
		if profile != "" {
			return exec.Command(exe, "serve", "--config", configPath, "--cpuprofile", profile)
		}
		return exec.Command(exe, "serve", "--config", configPath)
	}
}

func newBenchPionCmd(env cliEnv) *cobra.Command {
	var listen, profile string
	cmd := &cobra.Command{
		Use:    "pion-forwarder",
		Short:  "Run the plain-Pion baseline forwarder (started by bench)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runChildUntilSignal(env, bench.RolePion, listen, profile)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:0", "HTTP address of its tiny signaling")
	cmd.Flags().StringVar(&profile, "cpuprofile", "", "write a CPU profile here")
	return cmd
}

func runChildUntilSignal(env cliEnv, role bench.Role, listen, profile string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-env.signals:
			cancel()
		case <-ctx.Done():
		}
	}()
	return bench.RunChild(ctx, role, listen, profile)
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func parseInts(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%w: %q is not a list of positive numbers", ErrConfig, s)
		}
		out = append(out, n)
	}
	return out, nil
}
