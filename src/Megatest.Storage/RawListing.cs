using System.Text;

namespace Megatest.Storage;

/// <summary>
/// What <c>-list-runs</c> reads (runs by target and name, their tests, a failed test's steps), through SQLite's C API
/// rather than Microsoft.Data.Sqlite: a command that lists 10,000 tests and exits spent about 30 ms setting up
/// Microsoft.Data.Sqlite's first connection and a string per column per row (issue #9). The tests come as UTF-8 spans.
/// It reads the legacy layout only and reports failure rather than raising it: <see cref="TryOpen"/> returns null and
/// the other calls null or false whenever the database is missing, not a current Megatest database, uses the per-run
/// layout, or SQLite returns an error, so that the caller runs the same query through <see cref="MegatestQueries"/>,
/// which has the messages for every such case.
/// </summary>
public sealed unsafe class RawListing : IDisposable
{
    private nint _db;
    private RunSql? _runSql;
    private nint _tests;
    private nint _steps;

    private RawListing(nint db)
    {
        _db = db;
    }

    /// <summary>Opens <paramref name="path"/> read-only; null when anything about it needs <see cref="MegatestQueries"/>.</summary>
    public static RawListing? TryOpen(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return null;
        }

        nint db = 0;
        int rc;
        fixed (byte* name = Encoding.UTF8.GetBytes(path + "\0"))
        {
            rc = NativeSqlite.OpenV2(name, &db, NativeSqlite.OpenReadOnly | NativeSqlite.OpenNoMutex, null);
        }

        var listing = new RawListing(db);
        try
        {
            if (rc != NativeSqlite.Ok || NativeSqlite.BusyTimeout(db, SqliteConnections.BusyTimeoutMs) != NativeSqlite.Ok
                || listing.Values("PRAGMA user_version", []) is not [long version]
                || version == 0 || version > SqliteMigrator.LatestVersion
                || listing.Values(RunFiles.ReadLayoutSql, [("@var", RunFiles.LayoutVariable)]) is not { } layout
                || layout is [string stored] && stored == RunFiles.PerRunValue
                || listing.Values(KeySchema.ReadKeysSql, []) is not { } keys)
            {
                listing.Dispose();
                return null;
            }

            listing._runSql = new RunSql([.. keys.Select(k => RowReaders.Text(k))]);
            return listing;
        }
        catch
        {
            listing.Dispose();
            throw;
        }
    }

    /// <summary>As <see cref="MegatestQueries.Runs"/>; null on a SQLite error.</summary>
    public IReadOnlyList<RunRow>? Runs(string? targetPattern, string? runNamePattern)
    {
        var runSql = _runSql!;
        var parameters = runSql.MatchParameters(targetPattern, runNamePattern);
        return parameters is null ? [] : Query(Prepare(runSql.MatchRuns), finalize: true, parameters, statement => runSql.ReadRun(i => NativeSqlite.Value(statement, i)));
    }

    /// <summary>
    /// As <see cref="MegatestQueries.ListTests"/>, each test handed to <paramref name="handler"/> in turn; false when
    /// SQLite returned an error or the handler stopped the listing.
    /// </summary>
    public bool Tests(long runId, IReadOnlyCollection<string>? states, IReadOnlyCollection<string>? statuses, TestListingHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_tests == 0 && (_tests = Prepare(MegatestQueries.ListTestsSql)) == 0)
        {
            return false;
        }

        var statement = _tests;
        try
        {
            // JsonList only when there is a list: its first call loads System.Text.Json.
            var stateList = states is null ? null : MegatestQueries.JsonList(states);
            var statusList = statuses is null ? null : MegatestQueries.JsonList(statuses);
            if (!Bind(statement, [("@run_id", runId), ("@states", stateList), ("@statuses", statusList)]))
            {
                return false;
            }

            int rc;
            while ((rc = NativeSqlite.Step(statement)) == NativeSqlite.Row)
            {
                // NULL reads as empty text and as 0, as MegatestQueries reads it.
                var test = new TestListingText
                {
                    Id = NativeSqlite.ColumnInt64(statement, 0),
                    TestName = NativeSqlite.Text(statement, 1),
                    ItemPath = NativeSqlite.Text(statement, 2),
                    State = NativeSqlite.Text(statement, 3),
                    Status = NativeSqlite.Text(statement, 4),
                    Comment = NativeSqlite.Text(statement, 5),
                    RunDuration = NativeSqlite.ColumnDouble(statement, 6),
                    EventTime = NativeSqlite.ColumnInt64(statement, 7),
                    Host = NativeSqlite.Text(statement, 8),
                    RunDir = NativeSqlite.Text(statement, 9),
                };
                if (!handler(in test))
                {
                    return false;
                }
            }

            return rc == NativeSqlite.Done;
        }
        finally
        {
            NativeSqlite.Reset(statement);
        }
    }

    /// <summary>As <see cref="MegatestQueries.Steps"/>; null on a SQLite error.</summary>
    public IReadOnlyList<StepRow>? Steps(long testId)
    {
        if (_steps == 0)
        {
            _steps = Prepare(SqliteRunReader.StepsSql);
        }

        return Query(_steps, finalize: false, [("@test_id", testId)], statement => RowReaders.Step(i => NativeSqlite.Value(statement, i)));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var statement in new[] { _tests, _steps })
        {
            if (statement != 0)
            {
                NativeSqlite.Finalize(statement);
            }
        }

        _tests = _steps = 0;
        if (_db != 0)
        {
            NativeSqlite.CloseV2(_db);
            _db = 0;
        }
    }

    // The first column of every row; null on a SQLite error.
    private List<object>? Values(string sql, ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Query(Prepare(sql), finalize: true, parameters, statement => NativeSqlite.Value(statement, 0));

    // Each row of a prepared statement (0: it did not prepare) mapped; null on a SQLite error. A cached statement is
    // reset for its next use, any other finalized.
    private static List<T>? Query<T>(nint statement, bool finalize, ReadOnlySpan<(string Name, object? Value)> parameters, Func<nint, T> map)
    {
        if (statement == 0)
        {
            return null;
        }

        try
        {
            if (!Bind(statement, parameters))
            {
                return null;
            }

            var rows = new List<T>();
            int rc;
            while ((rc = NativeSqlite.Step(statement)) == NativeSqlite.Row)
            {
                rows.Add(map(statement));
            }

            return rc == NativeSqlite.Done ? rows : null;
        }
        finally
        {
            if (finalize)
            {
                NativeSqlite.Finalize(statement);
            }
            else
            {
                NativeSqlite.Reset(statement);
            }
        }
    }

    private nint Prepare(string sql)
    {
        nint statement = 0;
        var bytes = Encoding.UTF8.GetBytes(sql);
        fixed (byte* text = bytes)
        {
            var rc = NativeSqlite.PrepareV2(_db, text, bytes.Length, &statement, null);
            if (rc != NativeSqlite.Ok)
            {
                NativeSqlite.Finalize(statement);
                return 0;
            }
        }

        return statement;
    }

    private static bool Bind(nint statement, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            int index;
            fixed (byte* utf8 = Encoding.UTF8.GetBytes(name + "\0"))
            {
                index = NativeSqlite.BindParameterIndex(statement, utf8);
            }

            if (index == 0)
            {
                return false;
            }

            var rc = value switch
            {
                null => NativeSqlite.BindNull(statement, index),
                long l => NativeSqlite.BindInt64(statement, index, l),
                string s => NativeSqlite.BindText(statement, index, Encoding.UTF8.GetBytes(s)),
                _ => -1,
            };
            if (rc != NativeSqlite.Ok)
            {
                return false;
            }
        }

        return true;
    }
}
