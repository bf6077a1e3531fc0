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

    private const string LastTestChangeSql = "SELECT coalesce(max(last_update), 0) FROM run_stats";

    /// <summary>
    /// When a test of any run last changed (epoch seconds, 0 when never): the newest run_stats refresh, which the db
    /// writer makes within a fraction of a second of each change. Read from the main database in either layout.
    /// </summary>
    public long LastTestChange() => Convert.ToInt64(_tables.Main.Scalar(LastTestChangeSql) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Dispose()
    {
        _tables.Dispose();
        _connection.Dispose();
    }
}
