using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// The real Megatest areas of ../shared/megatest-areas, copied to a scratch directory and run unchanged
/// with the built megatest executable; every row of the corpus README's expected table is checked in megatest.db.
/// </summary>
public class CorpusAreaTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);
    private readonly TempDir _tmp = new("corpus");

    public void Dispose()
    {
        _tmp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Copies a corpus area into the scratch directory; a subclass may change the copy's megatest.config.</summary>
    protected virtual string CopyArea(string name)
    {
        var area = _tmp.CopyFrom(Path.Combine(TestPaths.SharedAreas, name), name);
        return area;
    }

    /// <summary>Opens the area's database for plain SQL on Megatest's tables.</summary>
    protected virtual AreaDb OpenDb(string area) => new(Path.Combine(area, "megatest.db"));

    private static async Task<ProcessResult> RunAsync(string area, params string[] args)
    {
        var result = await MegatestProcess.RunAsync(area, s_timeout, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("All tests launched and finished.", result.Stdout, StringComparison.Ordinal);
        return result;
    }

    [Fact]
    public async Task Mintest_EndsWithTheExpectedStateOfEveryTest()
    {
        var area = CopyArea("mintest");
        Directory.CreateDirectory(Path.Combine(area, "runs"));
        await RunAsync(area, "-run", "-target", "v1.0", "-runname", "r1", "-testpatt", "%");

        using var db = OpenDb(area);
        var tests = db.Tests("r1");
        foreach (var name in new[] { "e", "d", "c", "b", "a", "h", "i", "j", "k", "l", "f", "e1" })
        {
            Assert.Equal(("COMPLETED", "PASS"), (tests[(name, "")].State, tests[(name, "")].Status));
        }

        Assert.Equal(("NOT_STARTED", "ZERO_ITEMS"), (tests[("g", "")].State, tests[("g", "")].Status));
        Assert.False(Directory.Exists(Path.Combine(area, "runs", "v1.0", "r1", "g")), "g must never be launched");
        Assert.Equal(("COMPLETED", "FAIL"), (tests[("d1fail", "")].State, tests[("d1fail", "")].Status));
        Assert.Contains("step2", tests[("d1fail", "")].Comment, StringComparison.Ordinal);
        Assert.Equal(("NOT_STARTED", "PREQ_FAIL"), (tests[("c1", "")].State, tests[("c1", "")].Status));
        Assert.Equal(("NOT_STARTED", "PREQ_DISCARDED"), (tests[("b1", "")].State, tests[("b1", "")].Status));
        Assert.Equal(("NOT_STARTED", "PREQ_DISCARDED"), (tests[("a1", "")].State, tests[("a1", "")].Status));
        Assert.Equal(17, tests.Count);

        var step2 = db.Query(
            "SELECT s.status FROM test_steps s JOIN tests t ON t.id = s.test_id WHERE t.testname = 'd1fail' AND s.stepname = 'step2' AND s.state = 'end'");
        Assert.Equal("123", Assert.Single(step2)[0]?.ToString());
        Assert.True(File.Exists(Path.Combine(area, "runs", "v1.0", "r1", "a", "step1.log")));
        Assert.Equal("SUCCESS\n", File.ReadAllText(Path.Combine(area, "linktree", "v1.0", "r1", "a", "step1.log")));
    }

    [Fact]
    public async Task Mintest_TestpattA_PullsInItsWaitonChain()
    {
        var area = CopyArea("mintest");
        Directory.CreateDirectory(Path.Combine(area, "runs"));
        await RunAsync(area, "-run", "-target", "v1.0", "-runname", "only-a", "-testpatt", "a");

        using var db = OpenDb(area);
        var tests = db.Tests("only-a");
        Assert.Equal(["a", "b", "c", "d", "e"], tests.Keys.Select(k => k.Test).Order(StringComparer.Ordinal));
        Assert.All(tests.Values, t => Assert.Equal(("COMPLETED", "PASS"), (t.State, t.Status)));
    }

    [Fact]
    public async Task Simplerun_PassesWithEachStepCheckedByItsLogProFile()
    {
        var area = CopyArea("simplerun");
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "simplelinks"));
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "simpleruns"));
        await RunAsync(area, "-run", "-target", "SYSTEM_val/RELEASE_val", "-runname", "r1", "-testpatt", "%");

        using var db = OpenDb(area);
        var tests = db.Tests("r1");
        string[] items = ["desert", "plains", "forest", "jungle", "beach"];
        Assert.Equal(("COMPLETED", "PASS"), (tests[("test1", "")].State, tests[("test1", "")].Status));
        Assert.Equal(("COMPLETED", "PASS"), (tests[("test2", "")].State, tests[("test2", "")].Status));
        foreach (var item in items)
        {
            Assert.Equal(("COMPLETED", "PASS"), (tests[("test2", item)].State, tests[("test2", item)].Status));
        }

        Assert.Equal(7, tests.Count);

        // Each step's .logpro file was applied by the built-in checker: an HTML report, a .dat summary and test_data rows.
        var test1Dir = Path.Combine(_tmp.Path, "simplelinks", "SYSTEM_val", "RELEASE_val", "r1", "test1");
        foreach (var step in new[] { "step1", "step2" })
        {
            Assert.True(File.Exists(Path.Combine(test1Dir, step + ".html")), step + ".html missing");
            Assert.True(File.Exists(Path.Combine(test1Dir, step + ".dat")), step + ".dat missing");
        }

        var finals = db.Query(
            "SELECT d.category, d.status FROM test_data d JOIN tests t ON t.id = d.test_id WHERE d.variable = 'final' AND t.testname = 'test1' ORDER BY d.category");
        Assert.Equal(["step1", "step2"], finals.Select(r => r[0]?.ToString()));
        Assert.All(finals, r => Assert.Equal("PASS", r[1]?.ToString()));
        var logs = db.Query("SELECT s.logfile FROM test_steps s JOIN tests t ON t.id = s.test_id WHERE t.testname = 'test2' AND s.state = 'end'");
        Assert.Equal(10, logs.Count);
        Assert.All(logs, r => Assert.EndsWith(".html", r[0]?.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("std/0")]
    [InlineData("simple/0")]
    public async Task DepTests_EveryTestItemAndToplevelPasses(string target)
    {
        var area = CopyArea("dep-tests");
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "runs"));
        var result = await RunAsync(area, "-run", "-target", target, "-runname", "r1", "-testpatt", "%");
        AssertDepTestsRun(area, target.Split('/')[0]);
        if (target == "simple/0")
        {
            // genlib and aggregate look up their waiton in [simple] and get #f: a warning, not a failure.
            Assert.Contains("waiton '#f' is not a test of this area", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DepTests_BothTargetsShareOneArea()
    {
        var area = CopyArea("dep-tests");
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "runs"));
        await RunAsync(area, "-run", "-target", "std/0", "-runname", "r1", "-testpatt", "%");
        await RunAsync(area, "-run", "-target", "simple/0", "-runname", "r1", "-testpatt", "%");
        AssertDepTestsRun(area, "std");
        AssertDepTestsRun(area, "simple");
    }

    [Fact]
    public async Task DynamicWaiton_EveryTestItemAndToplevelPasses()
    {
        var area = CopyArea("dynamic-waiton-example");
        Directory.CreateDirectory(Path.Combine(_tmp.Path, "runs"));
        await RunAsync(area, "-run", "-target", "std/0", "-runname", "r1", "-testpatt", "%");
        AssertDepTestsRun(area, "std");
    }

    private void AssertDepTestsRun(string area, string deps)
    {
        using var db = OpenDb(area);
        var tests = db.Tests("r1", "DEPS", deps);
        var expected = new List<(string, string)> { ("setup", ""), ("aggregate", ""), ("results", ""), ("genlib", ""), ("genlib", "layout"), ("genlib", "schematic"), ("test1", ""), ("test2", "") };
        foreach (var view in new[] { "layout", "schematic" })
        {
            foreach (var cell in new[] { "ntran", "ptran", "diode" })
            {
                expected.Add(("test1", view + "/" + cell));
                expected.Add(("test2", view + "/" + cell));
            }
        }

        Assert.Equal(expected.Order(), tests.Keys.Order());
        Assert.All(tests, t => Assert.True(t.Value.State == "COMPLETED" && t.Value.Status == "PASS", $"{t.Key}: {t.Value}"));

        // The multi-line [logpro] delay rule of common.testconfig was applied to every delay step.
        var checkedSteps = db.Query(
            "SELECT count(*) FROM test_data d JOIN tests t ON t.id = d.test_id JOIN runs r ON r.id = t.run_id WHERE r.DEPS = $d AND d.category = 'delay' AND d.variable = 'final' AND d.status = 'PASS'",
            ("$d", deps));
        Assert.Equal(17L, checkedSteps[0][0]);
    }
}
