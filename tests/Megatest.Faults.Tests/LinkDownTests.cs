using System.Globalization;
using Megatest.Integration.Tests;
using Megatest.Testing;
using Xunit.Abstractions;

namespace Megatest.Faults.Tests;

/// <summary>
/// An agent on another "host" (a network namespace, tools/netns/setup.sh) loses its network for 30 s at a random
/// moment of a run: its link is set down, then up again. The coordinator's agent time-out (90 s) outlasts the cut,
/// so the agent's tests keep running, their packets wait in TCP and arrive after the link is back; the database must
/// end equal to the fault-free reference. Needs root and iproute2 (CI has both); without them the test fails.
/// </summary>
public sealed class LinkDownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_cut = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AgentCutOffFor30Seconds_RunEqualsTheReference()
    {
        Assert.True(File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0"),
            "This test cuts a network namespace's link (ip netns) and must run as root: CI runs it as root.");
        using var scenario = new FaultScenario("link-down", output);
        var name = "mf" + Guid.NewGuid().ToString("N")[..5];
        var subnet = "10.214." + scenario.Random.Next(100, 250).ToString(CultureInfo.InvariantCulture);
        var scripts = Path.Combine(TestPaths.RepoRoot, "tools", "netns");
        var setup = await MegatestProcess.RunFileAsync("/bin/bash", scenario.Tmp.Path, TimeSpan.FromSeconds(60), null, Path.Combine(scripts, "setup.sh"), "1", name, subnet);
        try
        {
            Assert.True(setup.ExitCode == 0, "tools/netns/setup.sh could not create the namespace:\n" + setup);
            using var site = await DaemonSite.StartAsync(scenario.CreateArea(), subnet + ".1", agentTimeoutSeconds: 90);
            await site.AddAgentAsync("cut1", slots: 4, prefix: ["ip", "netns", "exec", name + "1"], coordinator: site.CoordinatorEndpoint, dbwriter: site.DbWriterEndpoint);
            await scenario.RunAndCheckAsync(site, "r1", async () =>
            {
                await scenario.RandomMomentAsync(site, "r1");
                await Ip("link", "set", name + "h1", "down");
                scenario.Injected("network cut 30 s");
                await Task.Delay(s_cut); // the length of the cut, not a synchronisation
                await Ip("link", "set", name + "h1", "up");
            });
        }
        finally
        {
            await MegatestProcess.RunFileAsync("/bin/bash", scenario.Tmp.Path, TimeSpan.FromSeconds(60), null, Path.Combine(scripts, "teardown.sh"), "1", name);
        }
    }

    private static async Task Ip(params string[] args)
    {
        var result = await MegatestProcess.RunFileAsync("ip", "/", TimeSpan.FromSeconds(30), null, args);
        Assert.True(result.ExitCode == 0, $"ip {string.Join(' ', args)} failed:\n{result}");
    }
}
