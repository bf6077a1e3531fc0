using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>Opens connections with the pragmas Megatest relies on.</summary>
internal static class SqliteConnections
{
    /// <summary>Milliseconds a statement waits for a lock held by another connection.</summary>
    public const int BusyTimeoutMs = 5000;

    /// <summary>The writer's connection: WAL, synchronous=FULL (durability over speed), busy_timeout.</summary>
    public static SqliteConnection OpenWriter(string path)
    {
        var connection = Open(path, SqliteOpenMode.ReadWriteCreate);
        try
        {
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = FULL");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A read-only connection; any write fails with SQLITE_READONLY.</summary>
    public static SqliteConnection OpenReader(string path)
    {
        if (!File.Exists(path))
        {
            throw new StorageException($"Database '{path}' does not exist; run a Megatest command that writes (e.g. -run) first.");
        }

        return Open(path, SqliteOpenMode.ReadOnly);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            // Pooled connections keep the file open after Dispose; the writer and CLI open few connections.
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 5000");
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StorageException($"Cannot open database '{path}' ({mode}): {ex.Message}", ex);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
