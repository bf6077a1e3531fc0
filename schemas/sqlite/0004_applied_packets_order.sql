-- The sender order of status changes (test id and header sequence number of each applied StatusChange), so a db
-- writer that starts again still knows which status of a test is late: a status sent again after a newer one of the
-- same sender and test was applied keeps only its set-once fields. Both are NULL for every other packet, and for
-- rows written before this step. Read when the db writer starts (the last 10 minutes of rows), purged with the rows.
ALTER TABLE applied_packets ADD COLUMN test_id INTEGER;
ALTER TABLE applied_packets ADD COLUMN seq INTEGER;
