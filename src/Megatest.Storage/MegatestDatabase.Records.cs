using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>Whole-run moves between megatest.db and completed-runs.db (RFC M02), done by the db writer on its own connection.</summary>
public sealed partial class MegatestDatabase
{
    /// <summary>The file finished runs are moved into, beside megatest.db.</summary>
    public const string CompletedRunsFileName = "completed-runs.db";

    /// <summary>completed-runs.db beside the database at <paramref name="databasePath"/>.</summary>
    public static string CompletedRunsPath(string databasePath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(databasePath))!, CompletedRunsFileName);

    /// <summary>
    /// Moves whole runs into completed-runs.db (<paramref name="toCompleted"/>) or back, creating that file with the
    /// full schema and this area's keys when missing. Returns one sentence per run left where it was, and why.
    /// </summary>
    /// <exception cref="InvalidOperationException">A write batch is open.</exception>
    /// <exception cref="StorageException">The database keeps runs in files of their own (<see cref="DatabaseLayout.PerRun"/>).</exception>
    public IReadOnlyList<string> MoveRuns(IReadOnlyList<long> runIds, bool toCompleted)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(runIds);
        if (_activeBatch is not null)
        {
            throw new InvalidOperationException("A write batch is open; runs are moved between batches.");
        }

        if (Layout == DatabaseLayout.PerRun)
        {
            // A run's records are its own file already; moving only its runs row would split them.
            throw new StorageException($"Runs of '{Path}' are not moved to {CompletedRunsFileName}: with [db] api new each run's records are a file of their own.");
        }

        _itemTally.Clear();
        var completed = CompletedRunsPath(Path);
        if (!toCompleted && !File.Exists(completed))
        {
            return runIds.Select(id => $"run {id} stays: there is no {CompletedRunsFileName}").ToList();
        }

        using (Open(completed, _runSql.KeyNames))
        {
            // Creates or migrates the file and checks its keys; closed again before it is attached.
        }

        Run("ATTACH DATABASE @path AS completed", ("@path", completed));
        try
        {
            Run("PRAGMA completed.synchronous = FULL");
            return RecordMover.Move(_connection, runIds, toCompleted ? "main" : "completed", toCompleted ? "completed" : "main");
        }
        finally
        {
            Run("DETACH DATABASE completed");
        }
    }

    private void Run(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
