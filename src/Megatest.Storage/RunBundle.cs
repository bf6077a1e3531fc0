using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// Whole runs as JSON, to copy them to another area with the same keys (RFC M01, <c>-destination</c>): every column of
/// runs, tests, test_steps, test_data, test_rundat and extradat, by column name, wherever they live (<c>[db] api</c>). Importing gives the rows new ids in the
/// destination and links them again; only columns the destination has are written, named from its own schema.
/// </summary>
internal static class RunBundle
{
    /// <summary>Child tables copied with the run: (table, column that names the owner, owner is a test).</summary>
    private static readonly (string Table, string Owner, bool ByTest)[] s_children =
    [
        ("test_steps", "test_id", true),
        ("test_data", "test_id", true),
        ("test_rundat", "test_id", true),
        ("extradat", "run_id", false),
    ];

    /// <summary>
    /// Writes the runs <paramref name="runIds"/> as a bundle: runs and extradat read through <paramref name="main"/>, each
    /// run's tests and their steps, data and samples through <paramref name="forRun"/> (the run's own file with
    /// <c>[db] api new</c>, else the main database again).
    /// </summary>
    public static string Export(SqliteConnection main, Func<long, SqliteConnection?> forRun, IReadOnlyList<string> keys, IReadOnlyList<long> runIds)
    {
        var ids = string.Join(",", runIds.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        // Opened one at a time, as each query runs: a reader keeps only so many run files open.
        IEnumerable<(SqliteConnection?, string)> PerRun(Func<string, string> sql) =>
            runIds.Select(id => (forRun(id), sql(id.ToString(CultureInfo.InvariantCulture))));
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var key in keys)
            {
                w.WriteStringValue(key);
            }

            w.WriteEndArray();
            WriteRows(w, "runs", [(main, $"SELECT * FROM runs WHERE id IN ({ids})")]);
            WriteRows(w, "tests", PerRun(id => $"SELECT * FROM tests WHERE run_id = {id}"));
            foreach (var (table, owner, byTest) in s_children)
            {
                WriteRows(w, table, byTest
                    ? PerRun(id => $"SELECT * FROM {table} WHERE {owner} IN (SELECT id FROM tests WHERE run_id = {id})")
                    : [(main, $"SELECT * FROM {table} WHERE {owner} IN ({ids})")]);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRows(Utf8JsonWriter w, string name, IEnumerable<(SqliteConnection? Connection, string Sql)> queries)
    {
        w.WriteStartArray(name);
        foreach (var (connection, sql) in queries)
        {
            if (connection is not null)
            {
                WriteRows(w, connection, sql);
            }
        }

        w.WriteEndArray();
    }

    private static void WriteRows(Utf8JsonWriter w, SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            w.WriteStartObject();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                w.WritePropertyName(reader.GetName(i));
                switch (reader.IsDBNull(i) ? null : reader.GetValue(i))
                {
                    case null:
                        w.WriteNullValue();
                        break;
                    case long l:
                        w.WriteNumberValue(l);
                        break;
                    case double d:
                        w.WriteNumberValue(d);
                        break;
                    case byte[] bytes:
                        w.WriteBase64StringValue(bytes);
                        break;
                    case var other:
                        w.WriteStringValue(Convert.ToString(other, CultureInfo.InvariantCulture));
                        break;
                }
            }

            w.WriteEndObject();
        }
    }

    /// <summary>The rows of one table of a bundle.</summary>
    public static IEnumerable<Dictionary<string, object?>> Rows(JsonElement bundle, string table)
    {
        if (!bundle.TryGetProperty(table, out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new StorageException($"The run bundle has no '{table}' array.");
        }

        foreach (var row in rows.EnumerateArray())
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in row.EnumerateObject())
            {
                values[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.Number when p.Value.TryGetInt64(out var l) => l,
                    JsonValueKind.Number => p.Value.GetDouble(),
                    JsonValueKind.String => p.Value.GetString(),
                    _ => throw new StorageException($"The run bundle has a value of kind {p.Value.ValueKind} in {table}.{p.Name}."),
                };
            }

            yield return values;
        }
    }

    /// <summary>The child tables, for the importer.</summary>
    public static IReadOnlyList<(string Table, string Owner, bool ByTest)> Children => s_children;
}
