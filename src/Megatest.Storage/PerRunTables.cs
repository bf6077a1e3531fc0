using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// <see cref="DatabaseLayout.PerRun"/>: each run's tests live in <c>MAIN.runs/RUNID.db</c>, a file with the same
/// schema (and migrations) as the main database of which only the per-run tables hold rows. The writer opens
/// (creating) the file of an existing run and joins it to the open batch; readers open existing files read-only.
/// At most <see cref="MaxOpen"/> files stay open; the least recently used one outside a batch is closed first.
/// </summary>
internal sealed class PerRunTables : RunTables
{
    /// <summary>Run files kept open at once.</summary>
    public const int MaxOpen = 32;

    private readonly string _mainPath;
    private readonly bool _writer;
    private readonly Dictionary<long, RunFile> _open = [];
    private readonly List<long> _deleted = [];
    private long _clock;

    public PerRunTables(CommandCache main, string mainPath, bool writer)
        : base(main)
    {
        _mainPath = mainPath;
        _writer = writer;
    }

    public override bool PerRun => true;

    private const string RunExistsSql = "SELECT count(*) FROM runs WHERE id = @id";

    public override CommandCache? ForRun(long runId)
    {
        if (!_open.TryGetValue(runId, out var file))
        {
            var path = RunFiles.PathOf(_mainPath, runId);
            if (runId <= 0 || (_writer ? Convert.ToInt64(Main.Scalar(RunExistsSql, ("@id", runId)), CultureInfo.InvariantCulture) == 0 : !File.Exists(path)))
            {
                return null;
            }

            Evict();
            file = _writer ? OpenWriter(path) : OpenReader(path);
            _open[runId] = file;
        }

        file.LastUse = ++_clock;
        if (_writer && Main.Transaction is not null && file.Transaction is null)
        {
            // Joins the open batch: BEGIN IMMEDIATE, committed just before the main database.
            file.Transaction = file.Connection.BeginTransaction(deferred: false);
            file.Commands.Transaction = file.Transaction;
        }

        return file.Commands;
    }

    public override CommandCache? ForTest(long testId) => ForRun(RunFiles.RunOfTest(testId));

    private const string RunIdsSql = "SELECT id FROM runs ORDER BY id";

    public override IEnumerable<CommandCache> All()
    {
        var ids = Main.Query(RunIdsSql, r => RowReaders.Long(r, 0));
        foreach (var id in ids)
        {
            if (ForRun(id) is { } commands)
            {
                yield return commands;
            }
        }
    }

    public override long? TestIdBase(long runId) => runId << RunFiles.TestIdShift;

    private const string ClearStepsSql = "DELETE FROM test_steps";
    private const string ClearDataSql = "DELETE FROM test_data";
    private const string ClearRundatSql = "DELETE FROM test_rundat";
    private const string ClearTestsSql = "DELETE FROM tests";

    public override void RunCreated(long runId)
    {
        var commands = ForRun(runId) ?? throw new StorageException($"Run {runId} was created but cannot be found in database '{_mainPath}'.");
        foreach (var sql in new[] { ClearStepsSql, ClearDataSql, ClearRundatSql, ClearTestsSql })
        {
            commands.Execute(sql);
        }
    }

    public override void RunDeleted(long runId) => _deleted.Add(runId);

    public override void CommitRuns()
    {
        foreach (var (runId, file) in _open)
        {
            try
            {
                file.Transaction?.Commit();
            }
            catch (SqliteException ex)
            {
                throw new StorageException($"Commit to run file '{RunFiles.PathOf(_mainPath, runId)}' failed: {ex.Message}", ex);
            }
        }
    }

    public override void RollbackRuns()
    {
        foreach (var file in _open.Values)
        {
            file.Transaction?.Rollback();
        }
    }

    public override void EndBatch(bool committed)
    {
        foreach (var file in _open.Values)
        {
            // Disposing a transaction that did not commit rolls it back.
            file.Transaction?.Dispose();
            file.Transaction = null;
            file.Commands.Transaction = null;
        }

        if (committed)
        {
            foreach (var runId in _deleted)
            {
                Close(runId);
                var path = RunFiles.PathOf(_mainPath, runId);
                foreach (var suffix in new[] { "", "-wal", "-shm" })
                {
                    File.Delete(path + suffix);
                }
            }
        }

        _deleted.Clear();
        Evict();
    }

    public override void Dispose()
    {
        foreach (var runId in _open.Keys.ToList())
        {
            Close(runId);
        }

        base.Dispose();
    }

    private static RunFile OpenWriter(string path)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var connection = SqliteConnections.OpenWriter(path);
        try
        {
            SqliteMigrator.Migrate(connection, path);
            return new RunFile(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static RunFile OpenReader(string path)
    {
        var connection = SqliteConnections.OpenReader(path);
        try
        {
            SqliteMigrator.EnsureNotNewer(SqliteMigrator.CurrentVersion(connection), path);
            return new RunFile(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StorageException($"Cannot read run file '{path}': {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Evict()
    {
        while (_open.Count >= MaxOpen)
        {
            var idle = _open.Where(kv => kv.Value.Transaction is null).OrderBy(kv => kv.Value.LastUse).Select(kv => (long?)kv.Key).FirstOrDefault();
            if (idle is not { } runId)
            {
                return;
            }

            Close(runId);
        }
    }

    private void Close(long runId)
    {
        if (_open.Remove(runId, out var file))
        {
            file.Transaction?.Dispose();
            file.Commands.Dispose();
            file.Connection.Dispose();
        }
    }

    private sealed class RunFile(SqliteConnection connection)
    {
        public SqliteConnection Connection { get; } = connection;

        public CommandCache Commands { get; } = new(connection);

        public SqliteTransaction? Transaction { get; set; }

        public long LastUse { get; set; }
    }
}
