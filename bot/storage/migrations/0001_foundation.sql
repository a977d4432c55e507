-- Updates from Telegram, stored before they are confirmed so that a crash never loses one.
CREATE TABLE inbox (
    update_id    INTEGER PRIMARY KEY,
    payload      TEXT NOT NULL,
    received_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    processed_at TEXT
);
CREATE INDEX inbox_pending ON inbox (update_id) WHERE processed_at IS NULL;

-- PTB persistence (conversation states and per-user drafts), so conversations survive a restart.
CREATE TABLE ptb_state (
    kind  TEXT NOT NULL,   -- conversation:<name> | user_data | chat_data | bot_data
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);

CREATE TABLE users (
    telegram_id INTEGER PRIMARY KEY,
    first_name  TEXT NOT NULL,
    language    TEXT,          -- chosen with /language; NULL follows Telegram's language
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE professionals (
    telegram_id INTEGER PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
    added_by    INTEGER NOT NULL,
    added_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE invitations (
    code       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('professional')),
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    used_by    INTEGER,
    used_at    TEXT
);

CREATE TABLE volunteers (
    telegram_id         INTEGER PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
    kind                TEXT NOT NULL CHECK (kind IN ('benevole', 'service_civique', 'agent_municipal')),
    status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    charter_accepted_at TEXT NOT NULL,
    decided_by          INTEGER,
    decided_at          TEXT,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE streets (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    insee_code   TEXT NOT NULL,
    postcode     TEXT NOT NULL,
    neighbourhood TEXT NOT NULL,
    lat          REAL NOT NULL,
    lon          REAL NOT NULL
);

CREATE TABLE house_numbers (
    street_id INTEGER NOT NULL REFERENCES streets (id) ON DELETE CASCADE,
    number    TEXT NOT NULL,
    lat       REAL NOT NULL,
    lon       REAL NOT NULL,
    PRIMARY KEY (street_id, number)
);

-- Caring neighbours: one main per street, the others are backups.
CREATE TABLE street_watchers (
    street_id           INTEGER NOT NULL REFERENCES streets (id),
    telegram_id         INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    is_main             INTEGER NOT NULL CHECK (is_main IN (0, 1)),
    charter_accepted_at TEXT NOT NULL,
    since               TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (street_id, telegram_id)
);
CREATE UNIQUE INDEX one_main_watcher ON street_watchers (street_id) WHERE is_main = 1;

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor   INTEGER NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL
);
