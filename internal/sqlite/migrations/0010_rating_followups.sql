-- What the duty director did about a bad rating: rectification (整改) and
-- the call-back (回访). Never edited; each a leaf of the register.
CREATE TABLE rating_followups (
    id        TEXT    PRIMARY KEY,
    rating_id TEXT    NOT NULL REFERENCES ratings (id),
    kind      TEXT    NOT NULL CHECK (kind IN ('rectified', 'called_back')),
    note      TEXT    NOT NULL,
    by_staff  TEXT    NOT NULL,
    at        INTEGER NOT NULL
) STRICT;
CREATE INDEX rating_followups_rating ON rating_followups (rating_id);
CREATE TRIGGER rating_followups_immutable_update BEFORE UPDATE ON rating_followups
BEGIN SELECT RAISE(ABORT, 'follow-ups are never edited'); END;
CREATE TRIGGER rating_followups_immutable_delete BEFORE DELETE ON rating_followups
BEGIN SELECT RAISE(ABORT, 'follow-ups are never deleted'); END;
