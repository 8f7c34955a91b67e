-- PostgreSQL twin of ../0008_participant_earlier.sql (the reasons are there).
ALTER TABLE call_participants ADD COLUMN earlier_ms BIGINT NOT NULL DEFAULT 0;
