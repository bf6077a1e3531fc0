using Megatest.Testing;
using static Megatest.Storage.Tests.WriteBatchExtensions;

namespace Megatest.Storage.Tests;

/// <summary>
/// The many-rows-per-statement writes the db writer uses for bursts: each must leave the same rows, and return the
/// same, as the one-row call made for every entry in order, in both database layouts.
/// </summary>
public sealed class WriteBatchBulkTests : IDisposable
{
    private static readonly string[] s_keys = ["SYSTEM", "RELEASE"];
    private readonly TempDir _dir = new("mt-bulk");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MarkAppliedMany_IsTrueOnlyForTheFirstSightOfAnId_InTheListAndAcrossBatches()
    {
        using var db = MegatestDatabase.Open(Path.Combine(_dir.Path, "m.db"), s_keys);
        var (a, b, c, d) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        using (var batch = db.BeginBatch())
        {
            Assert.True(batch.MarkApplied(a, Now));
            Assert.Equal([false, true, true, false, false], batch.MarkAppliedMany(Ids(a, b, c, b, c), Now));
            Assert.Empty(batch.MarkAppliedMany(Ids(), Now));
            batch.Commit();
        }

        using (var batch = db.BeginBatch())
        {
            Assert.Equal([false, true, false, true], batch.MarkAppliedMany(Ids(c, d, d, Guid.Empty), Now));
            Assert.False(batch.MarkApplied(d, Now));
            Assert.False(batch.MarkApplied(Guid.Empty, Now));
            batch.Commit();
        }

        using (var batch = db.BeginBatch())
        {
            // Rolled back: nothing of it is remembered.
            Assert.Equal([true], batch.MarkAppliedMany(Ids(Guid.Parse("01234567-89ab-cdef-0123-456789abcdef")), Now));
        }

        using (var batch = db.BeginBatch())
        {
            Assert.True(batch.MarkApplied(Guid.Parse("01234567-89ab-cdef-0123-456789abcdef"), Now));
        }
    }

    private static (Guid, SenderOrder?)[] Ids(params Guid[] ids) => [.. ids.Select(id => (id, (SenderOrder?)null))];

    [Fact]
    public void SenderOrders_AreRecordedWithTheAppliedMark_OnBothPaths_AndRolledBackWithIt()
    {
        using var db = MegatestDatabase.Open(Path.Combine(_dir.Path, "o.db"), s_keys);
        var (one, many, other, repeat, old, lost) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        using (var batch = db.BeginBatch())
        {
            Assert.True(batch.MarkApplied(one, Now, new SenderOrder(7, 3)));
            Assert.True(batch.MarkApplied(other, Now));
            Assert.True(batch.MarkApplied(old, Now - 600, new SenderOrder(7, 1)));
            Assert.Equal([true, true, false], batch.MarkAppliedMany([(many, new SenderOrder(8, 4)), (repeat, null), (one, new SenderOrder(9, 9))], Now));
            batch.Commit();
        }

        using (var batch = db.BeginBatch())
        {
            // Rolled back: neither path leaves its order behind.
            Assert.True(batch.MarkApplied(lost, Now, new SenderOrder(7, 5)));
            Assert.Equal([true], batch.MarkAppliedMany([(Guid.NewGuid(), new SenderOrder(7, 6))], Now));
        }

        using (var batch = db.BeginBatch())
        {
            // Only status changes have an order; the first mark of an id is the one kept; older rows are left out.
            Assert.Equal(
                new[] { (one, new SenderOrder(7, 3), Now), (many, new SenderOrder(8, 4), Now) }.OrderBy(o => o.Item1),
                batch.AppliedOrders(Now - 599).OrderBy(o => o.MessageId));
            Assert.Equal(3, batch.AppliedOrders(Now - 600).Count());
        }
    }

    [Theory]
    [InlineData(DatabaseLayout.Legacy)]
    [InlineData(DatabaseLayout.PerRun)]
    public void UpdateTests_EqualsUpdateTestPerEntryInOrder(DatabaseLayout layout)
    {
        using var bulk = MegatestDatabase.Open(Path.Combine(_dir.Path, "bulk.db"), s_keys, layout);
        using var single = MegatestDatabase.Open(Path.Combine(_dir.Path, "single.db"), s_keys, layout);
        var ids = Arrange(bulk);
        Assert.Equal(ids, Arrange(single));
        var (plain, other, top, item1, item2, secondRun) = (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);
        (long, TestUpdate)[] updates =
        [
            (plain, new TestUpdate { State = "RUNNING", Status = "n/a", Host = "h1", Uname = "Linux x", RunDir = "/r/p", ShortDir = "p", EventTime = Now + 1, AttemptNum = 1, CpuLoad = 0.5, DiskFree = 1e9 }),
            (other, new TestUpdate { State = "COMPLETED", Status = "PASS", Comment = "naïve \"quoted\" \\ ☃ 😀 <tag> \t\n", RunDuration = 5.0, FinalLogf = "logs/x.log" }),
            (item1, new TestUpdate { State = "RUNNING", Status = "n/a" }),
            (top, new TestUpdate { Comment = "toplevel comment" }),
            (secondRun, new TestUpdate { State = "COMPLETED", Status = "FAIL", RunDuration = 1.25 }),
            (plain, new TestUpdate { State = "COMPLETED", Status = "PASS", Comment = "second of the same test" }),
            (item2, new TestUpdate { State = "COMPLETED", Status = "PASS" }),
            (other, new TestUpdate { Comment = "with a \0 NUL", CpuLoad = double.PositiveInfinity }),
            (item1, new TestUpdate { State = "COMPLETED", Status = "PASS" }),
            (secondRun, new TestUpdate { Status = "AUTO" }),
            (top, new TestUpdate { Comment = "", EventTime = -7, RunDuration = 0.1 + 0.2 }),
        ];

        IReadOnlyList<IReadOnlyList<TestRow>> fromBulk, fromSingle;
        using (var batch = bulk.BeginBatch())
        {
            fromBulk = batch.UpdateTests(updates, Now + 10);
            batch.Commit();
        }

        using (var batch = single.BeginBatch())
        {
            fromSingle = updates.Select(u => batch.UpdateTest(u.Item1, u.Item2, Now + 10)).ToList();
            batch.Commit();
        }

        Assert.Equal(fromSingle.Count, fromBulk.Count);
        for (var i = 0; i < fromSingle.Count; i++)
        {
            Assert.Equal(fromSingle[i].Select(Comparable), fromBulk[i].Select(Comparable));
        }

        Assert.Equal(AllRows(single, ids), AllRows(bulk, ids));
        Assert.Equal(("COMPLETED", "PASS"), (AllRows(bulk, [top])[0].State, AllRows(bulk, [top])[0].Status));
        Assert.Equal(5.0, AllRows(bulk, [other])[0].RunDuration);
    }

    [Fact]
    public void UpdateTests_OfAMissingTest_Throws_AndTheBatchRollsBackWhole()
    {
        var path = Path.Combine(_dir.Path, "missing.db");
        using var db = MegatestDatabase.Open(path, s_keys);
        var ids = Arrange(db);
        using (var batch = db.BeginBatch())
        {
            var error = Assert.Throws<StorageException>(() => batch.UpdateTests(
                [(ids[0], new TestUpdate { State = "COMPLETED" }), (4242, new TestUpdate { State = "COMPLETED" }), (ids[1], new TestUpdate { State = "COMPLETED" })], Now));
            Assert.Contains("4242", error.Message, StringComparison.Ordinal);
        }

        Assert.All(AllRows(db, ids), r => Assert.Equal("NOT_STARTED", r.State));
    }

    // Two runs; the first has plain tests "a" and "b" and an itemized "c" (toplevel + two items). Returns
    // [a, b, c toplevel, c/1, c/2, second run's "a"].
    private static long[] Arrange(MegatestDatabase db)
    {
        using var batch = db.BeginBatch();
        var run = batch.Run();
        var run2 = batch.Run(runName: "run2");
        long[] ids =
        [
            batch.RegisterTest(run, "a", "", Now).Id,
            batch.RegisterTest(run, "b", "", Now).Id,
            batch.RegisterTest(run, "c", "", Now).Id,
            batch.RegisterTest(run, "c", "1", Now).Id,
            batch.RegisterTest(run, "c", "2", Now).Id,
            batch.RegisterTest(run2, "a", "", Now).Id,
        ];
        batch.Commit();
        return ids;
    }

    private static List<TestRow> AllRows(MegatestDatabase db, IEnumerable<long> ids)
    {
        using var batch = db.BeginBatch();
        return ids.Select(id => Comparable(batch.Reader.GetTest(id)!)).ToList();
    }

    // last_update may be stamped by the trigger with the wall clock: compare everything else.
    private static TestRow Comparable(TestRow row) => row with { LastUpdate = 0 };
}
