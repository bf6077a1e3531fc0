using Microsoft.Data.Sqlite;

namespace Megatest.Storage.Tests;

/// <summary>Raw SQL on a database file, as another client would run it: to look at what was stored, or to store what Megatest never would.</summary>
internal static class SqlFiles
{
    /// <summary>Every row of <paramref name="sql"/>, its columns joined with '|' (NULL as empty, numbers invariant).</summary>
    public static List<string> Rows(string path, string sql)
    {
        using var connection = Connect(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    /// <summary>Runs <paramref name="sql"/> in a connection of its own.</summary>
    public static void Exec(string path, string sql)
    {
        using var connection = Connect(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>An unpooled connection (the file is closed on dispose) that waits up to 5 s for a lock.</summary>
    public static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 5 }.ToString());
        connection.Open();
        return connection;
    }
}
