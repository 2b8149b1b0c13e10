-- Anchoring halls' registers: HQ's checkpoint signing key, every register
-- head HQ signed for a hall (the newest is what the next must extend), and
-- heads found inconsistent with it.

CREATE TABLE signing_key (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    skey    TEXT    NOT NULL, -- note signer key: secret
    vkey    TEXT    NOT NULL, -- note verifier key: halls check checkpoints with it
    created INTEGER NOT NULL
) STRICT;
CREATE TRIGGER signing_key_kept_update BEFORE UPDATE ON signing_key
BEGIN SELECT RAISE(ABORT, 'the signing key is never replaced'); END;
CREATE TRIGGER signing_key_kept_delete BEFORE DELETE ON signing_key
BEGIN SELECT RAISE(ABORT, 'the signing key is never replaced'); END;

CREATE TABLE tree_heads (
    hall_id INTEGER NOT NULL REFERENCES halls (id),
    size    INTEGER NOT NULL CHECK (size > 0),
    root    BLOB    NOT NULL CHECK (length(root) = 32),
    at      INTEGER NOT NULL,
    PRIMARY KEY (hall_id, size)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER tree_heads_immutable_update BEFORE UPDATE ON tree_heads
BEGIN SELECT RAISE(ABORT, 'signed tree heads are kept'); END;
CREATE TRIGGER tree_heads_immutable_delete BEFORE DELETE ON tree_heads
BEGIN SELECT RAISE(ABORT, 'signed tree heads are kept'); END;

CREATE TABLE bad_heads (
    hall_id INTEGER NOT NULL REFERENCES halls (id),
    size    INTEGER NOT NULL,
    root    BLOB    NOT NULL CHECK (length(root) = 32),
    at      INTEGER NOT NULL, -- first seen
    PRIMARY KEY (hall_id, size, root)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER bad_heads_kept BEFORE DELETE ON bad_heads
BEGIN SELECT RAISE(ABORT, 'inconsistent heads are kept'); END;
