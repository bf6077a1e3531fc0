using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary><c>-full-db</c>: queries that see the runs of completed-runs.db as well (RFC M02).</summary>
public sealed partial class MegatestQueries
{
    private static readonly string[] s_runTables = ["runs", "run_stats", "tests", "test_steps", "test_data", "test_rundat", "extradat", "archives"];

    /// <summary>
    /// Opens the database read-only; with <paramref name="fullDb"/> the completed-runs.db beside it (when there is one)
    /// is attached and every run table reads as the union of both files, so each query sees all runs.
    /// </summary>
    public static MegatestQueries Open(string path, bool fullDb)
    {
        var queries = Open(path);
        var completed = MegatestDatabase.CompletedRunsPath(path);
        if (!fullDb || !File.Exists(completed))
        {
            return queries;
        }

        try
        {
            queries.AttachCompleted(completed);
            return queries;
        }
        catch (SqliteException ex)
        {
            queries.Dispose();
            throw new StorageException($"Cannot attach '{completed}': {ex.Message}", ex);
        }
    }

    /// <summary>The runs <paramref name="runIds"/> with all their rows, as a bundle for <see cref="WriteBatch.ImportRuns"/> in another area.</summary>
    public string ExportRuns(IReadOnlyList<long> runIds)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        return RunBundle.Export(_connection, id => _tables.ForRun(id)?.Connection, _reader.Keys(), runIds);
    }

    private const string LatestArchiveSql =
        "SELECT b.disk_path, a.archive_path FROM archives a JOIN archive_blocks b ON b.id = a.archive_block_id " +
        "WHERE a.test_id = @id ORDER BY a.id DESC LIMIT 1";

    /// <summary>The newest archive of a test: its block directory and the archive inside it; null when it was never archived.</summary>
    public (string BlockPath, string ArchivePath)? LatestArchive(long testId)
    {
        var row = _tables.Main.Single(LatestArchiveSql, r => new[] { r.IsDBNull(0) ? "" : r.GetString(0), r.IsDBNull(1) ? "" : r.GetString(1) }, ("@id", testId));
        return row is null ? null : (row[0], row[1]);
    }

    private void AttachCompleted(string completed)
    {
        Exec("ATTACH DATABASE @path AS completed", completed);
        foreach (var table in s_runTables)
        {
            var theirs = Columns("completed", table);
            var columns = string.Join(", ", Columns("main", table).Where(theirs.Contains).Select(c => "\"" + c + "\""));
            // A temporary view is found before the main table of the same name, so every query reads the union.
            Exec($"CREATE TEMP VIEW {table} AS SELECT {columns} FROM main.{table} UNION ALL SELECT {columns} FROM completed.{table}");
        }
    }

    private List<string> Columns(string schema, string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"PRAGMA {schema}.table_info({table})";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(1));
        }

        return columns;
    }

    private void Exec(string sql, string? path = null)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        if (path is not null)
        {
            command.Parameters.AddWithValue("@path", path);
        }

        command.ExecuteNonQuery();
    }
}
