using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>The daemon verbs' life cycle and the CLI's choice between a running coordinator and the embedded roles.</summary>
public sealed class DaemonVerbTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(40);
    private readonly TempDir _tmp = new("verbs");

    public void Dispose() => _tmp.Dispose();

    private string Area() => ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "",
        ("quick", [("testconfig", "[ezsteps]\nhello echo hello\n")]));

    [Fact]
    public async Task EachRole_StopsCleanlyOnSigterm()
    {
        var area = Area();
        var site = await DaemonSite.StartAsync(area);
        try
        {
            var agent = await site.AddAgentAsync("a1", slots: 1);
            foreach (var (process, role) in new[] { (agent, "agent"), (site.Coordinator, "coordinator"), (site.DbWriter, "dbwriter") })
            {
                Assert.Equal(0, await process.TerminateAsync(s_timeout));
                Assert.Contains(role + " stopped", process.Stderr, StringComparison.Ordinal);
            }

            Assert.Contains("agent a1 on a1 dropped (left: agent stopping)", site.Coordinator.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            site.Dispose();
        }
    }

    [Fact]
    public async Task Run_FallsBackToTheEmbeddedRoles_WhenTheConfiguredCoordinatorIsNotRunning()
    {
        var area = Area();
        var port = FreePorts.Take(1)[0];
        File.AppendAllText(Path.Combine(area, "megatest.config"), $"\n[services]\ncoordinator tcp://127.0.0.1:{port}\n");
        var result = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "t1", "-runname", "r1", "-testpatt", "%");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"No coordinator answers at tcp://127.0.0.1:{port}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("All tests launched and finished.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlPackets_PrintTheCoordinatorsAck_AndTheStatusOfRuns()
    {
        var area = Area();
        using var site = await DaemonSite.StartAsync(area);
        await site.AddAgentAsync("a1", slots: 2);
        var run = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "t1", "-runname", "r1", "-testpatt", "%");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("All tests launched and finished.", run.Stdout, StringComparison.Ordinal);

        var status = await MegatestProcess.RunAsync(area, s_timeout, "-get-run-status", "-target", "t1", "-runname", "r1");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Matches(@"run \d+ t1/r1 .*: 1 COMPLETED/PASS", status.Stdout);

        var kill = await MegatestProcess.RunAsync(area, s_timeout, "-kill-runs", "-target", "t1", "-runname", "r1");
        Assert.Equal("accepted: kill sent for 0 running tests", kill.Stdout.Trim());

        var archive = await MegatestProcess.RunAsync(area, s_timeout, "-archive", "save", "-target", "t1", "-runname", "r1");
        Assert.Matches("^(accepted|rejected): ", archive.Stdout);
        Assert.Equal(archive.Stdout.StartsWith("accepted", StringComparison.Ordinal) ? 0 : 1, archive.ExitCode);
    }
}
