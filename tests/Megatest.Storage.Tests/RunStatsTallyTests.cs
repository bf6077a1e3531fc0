using Megatest.Testing;
using static Megatest.Storage.Tests.SqlFiles;
using static Megatest.Storage.Tests.WriteBatchExtensions;

namespace Megatest.Storage.Tests;

/// <summary>
/// RefreshRunStats counts in one pass over the run's index entries (LeafTally). Its counts must equal those of the
/// grouped SQL query it replaced, kept here as the oracle, on every shape of run: plain tests, toplevels with and
/// without items, items in several states, NULL and non-ASCII states, numbers stored as states by another client.
/// </summary>
public sealed class RunStatsTallyTests : IDisposable
{
    private static readonly string[] s_keys = ["SYSTEM", "RELEASE"];
    private readonly TempDir _dir = new("mt-tally");

    // The query RefreshRunStats ran before LeafTally.
    private const string FormerTallySql =
        "SELECT coalesce(t.state, ''), coalesce(t.status, ''), count(*) FROM tests t " +
        "WHERE t.run_id = @run_id AND (t.item_path <> '' OR NOT EXISTS (SELECT 1 FROM tests i " +
        "WHERE i.run_id = t.run_id AND i.testname = t.testname AND i.item_path <> '')) " +
        "GROUP BY coalesce(t.state, ''), coalesce(t.status, '')";

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(DatabaseLayout.Legacy)]
    [InlineData(DatabaseLayout.PerRun)]
    public void RefreshRunStats_CountsWhatTheFormerGroupedQueryCounted(DatabaseLayout layout)
    {
        using var db = MegatestDatabase.Open(Path.Combine(_dir.Path, "tally.db"), s_keys, layout);
        long run, other;
        using (var batch = db.BeginBatch())
        {
            run = batch.Run();
            other = batch.Run(runName: "run2");
            var random = new Random(7);
            string[] states = ["NOT_STARTED", "RUNNING", "COMPLETED", "ÉTAT-é", ""];
            string[] statuses = ["n/a", "PASS", "FAIL", "😀"];
            for (var t = 0; t < 60; t++)
            {
                // Names that share prefixes and sort across the items' names: a, a0, a00, b, ...
                var name = ((char)('a' + (t % 7))) + new string('0', t / 7);
                var top = batch.RegisterTest(run, name, "", Now);
                var items = t % 3 == 0 ? 0 : random.Next(1, 5);
                for (var i = 0; i < items; i++)
                {
                    var item = batch.RegisterTest(run, name, $"i{i}/x", Now);
                    batch.UpdateTest(item.Id, new TestUpdate { State = states[random.Next(states.Length)], Status = statuses[random.Next(statuses.Length)] }, Now);
                }

                batch.UpdateTest(top.Id, new TestUpdate { State = states[random.Next(states.Length)], Status = statuses[random.Next(statuses.Length)] }, Now);
            }

            batch.RegisterTest(other, "a", "", Now);
            batch.Commit();
        }

        // As another client may leave them: a NULL state and status, numbers as a state and a status.
        var testsFile = layout == DatabaseLayout.PerRun ? RunFiles.PathOf(db.Path, run) : db.Path;
        Exec(testsFile, $"UPDATE tests SET state = NULL, status = NULL WHERE run_id = {run} AND testname = 'b'");
        Exec(testsFile, $"UPDATE tests SET state = 5, status = 2.5 WHERE run_id = {run} AND testname = 'c0'");

        using (var batch = db.BeginBatch())
        {
            batch.RefreshRunStats(run, Now);
            batch.RefreshRunStats(other, Now);
            batch.Commit();
        }

        var expected = Rows(testsFile, FormerTallySql.Replace("@run_id", run.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.True(expected.Count > 10, "the run has many state/status pairs");
        Assert.Contains(expected, r => r.StartsWith("||", StringComparison.Ordinal));
        Assert.Equal(expected, Rows(db.Path, $"SELECT state, status, count FROM run_stats WHERE run_id = {run} ORDER BY state, status"));
        Assert.Equal(["NOT_STARTED|n/a|1"], Rows(db.Path, $"SELECT state, status, count FROM run_stats WHERE run_id = {other}"));
    }
}
