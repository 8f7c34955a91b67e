package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// TestReportFailedSaysWhatFailed: a request the session makes on its own
// (subscriberAnswer, restartIce, an ICE-restart publishOffer) that fails
// reaches OnEvent as a MediaError in the server's words, or as unavailable
// when the server did not answer in time, or as internal naming the local
// failure; one cut by a lost socket is not reported (the session resumes
// and the server offers again, or it ends and Err says why). Before, every
// failure that was not the server's own error read "internal error".
func TestReportFailedSaysWhatFailed(t *testing.T) {
	var got []*protocol.Error
	s := &Session{gotJoin: true, events: newWorkQueue()}
	s.opts.OnEvent = func(ev MediaEvent) { got = append(got, ev.Error) }
	for _, c := range []struct {
		err      error
		code     string
		contains string
	}{
		{fmt.Errorf("%w: %v", ErrClosed, errors.New("websocket: status 1006")), "", ""},
		{protocol.Errorf(protocol.CodeInvalidState, "no offer to answer"), protocol.CodeInvalidState, "no offer to answer"},
		{fmt.Errorf("call subscriberAnswer: %w", context.DeadlineExceeded), protocol.CodeUnavailable, "no answer from the server in time"},
		{errors.New("InvalidModificationError: rollback"), protocol.CodeInternal, "InvalidModificationError: rollback"},
	} {
		got = nil
		s.reportFailed(c.err)
		s.events.runAll() // what dispatch does
		switch {
		case c.code == "" && len(got) != 0:
			t.Errorf("%v: reported %+v, want nothing", c.err, got[0])
		case c.code != "" && (len(got) != 1 || got[0].Code != c.code || !strings.Contains(got[0].Message, c.contains)):
			t.Errorf("%v: reported %+v, want one %s naming %q", c.err, got, c.code, c.contains)
		}
	}
}
