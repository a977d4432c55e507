-- Public census aggregates per neighbourhood (INSEE, by IRIS), for the desk's neighbourhood-risk layer: how
-- many people aged 80 and over live alone there. Figures for areas of about 2,000 people, never a person.
CREATE TABLE area_figures (
    neighbourhood TEXT PRIMARY KEY,
    adults        REAL NOT NULL,
    old           REAL NOT NULL,
    old_alone     REAL NOT NULL,
    census_year   TEXT NOT NULL,
    imported_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
