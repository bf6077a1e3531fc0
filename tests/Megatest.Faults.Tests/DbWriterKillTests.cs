using Megatest.Integration.Tests;
using Xunit.Abstractions;

namespace Megatest.Faults.Tests;

/// <summary>
/// SIGKILL of the db writer at a random moment of each run, then a new db writer on the same endpoints. What it
/// had not committed is sent again by the agents and the coordinator; the database must end equal to the reference.
/// </summary>
public sealed class DbWriterKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DbWriterKilledAtRandomMoments_RunsEqualTheReference()
    {
        using var scenario = new FaultScenario("kill-dbwriter", output);
        using var site = await DaemonSite.StartAsync(scenario.CreateArea());
        await site.AddAgentsAsync("agent", 2, slots: 2);
        await scenario.KillAndRestartInEachRunAsync(site, "SIGKILL dbwriter", site.KillDbWriterAsync, site.RestartDbWriterAsync);
    }
}
