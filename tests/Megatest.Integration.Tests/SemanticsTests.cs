using System.Globalization;
using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>Megatest's test semantics beyond the corpus, each through the real executable on an area written for it (Areas/semantics).</summary>
public sealed class SemanticsTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private readonly TempDir _tmp = new("semantics");
    private readonly string _area;

    public SemanticsTests()
    {
        _area = _tmp.CopyFrom(Path.Combine(TestPaths.RepoRoot, "tests", "Megatest.Integration.Tests", "Areas", "semantics"), "semantics");
        Directory.CreateDirectory(Path.Combine(_area, "runs"));
    }

    public void Dispose() => _tmp.Dispose();

    private async Task<ProcessResult> RunAsync(params string[] args)
    {
        var result = await MegatestProcess.RunAsync(_area, s_timeout, ["-run", "-target", "linux", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private AreaDb Db() => new(Path.Combine(_area, "megatest.db"));

    [Fact]
    public async Task RerunClean_RunsOnlyTheFailedItemAndItsDependentsAgain()
    {
        await RunAsync("-runname", "r1", "-testpatt", "flaky,after");
        using (var db = Db())
        {
            var first = db.Tests("r1");
            Assert.Equal(("COMPLETED", "FAIL"), (first[("flaky", "b")].State, first[("flaky", "b")].Status));
            Assert.Equal(("COMPLETED", "PASS"), (first[("flaky", "a")].State, first[("flaky", "a")].Status));
            Assert.Equal(("NOT_STARTED", "PREQ_FAIL"), (first[("after", "")].State, first[("after", "")].Status));
        }

        File.WriteAllText(Path.Combine(_area, "fixed.flag"), "");
        await RunAsync("-runname", "r1", "-testpatt", "flaky,after", "-rerun-clean");

        using var db2 = Db();
        var second = db2.Tests("r1");
        Assert.All(second.Values, t => Assert.Equal(("COMPLETED", "PASS"), (t.State, t.Status)));
        var attempts = File.ReadAllLines(Path.Combine(_area, "attempts.log")).Select(l => l.Split(' ')[0]).ToList();
        Assert.Equal(2, attempts.Count(p => p == "b"));
        Assert.Equal(1, attempts.Count(p => p == "a"));
        Assert.Equal(1, attempts.Count(p => p == "c"));
        Assert.Single(File.ReadAllLines(Path.Combine(_area, "after.log")));
    }

    [Fact]
    public async Task Runtimelim_KillsASleepingTestWithinABoundedTime()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await RunAsync("-runname", "r1", "-testpatt", "sleeper");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");

        using var db = Db();
        var row = db.Tests("r1")[("sleeper", "")];
        Assert.Equal(("KILLED", "KILLED"), (row.State, row.Status));
        Assert.Contains("run time limit", row.Comment, StringComparison.Ordinal);
        var pid = int.Parse(File.ReadAllText(Path.Combine(_area, "sleeper.pid")).Trim(), CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"process {pid} still runs");
    }

    [Fact]
    public async Task Triggers_FireForTheirKeysWithTestIdRunDirAndKey()
    {
        await RunAsync("-runname", "r1", "-testpatt", "trig");
        var log = Path.Combine(_area, "triggers.log");
        await Wait.UntilAsync(() => File.Exists(log) && File.ReadAllLines(log).Length >= 3, TimeSpan.FromSeconds(20), "three trigger calls");

        using var db = Db();
        var id = db.Query("SELECT id FROM tests WHERE testname = 'trig'")[0][0]?.ToString() ?? "";
        var runDir = Path.Combine(_area, "links", "linux", "r1", "trig");
        var calls = File.ReadAllLines(log).Select(l => l.Split('|')).ToDictionary(f => f[0]);
        Assert.Equal(["full", "state-only", "status-only"], calls.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([id, runDir, "COMPLETED/PASS", "trig", runDir], calls["full"][1..]);
        Assert.Equal("RUNNING/", calls["state-only"][3]);
        Assert.Equal("/PASS", calls["status-only"][3]);
    }

    [Fact]
    public async Task Skip_FileExists_CompletesWithSkipWithoutRunning()
    {
        File.WriteAllText(Path.Combine(_area, "skip.flag"), "");
        await RunAsync("-runname", "r1", "-testpatt", "skipme");

        using var db = Db();
        var row = db.Tests("r1")[("skipme", "")];
        Assert.Equal(("COMPLETED", "SKIP"), (row.State, row.Status));
        Assert.Contains("fileexists", row.Comment, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_area, "skipme.ran")));
    }

    [Fact]
    public async Task Jobgroup_NeverRunsMoreThanItsLimitAtOnce()
    {
        await RunAsync("-runname", "r1", "-testpatt", "grouped");

        var intervals = new List<(double Start, double End)>();
        foreach (var n in Enumerable.Range(1, 6))
        {
            var lines = File.ReadAllLines(Path.Combine(_area, "links", "linux", "r1", "grouped", n.ToString(CultureInfo.InvariantCulture), "times.txt"));
            intervals.Add((double.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture), double.Parse(lines[1].Split(' ')[1], CultureInfo.InvariantCulture)));
        }

        var ordered = intervals.OrderBy(i => i.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].Start >= ordered[i - 1].End, $"items overlap: {ordered[i - 1]} and {ordered[i]}");
        }
    }

    [Fact]
    public async Task ConfigChange_TurnsTheRunsCompletedTestsStale()
    {
        await RunAsync("-runname", "r1", "-testpatt", "trig,skipme");
        File.AppendAllText(Path.Combine(_area, "megatest.config"), "\n[misc]\nchanged yes\n");
        await RunAsync("-runname", "r1", "-testpatt", "trig");

        using var db = Db();
        var tests = db.Tests("r1");
        Assert.Equal("STALE", tests[("skipme", "")].State);
        Assert.Equal(("COMPLETED", "PASS"), (tests[("trig", "")].State, tests[("trig", "")].Status));
        var cache = File.ReadAllText(Path.Combine(_area, "links", "linux", "r1", ".megatest.cfg"));
        Assert.Contains("changed yes", cache, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reruns_RetryATestTheSystemFailed_AndRecordEachAttempt()
    {
        await RunAsync("-runname", "r1", "-testpatt", "nodisk");

        using var db = Db();
        var row = db.Tests("r1")[("nodisk", "")];
        Assert.Equal("INCOMPLETE", row.State);
        Assert.Contains("no usable disk", row.Comment, StringComparison.Ordinal);
        var attempts = db.Query("SELECT s.stepname FROM test_steps s JOIN tests t ON t.id = s.test_id WHERE t.testname = 'nodisk'");
        Assert.Equal(["attempt-2"], attempts.Select(a => a[0]?.ToString()));
    }

    [Fact]
    public async Task ItemizedToplevel_LivesInTheLinkTreeWithItsRollupPage()
    {
        await RunAsync("-runname", "r1", "-testpatt", "grouped");

        using var db = Db();
        var top = db.Query("SELECT rundir, final_logf, state, status FROM tests WHERE testname = 'grouped' AND item_path = ''")[0];
        var dir = Path.Combine(_area, "links", "linux", "r1", "grouped");
        Assert.Equal([dir, "megatest-rollup-grouped.html", "COMPLETED", "PASS"], top.Select(v => v?.ToString()));
        var page = File.ReadAllText(Path.Combine(dir, "megatest-rollup-grouped.html"));
        Assert.Contains("COMPLETED/PASS</td><td>6</td>", page, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "3", "test-summary.html")));
    }
}
