-- Erasures: what was erased, when, as a number that other tables keep instead of a name or a Telegram id.
CREATE TABLE erasures (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('user', 'person')),
    reason    TEXT NOT NULL CHECK (reason IN ('asked', 'coordinator', 'retention')),
    erased_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A report keeps its figures (channel, neighbourhood, signs, dates) when its reporter or its person is erased,
-- or when it passes its retention period; these say which erasure or when.
ALTER TABLE reports ADD COLUMN reporter_erasure INTEGER REFERENCES erasures (id);
ALTER TABLE reports ADD COLUMN person_erasure INTEGER REFERENCES erasures (id);
ALTER TABLE reports ADD COLUMN anonymised_at TEXT;

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX inbox_processed ON inbox (processed_at) WHERE processed_at IS NOT NULL;
