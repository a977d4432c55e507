-- A week's plan (a draft the coordinator adjusts, then published) and its visits: a person, a pair, a slot,
-- a place in the pair's walking route, and what became of it.
CREATE TABLE week_plans (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    iso_week     INTEGER NOT NULL CHECK (iso_week BETWEEN 1 AND 53),
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    unplanned    TEXT NOT NULL DEFAULT '[]',   -- JSON [[person id, visits missing, reason]]
    figures      TEXT NOT NULL DEFAULT '{}',   -- JSON: due, planned, walking minutes, solve seconds
    created_by   INTEGER NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    published_by INTEGER,
    published_at TEXT,
    UNIQUE (year, iso_week)
);

CREATE TABLE visits (
    id               INTEGER PRIMARY KEY,
    plan_id          INTEGER NOT NULL REFERENCES week_plans (id) ON DELETE CASCADE,
    -- A person's visits go with their file when it is erased.
    person_id        INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    slot_id          TEXT NOT NULL,
    day              TEXT NOT NULL,            -- ISO date of the slot
    first_volunteer  INTEGER NOT NULL,         -- the pair, smaller id first
    second_volunteer INTEGER NOT NULL,
    position         INTEGER NOT NULL CHECK (position >= 1),   -- in the pair's walking route
    arrival          TEXT NOT NULL,            -- HH:MM, town time: when the pair rings
    departure        TEXT NOT NULL,
    walk_min         REAL NOT NULL DEFAULT 0,  -- the leg that leads here
    meet_lat         REAL NOT NULL,
    meet_lon         REAL NOT NULL,
    meet_host        INTEGER,                  -- the member whose home is the meeting point; NULL: the hub
    status           TEXT NOT NULL DEFAULT 'proposed'
                     CHECK (status IN ('proposed', 'confirmed', 'done', 'missed', 'declined', 'replaced')),
    first_answer     TEXT NOT NULL DEFAULT 'pending' CHECK (first_answer IN ('pending', 'confirmed', 'declined')),
    second_answer    TEXT NOT NULL DEFAULT 'pending' CHECK (second_answer IN ('pending', 'confirmed', 'declined')),
    replaces         INTEGER REFERENCES visits (id),
    outcome          TEXT CHECK (outcome IN ('done', 'nobody_home', 'refused', 'unanswered')),
    mood             INTEGER CHECK (mood BETWEEN 1 AND 5),
    needs_seen       TEXT NOT NULL DEFAULT '[]',   -- JSON list of the six needs
    worry            INTEGER NOT NULL DEFAULT 0 CHECK (worry IN (0, 1)),
    note             TEXT,                     -- sealed
    reported_by      INTEGER,
    reported_at      TEXT,
    CHECK (first_volunteer < second_volunteer)
);
CREATE INDEX visits_outing ON visits (plan_id, slot_id, first_volunteer, second_volunteer, position);
CREATE INDEX visits_person ON visits (person_id, day);
CREATE INDEX visits_day ON visits (day, status);

-- A visit made is a contact: the retention of the person's file counts from it.
CREATE TRIGGER visits_contact AFTER UPDATE OF outcome ON visits WHEN NEW.outcome = 'done'
BEGIN
    UPDATE persons SET last_contact_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.person_id;
END;
