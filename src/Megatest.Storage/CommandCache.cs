using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// Keeps one <see cref="SqliteCommand"/> per SQL text so its prepared statements are reused across calls
/// (the db writer applies thousands of updates per second), and one <see cref="NativeStatement"/> per SQL text run
/// through SQLite's C API.
/// </summary>
internal sealed class CommandCache : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NativeStatement> _native = new(StringComparer.Ordinal);
    private string? _lastNativeSql;
    private NativeStatement? _lastNative;

    public CommandCache(SqliteConnection connection)
    {
        _connection = connection;
    }

    public SqliteConnection Connection => _connection;

    /// <summary>The transaction new commands run in (null outside a batch).</summary>
    public SqliteTransaction? Transaction { get; set; }

    /// <summary>Returns the cached command for <paramref name="sql"/> with the given parameter values bound.</summary>
    public SqliteCommand Get(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction;
        var bound = command.Parameters;
        for (var i = 0; i < parameters.Length; i++)
        {
            var (name, value) = parameters[i];
            var boundValue = value ?? DBNull.Value;
            // Callers pass a statement's parameters in the same order every time: look at that position first.
            if (i < bound.Count && string.Equals(bound[i].ParameterName, name, StringComparison.Ordinal))
            {
                bound[i].Value = boundValue;
                continue;
            }

            var index = bound.IndexOf(name);
            if (index >= 0)
            {
                bound[index].Value = boundValue;
            }
            else
            {
                bound.AddWithValue(name, boundValue);
            }
        }

        return command;
    }

    /// <summary>
    /// The cached <see cref="NativeStatement"/> for <paramref name="sql"/>; it runs in whatever transaction the
    /// connection has open, which inside a batch is <see cref="Transaction"/>.
    /// </summary>
    public NativeStatement Native(string sql)
    {
        // The same statement row after row (its text one string instance) skips hashing the text again.
        if (ReferenceEquals(sql, _lastNativeSql))
        {
            return _lastNative!;
        }

        if (!_native.TryGetValue(sql, out var statement))
        {
            statement = new NativeStatement(_connection, sql);
            _native.Add(sql, statement);
        }

        (_lastNativeSql, _lastNative) = (sql, statement);
        return statement;
    }

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Get(sql, parameters).ExecuteNonQuery();

    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var result = Get(sql, parameters).ExecuteScalar();
        return result is DBNull ? null : result;
    }

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var list = new List<T>();
        using var reader = Get(sql, parameters).ExecuteReader();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    public T? Single<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> parameters)
        where T : class
    {
        using var reader = Get(sql, parameters).ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();

        // Before the connection closes: an unfinalized statement would keep the file open.
        foreach (var statement in _native.Values)
        {
            statement.Dispose();
        }

        _native.Clear();
        (_lastNativeSql, _lastNative) = (null, null);
    }
}
