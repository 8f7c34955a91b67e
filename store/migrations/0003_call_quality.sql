-- Media quality: one row per participant's media session of a call (join
-- to leave; a rejoin is another row), written when it ends. Loss is a
-- fraction 0-1, times unix ms, bitrates bit/s; a figure that could not be
-- measured is NULL. No foreign key: the media side may finish before the
-- ringing side has saved the call.
CREATE TABLE call_quality (
	id                 INTEGER PRIMARY KEY AUTOINCREMENT,
	session_id         TEXT    NOT NULL,
	uid                TEXT    NOT NULL,
	joined_at          INTEGER NOT NULL,
	left_at            INTEGER NOT NULL,
	rating             TEXT    NOT NULL,
	mos                REAL    NOT NULL,
	loss_sent          REAL,
	loss_received      REAL,
	jitter_sent_ms     REAL,
	jitter_received_ms REAL,
	rtt_ms             REAL,
	bitrate_sent       INTEGER NOT NULL,
	bitrate_received   INTEGER NOT NULL,
	freezes            INTEGER NOT NULL,
	layer_switches     INTEGER NOT NULL,
	candidate          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX call_quality_by_session ON call_quality(session_id, id);
