using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// The single writer of an area's database. Only the db-writer role uses it; every change happens inside a
/// <see cref="WriteBatch"/> (one SQLite transaction). Not thread-safe: one batch at a time.
/// </summary>
public sealed partial class MegatestDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly RunTables _tables;
    private readonly RunSql _runSql;
    private WriteBatch? _activeBatch;

    // Item counts of itemized tests, kept across batches (see ItemStateTally) while nothing else writes the file.
    private readonly ItemStateTally _itemTally = new();
    private long _dataVersion = long.MinValue;
    private bool _disposed;

    private MegatestDatabase(SqliteConnection connection, RunSql runSql, string path, DatabaseLayout layout)
    {
        _connection = connection;
        _runSql = runSql;
        Path = path;
        Layout = layout;
        _tables = RunTables.Create(new CommandCache(connection), layout, path, writer: true);
    }

    /// <summary>The database file (the main database for <see cref="DatabaseLayout.PerRun"/>).</summary>
    public string Path { get; }

    /// <summary>Where the tests of each run live.</summary>
    public DatabaseLayout Layout { get; }

    /// <summary>
    /// Opens (creating if missing) the database at <paramref name="path"/>, migrates it to the latest schema and
    /// checks that its keys equal <paramref name="keyNames"/> (setting them up on a new database).
    /// </summary>
    /// <exception cref="StorageException">Invalid key names, a newer or foreign schema, or a key mismatch.</exception>
    public static MegatestDatabase Open(string path, IReadOnlyList<string> keyNames) => Open(path, keyNames, DatabaseLayout.Legacy);

    /// <summary>
    /// Opens the database as <see cref="Open(string, IReadOnlyList{string})"/> does, with the tests of each run kept as
    /// <paramref name="layout"/> says; a database keeps the layout it was first used with.
    /// </summary>
    /// <exception cref="StorageException">As above, or the database was set up with the other layout.</exception>
    public static MegatestDatabase Open(string path, IReadOnlyList<string> keyNames, DatabaseLayout layout)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(keyNames);
        KeySchema.Validate(keyNames);
        var keys = keyNames.ToArray();
        var connection = SqliteConnections.OpenWriter(path);
        try
        {
            SqliteMigrator.Migrate(connection, path);
            KeySchema.Ensure(connection, keys, path);
            RunFiles.Ensure(connection, layout, path);
            return new MegatestDatabase(connection, new RunSql(keys), path, layout);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StorageException($"Cannot prepare database '{path}': {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Starts a write transaction; dispose the batch without <see cref="WriteBatch.Commit"/> to roll back.</summary>
    /// <exception cref="InvalidOperationException">Another batch is still open.</exception>
    public WriteBatch BeginBatch()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_activeBatch is not null)
        {
            throw new InvalidOperationException("A write batch is already open on this database; commit or dispose it first.");
        }

        var transaction = _connection.BeginTransaction(deferred: false);
        _tables.Main.Transaction = transaction;
        KeepItemTallyIfUnchanged();
        _activeBatch = new WriteBatch(this, transaction, _tables, _runSql, _itemTally);
        return _activeBatch;
    }

    private const string DataVersionSql = "PRAGMA data_version";

    // The counts stay only while this connection is the only writer: data_version changes when another connection
    // committed to the file. Run files (per-run layout) are other files: there the counts last one batch, as before.
    private void KeepItemTallyIfUnchanged()
    {
        var version = Convert.ToInt64(_tables.Main.Scalar(DataVersionSql), System.Globalization.CultureInfo.InvariantCulture);
        if (Layout == DatabaseLayout.PerRun || version != _dataVersion || _itemTally.Count > ItemStateTally.MaxTests)
        {
            _itemTally.Clear();
        }

        _dataVersion = version;
    }

    /// <summary>Called by the batch when it ends (committed or rolled back).</summary>
    internal void EndBatch(WriteBatch batch, bool committed)
    {
        if (!committed)
        {
            // The counts followed the batch's writes, which are gone.
            _itemTally.Clear();
        }

        if (ReferenceEquals(_activeBatch, batch))
        {
            _activeBatch = null;
            _tables.Main.Transaction = null;
            _tables.EndBatch(committed);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _activeBatch?.Dispose();
        _tables.Dispose();
        _connection.Dispose();
    }
}
