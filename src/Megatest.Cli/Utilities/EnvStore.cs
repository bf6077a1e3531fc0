using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Megatest.Cli.Utilities;

/// <summary>
/// The user's scratch database of captured environments (-envcap / -envdelta, default envdat.db): one row per
/// context and one per variable. Capturing a context again replaces it.
/// </summary>
internal sealed class EnvStore : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS contexts (
            id      INTEGER PRIMARY KEY,
            context TEXT NOT NULL UNIQUE,
            tstamp  INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS envvars (
            context_id INTEGER NOT NULL REFERENCES contexts(id) ON DELETE CASCADE,
            var        TEXT NOT NULL,
            val        TEXT NOT NULL,
            PRIMARY KEY (context_id, var));
        """;

    private readonly SqliteConnection _connection;

    private EnvStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating when asked) the database file.</summary>
    public static EnvStore Open(string path, bool create)
    {
        if (!create && !File.Exists(path))
        {
            throw new UsageException($"{path}: no such environment database (capture contexts with -envcap first)");
        }

        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        var connection = new SqliteConnection(cs.ToString());
        try
        {
            connection.Open();
            if (create)
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;" + Schema;
                cmd.ExecuteNonQuery();
            }

            return new EnvStore(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new UsageException($"{path}: cannot open as an environment database: {ex.Message}");
        }
    }

    /// <summary>Stores <paramref name="variables"/> as context <paramref name="context"/>, replacing an earlier capture.</summary>
    public void Capture(string context, IReadOnlyDictionary<string, string> variables)
    {
        using var tx = _connection.BeginTransaction();
        using (var del = _connection.CreateCommand())
        {
            del.Transaction = tx;
            del.CommandText = "DELETE FROM envvars WHERE context_id IN (SELECT id FROM contexts WHERE context = $c); DELETE FROM contexts WHERE context = $c;";
            del.Parameters.AddWithValue("$c", context);
            del.ExecuteNonQuery();
        }

        long id;
        using (var ins = _connection.CreateCommand())
        {
            ins.Transaction = tx;
            ins.CommandText = "INSERT INTO contexts (context, tstamp) VALUES ($c, $t) RETURNING id";
            ins.Parameters.AddWithValue("$c", context);
            ins.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            id = Convert.ToInt64(ins.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        using (var ins = _connection.CreateCommand())
        {
            ins.Transaction = tx;
            ins.CommandText = "INSERT INTO envvars (context_id, var, val) VALUES ($id, $k, $v)";
            var pid = ins.Parameters.Add("$id", SqliteType.Integer);
            var pk = ins.Parameters.Add("$k", SqliteType.Text);
            var pv = ins.Parameters.Add("$v", SqliteType.Text);
            pid.Value = id;
            foreach (var (k, v) in variables)
            {
                pk.Value = k;
                pv.Value = v;
                ins.ExecuteNonQuery();
            }
        }

        tx.Commit();
    }

    /// <summary>Names of the stored contexts.</summary>
    public IReadOnlyList<string> Contexts()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT context FROM contexts ORDER BY context";
        var list = new List<string>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    /// <summary>The variables of a context, or null when it was never captured.</summary>
    public Dictionary<string, string>? Load(string context)
    {
        if (!Contexts().Contains(context, StringComparer.Ordinal))
        {
            return null;
        }

        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT e.var, e.val FROM envvars e JOIN contexts c ON c.id = e.context_id WHERE c.context = $c";
        cmd.Parameters.AddWithValue("$c", context);
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            vars[reader.GetString(0)] = reader.GetString(1);
        }

        return vars;
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
