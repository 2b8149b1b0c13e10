-- The hall's side of the sync with headquarters.

-- How far HQ has acknowledged the event log: every event up to
-- acked_through_seq is stored at HQ or settled there (and then in
-- quarantine here). One row.
CREATE TABLE sync_state (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    acked_through_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_through_seq >= 0),
    last_success      INTEGER,
    last_attempt      INTEGER,
    last_error        TEXT    NOT NULL DEFAULT '' -- Chinese, for the duty director; '' after a success
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

-- Events HQ refused or found in conflict, and numbers missing from the log.
-- Shown to the duty director; never deleted.
CREATE TABLE quarantine (
    seq    INTEGER PRIMARY KEY,
    uuid   TEXT    NOT NULL, -- '' for a number missing from the log
    kind   TEXT    NOT NULL,
    status TEXT    NOT NULL, -- rejected, conflict or missing, as HQ said
    reason TEXT    NOT NULL, -- HQ's words, Chinese
    at     INTEGER NOT NULL  -- when it was quarantined
) STRICT;
CREATE TRIGGER quarantine_kept BEFORE DELETE ON quarantine
BEGIN SELECT RAISE(ABORT, 'quarantined records are kept'); END;
CREATE TRIGGER quarantine_immutable BEFORE UPDATE ON quarantine
BEGIN SELECT RAISE(ABORT, 'quarantined records are kept'); END;

-- HQ notices already posted into the hall (or refused by it), so that a
-- notice a director ended early is not posted again at the next pull.
CREATE TABLE hq_notices (
    id         TEXT    PRIMARY KEY, -- HQ's notice id
    applied_at INTEGER NOT NULL,
    result     TEXT    NOT NULL DEFAULT '' -- '' posted; otherwise why the hall refused it
) STRICT;
