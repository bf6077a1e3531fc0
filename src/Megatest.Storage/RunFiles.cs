using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// The files of <see cref="DatabaseLayout.PerRun"/>: names, and the mark in the main database's <c>metadat</c>
/// that tells every reader which layout a database uses.
/// </summary>
public static class RunFiles
{
    /// <summary>The <c>metadat</c> variable recording the layout; absent means <see cref="DatabaseLayout.Legacy"/>.</summary>
    public const string LayoutVariable = "db-api";

    /// <summary>The <c>metadat</c> value of <see cref="LayoutVariable"/> for <see cref="DatabaseLayout.PerRun"/>.</summary>
    public const string PerRunValue = "new";

    /// <summary>
    /// Test ids of a run file are <c>(runId &lt;&lt; 32) + n</c>, so a test id names its run and every id stays unique
    /// across the area (a run holds fewer than 2^32 tests).
    /// </summary>
    public const int TestIdShift = 32;

    /// <summary>The directory holding the run files of the main database <paramref name="mainPath"/>.</summary>
    public static string Directory(string mainPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(mainPath);
        return System.IO.Path.ChangeExtension(mainPath, null) + ".runs";
    }

    /// <summary>The file of run <paramref name="runId"/>.</summary>
    public static string PathOf(string mainPath, long runId) =>
        System.IO.Path.Combine(Directory(mainPath), runId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".db");

    /// <summary>The run a test id belongs to in <see cref="DatabaseLayout.PerRun"/>.</summary>
    public static long RunOfTest(long testId) => testId >> TestIdShift;

    internal const string ReadLayoutSql = "SELECT val FROM metadat WHERE var = @var";
    private const string WriteLayoutSql = "INSERT INTO metadat (var, val) VALUES (@var, @val)";
    private const string LegacyTestsSql = "SELECT count(*) FROM tests";

    /// <summary>The layout recorded in a database.</summary>
    internal static DatabaseLayout Read(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = ReadLayoutSql;
        command.Parameters.AddWithValue("@var", LayoutVariable);
        return command.ExecuteScalar() is string value && value == PerRunValue ? DatabaseLayout.PerRun : DatabaseLayout.Legacy;
    }

    /// <summary>
    /// Checks that the database at <paramref name="path"/> uses <paramref name="wanted"/>; a database without tests
    /// takes up the per-run layout. A legacy database never gets written to by this when it stays legacy.
    /// </summary>
    /// <exception cref="StorageException">The database was set up with the other layout.</exception>
    internal static void Ensure(SqliteConnection connection, DatabaseLayout wanted, string path)
    {
        var stored = Read(connection);
        if (stored == wanted)
        {
            return;
        }

        if (stored == DatabaseLayout.PerRun)
        {
            throw new StorageException(
                $"Database '{path}' keeps each run's tests in a file of its own ([db] api new, files in {Directory(path)}) but " +
                "megatest.config asks for [db] api legacy; set [db] api new again (a database keeps its layout).");
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LegacyTestsSql;
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
        {
            throw new StorageException(
                $"Database '{path}' holds tests in one file ([db] api legacy) but megatest.config asks for [db] api new; a " +
                "database keeps its layout: remove [db] api new, or start the area with a new database ([setup] dbdir).");
        }

        command.CommandText = WriteLayoutSql;
        command.Parameters.AddWithValue("@var", LayoutVariable);
        command.Parameters.AddWithValue("@val", PerRunValue);
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
