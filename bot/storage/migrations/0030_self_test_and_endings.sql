-- The indicators: a report may come from the isolation self-test (the person asks to be contacted), a file
-- that ends keeps when it ended, and a person's satisfaction is recorded when asked.
--
-- Numbered before migrations that landed first (0040, 0050, 0051), this one meets a database before or after
-- them: it touches only tables they leave alone, and adds no column to a table they extend (an added column
-- goes last, so its place would depend on the order).

-- SQLite cannot widen a CHECK constraint in place: the reports table is rebuilt with the columns 0003 and 0021
-- gave it, foreign keys being off while a migration runs (the runner checks them before going on). Dropping
-- the old table drops its indexes and 0021's trigger: they are created again as they were.
CREATE TABLE reports_new (
    id               INTEGER PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    -- The Telegram update that created it: a replay of that update finds the report instead of doubling it.
    source_update_id INTEGER UNIQUE,
    channel          TEXT NOT NULL CHECK (channel IN ('telegram', 'phone', 'in_person', 'self_test')),
    reporter_id      INTEGER,                         -- NULL when entered by a coordinator for a caller
    entered_by       INTEGER,
    anonymous        INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    contact_ok       INTEGER NOT NULL CHECK (contact_ok IN (0, 1)),
    street_id        INTEGER REFERENCES streets (id),
    address          TEXT,
    lat              REAL,
    lon              REAL,
    neighbourhood    TEXT,
    signs            TEXT NOT NULL DEFAULT '[]',      -- JSON list
    urgency          TEXT NOT NULL CHECK (urgency IN ('danger', 'soon', 'later')),
    who              TEXT,
    note             TEXT,
    status           TEXT NOT NULL DEFAULT 'new'
                     CHECK (status IN ('new', 'followed', 'no_action', 'escalated', 'closed')),
    person_id        INTEGER REFERENCES persons (id),
    no_action_reason TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    reporter_erasure INTEGER REFERENCES erasures (id),
    person_erasure   INTEGER REFERENCES erasures (id),
    anonymised_at    TEXT
);
INSERT INTO reports_new (
    id, reference, source_update_id, channel, reporter_id, entered_by, anonymous, contact_ok, street_id, address,
    lat, lon, neighbourhood, signs, urgency, who, note, status, person_id, no_action_reason, created_at, updated_at,
    reporter_erasure, person_erasure, anonymised_at
)
SELECT
    id, reference, source_update_id, channel, reporter_id, entered_by, anonymous, contact_ok, street_id, address,
    lat, lon, neighbourhood, signs, urgency, who, note, status, person_id, no_action_reason, created_at, updated_at,
    reporter_erasure, person_erasure, anonymised_at
FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_status ON reports (status, id);
CREATE INDEX reports_reporter ON reports (reporter_id);
CREATE INDEX reports_person ON reports (person_id);

CREATE TRIGGER persons_contact_on_report
AFTER UPDATE OF person_id ON reports WHEN NEW.person_id IS NOT NULL
BEGIN
    UPDATE persons SET last_contact_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.person_id;
END;

-- When a follow-up ended (its reason is persons.ended_reason): "left isolation" is counted on that day. The
-- audit log is purged after a year, too soon for a yearly evaluation. Kept by triggers, so that every way of
-- changing a status counts; a file followed again is no longer ended.
CREATE TABLE person_endings (
    person_id INTEGER PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    ended_at  TEXT NOT NULL
);
-- Files ended before this migration: the day the audit log saw it, else their last change.
INSERT INTO person_endings (person_id, ended_at)
SELECT p.id, COALESCE(
    (SELECT MAX(a.at) FROM audit_log a WHERE a.action = 'person.ended' AND a.subject = 'person:' || p.id),
    p.last_contact_at,
    p.created_at
)
FROM persons p WHERE p.status = 'ended';

CREATE TRIGGER persons_ended
AFTER UPDATE OF status ON persons WHEN NEW.status = 'ended' AND OLD.status != 'ended'
BEGIN
    INSERT OR REPLACE INTO person_endings (person_id, ended_at)
    VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER persons_followed_again
AFTER UPDATE OF status ON persons WHEN NEW.status != 'ended'
BEGIN
    DELETE FROM person_endings WHERE person_id = NEW.id;
END;

-- How satisfied a person followed is with the visits, when a coordinator or a professional asked them
-- (1 not at all, 2 not really, 3 satisfied, 4 very satisfied). Part of the file: erased with it. Who asked
-- is in the audit log, as for every change to a file.
CREATE TABLE satisfaction_answers (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    level     INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    asked_on  TEXT NOT NULL                           -- the town's day, ISO date
);
CREATE INDEX satisfaction_by_day ON satisfaction_answers (asked_on);
CREATE INDEX satisfaction_of_person ON satisfaction_answers (person_id, asked_on);

-- Asking is a contact: the retention of the file counts from it, as from 0021's other contacts.
CREATE TRIGGER persons_contact_on_satisfaction
AFTER INSERT ON satisfaction_answers
BEGIN
    UPDATE persons SET last_contact_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.person_id;
END;
