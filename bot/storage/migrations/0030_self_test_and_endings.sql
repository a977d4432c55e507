-- A report may come from the isolation self-test (the person asks to be contacted), and a file that ends
-- keeps when it ended, for the yearly indicators (the audit log is purged sooner than the indicators need).

-- SQLite cannot widen a CHECK constraint in place: the reports table is rebuilt with the same columns, the
-- runner having turned foreign keys off for the migration and checked them before committing.
CREATE TABLE reports_new (
    id               INTEGER PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    source_update_id INTEGER UNIQUE,
    channel          TEXT NOT NULL CHECK (channel IN ('telegram', 'phone', 'in_person', 'self_test')),
    reporter_id      INTEGER,
    entered_by       INTEGER,
    anonymous        INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    contact_ok       INTEGER NOT NULL CHECK (contact_ok IN (0, 1)),
    street_id        INTEGER REFERENCES streets (id),
    address          TEXT,
    lat              REAL,
    lon              REAL,
    neighbourhood    TEXT,
    signs            TEXT NOT NULL DEFAULT '[]',
    urgency          TEXT NOT NULL CHECK (urgency IN ('danger', 'soon', 'later')),
    who              TEXT,
    note             TEXT,
    status           TEXT NOT NULL DEFAULT 'new'
                     CHECK (status IN ('new', 'followed', 'no_action', 'escalated', 'closed')),
    person_id        INTEGER REFERENCES persons (id),
    no_action_reason TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO reports_new (
    id, reference, source_update_id, channel, reporter_id, entered_by, anonymous, contact_ok, street_id, address,
    lat, lon, neighbourhood, signs, urgency, who, note, status, person_id, no_action_reason, created_at, updated_at
)
SELECT
    id, reference, source_update_id, channel, reporter_id, entered_by, anonymous, contact_ok, street_id, address,
    lat, lon, neighbourhood, signs, urgency, who, note, status, person_id, no_action_reason, created_at, updated_at
FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_status ON reports (status, id);
CREATE INDEX reports_reporter ON reports (reporter_id);

ALTER TABLE persons ADD COLUMN ended_at TEXT;
UPDATE persons SET ended_at = (
    SELECT MAX(at) FROM audit_log WHERE action = 'person.ended' AND subject = 'person:' || persons.id
) WHERE status = 'ended';
