package sfu

import (
	"errors"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Outcomes of a bandwidth probe (counters.probes).
const (
	probeClear = iota
	probeCongested
)

// counters are the server's figures, updated with atomics on the hot path
// and read by Prometheus at scrape time.
type counters struct {
	participants atomic.Int64
	rooms        atomic.Int64
	forwarded    atomic.Uint64
	written      atomic.Uint64 // RTP packets written through a subscriber's own way out (srtpout.go)
	dropped      atomic.Uint64
	// resent and refused: NACKed packets resent from the cache, and those
	// not resent again yet (downTrack.retransmit).
	resent, refused atomic.Uint64
	// keyframeAsked: subscribers' PLIs and FIRs (a decoder that stopped).
	keyframeAsked atomic.Uint64
	// layerTo counts simulcast videos switched to each layer for a
	// subscriber, starved the one-layer videos stopped for a subscriber's
	// downlink that could not carry them (allocate).
	layerTo [maxLayers]atomic.Uint64
	starved atomic.Uint64
	// unanswered: subscriber offers past media.answer_timeout (answerwait.go).
	unanswered atomic.Uint64
	// probes: bandwidth probes ended, by outcome (probeClear, probeCongested).
	probes [2]atomic.Uint64

	// arrivals, delay and received: the forward and receive delays (arrivals.go).
	arrivals arrivalTable
	delay    prometheus.Histogram
	received prometheus.Histogram
	// taps take subscribers' RTCP and publishers' RTP at the media sockets
	// (rtcptap.go, rtptap.go).
	taps *mediaTaps
}

func newCounters() *counters {
	return &counters{delay: newForwardDelay(), received: newReceiveDelay(), taps: newMediaTaps()}
}

// add records one up-track packet queued to sent down-tracks and dropped for others.
func (c *counters) add(sent, dropped int) {
	if sent > 0 {
		c.forwarded.Add(uint64(sent))
	}
	if dropped > 0 {
		c.dropped.Add(uint64(dropped))
	}
}

func (c *counters) register(reg prometheus.Registerer) error {
	if reg == nil {
		return nil
	}
	cs := []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "switchboard_sfu_participants", Help: "Participants connected to the SFU."},
			func() float64 { return float64(c.participants.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "switchboard_sfu_rooms", Help: "Calls with media in progress."},
			func() float64 { return float64(c.rooms.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_packets_forwarded_total", Help: "RTP packets queued to subscribers."},
			func() float64 { return float64(c.forwarded.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_packets_dropped_total", Help: "RTP packets dropped because a subscriber's queue was full."},
			func() float64 { return float64(c.dropped.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_nack_resent_total", Help: "Packets subscribers asked for again (NACK) resent from the cache."},
			func() float64 { return float64(c.resent.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_nack_refused_total",
			Help: "Packets subscribers asked for again (NACK) not resent: already resent 3 times, or within the resend gap (3/4 of the round trip)."},
			func() float64 { return float64(c.refused.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_keyframe_requests_total",
			Help: "Keyframe requests (PLI, FIR) from subscribers: each one a picture that stopped until a keyframe comes. Growing fast: subscribers losing video on the way to them."},
			func() float64 { return float64(c.keyframeAsked.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_rtcp_read_at_socket_total",
			Help: "Subscribers' RTCP datagrams decrypted and acted on at the media socket, ahead of Pion's receive chain."},
			func() float64 { return float64(c.taps.taken.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_rtp_written_at_socket_total",
			Help: "RTP packets encrypted and queued on the media socket for a subscriber, past Pion's send chain."},
			func() float64 { return float64(c.written.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_rtp_read_at_socket_total",
			Help: "Publishers' RTP packets decrypted and read in at the media socket, ahead of Pion's receive chain."},
			func() float64 { return float64(c.taps.takenRTP.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_video_starved_total",
			Help: "One-layer videos stopped for a subscriber whose downlink could not carry them, so that the audio gets through; each resumes from a keyframe once a probe finds room."},
			func() float64 { return float64(c.starved.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_subscriber_offers_unanswered_total",
			Help: "Times a subscriber offer waited media.answer_timeout with no answer: the first time it is sent again, the second the client is told. Any: clients that lost an offer's handling."},
			func() float64 { return float64(c.unanswered.Load()) }),
		c.delay,
		c.received,
	}
	for i, result := range []string{probeClear: "clear", probeCongested: "congested"} {
		cs = append(cs, prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_probes_total",
			Help:        "Bandwidth probes of subscribers' downlinks (padding sent to find room for a higher layer or a stopped video), by outcome: clear (the estimate may rise) or congested (delay grew or packets were lost; the next waits longer). Mostly congested with no slow link: the server's CPU is short (its own delays read as queuing).",
			ConstLabels: prometheus.Labels{"result": result}},
			func() float64 { return float64(c.probes[i].Load()) }))
	}
	for i, name := range []string{protocol.LayerLow, protocol.LayerMedium, protocol.LayerHigh} {
		cs = append(cs, prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "switchboard_sfu_layer_switches_total",
			Help:        "Simulcast videos switched to a layer for a subscriber (by its downlink's estimate, the size it shows the video at, or its pin). Many to low: subscribers short of downlink.",
			ConstLabels: prometheus.Labels{"layer": name}},
			func() float64 { return float64(c.layerTo[i].Load()) }))
	}
	for _, col := range cs {
		if err := reg.Register(col); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return err
			}
		}
	}
	return nil
}
