using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// Read-only queries of the web dashboard and the reports: paged, filtered and aggregated in SQL so that a run
/// of 100,000 tests costs one page of rows per request. Not thread-safe: open one per request (opening is cheap).
/// </summary>
public sealed class DashboardQueries : IDisposable
{
    /// <summary>Status weight as in SPEC §6.1 (higher = worse), as SQL over a column named <c>status</c>.</summary>
    private const string StatusWeightSql =
        "CASE status WHEN 'ABORT' THEN 9 WHEN 'FAIL' THEN 8 WHEN 'STUCK/DEAD' THEN 7 WHEN 'CHECK' THEN 6 WHEN 'WAIVED' THEN 5 " +
        "WHEN 'WARN' THEN 4 WHEN 'SKIP' THEN 3 WHEN 'PASS' THEN 2 WHEN 'n/a' THEN 1 ELSE 0 END";

    private readonly SqliteConnection _connection;
    private readonly RunSql _runSql;
    private readonly RunFileViews? _runFiles;

    private DashboardQueries(SqliteConnection connection, RunSql runSql, RunFileViews? runFiles)
    {
        _connection = connection;
        _runSql = runSql;
        _runFiles = runFiles;
    }

    /// <summary>The area's key names, in order.</summary>
    public IReadOnlyList<string> KeyNames => _runSql.KeyNames;

    /// <summary>Opens an existing database read-only.</summary>
    /// <exception cref="StorageException">The file is missing, not a Megatest for .NET database, or newer than this build.</exception>
    public static DashboardQueries Open(string path)
    {
        var connection = SqliteConnections.OpenReader(path);
        try
        {
            var version = SqliteMigrator.CurrentVersion(connection);
            SqliteMigrator.EnsureNotNewer(version, path);
            if (version == 0)
            {
                throw new StorageException($"Database '{path}' has no Megatest for .NET schema (PRAGMA user_version = 0); open it with the db writer first.");
            }

            var runFiles = RunFiles.Read(connection) == DatabaseLayout.PerRun ? new RunFileViews(connection, path) : null;
            return new DashboardQueries(connection, new RunSql(KeySchema.ReadKeys(connection, null)), runFiles);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StorageException($"Cannot read database '{path}': {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs whose target matches <paramref name="targetPattern"/> (per key, split at <c>/</c>) and whose name matches <paramref name="runNamePattern"/>; newest first.</summary>
    public IReadOnlyList<RunRow> Runs(string? targetPattern, string? runNamePattern, int limit)
    {
        var keys = _runSql.KeyNames.Count;
        var parts = string.IsNullOrWhiteSpace(targetPattern) ? [] : targetPattern.Split('/');
        var values = new string[keys];
        for (var i = 0; i < keys; i++)
        {
            values[i] = i < parts.Length && parts[i].Length > 0 ? parts[i] : "%";
        }

        if (parts.Length > keys && keys > 0)
        {
            values[keys - 1] = string.Join("/", parts[(keys - 1)..]);
        }

        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT * FROM ({_runSql.MatchRuns}) ORDER BY event_time DESC, id DESC LIMIT @limit";
        for (var i = 0; i < keys; i++)
        {
            command.Parameters.AddWithValue("@p" + i.ToString(CultureInfo.InvariantCulture), values[i]);
        }

        command.Parameters.AddWithValue("@runname", string.IsNullOrWhiteSpace(runNamePattern) ? "%" : runNamePattern);
        command.Parameters.AddWithValue("@limit", Math.Max(1, limit));
        return Read(command, _runSql.ReadRun);
    }

    /// <summary>The run with id <paramref name="runId"/>, or null.</summary>
    public RunRow? GetRun(long runId)
    {
        using var command = Command(_runSql.GetRun, ("@id", runId));
        return Read(command, _runSql.ReadRun).FirstOrDefault();
    }

    /// <summary>The run of (<paramref name="target"/>, <paramref name="runName"/>), or null.</summary>
    public RunRow? FindRun(string target, string runName)
    {
        ArgumentNullException.ThrowIfNull(target);
        var values = target.Split('/');
        if (values.Length != _runSql.KeyNames.Count)
        {
            return null;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = _runSql.FindRun;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("@k" + i.ToString(CultureInfo.InvariantCulture), values[i]);
        }

        command.Parameters.AddWithValue("@runname", runName);
        return Read(command, _runSql.ReadRun).FirstOrDefault();
    }

    /// <summary>Per-run tallies (run_stats) of the given runs: run id → "STATE/STATUS" → count.</summary>
    public IReadOnlyDictionary<long, Dictionary<string, long>> RunCounts(IReadOnlyList<long> runIds)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var result = new Dictionary<long, Dictionary<string, long>>();
        if (runIds.Count == 0)
        {
            return result;
        }

        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT run_id, state, status, count FROM run_stats WHERE run_id IN ({InList(command, "r", runIds)})";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var runId = RowReaders.Long(reader, 0);
            if (!result.TryGetValue(runId, out var counts))
            {
                result[runId] = counts = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            counts[RowReaders.Text(reader, 1) + "/" + RowReaders.Text(reader, 2)] = RowReaders.Long(reader, 3);
        }

        return result;
    }

    /// <summary>
    /// One page of the runs matrix (rows, their cells and, when <paramref name="countTotal"/>, the total; else -1), aggregated
    /// in SQL. Sorted by name, each run contributes its first rows straight from the (run_id, testname, item_path) index and
    /// the page is merged from those, so a page costs the same in a run of 100 or of 100,000 tests.
    /// </summary>
    public MatrixPage Matrix(MatrixFilter filter, bool countTotal = true)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.RunIds.Count == 0)
        {
            return new MatrixPage([], [], 0);
        }

        _runFiles?.Expose(filter.RunIds);
        var limit = Math.Clamp(filter.Limit, 1, 1000);
        var offset = Math.Max(0, filter.Offset);
        using var rowsCommand = _connection.CreateCommand();
        var conditions = FilterSql(rowsCommand, filter);
        if (filter.Sort is "name" or "-name" or "" or null)
        {
            var dir = filter.Sort == "-name" ? " DESC" : "";
            var perRun = filter.RunIds.Select((id, i) =>
            {
                var name = "@r" + i.ToString(CultureInfo.InvariantCulture);
                rowsCommand.Parameters.AddWithValue(name, id);
                return $"SELECT * FROM (SELECT testname, item_path FROM tests WHERE run_id = {name}{conditions} ORDER BY testname{dir}, item_path{dir} LIMIT @n)";
            });
            rowsCommand.CommandText = $"SELECT testname, item_path FROM ({string.Join(" UNION ", perRun)}) ORDER BY testname{dir}, item_path{dir} LIMIT @limit OFFSET @offset";
            rowsCommand.Parameters.AddWithValue("@n", offset + limit);
        }
        else
        {
            var order = filter.Sort switch
            {
                "status" => "max(" + StatusWeightSql + ") DESC, testname, item_path",
                "time" => "min(event_time), testname, item_path",
                "duration" => "max(run_duration) DESC, testname, item_path",
                _ => "testname, item_path",
            };
            rowsCommand.CommandText = $"SELECT testname, item_path FROM tests WHERE run_id IN ({InList(rowsCommand, "r", filter.RunIds)}){conditions} " +
                $"GROUP BY testname, item_path ORDER BY {order} LIMIT @limit OFFSET @offset";
        }

        rowsCommand.Parameters.AddWithValue("@limit", limit);
        rowsCommand.Parameters.AddWithValue("@offset", offset);
        var keys = Read(rowsCommand, r => (Test: RowReaders.Text(r, 0), Item: RowReaders.Text(r, 1)));
        var total = countTotal ? MatrixTotal(filter) : -1;

        if (keys.Count == 0)
        {
            return new MatrixPage([], [], total);
        }

        var itemCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var cells = new List<TestRow>();
        using (var cellCommand = _connection.CreateCommand())
        {
            var runs = InList(cellCommand, "r", filter.RunIds);
            if (filter.ItemsOf is null)
            {
                var names = InList(cellCommand, "n", keys.Select(k => k.Test).ToList());
                cellCommand.CommandText = $"SELECT {RowReaders.TestColumns} FROM tests WHERE run_id IN ({runs}) AND item_path = '' AND testname IN ({names})";
                cells.AddRange(Read(cellCommand, RowReaders.Test));
                using var itemsCommand = _connection.CreateCommand();
                var runs2 = InList(itemsCommand, "r", filter.RunIds);
                var names2 = InList(itemsCommand, "n", keys.Select(k => k.Test).ToList());
                itemsCommand.CommandText = $"SELECT testname, count(DISTINCT item_path) FROM tests WHERE run_id IN ({runs2}) AND testname IN ({names2}) AND item_path <> '' GROUP BY testname";
                foreach (var (name, count) in Read(itemsCommand, r => (RowReaders.Text(r, 0), RowReaders.Long(r, 1))))
                {
                    itemCounts[name] = count;
                }
            }
            else
            {
                var items = InList(cellCommand, "i", keys.Select(k => k.Item).ToList());
                cellCommand.Parameters.AddWithValue("@itemsof", filter.ItemsOf);
                cellCommand.CommandText = $"SELECT {RowReaders.TestColumns} FROM tests WHERE run_id IN ({runs}) AND testname = @itemsof AND item_path IN ({items})";
                cells.AddRange(Read(cellCommand, RowReaders.Test));
            }
        }

        var rows = keys.Select(k => new MatrixRowKey(k.Test, k.Item, k.Item.Length == 0 ? itemCounts.GetValueOrDefault(k.Test) : 0)).ToList();
        return new MatrixPage(rows, cells, total);
    }

    /// <summary>How many rows the matrix has under <paramref name="filter"/> over all pages (one pass over the shown runs' rows).</summary>
    public long MatrixTotal(MatrixFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.RunIds.Count == 0)
        {
            return 0;
        }

        _runFiles?.Expose(filter.RunIds);
        using var command = _connection.CreateCommand();
        var conditions = FilterSql(command, filter);
        command.CommandText = filter.RunIds.Count == 1
            ? $"SELECT count(*) FROM tests WHERE run_id = {InList(command, "r", filter.RunIds)}{conditions}"
            : $"SELECT count(*) FROM (SELECT DISTINCT testname, item_path FROM tests WHERE run_id IN ({InList(command, "r", filter.RunIds)}){conditions})";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The test with id <paramref name="testId"/>, or null.</summary>
    public TestRow? GetTest(long testId)
    {
        ExposeTest(testId);
        using var command = Command($"SELECT {RowReaders.TestColumns} FROM tests WHERE id = @id", ("@id", testId));
        return Read(command, RowReaders.Test).FirstOrDefault();
    }

    /// <summary>All rows of a run (tests, toplevels and items), by name and item path.</summary>
    public IReadOnlyList<TestRow> Tests(long runId)
    {
        _runFiles?.Expose([runId]);
        using var command = Command($"SELECT {RowReaders.TestColumns} FROM tests WHERE run_id = @run ORDER BY testname, item_path", ("@run", runId));
        return Read(command, RowReaders.Test);
    }

    /// <summary>The steps of a test in the order recorded.</summary>
    public IReadOnlyList<StepRow> Steps(long testId)
    {
        ExposeTest(testId);
        using var command = Command($"SELECT {RowReaders.StepColumns} FROM test_steps WHERE test_id = @id ORDER BY event_time, id", ("@id", testId));
        return Read(command, RowReaders.Step);
    }

    /// <summary>The test data of a test.</summary>
    public IReadOnlyList<TestDataRow> TestData(long testId)
    {
        ExposeTest(testId);
        using var command = Command($"SELECT {RowReaders.DataColumns} FROM test_data WHERE test_id = @id ORDER BY category, variable", ("@id", testId));
        return Read(command, RowReaders.Data);
    }

    /// <summary>Every step of every test of a run (one query), by test id.</summary>
    public ILookup<long, StepRow> RunSteps(long runId)
    {
        _runFiles?.Expose([runId]);
        using var command = Command(
            $"SELECT {RowReaders.StepColumns} FROM test_steps WHERE test_id IN (SELECT id FROM tests WHERE run_id = @run) ORDER BY test_id, event_time, id",
            ("@run", runId));
        return Read(command, RowReaders.Step).ToLookup(s => s.TestId);
    }

    /// <summary>Every test data row of a run (one query), by test id.</summary>
    public ILookup<long, TestDataRow> RunTestData(long runId)
    {
        _runFiles?.Expose([runId]);
        using var command = Command(
            $"SELECT {RowReaders.DataColumns} FROM test_data WHERE test_id IN (SELECT id FROM tests WHERE run_id = @run) ORDER BY test_id, category, variable",
            ("@run", runId));
        return Read(command, RowReaders.Data).ToLookup(d => d.TestId);
    }

    /// <summary>The test_meta row of a test, or null.</summary>
    public TestMeta? Meta(string testName)
    {
        using var command = Command("SELECT testname, author, owner, description, reviewed, tags, jobgroup FROM test_meta WHERE testname = @t", ("@t", testName));
        return Read(command, r => new TestMeta(RowReaders.Text(r, 0), RowReaders.Text(r, 1), RowReaders.Text(r, 2), RowReaders.Text(r, 3), RowReaders.Text(r, 4), RowReaders.Text(r, 5), RowReaders.Text(r, 6))).FirstOrDefault();
    }

    /// <summary>Started tests and items of a run (not the toplevel records of itemized tests), by start time; at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<TestRow> Timeline(long runId, int limit)
    {
        _runFiles?.Expose([runId]);
        using var command = Command(
            $"SELECT {RowReaders.TestColumns} FROM tests t WHERE run_id = @run AND state <> 'NOT_STARTED' AND event_time > 0 " +
            "AND NOT (item_path = '' AND EXISTS (SELECT 1 FROM tests i WHERE i.run_id = t.run_id AND i.testname = t.testname AND i.item_path <> '')) " +
            "ORDER BY event_time, id LIMIT @limit",
            ("@run", runId), ("@limit", Math.Max(1, limit)));
        return Read(command, RowReaders.Test);
    }

    /// <summary>
    /// Compares two runs test by test (items included): same, better, worse, changed (different, equally good),
    /// added (only in <paramref name="runB"/>) or removed (only in <paramref name="runA"/>). Goodness: PASS, then
    /// WARN/WAIVED/SKIP, then not run or unfinished, then CHECK, then FAIL/ABORT/DEAD and the rest.
    /// </summary>
    public ComparisonPage Compare(long runA, long runB, string? verdict, int offset, int limit)
    {
        _runFiles?.Expose([runA, runB]);
        const string Rank = "CASE WHEN {0}.status = 'PASS' THEN 0 WHEN {0}.status IN ('WARN','WAIVED','SKIP') THEN 1 " +
            "WHEN {0}.status IN ('n/a','') OR {0}.state <> 'COMPLETED' THEN 2 WHEN {0}.status = 'CHECK' THEN 3 ELSE 4 END";
        var rankA = string.Format(CultureInfo.InvariantCulture, Rank, "a");
        var rankB = string.Format(CultureInfo.InvariantCulture, Rank, "b");
        var verdictSql = "CASE WHEN a.id IS NULL THEN 'added' WHEN b.id IS NULL THEN 'removed' " +
            "WHEN a.state = b.state AND a.status = b.status THEN 'same' " +
            $"WHEN {rankB} < {rankA} THEN 'better' WHEN {rankB} > {rankA} THEN 'worse' ELSE 'changed' END";
        var cols = RowReaders.TestColumns.Split(", ");
        var from = "FROM (SELECT * FROM tests WHERE run_id = @a) a FULL OUTER JOIN (SELECT * FROM tests WHERE run_id = @b) b " +
            "ON a.testname = b.testname AND a.item_path = b.item_path";
        var select = $"SELECT {string.Join(", ", cols.Select(c => "a." + c))}, {string.Join(", ", cols.Select(c => "b." + c))}, " +
            $"coalesce(a.testname, b.testname) AS tn, coalesce(a.item_path, b.item_path) AS ip, {verdictSql} AS verdict {from}";

        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT * FROM ({select}) WHERE (@verdict = '' OR verdict = @verdict) ORDER BY tn, ip LIMIT @limit OFFSET @offset";
        command.Parameters.AddWithValue("@a", runA);
        command.Parameters.AddWithValue("@b", runB);
        command.Parameters.AddWithValue("@verdict", verdict ?? "");
        command.Parameters.AddWithValue("@limit", Math.Clamp(limit, 1, 5000));
        command.Parameters.AddWithValue("@offset", Math.Max(0, offset));
        var n = cols.Length;
        var rows = Read(command, r => new ComparisonRow(
            RowReaders.Text(r, 2 * n),
            RowReaders.Text(r, 2 * n + 1),
            r.IsDBNull(0) ? null : TestAt(r, 0),
            r.IsDBNull(n) ? null : TestAt(r, n),
            RowReaders.Text(r, 2 * n + 2)));

        using var countCommand = _connection.CreateCommand();
        countCommand.CommandText = $"SELECT verdict, count(*) FROM ({select}) GROUP BY verdict";
        countCommand.Parameters.AddWithValue("@a", runA);
        countCommand.Parameters.AddWithValue("@b", runB);
        var counts = Read(countCommand, r => (RowReaders.Text(r, 0), RowReaders.Long(r, 1))).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
        return new ComparisonPage(rows, counts);
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private void ExposeTest(long testId) => _runFiles?.Expose([RunFiles.RunOfTest(testId)]);

    private static TestRow TestAt(SqliteDataReader r, int o) => new(
        RowReaders.Long(r, o), RowReaders.Long(r, o + 1), RowReaders.Text(r, o + 2), RowReaders.Text(r, o + 3), RowReaders.Text(r, o + 4),
        RowReaders.Text(r, o + 5), RowReaders.Text(r, o + 6), RowReaders.Text(r, o + 7), RowReaders.Text(r, o + 8), RowReaders.Text(r, o + 9),
        RowReaders.Text(r, o + 10), RowReaders.Long(r, o + 11), RowReaders.Double(r, o + 12), RowReaders.Text(r, o + 13), RowReaders.Long(r, o + 14),
        RowReaders.Long(r, o + 15), RowReaders.Long(r, o + 16), RowReaders.Double(r, o + 17), RowReaders.Double(r, o + 18), RowReaders.Long(r, o + 19));

    /// <summary>The conditions of a matrix filter other than the runs, each starting with " AND ".</summary>
    private static string FilterSql(SqliteCommand command, MatrixFilter filter)
    {
        var sb = new StringBuilder();
        if (filter.ItemsOf is null)
        {
            sb.Append(" AND item_path = ''");
        }
        else
        {
            command.Parameters.AddWithValue("@itemsof", filter.ItemsOf);
            sb.Append(" AND testname = @itemsof AND item_path <> ''");
        }

        sb.Append(PatternSql(command, filter.TestPattern, filter.ItemsOf is not null));
        if (filter.States is { Count: > 0 } states)
        {
            sb.Append(" AND state IN (").Append(InList(command, "st", states)).Append(')');
        }

        if (filter.Statuses is { Count: > 0 } statuses)
        {
            sb.Append(" AND status IN (").Append(InList(command, "ss", statuses)).Append(')');
        }

        return sb.ToString();
    }

    /// <summary>SQL for a <c>-testpatt</c> list; item parts only count for item rows.</summary>
    private static string PatternSql(SqliteCommand command, string patterns, bool items)
    {
        var includes = new List<string>();
        var excludes = new List<string>();
        var n = 0;
        foreach (var raw in (patterns ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var negated = raw.StartsWith('~');
            var body = negated ? raw[1..] : raw;
            var slash = body.IndexOf('/', StringComparison.Ordinal);
            var test = slash < 0 ? body : body[..slash];
            var item = slash < 0 ? "" : body[(slash + 1)..];
            var condition = Match(command, "testname", test.Length == 0 ? "%" : test, ref n);
            if (items && item.Length > 0)
            {
                condition = "(" + condition + " AND " + Match(command, "item_path", item, ref n) + ")";
            }
            else if (negated && item.Length > 0 && item != "%")
            {
                // "~test/item" excludes items only; toplevel rows stay.
                continue;
            }

            (negated ? excludes : includes).Add(condition);
        }

        var sql = new StringBuilder();
        if (includes.Count > 0)
        {
            sql.Append(" AND (").Append(string.Join(" OR ", includes)).Append(')');
        }

        foreach (var exclude in excludes)
        {
            sql.Append(" AND NOT ").Append(exclude);
        }

        return sql.ToString();
    }

    private static string Match(SqliteCommand command, string column, string pattern, ref int n)
    {
        var name = "@pt" + n.ToString(CultureInfo.InvariantCulture);
        n++;
        if (pattern.Contains('%'))
        {
            command.Parameters.AddWithValue(name, pattern);
            return $"{column} LIKE {name}";
        }

        command.Parameters.AddWithValue(name, pattern.Replace("[", "[[]", StringComparison.Ordinal).Replace("?", "[?]", StringComparison.Ordinal));
        return $"{column} GLOB {name}";
    }

    private static string InList<T>(SqliteCommand command, string prefix, IReadOnlyList<T> values)
    {
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = "@" + prefix + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(names[i], values[i]);
        }

        return names.Length == 0 ? "NULL" : string.Join(", ", names);
    }

    private SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static List<T> Read<T>(SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        var list = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }
}
