-- A report read by a coordinator is "triaged" before it is decided: new → triaged → (followed / no action /
-- escalated) → closed. Its status stays 'new' and this table says it was read: widening the status CHECK
-- would mean rebuilding `reports`, which later migrations extend (a database may meet them in either order).
CREATE TABLE report_reads (
    report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    read_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX reports_person ON reports (person_id);
