-- A chat's notices go out in the order they were queued: the next one of a recipient is found by this index.
CREATE INDEX outbox_pending_by_recipient ON outbox (recipient, id) WHERE sent_at IS NULL AND failed_reason IS NULL;
