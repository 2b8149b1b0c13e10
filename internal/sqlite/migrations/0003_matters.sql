-- Matters that leave the counter, and the hall's editable scripts. A
-- customer's contact is kept in full only in the matter's own row; events
-- and lists carry it masked.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL -- JSON
) STRICT;

CREATE TABLE escalations (
    id            TEXT    PRIMARY KEY,
    ticket_id     TEXT    NOT NULL DEFAULT '',
    number        TEXT    NOT NULL DEFAULT '',
    counter       INTEGER NOT NULL,
    owner         TEXT    NOT NULL,
    need          TEXT    NOT NULL,
    assignee      TEXT    NOT NULL,
    due           TEXT    NOT NULL,
    contact_name  TEXT    NOT NULL DEFAULT '',
    contact_phone TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    reply         TEXT    NOT NULL DEFAULT '',
    replied_at    INTEGER,
    replied_by    TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX escalations_open ON escalations (due) WHERE replied_at IS NULL;

CREATE TABLE proxies (
    id         TEXT    PRIMARY KEY,
    ticket_id  TEXT    NOT NULL,
    number     TEXT    NOT NULL,
    counter    INTEGER NOT NULL,
    clerk      TEXT    NOT NULL,
    summary    TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('pending', 'confirmed', 'declined')),
    created_at INTEGER NOT NULL,
    decided_at INTEGER
) STRICT;
CREATE INDEX proxies_pending ON proxies (counter) WHERE state = 'pending';

-- Complaints are never edited or deleted (clause 4.1.5).
CREATE TABLE complaints (
    id            TEXT    PRIMARY KEY,
    ticket_id     TEXT    NOT NULL DEFAULT '',
    number        TEXT    NOT NULL DEFAULT '',
    counter       INTEGER NOT NULL,
    clerk         TEXT    NOT NULL,
    what          TEXT    NOT NULL,
    place         TEXT    NOT NULL DEFAULT '',
    occurred      TEXT    NOT NULL DEFAULT '',
    contact_name  TEXT    NOT NULL DEFAULT '',
    contact_phone TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
) STRICT;
CREATE TRIGGER complaints_immutable_update BEFORE UPDATE ON complaints
BEGIN SELECT RAISE(ABORT, 'complaints are never edited'); END;
CREATE TRIGGER complaints_immutable_delete BEFORE DELETE ON complaints
BEGIN SELECT RAISE(ABORT, 'complaints are never deleted'); END;

CREATE TABLE fault_reports (
    id            TEXT    PRIMARY KEY,
    ticket_id     TEXT    NOT NULL DEFAULT '',
    number        TEXT    NOT NULL DEFAULT '',
    counter       INTEGER NOT NULL,
    clerk         TEXT    NOT NULL,
    what          TEXT    NOT NULL,
    place         TEXT    NOT NULL,
    occurred      TEXT    NOT NULL DEFAULT '',
    contact_name  TEXT    NOT NULL DEFAULT '',
    contact_phone TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
) STRICT;
