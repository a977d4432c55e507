-- A coordinator can suspend a volunteer (for a while, reversible) or remove them: both statuses take the
-- volunteer out of the planning and out of the volunteer's role at once (roles are read from here on every
-- update). SQLite cannot widen a CHECK in place: the table is rebuilt, foreign keys being off while a
-- migration runs (the profile, slots, languages and absences that reference it are kept as they are).
CREATE TABLE volunteers_new (
    telegram_id         INTEGER PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
    kind                TEXT NOT NULL CHECK (kind IN ('benevole', 'service_civique', 'agent_municipal')),
    status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'suspended', 'removed')),
    charter_accepted_at TEXT NOT NULL,
    decided_by          INTEGER,
    decided_at          TEXT,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO volunteers_new (telegram_id, kind, status, charter_accepted_at, decided_by, decided_at, created_at)
SELECT telegram_id, kind, status, charter_accepted_at, decided_by, decided_at, created_at FROM volunteers;
DROP TABLE volunteers;
ALTER TABLE volunteers_new RENAME TO volunteers;
