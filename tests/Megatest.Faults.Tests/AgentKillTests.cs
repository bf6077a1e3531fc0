using Megatest.Integration.Tests;
using Xunit.Abstractions;

namespace Megatest.Faults.Tests;

/// <summary>
/// SIGKILL of an agent (one running tests, when there is one) at a random moment of each run, then the agent
/// started again with the same id, as a service manager would. Its tests end INCOMPLETE and run again
/// ([setup] reruns); the database must end equal to the fault-free reference.
/// </summary>
public sealed class AgentKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AgentKilledAtRandomMoments_RunsEqualTheReference()
    {
        using var scenario = new FaultScenario("kill-agent", output);
        using var site = await DaemonSite.StartAsync(scenario.CreateArea(), agentTimeoutSeconds: 30);
        await site.AddAgentsAsync("agent", 2, slots: 2);
        for (var run = 1; run <= FaultScenario.RunsEach; run++)
        {
            var runName = $"r{run}";
            await scenario.RunAndCheckAsync(site, runName, async () =>
            {
                await scenario.RandomMomentAsync(site, runName);
                var victim = scenario.PickAgent(site);
                scenario.Injected("SIGKILL agent");
                await site.KillAgentAsync(victim);
                await site.RestartAgentAsync(victim);
            });
        }
    }
}
