-- Onboarding a town from its spreadsheets: imported volunteers wait here, with their one-time invitation
-- code, until they open the link with their own Telegram account; imported persons keep the key they were
-- matched on, so that importing the same file again changes nothing.

CREATE TABLE volunteer_invitations (
    id            INTEGER PRIMARY KEY,
    -- What a line of the file is matched on: "id:<external id>", else the normalised name with the home
    -- street, else the name alone (bot/imports/records.match_key); never a phone, which is sealed.
    import_key    TEXT NOT NULL UNIQUE,
    code          TEXT NOT NULL UNIQUE,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL DEFAULT '',
    phone         TEXT,                         -- sealed
    kind          TEXT NOT NULL CHECK (kind IN ('benevole', 'service_civique', 'agent_municipal')),
    home_street_id INTEGER REFERENCES streets (id),
    capacity      INTEGER CHECK (capacity BETWEEN 1 AND 6),
    slots         TEXT NOT NULL DEFAULT '[]',   -- JSON list of configured slot ids
    languages     TEXT NOT NULL DEFAULT '[]',   -- JSON list; empty: the town's first language
    gender        TEXT CHECK (gender IN ('f', 'm')),
    experienced   INTEGER NOT NULL DEFAULT 0 CHECK (experienced IN (0, 1)),
    imported_by   INTEGER NOT NULL,             -- a coordinator's Telegram id, 0 for the command line
    imported_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- The account that opened the link and accepted the charter; the volunteer rows exist from then on.
    claimed_by    INTEGER,
    claimed_at    TEXT
);
CREATE UNIQUE INDEX volunteer_invitations_one_per_account ON volunteer_invitations (claimed_by)
    WHERE claimed_by IS NOT NULL;

ALTER TABLE persons ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX persons_import_key ON persons (import_key) WHERE import_key IS NOT NULL;

-- A CSV file a coordinator sent to the bot, kept between the validation report and the confirming button
-- (the button's data names the upload, never the content). The content is erased once applied or dropped.
-- Phones of imported volunteers and the content of uploads are sealed at rest (bot/storage/sealing.py).
CREATE TABLE import_uploads (
    id          INTEGER PRIMARY KEY,
    coordinator INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('volunteers', 'persons')),
    file_name   TEXT NOT NULL,
    content     TEXT,           -- the file as read (UTF-8), sealed
    outcome     TEXT CHECK (outcome IN ('applied', 'dropped')),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX import_uploads_pending ON import_uploads (coordinator) WHERE content IS NOT NULL;
