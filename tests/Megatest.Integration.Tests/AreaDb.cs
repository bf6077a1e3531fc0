using Microsoft.Data.Sqlite;

namespace Megatest.Integration.Tests;

/// <summary>Reads an area's megatest.db the way a user's script would: plain SQL on Megatest's tables.</summary>
public sealed class AreaDb : IDisposable
{
    private readonly SqliteConnection _conn;

    public AreaDb(string path)
    {
        Assert.True(File.Exists(path), "no database at " + path);
        _conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        _conn.Open();
    }

    /// <summary>(testname, item_path) → (state, status, comment) of one run.</summary>
    public Dictionary<(string Test, string Item), (string State, string Status, string Comment)> Tests(string runName, string? keyColumn = null, string? keyValue = null)
    {
        using var cmd = _conn.CreateCommand();
        cmd.CommandText = "SELECT t.testname, t.item_path, t.state, t.status, t.comment FROM tests t JOIN runs r ON r.id = t.run_id WHERE r.runname = $r"
            + (keyColumn is null ? "" : $" AND r.\"{keyColumn}\" = $k");
        cmd.Parameters.AddWithValue("$r", runName);
        if (keyValue is not null)
        {
            cmd.Parameters.AddWithValue("$k", keyValue);
        }

        var result = new Dictionary<(string, string), (string, string, string)>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            result[(reader.GetString(0), reader.GetString(1))] = (reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? "" : reader.GetString(4));
        }

        return result;
    }

    public List<object?[]> Query(string sql, params (string Name, object Value)[] args)
    {
        using var cmd = _conn.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }

        var rows = new List<object?[]>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// For an area with <c>[db] api new</c>: attaches every run file (megatest.runs/N.db) and shows their tables under the
    /// usual names, as a user's script would, so the same SQL reads the runs' tests. Returns the number of run files.
    /// </summary>
    public int AttachRunFiles(string mainPath)
    {
        var files = Directory.GetFiles(Path.ChangeExtension(mainPath, null) + ".runs", "*.db").Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            Query($"ATTACH DATABASE $p AS r{i}", ("$p", files[i]));
        }

        foreach (var table in new[] { "tests", "test_steps", "test_data" })
        {
            Query($"CREATE TEMP VIEW {table} AS " + string.Join(" UNION ALL ", files.Select((_, i) => $"SELECT * FROM r{i}.{table}")));
        }

        return files.Count;
    }

    /// <summary>
    /// AREA/megatest.db as a script reads it: with <c>[db] api</c> <paramref name="api"/> <c>new</c> the main database must
    /// hold no tests and its <paramref name="runFiles"/> run files are attached.
    /// </summary>
    public static AreaDb OfArea(string area, string api, int runFiles)
    {
        var main = Path.Combine(area, "megatest.db");
        var db = new AreaDb(main);
        if (api == "new")
        {
            Assert.Equal(0L, db.Query("SELECT count(*) FROM main.tests")[0][0]);
            Assert.Equal(runFiles, db.AttachRunFiles(main));
        }

        return db;
    }

    public void Dispose() => _conn.Dispose();
}
