using System.Globalization;
using Megatest.Testing;
using Microsoft.Data.Sqlite;

namespace Megatest.Integration.Tests;

/// <summary>
/// Acceptance tests for the test features of issue 4 (waivers, [skip], exclusive, allow-auto-rerun, the test
/// environment, [testcopy], launch-delay, [tests-paths], [testrollup], -rerun-all), each through the real
/// executable on an area written for it (Areas/features).
/// </summary>
public sealed class FeatureTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_waitTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDir _tmp = new("features");
    private readonly string _area;

    public FeatureTests()
    {
        _area = _tmp.CopyFrom(Path.Combine(TestPaths.RepoRoot, "tests", "Megatest.Integration.Tests", "Areas", "features"), "features");
        Directory.CreateDirectory(Path.Combine(_area, "runs"));
    }

    public void Dispose() => _tmp.Dispose();

    private async Task<ProcessResult> RunAsync(string runName, string testPatt, params string[] args)
    {
        var result = await MegatestProcess.RunAsync(_area, s_timeout, ["-run", "-target", "linux", "-runname", runName, "-testpatt", testPatt, .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private AreaDb Db() => new(Path.Combine(_area, "megatest.db"));

    private string AreaFile(string name) => Path.Combine(_area, name);

    private void AppendConfig(string text) => File.AppendAllText(AreaFile("megatest.config"), "\n" + text + "\n");

    /// <summary>The state of a row as the database shows it now, or null (no database or row yet, or the database is busy).</summary>
    private string? StateOf(string runName, string test)
    {
        if (!File.Exists(AreaFile("megatest.db")))
        {
            return null;
        }

        try
        {
            using var db = Db();
            return db.Tests(runName).TryGetValue((test, ""), out var row) ? row.State : null;
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Waivers_AFailAfterAWaivedRunIsWaivedWhenTheRuleHolds_AndStaysFailWhenItDoesNot()
    {
        await RunAsync("r1", "waived,waivediff");
        var set = await MegatestProcess.RunAsync(_area, s_timeout, "-set-state-status", "COMPLETED,WAIVED", "-target", "linux", "-runname", "r1", "-testpatt", "waived,waivediff", "-m", "waived: known issue");
        Assert.True(set.ExitCode == 0, set.ToString());
        await RunAsync("r2", "waived,waivediff");

        using var db = Db();
        var r1 = db.Tests("r1");
        Assert.Equal(("COMPLETED", "WAIVED", "waived: known issue"), r1[("waived", "")]);
        var r2 = db.Tests("r2");
        Assert.Equal(("COMPLETED", "WAIVED", "waived: known issue"), r2[("waived", "")]);
        Assert.Equal(("COMPLETED", "FAIL"), (r2[("waivediff", "")].State, r2[("waivediff", "")].Status));
        Assert.Contains("Failed at step work", r2[("waivediff", "")].Comment, StringComparison.Ordinal);
        Assert.Equal("identical output\n", File.ReadAllText(Path.Combine(_area, "links", "linux", "r2", "waived", "out.txt")));
    }

    [Fact]
    public async Task SkipPrevrunning_SkipsTheTestWhileItRunsInAnotherRun()
    {
        var first = RunAsync("r1", "longrun");
        try
        {
            await Wait.UntilAsync(() => StateOf("r1", "longrun") == "RUNNING", s_waitTimeout, "longrun RUNNING in r1");
            await RunAsync("r2", "longrun");
        }
        finally
        {
            File.WriteAllText(AreaFile("release.flag"), "");
            await first;
        }

        using var db = Db();
        Assert.Equal(("COMPLETED", "PASS"), (db.Tests("r1")[("longrun", "")].State, db.Tests("r1")[("longrun", "")].Status));
        var skipped = db.Tests("r2")[("longrun", "")];
        Assert.Equal(("COMPLETED", "SKIP"), (skipped.State, skipped.Status));
        Assert.Contains("prevrunning", skipped.Comment, StringComparison.Ordinal);
        Assert.Equal(["r1"], File.ReadAllLines(AreaFile("longrun.log")));
    }

    [Fact]
    public async Task SkipRundelay_SkipsATestThatRanLessThanTheDelayAgo()
    {
        await RunAsync("r1", "delayed");
        await RunAsync("r2", "delayed");

        using var db = Db();
        Assert.Equal(("COMPLETED", "PASS"), (db.Tests("r1")[("delayed", "")].State, db.Tests("r1")[("delayed", "")].Status));
        var skipped = db.Tests("r2")[("delayed", "")];
        Assert.Equal(("COMPLETED", "SKIP"), (skipped.State, skipped.Status));
        Assert.Contains("rundelay", skipped.Comment, StringComparison.Ordinal);
        Assert.Equal(["r1"], File.ReadAllLines(AreaFile("delayed.log")));
    }

    [Fact]
    public async Task ModeExclusive_TwoConcurrentRunsNeverRunTheTestAtOnce()
    {
        // r1's step holds on until go.flag exists, then works one more second: r2, started meanwhile, must wait for it.
        var first = RunAsync("r1", "excl");
        Task<ProcessResult>? second = null;
        try
        {
            await Wait.UntilAsync(() => StateOf("r1", "excl") == "RUNNING", s_waitTimeout, "excl RUNNING in r1");
            second = RunAsync("r2", "excl");
            await Wait.UntilAsync(() => StateOf("r2", "excl") is not null || second.IsCompleted, s_waitTimeout, "excl registered in r2");
        }
        finally
        {
            File.WriteAllText(AreaFile("go.flag"), "");
            await first;
            if (second is not null)
            {
                await second;
            }
        }

        using var db = Db();
        Assert.Equal(("COMPLETED", "PASS"), (db.Tests("r1")[("excl", "")].State, db.Tests("r1")[("excl", "")].Status));
        Assert.Equal(("COMPLETED", "PASS"), (db.Tests("r2")[("excl", "")].State, db.Tests("r2")[("excl", "")].Status));
        var (start1, end1) = Interval("excl-r1.txt");
        var (start2, end2) = Interval("excl-r2.txt");
        Assert.True(start2 >= end1 || start1 >= end2, $"runs overlap: r1 {start1}..{end1}, r2 {start2}..{end2}");
    }

    private (double Start, double End) Interval(string file)
    {
        var lines = File.ReadAllLines(AreaFile(file));
        return (double.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture), double.Parse(lines[1].Split(' ')[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AllowAutoRerun_RunsAFailedTestAgainWithoutRerun()
    {
        AppendConfig("[setup]\nallow-auto-rerun COMPLETED/FAIL");
        await RunAsync("r1", "autofix");
        using (var db = Db())
        {
            var failed = db.Tests("r1")[("autofix", "")];
            Assert.Equal(("COMPLETED", "FAIL"), (failed.State, failed.Status));
        }

        File.WriteAllText(AreaFile("autofix.flag"), "");
        await RunAsync("r1", "autofix");

        using var db2 = Db();
        var row = db2.Tests("r1")[("autofix", "")];
        Assert.Equal(("COMPLETED", "PASS"), (row.State, row.Status));
        Assert.Equal(2, File.ReadAllLines(AreaFile("autofix.log")).Length);
    }

    [Fact]
    public async Task Environment_StepSeesPreLaunchVarsSetvarsRunpathAndItemVarsWinOverRunconfigs()
    {
        await RunAsync("r1", "envshow", "-setvars", "SETV_A=1,SETV_B=2");

        using (var db = Db())
        {
            var row = db.Tests("r1")[("envshow", "item-value")];
            Assert.Equal(("COMPLETED", "PASS"), (row.State, row.Status));
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(_area, "links", "linux", "r1", "envshow", "item-value", "env.txt")))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                env[line[..eq]] = line[(eq + 1)..];
            }
        }

        Assert.Equal("from-pre-launch-vars", env.GetValueOrDefault("PLV_VAR"));
        Assert.Equal("from-pre-launch-overrides", env.GetValueOrDefault("PLO_VAR"));
        Assert.Equal("1", env.GetValueOrDefault("SETV_A"));
        Assert.Equal("2", env.GetValueOrDefault("SETV_B"));
        Assert.Equal("from-runconfigs", env.GetValueOrDefault("RC_VAR"));
        Assert.Equal("item-value", env.GetValueOrDefault("SHARED"));
        Assert.Equal(Path.Combine(_area, "links"), env.GetValueOrDefault("MT_LINKTREE"));
        Assert.Equal(("linux", "r1"), (env.GetValueOrDefault("MT_TARGET"), env.GetValueOrDefault("MT_RUNNAME")));
        Assert.Equal(Path.Combine(_area, "links", "linux", "r1"), env.GetValueOrDefault("MT_RUNPATH"));
    }

    [Fact]
    public async Task Testcopy_AMatchingTestIsPopulatedByItsCommand_OthersByTheDefaultCopy()
    {
        await RunAsync("r1", "copied,plain");

        using var db = Db();
        var tests = db.Tests("r1");
        Assert.Equal(("COMPLETED", "PASS"), (tests[("copied", "")].State, tests[("copied", "")].Status));
        Assert.Equal(("COMPLETED", "PASS"), (tests[("plain", "")].State, tests[("plain", "")].Status));
        var copied = Path.Combine(_area, "links", "linux", "r1", "copied");
        var plain = Path.Combine(_area, "links", "linux", "r1", "plain");
        Assert.True(File.Exists(Path.Combine(copied, "copied-by-testcopy")), "the [testcopy] command did not populate copied");
        Assert.True(File.Exists(Path.Combine(copied, "payload.txt")));
        Assert.False(File.Exists(Path.Combine(plain, "copied-by-testcopy")), "plain was populated by the [testcopy] command");
        Assert.True(File.Exists(Path.Combine(plain, "payload.txt")));
    }

    [Fact]
    public async Task LaunchDelay_KeepsConsecutiveLaunchesApart()
    {
        AppendConfig("[setup]\nlaunch-delay 2");
        await RunAsync("r1", "spaced1,spaced2,spaced3");

        using (var db = Db())
        {
            Assert.All(db.Tests("r1").Values, t => Assert.Equal(("COMPLETED", "PASS"), (t.State, t.Status)));
            Assert.Equal(3, db.Tests("r1").Count);
        }

        var starts = Enumerable.Range(1, 3)
            .Select(n => double.Parse(File.ReadAllText(AreaFile($"started-spaced{n}.txt")).Trim(), CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        // Launches are at least 2 s apart, so the third starts at least 4 s after the first; how long each agent
        // takes from launch to its step varies with the machine's load, so half of that is the bound asserted.
        Assert.True(starts[2] - starts[0] >= 2.0, $"three launches span {starts[2] - starts[0]:0.000} s: {string.Join(", ", starts)}");
    }

    [Fact]
    public async Task TestsPaths_ExtraDirectoriesAreSearchedFirst()
    {
        await RunAsync("r1", "both,onlyextra");

        using var db = Db();
        var tests = db.Tests("r1");
        Assert.Equal(("COMPLETED", "PASS"), (tests[("both", "")].State, tests[("both", "")].Status));
        Assert.Equal(("COMPLETED", "PASS"), (tests[("onlyextra", "")].State, tests[("onlyextra", "")].Status));
        Assert.Equal("from-extra", File.ReadAllText(AreaFile("both.txt")).Trim());
        Assert.Equal("ran", File.ReadAllText(AreaFile("onlyextra.txt")).Trim());
    }

    [Fact]
    public async Task Testrollup_TheToplevelPageIsTheScriptsOutput()
    {
        await RunAsync("r1", "rolled");

        using var db = Db();
        var top = db.Query("SELECT final_logf, state, status FROM tests WHERE testname = 'rolled' AND item_path = ''")[0];
        Assert.Equal(["megatest-rollup-rolled.html", "COMPLETED", "PASS"], top.Select(v => v?.ToString()));
        var page = File.ReadAllText(Path.Combine(_area, "links", "linux", "r1", "rolled", "megatest-rollup-rolled.html"));
        Assert.Equal("custom rollup page for rolled", page.Trim());
    }

    [Fact]
    public async Task RerunAll_RunsEveryTestOfTheRunAgain()
    {
        await RunAsync("r1", "counted,countfail");
        await RunAsync("r1", "counted,countfail", "-rerun-all");

        using var db = Db();
        var tests = db.Tests("r1");
        Assert.Equal(("COMPLETED", "PASS"), (tests[("counted", "")].State, tests[("counted", "")].Status));
        Assert.Equal(("COMPLETED", "FAIL"), (tests[("countfail", "")].State, tests[("countfail", "")].Status));
        var runs = File.ReadAllLines(AreaFile("executions.log"));
        Assert.Equal(2, runs.Count(l => l == "counted r1"));
        Assert.Equal(2, runs.Count(l => l == "countfail r1"));
    }
}
