-- A group member who left a call and joined it again: joined_at and
-- left_at are of their last time in it, earlier_ms sums the times before
-- (the call log's duration of their part; 0 for everyone else).
ALTER TABLE call_participants ADD COLUMN earlier_ms INTEGER NOT NULL DEFAULT 0;
