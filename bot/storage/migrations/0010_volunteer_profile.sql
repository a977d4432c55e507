-- What a volunteer tells the planner about themselves. One row per approved volunteer once they change
-- anything; until then the configured defaults apply, so approval needs no extra write.
CREATE TABLE volunteer_profiles (
    telegram_id    INTEGER PRIMARY KEY REFERENCES volunteers (telegram_id) ON DELETE CASCADE,
    capacity       INTEGER CHECK (capacity BETWEEN 1 AND 6),     -- visits a week; NULL: the default
    home_street_id INTEGER REFERENCES streets (id),
    gender         TEXT CHECK (gender IN ('f', 'm')),            -- NULL: not said
    paused         INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    experienced    INTEGER NOT NULL DEFAULT 0 CHECK (experienced IN (0, 1)),  -- marked by a coordinator
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The weekly grid: one row per configured slot id the volunteer is usually free in.
CREATE TABLE volunteer_slots (
    telegram_id INTEGER NOT NULL REFERENCES volunteers (telegram_id) ON DELETE CASCADE,
    slot_id     TEXT NOT NULL,
    PRIMARY KEY (telegram_id, slot_id)
);

-- Languages spoken; no row at all means the town's first configured language.
CREATE TABLE volunteer_languages (
    telegram_id INTEGER NOT NULL REFERENCES volunteers (telegram_id) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    PRIMARY KEY (telegram_id, language)
);

-- Holidays, illness: days (ISO dates, both included) on which the grid does not apply.
CREATE TABLE volunteer_absences (
    id          INTEGER PRIMARY KEY,
    telegram_id INTEGER NOT NULL REFERENCES volunteers (telegram_id) ON DELETE CASCADE,
    first_day   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (first_day <= last_day)
);
CREATE INDEX volunteer_absences_by_volunteer ON volunteer_absences (telegram_id, last_day);
