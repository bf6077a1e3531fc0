using static Megatest.Storage.Tests.WriteBatchExtensions;

namespace Megatest.Storage.Tests;

public sealed class TestDataTests : IDisposable
{
    private readonly TestDb _db = new();
    private readonly MegatestDatabase _database;
    private readonly WriteBatch _batch;
    private readonly long _runId;

    public TestDataTests()
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

    private static TestDataInput Data(string variable, string? value, string? expected = null, string? tol = null, string? status = null, string category = "cat") =>
        new(category, variable, value, expected, tol, "V", "note", status, null);

    [Fact]
    public void RecordTestData_StoresNumericLookingValuesAsNumbers()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);

        _batch.RecordTestData(test.Id, [Data("int", "42", "40", "5"), Data("real", "1.5", "8mA", ">"), Data("text", "high")], rollup: false);
        _batch.Commit();

        string TypeOf(string column, string variable) => (string)_db.Scalar(
            $"SELECT typeof({column}) FROM test_data WHERE variable = @v", ("@v", variable))!;
        Assert.Equal("integer", TypeOf("value", "int"));
        Assert.Equal("integer", TypeOf("expected", "int"));
        Assert.Equal("integer", TypeOf("tol", "int"));
        Assert.Equal("real", TypeOf("value", "real"));
        Assert.Equal("text", TypeOf("expected", "real"));
        Assert.Equal("text", TypeOf("value", "text"));
        Assert.Equal("null", TypeOf("expected", "text"));
    }

    [Fact]
    public void RecordTestData_ComputesStatus_WhenBlankOrNa()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);

        _batch.RecordTestData(
            test.Id,
            [
                Data("band", "10.05", "10", "0.1"),
                Data("over", "11", "10", "0.1", "n/a"),
                Data("cmp", "5", "3", ">"),
                Data("given", "11", "10", "0.1", "WAIVED"),
                Data("nonnum", "8", "8mA", "1"),
                Data("badtol", "1", "1", "~"),
            ],
            rollup: false);

        var rows = _batch.Reader.TestData(test.Id).ToDictionary(r => r.Variable);
        Assert.Equal("pass", rows["band"].Status);
        Assert.Equal("fail", rows["over"].Status);
        Assert.Equal("pass", rows["cmp"].Status);
        Assert.Equal("WAIVED", rows["given"].Status);
        Assert.Equal("n/a", rows["nonnum"].Status);
        Assert.StartsWith("ERROR:", rows["badtol"].Status);
        Assert.Equal(("10.05", "10", "0.1", "V", "note", "cat"), (rows["band"].Value, rows["band"].Expected, rows["band"].Tol, rows["band"].Units, rows["band"].Comment, rows["band"].Category));
    }

    [Fact]
    public void RecordTestData_UpsertsOnTestCategoryVariable()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);

        _batch.RecordTestData(test.Id, [Data("v", "1", "1", "0"), Data("v", "1", category: "other")], rollup: false);
        _batch.RecordTestData(test.Id, [Data("v", "5", "1", "0")], rollup: false);

        var rows = _batch.Reader.TestData(test.Id);
        Assert.Equal(2, rows.Count);
        Assert.Equal(("cat", "5", "fail"), (rows[0].Category, rows[0].Value, rows[0].Status));
        Assert.Equal("other", rows[1].Category);
    }

    [Fact]
    public void RecordTestData_WithoutRollup_LeavesTestAlone()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);

        var changed = _batch.RecordTestData(test.Id, [Data("v", "9", "1", "0")], rollup: false);

        Assert.Empty(changed);
        Assert.Equal(test, _batch.Reader.GetTest(test.Id));
    }

    [Fact]
    public void RecordTestData_Rollup_AnyFail_SetsFailAndCounts()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);
        _batch.SetState(test, "COMPLETED", "AUTO");

        var changed = _batch.RecordTestData(test.Id, [Data("a", "1", "1", "0"), Data("b", "9", "1", "0"), Data("c", "x", status: "PASS")], rollup: true);

        var row = Assert.Single(changed);
        Assert.Equal(("FAIL", 2L, 1L), (row.Status, row.PassCount, row.FailCount));
    }

    [Fact]
    public void RecordTestData_Rollup_AllPass_SetsPass_UnlessWarnOrFail()
    {
        var auto = _batch.RegisterTest(_runId, "auto", "", Now);
        var warn = _batch.RegisterTest(_runId, "warn", "", Now);
        _batch.SetState(auto, "COMPLETED", "AUTO");
        _batch.SetState(warn, "COMPLETED", "WARN");

        var autoRows = _batch.RecordTestData(auto.Id, [Data("a", "1", "1", "0")], rollup: true);
        _batch.RecordTestData(warn.Id, [Data("a", "1", "1", "0")], rollup: true);

        Assert.Equal("PASS", Assert.Single(autoRows).Status);
        var warnRow = _batch.Reader.GetTest(warn.Id)!;
        Assert.Equal(("WARN", 1L, 0L), (warnRow.Status, warnRow.PassCount, warnRow.FailCount));
    }

    [Fact]
    public void RecordTestData_Rollup_NoPassOrFail_StaysAuto()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);
        _batch.SetState(test, "COMPLETED", "AUTO");

        var changed = _batch.RecordTestData(test.Id, [Data("a", "text")], rollup: true);

        Assert.Empty(changed);
        Assert.Equal("AUTO", _batch.Reader.GetTest(test.Id)!.Status);
    }

    [Fact]
    public void RecordTestData_Rollup_OfItem_RollsUpToplevel()
    {
        var top = _batch.RegisterTest(_runId, "t", "", Now);
        var item = _batch.RegisterTest(_runId, "t", "x", Now);
        _batch.SetState(item, "COMPLETED", "AUTO");

        var changed = _batch.RecordTestData(item.Id, [Data("a", "3", "1", "0")], rollup: true);

        Assert.Equal(new[] { item.Id, top.Id }, changed.Select(r => r.Id));
        Assert.Equal(("COMPLETED", "FAIL"), (changed[1].State, changed[1].Status));
    }

    [Fact]
    public void RecordTestData_RowWithoutVariable_ThrowsBeforeWritingAnything()
    {
        var test = _batch.RegisterTest(_runId, "t", "", Now);

        Assert.Throws<StorageException>(() => _batch.RecordTestData(test.Id, [Data("ok", "1"), Data(" ", "1")], rollup: false));

        Assert.Empty(_batch.Reader.TestData(test.Id));
    }
}
