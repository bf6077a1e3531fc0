using Microsoft.Data.Sqlite;

namespace Megatest.Storage;

/// <summary>
/// SQL over the <c>runs</c> table, which depends on the area's key columns and is therefore built once per
/// opened database from validated key names. Values are always bound as parameters.
/// </summary>
internal sealed class RunSql
{
    public RunSql(IReadOnlyList<string> keyNames)
    {
        KeyNames = keyNames;
        var keyColumns = keyNames.Select(KeySchema.Quote).ToList();
        var columns = string.Join(", ", keyColumns.Prepend("id").Concat(
            ["runname", "state", "status", "owner", "event_time", "comment", "last_update"]));
        SelectRun = $"SELECT {columns} FROM runs";
        GetRun = SelectRun + " WHERE id = @id";

        var keyMatch = keyColumns.Select((c, i) => $"{c} = @k{i}").Append("runname = @runname");
        FindRun = SelectRun + " WHERE " + string.Join(" AND ", keyMatch);

        var insertColumns = keyColumns.Concat(["runname", "state", "status", "owner", "event_time", "comment", "last_update"]);
        var insertValues = keyColumns.Select((_, i) => $"@k{i}").Concat(["@runname", "'new'", "'n/a'", "@owner", "@now", "''", "@now"]);
        InsertRun = $"INSERT INTO runs ({string.Join(", ", insertColumns)}) VALUES ({string.Join(", ", insertValues)})";

        // Per key: LIKE when the bound pattern contains '%', GLOB otherwise (SPEC §3.3).
        var patternMatch = keyColumns
            .Select((c, i) => $"(CASE WHEN instr(@p{i}, '%') > 0 THEN {c} LIKE @p{i} ELSE {c} GLOB @p{i} END)")
            .Append("(CASE WHEN instr(@runname, '%') > 0 THEN runname LIKE @runname ELSE runname GLOB @runname END)")
            .Prepend("coalesce(state, '') <> 'deleted'");
        MatchRuns = SelectRun + " WHERE " + string.Join(" AND ", patternMatch) + " ORDER BY id";

        DistinctTargets = keyColumns.Count == 0
            ? "SELECT DISTINCT '' FROM runs WHERE coalesce(state, '') <> 'deleted'"
            : $"SELECT DISTINCT {string.Join(", ", keyColumns)} FROM runs WHERE coalesce(state, '') <> 'deleted' " +
              $"ORDER BY {string.Join(", ", keyColumns)}";
    }

    public IReadOnlyList<string> KeyNames { get; }

    public string SelectRun { get; }

    /// <summary>Parameters: @id.</summary>
    public string GetRun { get; }

    /// <summary>Parameters: @k0…, @runname.</summary>
    public string FindRun { get; }

    /// <summary>Parameters: @k0…, @runname, @owner, @now.</summary>
    public string InsertRun { get; }

    /// <summary>Parameters: @p0…, @runname (patterns).</summary>
    public string MatchRuns { get; }

    public string DistinctTargets { get; }

    /// <summary>Binds one parameter per key value (named <paramref name="prefix"/>0…).</summary>
    public (string Name, object? Value)[] KeyParameters(IReadOnlyList<string> values, string prefix, int extra)
    {
        var parameters = new (string Name, object? Value)[values.Count + extra];
        for (var i = 0; i < values.Count; i++)
        {
            parameters[i] = ("@" + prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), values[i]);
        }

        return parameters;
    }

    /// <summary>
    /// The parameters of <see cref="MatchRuns"/> for a target pattern (one part per key, missing parts match all) and a
    /// run name pattern; null when the target has more parts than the area has keys, which no run can match.
    /// </summary>
    public (string Name, object? Value)[]? MatchParameters(string? targetPattern, string? runNamePattern)
    {
        var keyCount = KeyNames.Count;
        var parts = string.IsNullOrEmpty(targetPattern) ? [] : targetPattern.Split('/');
        if (parts.Length > keyCount)
        {
            return null;
        }

        var patterns = new string[keyCount];
        for (var i = 0; i < keyCount; i++)
        {
            patterns[i] = i < parts.Length ? parts[i] : "%";
        }

        var parameters = KeyParameters(patterns, "p", 1);
        parameters[^1] = ("@runname", string.IsNullOrEmpty(runNamePattern) ? "%" : runNamePattern);
        return parameters;
    }

    /// <summary>Maps a row selected with <see cref="SelectRun"/>.</summary>
    public RunRow ReadRun(SqliteDataReader r) => ReadRun(r.GetValue);

    /// <summary>Maps a row selected with <see cref="SelectRun"/> from its column values as <see cref="SqliteDataReader.GetValue"/> gives them.</summary>
    public RunRow ReadRun(Func<int, object> value)
    {
        var n = KeyNames.Count;
        var values = new string[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = RowReaders.Text(value(1 + i));
        }

        return new RunRow(
            RowReaders.Long(value(0)),
            values,
            string.Join("/", values),
            RowReaders.Text(value(n + 1)),
            RowReaders.Text(value(n + 2)),
            RowReaders.Text(value(n + 3)),
            RowReaders.Text(value(n + 4)),
            RowReaders.Long(value(n + 5)),
            RowReaders.Text(value(n + 6)),
            RowReaders.Long(value(n + 7)));
    }
}
