-- The LAN calls whose changes this file holds, by key (the paired PC's id
-- and the call's idempotency key), with the answer the hall node sent. A
-- call a PC sends again after the node restarted gets that answer instead
-- of being done twice. The key is written in the transaction of the
-- call's change, with a successful answer; any other answer just after.
-- Local to the hall: never sent to headquarters. Kept two days
-- (CallAnswerKeep).
CREATE TABLE call_answers (
    key    TEXT    PRIMARY KEY,
    at     INTEGER NOT NULL,
    status INTEGER,
    body   BLOB
) STRICT;
CREATE INDEX call_answers_at ON call_answers (at);
