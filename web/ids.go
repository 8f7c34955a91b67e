package web

import (
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// validateID checks a uid/guid with store.ValidateID; the error is a
// bad_request *protocol.Error naming what and the rule.
func validateID(what, id string) error {
	if err := store.ValidateID(what, id); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%s", trimSentinel(err, store.ErrInvalid))
	}
	return nil
}

// validateName checks a display name with store.ValidateName.
func validateName(what, name string) error {
	if err := store.ValidateName(what, name); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%s", trimSentinel(err, store.ErrInvalid))
	}
	return nil
}
