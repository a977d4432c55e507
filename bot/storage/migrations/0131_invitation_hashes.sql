-- Invitation codes are kept as hashes (bot/storage/invitation_codes.py, registered as code_hash() before the
-- migrations run), expire, and can be revoked by a coordinator.
--
-- Codes already issued: hashed in place, and given the default validity counted from when they were issued
-- (7 days), as if the rule had always applied. They lay in clear in a file other accounts could read, so
-- the ones older than a week, the forgotten ones, stop working; a link sent this week keeps working for the
-- rest of its week. A coordinator issues a new one in one tap (/invitations).
CREATE TABLE invitations_new (
    id         INTEGER PRIMARY KEY,
    code_hash  TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('professional')),
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at TEXT NOT NULL,
    used_by    INTEGER,
    used_at    TEXT,
    revoked_by INTEGER,
    revoked_at TEXT
);
INSERT INTO invitations_new (code_hash, role, created_by, created_at, expires_at, used_by, used_at)
SELECT code_hash(code), role, created_by, created_at, strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+7 days'),
       used_by, used_at
FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;

-- An imported volunteer's link: NULL once revoked (until a coordinator issues a new one).
CREATE TABLE volunteer_invitations_new (
    id            INTEGER PRIMARY KEY,
    import_key    TEXT NOT NULL UNIQUE,
    code_hash     TEXT UNIQUE,
    expires_at    TEXT,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL DEFAULT '',
    phone         TEXT,                         -- sealed
    kind          TEXT NOT NULL CHECK (kind IN ('benevole', 'service_civique', 'agent_municipal')),
    home_street_id INTEGER REFERENCES streets (id),
    capacity      INTEGER CHECK (capacity BETWEEN 1 AND 6),
    slots         TEXT NOT NULL DEFAULT '[]',
    languages     TEXT NOT NULL DEFAULT '[]',
    gender        TEXT CHECK (gender IN ('f', 'm')),
    experienced   INTEGER NOT NULL DEFAULT 0 CHECK (experienced IN (0, 1)),
    imported_by   INTEGER NOT NULL,
    imported_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    claimed_by    INTEGER,
    claimed_at    TEXT
);
INSERT INTO volunteer_invitations_new (
    id, import_key, code_hash, expires_at, first_name, last_name, phone, kind, home_street_id, capacity, slots,
    languages, gender, experienced, imported_by, imported_at, claimed_by, claimed_at
)
SELECT
    id, import_key, code_hash(code), strftime('%Y-%m-%dT%H:%M:%fZ', imported_at, '+7 days'), first_name, last_name,
    phone, kind, home_street_id, capacity, slots, languages, gender, experienced, imported_by, imported_at,
    claimed_by, claimed_at
FROM volunteer_invitations;
DROP TABLE volunteer_invitations;
ALTER TABLE volunteer_invitations_new RENAME TO volunteer_invitations;
CREATE UNIQUE INDEX volunteer_invitations_one_per_account ON volunteer_invitations (claimed_by)
    WHERE claimed_by IS NOT NULL;
