-- Packets the db writer has applied, by header message id (16 bytes), so a packet sent again after a
-- lost acknowledgement changes nothing. Rows older than a day are purged when the db writer starts.
CREATE TABLE IF NOT EXISTS applied_packets (
  message_id BLOB PRIMARY KEY,
  applied_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS applied_packets_time ON applied_packets (applied_at);
