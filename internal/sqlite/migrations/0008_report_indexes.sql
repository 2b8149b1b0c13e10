-- Reports (clause 3.2) read a range of days at a time. This index covers
-- every column that a report's scans of tickets read, so a month's tickets
-- are counted and their waits fetched from the index alone, already in
-- order of day, type, state and priority for the GROUP BY.
CREATE INDEX tickets_report ON tickets (day, type, state, priority, issued_at, first_called_at);
