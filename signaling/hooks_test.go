package signaling

import (
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// hooks returns and clears the pending hooks as "type>uid(reason)#seq".
func (x *mtest) hooks() string {
	var out []string
	for _, e := range x.m.fx {
		if e.kind != fxHook {
			continue
		}
		s := e.event
		if e.uid != "" {
			s += ">" + e.uid
		}
		if e.reason != "" {
			s += "(" + e.reason + ")"
		}
		if e.seq > 0 {
			s += "#" + string(rune('0'+e.seq))
		}
		out = append(out, s)
	}
	x.m.fx = x.m.fx[:0]
	return strings.Join(out, " ")
}

func hooked(t *testing.T) *mtest {
	x := newM(t)
	x.m.hooks = true
	return x
}

func TestHooksOfCalls(t *testing.T) {
	type step func(x *mtest) string
	tests := []struct {
		name  string
		steps []step
		want  []string
	}{
		{"1:1 answered and ended", []step{
			func(x *mtest) string { x.initiate("s", "alice", protocol.ReceiverUser, "bob"); return x.hooks() },
			func(x *mtest) string { x.ok(x.m.ack(t0, "s", "bob")); return x.hooks() },
			func(x *mtest) string { x.ok(x.m.accept(t0, "s", "bob")); return x.hooks() },
			func(x *mtest) string {
				x.ok(x.m.end(t0.Add(time.Minute), "s", "alice", protocol.ReasonEnded))
				return x.hooks()
			},
		}, []string{
			"call.initiated#1 ring>bob",
			"call.ringing>bob#2",
			"call.accepted>bob#3 participant.joined>alice#4 participant.joined>bob#5 stopRinging>bob(answeredElsewhere)",
			"participant.left>alice(ended)#6 participant.left>bob(ended)#7 call.ended(ended)#8",
		}},
		{"1:1 unanswered", []step{
			func(x *mtest) string { x.initiate("s", "alice", protocol.ReceiverUser, "bob"); return x.hooks() },
			func(x *mtest) string { x.m.timeout(t0.Add(time.Hour), "s"); return x.hooks() },
		}, []string{
			"call.initiated#1 ring>bob",
			"stopRinging>bob(unanswered) call.missed>bob(unanswered)#2 call.unanswered(unanswered)#3",
		}},
		{"1:1 rejected", []step{
			func(x *mtest) string { x.initiate("s", "alice", protocol.ReceiverUser, "bob"); return x.hooks() },
			func(x *mtest) string { x.ok(x.m.reject(t0, "s", "bob", protocol.StatusRejected)); return x.hooks() },
		}, []string{
			"call.initiated#1 ring>bob",
			"stopRinging>bob(rejectedElsewhere) call.rejected(rejected)#2",
		}},
		{"1:1 cancelled", []step{
			func(x *mtest) string { x.initiate("s", "alice", protocol.ReceiverUser, "bob"); return x.hooks() },
			func(x *mtest) string { x.ok(x.m.reject(t0, "s", "alice", protocol.StatusCancelled)); return x.hooks() },
		}, []string{
			"call.initiated#1 ring>bob",
			"stopRinging>bob(cancelled) call.cancelled(cancelled)#2",
		}},
		{"group: one answers, one misses", []step{
			func(x *mtest) string {
				x.initiate("g", "alice", protocol.ReceiverGroup, "team", "alice", "bob", "carol")
				return x.hooks()
			},
			func(x *mtest) string { x.ok(x.m.accept(t0, "g", "bob")); return x.hooks() },
			func(x *mtest) string { x.m.timeout(t0.Add(time.Hour), "g"); return x.hooks() },
		}, []string{
			"call.initiated#1 ring>bob ring>carol",
			"call.accepted>bob#2 participant.joined>alice#3 participant.joined>bob#4 stopRinging>bob(answeredElsewhere)",
			"stopRinging>carol(unanswered) call.missed>carol(unanswered)#5",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := hooked(t)
			for i, s := range tc.steps {
				if got := s(x); got != tc.want[i] {
					t.Fatalf("step %d hooks\n got %s\nwant %s", i, got, tc.want[i])
				}
			}
		})
	}
}

func TestNoHooksWhenOff(t *testing.T) {
	x := newM(t)
	x.initiate("s", "alice", protocol.ReceiverUser, "bob")
	if h := x.hooks(); h != "" {
		t.Fatalf("hooks %q with no Notifier", h)
	}
}

func TestClientRequestIDWithinRingWindow(t *testing.T) {
	x := newM(t)
	req := initiateReq{sessionID: "s1", caller: "alice", receiverType: protocol.ReceiverUser, receiver: "bob",
		callType: protocol.CallAudio, requestID: "r1"}
	c1, _, err := x.m.initiate(t0, req)
	if err != nil {
		t.Fatal(err)
	}
	x.ok(x.m.reject(t0, "s1", "alice", protocol.StatusCancelled))
	req.sessionID = "s2"
	if c := x.m.repeated(t0.Add(10*time.Second), "alice", "r1"); c != c1 {
		t.Fatal("a retry within the ring window did not find the first call")
	}
	if c := x.m.repeated(t0.Add(46*time.Second), "alice", "r1"); c != nil {
		t.Fatal("a retry after the ring window found the old call")
	}
	if c := x.m.repeated(t0, "bob", "r1"); c != nil {
		t.Fatal("another user's request id matched")
	}
}
