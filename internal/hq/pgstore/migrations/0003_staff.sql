-- HQ staff, their sessions, halls' own last sequence numbers and an index
-- by event time: as internal/hq/sqlitestore/migrations/0003_staff.sql.

CREATE TABLE staff (
    id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name     text        NOT NULL UNIQUE,
    pw_hash  bytea       NOT NULL,
    created  timestamptz NOT NULL
);

CREATE TABLE staff_sessions (
    token_hash bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    staff_id   bigint      NOT NULL REFERENCES staff (id),
    created    timestamptz NOT NULL,
    expires    timestamptz NOT NULL
);

ALTER TABLE cursors ADD COLUMN hall_last_seq bigint NOT NULL DEFAULT 0;

CREATE INDEX records_at ON records (hall_id, at);
