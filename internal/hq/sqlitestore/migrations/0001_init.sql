-- Headquarters' first schema. Times are INTEGER milliseconds since the Unix
-- epoch, UTC.

CREATE TABLE halls (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    token_hash BLOB    NOT NULL UNIQUE CHECK (length(token_hash) = 32), -- SHA-256 of the credential
    created    INTEGER NOT NULL
) STRICT;

-- One row per record, forever. The key is permanent: a hall may resend a
-- record days later and it is still recognised.
CREATE TABLE records (
    hall_id     INTEGER NOT NULL REFERENCES halls (id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    uuid        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    at          INTEGER NOT NULL, -- the hall's time of the event
    payload     BLOB    NOT NULL, -- raw, as the hall stored it, for reprocessing
    sha256      BLOB    NOT NULL CHECK (length(sha256) = 32),
    received_at INTEGER NOT NULL, -- HQ's clock
    PRIMARY KEY (hall_id, uuid),
    UNIQUE (hall_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER records_immutable_update BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'records are immutable'); END;
CREATE TRIGGER records_immutable_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are immutable'); END;

-- Numbers settled without a stored record: records rejected or in
-- conflict, kept as sent, and holes a hall declared in its log.
CREATE TABLE set_aside (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    hall_id     INTEGER NOT NULL REFERENCES halls (id),
    seq         INTEGER NOT NULL CHECK (seq > 0),
    uuid        TEXT    NOT NULL, -- '' for a hole
    kind        TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    payload     BLOB    NOT NULL,
    sha256      TEXT    NOT NULL, -- as sent
    status      TEXT    NOT NULL CHECK (status IN ('rejected', 'conflict', 'missing')),
    reason      TEXT    NOT NULL,
    received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX set_aside_seq ON set_aside (hall_id, seq);
CREATE TRIGGER set_aside_immutable_delete BEFORE DELETE ON set_aside
BEGIN SELECT RAISE(ABORT, 'set-aside records are kept'); END;

-- How far HQ holds each hall's log: every number up to acked_through_seq
-- is in records or set_aside.
CREATE TABLE cursors (
    hall_id           INTEGER PRIMARY KEY REFERENCES halls (id),
    acked_through_seq INTEGER NOT NULL CHECK (acked_through_seq >= 0),
    last_contact      INTEGER NOT NULL,
    clock_skew_ms     INTEGER NOT NULL DEFAULT 0 -- hall clock minus HQ clock
) STRICT;
CREATE TRIGGER cursors_forward_only BEFORE UPDATE OF acked_through_seq ON cursors
WHEN NEW.acked_through_seq < OLD.acked_through_seq
BEGIN SELECT RAISE(ABORT, 'a cursor never moves back'); END;

CREATE TABLE alerts (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    hall_id INTEGER NOT NULL REFERENCES halls (id),
    kind    TEXT    NOT NULL,
    detail  TEXT    NOT NULL,
    at      INTEGER NOT NULL
) STRICT;
CREATE INDEX alerts_hall ON alerts (hall_id, at);

-- Notices halls pull and show: for every hall, or for those listed.
CREATE TABLE notices (
    id        TEXT    PRIMARY KEY, -- UUIDv7; halls key on it
    kind      TEXT    NOT NULL CHECK (kind IN ('outage', 'emergency', 'info')),
    text      TEXT    NOT NULL,
    from_at   INTEGER NOT NULL,
    until_at  INTEGER NOT NULL CHECK (until_at > from_at),
    all_halls INTEGER NOT NULL CHECK (all_halls IN (0, 1)),
    created   INTEGER NOT NULL
) STRICT;
CREATE INDEX notices_until ON notices (until_at);
CREATE TABLE notice_halls (
    notice_id TEXT    NOT NULL REFERENCES notices (id),
    hall_id   INTEGER NOT NULL REFERENCES halls (id),
    PRIMARY KEY (notice_id, hall_id)
) STRICT, WITHOUT ROWID;
