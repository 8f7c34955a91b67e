-- When the app's backend disabled a user (admin API): NULL for an enabled
-- one. A disabled user's tokens are refused and nobody can call them; the
-- row stays, so their history and group memberships come back with them.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
