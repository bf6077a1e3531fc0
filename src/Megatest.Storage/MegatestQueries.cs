using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>Read-only access to an area's database for the CLI and monitors (connection opened with Mode=ReadOnly).</summary>
public sealed partial class MegatestQueries : IRunReader, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly RunTables _tables;
    private readonly SqliteRunReader _reader;

    private MegatestQueries(SqliteConnection connection, RunSql runSql, DatabaseLayout layout, string path)
    {
        _connection = connection;
        _tables = RunTables.Create(new CommandCache(connection), layout, path, writer: false);
        _reader = new SqliteRunReader(_tables, runSql);
    }

    /// <summary>The read-only connection (tests use it to prove that writes are refused).</summary>
    internal SqliteConnection Connection => _connection;

    /// <summary>Opens an existing database read-only (and, for <see cref="DatabaseLayout.PerRun"/>, its run files as needed).</summary>
    /// <exception cref="StorageException">The file is missing, not a Megatest for .NET database, or newer than this build.</exception>
    public static MegatestQueries Open(string path)
    {
        var connection = SqliteConnections.OpenReader(path);
        try
        {
            var version = SqliteMigrator.CurrentVersion(connection);
            SqliteMigrator.EnsureNotNewer(version, path);
            if (version == 0)
            {
                throw new StorageException(
                    $"Database '{path}' has no Megatest for .NET schema (PRAGMA user_version = 0); open it with the db writer first.");
            }

            var keys = KeySchema.ReadKeys(connection, null);
            return new MegatestQueries(connection, new RunSql(keys), RunFiles.Read(connection), path);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StorageException($"Cannot read database '{path}': {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Keys() => _reader.Keys();

    /// <inheritdoc />
    public RunRow? FindRun(IReadOnlyList<string> keyValues, string runName) => _reader.FindRun(keyValues, runName);

    /// <inheritdoc />
    public RunRow? GetRun(long runId) => _reader.GetRun(runId);

    /// <inheritdoc />
    public IReadOnlyList<RunRow> Runs(string? targetPattern, string? runNamePattern) => _reader.Runs(targetPattern, runNamePattern);

    /// <inheritdoc />
    public TestRow? GetTest(long testId) => _reader.GetTest(testId);

    /// <inheritdoc />
    public TestRow? FindTest(long runId, string testName, string itemPath) => _reader.FindTest(runId, testName, itemPath);

    /// <inheritdoc />
    public IReadOnlyList<TestRow> Tests(long runId) => _reader.Tests(runId);

    /// <inheritdoc />
    public IReadOnlyList<TestRow> TestsInStates(IReadOnlyCollection<string> states) => _reader.TestsInStates(states);

    /// <inheritdoc />
    public IReadOnlyList<StepRow> Steps(long testId) => _reader.Steps(testId);

    /// <inheritdoc />
    public IReadOnlyList<TestDataRow> TestData(long testId) => _reader.TestData(testId);

    /// <inheritdoc />
    public IReadOnlyList<RunStatRow> RunStats(long runId) => _reader.RunStats(runId);

    /// <inheritdoc />
    public IReadOnlyList<string> DistinctTargets() => _reader.DistinctTargets();

    internal const string ListTestsSql =
        "SELECT id, testname, item_path, state, status, comment, run_duration, event_time, host, rundir FROM tests " +
        "WHERE run_id = @run_id AND (@states IS NULL OR state IN (SELECT value FROM json_each(@states))) " +
        "AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses))) ORDER BY testname, item_path";

    /// <summary>
    /// The tests of a run in name order, only the columns a listing shows, optionally only those whose state is in
    /// <paramref name="states"/> and whose status is in <paramref name="statuses"/> (filtered in SQL).
    /// </summary>
    public IReadOnlyList<TestListing> ListTests(long runId, IReadOnlyCollection<string>? states = null, IReadOnlyCollection<string>? statuses = null) =>
        _tables.ForRun(runId)?.Query(
            ListTestsSql,
            ReadListing,
            ("@run_id", runId),
            ("@states", JsonList(states)),
            ("@statuses", JsonList(statuses))) ?? [];

    // A listing reads thousands of rows: typed getters (SQLite converts a value stored with another type, as
    // RowReaders does) cost about half of GetValue's probe and box per column.
    private static TestListing ReadListing(SqliteDataReader r) => new(
        r.GetInt64(0),
        TextOrEmpty(r, 1),
        TextOrEmpty(r, 2),
        TextOrEmpty(r, 3),
        TextOrEmpty(r, 4),
        TextOrEmpty(r, 5),
        r.IsDBNull(6) ? 0 : r.GetDouble(6),
        r.IsDBNull(7) ? 0 : r.GetInt64(7),
        TextOrEmpty(r, 8),
        TextOrEmpty(r, 9));

    private static string TextOrEmpty(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? string.Empty : r.GetString(ordinal);

    // One bound JSON array keeps the SQL constant whatever the number of values.
    internal static string? JsonList(IReadOnlyCollection<string>? values) =>
        values is null ? null : System.Text.Json.JsonSerializer.Serialize(values.ToArray(), StorageJsonContext.Default.StringArray);

    private const string UnfinishedCoordinatorRunsSql =
        "SELECT " + CoordinatorRun.Columns + " FROM coordinator_runs WHERE state <> 'ended' ORDER BY creation_time, request_id";

    /// <summary>Runs a coordinator started and did not finish (state starting or running), oldest first.</summary>
    public IReadOnlyList<CoordinatorRun> UnfinishedCoordinatorRuns() => _tables.Main.Query(UnfinishedCoordinatorRunsSql, CoordinatorRun.Read);

    private const string FindCoordinatorRunSql = "SELECT " + CoordinatorRun.Columns + " FROM coordinator_runs WHERE request_id = @id";

    /// <summary>The run recorded for the RunRequest <paramref name="requestId"/> (32 hex digits), or null.</summary>
    public CoordinatorRun? FindCoordinatorRun(string requestId) => _tables.Main.Single(FindCoordinatorRunSql, CoordinatorRun.Read, ("@id", requestId));

    private const string LastTestChangeSql = "SELECT coalesce(max(last_update), 0) FROM run_stats";

    /// <summary>
    /// When a test of any run last changed (epoch seconds, 0 when never): the newest run_stats refresh, which the db
    /// writer makes within seconds of each change (at most every 10 s under heavy load). Read from the main database in either layout.
    /// </summary>
    public long LastTestChange() => Convert.ToInt64(_tables.Main.Scalar(LastTestChangeSql) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose()
    {
        _tables.Dispose();
        _connection.Dispose();
    }
}
