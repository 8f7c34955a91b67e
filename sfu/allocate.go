package sfu

import (
	"fmt"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// subscription is what a subscriber asked of one received track
// (trackSettings). Room goroutine only.
type subscription struct {
	paused        bool
	pin           int32 // layer pinned, noLayer: the server chooses
	width, height int
}

func defaultSubscription() subscription { return subscription{pin: noLayer} }

// pinnedLayer maps trackSettings' layer name to an index.
func pinnedLayer(name string) (int32, error) {
	switch name {
	case "":
		return noLayer, nil
	case protocol.LayerLow:
		return 0, nil
	case protocol.LayerMedium:
		return 1, nil
	case protocol.LayerHigh:
		return 2, nil
	}
	return noLayer, fmt.Errorf("%w: %q", ErrBadLayer, name)
}

func (r *room) trackSettings(p *participant, m protocol.Message) error {
	var in protocol.TrackSettings
	if err := protocol.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	d := p.downs[in.TrackID]
	if d == nil {
		return fmt.Errorf("%w: %q", ErrUnknownTrack, in.TrackID)
	}
	pin, err := pinnedLayer(in.Layer)
	if err != nil {
		return err
	}
	if in.Width < 0 || in.Height < 0 || in.Width > 16384 || in.Height > 16384 {
		return ErrBadSize
	}
	d.sub = subscription{paused: in.Paused, pin: pin, width: in.Width, height: in.Height}
	if err := p.conn.Reply(m.ID, struct{}{}); err != nil {
		return err
	}
	r.allocate(p)
	return nil
}

// layersChanged re-chooses the layer of every subscriber of up.
func (r *room) layersChanged(up *upTrack) {
	for _, q := range r.parts {
		if q.downs[up.id] != nil {
			r.allocate(q)
		}
	}
}

// allocate chooses the layer each of q's down-tracks forwards.
func (r *room) allocate(q *participant) {
	for _, d := range q.downs {
		d.setTarget(wantedLayer(d))
	}
}

// wantedLayer is the layer a subscriber asked for, bandwidth aside:
// nothing when paused, the pinned one (or the nearest below it), else
// the highest.
func wantedLayer(d *downTrack) int32 {
	s := d.sub
	switch {
	case s.paused:
		return noLayer
	case s.pin != noLayer:
		if l := d.up.best(s.pin); l != noLayer {
			return l
		}
		return d.up.lowest()
	}
	return d.up.best(maxLayers - 1)
}
