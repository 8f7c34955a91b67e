-- Push targets: one row per device of a user (kind apns-voip | apns | fcm).
-- A token belongs to one device at a time: registering it again (the same
-- phone, another login) moves it.
CREATE TABLE devices (
	uid        TEXT    NOT NULL,
	device_id  TEXT    NOT NULL,
	kind       TEXT    NOT NULL,
	token      TEXT    NOT NULL,
	app_id     TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (uid, device_id)
);
CREATE UNIQUE INDEX devices_by_token ON devices(kind, token);

-- The outbox: everything that must leave the server (pushes, webhook
-- deliveries), written before it is sent and kept until it was delivered
-- or given up on. Items of one order_key are delivered in id order. The
-- dispatcher keeps the pending ones in memory and reads them back by id.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	event_id        TEXT    NOT NULL UNIQUE,
	channel         TEXT    NOT NULL,
	target          TEXT    NOT NULL,
	order_key       TEXT    NOT NULL,
	payload         BLOB    NOT NULL,
	state           TEXT    NOT NULL DEFAULT 'pending',
	attempts        INTEGER NOT NULL DEFAULT 0,
	created_at      INTEGER NOT NULL,
	next_attempt_at INTEGER NOT NULL,
	deadline        INTEGER NOT NULL,
	last_error      TEXT    NOT NULL DEFAULT '',
	done_at         INTEGER
);
-- No index but the primary key: pending items are read back by id range
-- (PendingOutbox), and every index would be rewritten on each outcome.
