-- Checkpoints headquarters signed for this hall's register: "the register
-- had SIZE leaves with this ROOT", as a note signed with HQ's Ed25519 key.
-- The hall keeps every one; `servicehall verify` checks the register
-- against the newest, so a register rebuilt after an edit does not pass.
-- The first checkpoint's verifier key is the one later ones must carry.
CREATE TABLE hq_checkpoints (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    size         INTEGER NOT NULL CHECK (size > 0),
    root         BLOB    NOT NULL CHECK (length(root) = 32),
    note         TEXT    NOT NULL, -- the signed checkpoint as HQ sent it
    verifier_key TEXT    NOT NULL, -- HQ's note verifier key
    received_at  INTEGER NOT NULL
) STRICT;
CREATE TRIGGER hq_checkpoints_kept_update BEFORE UPDATE ON hq_checkpoints
BEGIN SELECT RAISE(ABORT, 'HQ checkpoints are kept as received'); END;
CREATE TRIGGER hq_checkpoints_kept_delete BEFORE DELETE ON hq_checkpoints
BEGIN SELECT RAISE(ABORT, 'HQ checkpoints are kept as received'); END;
