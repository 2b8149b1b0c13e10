-- The hall's first schema. Times are INTEGER milliseconds since the Unix
-- epoch, UTC; NULL where a moment has not happened yet. Days are the hall's
-- local calendar day as TEXT 'YYYY-MM-DD'.

CREATE TABLE hall (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    time_zone  TEXT    NOT NULL,
    policy     TEXT    NOT NULL -- JSON of hall.Policy
) STRICT;

CREATE TABLE business_types (
    code      TEXT    PRIMARY KEY,
    name      TEXT    NOT NULL,
    prefix    TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    daily_cap INTEGER NOT NULL DEFAULT 0 CHECK (daily_cap >= 0),
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX business_types_active_prefix ON business_types (prefix) WHERE retired = 0;

CREATE TABLE counters (
    no               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    types            TEXT    NOT NULL, -- JSON array of business type codes
    state            TEXT    NOT NULL CHECK (state IN ('open', 'paused', 'closed')),
    clerk            TEXT    NOT NULL DEFAULT '',
    current_ticket   TEXT    NOT NULL DEFAULT '',
    priority_run     INTEGER NOT NULL DEFAULT 0,
    last_service_ms  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE staff (
    no     TEXT    PRIMARY KEY,
    name   TEXT    NOT NULL,
    role   TEXT    NOT NULL CHECK (role IN ('clerk', 'director', 'admin')),
    active INTEGER NOT NULL CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE tickets (
    id              TEXT    PRIMARY KEY, -- UUIDv7
    day             TEXT    NOT NULL,
    prefix          TEXT    NOT NULL,
    seq             INTEGER NOT NULL CHECK (seq > 0),
    number          TEXT    NOT NULL,
    type            TEXT    NOT NULL REFERENCES business_types (code),
    priority        INTEGER NOT NULL CHECK (priority IN (0, 1, 2)),
    state           TEXT    NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled', 'unfinished')),
    queue_order     INTEGER NOT NULL,
    issued_at       INTEGER NOT NULL,
    first_called_at INTEGER,
    called_at       INTEGER,
    started_at      INTEGER,
    ended_at        INTEGER,
    counter         INTEGER NOT NULL DEFAULT 0,
    target_counter  INTEGER NOT NULL DEFAULT 0,
    owner           TEXT    NOT NULL DEFAULT '',
    recalls         INTEGER NOT NULL DEFAULT 0,
    requeued        INTEGER NOT NULL DEFAULT 0,
    transfers       INTEGER NOT NULL DEFAULT 0,
    apologise       INTEGER NOT NULL DEFAULT 0,
    -- A number is never handed out twice on a day; the next number is
    -- max(seq) + 1 of the day's tickets, so there is no counter to drift.
    UNIQUE (day, prefix, seq)
) STRICT, WITHOUT ROWID; -- UUIDv7 keys arrive in time order
-- No index on state: every waiting or called ticket is of the latest day
-- (the day's close runs in the same transaction as the next day's first
-- operation), and a service that runs past midnight is its counter's
-- current ticket. Loading needs the day index and the counters, nothing more.

CREATE TABLE services (
    id         TEXT    PRIMARY KEY, -- UUIDv7
    ticket_id  TEXT    NOT NULL REFERENCES tickets (id),
    number     TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    priority   INTEGER NOT NULL,
    counter    INTEGER NOT NULL,
    clerk      TEXT    NOT NULL,
    owner      TEXT    NOT NULL,
    called_at  INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER,
    outcome    TEXT    NOT NULL DEFAULT '' CHECK (outcome IN ('', 'done', 'transferred')),
    apologised INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX services_ticket ON services (ticket_id);
CREATE INDEX services_open ON services (counter) WHERE ended_at IS NULL;
CREATE INDEX services_started ON services (started_at);

-- The event log: every state change appends here in the same transaction.
-- AUTOINCREMENT keeps sequence numbers from ever being reused.
CREATE TABLE events (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid    TEXT    NOT NULL, -- UUIDv7, made here; headquarters keys on it
    kind    TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    payload BLOB    NOT NULL,
    sha256  BLOB    NOT NULL CHECK (length(sha256) = 32)
);
CREATE TRIGGER events_immutable_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
CREATE TRIGGER events_immutable_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
