using System.Diagnostics;
using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// <c>megatest -migrate-home</c> (RFC M03) with real processes: refused while the area is busy or changed recently,
/// the pointer moves when it is quiet, daemons are stopped and started again here, and of two racing migrations
/// exactly one wins.
/// </summary>
public sealed class HomeMigrationTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);
    private readonly TempDir _tmp = new("homehost");
    private readonly List<int> _startedDaemons = [];

    public void Dispose()
    {
        foreach (var pid in _startedDaemons)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(10_000);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        _tmp.Dispose();
    }

    private static string[] Pointer(string area) => File.ReadAllLines(Path.Combine(area, ".homehost"));

    private static string Value(string[] pointer, string key) =>
        pointer.Single(l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..];

    private static Task<ProcessResult> MigrateAsync(string area) =>
        MegatestProcess.RunAsync(area, s_timeout, "-migrate-home", "-homehost", "127.0.0.1");

    [Fact]
    public async Task MigrateHome_WhenIdle_MovesThePointer_AndNotWithinQuietMinutesOfAChange()
    {
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "[db]\napi new\n",
            ("quick", [("testconfig", "[ezsteps]\nhello echo hello\n")]));
        var run = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "t1", "-runname", "r1", "-testpatt", "%");
        Assert.True(run.ExitCode == 0, run.ToString());

        var early = await MigrateAsync(area);
        Assert.True(early.ExitCode != 0, early.ToString());
        Assert.Contains("refused: the area is not quiet: a test changed", early.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(area, ".homehost")), "a refused migration must not write the pointer");

        File.AppendAllText(Path.Combine(area, "megatest.config"), "\n[server]\nquiet-minutes 0\n");
        var first = await MigrateAsync(area);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("moved to 127.0.0.1 (generation 1)", first.Stdout, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", Pointer(area)[0]);
        Assert.Equal("1", Value(Pointer(area), "generation"));

        var second = await MigrateAsync(area);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("2", Value(Pointer(area), "generation"));
        Assert.False(File.Exists(Path.Combine(area, ".homehost.lock")), "the lock must be released");
    }

    [Fact]
    public async Task MigrateHome_WhileATestRuns_IsRefusedWithTheTestNamed()
    {
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "[db]\napi new\n\n[server]\nquiet-minutes 0\n",
            ("waiter", [
                ("testconfig", "[ezsteps]\nhold bash hold.sh\n"),
                ("hold.sh", "touch \"$MT_RUN_AREA_HOME/started\"\nwhile [ ! -f \"$MT_RUN_AREA_HOME/go\" ]; do sleep 0.1; done\n"),
            ]));
        using var run = DaemonProcess.StartMegatest("run", area, null, "-run", "-target", "t1", "-runname", "r1", "-testpatt", "%");
        await Wait.UntilAsync(() => File.Exists(Path.Combine(area, "started")), s_timeout, "the test to run\n" + run);

        var refused = await MigrateAsync(area);
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains("refused: the area is not quiet: 1 tests are running (waiter ", refused.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(area, ".homehost")), "a refused migration must not write the pointer");
        Assert.False(File.Exists(Path.Combine(area, ".homehost.lock")), "a refused migration must not keep the lock");

        File.WriteAllText(Path.Combine(area, "go"), "");
        Assert.Equal(0, await run.WaitForExitAsync(s_timeout));
        var after = await MigrateAsync(area);
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    [Fact]
    public async Task TwoRacingMigrations_OfDaemons_ExactlyOneWins_AndTheDaemonsRunHere()
    {
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "[server]\nquiet-minutes 0\n",
            ("quick", [("testconfig", "[ezsteps]\nhello echo hello\n")]));
        using var site = await DaemonSite.StartAsync(area);

        var results = await Task.WhenAll(MigrateAsync(area), MigrateAsync(area));
        var pointer = Pointer(area);
        _startedDaemons.AddRange(pointer.Where(l => l.Contains("-pid ", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));
        var winners = results.Where(r => r.ExitCode == 0).ToList();
        var winner = Assert.Single(winners);
        var loser = results.Single(r => r.ExitCode != 0);
        Assert.Contains("megatest: refused: ", loser.Stderr, StringComparison.Ordinal);
        Assert.True(
            loser.Stderr.Contains("another migration of this area is under way", StringComparison.Ordinal)
            || loser.Stderr.Contains("moved while this migration started", StringComparison.Ordinal),
            loser.ToString());
        Assert.Contains("(generation 1): coordinator tcp://127.0.0.1:", winner.Stdout, StringComparison.Ordinal);
        Assert.Equal("1", Value(pointer, "generation"));
        Assert.Equal(2, _startedDaemons.Count);

        // The old daemons stopped on the StopRequest; the CLI now finds the new coordinator through the pointer.
        Assert.Equal(0, await site.Coordinator.WaitForExitAsync(s_timeout));
        Assert.Equal(0, await site.DbWriter.WaitForExitAsync(s_timeout));
        Assert.NotEqual(site.CoordinatorEndpoint, Value(pointer, "coordinator"));
        var kill = await MegatestProcess.RunAsync(area, s_timeout, "-kill-runs", "-target", "t1", "-runname", "r1", "-testpatt", "%");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Assert.Contains("accepted: kill sent for 0 running tests", kill.Stdout, StringComparison.Ordinal);
    }
}
