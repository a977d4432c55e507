-- Erasures: what was erased, when, as a number that other tables keep instead of a name or a Telegram id.
CREATE TABLE erasures (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('user', 'person')),
    reason    TEXT NOT NULL CHECK (reason IN ('asked', 'coordinator', 'retention')),
    erased_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A report keeps its figures (channel, neighbourhood, signs, dates) when its reporter or its person is erased,
-- or when it passes its retention period; these say which erasure or when.
ALTER TABLE reports ADD COLUMN reporter_erasure INTEGER REFERENCES erasures (id);
ALTER TABLE reports ADD COLUMN person_erasure INTEGER REFERENCES erasures (id);
ALTER TABLE reports ADD COLUMN anonymised_at TEXT;

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX inbox_processed ON inbox (processed_at) WHERE processed_at IS NOT NULL;

-- The last contact with a person followed starts their retention period (2 years by default). Kept by
-- triggers so that every way of touching a file counts without each repository remembering to: a change to
-- the file, a report attached to it, a bereavement check-in done. (Visits, once recorded, add theirs.)
ALTER TABLE persons ADD COLUMN last_contact_at TEXT;

CREATE TRIGGER persons_contact_on_change
AFTER UPDATE OF name, phone, needs, visits_per_month, slots, languages, visitor_gender, consent_at, consent_how,
    bereavement_on, status ON persons
BEGIN
    UPDATE persons SET last_contact_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END;

CREATE TRIGGER persons_contact_on_report
AFTER UPDATE OF person_id ON reports WHEN NEW.person_id IS NOT NULL
BEGIN
    UPDATE persons SET last_contact_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.person_id;
END;

CREATE TRIGGER persons_contact_on_checkin
AFTER UPDATE OF reminded_at ON bereavement_checkins WHEN NEW.reminded_at IS NOT NULL
BEGIN
    UPDATE persons SET last_contact_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.person_id;
END;
