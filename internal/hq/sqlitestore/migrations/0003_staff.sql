-- HQ staff who sign in to HQ's page, their sessions, how far each hall's
-- own log ran when it last sent a batch (its backlog at HQ), and an index
-- for the page's figures by the time of the hall's events.

CREATE TABLE staff (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    name     TEXT    NOT NULL UNIQUE,
    pw_hash  BLOB    NOT NULL, -- bcrypt
    created  INTEGER NOT NULL
) STRICT;

CREATE TABLE staff_sessions (
    token_hash BLOB    PRIMARY KEY CHECK (length(token_hash) = 32), -- SHA-256 of the cookie
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    created    INTEGER NOT NULL,
    expires    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

ALTER TABLE cursors ADD COLUMN hall_last_seq INTEGER NOT NULL DEFAULT 0;

CREATE INDEX records_at ON records (hall_id, at);
