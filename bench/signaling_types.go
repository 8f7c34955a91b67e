package bench

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// StepLatency is one ringing step's latency percentiles.
type StepLatency struct {
	Step  string  `json:"step"`
	P50MS float64 `json:"p50_ms"`
	P99MS float64 `json:"p99_ms"`
}

// RingingResult is the ringing scenario: complete call flows
// (initiate -> incoming at the callee -> accept -> both call tokens).
type RingingResult struct {
	Pairs int `json:"pairs"`
	// Flat out: every pair loops flows back to back.
	Flows       int           `json:"flows"`
	FlowsPerSec float64       `json:"flows_per_s"`
	Steps       []StepLatency `json:"steps"`
	// Paced: flows started at PacedRate per second, latency per step.
	PacedRate  float64       `json:"paced_rate"`
	PacedFlows int           `json:"paced_flows"`
	PacedSteps []StepLatency `json:"paced_steps"`
	// PacedFlowsPerSec and PacedServerCPUUS (server CPU µs per flow) are of
	// the paced phase: CPU per flow at one rate compares builds fairly
	// (flat out, batching grows with the rate each build happened to get).
	PacedFlowsPerSec float64 `json:"paced_flows_per_s"`
	PacedServerCPUUS float64 `json:"paced_server_cpu_us_per_flow"`
	ServerCPU        float64 `json:"server_cpu_percent"`
	LoadCPU          float64 `json:"load_cpu_percent"`
	Errors           int     `json:"errors"`
}

// IdleResult is the idle-connections scenario: signaling WebSockets held
// open, and the server memory they cost.
type IdleResult struct {
	Wanted     int     `json:"wanted"`
	Held       int     `json:"held"`
	RSSDeltaMB float64 `json:"server_rss_delta_mb"`
	KBPerConn  float64 `json:"kb_per_conn"`
	// From the server's /metrics: Go heap and goroutine stacks per
	// connection, and goroutines per connection.
	HeapKBPerConn     float64 `json:"heap_kb_per_conn"`
	StackKBPerConn    float64 `json:"stack_kb_per_conn"`
	GoroutinesPerConn float64 `json:"goroutines_per_conn"`
	Errors            int     `json:"errors"`
	FirstError        string  `json:"first_error,omitempty"`
}

// JoinResult is the join scenario: accept -> publisher connected -> first
// RTP at the other side.
type JoinResult struct {
	Calls int     `json:"calls"`
	P50MS float64 `json:"p50_ms"`
	P99MS float64 `json:"p99_ms"`
	// ConnectedP50MS is accept -> the caller's publisher connected.
	ConnectedP50MS float64 `json:"connected_p50_ms"`
	// Steps: where the time goes, from each participant's /v1/rtc frames.
	Steps      []StepLatency `json:"steps,omitempty"`
	Errors     int           `json:"errors"`
	FirstError string        `json:"first_error,omitempty"`
}

func (r *Report) writeSignaling(w io.Writer) {
	r.writeRingingPush(w)
	if r.Ringing == nil && r.Idle == nil && r.Join == nil {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	if g := r.Ringing; g != nil {
		fmt.Fprintf(tw, "RINGING\t%d pairs\t%d flows\t%.0f flows/s\tserver CPU %.0f%%, load CPU %.0f%%, errors %d\t\n",
			g.Pairs, g.Flows, g.FlowsPerSec, g.ServerCPU, g.LoadCPU, g.Errors)
		for _, s := range g.Steps {
			fmt.Fprintf(tw, "  flat out: %s\tp50 %.2f ms\tp99 %.2f ms\t\t\t\n", s.Step, s.P50MS, s.P99MS)
		}
		if g.PacedFlows > 0 {
			fmt.Fprintf(tw, "  at %.0f flows/s: %.0f flows/s done\tserver CPU %.0f us per flow\t\t\t\n", g.PacedRate, g.PacedFlowsPerSec, g.PacedServerCPUUS)
		}
		for _, s := range g.PacedSteps {
			fmt.Fprintf(tw, "  at %.0f flows/s: %s\tp50 %.2f ms\tp99 %.2f ms\t\t\t\n", g.PacedRate, s.Step, s.P50MS, s.P99MS)
		}
	}
	if i := r.Idle; i != nil {
		fmt.Fprintf(tw, "IDLE\t%d of %d held\t%.1f MB RSS\t%.1f KB RSS each\theap %.1f KB + stacks %.1f KB, %.1f goroutines each; errors %d\t\n",
			i.Held, i.Wanted, i.RSSDeltaMB, i.KBPerConn, i.HeapKBPerConn, i.StackKBPerConn, i.GoroutinesPerConn, i.Errors)
	}
	if j := r.Join; j != nil {
		fmt.Fprintf(tw, "JOIN\t%d calls\taccept->first RTP p50 %.1f ms\tp99 %.1f ms\tconnected p50 %.1f ms\terrors %d\t\n",
			j.Calls, j.P50MS, j.P99MS, j.ConnectedP50MS, j.Errors)
		for _, st := range j.Steps {
			fmt.Fprintf(tw, "  accept -> %s\tp50 %.1f ms\tp99 %.1f ms\t\t\t\n", st.Step, st.P50MS, st.P99MS)
		}
	}
	tw.Flush()
}
