using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>README's first command (tools/run-example.sh) works, and the queries read what it produced.</summary>
public sealed class ExampleTests : IDisposable
{
    private readonly TempDir _tmp = new("example");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task RunExampleScript_RunsTheExampleAreaToAllPass()
    {
        var script = Path.Combine(TestPaths.RepoRoot, "tools", "run-example.sh");
        var env = new Dictionary<string, string> { ["MEGATEST_EXE"] = MegatestProcess.Executable };
        var result = await MegatestProcess.RunFileAsync(script, TestPaths.RepoRoot, TimeSpan.FromMinutes(3), env, _tmp.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("run linux/1.0/example ended: 6 COMPLETED/PASS", result.Stdout, StringComparison.Ordinal);

        var area = Path.Combine(_tmp.Path, "area");
        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var tests = db.Tests("example");
        Assert.Equal(6, tests.Count);
        Assert.All(tests.Values, t => Assert.Equal(("COMPLETED", "PASS"), (t.State, t.Status)));

        var json = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-list-runs", "example", "-dumpmode", "json");
        Assert.Equal(0, json.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var run = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.Equal("linux/1.0", run.GetProperty("target").GetString());
        Assert.Equal(6, run.GetProperty("tests").GetArrayLength());

        var passed = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-list-runs", "example", "-target", "linux/%", "-status", "PASS,FAIL");
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.StartsWith("Run: linux/1.0/example status: ", passed.Stdout, StringComparison.Ordinal);
        Assert.Equal(6, passed.Stdout.Split('\n').Count(l => l.StartsWith("  Test: ", StringComparison.Ordinal) && l.Contains("Status: PASS", StringComparison.Ordinal)));
        var failed = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-list-runs", "example", "-state", "COMPLETED", "-status", "FAIL");
        Assert.DoesNotContain("  Test: ", failed.Stdout, StringComparison.Ordinal);

        var keys = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-show-keys");
        Assert.Equal("PLATFORM\nRELEASE\n", keys.Stdout);
        var targets = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-list-targets");
        Assert.Equal("linux/%\nlinux/1.0\n", targets.Stdout);
        var opt = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-show-runconfig", "-target", "linux/1.0", "-section", "linux/1.0", "-var", "OPTLEVEL");
        Assert.Equal("3\n", opt.Stdout);
        var junit = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-junit", "example.xml", "-target", "linux/1.0", "-runname", "example");
        Assert.True(junit.ExitCode == 0, junit.ToString());
        var xml = System.Xml.Linq.XDocument.Load(Path.Combine(area, "example.xml"));
        Assert.NotEmpty(xml.Descendants("testcase"));
        Assert.Empty(xml.Descendants("failure"));
        var html = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-generate-html");
        Assert.True(html.ExitCode == 0, html.ToString());
        Assert.True(File.Exists(Path.Combine(area, "links", "page0.html")));

        var cfg = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-show-config", "-section", "setup", "-dumpmode", "json");
        using var cfgDoc = System.Text.Json.JsonDocument.Parse(cfg.Stdout);
        Assert.Equal("4", cfgDoc.RootElement.GetProperty("setup").GetProperty("max_concurrent_jobs").GetString());
    }
}
