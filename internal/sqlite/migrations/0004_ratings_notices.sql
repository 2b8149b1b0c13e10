-- Customers' ratings of services (好差评), one per service, and notices
-- shown in the hall.

CREATE TABLE ratings (
    id         TEXT    PRIMARY KEY,
    service_id TEXT    NOT NULL UNIQUE REFERENCES services (id),
    ticket_id  TEXT    NOT NULL,
    number     TEXT    NOT NULL,
    counter    INTEGER NOT NULL,
    clerk      TEXT    NOT NULL,
    level      INTEGER NOT NULL CHECK (level BETWEEN 0 AND 5), -- 0: 未评价
    reasons    TEXT    NOT NULL DEFAULT '[]', -- JSON array
    phone      TEXT    NOT NULL DEFAULT '',   -- for a call-back, in full only here
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX ratings_at ON ratings (at);

CREATE TABLE notices (
    id        TEXT    PRIMARY KEY,
    kind      TEXT    NOT NULL CHECK (kind IN ('outage', 'emergency', 'info')),
    text      TEXT    NOT NULL,
    from_at   INTEGER NOT NULL,
    until_at  INTEGER NOT NULL,
    posted_by TEXT    NOT NULL,
    ended     INTEGER
) STRICT;
