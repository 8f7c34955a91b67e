-- PostgreSQL twin of ../0004_call_log_ways.sql (the reasons are there).
ALTER TABLE calls ADD COLUMN initiator_unlisted INTEGER NOT NULL DEFAULT 1;
ALTER TABLE calls ADD COLUMN receiver_unlisted INTEGER NOT NULL DEFAULT 1;
UPDATE calls SET
	initiator_unlisted = CASE WHEN EXISTS (SELECT 1 FROM call_participants p
		WHERE p.session_id = calls.session_id AND p.uid = calls.initiator_uid) THEN 0 ELSE 1 END,
	receiver_unlisted = CASE WHEN receiver_type = 'user' AND NOT EXISTS (SELECT 1 FROM call_participants p
		WHERE p.session_id = calls.session_id AND p.uid = calls.receiver_id) THEN 1 ELSE 0 END;
DROP INDEX calls_by_initiator;
DROP INDEX calls_by_receiver;
CREATE INDEX calls_by_initiator ON calls(initiator_uid, initiated_at DESC, session_id DESC)
	WHERE initiator_unlisted = 1;
CREATE INDEX calls_by_receiver ON calls(receiver_id, initiated_at DESC, session_id DESC)
	WHERE receiver_unlisted = 1;
