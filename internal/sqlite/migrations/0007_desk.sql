-- The duty director's desk: the roster (a director for every day) and the
-- director's log, which is append-only and a leaf of the register.

CREATE TABLE roster (
    day      TEXT PRIMARY KEY, -- local date
    director TEXT NOT NULL DEFAULT '', -- staff number; '' clears the day
    note     TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;

CREATE TABLE director_log (
    id       TEXT    PRIMARY KEY,
    at       INTEGER NOT NULL,
    day      TEXT    NOT NULL,
    author   TEXT    NOT NULL,
    category TEXT    NOT NULL,
    text     TEXT    NOT NULL,
    amends   TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX director_log_day ON director_log (day);
CREATE TRIGGER director_log_immutable_update BEFORE UPDATE ON director_log
BEGIN SELECT RAISE(ABORT, 'log entries are never edited: add an amending entry'); END;
CREATE TRIGGER director_log_immutable_delete BEFORE DELETE ON director_log
BEGIN SELECT RAISE(ABORT, 'log entries are never deleted'); END;
