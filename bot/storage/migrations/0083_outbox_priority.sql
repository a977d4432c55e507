-- Urgent notices (a danger, a worrying visit) leave before routine ones: 0 urgent, 1 routine. Within a priority a
-- chat's notices keep the order they were queued in, so an outing's pins never come before its text.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1 CHECK (priority IN (0, 1));
DROP INDEX outbox_pending_by_recipient;
CREATE INDEX outbox_pending_by_recipient ON outbox (recipient, priority, id) WHERE sent_at IS NULL AND failed_reason IS NULL;
