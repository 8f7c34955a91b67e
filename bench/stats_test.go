package bench

import (
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var s []time.Duration
	for i := 100; i >= 1; i-- {
		s = append(s, time.Duration(i)*time.Millisecond)
	}
	if got := Percentile(s, 0.5); got != 50*time.Millisecond {
		t.Errorf("p50 = %v, want 50ms", got)
	}
	if got := Percentile(s, 0.99); got != 99*time.Millisecond {
		t.Errorf("p99 = %v, want 99ms", got)
	}
	if got := Percentile(nil, 0.5); got != 0 {
		t.Errorf("p50 of nothing = %v, want 0", got)
	}
	if s[0] != 100*time.Millisecond {
		t.Error("Percentile sorted the caller's slice")
	}
}

func TestSpreadAndSlope(t *testing.T) {
	sp := SpreadOf([]float64{3, 1, 2, 10})
	if sp.Median != 2.5 || sp.Min != 1 || sp.Max != 10 || sp.Runs != 4 {
		t.Errorf("spread %+v", sp)
	}
	// RSS of 10 MB + 150 KB per participant.
	x := []float64{10, 50, 100}
	y := []float64{10e6 + 10*150e3, 10e6 + 50*150e3, 10e6 + 100*150e3}
	if got := Slope(x, y); got < 149.9e3 || got > 150.1e3 {
		t.Errorf("slope %.0f, want 150000", got)
	}
}
