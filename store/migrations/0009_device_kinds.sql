-- One install (device_id) may hold a push token of each kind: an iPhone
-- registers its PushKit token (apns-voip) for rings and its
-- remote-notification token (apns) for missed-call alerts under the same
-- device_id. A row is now one (uid, device_id, kind); before, a second
-- kind replaced the first. SQLite cannot change a primary key in place:
-- the table is copied.
CREATE TABLE devices_by_kind (
	uid        TEXT    NOT NULL,
	device_id  TEXT    NOT NULL,
	kind       TEXT    NOT NULL,
	token      TEXT    NOT NULL,
	app_id     TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (uid, device_id, kind)
);
INSERT INTO devices_by_kind (uid, device_id, kind, token, app_id, created_at, updated_at)
	SELECT uid, device_id, kind, token, app_id, created_at, updated_at FROM devices;
DROP TABLE devices;
ALTER TABLE devices_by_kind RENAME TO devices;
CREATE UNIQUE INDEX devices_by_token ON devices(kind, token);
