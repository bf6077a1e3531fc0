using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Megatest.Faults.Tests;

/// <summary>
/// What a run left in megatest.db, without what differs between two good runs (ids, times, hosts, pids,
/// directories, comments): per test and item its state and status, its steps with their status and its test data.
/// Each fact is a key ("step unit/2 lint end") and a value ("2"). The attempt-K steps that record a rerun after a
/// system failure are left out: they say that a fault happened, not what the tests did.
/// </summary>
public sealed class Outcome
{
    private Outcome(IReadOnlyList<(string Key, string Value)> facts)
    {
        Facts = facts;
    }

    /// <summary>The facts, sorted by key.</summary>
    public IReadOnlyList<(string Key, string Value)> Facts { get; }

    /// <summary>Reruns recorded (attempt-K steps) in the run.</summary>
    public int Reruns { get; private init; }

    /// <summary>Reads run <paramref name="runName"/> of the database at <paramref name="dbPath"/>.</summary>
    public static Outcome Read(string dbPath, string runName)
    {
        using var conn = Open(dbPath);
        var facts = new List<(string, string)>();
        var reruns = 0;
        const string runTests = "FROM tests t JOIN runs r ON r.id = t.run_id WHERE r.runname = $r";
        foreach (var row in Query(conn, $"SELECT t.testname, t.item_path, t.state, t.status {runTests}", runName))
        {
            facts.Add(($"test {Name(row)}", $"{row[2]}/{row[3]}"));
        }

        foreach (var row in Query(conn, $"SELECT t.testname, t.item_path, s.stepname, s.state, s.status FROM test_steps s JOIN tests t ON t.id = s.test_id JOIN runs r ON r.id = t.run_id WHERE r.runname = $r", runName))
        {
            if (row[2].StartsWith("attempt-", StringComparison.Ordinal))
            {
                reruns++;
                continue;
            }

            facts.Add(($"step {Name(row)} {row[2]} {row[3]}", row[4]));
        }

        foreach (var row in Query(conn, $"SELECT t.testname, t.item_path, d.category, d.variable, CAST(d.value AS TEXT), d.status FROM test_data d JOIN tests t ON t.id = d.test_id JOIN runs r ON r.id = t.run_id WHERE r.runname = $r", runName))
        {
            facts.Add(($"data {Name(row)} {row[2]}.{row[3]}", $"{row[4]} {row[5]}"));
        }

        return new Outcome([.. facts.OrderBy(f => f.Item1, StringComparer.Ordinal).ThenBy(f => f.Item2, StringComparer.Ordinal)]) { Reruns = reruns };
    }

    /// <summary>How far run <paramref name="runName"/> got: the number of tests that started or finished.</summary>
    public static int Started(string dbPath, string runName)
    {
        using var conn = Open(dbPath);
        return Query(conn, "SELECT t.id FROM tests t JOIN runs r ON r.id = t.run_id WHERE r.runname = $r AND t.state NOT IN ('NOT_STARTED', 'LAUNCHED', 'INCOMPLETE')", runName).Count;
    }

    /// <summary>
    /// Compares with the fault-free <paramref name="reference"/>: a reference fact missing here or with another
    /// value is lost; a fact here beyond the reference's (a key it lacks, or a key more times than it has) is a duplicate.
    /// </summary>
    public Comparison CompareWith(Outcome reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var mine = Facts.ToLookup(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var theirs = reference.Facts.ToLookup(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var lost = new List<string>();
        var extra = new List<string>();
        foreach (var group in theirs)
        {
            var have = mine[group.Key].ToList();
            foreach (var value in group)
            {
                if (!have.Remove(value))
                {
                    lost.Add($"{group.Key} = {value} (found: {string.Join(", ", mine[group.Key].DefaultIfEmpty("nothing"))})");
                }
            }
        }

        foreach (var group in mine)
        {
            var expected = theirs[group.Key].Count();
            extra.AddRange(group.Skip(expected).Select(v => $"{group.Key} = {v}"));
        }

        return new Comparison(lost, extra);
    }

    /// <inheritdoc />
    public override string ToString() => string.Join('\n', Facts.Select(f => $"{f.Key} = {f.Value}"));

    private static SqliteConnection Open(string dbPath)
    {
        var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        conn.Open();
        return conn;
    }

    private static string Name(string[] row) => row[1].Length == 0 ? row[0] : $"{row[0]}/{row[1]}";

    private static List<string[]> Query(SqliteConnection conn, string sql, string runName)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$r", runName);
        var rows = new List<string[]>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            }

            rows.Add(row);
        }

        return rows;
    }
}

/// <summary>Facts of the reference missing or different in a run (lost) and facts beyond the reference's (duplicates).</summary>
public sealed record Comparison(IReadOnlyList<string> Lost, IReadOnlyList<string> Duplicates)
{
    /// <summary>True when the run equals the reference.</summary>
    public bool Same => Lost.Count == 0 && Duplicates.Count == 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"lost {Lost.Count}, duplicates {Duplicates.Count}" + string.Concat(Lost.Select(l => "\n  lost: " + l)) + string.Concat(Duplicates.Select(d => "\n  duplicate: " + d));
}
