using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>Bad input gets one clear message, a non-zero exit and nothing half written.</summary>
public sealed class BadInputTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(1);
    private readonly TempDir _tmp = new("badinput");

    public void Dispose() => _tmp.Dispose();

    private string Mintest()
    {
        var area = _tmp.CopyFrom(Path.Combine(TestPaths.SharedAreas, "mintest"), "mintest");
        Directory.CreateDirectory(Path.Combine(area, "runs"));
        return area;
    }

    private static void AssertNothingWritten(string area)
    {
        Assert.False(File.Exists(Path.Combine(area, "megatest.db")), "megatest.db must not be created");
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(area, "runs")));
        Assert.False(Directory.Exists(Path.Combine(area, "linktree")), "no link tree must be created");
    }

    private static void AssertOneClearError(ProcessResult result, string expected)
    {
        Assert.NotEqual(0, result.ExitCode);
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("megatest:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(errors);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FailsClearly_WhenNoMegatestConfigIsFound()
    {
        var empty = Path.Combine(_tmp.Path, "empty");
        Directory.CreateDirectory(empty);
        var result = await MegatestProcess.RunAsync(empty, s_timeout, "-run", "-target", "v1.0", "-runname", "r1");
        AssertOneClearError(result, "megatest.config");
        Assert.Empty(Directory.GetFileSystemEntries(empty));
    }

    [Fact]
    public async Task Run_FailsClearly_WhenTheTargetHasTheWrongNumberOfKeys()
    {
        var area = Mintest();
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "v1.0/extra", "-runname", "r1");
        AssertOneClearError(result, "Invalid target 'v1.0/extra'");
        AssertNothingWritten(area);
    }

    [Fact]
    public async Task Run_FailsClearly_WhenATestconfigHasASyntaxError()
    {
        var area = Mintest();
        var testconfig = Path.Combine(area, "tests", "b", "testconfig");
        File.AppendAllText(testconfig, "\n[requirements]\npriority #{scheme (+ 1 2)}\n");
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "v1.0", "-runname", "r1", "-testpatt", "%");
        AssertOneClearError(result, testconfig + ":");
        AssertNothingWritten(area);
    }

    [Fact]
    public async Task Run_FailsClearly_WhenTestpattNamesAnUnknownTest()
    {
        var area = Mintest();
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "v1.0", "-runname", "r1", "-testpatt", "a,nosuchtest");
        AssertOneClearError(result, "unknown test 'nosuchtest'");
        AssertNothingWritten(area);
    }

    [Fact]
    public async Task Run_FailsClearly_WhenWaitonsFormACycle()
    {
        var area = Mintest();
        File.AppendAllText(Path.Combine(area, "tests", "e", "testconfig"), "\n[requirements]\nwaiton a\n");
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "v1.0", "-runname", "r1", "-testpatt", "a");
        AssertOneClearError(result, "Circular waiton dependency: a -> b -> c -> d -> e -> a");
        AssertNothingWritten(area);
    }

    [Fact]
    public async Task Run_FailsClearly_WhenTheRunNameIsMissing()
    {
        var area = Mintest();
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "v1.0");
        AssertOneClearError(result, "-runname");
        AssertNothingWritten(area);
    }

    [Fact]
    public async Task UnknownArguments_AreRefusedByName()
    {
        var area = Mintest();
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "v1.0", "-runname", "r1", "-bogus");
        AssertOneClearError(result, "Unrecognised arguments: -bogus");
        AssertNothingWritten(area);
    }

    [Fact]
    public async Task Run_FailsClearly_WhenAnItemWouldLeaveTheRunDirectory()
    {
        var area = Mintest();
        var testconfig = Path.Combine(area, "tests", "b", "testconfig");
        File.AppendAllText(testconfig, "\n[items]\nWHERE ../../../escaped\n");
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "v1.0", "-runname", "r1", "-testpatt", "%");
        AssertOneClearError(result, "item path '../../../escaped' has an empty, '.' or '..' part");
        AssertNothingWritten(area);
        Assert.False(Directory.Exists(Path.Combine(_tmp.Path, "escaped")));
    }
}
