using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// Lets SQL written for one database read the per-run tables of <see cref="DatabaseLayout.PerRun"/>: the run files
/// a query needs are attached to the read-only main connection and temporary views named like the tables
/// (<c>tests</c>, <c>test_steps</c>, …) join them with UNION ALL; temporary objects shadow the main database's
/// empty tables. SQLite attaches at most a few files at once (10 by default), so a larger set is copied into
/// temporary tables group by group instead (a snapshot: open one per request, as <see cref="DashboardQueries"/> asks).
/// </summary>
internal sealed class RunFileViews
{
    private static readonly string[] s_tables = ["tests", "test_steps", "test_data", "test_rundat"];
    private readonly SqliteConnection _connection;
    private readonly string _mainPath;
    private long[]? _exposed;
    private int _attached;
    private bool _copied;

    public RunFileViews(SqliteConnection connection, string mainPath)
    {
        _connection = connection;
        _mainPath = mainPath;
    }

    /// <summary>Makes the tests of <paramref name="runIds"/> (those that have a file) what the per-run table names show.</summary>
    public void Expose(IEnumerable<long> runIds)
    {
        var ids = runIds.Where(id => id > 0 && File.Exists(RunFiles.PathOf(_mainPath, id))).Distinct().Order().ToArray();
        if (_exposed is not null && ids.SequenceEqual(_exposed))
        {
            return;
        }

        Reset();
        var limit = Math.Max(1, SQLitePCL.raw.sqlite3_limit(_connection.Handle, SQLitePCL.raw.SQLITE_LIMIT_ATTACHED, -1));
        if (ids.Length == 0)
        {
            // The main database's own per-run tables are empty in this layout.
        }
        else if (ids.Length <= limit)
        {
            var schemas = ids.Select(Attach).ToList();
            foreach (var table in s_tables)
            {
                Execute($"CREATE TEMP VIEW {table} AS " + string.Join(" UNION ALL ", schemas.Select(s => $"SELECT * FROM {s}.{table}")));
            }
        }
        else
        {
            foreach (var table in s_tables)
            {
                Execute($"CREATE TEMP TABLE {table} AS SELECT * FROM main.{table} WHERE 0");
            }

            foreach (var group in ids.Chunk(limit))
            {
                var schemas = group.Select(Attach).ToList();
                foreach (var table in s_tables)
                {
                    foreach (var schema in schemas)
                    {
                        Execute($"INSERT INTO temp.{table} SELECT * FROM {schema}.{table}");
                    }
                }

                Detach();
            }

            _copied = true;
        }

        _exposed = ids;
    }

    private string Attach(long runId)
    {
        var schema = "r" + _attached.ToString(CultureInfo.InvariantCulture);
        using var command = _connection.CreateCommand();
        command.CommandText = $"ATTACH DATABASE @path AS {schema}";
        command.Parameters.AddWithValue("@path", RunFiles.PathOf(_mainPath, runId));
        command.ExecuteNonQuery();
        _attached++;
        return schema;
    }

    private void Detach()
    {
        for (var i = 0; i < _attached; i++)
        {
            Execute("DETACH DATABASE r" + i.ToString(CultureInfo.InvariantCulture));
        }

        _attached = 0;
    }

    private void Reset()
    {
        foreach (var table in s_tables)
        {
            Execute(_copied ? $"DROP TABLE IF EXISTS temp.{table}" : $"DROP VIEW IF EXISTS temp.{table}");
        }

        _copied = false;
        Detach();
        _exposed = null;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
