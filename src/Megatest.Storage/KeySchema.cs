using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// The area-dependent part of the schema: the <c>keys</c> rows, one TEXT column per key in <c>runs</c> and the
/// unique index on (keys…, runname). Set up once, when a database is first opened with a key list.
/// </summary>
internal static partial class KeySchema
{
    /// <summary>Index name whose presence marks the key setup as done (also for areas with zero keys).</summary>
    public const string RunsIndexName = "runs_keys_runname";

    // Key names become column names of `runs` (SPEC §3.1); these would collide with the fixed columns.
    private static readonly HashSet<string> s_reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "runname", "contour", "state", "status", "owner", "event_time", "comment", "fail_count", "pass_count", "last_update",
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    /// <summary>Throws a <see cref="StorageException"/> if a key name cannot be a column of <c>runs</c>.</summary>
    public static void Validate(IReadOnlyList<string> keyNames)
    {
        ArgumentNullException.ThrowIfNull(keyNames);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keyNames)
        {
            if (key is null || !IdentifierPattern().IsMatch(key))
            {
                throw new StorageException(
                    $"Invalid key name '{key}' in [fields]: expected letters, digits and '_' (not starting with a digit).");
            }

            if (s_reserved.Contains(key))
            {
                throw new StorageException(
                    $"Key name '{key}' in [fields] is reserved (it is a column of the runs table); rename the key.");
            }

            if (!seen.Add(key))
            {
                throw new StorageException($"Key name '{key}' appears twice in [fields].");
            }
        }
    }

    /// <summary>Double-quotes a validated key name for use as a column identifier.</summary>
    public static string Quote(string keyName) => "\"" + keyName + "\"";

    internal const string ReadKeysSql = "SELECT fieldname FROM keys ORDER BY id";

    /// <summary>The key names stored in the database, in order.</summary>
    public static List<string> ReadKeys(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = ReadKeysSql;
        var keys = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private const string IndexExistsSql = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = @name";

    private const string InsertKeySql = "INSERT INTO keys (fieldname, fieldtype) VALUES (@fieldname, 'TEXT')";

    /// <summary>Sets up the key columns on a fresh database, or checks that the stored keys equal <paramref name="keyNames"/>.</summary>
    public static void Ensure(SqliteConnection connection, IReadOnlyList<string> keyNames, string path)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var exists = connection.CreateCommand())
        {
            exists.Transaction = transaction;
            exists.CommandText = IndexExistsSql;
            exists.Parameters.AddWithValue("@name", RunsIndexName);
            if (Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                var stored = ReadKeys(connection, transaction);
                if (!stored.SequenceEqual(keyNames, StringComparer.Ordinal))
                {
                    throw new StorageException(
                        $"Database '{path}' was created with keys [{string.Join(", ", stored)}] but the area's [fields] " +
                        $"define [{string.Join(", ", keyNames)}]. The keys of an area cannot change once its database exists: " +
                        "restore the original [fields] or start with a new database.");
                }

                return;
            }
        }

        foreach (var key in keyNames)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = InsertKeySql;
            insert.Parameters.AddWithValue("@fieldname", key);
            insert.ExecuteNonQuery();

            // Identifiers cannot be bound as parameters; the name was checked by Validate.
            using var alter = connection.CreateCommand();
            alter.Transaction = transaction;
            alter.CommandText = $"ALTER TABLE runs ADD COLUMN {Quote(key)} TEXT NOT NULL DEFAULT ''";
            alter.ExecuteNonQuery();
        }

        using (var index = connection.CreateCommand())
        {
            index.Transaction = transaction;
            var columns = keyNames.Select(Quote).Append("runname");
            index.CommandText = $"CREATE UNIQUE INDEX {RunsIndexName} ON runs ({string.Join(", ", columns)})";
            index.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
