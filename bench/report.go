package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is everything one `switchboard bench` run measured.
type Report struct {
	Started time.Time `json:"started"`
	Machine Machine   `json:"machine"`
	Quick   bool      `json:"quick"`
	Runs    int       `json:"runs"`
	Pinning string    `json:"pinning"`
	Floor   []FloorResult
	Ringing *RingingResult `json:"ringing,omitempty"`
	// RingingPush is ringing with pushes and webhooks off and on (--ringing-push).
	RingingPush []RingPushRun    `json:"ringing_push,omitempty"`
	Idle        *IdleResult      `json:"idle,omitempty"`
	Join        *JoinResult      `json:"join,omitempty"`
	Forward     []ForwardSummary `json:"forwarding"`
	// Ramp is the calls-per-core ramp (1:1 calls raised until they fail).
	Ramp     *RampResult     `json:"calls_per_core,omitempty"`
	Raw      []ForwardResult `json:"forwarding_runs"`
	Memory   []MemorySlope   `json:"memory_per_participant"`
	Warnings []string        `json:"warnings"`
	Plots    []string        `json:"plots"`
}

// Machine describes where the figures come from.
type Machine struct {
	CPUModel string `json:"cpu_model"`
	CPUs     int    `json:"cpus"`
	MemoryMB int    `json:"memory_mb"`
	Kernel   string `json:"kernel"`
	Go       string `json:"go"`
	// LoadAvg is the 1-minute load average when the run started: other
	// work on the machine makes every figure noisier.
	LoadAvg float64 `json:"load_avg_at_start"`
}

// ForwardSummary is the median and spread of several runs of one
// forwarding point (target, scenario, load).
type ForwardSummary struct {
	Target       string `json:"target"`
	Scenario     string `json:"scenario"`
	Load         int    `json:"load"`
	Participants int    `json:"participants"`
	InPPS        Spread `json:"packets_in_per_s"`
	OutPPS       Spread `json:"packets_out_per_s"`
	Delivery     Spread `json:"delivery_ratio"`
	CPUPerPacket Spread `json:"server_cpu_us_per_packet"`
	LatencyP50   Spread `json:"latency_p50_ms"`
	LatencyP99   Spread `json:"latency_p99_ms"`
	// ServerDelayP50 and P99: the server's own share of the latency (its forward-delay histogram; 0: not measured).
	ServerDelayP50 Spread `json:"server_delay_p50_ms"`
	ServerDelayP99 Spread `json:"server_delay_p99_ms"`
	// ReceiveDelayP50: the part of the server's delay before its track reader (Pion's receive path).
	ReceiveDelayP50 Spread `json:"receive_delay_p50_ms"`
	ServerRSSMB     Spread `json:"server_rss_mb"`
	ServerHeapMB    Spread `json:"server_heap_inuse_mb"`
	LoadCPUPct      Spread `json:"load_cpu_percent"`
	// FloorRatio is the median CPU per packet over the measured floor.
	FloorRatio float64 `json:"floor_ratio"`
	// PionRatio is plain Pion's median CPU per packet over this one's, at
	// the same point (fan-out and 1:1): > 1 means cheaper than plain Pion.
	PionRatio float64 `json:"pion_ratio,omitempty"`
}

// MemorySlope is a server's memory growth per participant in one scenario:
// least-squares slopes of RSS and of Go heap in use against participants.
type MemorySlope struct {
	Target   string  `json:"target"`
	Scenario string  `json:"scenario"`
	RSSKB    float64 `json:"rss_kb_per_participant"`
	HeapKB   float64 `json:"heap_kb_per_participant"`
	Points   int     `json:"points"`
}

// DescribeMachine reads /proc for the CPU model and memory.
func DescribeMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version()}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		if _, err := fmt.Sscanf(string(raw), "MemTotal: %d kB", &kb); err == nil {
			m.MemoryMB = kb / 1024
		}
	}
	m.LoadAvg = loadAvg()
	if raw, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(raw))
	}
	return m
}

// summarizeRuns groups raw results by (target, scenario, load).
func summarizeRuns(raw []ForwardResult, floorUS float64) []ForwardSummary {
	type key struct {
		target, scenario string
		load             int
	}
	groups := map[key][]ForwardResult{}
	var order []key
	for _, r := range raw {
		k := key{r.Target, r.Scenario, r.Load}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	var out []ForwardSummary
	for _, k := range order {
		rs := groups[k]
		pick := func(f func(ForwardResult) float64) Spread {
			v := make([]float64, len(rs))
			for i, r := range rs {
				v[i] = f(r)
			}
			return SpreadOf(v)
		}
		s := ForwardSummary{
			Target: k.target, Scenario: k.scenario, Load: k.load, Participants: rs[0].Participants,
			InPPS:           pick(func(r ForwardResult) float64 { return r.InPPS }),
			OutPPS:          pick(func(r ForwardResult) float64 { return r.OutPPS }),
			Delivery:        pick(func(r ForwardResult) float64 { return r.Delivery }),
			CPUPerPacket:    pick(func(r ForwardResult) float64 { return r.CPUPerPacketUS }),
			LatencyP50:      pick(func(r ForwardResult) float64 { return r.LatencyP50MS }),
			LatencyP99:      pick(func(r ForwardResult) float64 { return r.LatencyP99MS }),
			ServerDelayP50:  pick(func(r ForwardResult) float64 { return r.ServerDelayP50MS }),
			ServerDelayP99:  pick(func(r ForwardResult) float64 { return r.ServerDelayP99MS }),
			ReceiveDelayP50: pick(func(r ForwardResult) float64 { return r.ReceiveDelayP50MS }),
			ServerRSSMB:     pick(func(r ForwardResult) float64 { return float64(r.ServerRSS) / (1 << 20) }),
			ServerHeapMB:    pick(func(r ForwardResult) float64 { return float64(r.ServerHeap) / (1 << 20) }),
			LoadCPUPct:      pick(func(r ForwardResult) float64 { return r.LoadCPUPct }),
		}
		if floorUS > 0 {
			s.FloorRatio = s.CPUPerPacket.Median / floorUS
		}
		out = append(out, s)
	}
	for i := range out {
		if out[i].Target == "pion" || out[i].CPUPerPacket.Median == 0 {
			continue
		}
		for _, p := range out {
			if p.Target == "pion" && p.Scenario == out[i].Scenario && p.Load == out[i].Load {
				out[i].PionRatio = p.CPUPerPacket.Median / out[i].CPUPerPacket.Median
			}
		}
	}
	return out
}

// memorySlopes fits RSS against participants for each (target, scenario)
// with at least two loads.
func memorySlopes(raw []ForwardResult) []MemorySlope {
	type key struct{ target, scenario string }
	xs, ys, hs := map[key][]float64{}, map[key][]float64{}, map[key][]float64{}
	var order []key
	for _, r := range raw {
		k := key{r.Target, r.Scenario}
		if _, ok := xs[k]; !ok {
			order = append(order, k)
		}
		xs[k] = append(xs[k], float64(r.Participants))
		ys[k] = append(ys[k], float64(r.ServerRSS))
		hs[k] = append(hs[k], float64(r.ServerHeap))
	}
	var out []MemorySlope
	for _, k := range order {
		distinct := map[float64]bool{}
		for _, x := range xs[k] {
			distinct[x] = true
		}
		if len(distinct) < 2 {
			continue
		}
		out = append(out, MemorySlope{Target: k.target, Scenario: k.scenario,
			RSSKB: Slope(xs[k], ys[k]) / 1024, HeapKB: Slope(xs[k], hs[k]) / 1024, Points: len(xs[k])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Target+out[i].Scenario < out[j].Target+out[j].Scenario })
	return out
}

// NegotiatedFloor is the floor with the cipher switchboard negotiates.
func (r *Report) NegotiatedFloor() float64 {
	for _, f := range r.Floor {
		if f.Negotiated {
			return f.TotalUS
		}
	}
	return 0
}

// WriteJSON writes the report to path.
func (r *Report) WriteJSON(path string) error {
	raw, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(raw, '\n'), 0o644)
}

// WriteTable prints the report for people.
func (r *Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "machine: %s, %d CPUs, %d MB, Linux %s, %s, load average %.2f at start; runs %d; pinning: %s\n\n",
		r.Machine.CPUModel, r.Machine.CPUs, r.Machine.MemoryMB, r.Machine.Kernel, r.Machine.Go, r.Machine.LoadAvg, r.Runs, r.Pinning)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FLOOR (1200-byte packet)\tencrypt us\tUDP send us\ttotal us\t")
	for _, f := range r.Floor {
		mark := ""
		if f.Negotiated {
			mark = " (negotiated)"
		}
		fmt.Fprintf(tw, "%s%s\t%.2f\t%.2f\t%.2f\t\n", f.Cipher, mark, f.EncryptUS, f.SendUS, f.TotalUS)
	}
	tw.Flush()
	r.writeSignaling(w)
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FORWARDING\ttarget\tload\tin pkt/s\tout pkt/s\tdelivery\tcpu us/pkt (min-max)\tx floor\tx cheaper than pion\tlat p50 ms\tlat p99 ms\tserver p50 ms (receive)\tserver p99 ms\tRSS MB\theap MB\tload cpu %\t")
	for _, s := range r.Forward {
		pion := "-"
		if s.PionRatio > 0 {
			pion = fmt.Sprintf("%.2f", s.PionRatio)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t%.0f\t%.4f\t%.2f (%.2f-%.2f)\t%.2f\t%s\t%.3f\t%.3f\t%s\t%s\t%.1f\t%.1f\t%.0f\t\n",
			s.Scenario, s.Target, s.Load, s.InPPS.Median, s.OutPPS.Median, s.Delivery.Median,
			s.CPUPerPacket.Median, s.CPUPerPacket.Min, s.CPUPerPacket.Max, s.FloorRatio, pion,
			s.LatencyP50.Median, s.LatencyP99.Median, serverDelay(s), delayMS(s.ServerDelayP99),
			s.ServerRSSMB.Median, s.ServerHeapMB.Median, s.LoadCPUPct.Median)
	}
	tw.Flush()
	r.writeRamp(w)
	for _, m := range r.Memory {
		fmt.Fprintf(w, "memory: %s %s: %.0f KB RSS, %.0f KB Go heap per participant (slopes over %d runs)\n",
			m.Target, m.Scenario, m.RSSKB, m.HeapKB, m.Points)
	}
	for _, wn := range r.Warnings {
		fmt.Fprintln(w, "WARNING:", wn)
	}
	for _, p := range r.Plots {
		fmt.Fprintln(w, "plot:", p)
	}
}

// delayMS prints a server-delay figure: "-" where the server measures none.
func delayMS(s Spread) string {
	if s.Median == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", s.Median)
}

// serverDelay prints the server's p50 with its receive part.
func serverDelay(s ForwardSummary) string {
	if s.ServerDelayP50.Median == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f (%.3f)", s.ServerDelayP50.Median, s.ReceiveDelayP50.Median)
}

// loadAvg is the 1-minute load average (0 if unknown).
func loadAvg() float64 {
	var l float64
	if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
		_, _ = fmt.Sscanf(string(raw), "%f", &l)
	}
	return l
}

// writeRamp prints the calls-per-core ramp, one line per step.
func (r *Report) writeRamp(w io.Writer) {
	g := r.Ramp
	if g == nil {
		return
	}
	fmt.Fprintf(w, "\nCALLS PER CORE (1:1, delivery >= %.3f and p99 <= %.0f ms)\n", RampMinDelivery, RampMaxP99MS)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "calls\tout pkt/s\tdelivery\tcpu us/pkt\tx floor\tlat p50 ms\tlat p99 ms\tserver p50 ms (receive)\tserver p99 ms\tserver heap MB\tload cpu %\t")
	for _, s := range g.Steps {
		fmt.Fprintf(tw, "%d\t%.0f\t%.4f\t%.2f\t%.2f\t%.3f\t%.3f\t%s\t%s\t%.1f\t%.0f\t\n", s.Load, s.OutPPS.Median, s.Delivery.Median,
			s.CPUPerPacket.Median, s.FloorRatio, s.LatencyP50.Median, s.LatencyP99.Median, serverDelay(s), delayMS(s.ServerDelayP99),
			s.ServerHeapMB.Median, s.LoadCPUPct.Median)
	}
	tw.Flush()
	bound := ""
	if g.LoadBound {
		bound = " (at least: the load side was the limit)"
	}
	fmt.Fprintf(w, "calls per core: %d%s; %.2f us of server CPU per forwarded packet there, %.2f x the floor (%.2f us), server CPU %.0f %%; stopped: %s\n",
		g.Calls, bound, g.CPUPerPacketUS, g.FloorRatio, g.FloorUS, g.ServerCPUPct, g.StoppedBy)
}
