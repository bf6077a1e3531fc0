using System.Diagnostics;
using Megatest.Storage;
using Microsoft.Data.Sqlite;

namespace Megatest.Bench.Dashboard;

/// <summary>Builds a megatest.db of the requested size: the schema through Megatest.Storage, the rows by raw bulk insert.</summary>
internal static class BenchDatabase
{
    private static readonly string[] s_statuses = ["PASS", "PASS", "PASS", "PASS", "PASS", "PASS", "FAIL", "WARN", "n/a", "ABORT"];

    /// <summary>Creates the database; the big run gets <paramref name="bigRun"/> rows and is the newest; the rest fill runs of <paramref name="otherRunSize"/>.</summary>
    public static (long BigRunId, double Seconds) Build(string path, long totalRows, int bigRun, int otherRunSize)
    {
        var clock = Stopwatch.StartNew();
        using (MegatestDatabase.Open(path, ["PLATFORM", "RELEASE"]))
        {
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Exec(connection, "PRAGMA journal_mode = WAL");
        Exec(connection, "PRAGMA synchronous = OFF");
        using var tx = connection.BeginTransaction();
        using var runInsert = connection.CreateCommand();
        runInsert.Transaction = tx;
        runInsert.CommandText = "INSERT INTO runs (PLATFORM, RELEASE, runname, state, status, owner, event_time, last_update) VALUES (@p, @r, @n, 'new', 'n/a', 'bench', @t, @t) RETURNING id";
        var p = runInsert.Parameters.Add("@p", SqliteType.Text);
        var r = runInsert.Parameters.Add("@r", SqliteType.Text);
        var n = runInsert.Parameters.Add("@n", SqliteType.Text);
        var t = runInsert.Parameters.Add("@t", SqliteType.Integer);

        using var testInsert = connection.CreateCommand();
        testInsert.Transaction = tx;
        testInsert.CommandText = "INSERT INTO tests (run_id, testname, item_path, state, status, host, uname, rundir, shortdir, event_time, run_duration, comment, last_update) " +
            "VALUES (@run, @name, @item, @state, @status, 'host1', 'Linux', @dir, @dir, @start, @dur, '', @start)";
        var tr = testInsert.Parameters.Add("@run", SqliteType.Integer);
        var tn = testInsert.Parameters.Add("@name", SqliteType.Text);
        var ti = testInsert.Parameters.Add("@item", SqliteType.Text);
        var tst = testInsert.Parameters.Add("@state", SqliteType.Text);
        var tss = testInsert.Parameters.Add("@status", SqliteType.Text);
        var td = testInsert.Parameters.Add("@dir", SqliteType.Text);
        var tt = testInsert.Parameters.Add("@start", SqliteType.Integer);
        var tdur = testInsert.Parameters.Add("@dur", SqliteType.Real);

        var written = 0L;
        var runNumber = 0;
        var baseTime = 1_700_000_000L;
        long bigRunId = 0;
        while (written < totalRows)
        {
            var isBig = totalRows - written <= bigRun;
            var size = isBig ? (int)(totalRows - written) : (int)Math.Min(otherRunSize, totalRows - written - bigRun);
            p.Value = "linux";
            r.Value = "rel" + (runNumber % 10);
            n.Value = isBig ? "big" : "r" + runNumber;
            t.Value = baseTime + runNumber * 3600L;
            var runId = Convert.ToInt64(runInsert.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (isBig)
            {
                bigRunId = runId;
            }

            tr.Value = runId;
            var rows = 0;
            var test = 0;
            while (rows < size)
            {
                var name = "test" + test.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
                // Every 20th test has 10 items (and its toplevel record); the rest are plain tests.
                var items = test % 20 == 7 && size - rows >= 11 ? 10 : 0;
                for (var i = -1; i < items; i++)
                {
                    if (items == 0 && i >= 0)
                    {
                        break;
                    }

                    var item = i < 0 ? "" : "item" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var pick = (int)((test * 7919L + (i + 1) * 104729L + runNumber) % s_statuses.Length);
                    tn.Value = name;
                    ti.Value = item;
                    tst.Value = (test + runNumber) % 97 == 0 ? "RUNNING" : "COMPLETED";
                    tss.Value = s_statuses[pick];
                    td.Value = $"/runs/linux/r{runNumber}/{name}/{item}";
                    tt.Value = baseTime + runNumber * 3600L + test % 3000;
                    tdur.Value = 1 + (test % 300);
                    testInsert.ExecuteNonQuery();
                    rows++;
                    if (items == 0)
                    {
                        break;
                    }
                }

                test++;
            }

            written += rows;
            runNumber++;
        }

        Exec(connection, "INSERT INTO run_stats (run_id, state, status, count) SELECT run_id, state, status, count(*) FROM tests GROUP BY run_id, state, status", tx);
        tx.Commit();
        Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        return (bigRunId, clock.Elapsed.TotalSeconds);
    }

    private static void Exec(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
