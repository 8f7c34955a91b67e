-- PostgreSQL twin of ../0006_user_disabled.sql (the reasons are there).
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
