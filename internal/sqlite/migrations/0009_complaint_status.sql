-- A complaint's status records: never edited, each a leaf of the register.
CREATE TABLE complaint_status (
    id           TEXT    PRIMARY KEY,
    complaint_id TEXT    NOT NULL REFERENCES complaints (id),
    step         TEXT    NOT NULL CHECK (step IN ('contacted', 'replied', 'closed')),
    note         TEXT    NOT NULL,
    by_staff     TEXT    NOT NULL,
    at           INTEGER NOT NULL
) STRICT;
CREATE INDEX complaint_status_complaint ON complaint_status (complaint_id);
CREATE TRIGGER complaint_status_immutable_update BEFORE UPDATE ON complaint_status
BEGIN SELECT RAISE(ABORT, 'status records are never edited'); END;
CREATE TRIGGER complaint_status_immutable_delete BEFORE DELETE ON complaint_status
BEGIN SELECT RAISE(ABORT, 'status records are never deleted'); END;
