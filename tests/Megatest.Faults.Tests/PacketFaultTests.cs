using Megatest.Integration.Tests;
using Xunit.Abstractions;

namespace Megatest.Faults.Tests;

/// <summary>
/// Agents talk to the coordinator and the db writer through <see cref="ZmqFaultProxy"/>s that duplicate, delay and
/// reorder messages both ways for the whole run. Status packets are applied once whatever arrives twice; the
/// database must end equal to the fault-free reference.
/// </summary>
public sealed class PacketFaultTests(ITestOutputHelper output)
{
    private const int Runs = 2;

    [Fact]
    public async Task DuplicatedDelayedAndReorderedPackets_RunsEqualTheReference()
    {
        using var scenario = new FaultScenario("packets", output);
        using var site = await DaemonSite.StartAsync(scenario.CreateArea());
        using var toCoordinator = new ZmqFaultProxy(site.CoordinatorEndpoint, scenario.Random.Next());
        using var toDbWriter = new ZmqFaultProxy(site.DbWriterEndpoint, scenario.Random.Next());
        await Task.WhenAll(
            site.AddAgentAsync("agent1", slots: 2, coordinator: toCoordinator.Endpoint, dbwriter: toDbWriter.Endpoint),
            site.AddAgentAsync("agent2", slots: 2, coordinator: toCoordinator.Endpoint, dbwriter: toDbWriter.Endpoint));
        for (var run = 1; run <= Runs; run++)
        {
            var before = Totals(toCoordinator, toDbWriter);
            await scenario.RunAndCheckAsync(site, $"r{run}", null, () =>
            {
                var after = Totals(toCoordinator, toDbWriter);
                scenario.Injected("packet duplicated", after.Duplicated - before.Duplicated);
                scenario.Injected("packet delayed", after.Delayed - before.Delayed);
                scenario.Injected("packet reordered", after.Reordered - before.Reordered);
                output.WriteLine($"messages forwarded: {after.Forwarded - before.Forwarded}");
            });
        }
    }

    private static (int Duplicated, int Delayed, int Reordered, int Forwarded) Totals(ZmqFaultProxy a, ZmqFaultProxy b) =>
        (a.Counts.Duplicated + b.Counts.Duplicated, a.Counts.Delayed + b.Counts.Delayed, a.Counts.Reordered + b.Counts.Reordered, a.Counts.Forwarded + b.Counts.Forwarded);
}
