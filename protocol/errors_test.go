package protocol_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

func TestAsError(t *testing.T) {
	sentinel := protocol.NewSentinel(protocol.CodeForbidden, "not allowed")
	cases := []struct {
		err     error
		code    string
		message string
	}{
		{protocol.Errorf(protocol.CodeConflict, "x"), protocol.CodeConflict, "x"},
		{fmt.Errorf("call s1: %w", sentinel), protocol.CodeForbidden, "call s1: not allowed"},
		{fmt.Errorf("user bob: %w", store.ErrNotFound), protocol.CodeNotFound, "user bob: not found"},
		{store.ErrConflict, protocol.CodeConflict, "already exists"},
		{store.ErrInvalid, protocol.CodeBadRequest, "invalid"},
		{errors.New("disk on fire"), protocol.CodeInternal, "internal error"},
		{protocol.NewSentinel(protocol.CodeInternal, "secret detail"), protocol.CodeInternal, "internal error"},
	}
	for _, c := range cases {
		got := protocol.AsError(c.err)
		if got.Code != c.code || got.Message != c.message {
			t.Errorf("AsError(%v) = %s %q, want %s %q", c.err, got.Code, got.Message, c.code, c.message)
		}
	}
}
