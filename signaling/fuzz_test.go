package signaling

import (
	"fmt"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// FuzzMachine drives the ringing machine with a random sequence of events
// (each input byte pair is one: initiate 1:1 or group, accept, reject,
// cancel, end, timeout, a user gone, time passing) among four users and
// checks after every step: a call's terminal status never changes once
// reached (one terminal state per call, no transition after it), a user
// is joined (ongoing) in at most one call, and the machine's counters
// match its calls.
func FuzzMachine(f *testing.F) {
	for _, seed := range [][]byte{
		{0, 1, 2, 1, 4, 1},               // initiate, accept, end
		{0, 1, 3, 1},                     // initiate, reject
		{1, 0, 2, 1, 2, 2, 4, 0, 7, 255}, // group call, two accept, end, time
		{0, 1, 0, 2, 2, 1, 2, 2, 6, 1},   // glare-ish, user gone
		{0, 1, 7, 200, 5, 0, 2, 1, 4, 1}, // timeout then late accept
	} {
		f.Add(seed)
	}
	users := []string{"u0", "u1", "u2", "u3"}
	f.Fuzz(func(t *testing.T, ops []byte) {
		cfg := DefaultConfig()
		cfg.AutoBusy = len(ops)%2 == 0
		m := newMachine(cfg)
		now := t0
		var sids []string
		final := map[string]string{} // sid -> terminal status once reached
		for i := 0; i+1 < len(ops); i += 2 {
			op, arg := ops[i]%8, int(ops[i+1])
			uid := users[arg%len(users)]
			sid := ""
			if len(sids) > 0 {
				sid = sids[arg%len(sids)]
			}
			switch op {
			case 0:
				id := fmt.Sprintf("s%d", i)
				to := users[(arg/4+1+arg%len(users))%len(users)]
				if _, _, err := m.initiate(now, initiateReq{sessionID: id, caller: uid, receiverType: protocol.ReceiverUser,
					receiver: to, callType: protocol.CallAudio}); err == nil {
					sids = append(sids, id)
				}
			case 1:
				id := fmt.Sprintf("s%d", i)
				if _, _, err := m.initiate(now, initiateReq{sessionID: id, caller: uid, receiverType: protocol.ReceiverGroup,
					receiver: "g", members: users, callType: protocol.CallVideo}); err == nil {
					sids = append(sids, id)
				}
			case 2:
				_, _ = m.accept(now, sid, uid)
			case 3:
				_, _ = m.reject(now, sid, uid, protocol.StatusRejected)
			case 4:
				_, _ = m.end(now, sid, uid, protocol.ReasonEnded)
			case 5:
				if c := m.calls[sid]; c != nil && !c.terminal() {
					now = now.Add(c.deadline.Sub(now))
					m.timeout(now, sid)
				}
			case 6:
				m.userGone(now, uid, now.Add(-time.Duration(arg)*time.Second), func(_, _ string) bool { return arg%2 == 0 }) // in media or not
			case 7:
				now = now.Add(time.Duration(arg) * time.Second)
				m.prune(now)
			}
			m.fx = m.fx[:0]
			checkMachine(t, m, final)
		}
	})
}

func checkMachine(t *testing.T, m *machine, final map[string]string) {
	t.Helper()
	ringing, ongoing := 0, 0
	joined := map[string]string{}
	for id, c := range m.calls {
		if was, ok := final[id]; ok && was != c.status {
			t.Fatalf("call %s changed from terminal %s to %s", id, was, c.status)
		}
		switch {
		case c.terminal():
			final[id] = c.status
			for _, p := range c.parts {
				if p.status == protocol.StatusOngoing || p.status == protocol.StatusInitiated {
					t.Fatalf("call %s is %s but %s is still %s", id, c.status, p.uid, p.status)
				}
			}
		case c.status == protocol.StatusInitiated:
			ringing++
		default:
			ongoing++
		}
		for _, p := range c.parts {
			if p.status == protocol.StatusOngoing {
				if other, ok := joined[p.uid]; ok {
					t.Fatalf("user %s is in two calls: %s and %s", p.uid, other, id)
				}
				joined[p.uid] = id
			}
		}
	}
	if ringing != m.ringing || ongoing != m.ongoing {
		t.Fatalf("counters ringing %d ongoing %d, calls say %d and %d", m.ringing, m.ongoing, ringing, ongoing)
	}
	for uid, list := range m.users {
		for _, c := range list {
			if c.terminal() {
				t.Fatalf("user %s still linked to %s call %s", uid, c.status, c.id)
			}
		}
	}
}
