using System.Text.Json;

namespace Megatest.Storage;

/// <summary>The SQLite implementation of <see cref="IRunReader"/>, shared by the write batch and the read-only queries.</summary>
internal sealed class SqliteRunReader : IRunReader
{
    private readonly RunTables _tables;
    private readonly CommandCache _commands;
    private readonly RunSql _runSql;

    public SqliteRunReader(RunTables tables, RunSql runSql)
    {
        _tables = tables;
        _commands = tables.Main;
        _runSql = runSql;
    }

    public IReadOnlyList<string> Keys() => _runSql.KeyNames;

    public RunRow? FindRun(IReadOnlyList<string> keyValues, string runName)
    {
        ArgumentNullException.ThrowIfNull(keyValues);
        ArgumentNullException.ThrowIfNull(runName);
        if (keyValues.Count != _runSql.KeyNames.Count)
        {
            return null;
        }

        var parameters = _runSql.KeyParameters(keyValues, "k", 1);
        parameters[^1] = ("@runname", runName);
        return _commands.Single(_runSql.FindRun, _runSql.ReadRun, parameters);
    }

    public RunRow? GetRun(long runId) => _commands.Single(_runSql.GetRun, _runSql.ReadRun, ("@id", runId));

    public IReadOnlyList<RunRow> Runs(string? targetPattern, string? runNamePattern)
    {
        var parameters = _runSql.MatchParameters(targetPattern, runNamePattern);
        return parameters is null ? [] : _commands.Query(_runSql.MatchRuns, _runSql.ReadRun, parameters);
    }

    private const string GetTestSql = "SELECT " + RowReaders.TestColumns + " FROM tests WHERE id = @id";

    public TestRow? GetTest(long testId) => _tables.ForTest(testId)?.Single(GetTestSql, RowReaders.Test, ("@id", testId));

    private const string FindTestSql =
        "SELECT " + RowReaders.TestColumns + " FROM tests WHERE run_id = @run_id AND testname = @testname AND item_path = @item_path";

    public TestRow? FindTest(long runId, string testName, string itemPath)
    {
        ArgumentNullException.ThrowIfNull(testName);
        ArgumentNullException.ThrowIfNull(itemPath);
        return _tables.ForRun(runId)?.Single(FindTestSql, RowReaders.Test, ("@run_id", runId), ("@testname", testName), ("@item_path", itemPath));
    }

    private const string TestsSql =
        "SELECT " + RowReaders.TestColumns + " FROM tests WHERE run_id = @run_id ORDER BY testname, item_path";

    public IReadOnlyList<TestRow> Tests(long runId) => _tables.ForRun(runId)?.Query(TestsSql, RowReaders.Test, ("@run_id", runId)) ?? [];

    private const string TestsInStatesSql =
        "SELECT " + RowReaders.TestColumns + " FROM tests WHERE state IN (SELECT value FROM json_each(@states)) " +
        "ORDER BY run_id, testname, item_path";

    public IReadOnlyList<TestRow> TestsInStates(IReadOnlyCollection<string> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return [];
        }

        // One bound JSON array keeps the SQL constant whatever the number of states.
        var json = JsonSerializer.Serialize(states.ToArray(), StorageJsonContext.Default.StringArray);
        return [.. _tables.All().SelectMany(c => c.Query(TestsInStatesSql, RowReaders.Test, ("@states", json)))];
    }

    internal const string StepsSql =
        "SELECT " + RowReaders.StepColumns + " FROM test_steps WHERE test_id = @test_id ORDER BY event_time, id";

    public IReadOnlyList<StepRow> Steps(long testId) => _tables.ForTest(testId)?.Query(StepsSql, RowReaders.Step, ("@test_id", testId)) ?? [];

    private const string TestDataSql =
        "SELECT " + RowReaders.DataColumns + " FROM test_data WHERE test_id = @test_id ORDER BY category, variable";

    public IReadOnlyList<TestDataRow> TestData(long testId) => _tables.ForTest(testId)?.Query(TestDataSql, RowReaders.Data, ("@test_id", testId)) ?? [];

    private const string RunStatsSql =
        "SELECT state, status, count FROM run_stats WHERE run_id = @run_id ORDER BY state, status";

    public IReadOnlyList<RunStatRow> RunStats(long runId) => _commands.Query(RunStatsSql, RowReaders.RunStat, ("@run_id", runId));

    public IReadOnlyList<string> DistinctTargets()
    {
        var count = Math.Max(1, _runSql.KeyNames.Count);
        return _commands.Query(
            _runSql.DistinctTargets,
            r => string.Join("/", Enumerable.Range(0, count).Select(i => RowReaders.Text(r, i))));
    }
}
