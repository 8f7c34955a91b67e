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

// xLabels name each scenario's load axis.
var xLabels = map[string]string{
	ScenarioFanout:   "subscribers of one publisher",
	ScenarioGroup:    "participants, all publishing",
	ScenarioOneToOne: "concurrent 1:1 calls",
}

// WritePlots draws, for each forwarding scenario, server CPU per packet
// (with the floor) and latency p50/p99 against load, one line per target,
// into dir. It returns the files written.
func WritePlots(dir string, sums []ForwardSummary, floorUS float64) ([]string, error) {
	var files []string
	for _, scen := range []string{ScenarioFanout, ScenarioGroup, ScenarioOneToOne} {
		var mine []ForwardSummary
		for _, s := range sums {
			if s.Scenario == scen {
				mine = append(mine, s)
			}
		}
		if len(mine) == 0 {
			continue
		}
		name := map[string]string{ScenarioOneToOne: "1to1"}[scen]
		if name == "" {
			name = scen
		}
		cpu := filepath.Join(dir, "cpu_"+name+".png")
		err := drawPlot(cpu, "Server CPU per forwarded packet, "+scen, xLabels[scen], "CPU us / packet", mine,
			map[string]func(ForwardSummary) float64{"": func(s ForwardSummary) float64 { return s.CPUPerPacket.Median }}, floorUS)
		if err != nil {
			return files, err
		}
		lat := filepath.Join(dir, "latency_"+name+".png")
		err = drawPlot(lat, "Publisher -> subscriber latency, "+scen, xLabels[scen], "ms", mine,
			map[string]func(ForwardSummary) float64{
				" p50": func(s ForwardSummary) float64 { return s.LatencyP50.Median },
				" p99": func(s ForwardSummary) float64 { return s.LatencyP99.Median },
			}, 0)
		if err != nil {
			return files, err
		}
		files = append(files, cpu, lat)
	}
	return files, nil
}

func drawPlot(path, title, xlabel, ylabel string, sums []ForwardSummary,
	series map[string]func(ForwardSummary) float64, floor float64) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	lines := map[string]plotter.XYs{}
	maxX, maxY := 0.0, floor
	for _, s := range sums {
		for suffix, f := range series {
			name := s.Target + suffix
			lines[name] = append(lines[name], plotter.XY{X: float64(s.Load), Y: f(s)})
			maxX, maxY = max(maxX, float64(s.Load)), max(maxY, f(s))
		}
	}
	names := make([]string, 0, len(lines))
	for n := range lines {
		names = append(names, n)
	}
	sort.Strings(names)
	var args []any
	for _, n := range names {
		xy := lines[n]
		sort.Slice(xy, func(i, j int) bool { return xy[i].X < xy[j].X })
		args = append(args, n, xy)
	}
	if err := plotutil.AddLinePoints(p, args...); err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	if floor > 0 {
		fl, err := plotter.NewLine(plotter.XYs{{X: 0, Y: floor}, {X: maxX, Y: floor}})
		if err != nil {
			return err
		}
		fl.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}
		p.Add(fl)
		p.Legend.Add("floor (SRTP + UDP send)", fl)
	}
	// Room above the data for the legend.
	p.X.Min, p.Y.Min, p.Y.Max = 0, 0, maxY*1.4
	p.Legend.Top, p.Legend.Left = true, true
	return p.Save(7*vg.Inch, 4.5*vg.Inch, path)
}
