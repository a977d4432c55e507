-- A backup copy says when it was taken (bot/storage/backup.py writes the row into the copy only): a database
-- that has a row here is a restored copy, and the erasures journaled since that moment are applied to it
-- again before the bot serves anyone (bot/services/privacy.py).
CREATE TABLE backup_origin (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    taken_at TEXT NOT NULL
);
