package bench

import (
	"fmt"
	"path/filepath"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// WritePlots draws CPU per packet and latency against load, one line per
// (target, scenario), into dir; it returns the files written.
func WritePlots(dir string, sums []ForwardSummary, floorUS float64) ([]string, error) {
	cpu := func(s ForwardSummary) float64 { return s.CPUPerPacket.Median }
	p50 := func(s ForwardSummary) float64 { return s.LatencyP50.Median }
	p99 := func(s ForwardSummary) float64 { return s.LatencyP99.Median }
	var files []string
	for _, pl := range []struct {
		file, title, y string
		series         map[string]func(ForwardSummary) float64
		floor          float64
	}{
		{"cpu_per_packet.png", "Server CPU per forwarded packet", "CPU us / packet",
			map[string]func(ForwardSummary) float64{"": cpu}, floorUS},
		{"latency.png", "Publisher -> subscriber latency", "ms",
			map[string]func(ForwardSummary) float64{" p50": p50, " p99": p99}, 0},
	} {
		path := filepath.Join(dir, pl.file)
		if err := drawPlot(path, pl.title, pl.y, sums, pl.series, pl.floor); err != nil {
			return files, err
		}
		files = append(files, path)
	}
	return files, nil
}

func drawPlot(path, title, ylabel string, sums []ForwardSummary,
	series map[string]func(ForwardSummary) float64, floor float64) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "load (fan-out: subscribers, group: participants, 1:1: calls)"
	p.Y.Label.Text = ylabel
	p.Y.Min = 0
	lines := map[string]plotter.XYs{}
	for _, s := range sums {
		for suffix, f := range series {
			name := fmt.Sprintf("%s %s%s", s.Target, s.Scenario, suffix)
			lines[name] = append(lines[name], plotter.XY{X: float64(s.Load), Y: f(s)})
		}
	}
	names := make([]string, 0, len(lines))
	for n := range lines {
		names = append(names, n)
	}
	sort.Strings(names)
	var args []any
	maxX := 0.0
	for _, n := range names {
		xy := lines[n]
		sort.Slice(xy, func(i, j int) bool { return xy[i].X < xy[j].X })
		maxX = max(maxX, xy[len(xy)-1].X)
		args = append(args, n, xy)
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return err
	}
	if floor > 0 && maxX > 0 {
		fl, err := plotter.NewLine(plotter.XYs{{X: 0, Y: floor}, {X: maxX, Y: floor}})
		if err != nil {
			return err
		}
		fl.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}
		p.Add(fl)
		p.Legend.Add("floor (SRTP + UDP send)", fl)
	}
	p.Legend.Top = true
	return p.Save(7*vg.Inch, 4.5*vg.Inch, path)
}
