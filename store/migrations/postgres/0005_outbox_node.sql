-- PostgreSQL twin of ../0005_outbox_node.sql (the reasons are there).
ALTER TABLE outbox ADD COLUMN node TEXT NOT NULL DEFAULT '';
