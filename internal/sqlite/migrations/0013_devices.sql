-- The latest status of each device of the hall's PCs (a kiosk's ticket
-- printer, a display's speaker). Each change is also a device.status event.
CREATE TABLE devices (
    id       TEXT    PRIMARY KEY,  -- kind@station
    station  TEXT    NOT NULL,
    kind     TEXT    NOT NULL CHECK (kind IN ('printer', 'speaker')),
    role     TEXT    NOT NULL,
    target   TEXT    NOT NULL,
    ok       INTEGER NOT NULL CHECK (ok IN (0, 1)),
    fault    TEXT    NOT NULL,
    message  TEXT    NOT NULL,
    since    INTEGER NOT NULL
) STRICT;
