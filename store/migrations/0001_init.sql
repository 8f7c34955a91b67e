-- Users, groups, members and the call log. Times are unix milliseconds;
-- NULL means "not yet" (never joined, not ended, not left).

CREATE TABLE users (
	uid        TEXT    NOT NULL PRIMARY KEY,
	name       TEXT    NOT NULL,
	avatar     TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE groups (
	guid       TEXT    NOT NULL PRIMARY KEY,
	name       TEXT    NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE group_members (
	guid     TEXT    NOT NULL REFERENCES groups(guid) ON DELETE CASCADE,
	uid      TEXT    NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	added_at INTEGER NOT NULL,
	PRIMARY KEY (guid, uid)
);
CREATE INDEX group_members_by_uid ON group_members(uid, guid);

-- Calls do not reference users: a call log outlives changes to the
-- directory, and the ringing flow may see users the admin API never created.
CREATE TABLE calls (
	session_id    TEXT    NOT NULL PRIMARY KEY,
	call_type     TEXT    NOT NULL,
	receiver_type TEXT    NOT NULL,
	initiator_uid TEXT    NOT NULL,
	receiver_id   TEXT    NOT NULL,
	status        TEXT    NOT NULL,
	initiated_at  INTEGER NOT NULL,
	joined_at     INTEGER,
	ended_at      INTEGER,
	timeout_s     INTEGER NOT NULL DEFAULT 0,
	end_reason    TEXT    NOT NULL DEFAULT ''
);
-- The call log query (ListCalls) reads a user's newest calls through these.
CREATE INDEX calls_by_initiator ON calls(initiator_uid, initiated_at DESC, session_id DESC);
CREATE INDEX calls_by_receiver ON calls(receiver_id, initiated_at DESC, session_id DESC);
CREATE INDEX calls_open ON calls(status) WHERE status IN ('initiated', 'ongoing');

CREATE TABLE call_participants (
	session_id TEXT    NOT NULL REFERENCES calls(session_id) ON DELETE CASCADE,
	uid        TEXT    NOT NULL,
	pos        INTEGER NOT NULL,
	status     TEXT    NOT NULL,
	joined_at  INTEGER,
	left_at    INTEGER,
	-- a copy of calls.initiated_at, so a user's log is read newest first
	-- from the index below
	initiated_at INTEGER NOT NULL,
	PRIMARY KEY (session_id, uid)
);
CREATE INDEX call_participants_by_uid ON call_participants(uid, initiated_at DESC, session_id DESC);
