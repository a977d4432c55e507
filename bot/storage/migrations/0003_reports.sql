-- Concern reports, the persons followed, and the cache of geocoded addresses.

-- One counter a year gives references that people can read on the phone: S-2026-0042.
CREATE TABLE report_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE persons (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    address          TEXT NOT NULL,
    street_id        INTEGER REFERENCES streets (id),
    lat              REAL,
    lon              REAL,
    phone            TEXT,
    needs            TEXT NOT NULL DEFAULT '[]',      -- JSON list of the six needs
    visits_per_month INTEGER NOT NULL DEFAULT 2 CHECK (visits_per_month BETWEEN 0 AND 31),
    slots            TEXT NOT NULL DEFAULT '[]',      -- JSON list of slot ids from the configuration
    languages        TEXT NOT NULL DEFAULT '["fr"]',  -- JSON list
    visitor_gender   TEXT NOT NULL DEFAULT 'any' CHECK (visitor_gender IN ('any', 'female', 'male')),
    consent_at       TEXT,
    consent_how      TEXT CHECK (consent_how IN ('oral', 'written', 'phone')),
    bereavement_on   TEXT,                            -- date of the loss, when followed for bereavement
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
    ended_reason     TEXT,
    created_by       INTEGER NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX persons_street ON persons (street_id);

CREATE TABLE reports (
    id               INTEGER PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    -- The Telegram update that created it: a replay of that update finds the report instead of doubling it.
    source_update_id INTEGER UNIQUE,
    channel          TEXT NOT NULL CHECK (channel IN ('telegram', 'phone', 'in_person')),
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
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX reports_status ON reports (status, id);
CREATE INDEX reports_reporter ON reports (reporter_id);

-- What happened to a report, and by whom: the coordinator's history and the reporter's notices.
CREATE TABLE report_events (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor     INTEGER,
    kind      TEXT NOT NULL,
    detail    TEXT
);

-- Check-ins of a bereavement follow-up; a reminder goes to the coordinators once each is due.
CREATE TABLE bereavement_checkins (
    person_id   INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    due_on      TEXT NOT NULL,
    reminded_at TEXT,
    PRIMARY KEY (person_id, due_on)
);

-- Answers of the national address API, so that an address is asked once and works offline afterwards.
CREATE TABLE geocode_cache (
    query     TEXT PRIMARY KEY,
    result    TEXT NOT NULL,   -- JSON list of addresses
    cached_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
