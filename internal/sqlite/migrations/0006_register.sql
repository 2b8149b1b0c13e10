-- The tamper-evident register (clause 4.1.5): complaints (and, as the
-- director's desk arrives, its log, reception-day records and
-- rectifications) are leaves of one Merkle tree in the shape of RFC 6962,
-- computed with golang.org/x/mod/sumdb/tlog. A leaf holds a canonical copy
-- of its record in which personal details appear only as a salted hash, so
-- they can be erased on a lawful request without breaking the tree.

ALTER TABLE complaints ADD COLUMN contact_salt BLOB;

CREATE TABLE register_leaves (
    idx       INTEGER PRIMARY KEY, -- 0, 1, 2 … in the order appended
    kind      TEXT    NOT NULL,
    record_id TEXT    NOT NULL UNIQUE,
    leaf      BLOB    NOT NULL,    -- the canonical bytes hashed into the tree
    at        INTEGER NOT NULL
) STRICT;
CREATE TRIGGER register_leaves_immutable_update BEFORE UPDATE ON register_leaves
BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END;
CREATE TRIGGER register_leaves_immutable_delete BEFORE DELETE ON register_leaves
BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END;

-- tlog's stored hashes, by tlog.StoredHashIndex.
CREATE TABLE register_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB    NOT NULL CHECK (length(hash) = 32)
) STRICT;
CREATE TRIGGER register_hashes_immutable_update BEFORE UPDATE ON register_hashes
BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END;
CREATE TRIGGER register_hashes_immutable_delete BEFORE DELETE ON register_hashes
BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END;

-- The tree head after each append: its size and root.
CREATE TABLE register_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size INTEGER NOT NULL,
    root BLOB    NOT NULL CHECK (length(root) = 32)
) STRICT;
