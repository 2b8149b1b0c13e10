-- Headquarters' first schema on PostgreSQL: the same tables and rules as
-- the SQLite storage (internal/hq/sqlitestore/migrations/0001_init.sql).
-- A record's own time (at) stays bigint Unix milliseconds, exactly what the
-- hall's digest covers; HQ's times are timestamptz, kept to milliseconds.
-- Text that came from a hall is stored through pgstore's escape (a NUL
-- byte, a backslash or invalid UTF-8 cannot sit in text as sent); every
-- well-formed uuid, kind and digest is stored as it is.

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or deleted (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TABLE halls (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    token_hash bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32), -- SHA-256 of the credential
    created    timestamptz NOT NULL
);

-- One row per record, forever. The key is permanent: a hall may resend a
-- record days later and it is still recognised.
CREATE TABLE records (
    hall_id     bigint      NOT NULL REFERENCES halls (id),
    seq         bigint      NOT NULL CHECK (seq > 0),
    uuid        text        NOT NULL,
    kind        text        NOT NULL,
    at          bigint      NOT NULL, -- the hall's time of the event, Unix ms
    payload     bytea       NOT NULL, -- raw, as the hall stored it, for reprocessing
    sha256      bytea       NOT NULL CHECK (length(sha256) = 32),
    received_at timestamptz NOT NULL, -- HQ's clock
    PRIMARY KEY (hall_id, uuid),
    UNIQUE (hall_id, seq)
);
CREATE TRIGGER records_immutable BEFORE UPDATE OR DELETE ON records
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Numbers settled without a stored record: records rejected or in
-- conflict, kept as sent, and holes a hall declared in its log.
CREATE TABLE set_aside (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hall_id     bigint      NOT NULL REFERENCES halls (id),
    seq         bigint      NOT NULL CHECK (seq > 0),
    uuid        text        NOT NULL, -- '' for a hole
    kind        text        NOT NULL,
    at          bigint      NOT NULL,
    payload     bytea       NOT NULL,
    sha256      text        NOT NULL, -- as sent
    status      text        NOT NULL CHECK (status IN ('rejected', 'conflict', 'missing')),
    reason      text        NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX set_aside_seq ON set_aside (hall_id, seq);
CREATE TRIGGER set_aside_kept BEFORE UPDATE OR DELETE ON set_aside
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER set_aside_no_truncate BEFORE TRUNCATE ON set_aside
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- How far HQ holds each hall's log: every number up to acked_through_seq
-- is in records or set_aside.
CREATE TABLE cursors (
    hall_id           bigint      PRIMARY KEY REFERENCES halls (id),
    acked_through_seq bigint      NOT NULL CHECK (acked_through_seq >= 0),
    last_contact      timestamptz NOT NULL,
    clock_skew_ms     bigint      NOT NULL DEFAULT 0 -- hall clock minus HQ clock
);
CREATE FUNCTION cursor_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.acked_through_seq < OLD.acked_through_seq THEN
        RAISE EXCEPTION 'a cursor never moves back (hall %: % to %)', OLD.hall_id, OLD.acked_through_seq, NEW.acked_through_seq
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER cursors_forward_only BEFORE UPDATE OF acked_through_seq ON cursors
    FOR EACH ROW EXECUTE FUNCTION cursor_forward_only();

CREATE TABLE alerts (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hall_id bigint      NOT NULL REFERENCES halls (id),
    kind    text        NOT NULL,
    detail  text        NOT NULL,
    at      timestamptz NOT NULL
);
CREATE INDEX alerts_hall ON alerts (hall_id, at);

-- Notices halls pull and show: for every hall, or for those listed.
CREATE TABLE notices (
    id        text        PRIMARY KEY, -- UUIDv7; halls key on it
    kind      text        NOT NULL CHECK (kind IN ('outage', 'emergency', 'info')),
    text      text        NOT NULL,
    from_at   timestamptz NOT NULL,
    until_at  timestamptz NOT NULL CHECK (until_at > from_at),
    all_halls boolean     NOT NULL,
    created   timestamptz NOT NULL
);
CREATE INDEX notices_until ON notices (until_at);
CREATE TABLE notice_halls (
    notice_id text   NOT NULL REFERENCES notices (id),
    hall_id   bigint NOT NULL REFERENCES halls (id),
    PRIMARY KEY (notice_id, hall_id)
);
CREATE INDEX notice_halls_hall ON notice_halls (hall_id);
