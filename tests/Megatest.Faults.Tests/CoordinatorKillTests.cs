using Megatest.Integration.Tests;
using Xunit.Abstractions;

namespace Megatest.Faults.Tests;

/// <summary>
/// SIGKILL of the coordinator at a random moment of each run, then a new coordinator on the same endpoints: it
/// must pick the run up where the database says it is; the database must end equal to the reference.
/// </summary>
public sealed class CoordinatorKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CoordinatorKilledAtRandomMoments_RunsEqualTheReference()
    {
        using var scenario = new FaultScenario("kill-coordinator", output);
        using var site = await DaemonSite.StartAsync(scenario.CreateArea());
        await site.AddAgentsAsync("agent", 2, slots: 2);
        await scenario.KillAndRestartInEachRunAsync(site, "SIGKILL coordinator", site.KillCoordinatorAsync, site.RestartCoordinatorAsync);
    }
}
