using System.Globalization;
using Megatest.Storage;
using Microsoft.Data.Sqlite;

namespace Megatest.Bench.Common;

/// <summary>Builds benchmark databases: the schema from Megatest.Storage, the bulk of the rows by raw SQL.</summary>
public static class BenchDb
{
    /// <summary>The area keys every benchmark database uses.</summary>
    public static readonly string[] Keys = ["SYS", "REL"];

    /// <summary>
    /// Creates <paramref name="path"/> with one run per entry of <paramref name="runs"/> (run name, target values)
    /// holding <paramref name="testsPerRun"/> NOT_STARTED tests named tNNNNNN each. Returns the run ids.
    /// </summary>
    public static long[] Create(string path, IReadOnlyList<(string RunName, string[] KeyValues)> runs, int testsPerRun)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var ids = new long[runs.Count];
        using (var db = MegatestDatabase.Open(path, Keys))
        {
            using var tx = db.BeginBatch();
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            for (var i = 0; i < runs.Count; i++)
            {
                ids[i] = tx.EnsureRun(runs[i].KeyValues, runs[i].RunName, "bench", now, out _);
            }

            tx.Commit();
        }

        using var connection = Open(path);
        Exec(connection, "PRAGMA synchronous = OFF");
        using var insert = connection.CreateCommand();
        insert.CommandText =
            "INSERT INTO tests (run_id, testname, item_path, state, status, host, uname, rundir, shortdir, comment, event_time, run_duration, last_update) " +
            "VALUES (@run, @name, '', @state, @status, 'host1', 'Linux', @dir, @dir, '', @now, @dur, @now)";
        var pRun = insert.Parameters.Add("@run", SqliteType.Integer);
        var pName = insert.Parameters.Add("@name", SqliteType.Text);
        var pState = insert.Parameters.Add("@state", SqliteType.Text);
        var pStatus = insert.Parameters.Add("@status", SqliteType.Text);
        var pDir = insert.Parameters.Add("@dir", SqliteType.Text);
        var pNow = insert.Parameters.Add("@now", SqliteType.Integer);
        var pDur = insert.Parameters.Add("@dur", SqliteType.Real);
        var t0 = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var r = 0; r < runs.Count; r++)
        {
            using var tx = connection.BeginTransaction();
            insert.Transaction = tx;
            for (var t = 0; t < testsPerRun; t++)
            {
                var name = "t" + t.ToString("D6", CultureInfo.InvariantCulture);
                pRun.Value = ids[r];
                pName.Value = name;
                pState.Value = runs.Count == 1 ? "NOT_STARTED" : "COMPLETED";
                pStatus.Value = runs.Count == 1 ? "n/a" : (t % 50 == 0 ? "FAIL" : "PASS");
                pDir.Value = $"/runs/{string.Join('/', runs[r].KeyValues)}/{runs[r].RunName}/{name}";
                pNow.Value = t0;
                pDur.Value = t % 100;
                insert.ExecuteNonQuery();
            }

            tx.Commit();
        }

        Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        return ids;
    }

    /// <summary>A read-write connection without pooling (so the file is closed on dispose).</summary>
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Runs one statement.</summary>
    public static void Exec(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Copies a closed database file (and nothing else) to <paramref name="to"/>.</summary>
    public static void CopyFresh(string from, string to)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(to + suffix);
        }

        File.Copy(from, to);
    }

    /// <summary>Deletes a database and its WAL files.</summary>
    public static void Delete(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}
