-- Schema version 1: Megatest's tables and column names (SPEC §9.1).
-- Applied by SqliteMigrator inside one transaction; PRAGMA user_version is set to 1 afterwards.
-- The per-key TEXT columns of `runs` and its unique index on (keys..., runname) depend on the area's
-- [fields] and are added when the database is first opened with a key list (see README.md).
-- last_update columns are epoch seconds. The writer sets them explicitly; the AFTER UPDATE triggers
-- stamp the current time when another client updates a row without changing last_update.

CREATE TABLE keys (
    id        INTEGER PRIMARY KEY,
    fieldname TEXT NOT NULL,
    fieldtype TEXT NOT NULL DEFAULT 'TEXT',
    CONSTRAINT keyconstraint UNIQUE (fieldname)
);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    runname     TEXT NOT NULL DEFAULT 'norun',
    contour     TEXT DEFAULT '',
    state       TEXT DEFAULT '',
    status      TEXT DEFAULT '',
    owner       TEXT DEFAULT '',
    event_time  INTEGER DEFAULT (strftime('%s','now')),
    comment     TEXT DEFAULT '',
    fail_count  INTEGER DEFAULT 0,
    pass_count  INTEGER DEFAULT 0,
    last_update INTEGER DEFAULT (strftime('%s','now'))
);

CREATE TRIGGER update_runs_trigger AFTER UPDATE ON runs FOR EACH ROW
    WHEN new.last_update IS old.last_update
BEGIN
    UPDATE runs SET last_update = CAST(strftime('%s','now') AS INTEGER) WHERE id = old.id;
END;

CREATE TABLE run_stats (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL,
    state       TEXT NOT NULL,
    status      TEXT NOT NULL,
    count       INTEGER DEFAULT 0,
    last_update INTEGER DEFAULT (strftime('%s','now')),
    CONSTRAINT run_stats_constraint UNIQUE (run_id, state, status)
);

CREATE TRIGGER update_run_stats_trigger AFTER UPDATE ON run_stats FOR EACH ROW
    WHEN new.last_update IS old.last_update
BEGIN
    UPDATE run_stats SET last_update = CAST(strftime('%s','now') AS INTEGER) WHERE id = old.id;
END;

CREATE TABLE tests (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL DEFAULT -1,
    testname     TEXT NOT NULL,
    host         TEXT DEFAULT 'n/a',
    cpuload      REAL DEFAULT -1,
    diskfree     REAL DEFAULT -1,
    uname        TEXT DEFAULT 'n/a',
    rundir       TEXT DEFAULT '/tmp/badname',
    shortdir     TEXT DEFAULT '/tmp/badname',
    item_path    TEXT NOT NULL DEFAULT '',
    state        TEXT DEFAULT 'NOT_STARTED',
    status       TEXT DEFAULT 'FAIL',
    attemptnum   INTEGER DEFAULT 0,
    final_logf   TEXT DEFAULT 'logs/final.log',
    logdat       TEXT DEFAULT '',
    run_duration REAL DEFAULT 0,
    comment      TEXT DEFAULT '',
    event_time   INTEGER DEFAULT (strftime('%s','now')),
    fail_count   INTEGER DEFAULT 0,
    pass_count   INTEGER DEFAULT 0,
    archived     INTEGER DEFAULT 0,
    last_update  INTEGER DEFAULT (strftime('%s','now')),
    CONSTRAINT testsconstraint UNIQUE (run_id, testname, item_path)
);

-- Covers the toplevel rollup (item states of one test) without touching the table rows.
CREATE INDEX tests_rollup_index ON tests (run_id, testname, state, status, item_path);
CREATE INDEX tests_state_index ON tests (state, status);

CREATE TRIGGER update_tests_trigger AFTER UPDATE ON tests FOR EACH ROW
    WHEN new.last_update IS old.last_update
BEGIN
    UPDATE tests SET last_update = CAST(strftime('%s','now') AS INTEGER) WHERE id = old.id;
END;

CREATE TABLE test_steps (
    id          INTEGER PRIMARY KEY,
    test_id     INTEGER NOT NULL,
    stepname    TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'NOT_STARTED',
    status      TEXT DEFAULT 'n/a',
    event_time  INTEGER,
    comment     TEXT DEFAULT '',
    logfile     TEXT DEFAULT '',
    last_update INTEGER DEFAULT (strftime('%s','now')),
    CONSTRAINT test_steps_constraint UNIQUE (test_id, stepname, state)
);

CREATE TRIGGER update_test_steps_trigger AFTER UPDATE ON test_steps FOR EACH ROW
    WHEN new.last_update IS old.last_update
BEGIN
    UPDATE test_steps SET last_update = CAST(strftime('%s','now') AS INTEGER) WHERE id = old.id;
END;

-- value/expected/tol have NUMERIC affinity so numeric-looking values are stored as numbers (SPEC §7.2).
CREATE TABLE test_data (
    id          INTEGER PRIMARY KEY,
    test_id     INTEGER NOT NULL,
    category    TEXT NOT NULL DEFAULT '',
    variable    TEXT NOT NULL,
    value       NUMERIC,
    expected    NUMERIC,
    tol         NUMERIC,
    units       TEXT DEFAULT '',
    comment     TEXT DEFAULT '',
    status      TEXT DEFAULT 'n/a',
    type        TEXT DEFAULT '',
    last_update INTEGER DEFAULT (strftime('%s','now')),
    CONSTRAINT test_data_constraint UNIQUE (test_id, category, variable)
);

CREATE TRIGGER update_test_data_trigger AFTER UPDATE ON test_data FOR EACH ROW
    WHEN new.last_update IS old.last_update
BEGIN
    UPDATE test_data SET last_update = CAST(strftime('%s','now') AS INTEGER) WHERE id = old.id;
END;

CREATE TABLE test_rundat (
    id           INTEGER PRIMARY KEY,
    test_id      INTEGER NOT NULL,
    update_time  INTEGER,
    cpuload      REAL DEFAULT -1,
    diskfree     REAL DEFAULT -1,
    diskusage    REAL DEFAULT -1,
    run_duration REAL DEFAULT 0
);

CREATE INDEX test_rundat_index ON test_rundat (test_id);

CREATE TABLE test_meta (
    id          INTEGER PRIMARY KEY,
    testname    TEXT NOT NULL DEFAULT '',
    author      TEXT DEFAULT '',
    owner       TEXT DEFAULT '',
    description TEXT DEFAULT '',
    reviewed    TEXT DEFAULT '',
    iterated    TEXT DEFAULT '',
    avg_runtime REAL,
    avg_disk    REAL,
    tags        TEXT DEFAULT '',
    jobgroup    TEXT DEFAULT 'default',
    CONSTRAINT test_meta_constraint UNIQUE (testname)
);

CREATE TABLE tasks_queue (
    id             INTEGER PRIMARY KEY,
    action         TEXT DEFAULT '',
    owner          TEXT,
    state          TEXT DEFAULT 'new',
    target         TEXT DEFAULT '',
    name           TEXT DEFAULT '',
    testpatt       TEXT DEFAULT '',
    keylock        TEXT,
    params         TEXT,
    creation_time  INTEGER DEFAULT (strftime('%s','now')),
    execution_time INTEGER
);

CREATE TABLE archive_disks (
    id                INTEGER PRIMARY KEY,
    archive_area_name TEXT,
    disk_path         TEXT,
    last_df           INTEGER DEFAULT -1,
    last_df_time      INTEGER DEFAULT (strftime('%s','now')),
    creation_time     INTEGER DEFAULT (strftime('%s','now'))
);

CREATE TABLE archive_blocks (
    id              INTEGER PRIMARY KEY,
    archive_disk_id INTEGER,
    disk_path       TEXT,
    last_du         INTEGER DEFAULT -1,
    last_du_time    INTEGER DEFAULT (strftime('%s','now')),
    creation_time   INTEGER DEFAULT (strftime('%s','now'))
);

CREATE TABLE archive_allocations (
    id               INTEGER PRIMARY KEY,
    archive_block_id INTEGER,
    testname         TEXT,
    item_path        TEXT,
    creation_time    INTEGER DEFAULT (strftime('%s','now'))
);

CREATE TABLE archives (
    id               INTEGER PRIMARY KEY,
    archive_block_id INTEGER,
    run_id           INTEGER,
    test_id          INTEGER,
    archive_path     TEXT,
    creation_time    INTEGER DEFAULT (strftime('%s','now'))
);

CREATE TABLE extradat (
    id     INTEGER PRIMARY KEY,
    run_id INTEGER,
    key    TEXT,
    val    TEXT
);

CREATE TABLE metadat (
    id  INTEGER PRIMARY KEY,
    var TEXT,
    val TEXT,
    CONSTRAINT metadat_constraint UNIQUE (var)
);

CREATE TABLE access_log (
    id       INTEGER PRIMARY KEY,
    user     TEXT,
    accessed INTEGER,
    args     TEXT
);

CREATE TABLE log (
    id         INTEGER PRIMARY KEY,
    event_time INTEGER DEFAULT (strftime('%s','now')),
    logline    TEXT,
    pid        INTEGER,
    hostname   TEXT,
    cmdline    TEXT
);
