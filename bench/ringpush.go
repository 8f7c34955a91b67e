package bench

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
	"github.com/switchboard-rtc/switchboard/webhook"
)

// RingPushRun is one ringing measurement with pushes and webhooks off or
// on (issue 10 point 9): the server child alone is measured (its CPU from
// /proc); the local fakes of APNs and of a webhook receiver run in this
// (load) process, so their TLS and signature checks are not counted.
type RingPushRun struct {
	Mode        string  `json:"mode"` // off or on
	Pairs       int     `json:"pairs"`
	Flows       int     `json:"flows"`
	Errors      int     `json:"errors"`
	FlowsPerSec float64 `json:"flows_per_s"`
	// ServerCPUPct is the server's CPU during the flat-out window.
	ServerCPUPct float64 `json:"server_cpu_percent"`
	// ServerUSPerFlow is the server's CPU from the first flow until every
	// push and webhook of the window was delivered, per flow.
	ServerUSPerFlow float64 `json:"server_cpu_us_per_flow"`
	LoadCPUPct      float64 `json:"load_cpu_percent"`
	// DrainS is how long after the window the last delivery arrived.
	DrainS float64 `json:"drain_s,omitempty"`
	// Event -> delivery at the fakes, flat out (mostly backlog) and paced.
	HookP99MS      float64 `json:"webhook_p99_ms,omitempty"`
	RingPushP99MS  float64 `json:"ring_push_p99_ms,omitempty"`
	PacedRate      float64 `json:"paced_flows_per_s,omitempty"`
	PacedHookP99MS float64 `json:"paced_webhook_p99_ms,omitempty"`
	PacedPushP99MS float64 `json:"paced_ring_push_p99_ms,omitempty"`
	PacedUSPerFlow float64 `json:"paced_server_cpu_us_per_flow,omitempty"`
	LoadAvg        float64 `json:"load_avg"`
	// NewConns is how many TLS connections the server opened to the fakes
	// from the end of the warm-up until drained (0: all reused).
	NewConns int64 `json:"new_tls_conns"`
	// Steps are the flat-out step latencies.
	Steps []StepLatency `json:"steps"`
}

// Each flow sends 7 webhooks (initiated, accepted, 2 x participant.joined,
// 2 x participant.left, ended) and 1 ring push (no stop push to the device
// that answered).
const (
	hooksPerFlow  = 7
	pushesPerFlow = 1
	drainTimeout  = 2 * time.Minute
	// ringPushWarmup is the unmeasured start of every run.
	ringPushWarmup = time.Second
	benchSecret    = "bench-webhook-secret-0123456789"
)

// RunRingingPush runs runs interleaved pairs of ringing measurements, pushes
// and webhooks off then on, each against a fresh server: d flat out, then
// (if rate > 0) d paced at rate flows/s for the delivery latency when the
// outbox keeps up.
func RunRingingPush(ctx context.Context, cfg Config, pairs int, d time.Duration, rate float64) ([]RingPushRun, error) {
	var out []RingPushRun
	for run := range cfg.Runs {
		for _, on := range []bool{false, true} {
			mode := map[bool]string{false: "off", true: "on"}[on]
			cfg.progress("ringing-push: %s, run %d/%d, %d pairs, %v flat out", mode, run+1, cfg.Runs, pairs, d)
			r, err := ringPushOnce(ctx, cfg, on, pairs, d, rate)
			if err != nil {
				return out, fmt.Errorf("ringing-push %s: %w", mode, err)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func ringPushOnce(ctx context.Context, cfg Config, on bool, pairs int, d time.Duration, rate float64) (RingPushRun, error) {
	res := RingPushRun{Mode: "off", Pairs: pairs}
	var f *pushFakes
	var extra map[string]any
	var env []string
	if on {
		var err error
		if f, err = startPushFakes(); err != nil {
			return res, err
		}
		defer f.close()
		res.Mode, extra, env = "on", f.serverConfig(), []string{"SSL_CERT_FILE=" + f.certFile}
	}
	addr, err := FreeAddr()
	if err != nil {
		return res, err
	}
	t, err := startSwitchboard(ctx, cfg, addr, 2, extra, env)
	if err != nil {
		return res, err
	}
	defer t.Close()
	ps, err := ringPairs(ctx, t, pairs, on)
	defer func() {
		for _, p := range ps {
			_ = p.close()
		}
	}()
	if err != nil {
		return res, err
	}
	err = measurePush(ctx, t, f, ps, d, rate, &res)
	res.LoadAvg = loadAvg()
	return res, err
}

// ringPairs creates and connects the pairs; with on, each callee registers
// an apns-voip device on its socket.
func ringPairs(ctx context.Context, t *SwitchboardTarget, pairs int, on bool) ([]*ringPair, error) {
	uids, err := t.CreateUsers(ctx, "ring", 2*pairs)
	if err != nil {
		return nil, err
	}
	var ps []*ringPair
	for i := range pairs {
		p, err := newRingPair(ctx, t, uids[2*i], uids[2*i+1])
		if err != nil {
			return ps, err
		}
		ps = append(ps, p)
		if on {
			if _, err := p.callee.RegisterDevice(ctx, client.DeviceParams{DeviceID: "phone", Kind: client.DeviceAPNsVoIP,
				Token: fmt.Sprintf("%064x", i), AppID: "com.example.calls"}); err != nil {
				return ps, err
			}
		}
	}
	return ps, nil
}

// measurePush runs the flat-out window (and the paced one), waiting after
// each until every delivery it caused has arrived.
func measurePush(ctx context.Context, t *SwitchboardTarget, f *pushFakes, ps []*ringPair, d time.Duration, rate float64, res *RingPushRun) error {
	// Warm up (connections to the fakes, the TLS roots, prepared
	// statements), and wait for its deliveries: not measured.
	warm := runFlows(ctx, ps, ringPushWarmup, 0)
	if warm.first != nil {
		return fmt.Errorf("%w: warm-up: %w", ErrScenario, warm.first)
	}
	hooks0, pushes0, conns0 := 0, 0, int64(0)
	if f != nil {
		if _, err := f.drain(ctx, t, warm.flows, 0, 0); err != nil {
			return err
		}
		hooks0, pushes0, conns0 = f.hook.Count(), f.apns.Count(), f.conns()
	}
	cpu0, err := ReadProc(t.PID())
	if err != nil {
		return err
	}
	self0 := SelfCPU()
	flat := runFlows(ctx, ps, d, 0)
	cpu1, err := ReadProc(t.PID())
	if err != nil {
		return err
	}
	window := cpu1.At.Sub(cpu0.At).Seconds()
	res.Flows, res.Errors, res.Steps = flat.flows, flat.errors, flat.latencies()
	res.FlowsPerSec = float64(flat.flows) / window
	res.ServerCPUPct = 100 * (cpu1.CPU - cpu0.CPU).Seconds() / window
	res.LoadCPUPct = 100 * (SelfCPU() - self0).Seconds() / window
	if flat.first != nil {
		return fmt.Errorf("%w: %d failed flows, first: %w", ErrScenario, flat.errors, flat.first)
	}
	cpu2 := cpu1
	if f != nil {
		if cpu2, err = f.drain(ctx, t, flat.flows, hooks0, pushes0); err != nil {
			return err
		}
		res.DrainS = cpu2.At.Sub(cpu1.At).Seconds()
		res.HookP99MS, res.RingPushP99MS = f.p99s(hooks0, pushes0)
		res.NewConns = f.conns() - conns0
	}
	res.ServerUSPerFlow = float64((cpu2.CPU - cpu0.CPU).Microseconds()) / float64(max(flat.flows, 1))
	if rate <= 0 {
		return nil
	}
	if f != nil {
		hooks0, pushes0 = f.hook.Count(), f.apns.Count()
	}
	paced := runFlows(ctx, ps, d, rate)
	cpu3 := ReadProcOr(t.PID(), cpu2)
	if f != nil {
		if cpu3, err = f.drain(ctx, t, paced.flows, hooks0, pushes0); err != nil {
			return err
		}
		res.PacedHookP99MS, res.PacedPushP99MS = f.p99s(hooks0, pushes0)
	}
	res.PacedRate = float64(paced.flows) / d.Seconds()
	res.PacedUSPerFlow = float64((cpu3.CPU - cpu2.CPU).Microseconds()) / float64(max(paced.flows, 1))
	return nil
}

// ReadProcOr is ReadProc, or def when pid cannot be read.
func ReadProcOr(pid int, def ProcSample) ProcSample {
	s, err := ReadProc(pid)
	if err != nil {
		return def
	}
	return s
}

// pushFakes are the local APNs and webhook receiver, HTTP/2 over TLS on
// 127.0.0.1, run in the load process.
type pushFakes struct {
	owner    *fakeOwner
	apns     *pushtest.APNs
	hook     *webhook.Receiver
	hookURL  string
	hookConn atomic.Int64 // connections the webhook receiver accepted
	certFile string       // the fakes' certificate, for the server's SSL_CERT_FILE
}

// fakeOwner stands in for a *testing.T outside tests: Fatal panics with a
// fakeFatal that startPushFakes recovers.
type fakeOwner struct {
	dir      string
	cleanups []func()
}

type fakeFatal struct{ msg string }

func (o *fakeOwner) Fatal(args ...any) { panic(fakeFatal{fmt.Sprint(args...)}) }
func (o *fakeOwner) TempDir() string   { return o.dir }
func (o *fakeOwner) Cleanup(f func())  { o.cleanups = append(o.cleanups, f) }

func (o *fakeOwner) close() {
	for i := len(o.cleanups) - 1; i >= 0; i-- {
		o.cleanups[i]()
	}
	_ = os.RemoveAll(o.dir)
}

func startPushFakes() (f *pushFakes, err error) {
	dir, err := os.MkdirTemp("", "switchboard-bench-fakes-")
	if err != nil {
		return nil, err
	}
	o := &fakeOwner{dir: dir}
	defer func() {
		if r := recover(); r != nil {
			ff, ok := r.(fakeFatal)
			if !ok {
				panic(r)
			}
			o.close()
			f, err = nil, fmt.Errorf("%w: push fakes: %s", ErrScenario, ff.msg)
		}
	}()
	f = &pushFakes{owner: o, apns: pushtest.NewAPNs(o), hook: webhook.NewReceiver(benchSecret)}
	srv := httptest.NewUnstartedServer(f.hook)
	srv.EnableHTTP2 = true
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			f.hookConn.Add(1)
		}
	}
	srv.StartTLS()
	o.Cleanup(srv.Close)
	f.hookURL = srv.URL + "/hooks"
	// Every httptest server uses the same certificate, the APNs fake's too.
	f.certFile = filepath.Join(dir, "fakes.pem")
	if err := os.WriteFile(f.certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		o.close()
		return nil, err
	}
	return f, nil
}

func (f *pushFakes) close() { f.owner.close() }

// conns is how many TLS connections the fakes accepted so far.
func (f *pushFakes) conns() int64 { return f.hookConn.Load() + f.apns.Conns() }

// serverConfig is what the server's config adds: every callee device is
// pushed (policy always), one endpoint takes every webhook.
func (f *pushFakes) serverConfig() map[string]any {
	return map[string]any{
		"push": map[string]any{"policy": "always", "apns": map[string]any{
			"key_file": f.apns.KeyFile, "key_id": f.apns.KeyID, "team_id": f.apns.TeamID, "base_url": f.apns.URL}},
		"webhooks": map[string]any{"endpoints": []map[string]any{{"name": "app", "url": f.hookURL, "secret": benchSecret}}},
	}
}

// drain waits until the flows' deliveries (beyond hooks0 webhooks and
// pushes0 pushes already counted) have arrived and returns the server's
// CPU sample at that moment.
func (f *pushFakes) drain(ctx context.Context, t *SwitchboardTarget, flows, hooks0, pushes0 int) (ProcSample, error) {
	wantHooks, wantPushes := hooks0+hooksPerFlow*flows, pushes0+pushesPerFlow*flows
	deadline := time.Now().Add(drainTimeout)
	for f.hook.Count() < wantHooks || f.apns.Count() < wantPushes {
		if time.Now().After(deadline) {
			return ProcSample{}, fmt.Errorf("%w: after %v: %d/%d webhooks, %d/%d pushes delivered (refused: %d)",
				ErrScenario, drainTimeout, f.hook.Count()-hooks0, wantHooks-hooks0, f.apns.Count()-pushes0, wantPushes-pushes0, len(f.hook.Refused()))
		}
		if err := sleepCtx(ctx, 5*time.Millisecond); err != nil {
			return ProcSample{}, err
		}
	}
	return ReadProc(t.PID())
}

// p99s is the p99 from event to delivery of the webhooks and ring pushes
// after the first hooks0 and pushes0.
func (f *pushFakes) p99s(hooks0, pushes0 int) (hookMS, pushMS float64) {
	hooks := f.hook.Delays()[hooks0:]
	var pushes []time.Duration
	for _, r := range f.apns.Requests()[pushes0:] {
		if d, ok := ringPushDelay(r); ok {
			pushes = append(pushes, d)
		}
	}
	return ms(Percentile(hooks, 0.99)), ms(Percentile(pushes, 0.99))
}

// ringPushDelay is a ring push's arrival minus its call's initiatedAt (the
// payload's ringDeadline minus the default 45 s ring timeout).
func ringPushDelay(r pushtest.Request) (time.Duration, bool) {
	var body struct {
		Switchboard struct {
			Type         string `json:"type"`
			RingDeadline int64  `json:"ringDeadline"`
		} `json:"switchboard"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.Switchboard.Type != "ring" {
		return 0, false
	}
	return r.At.Sub(time.UnixMilli(body.Switchboard.RingDeadline).Add(-45 * time.Second)), true
}

// writeRingingPush prints the off/on runs and the on/off ratios of their
// medians.
func (r *Report) writeRingingPush(w io.Writer) {
	if len(r.RingingPush) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RINGING PUSH\tpairs\tflows\tflows/s\tserver CPU %\tserver us/flow (to drained)\tload CPU %\tdrain s\thook p99 ms\tring push p99 ms\tpaced flows/s\tpaced hook p99 ms\tpaced push p99 ms\tpaced us/flow\tload avg\t")
	for _, g := range r.RingingPush {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.1f\t\n",
			g.Mode, g.Pairs, g.Flows, g.FlowsPerSec, g.ServerCPUPct, g.ServerUSPerFlow, g.LoadCPUPct, g.DrainS,
			g.HookP99MS, g.RingPushP99MS, g.PacedRate, g.PacedHookP99MS, g.PacedPushP99MS, g.PacedUSPerFlow, g.LoadAvg)
	}
	tw.Flush()
	for _, g := range r.RingingPush {
		var b strings.Builder
		for _, st := range g.Steps {
			fmt.Fprintf(&b, "; %s %.1f/%.1f", st.Step, st.P50MS, st.P99MS)
		}
		fmt.Fprintf(w, "  %s: new TLS connections to the fakes %d; steps p50/p99 ms%s\n", g.Mode, g.NewConns, b.String())
	}
	var fps, us [2][]float64
	for _, g := range r.RingingPush {
		i := map[string]int{"off": 0, "on": 1}[g.Mode]
		fps[i], us[i] = append(fps[i], g.FlowsPerSec), append(us[i], g.ServerUSPerFlow)
	}
	if len(fps[0]) > 0 && len(fps[1]) > 0 {
		fmt.Fprintf(w, "ringing push: medians on/off: flows/s %.2f (at most 15%% fewer allowed), server CPU per flow %.2f\n",
			medianOf(fps[1])/medianOf(fps[0]), medianOf(us[1])/medianOf(us[0]))
	}
}

func medianOf(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
