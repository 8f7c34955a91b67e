package bench

import (
	"math"
	"testing"
)

// The quantiles of a window are read from the difference of two scrapes,
// interpolated inside the bucket as Prometheus does.
func TestHistogramQuantile(t *testing.T) {
	inf := math.Inf(1)
	before := Histogram{Bounds: []float64{0.001, 0.002, 0.004, inf}, Counts: []float64{10, 10, 10, 10}}
	after := Histogram{Bounds: before.Bounds, Counts: []float64{60, 110, 110, 112}}
	w := after.Since(before) // 50 in (0, 1 ms], 50 in (1, 2 ms], 2 above 4 ms
	for _, c := range []struct{ q, want float64 }{
		{0.25, 0.00051}, // rank 25.5 of 102: half-way into the first bucket
		{0.5, 0.00102},
		{0.99, 0.004}, // in +Inf: the last finite bound
	} {
		got, ok := w.Quantile(c.q)
		if !ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("q%.2f = %g, %v; want %g", c.q, got, ok, c.want)
		}
	}
	if _, ok := before.Since(before).Quantile(0.5); ok {
		t.Error("an empty window has no quantile")
	}
}

func TestParseBucketLine(t *testing.T) {
	for _, c := range []struct {
		line  string
		le, n float64
		ok    bool
	}{
		{`m_bucket{le="0.00015"} 42`, 0.00015, 42, true},
		{`m_bucket{le="+Inf"} 7`, math.Inf(1), 7, true},
		{`m_sum 3.5`, 0, 0, false},
		{`m_bucket{le="x"} 1`, 0, 0, false},
		{`m_bucket{le="1"} -1`, 0, 0, false},
		{`other_bucket{le="1"} 1`, 0, 0, false},
	} {
		le, n, ok := parseBucketLine(c.line, "m")
		if ok != c.ok || le != c.le || n != c.n {
			t.Errorf("%q: %g %g %v, want %g %g %v", c.line, le, n, ok, c.le, c.n, c.ok)
		}
	}
}

func FuzzParseBucketLine(f *testing.F) {
	f.Add(`m_bucket{le="0.00015"} 42`)
	f.Add(`m_bucket{le="+Inf"} 7`)
	f.Add(`m_bucket{le="NaN"} 1`)
	f.Fuzz(func(t *testing.T, line string) {
		le, n, ok := parseBucketLine(line, "m")
		if ok && (math.IsNaN(le) || n < 0 || math.IsInf(n, 0) || math.IsNaN(n)) {
			t.Fatalf("%q: accepted le %g count %g", line, le, n)
		}
	})
}
