using Megatest.Testing;
using Microsoft.Data.Sqlite;
using static Megatest.Storage.Tests.SqlFiles;
using static Megatest.Storage.Tests.WriteBatchExtensions;

namespace Megatest.Storage.Tests;

/// <summary>
/// The status writes run through SQLite's C API (NativeStatement): what the bulk calls store and return must equal what
/// the one-row calls store and return, value for value and type for type, the rows they return must be the rows a read
/// gives back, their errors must be the ones Microsoft.Data.Sqlite raises, and their cached statements must neither
/// outlive the database nor hold a lock between batches.
/// </summary>
public sealed class NativeBulkTests : IDisposable
{
    private static readonly string[] s_keys = ["SYSTEM", "RELEASE"];
    private readonly TempDir _dir = new("mt-native");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(DatabaseLayout.Legacy)]
    [InlineData(DatabaseLayout.PerRun)]
    public void UpdateTests_EdgeValues_EqualUpdateTest_ReturnedAndStored(DatabaseLayout layout)
    {
        var (bulk, bulkIds) = Arrange("bulk", layout);
        var (single, singleIds) = Arrange("single", layout);
        using (bulk)
        using (single)
        {
            Assert.Equal(singleIds, bulkIds);
            var (a, b, c, d) = (bulkIds[0], bulkIds[1], bulkIds[2], bulkIds[3]);
            (long, TestUpdate)[] updates =
            [
                // Empty text replaces; null leaves NULL (both read as ""), non-ASCII in every text column.
                (a, new TestUpdate { Comment = "", Host = "hôte-ß", Uname = "Linux 日本語", RunDir = "/r/😀", ShortDir = "😀", FinalLogf = "logs/ünï.log", State = "RUNNING", Status = "n/a" }),
                // Large integers, whole and huge REALs.
                (b, new TestUpdate { EventTime = long.MaxValue, AttemptNum = long.MinValue + 1, RunDuration = 5.0, CpuLoad = 1e300, DiskFree = 123456789012.0 }),
                (c, new TestUpdate { EventTime = -1, AttemptNum = 9_007_199_254_740_993, RunDuration = 0.1 + 0.2, CpuLoad = -0.0, DiskFree = 4.9e-324 }),
                // Only last_update changes: the returned row carries what other clients stored (see below).
                (d, new TestUpdate()),
                // The same test again, then again after another: each result is the row after that entry.
                (a, new TestUpdate { State = "COMPLETED", Status = "PASS" }),
                (a, new TestUpdate { Comment = "third" }),
                (b, new TestUpdate { Comment = null, Status = "FAIL" }),
                (a, new TestUpdate { Comment = "fourth" }),
            ];

            var fromBulk = Apply(bulk, batch => batch.UpdateTests(updates, Now + 10));
            var fromSingle = Apply(single, batch => updates.Select(u => batch.UpdateTest(u.Item1, u.Item2, Now + 10)).ToList());

            Assert.Equal(fromSingle.Count, fromBulk.Count);
            for (var i = 0; i < fromSingle.Count; i++)
            {
                Assert.Equal(fromSingle[i], fromBulk[i]);
            }

            Assert.Equal(StoredTests(single, layout), StoredTests(bulk, layout));
            var b2 = fromBulk[6][0];
            Assert.Equal((long.MaxValue, long.MinValue + 1, 5.0, 1e300, 123456789012.0), (b2.EventTime, b2.AttemptNum, b2.RunDuration, b2.CpuLoad, b2.DiskFree));
            Assert.Equal(("hôte-ß", "Linux 日本語", "/r/😀", "logs/ünï.log", "fourth"), (fromBulk[7][0].Host, fromBulk[7][0].Uname, fromBulk[7][0].RunDir, fromBulk[7][0].FinalLogf, fromBulk[7][0].Comment));
            var stored = fromBulk[3][0];
            Assert.Equal(("with a \0 NUL", "AP8=", 7L, 0.0, 0L, 0.0, 0.0), (stored.Comment, stored.Host, stored.EventTime, stored.RunDuration, stored.AttemptNum, stored.CpuLoad, stored.DiskFree));
        }
    }

    // The updated rows are computed from the rows read before (no RETURNING): each must be the row a read gives back
    // afterwards, for every kind of value, on both paths, including a NaN (stored as NULL, so the value is kept).
    [Theory]
    [InlineData(DatabaseLayout.Legacy, true)]
    [InlineData(DatabaseLayout.Legacy, false)]
    [InlineData(DatabaseLayout.PerRun, true)]
    [InlineData(DatabaseLayout.PerRun, false)]
    public void UpdatedRows_AreTheRowsAsStored(DatabaseLayout layout, bool bulk)
    {
        var (db, ids) = Arrange("asstored", layout);
        using (db)
        {
            var (a, b, c, d) = (ids[0], ids[1], ids[2], ids[3]);
            (long, TestUpdate)[] updates =
            [
                (a, new TestUpdate { State = "RUNNING", Status = "n/a", Comment = "", Host = "hôte-ß", Uname = "Linux 日本語", RunDir = "/r/😀", ShortDir = "😀", FinalLogf = "x\0y" }),
                (b, new TestUpdate { EventTime = long.MaxValue, AttemptNum = long.MinValue, RunDuration = 5.0, CpuLoad = -0.0, DiskFree = double.PositiveInfinity }),
                (c, new TestUpdate { RunDuration = 2.5, CpuLoad = 1e300, DiskFree = 4.9e-324, Comment = "with a \0 NUL" }),
                (c, new TestUpdate { RunDuration = double.NaN, CpuLoad = double.NaN }),
                (d, new TestUpdate { State = "COMPLETED", Status = "AUTO" }),
                (a, new TestUpdate { Status = "PASS" }),
            ];

            var returned = Apply(db, batch => bulk ? batch.UpdateTests(updates, Now + 10) : updates.Select(u => batch.UpdateTest(u.Item1, u.Item2, Now + 10)).ToList());
            var last = new Dictionary<long, TestRow>();
            foreach (var row in returned.SelectMany(r => r))
            {
                last[row.Id] = row;
            }

            using var check = db.BeginBatch();
            Assert.All([b, d], id => Assert.Equal(check.Reader.GetTest(id), last[id]));
            // a and c were updated twice at the same time: update_tests_trigger stamped them again with the clock, which
            // the returned rows do not show (as RETURNING did not); every other column is as stored.
            Assert.All([a, c], id => Assert.Equal(check.Reader.GetTest(id)! with { LastUpdate = Now + 10 }, last[id]));
            Assert.Equal((2.5, 1e300), (last[c].RunDuration, last[c].CpuLoad));
            Assert.Equal(("x\0y", "with a \0 NUL"), (last[a].FinalLogf, last[c].Comment));
            Assert.Equal(double.PositiveInfinity, last[b].DiskFree);
        }
    }

    [Fact]
    public void UpdateTests_OfAMissingTest_InAPerRunFile_Throws_CommitsNothing_AndTheNextBatchWorks()
    {
        var (db, ids) = Arrange("missing", DatabaseLayout.PerRun);
        using (db)
        {
            using (var batch = db.BeginBatch())
            {
                batch.MarkAppliedMany([(Guid.NewGuid(), new SenderOrder(ids[0], 1))], Now);
                var error = Assert.Throws<StorageException>(() => batch.UpdateTests(
                    [(ids[0], new TestUpdate { State = "COMPLETED" }), (ids[0] + 1000, new TestUpdate { State = "COMPLETED" }), (ids[1], new TestUpdate { State = "COMPLETED" })], Now));
                Assert.Contains((ids[0] + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
            }

            using (var batch = db.BeginBatch())
            {
                Assert.Empty(batch.AppliedOrders(0));
                Assert.All(ids, id => Assert.Equal("NOT_STARTED", batch.Reader.GetTest(id)!.State));
                Assert.Equal("RUNNING", batch.UpdateTests([(ids[0], new TestUpdate { State = "RUNNING" })], Now)[0][0].State);
                batch.Commit();
            }

            using (var batch = db.BeginBatch())
            {
                Assert.Equal("RUNNING", batch.Reader.GetTest(ids[0])!.State);
            }
        }
    }

    [Fact]
    public void UpdateTests_ASqliteError_RaisesTheSqliteExceptionOfTheOneRowPath_WithItsMessage_AndRollsBack()
    {
        var (db, ids) = Arrange("error", DatabaseLayout.Legacy);
        using (db)
        {
            Exec(db.Path, "CREATE TRIGGER refuse BEFORE UPDATE ON tests WHEN new.comment = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END");
            SqliteException fromSingle, fromBulk;
            using (var batch = db.BeginBatch())
            {
                fromSingle = Assert.Throws<SqliteException>(() => batch.UpdateTest(ids[1], new TestUpdate { Comment = "boom" }, Now));
            }

            using (var batch = db.BeginBatch())
            {
                batch.MarkAppliedMany([(Guid.NewGuid(), null)], Now);
                fromBulk = Assert.Throws<SqliteException>(() => batch.UpdateTests(
                    [(ids[0], new TestUpdate { State = "RUNNING" }), (ids[1], new TestUpdate { Comment = "boom" })], Now));
            }

            Assert.Equal((fromSingle.Message, fromSingle.SqliteErrorCode, fromSingle.SqliteExtendedErrorCode), (fromBulk.Message, fromBulk.SqliteErrorCode, fromBulk.SqliteExtendedErrorCode));
            Assert.Contains("boom refused", fromBulk.Message, StringComparison.Ordinal);

            // Rolled back whole; the cached statement was reset, so another connection can write and the next batch works.
            Exec(db.Path, "UPDATE tests SET comment = 'other writer' WHERE id = " + ids[2]);
            using (var batch = db.BeginBatch())
            {
                Assert.Empty(batch.AppliedOrders(0));
                Assert.Equal(0, batch.PurgeApplied(long.MaxValue));
                Assert.Equal("NOT_STARTED", batch.Reader.GetTest(ids[0])!.State);
                Assert.Equal("other writer", batch.UpdateTests([(ids[2], new TestUpdate { State = "RUNNING" })], Now)[0][0].Comment);
                batch.Commit();
            }
        }
    }

    [Fact]
    public void MarkAppliedMany_StoresWhatMarkAppliedStores_WithDuplicatesInTheList()
    {
        using var bulk = MegatestDatabase.Open(Path.Combine(_dir.Path, "mark-bulk.db"), s_keys);
        using var single = MegatestDatabase.Open(Path.Combine(_dir.Path, "mark-single.db"), s_keys);
        var (x, y) = (Guid.NewGuid(), Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"));
        (Guid, SenderOrder?)[] packets =
        [
            (x, new SenderOrder(long.MaxValue, 1)), (Guid.Empty, null), (x, new SenderOrder(2, 2)), (y, new SenderOrder(-5, long.MinValue)), (y, null),
        ];
        bool[] fromBulk, fromSingle;
        using (var batch = bulk.BeginBatch())
        {
            fromBulk = batch.MarkAppliedMany(packets, Now);
            batch.Commit();
        }

        using (var batch = single.BeginBatch())
        {
            fromSingle = [.. packets.Select(p => batch.MarkApplied(p.Item1, Now, p.Item2))];
            batch.Commit();
        }

        Assert.Equal([true, true, false, true, false], fromBulk);
        Assert.Equal(fromSingle, fromBulk);
        const string Stored = "SELECT hex(message_id), typeof(message_id), applied_at, test_id, typeof(test_id), seq, typeof(seq) FROM applied_packets ORDER BY message_id";
        Assert.Equal(Rows(single.Path, Stored), Rows(bulk.Path, Stored));
    }

    [Theory]
    [InlineData(DatabaseLayout.Legacy)]
    [InlineData(DatabaseLayout.PerRun)]
    public void Dispose_FinalizesTheCachedStatements_SoTheFilesCloseCleanly(DatabaseLayout layout)
    {
        var (db, ids) = Arrange("close", layout);
        var mainPath = db.Path;
        var files = new HashSet<string> { mainPath };
        using (db)
        {
            for (var round = 0; round < 2; round++)
            {
                using var batch = db.BeginBatch();
                batch.MarkAppliedMany([(Guid.NewGuid(), new SenderOrder(ids[0], round))], Now);
                batch.UpdateTests([.. ids.Select(id => (id, new TestUpdate { State = "COMPLETED", Status = "PASS", Comment = "round " + round }))], Now + round);
                batch.Commit();
            }

            files.Add(TestsFile(db, layout));
        }

        foreach (var file in files)
        {
            // The last connection to close checkpoints and deletes the WAL; a statement left unfinalized keeps the
            // connection (and its descriptors) open.
            Assert.False(File.Exists(file + "-wal"), file + "-wal is left behind");
            Assert.DoesNotContain(OpenFiles(), f => f.StartsWith(file, StringComparison.Ordinal));
            Assert.Equal("ok", Rows(file, "PRAGMA integrity_check").Single());
        }

        using var reopened = MegatestDatabase.Open(mainPath, s_keys, layout);
        using var check = reopened.BeginBatch();
        Assert.All(ids, id => Assert.Equal("round 1", check.Reader.GetTest(id)!.Comment));
    }

    // Four plain tests in one run; the fourth holds values the bulk path never stores itself: a NUL in a text (one-row
    // path), and as another client may store them, a BLOB in a TEXT and a REAL column, a REAL in an INTEGER column,
    // text in REAL and INTEGER columns, a NULL number. Returns the four test ids.
    private (MegatestDatabase Db, long[] Ids) Arrange(string name, DatabaseLayout layout)
    {
        var db = MegatestDatabase.Open(Path.Combine(_dir.Path, name + ".db"), s_keys, layout);
        long[] ids;
        using (var batch = db.BeginBatch())
        {
            var run = batch.Run();
            ids = [.. new[] { "a", "b", "c", "d" }.Select(t => batch.RegisterTest(run, t, "", Now).Id)];
            batch.UpdateTest(ids[3], new TestUpdate { Comment = "with a \0 NUL" }, Now);
            batch.Commit();
        }

        Exec(TestsFile(db, layout), $"UPDATE tests SET host = x'00ff', event_time = 7.9, run_duration = 'abc', attemptnum = '12abc', cpuload = NULL, diskfree = x'01' WHERE id = {ids[3]}");

        return (db, ids);
    }

    private static IReadOnlyList<IReadOnlyList<TestRow>> Apply(MegatestDatabase db, Func<WriteBatch, IReadOnlyList<IReadOnlyList<TestRow>>> write)
    {
        using var batch = db.BeginBatch();
        var rows = write(batch);
        batch.Commit();
        return rows;
    }

    // Every column of every test with its storage type, from the file holding the tests.
    private static List<string> StoredTests(MegatestDatabase db, DatabaseLayout layout)
    {
        var columns = RowReaders.TestColumns.Split(", ").Where(c => c != "last_update").Select(c => $"quote({c}) || ':' || typeof({c})");
        return Rows(TestsFile(db, layout), "SELECT " + string.Join(" || '|' || ", columns) + " FROM tests ORDER BY id");
    }

    // The file holding the tests of the one run "run1".
    private static string TestsFile(MegatestDatabase db, DatabaseLayout layout)
    {
        using var batch = db.BeginBatch();
        return layout == DatabaseLayout.PerRun ? RunFiles.PathOf(db.Path, batch.Reader.FindRun(["ubuntu", "v1"], "run1")!.Id) : db.Path;
    }

    private static List<string> OpenFiles() =>
        [.. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Select(f => f.LinkTarget).OfType<string>()];
}
