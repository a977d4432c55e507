-- Notices to users, stored before they are sent: a crash between a decision and its message loses nothing.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    recipient       INTEGER NOT NULL,
    notice          TEXT NOT NULL,          -- JSON: key, params, buttons
    dedup_key       TEXT,                   -- the same event replayed never queues a second notice
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    sent_at         TEXT,
    failed_reason   TEXT
);
CREATE UNIQUE INDEX outbox_once_per_event ON outbox (recipient, dedup_key);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND failed_reason IS NULL;
