using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// An agent that goes silent (its process killed outright) is dropped by the coordinator after the agent
/// time-out; its tests in flight end INCOMPLETE in the database and the run ends.
/// </summary>
public sealed class AgentLivenessTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(40);
    private readonly TempDir _tmp = new("alive");
    private readonly List<int> _orphans = [];

    public void Dispose()
    {
        foreach (var pid in _orphans)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        _tmp.Dispose();
    }

    [Fact]
    public async Task SilentAgent_IsDropped_AndItsTestsEndIncomplete()
    {
        // reruns 0: a test the system failed is not tried again, so the run ends with it INCOMPLETE.
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "[setup]\nreruns 0\n",
            ("sleeper", [("testconfig", "[ezsteps]\nnap bash nap.sh\n"), ("nap.sh", "sleep 600 &\necho $$ $! > pids\nwait\n")]));
        using var site = await DaemonSite.StartAsync(area, agentTimeoutSeconds: 4);
        var agent = await site.AddAgentAsync("doomed", slots: 1);
        using var run = DaemonProcess.StartMegatest("run", area, null, "-run", "-target", "k1", "-runname", "lost", "-testpatt", "%");
        var pidFile = Path.Combine(area, "links", "k1", "lost", "sleeper", "pids");
        await Wait.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Split(' ').Length == 2, s_timeout, "the test to run\n" + site);
        _orphans.AddRange(File.ReadAllText(pidFile).Trim().Split(' ').Select(int.Parse));

        // SIGKILL: no goodbye, no more heartbeats.
        System.Diagnostics.Process.GetProcessById(agent.Pid).Kill();
        await site.Coordinator.WaitForLineAsync(l => l.Contains("agent doomed on doomed dropped", StringComparison.Ordinal), s_timeout, "the agent to be dropped");
        Assert.True(await run.WaitForExitAsync(s_timeout) == 0, run.ToString());
        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var row = db.Tests("lost")[("sleeper", "")];
        Assert.Equal(("INCOMPLETE", "DEAD"), (row.State, row.Status));
        Assert.Contains("agent doomed", row.Comment, StringComparison.Ordinal);
    }
}
