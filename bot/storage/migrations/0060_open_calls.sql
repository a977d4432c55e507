-- Open calls: a visit of a published week that nobody could take, offered privately to the volunteers free
-- in its slot. Acceptances are kept in the order they came; the first two that may go together take it.
CREATE TABLE open_calls (
    id               INTEGER PRIMARY KEY,
    plan_id          INTEGER NOT NULL REFERENCES week_plans (id) ON DELETE CASCADE,
    -- A call goes with the person's file when it is erased, like their visits.
    person_id        INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    slot_id          TEXT NOT NULL,
    day              TEXT NOT NULL,            -- ISO date of the slot
    replaces         INTEGER REFERENCES visits (id),   -- the declined visit nobody took; NULL: left out of the plan
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'expired')),
    first_volunteer  INTEGER,                  -- the pair that took it, smaller id first
    second_volunteer INTEGER,
    visit_id         INTEGER REFERENCES visits (id),   -- the pair's visit, once routed and stored
    launched_by      INTEGER NOT NULL,
    launched_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at       TEXT NOT NULL,            -- UTC, YYYY-MM-DDTHH:MM:SSZ
    closed_at        TEXT,
    settled_at       TEXT,                     -- every notice of the outcome queued
    CHECK ((status = 'filled') = (first_volunteer IS NOT NULL AND second_volunteer IS NOT NULL)),
    CHECK (first_volunteer IS NULL OR first_volunteer < second_volunteer)
);
-- One open call a person and slot: a replayed or doubled press launches nothing more.
CREATE UNIQUE INDEX open_calls_once ON open_calls (plan_id, person_id, slot_id) WHERE status = 'open';
CREATE INDEX open_calls_due ON open_calls (status, expires_at);

-- Who was asked, with what the pairing rules need as it was at the call, and their answer.
CREATE TABLE open_call_invitees (
    call_id      INTEGER NOT NULL REFERENCES open_calls (id) ON DELETE CASCADE,
    volunteer    INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('benevole', 'service_civique', 'agent_municipal')),
    experienced  INTEGER NOT NULL CHECK (experienced IN (0, 1)),
    capacity     INTEGER NOT NULL,
    answer       TEXT NOT NULL DEFAULT 'asked' CHECK (answer IN ('asked', 'accepted', 'declined')),
    accepted_as  INTEGER,                      -- 1 for the first acceptance of the call, 2 for the next...
    answered_at  TEXT,
    PRIMARY KEY (call_id, volunteer),
    UNIQUE (call_id, accepted_as)
);
CREATE INDEX open_call_invitees_volunteer ON open_call_invitees (volunteer);

-- What each volunteer has taken on in a published week, slot by slot: `counted` visits count against their
-- capacity; a "can't go" (`declined`) leaves them not free in that slot. A call filled but not yet routed
-- holds its pair already, so that nobody is ever in two pairs of one slot.
CREATE VIEW volunteer_commitments AS
SELECT plan_id, slot_id, first_volunteer AS volunteer,
       status IN ('proposed', 'confirmed', 'done', 'missed') AS counted, first_answer = 'declined' AS declined
FROM visits
UNION ALL
SELECT plan_id, slot_id, second_volunteer, status IN ('proposed', 'confirmed', 'done', 'missed'),
       second_answer = 'declined'
FROM visits
UNION ALL
SELECT plan_id, slot_id, first_volunteer, 1, 0 FROM open_calls WHERE status = 'filled' AND visit_id IS NULL
UNION ALL
SELECT plan_id, slot_id, second_volunteer, 1, 0 FROM open_calls WHERE status = 'filled' AND visit_id IS NULL;
