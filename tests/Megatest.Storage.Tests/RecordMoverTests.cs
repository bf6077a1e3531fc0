using static Megatest.Storage.Tests.WriteBatchExtensions;

namespace Megatest.Storage.Tests;

/// <summary>MoveRuns (completed-runs.db), RecordArchive and ImportRuns on real database files.</summary>
public sealed class RecordMoverTests : IDisposable
{
    private readonly TestDb _db = new();
    private readonly MegatestDatabase _database;

    public RecordMoverTests()
    {
        _database = _db.Open();
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void MoveRuns_LeavesUnfinishedLockedAndNewestRunsWhereTheyAre()
    {
        long done, running, locked, newest;
        using (var batch = _database.BeginBatch())
        {
            done = RunWithTest(batch, "done", "COMPLETED", "PASS");
            running = RunWithTest(batch, "running", "RUNNING", "n/a");
            locked = RunWithTest(batch, "locked", "COMPLETED", "PASS");
            batch.UpdateRun(locked, "locked", null, null, Now);
            newest = RunWithTest(batch, "newest", "COMPLETED", "PASS");
            batch.Commit();
        }

        var stayed = _database.MoveRuns([done, running, locked, newest, 999], toCompleted: true);

        Assert.Equal(4, stayed.Count);
        Assert.Contains(stayed, s => s.StartsWith($"run {running} stays: it is not finished", StringComparison.Ordinal));
        Assert.Contains(stayed, s => s.StartsWith($"run {locked} stays: it is locked", StringComparison.Ordinal));
        Assert.Contains(stayed, s => s.StartsWith($"run {newest} stays: it holds the newest rows", StringComparison.Ordinal));
        Assert.Contains(stayed, s => s.StartsWith("run 999 stays: it is not in megatest.db", StringComparison.Ordinal));
        using var main = _db.Queries();
        Assert.Null(main.GetRun(done));
        using (var completed = MegatestQueries.Open(MegatestDatabase.CompletedRunsPath(_db.Path)))
        {
            Assert.Equal("done", completed.GetRun(done)!.RunName);
            Assert.Single(completed.Tests(done));
        }

        using var full = MegatestQueries.Open(_db.Path, fullDb: true);
        Assert.Equal(["done", "running", "locked", "newest"], full.Runs("%", "%").OrderBy(r => r.Id).Select(r => r.RunName));
        Assert.Single(full.Tests(done));

        Assert.Empty(_database.MoveRuns([done], toCompleted: false));
        using var back = _db.Queries();
        Assert.Equal("done", back.GetRun(done)!.RunName);
    }

    [Fact]
    public void RecordArchive_FillsMegatestsArchiveTables_AndSetsTheState()
    {
        long run;
        TestRow test;
        using (var batch = _database.BeginBatch())
        {
            run = batch.Run();
            test = batch.SetState(batch.RegisterTest(run, "a", "", Now), "COMPLETED", "PASS");
            var changed = batch.RecordArchive(run, [test.Id], ("disk1", "/arch"), "/arch/2026_q4/area_abcde", "area-1-x.tar.zst", "ARCHIVED", Now);
            Assert.Equal("ARCHIVED", Assert.Single(changed).State);
            batch.Commit();
        }

        using var queries = _db.Queries();
        Assert.Equal(("/arch/2026_q4/area_abcde", "area-1-x.tar.zst"), queries.LatestArchive(test.Id));
        using var raw = _db.Raw();
        using var cmd = raw.CreateCommand();
        cmd.CommandText = "SELECT t.archived = b.id, d.archive_area_name FROM tests t JOIN archive_blocks b ON b.id = t.archived JOIN archive_disks d ON d.id = b.archive_disk_id";
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal("disk1", reader.GetString(1));
    }

    [Fact]
    public void ImportRuns_GivesTheRowsNewIds_AndRefusesARunThatIsThere()
    {
        long run;
        using (var batch = _database.BeginBatch())
        {
            run = RunWithTest(batch, "r1", "COMPLETED", "PASS");
            batch.Commit();
        }

        string bundle;
        using (var source = _db.Queries())
        {
            bundle = source.ExportRuns([run]);
        }

        using var other = new TestDb();
        var destination = other.Open();
        using (var batch = destination.BeginBatch())
        {
            RunWithTest(batch, "existing", "COMPLETED", "FAIL");
            var imported = Assert.Single(batch.ImportRuns(bundle, Now));
            Assert.Equal("r1", imported.RunName);
            Assert.NotEqual(run, imported.Id);
            Assert.Equal(("COMPLETED", "PASS"), (batch.Reader.Tests(imported.Id)[0].State, batch.Reader.Tests(imported.Id)[0].Status));
            Assert.Throws<StorageException>(() => batch.ImportRuns(bundle, Now));
            batch.Commit();
        }

        using var wrongKeys = new TestDb();
        using var batch2 = wrongKeys.Open(["ONLY"]).BeginBatch();
        Assert.Contains("keys", Assert.Throws<StorageException>(() => batch2.ImportRuns(bundle, Now)).Message, StringComparison.Ordinal);
    }

    private static long RunWithTest(WriteBatch batch, string runName, string state, string status)
    {
        var run = batch.Run(runName: runName);
        batch.SetState(batch.RegisterTest(run, "a", "", Now), state, status);
        return run;
    }
}
