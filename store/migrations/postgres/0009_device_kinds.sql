-- PostgreSQL twin of ../0009_device_kinds.sql (the reasons are there).
ALTER TABLE devices DROP CONSTRAINT devices_pkey, ADD PRIMARY KEY (uid, device_id, kind);
