using Microsoft.Data.Sqlite;
using static Megatest.Storage.Tests.WriteBatchExtensions;

namespace Megatest.Storage.Tests;

public sealed class MegatestQueriesTests : IDisposable
{
    private readonly TestDb _db = new();

    public void Dispose() => _db.Dispose();

    private (long RunId, long TestId) Seed()
    {
        using var database = _db.Open();
        using var batch = database.BeginBatch();
        var runId = batch.Run();
        var test = batch.RegisterTest(runId, "t", "", Now);
        batch.RecordStep(test.Id, new StepRecord("s", "start", "-", Now, null, null));
        batch.RecordTestData(test.Id, [new TestDataInput("c", "v", "1", "1", "0", null, null, null, null)], rollup: false);
        batch.RefreshRunStats(runId, Now);
        batch.Commit();
        return (runId, test.Id);
    }

    [Fact]
    public void Open_ReadsCommittedData()
    {
        var (runId, testId) = Seed();

        var queries = _db.Queries();

        Assert.Equal(TestDb.TwoKeys, queries.Keys());
        Assert.Equal(runId, queries.FindRun(["ubuntu", "v1"], "run1")!.Id);
        Assert.Equal("ubuntu/v1", queries.GetRun(runId)!.Target);
        Assert.Single(queries.Runs("ubuntu/%", "run%"));
        Assert.Equal(testId, queries.FindTest(runId, "t", "")!.Id);
        Assert.Equal("t", queries.GetTest(testId)!.TestName);
        Assert.Single(queries.Tests(runId));
        Assert.Single(queries.TestsInStates(["NOT_STARTED"]));
        Assert.Single(queries.Steps(testId));
        Assert.Equal("pass", Assert.Single(queries.TestData(testId)).Status);
        Assert.Equal(new RunStatRow("NOT_STARTED", "n/a", 1), Assert.Single(queries.RunStats(runId)));
        Assert.Equal(["ubuntu/v1"], queries.DistinctTargets());
    }

    [Fact]
    public void ListTests_NameOrder_FiltersStatesAndStatusesInSql()
    {
        long runId;
        using (var database = _db.Open())
        using (var batch = database.BeginBatch())
        {
            runId = batch.Run();
            var b = batch.RegisterTest(runId, "b", "", Now);
            var a2 = batch.RegisterTest(runId, "a", "2", Now);
            batch.RegisterTest(runId, "a", "1", Now);
            batch.UpdateTest(b.Id, new TestUpdate { State = "COMPLETED", Status = "FAIL", Comment = "bad", Host = "h1", RunDir = "/r/b", RunDuration = 7, EventTime = Now + 5 }, Now);
            batch.UpdateTest(a2.Id, new TestUpdate { State = "COMPLETED", Status = "PASS" }, Now);
            batch.Commit();
        }

        var queries = _db.Queries();

        Assert.Equal([("a", "1"), ("a", "2"), ("b", "")], queries.ListTests(runId).Select(t => (t.TestName, t.ItemPath)));
        var failed = Assert.Single(queries.ListTests(runId, statuses: ["FAIL", "ABORT"]));
        Assert.Equal(new TestListing(failed.Id, "b", "", "COMPLETED", "FAIL", "bad", 7, Now + 5, "h1", "/r/b"), failed);
        Assert.Equal(["2"], queries.ListTests(runId, ["COMPLETED"], ["PASS"]).Select(t => t.ItemPath));
        Assert.Equal(["1"], queries.ListTests(runId, states: ["NOT_STARTED"]).Select(t => t.ItemPath));
        Assert.Empty(queries.ListTests(runId, states: []));
        Assert.Empty(queries.ListTests(runId + 1));
    }

    [Fact]
    public void ReadOnlyConnection_CannotWrite()
    {
        Seed();
        var queries = _db.Queries();

        using var command = queries.Connection.CreateCommand();
        command.CommandText = "DELETE FROM runs";
        var ex = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());

        Assert.Equal(8, ex.SqliteErrorCode); // SQLITE_READONLY
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM runs"));
    }

    [Fact]
    public void Open_MissingFile_ThrowsWithoutCreatingIt()
    {
        var ex = Assert.Throws<StorageException>(() => MegatestQueries.Open(_db.Path));

        Assert.Contains(_db.Path, ex.Message);
        Assert.False(File.Exists(_db.Path));
    }

    [Fact]
    public void Open_NewerSchema_IsRefused()
    {
        Seed();
        _db.Scalar("PRAGMA user_version = " + (SqliteMigrator.LatestVersion + 1));

        Assert.Throws<StorageException>(() => MegatestQueries.Open(_db.Path));
    }

    [Fact]
    public void Queries_SeeWritesCommittedAfterOpen()
    {
        Seed();
        var queries = _db.Queries();
        using var database = _db.Open();
        using (var batch = database.BeginBatch())
        {
            batch.Run("debian/v2", "run9");
            batch.Commit();
        }

        Assert.Equal(2, queries.Runs(null, null).Count);
    }
}
