package store

import (
	"fmt"
	"slices"
	"strings"
)

var callStatuses = []string{CallInitiated, CallOngoing, CallBusy, CallRejected, CallCancelled, CallEnded, CallUnanswered}

func knownCallStatus(s string) bool { return slices.Contains(callStatuses, s) }

// Bounds on free-text call fields, in bytes.
const (
	maxEndReasonLen = 200
	maxStatusLen    = 32
)

// validateCall checks everything SaveCall stores.
func validateCall(c Call) error {
	if err := ValidateID("session id", c.SessionID); err != nil {
		return err
	}
	if c.CallType != "audio" && c.CallType != "video" {
		return fmt.Errorf("%w: call type %q; use audio or video", ErrInvalid, c.CallType)
	}
	if c.ReceiverType != "user" && c.ReceiverType != "group" {
		return fmt.Errorf("%w: receiver type %q; use user or group", ErrInvalid, c.ReceiverType)
	}
	if err := ValidateID("initiator uid", c.InitiatorUID); err != nil {
		return err
	}
	if err := ValidateID("receiver id", c.ReceiverID); err != nil {
		return err
	}
	if !knownCallStatus(c.Status) {
		return fmt.Errorf("%w: call status %q; use one of %s", ErrInvalid, c.Status, strings.Join(callStatuses, ", "))
	}
	if c.InitiatedAt.IsZero() {
		return fmt.Errorf("%w: call %q has no InitiatedAt", ErrInvalid, c.SessionID)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("%w: call timeout %d is negative", ErrInvalid, c.Timeout)
	}
	if err := validateEndReason(c.EndReason); err != nil {
		return err
	}
	return validateParticipants(c.Participants)
}

func validateParticipants(ps []Participant) error {
	seen := make(map[string]bool, len(ps))
	for _, p := range ps {
		if err := ValidateID("participant uid", p.UID); err != nil {
			return err
		}
		if seen[p.UID] {
			return fmt.Errorf("%w: participant %q appears twice", ErrInvalid, p.UID)
		}
		seen[p.UID] = true
		if p.Status == "" || len(p.Status) > maxStatusLen {
			return fmt.Errorf("%w: participant %q status %q; use 1..%d characters", ErrInvalid, p.UID, p.Status, maxStatusLen)
		}
	}
	return nil
}

func validateEndReason(r string) error {
	if len(r) > maxEndReasonLen {
		return fmt.Errorf("%w: end reason is %d bytes long; the limit is %d", ErrInvalid, len(r), maxEndReasonLen)
	}
	return nil
}
