using static Megatest.Storage.Tests.WriteBatchExtensions;

namespace Megatest.Storage.Tests;

/// <summary>The writer's incremental toplevel rollup must always equal a rollup computed from scratch.</summary>
public sealed class ToplevelConsistencyTests : IDisposable
{
    private static readonly string[] s_states = ["NOT_STARTED", "LAUNCHED", "RUNNING", "COMPLETED", "KILLED", "INCOMPLETE"];
    private static readonly string[] s_statuses = ["n/a", "PASS", "FAIL", "WARN", "CHECK", "PREQ_FAIL", "AUTO", "DEAD"];

    private readonly TestDb _db = new();

    public void Dispose() => _db.Dispose();

    private static (string State, string Status) FromScratch(IRunReader reader, long runId) =>
        ToplevelRollup.Compute(reader.Tests(runId)
            .Where(t => t.TestName == "t" && t.ItemPath.Length > 0)
            .Select(t => (t.State, t.Status))
            .Distinct()
            .OrderBy(p => p.State, StringComparer.Ordinal)
            .ThenBy(p => p.Status, StringComparer.Ordinal));

    [Fact]
    public void RandomItemChanges_KeepToplevelEqualToFullRecompute()
    {
        var random = new Random(1234);
        using var database = _db.Open();
        for (var round = 0; round < 3; round++)
        {
            using var batch = database.BeginBatch();
            var runId = batch.Run();
            var top = batch.RegisterTest(runId, "t", "", Now);
            var items = Enumerable.Range(0, 6).Select(i => batch.RegisterTest(runId, "t", "i" + i, Now)).ToList();
            for (var step = 0; step < 300; step++)
            {
                var item = items[random.Next(items.Count)];
                switch (random.Next(10))
                {
                    case 0:
                        items.Add(batch.RegisterTest(runId, "t", "n" + step, Now));
                        break;
                    case 1 when items.Count > 1:
                        batch.DeleteTests(runId, [item.Id]);
                        items.Remove(item);
                        break;
                    case 2:
                        batch.RecordTestData(item.Id, [new TestDataInput("c", "v" + step, random.Next(3).ToString(), "1", "0", null, null, null, null)], rollup: true);
                        break;
                    default:
                        batch.UpdateTest(item.Id, new TestUpdate { State = s_states[random.Next(s_states.Length)], Status = s_statuses[random.Next(s_statuses.Length)] }, Now);
                        break;
                }

                // Deleting items does not recompute the toplevel; the next item change does. Force one.
                var probe = items[random.Next(items.Count)];
                batch.SetState(probe, "RUNNING", "probe");
                batch.SetState(probe, s_states[random.Next(s_states.Length)], s_statuses[random.Next(s_statuses.Length)]);

                var toplevel = batch.Reader.GetTest(top.Id)!;
                Assert.Equal(FromScratch(batch.Reader, runId), (toplevel.State, toplevel.Status));
            }

            if (round % 2 == 0)
            {
                batch.Commit();
            }
        }
    }

    [Fact]
    public void ItemCountsKeptAcrossBatches_ForgetARolledBackBatch_AndAChangeByAnotherConnection()
    {
        using var database = _db.Open();
        long runId;
        TestRow top;
        List<TestRow> items;
        using (var batch = database.BeginBatch())
        {
            runId = batch.Run();
            top = batch.RegisterTest(runId, "t", "", Now);
            items = Enumerable.Range(0, 3).Select(i => batch.RegisterTest(runId, "t", "i" + i, Now)).ToList();
            batch.Commit();
        }

        void Change(TestRow item, string state, string status, bool commit = true)
        {
            using var batch = database.BeginBatch();
            batch.SetState(item, state, status);
            if (commit)
            {
                batch.Commit();
            }
        }

        void AssertToplevelRight(string expectedStatus)
        {
            // Read in a batch that commits: a rolled-back one would drop the counts and hide a stale one.
            using var batch = database.BeginBatch();
            var toplevel = batch.Reader.GetTest(top.Id)!;
            Assert.Equal(FromScratch(batch.Reader, runId), (toplevel.State, toplevel.Status));
            Assert.Equal(expectedStatus, toplevel.Status);
            batch.Commit();
        }

        foreach (var item in items)
        {
            Change(item, "COMPLETED", "PASS");
        }

        AssertToplevelRight("PASS");

        // Rolled back: the counts must not keep item 0 as FAIL.
        Change(items[0], "COMPLETED", "FAIL", commit: false);
        Change(items[1], "COMPLETED", "WARN");
        AssertToplevelRight("WARN");

        // Another connection fails item 2 behind this writer's back: the next rollup counts it.
        _db.Scalar("UPDATE tests SET status = 'FAIL' WHERE id = @id", ("@id", items[2].Id));
        Change(items[1], "COMPLETED", "PASS");
        AssertToplevelRight("FAIL");
    }
}
