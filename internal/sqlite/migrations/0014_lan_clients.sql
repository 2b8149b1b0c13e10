-- The PCs paired with this hall node (a kiosk, counters, the TV): their
-- credentials, hashed. Local to the hall: never sent to headquarters.
CREATE TABLE lan_clients (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    cred_hash  TEXT    NOT NULL UNIQUE,
    paired_at  INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
