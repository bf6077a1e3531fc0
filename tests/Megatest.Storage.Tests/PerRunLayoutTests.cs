using Megatest.Testing;
using Microsoft.Data.Sqlite;

namespace Megatest.Storage.Tests;

/// <summary>[db] api new: runs in the main database, each run's tests in a file of its own, same queries on top.</summary>
public sealed class PerRunLayoutTests : IDisposable
{
    private static readonly string[] s_keys = ["SYSTEM", "RELEASE"];
    private readonly TempDir _dir = new("mt-perrun");

    public void Dispose() => _dir.Dispose();

    private string MainPath => Path.Combine(_dir.Path, "megatest.db");

    private MegatestDatabase Open() => MegatestDatabase.Open(MainPath, s_keys, DatabaseLayout.PerRun);

    private static (long RunId, TestRow Test) AddRun(MegatestDatabase db, string runName, params string[] tests)
    {
        using var batch = db.BeginBatch();
        var runId = batch.EnsureRun(["ubuntu", "v1"], runName, "tester", WriteBatchExtensions.Now, out _);
        TestRow? first = null;
        foreach (var name in tests)
        {
            var test = batch.RegisterTest(runId, name, "", WriteBatchExtensions.Now);
            batch.RecordStep(test.Id, new StepRecord(name + "-step", "end", "0", WriteBatchExtensions.Now, null, null));
            batch.RecordTestData(test.Id, [new TestDataInput("c", "v", "1", "1", "0", null, null, null, null)], rollup: true);
            first ??= batch.SetState(test, "COMPLETED", "PASS");
        }

        batch.RefreshRunStats(runId, WriteBatchExtensions.Now);
        batch.Commit();
        return (runId, first!);
    }

    private static long Count(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Tests_LiveInTheRunsFile_AndQueriesReadThemByRun()
    {
        using (var db = Open())
        {
            var (run1, a) = AddRun(db, "r1", "a", "b");
            var (run2, _) = AddRun(db, "r2", "c");
            Assert.Equal(run1, RunFiles.RunOfTest(a.Id));
            Assert.Equal((run1 << 32) + 1, a.Id);
            Assert.Equal(0, Count(MainPath, "SELECT count(*) FROM tests"));
            Assert.Equal(2, Count(RunFiles.PathOf(MainPath, run1), "SELECT count(*) FROM tests"));
            Assert.Equal(2, Count(RunFiles.PathOf(MainPath, run1), "SELECT count(*) FROM test_steps"));
            Assert.Equal(1, Count(RunFiles.PathOf(MainPath, run2), "SELECT count(*) FROM test_data"));
            Assert.Equal(3, Count(MainPath, "SELECT sum(count) FROM run_stats"));
        }

        using var queries = MegatestQueries.Open(MainPath);
        var runs = queries.Runs(null, null);
        Assert.Equal(["r1", "r2"], runs.Select(r => r.RunName));
        Assert.Equal(["a", "b"], queries.Tests(runs[0].Id).Select(t => t.TestName));
        var a2 = queries.FindTest(runs[0].Id, "a", "")!;
        Assert.Equal(("COMPLETED", "PASS"), (queries.GetTest(a2.Id)!.State, queries.GetTest(a2.Id)!.Status));
        Assert.Equal("a-step", Assert.Single(queries.Steps(a2.Id)).StepName);
        Assert.Equal("pass", Assert.Single(queries.TestData(a2.Id)).Status);
        Assert.Equal(["b"], queries.TestsInStates(["NOT_STARTED"]).Select(t => t.TestName));
        Assert.Equal(["a", "c"], queries.TestsInStates(["COMPLETED"]).Select(t => t.TestName));
        Assert.Null(queries.GetTest(999L << 32));
        Assert.Empty(queries.Tests(999));
    }

    [Fact]
    public void RemovingTheLastTest_DeletesTheRunAndItsFile()
    {
        using var db = Open();
        var (runId, a) = AddRun(db, "r1", "a");
        using (var batch = db.BeginBatch())
        {
            batch.DeleteTests(runId, [a.Id]);
            batch.Commit();
        }

        Assert.False(File.Exists(RunFiles.PathOf(MainPath, runId)));
        using var queries = MegatestQueries.Open(MainPath);
        Assert.Empty(queries.Runs(null, null));
    }

    [Fact]
    public void RolledBackBatch_LeavesNeitherRunNorTests()
    {
        using var db = Open();
        using (var batch = db.BeginBatch())
        {
            var runId = batch.EnsureRun(["ubuntu", "v1"], "r1", "tester", WriteBatchExtensions.Now, out _);
            batch.RegisterTest(runId, "a", "", WriteBatchExtensions.Now);
        }

        var (runId2, a) = AddRun(db, "r2", "b");
        Assert.Equal(1, runId2);
        Assert.Equal("b", a.TestName);
        Assert.Equal(1, Count(RunFiles.PathOf(MainPath, runId2), "SELECT count(*) FROM tests"));
    }

    [Fact]
    public void Layout_IsKeptByTheDatabase()
    {
        Open().Dispose();
        var legacy = Assert.Throws<StorageException>(() => MegatestDatabase.Open(MainPath, s_keys));
        Assert.Contains("[db] api new", legacy.Message, StringComparison.Ordinal);

        var other = Path.Combine(_dir.Path, "legacy.db");
        using (var db = MegatestDatabase.Open(other, s_keys))
        using (var batch = db.BeginBatch())
        {
            var runId = batch.EnsureRun(["ubuntu", "v1"], "r1", "tester", WriteBatchExtensions.Now, out _);
            batch.RegisterTest(runId, "a", "", WriteBatchExtensions.Now);
            batch.Commit();
        }

        var perRun = Assert.Throws<StorageException>(() => MegatestDatabase.Open(other, s_keys, DatabaseLayout.PerRun));
        Assert.Contains("[db] api legacy", perRun.Message, StringComparison.Ordinal);
        Assert.Equal(0, Count(other, "SELECT count(*) FROM metadat"));
    }

    [Fact]
    public void DashboardQueries_SpanMoreRunsThanSQLiteAttaches()
    {
        var ids = new List<long>();
        using (var db = Open())
        {
            for (var i = 0; i < 12; i++)
            {
                ids.Add(AddRun(db, "r" + i, "a", "t" + i).RunId);
            }
        }

        using var q = DashboardQueries.Open(MainPath);
        var all = q.Matrix(new MatrixFilter(ids, "%"));
        Assert.Equal(13, all.TotalRows);
        Assert.Equal(12, all.Cells.Count(c => c.TestName == "a"));
        var two = q.Matrix(new MatrixFilter(ids.Take(2).ToList(), "%"));
        Assert.Equal(["a", "t0", "t1"], two.Rows.Select(r => r.TestName));
        var test = q.Tests(ids[3]).First(t => t.TestName == "t3");
        Assert.Equal("t3", q.GetTest(test.Id)!.TestName);
        Assert.Single(q.Steps(test.Id));
        Assert.Single(q.RunTestData(ids[3])[test.Id]);
        var compare = q.Compare(ids[0], ids[1], null, 0, 100);
        Assert.Equal(1, compare.Counts["added"]);
        Assert.Equal(1, compare.Counts["removed"]);
    }

    [Fact]
    public void RecordArchive_SetsArchivedInTheRunsFile_AndKeepsTheArchiveTablesInTheMainDatabase()
    {
        using var db = Open();
        var (run, test) = AddRun(db, "r1", "a");
        using (var batch = db.BeginBatch())
        {
            var changed = batch.RecordArchive(run, [test.Id], ("disk1", "/arch"), "/arch/block", "a.tar.zst", "ARCHIVED", WriteBatchExtensions.Now);
            Assert.Equal("ARCHIVED", Assert.Single(changed).State);
            batch.Commit();
        }

        var runFile = RunFiles.PathOf(MainPath, run);
        Assert.Equal(Count(MainPath, "SELECT id FROM archive_blocks"), Count(runFile, $"SELECT archived FROM tests WHERE id = {test.Id}"));
        Assert.Equal(1, Count(MainPath, $"SELECT count(*) FROM archives WHERE test_id = {test.Id} AND run_id = {run}"));
        Assert.Equal(0, Count(runFile, "SELECT count(*) FROM archives"));
        using var queries = MegatestQueries.Open(MainPath);
        Assert.Equal(("/arch/block", "a.tar.zst"), queries.LatestArchive(test.Id));
    }

    [Fact]
    public void ExportAndImport_MoveARunBetweenLayouts_WithItsStepsAndData()
    {
        using var legacy = new TestDb();
        string fromPerRun, fromLegacy;
        using (var db = Open())
        {
            var (run, _) = AddRun(db, "r1", "a", "b");
            using var queries = MegatestQueries.Open(MainPath);
            fromPerRun = queries.ExportRuns([run]);
        }

        var legacyDb = legacy.Open(s_keys);
        using (var batch = legacyDb.BeginBatch())
        {
            var imported = Assert.Single(batch.ImportRuns(fromPerRun, WriteBatchExtensions.Now));
            Assert.Equal(["a", "b"], batch.Reader.Tests(imported.Id).Select(t => t.TestName).Order(StringComparer.Ordinal));
            batch.Commit();
        }

        Assert.Equal(2L, legacy.Scalar("SELECT count(*) FROM test_steps"));
        Assert.Equal(2L, legacy.Scalar("SELECT count(*) FROM test_data"));
        using (var queries = legacy.Queries())
        {
            fromLegacy = queries.ExportRuns([queries.Runs("%", "r1")[0].Id]).Replace("\"r1\"", "\"r2\"", StringComparison.Ordinal);
        }

        using (var db = Open())
        using (var batch = db.BeginBatch())
        {
            var imported = Assert.Single(batch.ImportRuns(fromLegacy, WriteBatchExtensions.Now));
            Assert.Equal(["a", "b"], batch.Reader.Tests(imported.Id).Select(t => t.TestName).Order(StringComparer.Ordinal));
            Assert.All(batch.Reader.Tests(imported.Id), t => Assert.Equal(imported.Id, RunFiles.RunOfTest(t.Id)));
            batch.Commit();
            var runFile = RunFiles.PathOf(MainPath, imported.Id);
            Assert.Equal(2, Count(runFile, "SELECT count(*) FROM test_steps"));
            Assert.Equal(2, Count(runFile, "SELECT count(*) FROM test_data"));
            Assert.Equal(2, Count(MainPath, $"SELECT sum(count) FROM run_stats WHERE run_id = {imported.Id}"));
        }

        Assert.Equal(0, Count(MainPath, "SELECT count(*) FROM tests"));
    }

    [Fact]
    public void MoveRuns_IsRefused_BecauseARunsFileIsItsRecords()
    {
        using var db = Open();
        var (run, _) = AddRun(db, "r1", "a");
        var ex = Assert.Throws<StorageException>(() => db.MoveRuns([run], toCompleted: true));
        Assert.Contains("[db] api new", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(MegatestDatabase.CompletedRunsPath(MainPath)), "nothing may be written");
    }
}
