package client

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// uidsOf is who a session lists as in the call, with their audio mutes.
func uidsOf(p *peer) []string {
	var out []string
	for _, m := range p.Participants() {
		s := m.UID
		if m.Muted[protocol.KindAudio] {
			s += "(muted)"
		}
		out = append(out, s)
	}
	return out
}

// Participants is who else is in the call, kept up to date: those there at
// join, who joins, who mutes, who leaves.
func TestParticipantsKeptUpToDate(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "s1", MediaOptions{})
	bob := ts.join(t, "bob", "s1", MediaOptions{Audio: true})
	if got := uidsOf(bob); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("bob's participants at join: %v, want [alice]", got)
	}
	eventually(t, "alice lists bob", func() bool { return slices.Equal(uidsOf(alice), []string{"bob"}) })
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := bob.Mute(ctx, protocol.KindAudio, true); err != nil {
		t.Fatal(err)
	}
	eventually(t, "alice lists bob muted", func() bool { return slices.Equal(uidsOf(alice), []string{"bob(muted)"}) })
	carol := ts.join(t, "carol", "s1", MediaOptions{})
	if got := uidsOf(carol); !slices.Equal(got, []string{"alice", "bob(muted)"}) && !slices.Equal(got, []string{"bob(muted)", "alice"}) {
		t.Errorf("carol's participants at join: %v, want alice and bob (muted)", got)
	}
	eventually(t, "alice lists bob and carol", func() bool { return slices.Equal(uidsOf(alice), []string{"bob(muted)", "carol"}) })
	if err := bob.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "alice lists only carol", func() bool { return slices.Equal(uidsOf(alice), []string{"carol"}) })
	// the caller's copy is its own
	ps := alice.Participants()
	ps[0].UID, ps[0].Muted = "mallory", map[string]bool{protocol.KindAudio: true}
	if got := uidsOf(alice); !slices.Equal(got, []string{"carol"}) {
		t.Errorf("changing Participants' result changed the session's list: %v", got)
	}
}

// A received track's sender reports map its RTP time to the server's wall
// clock: a recorder lines a participant's audio and video up with
// WallClock. (The server and this test share one clock.)
func TestSenderReportsMapRTPTimeToWallClock(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "s1", MediaOptions{Audio: true, Video: "vp8"})
	type last struct {
		ts uint32
		at time.Time
	}
	var mu sync.Mutex
	first, latest := map[*RemoteTrack]last{}, map[*RemoteTrack]last{}
	reports := map[*RemoteTrack]int{}
	bob := ts.join(t, "bob", "s1", MediaOptions{
		OnPacket: func(rt *RemoteTrack, p *rtp.Packet, at time.Time) {
			mu.Lock()
			if _, ok := first[rt]; !ok {
				first[rt] = last{p.Timestamp, at}
			}
			latest[rt] = last{p.Timestamp, at}
			mu.Unlock()
		},
		OnRTCP: func(rt *RemoteTrack, pkts []rtcp.Packet) {
			for _, p := range pkts {
				if _, ok := p.(*rtcp.SenderReport); ok {
					mu.Lock()
					reports[rt]++
					mu.Unlock()
				}
			}
		},
	})
	// real time on the wire: 5 ms of each clock every 5 ms
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	for _, lt := range alice.LocalTracks() {
		ticks := uint32(90000 / 200)
		if lt.Kind == protocol.KindAudio {
			ticks = 48000 / 200
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			payload := make([]byte, 200)
			start := time.Now()
			var sent uint32
			for {
				select {
				case <-ctx.Done():
					return
				case now := <-tick.C:
					// the clock's ticks since the start, however late the ticker ran
					due := uint32(now.Sub(start) / (5 * time.Millisecond))
					_ = lt.Write(payload, (due-sent)*ticks, true)
					sent = due
				}
			}
		}()
	}
	// three reports each (about 3 s): the first packets are seconds from the last report, so
	// a wrong clock rate or NTP conversion shows
	eventually(t, "three sender reports of alice's audio and of her video", func() bool {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, rt := range bob.RemoteTracks() {
			if _, ok := rt.SenderReport(); ok && reports[rt] >= 3 {
				n++
			}
		}
		return n == 2
	})
	for _, rt := range bob.RemoteTracks() {
		sr, _ := rt.SenderReport()
		if sr.Packets == 0 || sr.Arrival.Before(sr.NTPTime) || sr.Arrival.Sub(sr.NTPTime) > 2*time.Second {
			t.Errorf("%s: sender report %+v: want packets counted, sent before it arrived", rt.Kind, sr)
		}
		mu.Lock()
		pkts := []last{first[rt], latest[rt]}
		mu.Unlock()
		for i, l := range pkts {
			wall, ok := rt.WallClock(l.ts)
			d := l.at.Sub(wall)
			t.Logf("%s packet %d: arrived %v after its time by the sender report", rt.Kind, i, d)
			if !ok || d < -400*time.Millisecond || d > 400*time.Millisecond {
				t.Errorf("%s: a packet that arrived at %v is at %v by the sender report (%v apart): the mapping is wrong", rt.Kind, l.at.Format(time.StampMilli), wall.Format(time.StampMilli), d)
			}
		}
	}
}
