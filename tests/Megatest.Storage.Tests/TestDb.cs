using Megatest.Testing;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage.Tests;

/// <summary>A fresh temp-file database per test, created through the production migrator.</summary>
internal sealed class TestDb : IDisposable
{
    public static readonly string[] TwoKeys = ["SYSTEM", "RELEASE"];

    private readonly TempDir _dir = new("mt-storage");
    private readonly List<IDisposable> _opened = [];

    public TestDb()
    {
        Path = System.IO.Path.Combine(_dir.Path, "megatest.db");
    }

    public string Path { get; }

    public MegatestDatabase Open(IReadOnlyList<string>? keys = null)
    {
        var db = MegatestDatabase.Open(Path, keys ?? TwoKeys);
        _opened.Add(db);
        return db;
    }

    public MegatestQueries Queries()
    {
        var queries = MegatestQueries.Open(Path);
        _opened.Add(queries);
        return queries;
    }

    /// <summary>A raw read-write connection for inspecting or tampering with the file.</summary>
    public SqliteConnection Raw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Raw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        foreach (var item in _opened)
        {
            item.Dispose();
        }

        _dir.Dispose();
    }
}
