package store

import (
	"context"
	"time"
)

// User is a person who can call and be called.
type User struct {
	UID       string    `json:"uid"`
	Name      string    `json:"name"`
	Avatar    string    `json:"avatar,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	// Disabled users (by the app's backend, the admin API) are locked out:
	// their tokens are refused and nobody can call them. DisabledAt is
	// when (zero while enabled).
	Disabled   bool      `json:"disabled"`
	DisabledAt time.Time `json:"disabledAt,omitzero"`
}

// Group is a set of users that can be called together.
type Group struct {
	GUID      string    `json:"guid"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
	Members   int       `json:"membersCount"`
}

// Call is one call session as persisted for the call log.
type Call struct {
	SessionID    string // unique
	CallType     string // audio | video
	ReceiverType string // user | group
	InitiatorUID string
	ReceiverID   string // uid or guid
	Status       string // initiated, ongoing, busy, rejected, cancelled, ended, unanswered
	InitiatedAt  time.Time
	JoinedAt     time.Time // zero if never answered
	EndedAt      time.Time // zero while not ended
	Timeout      int       // ring timeout, seconds
	EndReason    string
	Participants []Participant
}

// Participant is one user's part in a call.
type Participant struct {
	UID      string
	Status   string // per-user status, e.g. initiated, ongoing, rejected, busy, missed, left
	JoinedAt time.Time
	LeftAt   time.Time
	Earlier  time.Duration // in the call before JoinedAt (a group member who left and joined again)
}

// CallQuery selects a user's call log, newest first.
type CallQuery struct {
	UID    string    // whose log: calls the user initiated, received, or took part in
	Limit  int       // 1..100 (0 means 50)
	Before time.Time // only calls initiated strictly before (zero: no bound)
	// BeforeSessionID, with Before, also takes the calls initiated in
	// Before's millisecond whose session id sorts before it: the position
	// after the last call of a page, (InitiatedAt, SessionID), so that a
	// page boundary inside calls of one millisecond loses none of them.
	BeforeSessionID string
	Status          string // optional filter on the stored call status
}

// Page limits for list queries.
type Page struct {
	Limit int    // 1..100 (0 means 50)
	After string // return ids strictly greater than this (keyset pagination)
}

// UserEdit is a change to a user's profile: a nil field stays as it is; an
// empty Avatar removes the avatar (a name cannot be empty). Disabled locks
// the user out (true; disabling again keeps the first DisabledAt) or lets
// them back (false).
type UserEdit struct {
	Name, Avatar *string
	Disabled     *bool
}

// Store is everything switchboard persists. Implementations are safe for
// concurrent use. Errors wrap the sentinels in errors.go.
type Store interface {
	CreateUser(ctx context.Context, u User) (User, error)                 // ErrConflict if uid exists
	UpsertUser(ctx context.Context, u User) (User, error)                 // create or update name/avatar
	UpdateUser(ctx context.Context, uid string, e UserEdit) (User, error) // ErrNotFound if missing
	EraseUser(ctx context.Context, uid string) (User, error)              // personal data gone, left disabled; ErrNotFound if missing
	GetUser(ctx context.Context, uid string) (User, error)
	ListUsers(ctx context.Context, p Page) ([]User, error)

	CreateGroup(ctx context.Context, g Group) (Group, error) // ErrConflict if guid exists
	GetGroup(ctx context.Context, guid string) (Group, error)
	RenameGroup(ctx context.Context, guid, name string) (Group, error) // ErrNotFound if missing
	ListGroups(ctx context.Context, p Page) ([]Group, error)
	DeleteGroup(ctx context.Context, guid string) error               // also removes its members
	AddMembers(ctx context.Context, guid string, uids []string) error // all or nothing; ErrNotFound names a missing user
	RemoveMember(ctx context.Context, guid, uid string) error
	ListMembers(ctx context.Context, guid string) ([]User, error)
	GroupsOf(ctx context.Context, uid string) ([]Group, error)

	// SaveCall inserts or replaces a call and all its participants atomically.
	SaveCall(ctx context.Context, c Call) error
	// SaveCalls saves several calls as SaveCall does, in order, in one
	// transaction: all of them or none (an invalid call fails the batch).
	SaveCalls(ctx context.Context, calls []Call) error
	GetCall(ctx context.Context, sessionID string) (Call, error)
	ListCalls(ctx context.Context, q CallQuery) ([]Call, error)
	// ListOpenCalls is every user's calls still initiated or ongoing,
	// newest first (q.UID empty).
	ListOpenCalls(ctx context.Context, q CallQuery) ([]Call, error)
	// CloseOpenCalls ends every call still initiated or ongoing (after a
	// crash or restart) with the given reason, and returns them as closed.
	CloseOpenCalls(ctx context.Context, reason string, at time.Time) ([]Call, error)

	// SaveQuality stores one participant's media session quality (ErrInvalid: a bad field).
	SaveQuality(ctx context.Context, q Quality) error
	// CallQuality returns the quality rows of up to MaxQualitySessions calls.
	CallQuality(ctx context.Context, sessionIDs []string) ([]Quality, error)

	// PutDevice registers or updates a push target, one row per (uid,
	// device id, kind) (ErrInvalid: a bad field, or the user already has
	// MaxDevicesPerUser installs). A token registered before by another
	// device moves to this one; an fcm row and apns rows replace each
	// other within an install.
	PutDevice(ctx context.Context, d Device) (Device, error)
	// DeleteDevice removes every kind of an install (kind empty) or the
	// row of one kind; ErrNotFound if there was none.
	DeleteDevice(ctx context.Context, uid, deviceID, kind string) error
	// DeleteDeviceToken removes the row with a token the provider
	// reported dead, and says whether there was one.
	DeleteDeviceToken(ctx context.Context, kind, token string) (bool, error)
	ListDevices(ctx context.Context, uid string) ([]Device, error)

	// EnqueueOutbox stores items as pending, all or none, and returns them
	// with their ids; a known event id is skipped.
	EnqueueOutbox(ctx context.Context, items []OutboxItem) ([]OutboxItem, error)
	// SaveCallsOutbox saves calls as SaveCalls does and enqueues items as
	// EnqueueOutbox does, in one transaction: all or none (the call writer
	// commits the outbox's items with its snapshots: one commit, not two).
	SaveCallsOutbox(ctx context.Context, calls []Call, items []OutboxItem) ([]OutboxItem, error)
	// PendingOutbox returns up to limit pending items with ids above
	// afterID, in id order, whichever node delivers them.
	PendingOutbox(ctx context.Context, afterID int64, limit int) ([]OutboxItem, error)
	// PendingOutboxOf is PendingOutbox for the items node delivers.
	PendingOutboxOf(ctx context.Context, node string, afterID int64, limit int) ([]OutboxItem, error)
	// ClaimOutbox makes node the one that delivers the pending items among
	// ids (taken over from a node that is gone).
	ClaimOutbox(ctx context.Context, node string, ids []int64) error
	// OutboxEventsPresent reports which of eventIDs are the event ids of
	// outbox items, in any state (at most 100 ids: ErrInvalid above).
	OutboxEventsPresent(ctx context.Context, eventIDs []string) (map[string]bool, error)
	// FinishOutbox records delivery attempts: delivered, failed, or pending
	// again at a retry time.
	FinishOutbox(ctx context.Context, results []OutboxResult) error
	ListOutbox(ctx context.Context, q OutboxQuery) ([]OutboxItem, error)
	// ReplayOutbox makes a delivered or failed item pending again, due now,
	// with a new deadline, delivered by node (ErrNotFound; ErrInvalid if
	// still pending).
	ReplayOutbox(ctx context.Context, id int64, deadline time.Time, node string) (OutboxItem, error)
	// PruneOutbox deletes items done (delivered or failed) before cutoff.
	PruneOutbox(ctx context.Context, cutoff time.Time) (int, error)

	Close() error
}
