using System.Text.Json;

namespace Megatest.Storage;

/// <summary>Copying whole runs from another area with the same keys (RFC M01), into this area's layout (<c>[db] api</c>).</summary>
public sealed partial class WriteBatch
{
    /// <summary>
    /// Inserts the runs of <paramref name="bundle"/> (written by <see cref="MegatestQueries.ExportRuns"/> in an area with the same
    /// keys) with new ids, their tests, steps, data, samples and extradat linked to them, and returns the new runs.
    /// </summary>
    /// <exception cref="StorageException">Other keys, a run that is already here, or a malformed bundle.</exception>
    public IReadOnlyList<RunRow> ImportRuns(string bundle, long now)
    {
        ThrowIfCompleted();
        ArgumentException.ThrowIfNullOrEmpty(bundle);
        using var doc = ParseBundle(bundle);
        var root = doc.RootElement;
        var keys = root.TryGetProperty("keys", out var k) && k.ValueKind == JsonValueKind.Array ? k.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : [];
        if (!keys.SequenceEqual(_runSql.KeyNames))
        {
            throw new StorageException($"The runs have the keys {string.Join("/", keys)}; this area has {string.Join("/", _runSql.KeyNames)}.");
        }

        // Imported runs get new ids, so no counts of theirs are kept; dropping all is simply the safe side.
        _itemTally.Clear();
        var tests = RunBundle.Rows(root, "tests").ToList();
        var children = RunBundle.Children.Select(c => (c.Table, c.Owner, c.ByTest, Rows: RunBundle.Rows(root, c.Table).ToList())).ToList();
        var imported = new List<RunRow>();
        foreach (var run in RunBundle.Rows(root, "runs"))
        {
            var keyValues = keys.Select(key => Convert.ToString(run.GetValueOrDefault(key), System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList();
            var runName = Convert.ToString(run.GetValueOrDefault("runname"), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            ValidateTarget(keyValues);
            if (_reader.FindRun(keyValues, runName) is not null)
            {
                throw new StorageException($"Run {string.Join("/", keyValues)}/{runName} is already in this area.");
            }

            var oldRunId = run["id"];
            var runId = InsertRow(_commands, "runs", run, []);
            _tables.RunCreated(runId);
            // The tests and their rows go where this area keeps the run's tests (its own file with [db] api new, whose
            // test ids continue from the run's base); extradat stays with the run.
            var runCommands = RunCommands(runId);
            var idBase = _tables.TestIdBase(runId);
            var testIds = new Dictionary<long, long>();
            foreach (var test in tests.Where(t => Equals(t.GetValueOrDefault("run_id"), oldRunId)))
            {
                var overrides = new Dictionary<string, object?> { ["run_id"] = runId, ["archived"] = 0L }; // archive blocks are the source area's
                if (idBase is { } first)
                {
                    overrides["id"] = first + testIds.Count + 1;
                }

                testIds[(long)test["id"]!] = InsertRow(runCommands, "tests", test, overrides);
            }

            foreach (var (table, owner, byTest, rows) in children)
            {
                foreach (var row in rows)
                {
                    var oldOwner = row.GetValueOrDefault(owner) as long?;
                    if (byTest && oldOwner is { } t && testIds.TryGetValue(t, out var newTest))
                    {
                        InsertRow(runCommands, table, row, new() { [owner] = newTest });
                    }
                    else if (!byTest && Equals(oldOwner, oldRunId))
                    {
                        InsertRow(_commands, table, row, new() { [owner] = runId });
                    }
                }
            }

            RefreshRunStats(runId, now);
            imported.Add(_reader.GetRun(runId)!);
        }

        return imported;
    }

    private static JsonDocument ParseBundle(string bundle)
    {
        try
        {
            return JsonDocument.Parse(bundle);
        }
        catch (JsonException ex)
        {
            throw new StorageException("The run bundle is not valid JSON: " + ex.Message, ex);
        }
    }

    private static long InsertRow(CommandCache commands, string table, Dictionary<string, object?> row, Dictionary<string, object?> overrides)
    {
        // Only columns this database has, named from its own schema; the id is new (given in the overrides, or SQLite's).
        var known = commands.Query($"PRAGMA table_info({table})", r => r.GetString(1)).ToHashSet(StringComparer.Ordinal);
        var columns = row.Keys.Where(c => (c != "id" || overrides.ContainsKey(c)) && known.Contains(c)).ToList();
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => "\"" + c + "\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((c, i) => ("@p" + i, overrides.TryGetValue(c, out var o) ? o : row[c])).ToArray();
        commands.Execute(sql, parameters);
        return ToLong(commands.Scalar(LastInsertRowIdSql));
    }
}
