using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>A runscript calls $MT_MEGATEST -step, -load-test-data, -runstep, -set-values and -test-status; every call lands in megatest.db.</summary>
public sealed class InTestCommandTests : IDisposable
{
    private readonly TempDir _tmp = new("intest");

    public void Dispose() => _tmp.Dispose();

    private string Area()
    {
        var source = Path.Combine(TestPaths.RepoRoot, "tests", "Megatest.Integration.Tests", "Areas", "intest");
        var area = _tmp.CopyFrom(source, "intest");
        Directory.CreateDirectory(Path.Combine(area, "runs"));
        return area;
    }

    [Fact]
    public async Task Runscript_ReportsStepsDataAndStatusThroughTheAgent()
    {
        var area = Area();
        var result = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(2), "-run", "-target", "linux", "-runname", "r1", "-testpatt", "scripted");
        Assert.True(result.ExitCode == 0, result.ToString());

        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var test = db.Tests("r1")[("scripted", "")];
        Assert.Equal(("COMPLETED", "PASS", "scripted ok"), test);

        var steps = db.Query("SELECT stepname, state, status, logfile FROM test_steps ORDER BY stepname, state DESC");
        Assert.Equal(
            ["build/start/n/a/", "build/end/0/build.log", "compile/start/n/a/", "compile/end/0/compile.html"],
            steps.Select(s => $"{s[0]}/{s[1]}/{s[2]}/{s[3]}"));

        var data = db.Query("SELECT category, variable, CAST(value AS TEXT), status FROM test_data ORDER BY category, variable")
            .ToDictionary(r => $"{r[0]}.{r[1]}", r => (Value: r[2]?.ToString(), Status: r[3]?.ToString()));
        Assert.Equal(("42", "pass"), data["final.answer"]);
        Assert.Equal(("10.5", "pass"), data["perf.speed"]);
        Assert.Equal(("3", "pass"), data["perf.latency"]);
        Assert.Equal(("9", "fail"), data["perf.size"]);

        var runDir = Path.Combine(area, "links", "linux", "r1", "scripted");
        Assert.True(File.Exists(Path.Combine(runDir, "compile.html")));
        Assert.Contains("compiled fine", File.ReadAllText(Path.Combine(runDir, "compile.log")), StringComparison.Ordinal);
        Assert.Contains("export MT_TEST_NAME='scripted'", File.ReadAllText(Path.Combine(runDir, "megatest.sh")), StringComparison.Ordinal);
        using var cmdinfo = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "cmdinfo.json")));
        Assert.Equal("scripted", cmdinfo.RootElement.GetProperty("TestName").GetString());
        Assert.Equal(runDir, cmdinfo.RootElement.GetProperty("RunDir").GetString());

        // The AUTO rollup counted the data rows: three pass, one fail (perf.size).
        var counts = db.Query("SELECT pass_count, fail_count FROM tests WHERE testname = 'scripted'")[0];
        Assert.Equal(["3", "1"], counts.Select(v => v?.ToString()));
    }

    [Fact]
    public async Task StepCommand_OutsideATest_ExitsFive()
    {
        var result = await MegatestProcess.RunAsync(_tmp.Path, TimeSpan.FromMinutes(1), "-step", "x", ":state", "start", ":status", "n/a");
        Assert.Equal(5, result.ExitCode);
        Assert.Contains("only inside a running test", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Items_SetTheToplevelLogCommentAndRollupPage()
    {
        var area = Area();
        var result = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(2), "-run", "-target", "linux", "-runname", "r1", "-testpatt", "itemized");
        Assert.True(result.ExitCode == 0, result.ToString());

        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var tests = db.Tests("r1");
        Assert.Equal(("COMPLETED", "PASS", "item one says hi"), tests[("itemized", "one")]);
        Assert.Equal(("COMPLETED", "PASS", "item two says hi"), tests[("itemized", "two")]);
        Assert.Equal("toplog.html", db.Query("SELECT final_logf FROM tests WHERE testname = 'itemized' AND item_path = ''")[0][0]?.ToString());
        Assert.True(File.Exists(Path.Combine(area, "links", "linux", "r1", "itemized", "megatest-rollup-itemized.html")));
        var step = db.Query("SELECT s.status FROM test_steps s JOIN tests t ON t.id = s.test_id WHERE s.stepname = 'check'");
        Assert.Equal(2, step.Count);
        Assert.All(step, s => Assert.Equal("odd-status", s[0]?.ToString()));
    }
}
