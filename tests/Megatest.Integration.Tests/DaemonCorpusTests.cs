using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// The corpus areas run by separate `megatest` processes over loopback TCP — a db writer, a coordinator and
/// three agents — end with the same outcome as the embedded mode; a monitor started during the run receives,
/// in order, every change that ends up in the database.
/// </summary>
public sealed class DaemonCorpusTests : IDisposable
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(2);
    private readonly TempDir _embedded = new("emb");
    private readonly TempDir _daemons = new("dmn");

    public void Dispose()
    {
        _embedded.Dispose();
        _daemons.Dispose();
    }

    [Theory]
    [InlineData("mintest", "v1.0")]
    [InlineData("simplerun", "SYSTEM_val/RELEASE_val")]
    [InlineData("dep-tests", "std/0")]
    [InlineData("dynamic-waiton-example", "std/0")]
    public async Task Area_EndsAsInEmbeddedMode_AndTheMonitorSeesEveryChange(string name, string target)
    {
        var embeddedArea = Copy(_embedded, name);
        var area = Copy(_daemons, name);
        var embedded = MegatestProcess.RunAsync(embeddedArea, s_runTimeout, "-run", "-target", target, "-runname", "r1", "-testpatt", "%");

        using var site = await DaemonSite.StartAsync(area);
        await site.AddAgentsAsync("agent", 3, slots: 2);

        using var run = DaemonProcess.StartMegatest("run", area, null, "-run", "-target", target, "-runname", "r1", "-testpatt", "%");
        await run.WaitForLineAsync(l => l.StartsWith("run ", StringComparison.Ordinal) && l.Contains($"{target}/r1:", StringComparison.Ordinal), s_runTimeout, "the coordinator's ack");
        using var monitor = DaemonProcess.StartMegatest("monitor", area, null, "monitor", "-dumpmode", "json");
        Assert.True(await run.WaitForExitAsync(s_runTimeout) == 0, run.ToString() + site);
        Assert.Contains("Using the coordinator at " + site.CoordinatorEndpoint, run.Stderr, StringComparison.Ordinal);
        Assert.Contains("All tests launched and finished.", run.Stdout, StringComparison.Ordinal);

        var reference = await embedded;
        Assert.True(reference.ExitCode == 0, reference.ToString());
        using var embeddedDb = new AreaDb(Path.Combine(embeddedArea, "megatest.db"));
        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var expected = Outcomes(embeddedDb.Tests("r1"));
        var actual = Outcomes(db.Tests("r1"));
        Assert.True(expected.Count > 0);
        Assert.Equal(expected, actual);

        // The monitor: its snapshot plus the changes after it fold into exactly what the database holds.
        var runId = (long)db.Query("SELECT id FROM runs WHERE runname = 'r1'").Single()[0]!;
        var dbRows = db.Tests("r1").ToDictionary(kv => kv.Key, kv => (kv.Value.State, kv.Value.Status));
        await Wait.UntilAsync(() => Same(MonitorLog.Parse(monitor.StdoutLines).Tests(runId), dbRows), TimeSpan.FromSeconds(20),
            "the monitor's view to match the database\n" + monitor);

        // Nothing was missed at the end either: the monitor reaches the db writer's position for the run,
        // with every change in sequence and no resync.
        var final = await MegatestProcess.RunAsync(area, TimeSpan.FromSeconds(30), "monitor", "--once", "-dumpmode", "json");
        Assert.True(final.ExitCode == 0, final.ToString());
        var finalLog = MonitorLog.Parse(final.Stdout.Split('\n'));
        var finalSequence = finalLog.SnapshotSequence[runId];
        await Wait.UntilAsync(() => MonitorLog.Parse(monitor.StdoutLines).Sequence.GetValueOrDefault(runId) >= finalSequence, TimeSpan.FromSeconds(20),
            $"the monitor to reach sequence {finalSequence}\n" + monitor);
        var log = MonitorLog.Parse(monitor.StdoutLines);
        Assert.True(log.Problems.Count == 0, string.Join("\n", log.Problems));
        Assert.Equal(0, log.Resyncs);
        Assert.Equal(finalSequence, log.Sequence[runId]);
        Assert.True(Same(log.Tests(runId), dbRows));
        Assert.True(Same(finalLog.Tests(runId), dbRows));
    }

    private static string Copy(TempDir tmp, string name)
    {
        foreach (var dir in new[] { "runs", "simplelinks", "simpleruns" })
        {
            Directory.CreateDirectory(Path.Combine(tmp.Path, dir));
        }

        var area = tmp.CopyFrom(Path.Combine(TestPaths.SharedAreas, name), name);
        Directory.CreateDirectory(Path.Combine(area, "runs"));
        return area;
    }

    private static SortedDictionary<string, string> Outcomes(Dictionary<(string Test, string Item), (string State, string Status, string Comment)> rows) =>
        new(rows.ToDictionary(kv => kv.Key.Test + "/" + kv.Key.Item, kv => kv.Value.State + "/" + kv.Value.Status), StringComparer.Ordinal);

    private static bool Same(Dictionary<(string Test, string Item), (string State, string Status)> a, Dictionary<(string Test, string Item), (string State, string Status)> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
