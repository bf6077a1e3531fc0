using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// Applies the embedded <c>schemas/sqlite/NNNN_*.sql</c> steps in order, each in its own transaction, recording
/// the reached step in <c>PRAGMA user_version</c>; refuses databases newer than this build.
/// </summary>
public static class SqliteMigrator
{
    private const string ResourcePrefix = "sql.";
    // Names only: every reader checks LatestVersion, and only a migration needs the SQL text (issue #9: reading all
    // steps cost a read-only query a few milliseconds of start-up).
    private static readonly Lazy<IReadOnlyList<Step>> s_steps = new(LoadSteps);

    /// <summary>The newest schema version this build knows (the number of the last embedded step).</summary>
    public static int LatestVersion => s_steps.Value.Count == 0 ? 0 : s_steps.Value[^1].Version;

    /// <summary>Reads <c>PRAGMA user_version</c>.</summary>
    public static int CurrentVersion(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Throws a <see cref="StorageException"/> when the database's schema is newer than this build knows.</summary>
    public static void EnsureNotNewer(int version, string path)
    {
        if (version > LatestVersion)
        {
            throw new StorageException(
                $"Database '{path}' has schema version {version} but this build of Megatest only knows versions up to " +
                $"{LatestVersion}. It was written by a newer Megatest for .NET; use that version (or newer) to open it.");
        }
    }

    private const string UserTableCountSql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

    /// <summary>Brings the database on <paramref name="connection"/> to <see cref="LatestVersion"/>.</summary>
    /// <exception cref="StorageException">The database is newer than this build, was not created by it, or a step failed.</exception>
    public static void Migrate(SqliteConnection connection, string path)
    {
        ArgumentNullException.ThrowIfNull(connection);
        EnsureNotNewer(CurrentVersion(connection), path);
        foreach (var (version, name, resource) in s_steps.Value)
        {
            // BEGIN IMMEDIATE, then re-read the version: another process may have applied the step meanwhile.
            using var transaction = connection.BeginTransaction(deferred: false);
            try
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "PRAGMA user_version";
                var current = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                EnsureNotNewer(current, path);
                if (current >= version)
                {
                    continue;
                }

                if (current == 0)
                {
                    command.CommandText = UserTableCountSql;
                    if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                    {
                        throw new StorageException(
                            $"Database '{path}' has tables but no schema version (PRAGMA user_version = 0), so it was not " +
                            "created by Megatest for .NET (perhaps by the original Megatest). Point the area at a new database file.");
                    }
                }

                command.CommandText = ReadResource(typeof(SqliteMigrator).Assembly, resource);
                command.ExecuteNonQuery();

                // PRAGMA takes no parameters; the version is an int parsed from our own resource name.
                command.CommandText = "PRAGMA user_version = " + version.ToString(CultureInfo.InvariantCulture);
                command.ExecuteNonQuery();
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new StorageException($"Schema step {name} failed on database '{path}': {ex.Message}", ex);
            }
        }
    }

    private static IReadOnlyList<Step> LoadSteps()
    {
        var assembly = typeof(SqliteMigrator).Assembly;
        var steps = new List<Step>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[ResourcePrefix.Length..];
            var digits = 0;
            while (digits < name.Length && char.IsAsciiDigit(name[digits]))
            {
                digits++;
            }

            if (digits == 0 || !int.TryParse(name.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new StorageException($"Embedded schema step '{name}' must be named NNNN_description.sql.");
            }

            steps.Add(new Step(version, name, resource));
        }

        steps.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Version != i + 1)
            {
                throw new StorageException(
                    $"Embedded schema steps must be numbered 1, 2, 3… without gaps; found {string.Join(", ", steps.Select(s => s.Name))}.");
            }
        }

        if (steps.Count == 0)
        {
            throw new StorageException("No embedded schema steps (sql.NNNN_*.sql) found in " + assembly.GetName().Name + ".");
        }

        return steps;
    }

    private sealed record Step(int Version, string Name, string Resource);

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new StorageException($"Embedded schema resource '{resource}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
