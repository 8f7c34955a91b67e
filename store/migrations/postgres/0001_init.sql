-- PostgreSQL twin of ../0001_init.sql: the same tables, columns and
-- indexes; times are unix milliseconds in BIGINT (NULL: "not yet").

CREATE TABLE users (
	uid        TEXT   NOT NULL PRIMARY KEY,
	name       TEXT   NOT NULL,
	avatar     TEXT   NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

CREATE TABLE groups (
	guid       TEXT   NOT NULL PRIMARY KEY,
	name       TEXT   NOT NULL,
	created_at BIGINT NOT NULL
);

CREATE TABLE group_members (
	guid     TEXT   NOT NULL REFERENCES groups(guid) ON DELETE CASCADE,
	uid      TEXT   NOT NULL REFERENCES users(uid) ON DELETE CASCADE,
	added_at BIGINT NOT NULL,
	PRIMARY KEY (guid, uid)
);
CREATE INDEX group_members_by_uid ON group_members(uid, guid);

CREATE TABLE calls (
	session_id    TEXT   NOT NULL PRIMARY KEY,
	call_type     TEXT   NOT NULL,
	receiver_type TEXT   NOT NULL,
	initiator_uid TEXT   NOT NULL,
	receiver_id   TEXT   NOT NULL,
	status        TEXT   NOT NULL,
	initiated_at  BIGINT NOT NULL,
	joined_at     BIGINT,
	ended_at      BIGINT,
	timeout_s     BIGINT NOT NULL DEFAULT 0,
	end_reason    TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX calls_by_initiator ON calls(initiator_uid, initiated_at DESC, session_id DESC);
CREATE INDEX calls_by_receiver ON calls(receiver_id, initiated_at DESC, session_id DESC);
CREATE INDEX calls_open ON calls(status) WHERE status IN ('initiated', 'ongoing');

CREATE TABLE call_participants (
	session_id   TEXT   NOT NULL REFERENCES calls(session_id) ON DELETE CASCADE,
	uid          TEXT   NOT NULL,
	pos          BIGINT NOT NULL,
	status       TEXT   NOT NULL,
	joined_at    BIGINT,
	left_at      BIGINT,
	initiated_at BIGINT NOT NULL,
	PRIMARY KEY (session_id, uid)
);
CREATE INDEX call_participants_by_uid ON call_participants(uid, initiated_at DESC, session_id DESC);
