package sfu

import (
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// muteFanout coalesces one participant's muteChanged events: at most one
// per kind per Config.MuteInterval reaches the others, always carrying the
// latest state, so a participant toggling mute in a loop costs the others
// a few small frames per second. Room goroutine only (its timer pushes to
// the room's mailbox).
type muteFanout struct {
	sent  map[string]bool        // by kind: the state the others last heard
	at    map[string]time.Time   // by kind: when it was sent
	timer map[string]*time.Timer // by kind: a coalesced send is due
}

func newMuteFanout() muteFanout {
	return muteFanout{
		sent:  map[string]bool{protocol.KindAudio: false, protocol.KindVideo: false},
		at:    map[string]time.Time{},
		timer: map[string]*time.Timer{},
	}
}

// announceMute tells the others p's current mute state of kind unless
// they know it already; within the interval since the last send it
// schedules one send at the interval's end instead.
func (r *room) announceMute(p *participant, kind string) {
	f := &p.mutes
	if f.timer[kind] != nil || f.sent[kind] == p.muted[kind] {
		return // a send is due (it will carry the latest state), or nothing changed
	}
	now := time.Now()
	if wait := r.srv.cfg.MuteInterval - now.Sub(f.at[kind]); wait > 0 {
		f.timer[kind] = time.AfterFunc(wait, func() {
			r.box.push(func() {
				delete(f.timer, kind)
				if r.current(p) {
					r.announceMute(p, kind)
				}
			})
		})
		return
	}
	f.sent[kind], f.at[kind] = p.muted[kind], now
	r.broadcast(protocol.EventMuteChanged, protocol.Mute{UID: p.uid, Kind: kind, Muted: p.muted[kind]}, p)
}

// noLimitIfZero maps a config rate (0: no limit) to protocol.Options' (< 0).
func noLimitIfZero(rate float64) float64 {
	if rate == 0 {
		return -1
	}
	return rate
}

// stop cancels the coalesced sends still due.
func (f *muteFanout) stop() {
	for kind, t := range f.timer {
		if t != nil {
			t.Stop()
		}
		delete(f.timer, kind)
	}
}
