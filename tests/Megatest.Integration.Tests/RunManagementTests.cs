using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>Run management commands change rows only through packets to the db writer or the coordinator; each is checked in megatest.db and on disk.</summary>
public sealed class RunManagementTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private readonly TempDir _tmp = new("runmgmt");
    private readonly string _area;

    public RunManagementTests()
    {
        _area = _tmp.CopyFrom(Path.Combine(TestPaths.RepoRoot, "tools", "example", "area"), "area");
        Directory.CreateDirectory(Path.Combine(_area, "runs"));
        File.AppendAllText(Path.Combine(_area, "megatest.config"), "\n[setup]\ndeadtime 0\n");
    }

    public void Dispose() => _tmp.Dispose();

    private async Task<ProcessResult> MegatestAsync(params string[] args)
    {
        var result = await MegatestProcess.RunAsync(_area, s_timeout, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private AreaDb Db() => new(Path.Combine(_area, "megatest.db"));

    [Fact]
    public async Task StateStatusLocksAndRemoval_ChangeExactlyWhatTheSelectorsName()
    {
        await MegatestAsync("-run", "-target", "linux/1.0", "-runname", "example");

        await MegatestAsync("-set-state-status", "COMPLETED,FAIL", "-target", "linux/1.0", "-runname", "example", "-testpatt", "build", "-m", "set by hand");
        await MegatestAsync("-set-run-status", "REVIEWED", "-m", "looked at it", "-target", "%", "-runname", "%");
        using (var db = Db())
        {
            var tests = db.Tests("example");
            Assert.Equal(("COMPLETED", "FAIL", "set by hand"), tests[("build", "")]);
            Assert.Equal(("COMPLETED", "PASS"), (tests[("report", "")].State, tests[("report", "")].Status));
            Assert.Equal(["REVIEWED", "looked at it"], db.Query("SELECT status, comment FROM runs")[0].Select(v => v?.ToString()));
        }

        await MegatestAsync("-lock", "-target", "%", "-runname", "%");
        var refused = await MegatestAsync("-remove-runs", "-target", "%", "-runname", "%", "-testpatt", "%");
        Assert.Contains("1 locked runs left alone", refused.Stdout, StringComparison.Ordinal);
        using (var db = Db())
        {
            Assert.Equal(6, db.Tests("example").Count);
        }

        var unlock = await MegatestProcess.RunWithInputAsync(_area, s_timeout, "y\n", "-unlock", "-target", "%", "-runname", "%");
        Assert.True(unlock.ExitCode == 0, unlock.ToString());

        var unitDir = Path.Combine(_area, "links", "linux", "1.0", "example", "unit");
        Assert.True(Directory.Exists(unitDir));
        var physical = new DirectoryInfo(unitDir).LinkTarget!;
        await MegatestAsync("-remove-runs", "-target", "linux/1.0", "-runname", "example", "-testpatt", "unit", "-state", "COMPLETED");
        using (var db = Db())
        {
            var left = db.Tests("example").Keys.Select(k => k.Test).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(["build", "report"], left);
            Assert.Equal("unlocked", db.Query("SELECT state FROM runs")[0][0]?.ToString());
        }

        Assert.False(Directory.Exists(unitDir) || File.Exists(unitDir), "the link of unit must be gone");
        Assert.False(Directory.Exists(physical), "the run directory of unit must be gone");
        Assert.True(Directory.Exists(Path.Combine(_area, "links", "linux", "1.0", "example", "build")));
    }

    [Fact]
    public async Task MarkIncompletes_MarksTestsThatStoppedReportingDead()
    {
        await MegatestAsync("-run", "-target", "linux/1.0", "-runname", "example", "-testpatt", "build");
        await MegatestAsync("-set-state-status", "RUNNING,n/a", "-target", "linux/1.0", "-runname", "example", "-testpatt", "build");

        // deadtime 0: once a second has passed since it started, a RUNNING test that reports nothing is dead.
        await Wait.UntilAsync(
            () => MegatestProcess.RunAsync(_area, s_timeout, "-mark-incompletes").Result.Stdout.Contains("marked 1 ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the RUNNING test to be marked");
        using var db = Db();
        Assert.Equal(("COMPLETED", "DEAD", "Test failed to complete"), db.Tests("example")[("build", "")]);
    }

    [Fact]
    public async Task UpdateMeta_StoresEachTestsTestMeta()
    {
        await MegatestAsync("-update-meta");
        using var db = Db();
        var meta = db.Query("SELECT testname, description, tags FROM test_meta ORDER BY testname")
            .Select(r => string.Join("|", r.Select(v => v?.ToString()))).ToList();
        Assert.Equal(["build|Builds the product|build,quick", "report|Summarises the run|", "unit|Unit suites, one item each|quick"], meta);
    }
}
