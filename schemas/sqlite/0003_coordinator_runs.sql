-- Runs a coordinator carries out, one row per run request, so a coordinator that restarts (after a crash or
-- SIGKILL) continues every run it had not finished. Written only through the db writer (RecordRunRequest).
-- The db writer's publish epoch lives in metadat (var 'dbwriter-epoch'), raised at each db writer start.
CREATE TABLE IF NOT EXISTS coordinator_runs (
  request_id    TEXT PRIMARY KEY,            -- message id (32 hex digits) of the RunRequest packet
  run_id        INTEGER NOT NULL,            -- runs.id
  target        TEXT NOT NULL,               -- key values joined by '/'
  runname       TEXT NOT NULL,
  testpatt      TEXT NOT NULL DEFAULT '',
  owner         TEXT NOT NULL DEFAULT '',
  requester     TEXT NOT NULL DEFAULT '',    -- base64 ROUTER identity of the client told when the run ends
  request       TEXT NOT NULL,               -- the RunRequest packet body (MessagePack, base64): every option
  state         TEXT NOT NULL,               -- starting, running or ended (never goes back)
  creation_time INTEGER NOT NULL,
  last_update   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS coordinator_runs_state ON coordinator_runs (state, run_id);
