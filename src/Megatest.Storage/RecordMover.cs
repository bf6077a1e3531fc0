using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// Moves whole runs between an area's megatest.db and the full-schema completed-runs.db beside it (RFC M02,
/// <c>-reduce-records</c> / <c>-restore-records</c>). Runs and tests keep their ids, so a run moved out and back is
/// the same rows; the other tables keep theirs unless the id is taken on the other side. Used only by the db writer,
/// on its own connection: the copy commits first, the delete second, so a crash between the two leaves a run in
/// both files (moving it again repairs that), never in neither.
/// </summary>
internal static class RecordMover
{
    /// <summary>The tables that hold a run's rows, parents first, with the column naming the run or the test.</summary>
    private static readonly (string Table, string Owner)[] s_tables =
    [
        ("runs", "run"),
        ("run_stats", "run_id"),
        ("extradat", "run_id"),
        ("tests", "run_id"),
        ("test_steps", "test_id"),
        ("test_data", "test_id"),
        ("test_rundat", "test_id"),
        ("archives", "run_id"),
    ];

    /// <summary>States that mean a test is still on its way; a run holding one is not finished.</summary>
    private const string UnfinishedCondition =
        "state IN ('LAUNCHED','REMOTEHOSTSTART','RUNNING','KILLREQ','CLEANING','REMOVING','ARCHIVE_REMOVING') " +
        "OR (state = 'NOT_STARTED' AND status IN ('n/a','','KEEP_TRYING'))";

    /// <summary>
    /// Moves <paramref name="runIds"/> from schema <paramref name="from"/> to <paramref name="to"/> (<c>main</c> or
    /// <c>completed</c>, attached by the caller). Returns a sentence for each run that was left where it was.
    /// </summary>
    public static List<string> Move(SqliteConnection connection, IReadOnlyList<long> runIds, string from, string to)
    {
        var leftAlone = new List<string>();
        var moving = new List<long>();
        var reducing = from == "main";
        foreach (var runId in runIds.Distinct())
        {
            if (Problem(connection, runId, from, to, reducing) is { } problem)
            {
                leftAlone.Add($"run {runId} stays: {problem}");
            }
            else
            {
                moving.Add(runId);
            }
        }

        if (moving.Count == 0)
        {
            return leftAlone;
        }

        var ids = string.Join(",", moving.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        using (var copy = connection.BeginTransaction(deferred: false))
        {
            foreach (var (table, owner) in s_tables)
            {
                Execute(connection, copy, CopySql(connection, table, owner, ids, from, to));
            }

            copy.Commit();
        }

        using (var delete = connection.BeginTransaction(deferred: false))
        {
            foreach (var (table, owner) in s_tables.Reverse())
            {
                Execute(connection, delete, $"DELETE FROM {from}.{table} WHERE {Selection(owner, ids, from)}");
            }

            delete.Commit();
        }

        return leftAlone;
    }

    private static string? Problem(SqliteConnection connection, long runId, string from, string to, bool reducing)
    {
        string Count(string sql) => Convert.ToString(Scalar(connection, sql, runId), CultureInfo.InvariantCulture) ?? "0";
        if (Count($"SELECT count(*) FROM {from}.runs WHERE id = @id") == "0")
        {
            return $"it is not in {FileOf(from)}";
        }

        if (Count($"SELECT count(*) FROM {to}.runs WHERE id = @id") != "0")
        {
            return $"{FileOf(to)} already holds a run with id {runId}";
        }

        if (Count($"SELECT count(*) FROM {to}.tests WHERE id IN (SELECT id FROM {from}.tests WHERE run_id = @id)") != "0")
        {
            return $"{FileOf(to)} already holds tests with the ids of this run's tests";
        }

        if (Count($"SELECT count(*) FROM {from}.tests WHERE run_id = @id AND ({UnfinishedCondition})") != "0")
        {
            return "it is not finished (tests still to run, running or being removed)";
        }

        if (Count($"SELECT count(*) FROM {from}.runs WHERE id = @id AND state = 'locked'") != "0")
        {
            return "it is locked";
        }

        // New rows take the highest id + 1: the run holding the highest run or test id stays in megatest.db, so the
        // ids of moved runs are never handed out again and a run can always come back.
        if (reducing && (Count("SELECT coalesce(max(id), 0) = @id FROM main.runs") == "1"
            || Count("SELECT count(*) FROM main.tests WHERE run_id = @id AND id = (SELECT max(id) FROM main.tests)") != "0"))
        {
            return "it holds the newest rows of megatest.db (ids are never reused, so the newest run stays)";
        }

        return null;
    }

    private static string FileOf(string schema) => schema == "main" ? "megatest.db" : "completed-runs.db";

    private static string Selection(string owner, string ids, string schema, string prefix = "") => owner switch
    {
        "run" => $"{prefix}id IN ({ids})",
        "run_id" => $"{prefix}run_id IN ({ids})",
        _ => $"{prefix}test_id IN (SELECT id FROM {schema}.tests WHERE run_id IN ({ids}))",
    };

    private static string CopySql(SqliteConnection connection, string table, string owner, string ids, string from, string to)
    {
        // Columns both files have, named from their own schemas (never from input); key columns may sit in another order.
        var target = Columns(connection, to, table);
        var columns = Columns(connection, from, table).Where(target.Contains).ToList();
        var list = string.Join(", ", columns.Select(c => "\"" + c + "\""));
        var keepIds = owner is "run" || table == "tests";
        // Rows that nothing refers to keep their id when it is free on the other side, else get a new one.
        var select = string.Join(", ", columns.Select(c => c == "id" && !keepIds
            ? $"CASE WHEN EXISTS (SELECT 1 FROM {to}.{table} o WHERE o.id = s.id) THEN NULL ELSE s.id END"
            : "s.\"" + c + "\""));
        return $"INSERT INTO {to}.{table} ({list}) SELECT {select} FROM {from}.{table} s WHERE {Selection(owner, ids, from, "s.")}";
    }

    private static HashSet<string> Columns(SqliteConnection connection, string schema, string table)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {schema}.table_info({table})";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            columns.Add(reader.GetString(1));
        }

        return columns;
    }

    private static object? Scalar(SqliteConnection connection, string sql, long runId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@id", runId);
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
