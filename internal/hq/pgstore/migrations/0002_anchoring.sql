-- Anchoring halls' registers: the same tables and rules as the SQLite
-- storage (internal/hq/sqlitestore/migrations/0002_anchoring.sql).

CREATE TABLE signing_key (
    id      integer     PRIMARY KEY CHECK (id = 1),
    skey    text        NOT NULL, -- note signer key: secret
    vkey    text        NOT NULL, -- note verifier key
    created timestamptz NOT NULL
);
CREATE TRIGGER signing_key_kept BEFORE UPDATE OR DELETE ON signing_key
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE tree_heads (
    hall_id bigint      NOT NULL REFERENCES halls (id),
    size    bigint      NOT NULL CHECK (size > 0),
    root    bytea       NOT NULL CHECK (length(root) = 32),
    at      timestamptz NOT NULL,
    PRIMARY KEY (hall_id, size)
);
CREATE TRIGGER tree_heads_immutable BEFORE UPDATE OR DELETE ON tree_heads
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER tree_heads_no_truncate BEFORE TRUNCATE ON tree_heads
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE bad_heads (
    hall_id bigint      NOT NULL REFERENCES halls (id),
    size    bigint      NOT NULL,
    root    bytea       NOT NULL CHECK (length(root) = 32),
    at      timestamptz NOT NULL,
    PRIMARY KEY (hall_id, size, root)
);
CREATE TRIGGER bad_heads_kept BEFORE DELETE ON bad_heads
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
