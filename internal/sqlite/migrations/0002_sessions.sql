-- Staff sign in with a PIN (bcrypt hash) at a counter; sessions are known
-- by the SHA-256 of their token, never the token itself.
ALTER TABLE staff ADD COLUMN pin_hash BLOB;
ALTER TABLE staff ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1));

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    staff      TEXT    NOT NULL REFERENCES staff (no),
    counter    INTEGER NOT NULL, -- 0: a director's or admin's desk
    since      INTEGER NOT NULL,
    ended      INTEGER
) STRICT;
CREATE INDEX sessions_open ON sessions (staff) WHERE ended IS NULL;
