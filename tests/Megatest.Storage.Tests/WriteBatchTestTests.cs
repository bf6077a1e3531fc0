using static Megatest.Storage.Tests.WriteBatchExtensions;

namespace Megatest.Storage.Tests;

public sealed class WriteBatchTestTests : IDisposable
{
    private readonly TestDb _db = new();
    private readonly MegatestDatabase _database;
    private readonly WriteBatch _batch;
    private readonly long _runId;

    public WriteBatchTestTests()
    {
        _database = _db.Open();
        _batch = _database.BeginBatch();
        _runId = _batch.Run();
    }

    public void Dispose()
    {
        _batch.Dispose();
        _db.Dispose();
    }

    [Fact]
    public void RegisterTest_InsertsNotStartedDefaults_AndIsIdempotent()
    {
        var first = _batch.RegisterTest(_runId, "compile", "", Now);
        _batch.UpdateTest(first.Id, new TestUpdate { Comment = "keep me" }, Now + 1);

        var second = _batch.RegisterTest(_runId, "compile", "", Now + 2);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("keep me", second.Comment);
        Assert.Equal("NOT_STARTED", first.State);
        Assert.Equal("n/a", first.Status);
        Assert.Equal("n/a", first.Host);
        Assert.Equal("n/a", first.Uname);
        Assert.Equal("logs/final.log", first.FinalLogf);
        Assert.Equal("/tmp/badname", first.RunDir);
        Assert.Equal("/tmp/badname", first.ShortDir);
        Assert.Equal(_runId, first.RunId);
        Assert.Equal("", first.ItemPath);
        Assert.Single(_batch.Reader.Tests(_runId));
    }

    [Fact]
    public void RegisterTest_UnknownRun_Throws()
    {
        var ex = Assert.Throws<StorageException>(() => _batch.RegisterTest(9999, "t", "a/b", Now));

        Assert.Contains("t/a/b", ex.Message);
    }

    [Fact]
    public void Tests_AreOrderedByNameAndItemPath()
    {
        _batch.RegisterTest(_runId, "b", "", Now);
        _batch.RegisterTest(_runId, "a", "y", Now);
        _batch.RegisterTest(_runId, "a", "", Now);
        _batch.RegisterTest(_runId, "a", "x", Now);

        var names = _batch.Reader.Tests(_runId).Select(t => t.TestName + "/" + t.ItemPath);

        Assert.Equal(new[] { "a/", "a/x", "a/y", "b/" }, names);
    }

    [Fact]
    public void UpdateTest_AppliesOnlyNonNullFields()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);

        _batch.UpdateTest(test.Id, new TestUpdate { State = "LAUNCHED", Host = "h1", EventTime = Now + 1, CpuLoad = 1.5 }, Now + 1);
        var rows = _batch.UpdateTest(test.Id, new TestUpdate { Status = "PASS", RunDuration = 12.5, AttemptNum = 4321, DiskFree = 99 }, Now + 2);

        var row = Assert.Single(rows);
        Assert.Equal("LAUNCHED", row.State);
        Assert.Equal("PASS", row.Status);
        Assert.Equal("h1", row.Host);
        Assert.Equal("n/a", row.Uname);
        Assert.Equal(Now + 1, row.EventTime);
        Assert.Equal(12.5, row.RunDuration);
        Assert.Equal(4321, row.AttemptNum);
        Assert.Equal(1.5, row.CpuLoad);
        Assert.Equal(99, row.DiskFree);
        Assert.Equal(Now + 2, row.LastUpdate);
        Assert.Equal(row, _batch.Reader.GetTest(test.Id));
    }

    [Fact]
    public void UpdateTest_UnknownTest_Throws()
    {
        Assert.Throws<StorageException>(() => _batch.UpdateTest(777, new TestUpdate { State = "RUNNING" }, Now));
    }

    private (TestRow Top, TestRow[] Items) Itemized(int count)
    {
        var top = _batch.RegisterTest(_runId, "t", "", Now);
        var items = Enumerable.Range(1, count).Select(i => _batch.RegisterTest(_runId, "t", "i" + i, Now)).ToArray();
        return (top, items);
    }

    private TestRow Toplevel() => _batch.Reader.FindTest(_runId, "t", "")!;

    [Fact]
    public void UpdateTest_AllItemsCompletedPass_RollsUpCompletedPass()
    {
        var (top, items) = Itemized(3);

        IReadOnlyList<TestRow> last = [];
        foreach (var item in items)
        {
            last = _batch.UpdateTest(item.Id, new TestUpdate { State = "COMPLETED", Status = "PASS" }, Now);
        }

        Assert.Equal(("COMPLETED", "PASS"), (Toplevel().State, Toplevel().Status));
        Assert.Equal(items[^1].Id, last[0].Id);
        Assert.Equal(top.Id, last[^1].Id);
    }

    [Fact]
    public void UpdateTest_OneFailItem_RollsUpFail()
    {
        var (_, items) = Itemized(3);
        _batch.SetState(items[0], "COMPLETED", "PASS");
        _batch.SetState(items[1], "COMPLETED", "FAIL");
        _batch.SetState(items[2], "COMPLETED", "PASS");

        Assert.Equal(("COMPLETED", "FAIL"), (Toplevel().State, Toplevel().Status));
    }

    [Fact]
    public void UpdateTest_PassAndWarnItems_RollUpWarn()
    {
        var (_, items) = Itemized(2);
        _batch.SetState(items[0], "COMPLETED", "PASS");
        _batch.SetState(items[1], "COMPLETED", "WARN");

        Assert.Equal(("COMPLETED", "WARN"), (Toplevel().State, Toplevel().Status));
    }

    [Fact]
    public void UpdateTest_RunningItem_RollsUpRunning()
    {
        var (top, items) = Itemized(3);
        _batch.SetState(items[0], "COMPLETED", "PASS");

        var rows = _batch.UpdateTest(items[1].Id, new TestUpdate { State = "RUNNING", Status = "n/a" }, Now);

        Assert.Equal(2, rows.Count);
        Assert.Equal(top.Id, rows[1].Id);
        Assert.Equal("RUNNING", rows[1].State);
        Assert.Equal("PASS", rows[1].Status);
    }

    [Theory]
    [InlineData("PREQ_FAIL")]
    [InlineData("ZERO_ITEMS")]
    public void UpdateTest_BadNotStartedItem_RollsUpCompletedCheck(string status)
    {
        var (_, items) = Itemized(2);
        _batch.SetState(items[0], "COMPLETED", "PASS");
        _batch.SetState(items[1], "NOT_STARTED", status);

        Assert.Equal(("COMPLETED", "CHECK"), (Toplevel().State, Toplevel().Status));
    }

    [Fact]
    public void UpdateTest_ToplevelUnchanged_IsNotReturned()
    {
        var (_, items) = Itemized(2);
        _batch.SetState(items[0], "COMPLETED", "FAIL");
        _batch.SetState(items[1], "COMPLETED", "PASS");

        var rows = _batch.UpdateTest(items[1].Id, new TestUpdate { State = "COMPLETED", Status = "WARN" }, Now);

        Assert.Single(rows);
        Assert.Equal(("COMPLETED", "FAIL"), (Toplevel().State, Toplevel().Status));
    }

    [Fact]
    public void UpdateTest_NonStateFieldsOfItem_DoNotTouchToplevel()
    {
        var (top, items) = Itemized(1);

        var rows = _batch.UpdateTest(items[0].Id, new TestUpdate { RunDuration = 3 }, Now + 50);

        Assert.Single(rows);
        Assert.Equal(top, Toplevel());
    }

    [Fact]
    public void UpdateTest_ToplevelItself_DoesNotRollUp()
    {
        var (top, items) = Itemized(1);
        _batch.SetState(items[0], "COMPLETED", "PASS");

        var rows = _batch.UpdateTest(top.Id, new TestUpdate { FinalLogf = "megatest-rollup-t.html" }, Now);

        Assert.Equal("megatest-rollup-t.html", Assert.Single(rows).FinalLogf);
        Assert.Equal(("COMPLETED", "PASS"), (rows[0].State, rows[0].Status));
    }

    [Fact]
    public void UpdateTest_StatusAuto_RollsUpTestData()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);
        _batch.RecordTestData(
            test.Id,
            [
                new TestDataInput("c", "a", "1", "1", "0", null, null, null, null),
                new TestDataInput("c", "b", "2", "2", "0", null, null, null, null),
            ],
            rollup: false);

        var rows = _batch.UpdateTest(test.Id, new TestUpdate { State = "COMPLETED", Status = "AUTO" }, Now);

        var row = Assert.Single(rows);
        Assert.Equal("PASS", row.Status);
        Assert.Equal(2, row.PassCount);
        Assert.Equal(0, row.FailCount);
    }

    [Fact]
    public void UpdateTest_StatusAuto_WithoutData_StaysAuto()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);

        var rows = _batch.UpdateTest(test.Id, new TestUpdate { State = "COMPLETED", Status = "AUTO" }, Now);

        Assert.Equal("AUTO", rows[0].Status);
    }

    [Fact]
    public void RecordStep_UpsertsOnTestStepAndState()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);

        _batch.RecordStep(test.Id, new StepRecord("build", "start", "-", Now, null, null));
        _batch.RecordStep(test.Id, new StepRecord("build", "end", "1", Now + 5, "exit 1", "build.log"));
        _batch.RecordStep(test.Id, new StepRecord("build", "end", "0", Now + 9, null, null));

        var steps = _batch.Reader.Steps(test.Id);
        Assert.Equal(2, steps.Count);
        Assert.Equal(("build", "start", "-", Now, "", ""), (steps[0].StepName, steps[0].State, steps[0].Status, steps[0].EventTime, steps[0].Comment, steps[0].LogFile));
        Assert.Equal(("end", "0", Now + 9, "exit 1", "build.log"), (steps[1].State, steps[1].Status, steps[1].EventTime, steps[1].Comment, steps[1].LogFile));
        Assert.Equal(test.Id, steps[1].TestId);
    }

    [Fact]
    public void RecordStep_UnknownTest_Throws()
    {
        Assert.Throws<StorageException>(() => _batch.RecordStep(31337, new StepRecord("s", "start", "-", Now, null, null)));
    }

    [Fact]
    public void UpsertTestMeta_InsertsDefaults_AndKeepsUnsetFields()
    {
        _batch.UpsertTestMeta(new TestMeta("t", "ann", null, "desc", null, "smoke,fast", null));
        _batch.UpsertTestMeta(new TestMeta("t", null, "bob", null, null, null, "big"));
        _batch.Commit();

        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM test_meta"));
        Assert.Equal("ann|bob|desc||smoke,fast|big", _db.Scalar(
            "SELECT author || '|' || owner || '|' || description || '|' || reviewed || '|' || tags || '|' || jobgroup FROM test_meta WHERE testname = 't'"));
    }

    [Fact]
    public void UpsertTestMeta_DefaultJobGroup_IsDefault()
    {
        _batch.UpsertTestMeta(new TestMeta("t", null, null, null, null, null, null));
        _batch.Commit();

        Assert.Equal("default", _db.Scalar("SELECT jobgroup FROM test_meta WHERE testname = 't'"));
    }

    [Fact]
    public void RefreshRunStats_CountsLeafTestsByStateAndStatus()
    {
        var (_, items) = Itemized(3);
        var plain = _batch.RegisterTest(_runId, "plain", "", Now);
        _batch.SetState(items[0], "COMPLETED", "PASS");
        _batch.SetState(items[1], "COMPLETED", "PASS");
        _batch.SetState(plain, "RUNNING", "n/a");

        _batch.RefreshRunStats(_runId, Now);
        _batch.SetState(items[2], "COMPLETED", "FAIL");
        _batch.RefreshRunStats(_runId, Now + 1);

        Assert.Equal(
            new[] { new RunStatRow("COMPLETED", "FAIL", 1), new RunStatRow("COMPLETED", "PASS", 2), new RunStatRow("RUNNING", "n/a", 1) },
            _batch.Reader.RunStats(_runId));
    }

    [Fact]
    public void TestsInStates_SpansAllRuns()
    {
        var otherRun = _batch.Run(runName: "run2");
        var a = _batch.RegisterTest(_runId, "a", "", Now);
        var b = _batch.RegisterTest(otherRun, "b", "", Now);
        _batch.RegisterTest(otherRun, "c", "", Now);
        _batch.SetState(a, "RUNNING", "n/a");
        _batch.SetState(b, "LAUNCHED", "n/a");

        var running = _batch.Reader.TestsInStates(["RUNNING", "LAUNCHED", "REMOTEHOSTSTART"]);

        Assert.Equal(new[] { a.Id, b.Id }, running.Select(t => t.Id));
        Assert.Empty(_batch.Reader.TestsInStates([]));
    }
}
