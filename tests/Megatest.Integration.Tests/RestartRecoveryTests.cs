using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// The coordinator or the db writer killed with SIGKILL in the middle of a run with dependencies, then started
/// again: the run goes on and ends with the same tests, states, statuses and steps as a run without the fault,
/// with no row twice and no test started twice (each test appends a line to its own marker file when it starts).
/// </summary>
public sealed class RestartRecoveryTests : IDisposable, IClassFixture<RestartRecoveryTests.Reference>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TempDir _tmp = new("recover");
    private readonly Reference _reference;

    public RestartRecoveryTests(Reference reference)
    {
        _reference = reference;
    }

    public void Dispose() => _tmp.Dispose();

    // slow/N holds until the file gate-N exists, so the test decides what runs when a role dies.
    private static readonly (string Test, (string File, string Text)[] Files)[] s_tests =
    [
        ("prep", [("testconfig", "[ezsteps]\nmark bash mark.sh\n"), Mark]),
        ("slow", [("testconfig", "[requirements]\nwaiton prep\n\n[items]\nN 1 2 3\n\n[ezsteps]\nmark bash mark.sh\nhold bash hold.sh\n"), Mark,
            ("hold.sh", "echo $$ > \"$MT_RUN_AREA_HOME/holding-$MT_ITEMPATH\"\nwhile [ ! -e \"$MT_RUN_AREA_HOME/gate-$MT_ITEMPATH\" ]; do sleep 0.05; done\necho released\n")]),
        ("fails", [("testconfig", "[requirements]\nwaiton prep\n\n[ezsteps]\nmark bash mark.sh\nboom bash boom.sh\n"), Mark, ("boom.sh", "exit 3\n")]),
        ("blocked", [("testconfig", "[requirements]\nwaiton fails\n\n[ezsteps]\nmark bash mark.sh\n"), Mark]),
        ("after", [("testconfig", "[requirements]\nwaiton slow\n\n[ezsteps]\nmark bash mark.sh\n"), Mark]),
        ("last", [("testconfig", "[requirements]\nwaiton after\n\n[items]\nX a b\n\n[ezsteps]\nmark bash mark.sh\n"), Mark]),
    ];

    private static (string, string) Mark => ("mark.sh", "mkdir -p \"$MT_RUN_AREA_HOME/markers\"\necho \"$$\" >> \"$MT_RUN_AREA_HOME/markers/$MT_TEST_NAME-${MT_ITEMPATH:-top}\"\n");

    [Fact]
    public async Task CoordinatorKilledMidRun_RestartsAndTheRunEndsAsWithoutTheFault()
    {
        var expected = await _reference.Outcome.Value;
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "", s_tests);
        using var site = await DaemonSite.StartAsync(area, agentTimeoutSeconds: 8);
        await site.AddAgentsAsync("agent", 1, slots: 6);
        using var run = DaemonProcess.StartMegatest("run", area, null, "-run", "-target", "k1", "-runname", "r1", "-testpatt", "%");
        await WaitForRowsAsync(area, rows => Enumerable.Range(1, 3).All(i => rows.GetValueOrDefault(("slow", $"{i}")).State == "RUNNING"), "slow/1..3 RUNNING\n" + site);

        await site.KillCoordinatorAsync();
        // slow/1 ends while no coordinator runs: its agent reports to the db writer all the same.
        File.WriteAllText(Path.Combine(area, "gate-1"), "");
        await WaitForRowsAsync(area, rows => rows.GetValueOrDefault(("slow", "1")).State == "COMPLETED", "slow/1 COMPLETED without a coordinator\n" + site);

        await site.RestartCoordinatorAsync();
        foreach (var item in new[] { "2", "3" })
        {
            await site.Coordinator.WaitForLineAsync(l => l.Contains($"still runs slow/{item} of run", StringComparison.Ordinal), s_timeout, $"slow/{item} taken over");
        }

        File.WriteAllText(Path.Combine(area, "gate-2"), "");
        File.WriteAllText(Path.Combine(area, "gate-3"), "");
        Assert.True(await run.WaitForExitAsync(s_timeout) == 0, run.ToString() + site);
        Assert.Contains("All tests launched and finished.", run.Stdout, StringComparison.Ordinal);
        AssertSameOutcome(expected, area, run.ToString() + site);
    }

    [Fact]
    public async Task CoordinatorAndAnAgentKilled_TheLostAgentsTestsEndIncompleteAfterTheTimeout_AndRunAgain()
    {
        var expected = await _reference.Outcome.Value;
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "", s_tests);
        using var site = await DaemonSite.StartAsync(area, agentTimeoutSeconds: 4);
        await site.AddAgentsAsync("agent", 2, slots: 3);
        using var run = DaemonProcess.StartMegatest("run", area, null, "-run", "-target", "k1", "-runname", "r1", "-testpatt", "%");
        await WaitForRowsAsync(area, rows => Enumerable.Range(1, 3).All(i => rows.GetValueOrDefault(("slow", $"{i}")).State == "RUNNING"), "slow/1..3 RUNNING\n" + site);
        await Wait.UntilAsync(() => Enumerable.Range(1, 3).All(i => File.Exists(Path.Combine(area, $"holding-{i}")) && File.ReadAllText(Path.Combine(area, $"holding-{i}")).EndsWith('\n')), s_timeout, "slow/1..3 to hold");
        // The agent running slow/2: the ancestor of its hold.sh among the agents.
        var lost = site.Agents.Single(a => Ancestors(int.Parse(File.ReadAllText(Path.Combine(area, "holding-2")).Trim(), System.Globalization.CultureInfo.InvariantCulture)).Contains(a.Pid));
        var lostItems = Enumerable.Range(1, 3).Select(i => $"{i}")
            .Where(i => Ancestors(int.Parse(File.ReadAllText(Path.Combine(area, "holding-" + i)).Trim(), System.Globalization.CultureInfo.InvariantCulture)).Contains(lost.Pid)).ToList();
        await site.KillCoordinatorAsync();
        System.Diagnostics.Process.GetProcessById(lost.Pid).Kill();
        // Its orphaned test processes keep its output pipes open: wait for the process, not for the end of its output.
        await Wait.UntilAsync(() => lost.HasExited, s_timeout, "the lost agent to exit");
        // Every gate opens: the lost agent's test processes end too, but nobody reports them any more.
        foreach (var i in new[] { 1, 2, 3 })
        {
            File.WriteAllText(Path.Combine(area, $"gate-{i}"), "");
        }

        await site.RestartCoordinatorAsync();
        await site.Coordinator.WaitForLineAsync(l => l.Contains("slow/2 was RUNNING but no agent claimed it", StringComparison.Ordinal), s_timeout, "slow/2 given up");
        Assert.True(await run.WaitForExitAsync(s_timeout) == 0, run.ToString() + site);

        // The same results; the lost agent's items ran a second attempt (recorded as a step) and started twice.
        var actual = Outcome.Of(area);
        Assert.Equal(expected.Rows, actual.Rows);
        using var check = new AreaDb(Path.Combine(area, "megatest.db"));
        // Tests in flight on the lost agent (its slow items, perhaps others still running) ran again: "test/item".
        var rerun = check.Query("SELECT t.testname || '/' || t.item_path FROM test_steps s JOIN tests t ON t.id = s.test_id WHERE s.stepname = 'attempt-2'")
            .Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(lostItems.Select(i => "slow/" + i).ToList(), rerun.Where(k => k.StartsWith("slow/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList());
        Assert.All(rerun, key => Assert.Equal(2, File.ReadAllLines(Path.Combine(area, "markers", key.Replace('/', '-') + (key.EndsWith('/') ? "top" : ""))).Length));
        Assert.All(expected.Steps.Where(kv => !rerun.Contains(kv.Key)), kv => Assert.Equal(kv.Value, actual.Steps[kv.Key]));
    }

    [Fact]
    public async Task DbWriterKilledMidRun_RestartsAndTheRunEndsAsWithoutTheFault()
    {
        var expected = await _reference.Outcome.Value;
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "", s_tests);
        using var site = await DaemonSite.StartAsync(area);
        await site.AddAgentsAsync("agent", 1, slots: 6);
        using var run = DaemonProcess.StartMegatest("run", area, null, "-run", "-target", "k1", "-runname", "r1", "-testpatt", "%");
        await WaitForRowsAsync(area, rows => Enumerable.Range(1, 3).All(i => rows.GetValueOrDefault(("slow", $"{i}")).State == "RUNNING"), "slow/1..3 RUNNING\n" + site);

        await site.KillDbWriterAsync();
        // slow/1 ends while no db writer runs: its agent keeps the statuses until a db writer acknowledges them.
        File.WriteAllText(Path.Combine(area, "gate-1"), "");
        var log = Path.Combine(area, "links", "k1", "r1", "slow", "1", "hold.log");
        await Wait.UntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("released", StringComparison.Ordinal), s_timeout, "slow/1 to end its step\n" + site);

        await site.RestartDbWriterAsync();
        await WaitForRowsAsync(area, rows => rows.GetValueOrDefault(("slow", "1")).State == "COMPLETED", "slow/1 COMPLETED after the restart\n" + site);
        File.WriteAllText(Path.Combine(area, "gate-2"), "");
        File.WriteAllText(Path.Combine(area, "gate-3"), "");
        Assert.True(await run.WaitForExitAsync(s_timeout) == 0, run.ToString() + site);
        Assert.Contains("All tests launched and finished.", run.Stdout, StringComparison.Ordinal);
        AssertSameOutcome(expected, area, run.ToString() + site);
    }

    /// <summary>The same area run once without faults (embedded roles, gates open): rows and steps per test.</summary>
    public sealed class Reference : IDisposable
    {
        private readonly TempDir _tmp = new("recover-ref");

        public Reference()
        {
            Outcome = new Lazy<Task<Outcome>>(RunAsync);
        }

        public Lazy<Task<Outcome>> Outcome { get; }

        public void Dispose() => _tmp.Dispose();

        private async Task<Outcome> RunAsync()
        {
            var area = ScratchArea.Create(Path.Combine(_tmp.Path, "reference"), "", s_tests);
            foreach (var i in new[] { 1, 2, 3 })
            {
                File.WriteAllText(Path.Combine(area, $"gate-{i}"), "");
            }

            var run = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "k1", "-runname", "r1", "-testpatt", "%");
            Assert.True(run.ExitCode == 0, run.ToString());
            var outcome = RestartRecoveryTests.Outcome.Of(area);
            Assert.Equal("COMPLETED/FAIL", outcome.Rows["fails/"]);
            Assert.Equal("NOT_STARTED/PREQ_FAIL", outcome.Rows["blocked/"]);
            Assert.Equal("COMPLETED/PASS", outcome.Rows["last/b"]);
            return outcome;
        }
    }

    private static void AssertSameOutcome(Outcome expected, string area, string context)
    {
        var actual = Outcome.Of(area);
        var (want, got) = (Text(expected.Rows) + "\n" + Text(expected.Steps), Text(actual.Rows) + "\n" + Text(actual.Steps));
        Assert.True(want == got, $"expected:\n{want}\nactual:\n{got}\n{context}");
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.StepCount, actual.StepCount);

        // Every test that ran started exactly once: one line in its marker file.
        var markers = Directory.GetFiles(Path.Combine(area, "markers")).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllLines(f).Length, StringComparer.Ordinal);
        var ran = expected.Rows.Where(kv => kv.Value.StartsWith("COMPLETED", StringComparison.Ordinal) && !(kv.Key.EndsWith('/') && expected.Rows.Keys.Any(k => k.StartsWith(kv.Key, StringComparison.Ordinal) && k != kv.Key)))
            .Select(kv => kv.Key.Replace('/', '-') + (kv.Key.EndsWith('/') ? "top" : "")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ran, markers.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.All(markers, m => Assert.True(m.Value == 1, $"{m.Key} started {m.Value} times"));
    }

    private static string Text(SortedDictionary<string, string> map) => string.Join("\n", map.Select(kv => kv.Key + " " + kv.Value));

    /// <summary>The process and its ancestors (from /proc).</summary>
    private static List<int> Ancestors(int pid)
    {
        var chain = new List<int>();
        while (pid > 1 && chain.Count < 64)
        {
            chain.Add(pid);
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        return chain;
    }

    private static async Task WaitForRowsAsync(string area, Func<Dictionary<(string Test, string Item), (string State, string Status, string Comment)>, bool> condition, string what)
    {
        var db = Path.Combine(area, "megatest.db");
        await Wait.UntilAsync(() =>
        {
            if (!File.Exists(db))
            {
                return false;
            }

            using var reader = new AreaDb(db);
            return condition(reader.Tests("r1"));
        }, s_timeout, what);
    }

    /// <summary>What a run left in the database: "test/item" → "STATE/STATUS", and each test's steps.</summary>
    public sealed record Outcome(SortedDictionary<string, string> Rows, SortedDictionary<string, string> Steps, long RowCount, long StepCount)
    {
        public static Outcome Of(string area)
        {
            using var db = new AreaDb(Path.Combine(area, "megatest.db"));
            var rows = new SortedDictionary<string, string>(db.Tests("r1").ToDictionary(kv => kv.Key.Test + "/" + kv.Key.Item, kv => kv.Value.State + "/" + kv.Value.Status), StringComparer.Ordinal);
            var steps = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var group in db.Query("SELECT t.testname || '/' || t.item_path, s.stepname || ':' || s.state || ':' || s.status FROM test_steps s JOIN tests t ON t.id = s.test_id JOIN runs r ON r.id = t.run_id WHERE r.runname = 'r1'")
                .GroupBy(r => (string)r[0]!))
            {
                steps[group.Key] = string.Join(" ", group.Select(r => (string)r[1]!).Order(StringComparer.Ordinal));
            }

            var rowCount = (long)db.Query("SELECT count(*) FROM tests t JOIN runs r ON r.id = t.run_id WHERE r.runname = 'r1'").Single()[0]!;
            var stepCount = (long)db.Query("SELECT count(*) FROM test_steps s JOIN tests t ON t.id = s.test_id JOIN runs r ON r.id = t.run_id WHERE r.runname = 'r1'").Single()[0]!;
            return new Outcome(rows, steps, rowCount, stepCount);
        }
    }
}
