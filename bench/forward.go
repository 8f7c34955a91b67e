package bench

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Forwarding scenario names.
const (
	ScenarioOneToOne = "1:1"
	ScenarioGroup    = "group"
	ScenarioFanout   = "fanout"
)

// ForwardSpec is one forwarding measurement: Rooms rooms of PerRoom
// participants, the first Publishers of each publishing audio and video.
type ForwardSpec struct {
	Scenario   string
	Rooms      int
	PerRoom    int
	Publishers int
	Warmup     time.Duration
	Measure    time.Duration
}

// Participants is the total number of participants.
func (s ForwardSpec) Participants() int { return s.Rooms * s.PerRoom }

// ExpectedTracks is how many remote tracks the load side should receive.
func (s ForwardSpec) ExpectedTracks() int {
	perRoom := s.Publishers * (s.PerRoom - 1) * 2 // each publisher's 2 tracks to everyone else
	return s.Rooms * perRoom
}

// ForwardResult is what one forwarding run measured.
type ForwardResult struct {
	Target       string `json:"target"`
	Scenario     string `json:"scenario"`
	Rooms        int    `json:"rooms"`
	Participants int    `json:"participants"`
	Publishers   int    `json:"publishers"`
	// Load is the x axis of the plots: subscribers (fan-out), participants
	// (group) or calls (1:1).
	Load           int     `json:"load"`
	TracksExpected int     `json:"tracks_expected"`
	TracksReceived int     `json:"tracks_received"`
	InPPS          float64 `json:"packets_in_per_s"`
	OutPPS         float64 `json:"packets_out_per_s"`
	Delivery       float64 `json:"delivery_ratio"`
	CPUPerPacketUS float64 `json:"server_cpu_us_per_packet"`
	ServerCPUPct   float64 `json:"server_cpu_percent"`
	LatencyP50MS   float64 `json:"latency_p50_ms"`
	LatencyP99MS   float64 `json:"latency_p99_ms"`
	// ServerDelayP50MS and P99 are the server's own share of the latency
	// (its forward-delay histogram over the window; 0: not measured).
	ServerDelayP50MS float64 `json:"server_delay_p50_ms"`
	ServerDelayP99MS float64 `json:"server_delay_p99_ms"`
	// ReceiveDelayP50MS is the part of it spent before the SFU's track
	// reader has the packet (Pion's receive path).
	ReceiveDelayP50MS float64 `json:"receive_delay_p50_ms"`
	ServerRSS         int64   `json:"server_rss_bytes"`
	ServerHeap        int64   `json:"server_heap_inuse_bytes"`
	LoadCPUPct        float64 `json:"load_cpu_percent"`
	SourceLateMS      float64 `json:"source_late_ms"`
	// LoadGCs is how many times the load side collected garbage in the
	// window (0 unless its heap reached the held collector's limit, gc.go):
	// each collection delays what its sinks read.
	LoadGCs uint64 `json:"load_gc_cycles"`
	// LowerInPPS is what the publishers sent on their lower simulcast
	// layers (--simulcast), on top of InPPS.
	LowerInPPS float64 `json:"lower_layers_packets_in_per_s,omitempty"`
	Unstamped  uint64  `json:"unstamped_packets"`
	// LoadAvg is the machine's 1-minute load average at the end of the run.
	LoadAvg float64 `json:"load_avg"`
}

// sinkSet collects the Sinks a run creates, from read goroutines.
type sinkSet struct {
	epoch  Epoch
	window *Window

	mu    sync.Mutex // guards sinks and sources
	sinks []*Sink
	// sources maps "publisher/kind" to the publisher's Source, once started.
	sources map[string]*atomic.Pointer[Source]
	// lower are the sources of lower simulcast layers (startSources).
	lower []*Source
}

// addLower notes a lower simulcast layer's source.
func (s *sinkSet) addLower(src *Source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lower = append(s.lower, src)
}

// lowerSent is how many packets the lower layers' sources sent so far.
func (s *sinkSet) lowerSent() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n uint64
	for _, src := range s.lower {
		n += src.Sent()
	}
	return n
}

// source returns the shared pointer to publisher's Source of kind.
func (s *sinkSet) source(publisher string, kind Kind) *atomic.Pointer[Source] {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sources == nil {
		s.sources = map[string]*atomic.Pointer[Source]{}
	}
	key := publisher + "/" + string(kind)
	if s.sources[key] == nil {
		s.sources[key] = &atomic.Pointer[Source]{}
	}
	return s.sources[key]
}

func (s *sinkSet) onTrack(_ int, publisher string, kind Kind) *Sink {
	k := &Sink{Epoch: s.epoch, Window: s.window, Kind: kind, From: s.source(publisher, kind)}
	s.mu.Lock()
	s.sinks = append(s.sinks, k)
	s.mu.Unlock()
	return k
}

func (s *sinkSet) list() []*Sink {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Sink(nil), s.sinks...)
}

// RunForward joins the rooms, publishes the clips, waits for media to flow,
// warms up, then measures for spec.Measure.
func RunForward(ctx context.Context, t Target, spec ForwardSpec, clips [2]*Clip) (ForwardResult, error) {
	set := &sinkSet{epoch: NewEpoch(), window: &Window{}}
	var parts []Participant
	defer func() { _ = closeAll(parts) }()
	for range spec.Rooms {
		publishes := make([]bool, spec.PerRoom)
		for i := range spec.Publishers {
			publishes[i] = true
		}
		ps, err := t.Join(ctx, publishes, set.onTrack)
		if err != nil {
			return ForwardResult{}, err
		}
		parts = append(parts, ps...)
	}
	srcCtx, stop := context.WithCancel(ctx)
	sources, wait := startSources(srcCtx, parts, clips, set)
	defer func() { stop(); wait() }()

	got := waitForTracks(ctx, set, spec.ExpectedTracks(), 10*time.Second+time.Duration(spec.Participants())*100*time.Millisecond)
	if got == 0 && spec.ExpectedTracks() > 0 {
		return ForwardResult{}, fmt.Errorf("%w: %s: no media arrived", ErrScenario, spec.Scenario)
	}
	releaseGC := holdGC() // the load collects before and after, not while it measures (gc.go)
	defer releaseGC()
	if err := sleepCtx(ctx, spec.Warmup); err != nil {
		return ForwardResult{}, err
	}
	before, err := takeSnapshot(t.PID(), set, sources)
	if err != nil {
		return ForwardResult{}, err
	}
	delay, hasDelay := t.(delayReader)
	var fwdBefore, recvBefore Histogram
	if hasDelay {
		if fwdBefore, recvBefore, err = delay.ServerDelays(ctx); err != nil {
			return ForwardResult{}, err
		}
	}
	set.window.Open()
	if err := sleepCtx(ctx, spec.Measure); err != nil {
		return ForwardResult{}, err
	}
	set.window.Close()
	after, err := takeSnapshot(t.PID(), set, sources)
	if err != nil {
		return ForwardResult{}, err
	}
	releaseGC()
	var fwdWindow, recvWindow Histogram
	if hasDelay {
		fwd, recv, err := delay.ServerDelays(ctx)
		if err != nil {
			return ForwardResult{}, err
		}
		fwdWindow, recvWindow = fwd.Since(fwdBefore), recv.Since(recvBefore)
	}
	heap, err := t.HeapInuse(ctx)
	if err != nil {
		return ForwardResult{}, err
	}
	stop()
	wait()
	err = closeAll(parts) // stops the read goroutines: latencies are safe to read
	parts = nil
	res := summarize(spec, t.Name(), before, after, set.list(), sources)
	res.TracksReceived, res.ServerHeap = got, heap
	if p50, ok := fwdWindow.Quantile(0.5); ok {
		p99, _ := fwdWindow.Quantile(0.99)
		res.ServerDelayP50MS, res.ServerDelayP99MS = p50*1e3, p99*1e3
	}
	if p50, ok := recvWindow.Quantile(0.5); ok {
		res.ReceiveDelayP50MS = p50 * 1e3
	}
	res.LoadAvg = loadAvg()
	if res.InPPS > 0 && spec.PerRoom > 1 {
		// the delivery above follows the sequence numbers of the tracks
		// that arrived; a track that never did, or stopped (its numbers
		// stop too), lost what it did not bring: count by what was sent
		// (each packet is for everyone else in the room; in quiet runs the
		// two agree within 0.0003)
		res.Delivery = min(res.Delivery, res.OutPPS/(res.InPPS*float64(spec.PerRoom-1)))
	}
	return res, err
}

// startSources publishes the clips on every publishing participant.
func startSources(ctx context.Context, parts []Participant, clips [2]*Clip, set *sinkSet) ([]*Source, func()) {
	var sources []*Source
	var wg sync.WaitGroup
	for i, p := range parts {
		for j, w := range []RTPWriter{p.Audio(), p.Video()} {
			if w == nil || clips[j] == nil {
				continue
			}
			s := NewSource(clips[j], w, set.epoch, [2]uint8{111, 96}[j], uint32(i*2+j+1))
			s.Window = set.window
			s.Offset = PhaseOf(i, clips[j].Period) // the same fraction of both clips: a participant's audio and video start within 20 ms of each other (4.02 s and 4 s clips)
			set.source(p.ID(), clips[j].Kind).Store(s)
			sources = append(sources, s)
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = s.Run(ctx)
			}()
		}
		// Lower simulcast layers: received by the server, forwarded only to
		// subscribers that choose them, so not counted as sources (what a
		// sink receives is matched against the top layer's) but apart.
		if l, ok := p.(layered); ok && clips[1] != nil {
			for k, x := range l.LowerLayers() {
				s := NewSource(clips[1].Thinned(x.Share), x.W, set.epoch, 96, uint32(1_000_000+i*4+k))
				s.Offset = PhaseOf(i, clips[1].Period)
				set.addLower(s)
				wg.Add(1)
				go func() {
					defer wg.Done()
					_ = s.Run(ctx)
				}()
			}
		}
	}
	return sources, wg.Wait
}

// waitForTracks waits until want tracks delivered a packet (or timeout) and
// returns how many did.
func waitForTracks(ctx context.Context, set *sinkSet, want int, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	for {
		got := 0
		for _, k := range set.list() {
			if k.Received() > 0 {
				got++
			}
		}
		if got >= want || time.Now().After(deadline) || ctx.Err() != nil {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// snapshot is every counter at one instant.
type snapshot struct {
	at     time.Time
	server ProcSample
	self   time.Duration
	gcs    uint64 // the load's GC cycles so far
	sinks  map[*Sink]SinkSnapshot
	sent   uint64
	lower  uint64 // sent on lower simulcast layers
}

func takeSnapshot(pid int, set *sinkSet, sources []*Source) (snapshot, error) {
	s := snapshot{at: time.Now(), self: SelfCPU(), gcs: gcCycles(), sinks: map[*Sink]SinkSnapshot{}}
	var err error
	if s.server, err = ReadProc(pid); err != nil {
		return s, err
	}
	for _, k := range set.list() {
		s.sinks[k] = k.Snapshot()
	}
	for _, src := range sources {
		s.sent += src.Sent()
	}
	s.lower = set.lowerSent()
	return s, nil
}

// summarize turns two snapshots into a result.
func summarize(spec ForwardSpec, target string, a, b snapshot, sinks []*Sink, sources []*Source) ForwardResult {
	wall := b.at.Sub(a.at).Seconds()
	r := ForwardResult{
		Target: target, Scenario: spec.Scenario, Rooms: spec.Rooms, Participants: spec.Participants(),
		Publishers: spec.Rooms * spec.Publishers, TracksExpected: spec.ExpectedTracks(),
		ServerRSS: b.server.RSS,
	}
	switch spec.Scenario {
	case ScenarioFanout:
		r.Load = spec.PerRoom - spec.Publishers
	case ScenarioGroup:
		r.Load = spec.PerRoom
	default:
		r.Load = spec.Rooms
	}
	var out, expected uint64
	var lat []time.Duration
	for _, k := range sinks {
		sa, okA := a.sinks[k]
		sb, okB := b.sinks[k]
		if !okA || !okB || sa.Highest == 0 {
			continue
		}
		out += sb.Received - sa.Received
		expected += sb.Highest - sa.Highest
		lat = append(lat, k.Latencies()...)
		r.Unstamped += k.Unstamped()
	}
	r.InPPS = float64(b.sent-a.sent) / wall
	r.LowerInPPS = float64(b.lower-a.lower) / wall
	r.OutPPS = float64(out) / wall
	if expected > 0 {
		r.Delivery = float64(out) / float64(expected)
	}
	cpu := b.server.CPU - a.server.CPU
	r.ServerCPUPct = 100 * cpu.Seconds() / wall
	if out > 0 {
		r.CPUPerPacketUS = float64(cpu.Microseconds()) / float64(out)
	}
	r.LoadCPUPct = 100 * (b.self - a.self).Seconds() / wall
	r.LoadGCs = b.gcs - a.gcs
	r.LatencyP50MS = ms(Percentile(lat, 0.50))
	r.LatencyP99MS = ms(Percentile(lat, 0.99))
	var late time.Duration
	for _, s := range sources {
		late = max(late, s.Late())
	}
	r.SourceLateMS = ms(late)
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
