package bench

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// delayMetric is switchboard's forward-delay histogram: per forwarded copy,
// from the published packet's arrival at the server's socket (the kernel's
// timestamp) to the send of the copy. It is the server's own share of the
// latency the sinks measure end to end (sfu/arrivals.go).
const delayMetric = "switchboard_sfu_forward_delay_seconds"

// receiveMetric is the first part of it: from the arrival to the SFU's
// track reader, i.e. Pion's receive path.
const receiveMetric = "switchboard_sfu_receive_delay_seconds"

// delayReader is a target whose server measures its own forwarding delay.
type delayReader interface {
	ServerDelays(ctx context.Context) (forward, receive Histogram, err error)
}

// Histogram is a Prometheus histogram's buckets: Bounds (seconds, the last
// +Inf) and the cumulative Counts at each.
type Histogram struct {
	Bounds []float64
	Counts []float64
}

// ServerDelays reads the server's forward- and receive-delay histograms.
func (t *SwitchboardTarget) ServerDelays(ctx context.Context) (forward, receive Histogram, err error) {
	hs, err := readHistograms(ctx, t.Child.URL+"/metrics", delayMetric, receiveMetric)
	return hs[0], hs[1], err
}

// readHistograms reads the buckets of unlabelled histograms at url, one
// per name; a name that is missing is an error.
func readHistograms(ctx context.Context, url string, names ...string) ([]Histogram, error) {
	hs := make([]Histogram, len(names))
	err := scanMetrics(ctx, url, func(line string) error {
		for i, name := range names {
			if le, n, ok := parseBucketLine(line, name); ok {
				hs[i].Bounds, hs[i].Counts = append(hs[i].Bounds, le), append(hs[i].Counts, n)
			}
		}
		return nil
	})
	if err != nil {
		return hs, err
	}
	for i, h := range hs {
		if len(h.Bounds) == 0 || !math.IsInf(h.Bounds[len(h.Bounds)-1], 1) {
			return hs, fmt.Errorf("%w: no histogram %s at %s", ErrChild, names[i], url)
		}
	}
	return hs, nil
}

// parseBucketLine reads `name_bucket{le="B"} N` (N a count: finite, >= 0).
func parseBucketLine(line, name string) (le, n float64, ok bool) {
	rest, found := strings.CutPrefix(line, name+`_bucket{le="`)
	if !found {
		return 0, 0, false
	}
	bound, count, found := strings.Cut(rest, `"} `)
	if !found {
		return 0, 0, false
	}
	le, err := strconv.ParseFloat(bound, 64)
	if err != nil || math.IsNaN(le) {
		return 0, 0, false
	}
	n, err = strconv.ParseFloat(strings.TrimSpace(count), 64)
	if err != nil || n < 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, 0, false
	}
	return le, n, true
}

// Since is what h counted after earlier (the same buckets).
func (h Histogram) Since(earlier Histogram) Histogram {
	d := Histogram{Bounds: h.Bounds, Counts: make([]float64, len(h.Counts))}
	for i := range h.Counts {
		d.Counts[i] = h.Counts[i]
		if i < len(earlier.Counts) && earlier.Bounds[i] == h.Bounds[i] {
			d.Counts[i] -= earlier.Counts[i]
		}
	}
	return d
}

// Quantile is the q-quantile in seconds, interpolated linearly inside its
// bucket as Prometheus's histogram_quantile does (a quantile in the +Inf
// bucket is the last finite bound); ok is false with no observations.
func (h Histogram) Quantile(q float64) (float64, bool) {
	if len(h.Counts) == 0 || h.Counts[len(h.Counts)-1] <= 0 {
		return 0, false
	}
	rank := q * h.Counts[len(h.Counts)-1]
	for i, c := range h.Counts {
		if c < rank {
			continue
		}
		lower, below := 0.0, 0.0
		if i > 0 {
			lower, below = h.Bounds[i-1], h.Counts[i-1]
		}
		if math.IsInf(h.Bounds[i], 1) {
			return lower, true
		}
		if c == below {
			return h.Bounds[i], true
		}
		return lower + (h.Bounds[i]-lower)*(rank-below)/(c-below), true
	}
	return h.Bounds[len(h.Bounds)-2], true
}
