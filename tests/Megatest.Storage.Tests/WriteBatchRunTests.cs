using static Megatest.Storage.Tests.WriteBatchExtensions;

namespace Megatest.Storage.Tests;

public sealed class WriteBatchRunTests : IDisposable
{
    private readonly TestDb _db = new();
    private readonly MegatestDatabase _database;

    public WriteBatchRunTests()
    {
        _database = _db.Open();
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void EnsureRun_CreatesNewRun_ThenReusesIt()
    {
        using var batch = _database.BeginBatch();

        var id = batch.EnsureRun(["ubuntu", "v1"], "run1", "alice", Now, out var created);
        var again = batch.EnsureRun(["ubuntu", "v1"], "run1", "bob", Now + 5, out var createdAgain);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(id, again);
        var run = batch.Reader.GetRun(id)!;
        Assert.Equal(["ubuntu", "v1"], run.KeyValues);
        Assert.Equal("ubuntu/v1", run.Target);
        Assert.Equal("run1", run.RunName);
        Assert.Equal("new", run.State);
        Assert.Equal("n/a", run.Status);
        Assert.Equal("alice", run.Owner);
        Assert.Equal(Now, run.EventTime);
        Assert.Equal(Now, run.LastUpdate);
    }

    [Fact]
    public void EnsureRun_RevivesDeletedRun()
    {
        using var batch = _database.BeginBatch();
        var id = batch.Run();
        batch.UpdateRun(id, "deleted", "gone", null, Now + 1);

        var again = batch.EnsureRun(["ubuntu", "v1"], "run1", "bob", Now + 2, out var created);

        Assert.Equal(id, again);
        Assert.False(created);
        var run = batch.Reader.GetRun(id)!;
        Assert.Equal("new", run.State);
        Assert.Equal("n/a", run.Status);
        Assert.Equal("bob", run.Owner);
    }

    [Theory]
    [InlineData("ubuntu")]
    [InlineData("ubuntu/v1/extra")]
    [InlineData("ubuntu/")]
    public void EnsureRun_RejectsInvalidTarget(string target)
    {
        using var batch = _database.BeginBatch();

        var ex = Assert.Throws<StorageException>(() => batch.EnsureRun(target.Split('/'), "run1", "me", Now, out _));

        Assert.Contains("Invalid target", ex.Message);
        Assert.Contains("SYSTEM/RELEASE", ex.Message);
    }

    [Fact]
    public void UpdateRun_SetsOnlyGivenFields()
    {
        using var batch = _database.BeginBatch();
        var id = batch.Run();

        batch.UpdateRun(id, null, "PASS", "all good", Now + 10);
        var run = batch.UpdateRun(id, "locked", null, null, Now + 20);

        Assert.Equal("locked", run.State);
        Assert.Equal("PASS", run.Status);
        Assert.Equal("all good", run.Comment);
        Assert.Equal(Now + 20, run.LastUpdate);
    }

    [Fact]
    public void UpdateRun_UnknownRun_Throws()
    {
        using var batch = _database.BeginBatch();

        Assert.Throws<StorageException>(() => batch.UpdateRun(4242, "locked", null, null, Now));
    }

    [Fact]
    public void Dispose_WithoutCommit_RollsBack()
    {
        using (var batch = _database.BeginBatch())
        {
            var id = batch.Run();
            batch.RegisterTest(id, "a", "", Now);
            Assert.NotNull(batch.Reader.FindRun(["ubuntu", "v1"], "run1"));
        }

        using var next = _database.BeginBatch();
        Assert.Null(next.Reader.FindRun(["ubuntu", "v1"], "run1"));
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM tests"));
    }

    [Fact]
    public void Commit_MakesChangesVisibleToOtherConnections()
    {
        using (var batch = _database.BeginBatch())
        {
            batch.Run();
            Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM runs"));
            batch.Commit();
        }

        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM runs"));
    }

    [Fact]
    public void BeginBatch_WhileAnotherIsOpen_Throws()
    {
        using var batch = _database.BeginBatch();

        Assert.Throws<InvalidOperationException>(() => _database.BeginBatch());
    }

    [Fact]
    public void Batch_AfterCommit_CannotBeUsed()
    {
        using var batch = _database.BeginBatch();
        batch.Commit();

        Assert.Throws<InvalidOperationException>(() => batch.Run());
        using var next = _database.BeginBatch();
        Assert.Empty(next.Reader.Runs(null, null));
    }

    [Fact]
    public void DeleteTests_DeletesTestsStepsAndData_AndTheEmptyRun()
    {
        using var batch = _database.BeginBatch();
        var runId = batch.Run();
        var top = batch.RegisterTest(runId, "t", "", Now);
        var item = batch.RegisterTest(runId, "t", "x", Now);
        var other = batch.RegisterTest(runId, "u", "", Now);
        batch.RecordStep(item.Id, new StepRecord("s1", "start", "-", Now, null, null));
        batch.RecordTestData(item.Id, [new TestDataInput("c", "v", "1", "1", "0", null, null, null, null)], rollup: false);
        batch.RefreshRunStats(runId, Now);

        var firstDeleted = batch.DeleteTests(runId, [top.Id, item.Id]);

        Assert.Equal([item.Id, top.Id], firstDeleted.Select(t => t.Id));
        Assert.Empty(batch.Reader.Steps(item.Id));
        Assert.Empty(batch.Reader.TestData(item.Id));
        Assert.NotNull(batch.Reader.GetRun(runId));

        var lastDeleted = batch.DeleteTests(runId, [other.Id]);

        Assert.Single(lastDeleted);
        Assert.Null(batch.Reader.GetRun(runId));
        Assert.Empty(batch.Reader.RunStats(runId));
    }

    [Fact]
    public void DeleteTests_IgnoresTestsOfOtherRuns()
    {
        using var batch = _database.BeginBatch();
        var run1 = batch.Run(runName: "r1");
        var run2 = batch.Run(runName: "r2");
        var foreign = batch.RegisterTest(run2, "t", "", Now);
        batch.RegisterTest(run1, "t", "", Now);

        var deleted = batch.DeleteTests(run1, [foreign.Id]);

        Assert.Empty(deleted);
        Assert.NotNull(batch.Reader.GetTest(foreign.Id));
        Assert.NotNull(batch.Reader.GetRun(run1));
    }

    [Fact]
    public void Runs_MatchesTargetAndRunNamePatterns_WithLikeAndGlob()
    {
        using var batch = _database.BeginBatch();
        batch.Run("ubuntu/v1.0", "nightly_1");
        batch.Run("ubuntu/v2.0", "nightly_2");
        batch.Run("Redhat/v1.0", "weekly");
        batch.Run("redhat/v1.5", "Nightly_3");
        var reader = batch.Reader;

        string Names(string? target, string? runName) => string.Join(",", reader.Runs(target, runName).Select(r => r.Target + ":" + r.RunName));

        Assert.Equal("ubuntu/v1.0:nightly_1,ubuntu/v2.0:nightly_2,Redhat/v1.0:weekly,redhat/v1.5:Nightly_3", Names(null, null));
        Assert.Equal("ubuntu/v1.0:nightly_1,ubuntu/v2.0:nightly_2", Names("ubuntu/%", "%"));
        Assert.Equal("ubuntu/v1.0:nightly_1,ubuntu/v2.0:nightly_2", Names("ubuntu", null));
        Assert.Equal("Redhat/v1.0:weekly,redhat/v1.5:Nightly_3", Names("redhat%/%", null));
        Assert.Equal("redhat/v1.5:Nightly_3", Names("redhat/*", null));
        Assert.Equal("ubuntu/v1.0:nightly_1,Redhat/v1.0:weekly", Names("*/v1.0", null));
        Assert.Equal("ubuntu/v1.0:nightly_1,ubuntu/v2.0:nightly_2,redhat/v1.5:Nightly_3", Names("%", "nightly%"));
        Assert.Equal("ubuntu/v1.0:nightly_1,ubuntu/v2.0:nightly_2", Names("%", "nightly*"));
        Assert.Equal("ubuntu/v2.0:nightly_2", Names("ubuntu/v2.0", "nightly_2"));
        Assert.Equal(string.Empty, Names("ubuntu/v1.0/x", null));
    }

    [Fact]
    public void Runs_AndDistinctTargets_SkipDeletedRuns()
    {
        using var batch = _database.BeginBatch();
        batch.Run("b/2", "r");
        batch.Run("a/1", "r");
        batch.Run("a/1", "s");
        var gone = batch.Run("c/3", "r");
        batch.UpdateRun(gone, "deleted", null, null, Now);

        Assert.Equal(["a/1", "b/2"], batch.Reader.DistinctTargets());
        Assert.DoesNotContain(batch.Reader.Runs("%", "%"), r => r.Id == gone);
        Assert.Equal("deleted", batch.Reader.GetRun(gone)!.State);
    }

    [Fact]
    public void FindRun_ReturnsNull_ForUnknownRunOrWrongKeyCount()
    {
        using var batch = _database.BeginBatch();
        batch.Run();

        Assert.NotNull(batch.Reader.FindRun(["ubuntu", "v1"], "run1"));
        Assert.Null(batch.Reader.FindRun(["ubuntu", "v1"], "run2"));
        Assert.Null(batch.Reader.FindRun(["ubuntu"], "run1"));
    }
}
