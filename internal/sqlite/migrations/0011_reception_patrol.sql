-- Leadership reception days (领导接待日, clause 4.2.2) and the duty
-- director's patrols (现场巡查, clause 3.2).

-- The schedule. A day is cancelled, with a reason, by setting cancelled;
-- nothing else about it ever changes.
CREATE TABLE reception_days (
    id          TEXT    PRIMARY KEY,
    day         TEXT    NOT NULL,
    hours       TEXT    NOT NULL,
    leader      TEXT    NOT NULL,
    place       TEXT    NOT NULL,
    topics      TEXT    NOT NULL,
    by_staff    TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    cancelled   INTEGER,
    cancel_note TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX reception_days_day ON reception_days (day);
CREATE TRIGGER reception_days_only_cancel BEFORE UPDATE ON reception_days
WHEN OLD.cancelled IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.day IS NOT OLD.day OR NEW.hours IS NOT OLD.hours
  OR NEW.leader IS NOT OLD.leader OR NEW.place IS NOT OLD.place OR NEW.topics IS NOT OLD.topics
  OR NEW.by_staff IS NOT OLD.by_staff OR NEW.at IS NOT OLD.at
BEGIN SELECT RAISE(ABORT, 'a reception day is only ever cancelled'); END;
CREATE TRIGGER reception_days_no_delete BEFORE DELETE ON reception_days
BEGIN SELECT RAISE(ABORT, 'reception days are never deleted'); END;

-- A visitor's record: the contact in full only here, salted in the register.
CREATE TABLE reception_visits (
    id            TEXT    PRIMARY KEY,
    reception_id  TEXT    NOT NULL REFERENCES reception_days (id),
    day           TEXT    NOT NULL,
    leader        TEXT    NOT NULL,
    contact_name  TEXT    NOT NULL,
    contact_phone TEXT    NOT NULL,
    contact_salt  BLOB    NOT NULL,
    matter        TEXT    NOT NULL,
    commitment    TEXT    NOT NULL,
    deadline      TEXT    NOT NULL,
    by_staff      TEXT    NOT NULL,
    at            INTEGER NOT NULL
) STRICT;
CREATE INDEX reception_visits_day ON reception_visits (day);
CREATE TRIGGER reception_visits_immutable_update BEFORE UPDATE ON reception_visits
BEGIN SELECT RAISE(ABORT, 'visit records are never edited'); END;
CREATE TRIGGER reception_visits_immutable_delete BEFORE DELETE ON reception_visits
BEGIN SELECT RAISE(ABORT, 'visit records are never deleted'); END;

CREATE TABLE reception_notes (
    id       TEXT    PRIMARY KEY,
    visit_id TEXT    NOT NULL REFERENCES reception_visits (id),
    closing  INTEGER NOT NULL CHECK (closing IN (0, 1)),
    note     TEXT    NOT NULL,
    by_staff TEXT    NOT NULL,
    at       INTEGER NOT NULL
) STRICT;
CREATE INDEX reception_notes_visit ON reception_notes (visit_id);
CREATE TRIGGER reception_notes_immutable_update BEFORE UPDATE ON reception_notes
BEGIN SELECT RAISE(ABORT, 'visit follow-ups are never edited'); END;
CREATE TRIGGER reception_notes_immutable_delete BEFORE DELETE ON reception_notes
BEGIN SELECT RAISE(ABORT, 'visit follow-ups are never deleted'); END;

CREATE TABLE patrols (
    id       TEXT    PRIMARY KEY,
    day      TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    by_staff TEXT    NOT NULL,
    note     TEXT    NOT NULL,
    log_id   TEXT    NOT NULL REFERENCES director_log (id)
) STRICT;
CREATE INDEX patrols_day ON patrols (day);
CREATE TABLE patrol_results (
    patrol_id TEXT    NOT NULL REFERENCES patrols (id),
    counter   INTEGER NOT NULL,
    clerk     TEXT    NOT NULL,
    failed    TEXT    NOT NULL, -- JSON array of checklist item codes
    score     INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    note      TEXT    NOT NULL,
    PRIMARY KEY (patrol_id, counter)
) STRICT;
CREATE INDEX patrol_results_clerk ON patrol_results (clerk);
CREATE TRIGGER patrols_immutable_update BEFORE UPDATE ON patrols
BEGIN SELECT RAISE(ABORT, 'patrols are never edited'); END;
CREATE TRIGGER patrols_immutable_delete BEFORE DELETE ON patrols
BEGIN SELECT RAISE(ABORT, 'patrols are never deleted'); END;
CREATE TRIGGER patrol_results_immutable_update BEFORE UPDATE ON patrol_results
BEGIN SELECT RAISE(ABORT, 'patrol results are never edited'); END;
CREATE TRIGGER patrol_results_immutable_delete BEFORE DELETE ON patrol_results
BEGIN SELECT RAISE(ABORT, 'patrol results are never deleted'); END;
