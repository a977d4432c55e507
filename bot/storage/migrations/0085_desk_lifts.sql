-- A coordinator lifted the desk's limits for an account: only what that account sends afterwards counts.
CREATE TABLE desk_lifts (
    id          INTEGER PRIMARY KEY,
    telegram_id INTEGER NOT NULL,
    lifted_by   INTEGER NOT NULL,
    lifted_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX desk_lifts_account ON desk_lifts (telegram_id, lifted_at);
