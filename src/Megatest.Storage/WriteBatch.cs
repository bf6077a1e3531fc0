using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// One write transaction on a <see cref="MegatestDatabase"/>. Every method runs inside it; <see cref="Reader"/> sees
/// the uncommitted changes. Disposing without <see cref="Commit"/> rolls everything back.
/// </summary>
public sealed partial class WriteBatch : IDisposable
{
    private readonly MegatestDatabase _database;
    private readonly SqliteTransaction _transaction;
    private readonly RunTables _tables;
    private readonly CommandCache _commands;
    private readonly RunSql _runSql;
    private readonly SqliteRunReader _reader;
    private readonly ItemStateTally _itemTally;
    private bool _completed;

    internal WriteBatch(MegatestDatabase database, SqliteTransaction transaction, RunTables tables, RunSql runSql, ItemStateTally itemTally)
    {
        _itemTally = itemTally;
        _database = database;
        _transaction = transaction;
        _tables = tables;
        _commands = tables.Main;
        _runSql = runSql;
        _reader = new SqliteRunReader(tables, runSql);
    }

    /// <summary>Reads inside this batch's transaction.</summary>
    public IRunReader Reader
    {
        get
        {
            ThrowIfCompleted();
            return _reader;
        }
    }

    // The sender order of a status change goes into the row that marks it applied (two more integers in a row written
    // anyway) rather than into a table of its own keyed by (test, sender): that would cost one more statement and
    // B-tree per batch and a purge of its own, while these rows are inserted, rolled back and purged with the packet.
    private const string MarkAppliedSql =
        "INSERT INTO applied_packets (message_id, applied_at, test_id, seq) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (message_id) DO NOTHING";

    /// <summary>
    /// Records that the packet <paramref name="messageId"/> is applied in this batch, with its place in its sender's
    /// order when it is a status change. False when it was applied before: the caller then skips it, so a packet that
    /// arrives twice changes nothing.
    /// </summary>
    public bool MarkApplied(Guid messageId, long now, SenderOrder? order = null)
    {
        ThrowIfCompleted();
        return MarkOne(_commands.Native(MarkAppliedSql), messageId, now, order);
    }

    private static bool MarkOne(NativeStatement statement, Guid messageId, long now, SenderOrder? order)
    {
        Span<byte> id = stackalloc byte[16];
        messageId.TryWriteBytes(id);
        // One row inserted means it was not there: not applied before, neither in an earlier batch nor earlier in this one.
        return statement.BindBlob(1, id).Bind(2, now).Bind(3, order?.TestId).Bind(4, order?.Sequence).Execute() == 1;
    }

    private const string AppliedOrdersSql =
        "SELECT message_id, test_id, seq, applied_at FROM applied_packets WHERE applied_at >= @since AND test_id IS NOT NULL";

    /// <summary>
    /// The status changes applied since <paramref name="since"/> (epoch seconds, within the day that
    /// <see cref="PurgeApplied"/> keeps) with their place in their sender's order, as <see cref="MarkApplied"/> and
    /// <see cref="MarkAppliedMany"/> recorded them; read lazily, in no particular order.
    /// </summary>
    public IEnumerable<(Guid MessageId, SenderOrder Order, long AppliedAt)> AppliedOrders(long since)
    {
        ThrowIfCompleted();
        using var reader = _commands.Get(AppliedOrdersSql, ("@since", since)).ExecuteReader();
        while (reader.Read())
        {
            yield return (new Guid((byte[])reader.GetValue(0)), new SenderOrder(reader.GetInt64(1), reader.GetInt64(2)), reader.GetInt64(3));
        }
    }

    private const string PurgeAppliedSql = "DELETE FROM applied_packets WHERE applied_at < @before";

    /// <summary>Forgets applied packets older than <paramref name="before"/> (epoch seconds); returns how many.</summary>
    public int PurgeApplied(long before)
    {
        ThrowIfCompleted();
        return _commands.Execute(PurgeAppliedSql, ("@before", before));
    }

    private const string ReviveRunSql =
        "UPDATE runs SET state = 'new', status = 'n/a', owner = @owner, last_update = @now WHERE id = @id";

    /// <summary>
    /// Returns the id of the run (target, <paramref name="runName"/>), inserting it as <c>new</c>/<c>n/a</c> when
    /// missing (<paramref name="created"/> true) and reviving it to <c>new</c>/<c>n/a</c> when it is <c>deleted</c>.
    /// </summary>
    /// <exception cref="StorageException">Wrong number of key values, or an empty value or one containing '/'.</exception>
    public long EnsureRun(IReadOnlyList<string> keyValues, string runName, string owner, long now, out bool created)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(keyValues);
        ArgumentNullException.ThrowIfNull(owner);
        ValidateTarget(keyValues);
        if (string.IsNullOrWhiteSpace(runName))
        {
            throw new StorageException("A run name is required (-runname).");
        }

        var existing = _reader.FindRun(keyValues, runName);
        if (existing is not null)
        {
            created = false;
            if (existing.State == "deleted")
            {
                _commands.Execute(ReviveRunSql, ("@owner", owner), ("@now", now), ("@id", existing.Id));
            }

            return existing.Id;
        }

        var parameters = _runSql.KeyParameters(keyValues, "k", 3);
        parameters[^3] = ("@runname", runName);
        parameters[^2] = ("@owner", owner);
        parameters[^1] = ("@now", now);
        _commands.Execute(_runSql.InsertRun, parameters);
        created = true;
        var runId = LastInsertRowId();
        _tables.RunCreated(runId);
        return runId;
    }

    private const string RunExistsSql = "SELECT count(*) FROM runs WHERE id = @id";

    private const string RegisterTestSql =
        "INSERT INTO tests (run_id, testname, item_path, state, status, host, uname, rundir, shortdir, final_logf, " +
        "event_time, last_update) VALUES (@run_id, @testname, @item_path, 'NOT_STARTED', 'n/a', 'n/a', 'n/a', " +
        "'/tmp/badname', '/tmp/badname', 'logs/final.log', @now, @now) " +
        "ON CONFLICT (run_id, testname, item_path) DO NOTHING";

    // A run file numbers its tests from (run id << 32) on, so test ids stay unique in the area (RunFiles.TestIdShift).
    private const string RegisterTestWithIdSql =
        "INSERT INTO tests (id, run_id, testname, item_path, state, status, host, uname, rundir, shortdir, final_logf, " +
        "event_time, last_update) VALUES (coalesce((SELECT max(id) FROM tests), @base) + 1, @run_id, @testname, @item_path, " +
        "'NOT_STARTED', 'n/a', 'n/a', 'n/a', '/tmp/badname', '/tmp/badname', 'logs/final.log', @now, @now) " +
        "ON CONFLICT (run_id, testname, item_path) DO NOTHING";

    /// <summary>Returns the test row, inserting it as NOT_STARTED/n/a (host/uname n/a, default dirs and log) when missing.</summary>
    /// <exception cref="StorageException">The run does not exist.</exception>
    public TestRow RegisterTest(long runId, string testName, string itemPath, long now)
    {
        ThrowIfCompleted();
        ArgumentException.ThrowIfNullOrEmpty(testName);
        ArgumentNullException.ThrowIfNull(itemPath);
        var existing = _reader.FindTest(runId, testName, itemPath);
        if (existing is not null)
        {
            return existing;
        }

        if (ToLong(_commands.Scalar(RunExistsSql, ("@id", runId))) == 0)
        {
            throw new StorageException($"Cannot register test '{FullName(testName, itemPath)}': run {runId} does not exist.");
        }

        if (_tables.TestIdBase(runId) is { } idBase)
        {
            RunCommands(runId).Execute(RegisterTestWithIdSql, ("@base", idBase), ("@run_id", runId), ("@testname", testName), ("@item_path", itemPath), ("@now", now));
        }
        else
        {
            _commands.Execute(RegisterTestSql, ("@run_id", runId), ("@testname", testName), ("@item_path", itemPath), ("@now", now));
        }

        var row = _reader.FindTest(runId, testName, itemPath)
            ?? throw new StorageException($"Test '{FullName(testName, itemPath)}' of run {runId} vanished right after insert.");
        if (itemPath.Length > 0)
        {
            _itemTally.Add(runId, testName, (row.State, row.Status));
        }

        return row;
    }

    // The columns a TestUpdate sets, in the order of its fields; parameter ?i+1 carries column i. ?14 is last_update, ?15 the id.
    private static readonly string[] s_updateColumns =
        ["state", "status", "comment", "host", "uname", "rundir", "shortdir", "event_time", "run_duration", "final_logf", "attemptnum", "cpuload", "diskfree"];

    // The UPDATE for each set of fields present (a bit per column of s_updateColumns), built on first use. Only the
    // columns given are assigned, so an update that leaves state and status alone does not touch the indexes on them.
    // No RETURNING: the row as written is the row read before with the update applied (Updated), which is cheaper to
    // compute than RETURNING is to run (SQLite collects returned rows in a table of their own; issue #9).
    private static readonly string?[] s_updateSql = new string?[1 << 13];

    private static string UpdateTestSql(int fields) => s_updateSql[fields] ??= "UPDATE tests SET " +
        string.Concat(Enumerable.Range(0, s_updateColumns.Length).Where(i => (fields & (1 << i)) != 0).Select(i => $"{s_updateColumns[i]} = ?{i + 1}, ")) +
        "last_update = ?14 WHERE id = ?15";

    private const string TestRowSql = "SELECT " + RowReaders.TestColumns + " FROM tests WHERE id = ?1";

    /// <summary>
    /// Applies the non-null fields of <paramref name="update"/>. Status <c>AUTO</c> runs the test-data rollup
    /// (SPEC §6.6). When the test is an item and its state/status changed, its toplevel record is recomputed
    /// (SPEC §6.4). Returns the test's row after the update first, then the toplevel row if that changed.
    /// </summary>
    /// <exception cref="StorageException">The test does not exist.</exception>
    public IReadOnlyList<TestRow> UpdateTest(long testId, TestUpdate update, long now)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(update);
        var commands = TestCommands(testId);
        TestRow? before = null;
        commands.Native(TestRowSql).Bind(1, testId).Run(r => before = RowReaders.Test(r));
        return ApplyUpdate(commands, before ?? throw NoSuchTest(testId), update, now);
    }

    // UpdateTest of a test whose row as stored now is before.
    private List<TestRow> ApplyUpdate(CommandCache commands, TestRow before, TestUpdate update, long now)
    {
        WriteUpdate(commands, before.Id, update, now);
        var after = Updated(before, update, now);
        if (update.Status == "AUTO")
        {
            ApplyDataRollup(before.Id, now);
            after = RequireTest(before.Id);
        }

        var changed = new List<TestRow>(2) { after };
        if (after.ItemPath.Length > 0 && (after.State != before.State || after.Status != before.Status))
        {
            _itemTally.Move(after.RunId, after.TestName, (before.State, before.Status), (after.State, after.Status));
            var toplevel = RollupToplevel(after.RunId, after.TestName, now);
            if (toplevel is not null)
            {
                changed.Add(toplevel);
            }
        }

        return changed;
    }

    // The UPDATE of the fields of u present for one test. A NaN counts as absent: SQLite would store it as NULL.
    private void WriteUpdate(CommandCache commands, long testId, TestUpdate u, long now)
    {
        var (runDuration, cpuLoad, diskFree) = (Real(u.RunDuration), Real(u.CpuLoad), Real(u.DiskFree));
        var fields = Bit(0, u.State) | Bit(1, u.Status) | Bit(2, u.Comment) | Bit(3, u.Host) | Bit(4, u.Uname) | Bit(5, u.RunDir)
            | Bit(6, u.ShortDir) | Bit(7, u.EventTime) | Bit(8, runDuration) | Bit(9, u.FinalLogf) | Bit(10, u.AttemptNum)
            | Bit(11, cpuLoad) | Bit(12, diskFree);
        // Parameters of absent fields are not in the statement's text; binding them NULL is harmless.
        var changes = commands.Native(UpdateTestSql(fields)).Bind(1, u.State).Bind(2, u.Status).Bind(3, u.Comment).Bind(4, u.Host)
            .Bind(5, u.Uname).Bind(6, u.RunDir).Bind(7, u.ShortDir).Bind(8, u.EventTime).Bind(9, runDuration)
            .Bind(10, u.FinalLogf).Bind(11, u.AttemptNum).Bind(12, cpuLoad).Bind(13, diskFree).Bind(14, now).Bind(15, testId)
            .Execute();
        if (changes != 1)
        {
            throw NoSuchTest(testId);
        }
    }

    private static int Bit<T>(int column, T? value) => value is null ? 0 : 1 << column;

    /// <summary>
    /// The row <paramref name="before"/> as <see cref="UpdateTestSql"/> leaves it: each non-null field replaces its
    /// column (a NaN counts as null: SQLite binds it as NULL), and last_update is <paramref name="now"/> (when that
    /// equals the stored time, update_tests_trigger stamps the row again; RETURNING would not show that either).
    /// Every value keeps its type through the column it is stored in (TEXT, INTEGER and REAL columns of the values
    /// of those types), so this is the row a read gives back.
    /// </summary>
    internal static TestRow Updated(TestRow before, TestUpdate u, long now) => before with
    {
        State = u.State ?? before.State,
        Status = u.Status ?? before.Status,
        Comment = u.Comment ?? before.Comment,
        Host = u.Host ?? before.Host,
        Uname = u.Uname ?? before.Uname,
        RunDir = u.RunDir ?? before.RunDir,
        ShortDir = u.ShortDir ?? before.ShortDir,
        EventTime = u.EventTime ?? before.EventTime,
        RunDuration = Real(u.RunDuration) ?? before.RunDuration,
        FinalLogf = u.FinalLogf ?? before.FinalLogf,
        AttemptNum = u.AttemptNum ?? before.AttemptNum,
        CpuLoad = Real(u.CpuLoad) ?? before.CpuLoad,
        DiskFree = Real(u.DiskFree) ?? before.DiskFree,
        LastUpdate = now,
    };

    private static double? Real(double? value) => value is { } v && double.IsNaN(v) ? null : value;

    private const string UpsertStepSql =
        "INSERT INTO test_steps (test_id, stepname, state, status, event_time, comment, logfile, last_update) " +
        "VALUES (@test_id, @stepname, @state, @status, @event_time, coalesce(@comment, ''), coalesce(@logfile, ''), @now) " +
        "ON CONFLICT (test_id, stepname, state) DO UPDATE SET status = excluded.status, event_time = excluded.event_time, " +
        "comment = coalesce(@comment, test_steps.comment), logfile = coalesce(@logfile, test_steps.logfile), " +
        "last_update = excluded.last_update";

    /// <summary>Inserts or replaces the step row (test, step name, state); a null comment or log file keeps the stored one.</summary>
    /// <exception cref="StorageException">The test does not exist.</exception>
    public void RecordStep(long testId, StepRecord step)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(step);
        ArgumentException.ThrowIfNullOrEmpty(step.StepName);
        RequireTestExists(testId);
        TestCommands(testId).Execute(
            UpsertStepSql,
            ("@test_id", testId),
            ("@stepname", step.StepName),
            ("@state", step.State ?? string.Empty),
            ("@status", step.Status ?? string.Empty),
            ("@event_time", step.EventTime),
            ("@comment", step.Comment),
            ("@logfile", step.LogFile),
            ("@now", WallClock()));
    }

    private const string UpsertTestDataSql =
        "INSERT INTO test_data (test_id, category, variable, value, expected, tol, units, comment, status, type, last_update) " +
        "VALUES (@test_id, @category, @variable, @value, @expected, @tol, @units, @comment, @status, @type, @now) " +
        "ON CONFLICT (test_id, category, variable) DO UPDATE SET value = excluded.value, expected = excluded.expected, " +
        "tol = excluded.tol, units = excluded.units, comment = excluded.comment, status = excluded.status, " +
        "type = excluded.type, last_update = excluded.last_update";

    /// <summary>
    /// Inserts or replaces test_data rows on (test, category, variable). Numeric-looking value/expected/tol are
    /// stored as numbers; a blank or <c>n/a</c> status is computed by <see cref="TestDataStatus"/> when possible.
    /// With <paramref name="rollup"/>, pass/fail counts and the test status are rolled up (SPEC §6.6) and the rows
    /// that changed are returned (the test, then its toplevel when that changed); otherwise an empty list.
    /// </summary>
    /// <exception cref="StorageException">The test does not exist or a row has no variable name.</exception>
    public IReadOnlyList<TestRow> RecordTestData(long testId, IReadOnlyList<TestDataInput> rows, bool rollup)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(rows);
        var before = RequireTest(testId);
        var now = WallClock();

        // Validate everything first so a bad row leaves no partial writes in the batch.
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row);
            if (string.IsNullOrWhiteSpace(row.Variable))
            {
                throw new StorageException(
                    $"test_data row (category '{row.Category}') for test {testId} has no variable name; every row needs one.");
            }
        }

        foreach (var row in rows)
        {
            var status = row.Status?.Trim();
            if (string.IsNullOrEmpty(status) || status == "n/a")
            {
                status = TestDataStatus.Compute(row.Value, row.Expected, row.Tol) ?? "n/a";
            }

            TestCommands(testId).Execute(
                UpsertTestDataSql,
                ("@test_id", testId),
                ("@category", row.Category?.Trim() ?? string.Empty),
                ("@variable", row.Variable.Trim()),
                ("@value", NumericText.ToDbValue(row.Value)),
                ("@expected", NumericText.ToDbValue(row.Expected)),
                ("@tol", NumericText.ToDbValue(row.Tol)),
                ("@units", row.Units?.Trim() ?? string.Empty),
                ("@comment", row.Comment?.Trim() ?? string.Empty),
                ("@status", status),
                ("@type", row.Type?.Trim() ?? string.Empty),
                ("@now", now));
        }

        if (!rollup)
        {
            return [];
        }

        ApplyDataRollup(testId, now);
        var after = RequireTest(testId);
        var changed = new List<TestRow>(2);
        if (after.Status != before.Status || after.PassCount != before.PassCount || after.FailCount != before.FailCount)
        {
            changed.Add(after);
        }

        if (after.ItemPath.Length > 0 && after.Status != before.Status)
        {
            _itemTally.Move(after.RunId, after.TestName, (before.State, before.Status), (after.State, after.Status));
            var toplevel = RollupToplevel(after.RunId, after.TestName, now);
            if (toplevel is not null)
            {
                changed.Add(toplevel);
            }
        }

        return changed;
    }

    private const string UpsertTestMetaSql =
        "INSERT INTO test_meta (testname, author, owner, description, reviewed, tags, jobgroup) " +
        "VALUES (@testname, coalesce(@author, ''), coalesce(@owner, ''), coalesce(@description, ''), " +
        "coalesce(@reviewed, ''), coalesce(@tags, ''), coalesce(@jobgroup, 'default')) " +
        "ON CONFLICT (testname) DO UPDATE SET author = coalesce(@author, test_meta.author), " +
        "owner = coalesce(@owner, test_meta.owner), description = coalesce(@description, test_meta.description), " +
        "reviewed = coalesce(@reviewed, test_meta.reviewed), tags = coalesce(@tags, test_meta.tags), " +
        "jobgroup = coalesce(@jobgroup, test_meta.jobgroup)";

    /// <summary>Inserts or updates the test_meta row of a test name; null fields keep the stored values.</summary>
    public void UpsertTestMeta(TestMeta meta)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentException.ThrowIfNullOrEmpty(meta.TestName);
        _commands.Execute(
            UpsertTestMetaSql,
            ("@testname", meta.TestName),
            ("@author", meta.Author),
            ("@owner", meta.Owner),
            ("@description", meta.Description),
            ("@reviewed", meta.Reviewed),
            ("@tags", meta.Tags),
            ("@jobgroup", meta.JobGroup));
    }

    // A state only moves forward (starting, running, ended): a late repeat of an older record cannot undo a newer one.
    private const string RecordCoordinatorRunSql =
        "INSERT INTO coordinator_runs (request_id, run_id, target, runname, testpatt, owner, requester, request, state, creation_time, last_update) " +
        "VALUES (@request_id, @run_id, @target, @runname, @testpatt, @owner, @requester, @request, @state, @now, @now) " +
        "ON CONFLICT (request_id) DO UPDATE SET run_id = excluded.run_id, " +
        "requester = CASE WHEN excluded.requester <> '' THEN excluded.requester ELSE coordinator_runs.requester END, " +
        "state = CASE WHEN " + StateRank + " >= " + OldStateRank + " THEN excluded.state ELSE coordinator_runs.state END, " +
        "last_update = @now";

    private const string StateRank = "(CASE excluded.state WHEN 'starting' THEN 0 WHEN 'running' THEN 1 ELSE 2 END)";
    private const string OldStateRank = "(CASE coordinator_runs.state WHEN 'starting' THEN 0 WHEN 'running' THEN 1 ELSE 2 END)";

    /// <summary>Records (or moves forward) a run a coordinator carries out; <see cref="CoordinatorRun.CreationTime"/> is ignored (now).</summary>
    /// <exception cref="StorageException">Unknown state, empty request id, or the run does not exist.</exception>
    public void RecordCoordinatorRun(CoordinatorRun run, long now)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(run);
        if (run.State is not (CoordinatorRun.Starting or CoordinatorRun.Running or CoordinatorRun.Ended))
        {
            throw new StorageException($"coordinator run {run.RequestId}: state '{run.State}' is not starting, running or ended");
        }

        if (run.RequestId.Length == 0 || ToLong(_commands.Scalar(RunExistsSql, ("@id", run.RunId))) == 0)
        {
            throw new StorageException($"coordinator run '{run.RequestId}': needs a request id and an existing run (run {run.RunId})");
        }

        _commands.Execute(
            RecordCoordinatorRunSql,
            ("@request_id", run.RequestId),
            ("@run_id", run.RunId),
            ("@target", run.Target),
            ("@runname", run.RunName),
            ("@testpatt", run.TestPatt),
            ("@owner", run.Owner),
            ("@requester", run.Requester),
            ("@request", run.Request),
            ("@state", run.State),
            ("@now", now));
    }

    private const string RaiseEpochSql =
        "INSERT INTO metadat (var, val) VALUES ('dbwriter-epoch', '1') " +
        "ON CONFLICT (var) DO UPDATE SET val = CAST(CAST(metadat.val AS INTEGER) + 1 AS TEXT)";

    private const string ReadEpochSql = "SELECT CAST(val AS INTEGER) FROM metadat WHERE var = 'dbwriter-epoch'";

    /// <summary>Raises the db writer's publish epoch (metadat <c>dbwriter-epoch</c>) by one and returns it (1 the first time).</summary>
    public long RaisePublishEpoch()
    {
        ThrowIfCompleted();
        _commands.Execute(RaiseEpochSql);
        return ToLong(_commands.Scalar(ReadEpochSql));
    }

    private const string UpdateRunSql =
        "UPDATE runs SET state = coalesce(@state, state), status = coalesce(@status, status), " +
        "comment = coalesce(@comment, comment), last_update = @now WHERE id = @id";

    /// <summary>Sets the non-null fields of a run and returns the updated row.</summary>
    /// <exception cref="StorageException">The run does not exist.</exception>
    public RunRow UpdateRun(long runId, string? state, string? status, string? comment, long now)
    {
        ThrowIfCompleted();
        var count = _commands.Execute(UpdateRunSql, ("@state", state), ("@status", status), ("@comment", comment), ("@now", now), ("@id", runId));
        if (count == 0)
        {
            throw new StorageException($"Cannot update run {runId}: no such run.");
        }

        return _reader.GetRun(runId) ?? throw new StorageException($"Run {runId} vanished during update.");
    }

    private const string DeleteStepsSql = "DELETE FROM test_steps WHERE test_id = @test_id";
    private const string DeleteTestDataSql = "DELETE FROM test_data WHERE test_id = @test_id";
    private const string DeleteTestRundatSql = "DELETE FROM test_rundat WHERE test_id = @test_id";
    private const string DeleteTestSql = "DELETE FROM tests WHERE id = @test_id";
    private const string CountRunTestsSql = "SELECT count(*) FROM tests WHERE run_id = @run_id";
    private const string DeleteRunStatsSql = "DELETE FROM run_stats WHERE run_id = @run_id";
    private const string DeleteExtradatSql = "DELETE FROM extradat WHERE run_id = @run_id";
    private const string DeleteRunSql = "DELETE FROM runs WHERE id = @run_id";

    /// <summary>
    /// Deletes the given tests of the run (with their steps, data and samples; ids of other runs are ignored), items
    /// before toplevels, and returns the deleted rows. When the run has no tests left, the run itself is deleted.
    /// </summary>
    public IReadOnlyList<TestRow> DeleteTests(long runId, IReadOnlyCollection<long> testIds)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(testIds);
        var rows = new List<TestRow>(testIds.Count);
        foreach (var id in testIds.Distinct())
        {
            if (_reader.GetTest(id) is { } row && row.RunId == runId)
            {
                rows.Add(row);
            }
        }

        // Items first, toplevels after them (SPEC §7.1 -remove-runs); stable otherwise.
        var ordered = rows.Where(r => r.ItemPath.Length > 0).Concat(rows.Where(r => r.ItemPath.Length == 0)).ToList();
        var runCommands = _tables.ForRun(runId);
        foreach (var row in ordered)
        {
            runCommands!.Execute(DeleteStepsSql, ("@test_id", row.Id));
            runCommands.Execute(DeleteTestDataSql, ("@test_id", row.Id));
            runCommands.Execute(DeleteTestRundatSql, ("@test_id", row.Id));
            runCommands.Execute(DeleteTestSql, ("@test_id", row.Id));
            _itemTally.Forget(runId, row.TestName);
        }

        if (runCommands is null || ToLong(runCommands.Scalar(CountRunTestsSql, ("@run_id", runId))) == 0)
        {
            _commands.Execute(DeleteRunStatsSql, ("@run_id", runId));
            _commands.Execute(DeleteExtradatSql, ("@run_id", runId));
            _commands.Execute(DeleteRunSql, ("@run_id", runId));
            _tables.RunDeleted(runId);
        }

        return ordered;
    }

    private const string ClearRunStatsSql = "DELETE FROM run_stats WHERE run_id = @run_id";

    // A run's tests in the order LeafTally needs, from the covering index tests_rollup_index without a sort.
    private const string RunTestsByNameSql = "SELECT testname, state, status, item_path FROM tests WHERE run_id = ?1 ORDER BY testname";

    private const string InsertRunStatSql =
        "INSERT INTO run_stats (run_id, state, status, count, last_update) VALUES (@run_id, @state, @status, @count, @now)";

    /// <summary>Recomputes the run_stats tallies (tests per state/status) of a run.</summary>
    public void RefreshRunStats(long runId, long now)
    {
        ThrowIfCompleted();
        _commands.Execute(ClearRunStatsSql, ("@run_id", runId));
        if (_tables.ForRun(runId) is not { } commands)
        {
            return;
        }

        // In the per-run layout the tests are read from the run file and the counts written to the main database.
        var tally = new LeafTally();
        commands.Native(RunTestsByNameSql).Bind(1, runId).Run(r => tally.Add(r.Utf8(0), r.Utf8(1), r.Utf8(2), r.Utf8(3).Length > 0));
        foreach (var (state, status, count) in tally.Finish())
        {
            _commands.Execute(InsertRunStatSql, ("@run_id", runId), ("@state", state), ("@status", status), ("@count", count), ("@now", now));
        }
    }

    /// <summary>Commits the transaction; the batch cannot be used afterwards.</summary>
    public void Commit()
    {
        ThrowIfCompleted();
        var committed = false;
        try
        {
            // Run files first: a packet is marked applied (main database) only once its rows are on disk.
            _tables.CommitRuns();
            _transaction.Commit();
            committed = true;
        }
        catch (SqliteException ex)
        {
            throw new StorageException($"Commit to database '{_database.Path}' failed: {ex.Message}", ex);
        }
        finally
        {
            Complete(committed);
        }
    }

    /// <summary>Rolls back unless committed.</summary>
    public void Dispose()
    {
        if (_completed)
        {
            return;
        }

        try
        {
            _tables.RollbackRuns();
            _transaction.Rollback();
        }
        finally
        {
            Complete(false);
        }
    }

    private void Complete(bool committed)
    {
        _completed = true;
        _transaction.Dispose();
        _database.EndBatch(this, committed);
    }

    private const string DataCountsSql =
        "SELECT coalesce(sum(CASE WHEN lower(status) = 'pass' THEN 1 ELSE 0 END), 0), " +
        "coalesce(sum(CASE WHEN lower(status) = 'fail' THEN 1 ELSE 0 END), 0) FROM test_data WHERE test_id = @test_id";

    private const string SetDataRollupSql =
        "UPDATE tests SET pass_count = @pass_count, fail_count = @fail_count, status = @status, last_update = @now WHERE id = @id";

    /// <summary>SPEC §6.6: store pass/fail counts; FAIL if any row failed, else PASS if any passed and the status is not WARN/FAIL.</summary>
    private void ApplyDataRollup(long testId, long now)
    {
        var test = RequireTest(testId);
        var (pass, fail) = TestCommands(testId).Single(DataCountsSql, r => new Counts(RowReaders.Long(r, 0), RowReaders.Long(r, 1)), ("@test_id", testId))
            ?? new Counts(0, 0);
        var status = fail > 0 ? "FAIL"
            : pass > 0 && test.Status is not ("WARN" or "FAIL") ? "PASS"
            : test.Status;
        if (status != test.Status || pass != test.PassCount || fail != test.FailCount)
        {
            TestCommands(testId).Execute(SetDataRollupSql, ("@pass_count", pass), ("@fail_count", fail), ("@status", status), ("@now", now), ("@id", testId));
        }
    }

    // Item counts by (state, status): the rollup depends only on which pairs exist. Served by tests_rollup_index.
    private const string ItemStatesSql =
        "SELECT state, status, count(*) FROM tests " +
        "WHERE run_id = @run_id AND testname = @testname AND item_path <> '' GROUP BY state, status";

    private const string SetStateStatusSql = "UPDATE tests SET state = @state, status = @status, last_update = @now WHERE id = @id";

    /// <summary>Recomputes the toplevel of an itemized test (SPEC §6.4); returns its row when it changed.</summary>
    private TestRow? RollupToplevel(long runId, string testName, long now)
    {
        var toplevel = _reader.FindTest(runId, testName, string.Empty);
        if (toplevel is null)
        {
            return null;
        }

        // Pairs come in ordinal (state, status) order, which decides ties between equal weights deterministically.
        var items = _itemTally.Pairs(runId, testName, () => RunCommands(runId).Query(
            ItemStatesSql,
            r => (RowReaders.Text(r, 0), RowReaders.Text(r, 1), RowReaders.Long(r, 2)),
            ("@run_id", runId),
            ("@testname", testName)));
        if (items.Count == 0)
        {
            return null;
        }

        var (state, status) = ToplevelRollup.Compute(items);
        if (state == toplevel.State && status == toplevel.Status)
        {
            return null;
        }

        RunCommands(runId).Execute(SetStateStatusSql, ("@state", state), ("@status", status), ("@now", now), ("@id", toplevel.Id));
        return RequireTest(toplevel.Id);
    }

    private TestRow RequireTest(long testId) => _reader.GetTest(testId) ?? throw NoSuchTest(testId);

    private StorageException NoSuchTest(long testId) => new($"No test with id {testId} in database '{_database.Path}'.");

    private const string TestExistsSql = "SELECT count(*) FROM tests WHERE id = @id";

    private void RequireTestExists(long testId)
    {
        if (_tables.ForTest(testId) is not { } commands || ToLong(commands.Scalar(TestExistsSql, ("@id", testId))) == 0)
        {
            throw NoSuchTest(testId);
        }
    }

    private CommandCache RunCommands(long runId) =>
        _tables.ForRun(runId) ?? throw new StorageException($"Run {runId} does not exist in database '{_database.Path}'.");

    private CommandCache TestCommands(long testId) =>
        _tables.ForTest(testId) ?? throw new StorageException($"No test with id {testId} in database '{_database.Path}'.");

    private const string LastInsertRowIdSql = "SELECT last_insert_rowid()";

    private long LastInsertRowId() => ToLong(_commands.Scalar(LastInsertRowIdSql));

    private void ValidateTarget(IReadOnlyList<string> keyValues)
    {
        var keys = _runSql.KeyNames;
        var invalid = keyValues.Count != keys.Count
            || keyValues.Any(v => string.IsNullOrEmpty(v) || v.Contains('/', StringComparison.Ordinal));
        if (invalid)
        {
            throw new StorageException(
                $"Invalid target '{string.Join("/", keyValues)}': expected one non-empty value for each key " +
                $"{string.Join("/", keys)} ({keys.Count} parts).");
        }
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("This write batch was already committed or rolled back; begin a new one.");
        }
    }

    private static long ToLong(object? value) => Convert.ToInt64(value ?? 0L, CultureInfo.InvariantCulture);

    private static long WallClock() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string FullName(string testName, string itemPath) => itemPath.Length == 0 ? testName : testName + "/" + itemPath;

    private sealed record Counts(long Pass, long Fail);
}
