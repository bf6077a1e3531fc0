using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// The whole corpus again with <c>[db] api new</c> in each copy's megatest.config: the same outcomes, read with the
/// same SQL once the run files are attached, and the main database holds runs but no tests.
/// </summary>
public sealed class PerRunCorpusAreaTests : CorpusAreaTests
{
    protected override string CopyArea(string name)
    {
        var area = base.CopyArea(name);
        var config = Path.Combine(area, "megatest.config");
        File.SetUnixFileMode(config, File.GetUnixFileMode(config) | UnixFileMode.UserWrite);
        File.AppendAllText(config, "\n[db]\napi new\n");
        return area;
    }

    protected override AreaDb OpenDb(string area)
    {
        var main = Path.Combine(area, "megatest.db");
        var db = new AreaDb(main);
        Assert.Equal(0L, db.Query("SELECT count(*) FROM main.tests")[0][0]);
        var runs = (long)db.Query("SELECT count(*) FROM runs")[0][0]!;
        Assert.Equal(runs, db.AttachRunFiles(main));
        return db;
    }

    [Fact]
    public async Task CliQueriesAndReports_ReadTheRunFiles()
    {
        var area = CopyArea("mintest");
        Directory.CreateDirectory(Path.Combine(area, "runs"));
        var timeout = TimeSpan.FromMinutes(3);
        var run = await MegatestProcess.RunAsync(area, timeout, "-run", "-target", "v1.0", "-runname", "r1", "-testpatt", "%");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(area, "megatest.runs", "1.db")), "no run file");

        var json = await MegatestProcess.RunAsync(area, timeout, "-list-runs", "r1", "-target", "v1.0", "-dumpmode", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var tests = Assert.Single(doc.RootElement.EnumerateArray().ToList()).GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(17, tests.Count);
        Assert.Equal(12, tests.Count(t => t.GetProperty("status").GetString() == "PASS"));

        var targets = await MegatestProcess.RunAsync(area, timeout, "-list-db-targets");
        Assert.Equal("v1.0\n", targets.Stdout);
        var junit = await MegatestProcess.RunAsync(area, timeout, "-junit", "r1.xml", "-target", "v1.0", "-runname", "r1");
        Assert.True(junit.ExitCode == 0, junit.ToString());
        var xml = System.Xml.Linq.XDocument.Load(Path.Combine(area, "r1.xml"));
        Assert.Equal(17, xml.Descendants("testcase").Count());
        Assert.NotEmpty(xml.Descendants("failure"));
    }

    [Fact]
    public async Task UnknownDbApi_IsRefusedNamingFileAndLine()
    {
        var area = base.CopyArea("mintest");
        var config = Path.Combine(area, "megatest.config");
        File.SetUnixFileMode(config, File.GetUnixFileMode(config) | UnixFileMode.UserWrite);
        var line = File.ReadAllLines(config).Length + 3;
        File.AppendAllText(config, "\n[db]\napi bogus\n");
        var result = await MegatestProcess.RunAsync(area, TimeSpan.FromMinutes(1), "-run", "-target", "v1.0", "-runname", "r1", "-testpatt", "%");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"megatest.config:{line}: [db] api is 'bogus'; expected legacy or new", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(area, "megatest.db")), "nothing may be written");
    }
}
