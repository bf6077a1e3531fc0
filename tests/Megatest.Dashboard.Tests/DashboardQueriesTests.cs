using Megatest.Storage;
using Megatest.Testing;

namespace Megatest.Dashboard.Tests;

/// <summary>The dashboard's SQL over a database written through Megatest.Storage: pages merged across runs, totals, comparison verdicts.</summary>
public sealed class DashboardQueriesTests : IDisposable
{
    private readonly TempDir _tmp = new("dashq");
    private readonly string _db;
    private readonly long _a;
    private readonly long _b;

    public DashboardQueriesTests()
    {
        _db = Path.Combine(_tmp.Path, "megatest.db");
        using var db = MegatestDatabase.Open(_db, ["OS"]);
        using var tx = db.BeginBatch();
        _a = tx.EnsureRun(["linux"], "a", "me", 100, out _);
        _b = tx.EnsureRun(["linux"], "b", "me", 200, out _);
        void Test(long run, string name, string item, string state, string status)
        {
            var row = tx.RegisterTest(run, name, item, 100);
            tx.UpdateTest(row.Id, new TestUpdate { State = state, Status = status }, 100);
        }

        // Run a: t00..t09 (t05 fails); run b: t05..t14 (t05 passes now, t06 fails now).
        for (var i = 0; i < 10; i++)
        {
            Test(_a, $"t{i:D2}", "", "COMPLETED", i == 5 ? "FAIL" : "PASS");
            Test(_b, $"t{i + 5:D2}", "", "COMPLETED", i + 5 == 6 ? "FAIL" : "PASS");
        }

        tx.RegisterTest(_a, "items", "", 100);
        Test(_a, "items", "x", "COMPLETED", "PASS");
        Test(_a, "items", "y", "RUNNING", "n/a");
        tx.RefreshRunStats(_a, 100);
        tx.RefreshRunStats(_b, 100);
        tx.Commit();
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Matrix_SortedByName_MergesTheRunsPages_WithoutGaps()
    {
        using var q = DashboardQueries.Open(_db);
        var seen = new List<string>();
        for (var offset = 0; ; offset += 4)
        {
            var page = q.Matrix(new MatrixFilter([_a, _b], Offset: offset, Limit: 4), countTotal: offset == 0);
            if (offset == 0)
            {
                Assert.Equal(16, page.TotalRows);
            }

            if (page.Rows.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Rows.Select(r => r.TestName));
            Assert.All(page.Cells, c => Assert.Contains(c.TestName, page.Rows.Select(r => r.TestName)));
        }

        Assert.Equal(Enumerable.Range(0, 15).Select(i => $"t{i:D2}").Prepend("items").Order(StringComparer.Ordinal), seen);
        var desc = q.Matrix(new MatrixFilter([_a, _b], Sort: "-name", Limit: 2));
        Assert.Equal(["t14", "t13"], desc.Rows.Select(r => r.TestName));
        Assert.Equal(2, q.Matrix(new MatrixFilter([_a, _b], TestPattern: "items")).Rows.Single().ItemCount);
        Assert.Equal(1, q.MatrixTotal(new MatrixFilter([_a], TestPattern: "items", States: ["RUNNING"], ItemsOf: "items")));
        Assert.Equal(["t05", "t06"], q.Matrix(new MatrixFilter([_a, _b], Statuses: ["FAIL"])).Rows.Select(r => r.TestName));
        Assert.Equal(["t05", "t06"], q.Matrix(new MatrixFilter([_a, _b], Statuses: ["FAIL"], Sort: "status")).Rows.Select(r => r.TestName));
        Assert.Equal(["t07", "t08", "t09"], q.Matrix(new MatrixFilter([_b], TestPattern: "t0*,~t05,~t06")).Rows.Select(r => r.TestName));
    }

    [Fact]
    public void Compare_NamesBetterWorseSameAddedAndRemoved()
    {
        using var q = DashboardQueries.Open(_db);
        var page = q.Compare(_a, _b, null, 0, 100);
        var verdicts = page.Rows.ToDictionary(r => r.TestName + "/" + r.ItemPath, r => r.Verdict);
        Assert.Equal("better", verdicts["t05/"]);
        Assert.Equal("worse", verdicts["t06/"]);
        Assert.Equal("same", verdicts["t07/"]);
        Assert.Equal("removed", verdicts["t00/"]);
        Assert.Equal("added", verdicts["t14/"]);
        Assert.Equal(1, page.Counts["worse"]);
        Assert.Equal(8, page.Counts["removed"]);
        Assert.Equal(["t06"], q.Compare(_a, _b, "worse", 0, 100).Rows.Select(r => r.TestName));
    }

    [Fact]
    public void Runs_AreNewestFirst_AndMatchTargetAndNamePatterns()
    {
        using var q = DashboardQueries.Open(_db);
        Assert.Equal(["b", "a"], q.Runs(null, null, 10).Select(r => r.RunName));
        Assert.Equal(["a"], q.Runs("lin%", "a", 10).Select(r => r.RunName));
        Assert.Empty(q.Runs("windows", null, 10));
        Assert.Equal(_b, q.FindRun("linux", "b")!.Id);
        Assert.Equal(10, q.RunCounts([_a])[_a]["COMPLETED/PASS"]);
    }
}
