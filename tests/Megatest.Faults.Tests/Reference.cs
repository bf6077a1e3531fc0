using Megatest.Integration.Tests;
using Megatest.Testing;

namespace Megatest.Faults.Tests;

/// <summary>
/// The fault-free run every scenario is compared with: the same area, run once by the same daemons with one
/// agent and nothing injected. Computed once for the whole suite (the scenarios share it).
/// </summary>
public static class Reference
{
    private static readonly Lazy<Task<Outcome>> s_run = new(RunAsync);

    /// <summary>The reference outcome.</summary>
    public static Task<Outcome> GetAsync() => s_run.Value;

    private static async Task<Outcome> RunAsync()
    {
        using var tmp = new TempDir("faultref");
        var area = FaultArea.Create(Path.Combine(tmp.Path, "area"));
        using var site = await DaemonSite.StartAsync(area);
        await site.AddAgentAsync("ref", slots: 4);
        await FaultScenario.RunToEndAsync(site, "ref", null);
        var outcome = Outcome.Read(Path.Combine(area, "megatest.db"), "ref");
        var tests = outcome.Facts.Count(f => f.Key.StartsWith("test ", StringComparison.Ordinal));
        if (tests != FaultArea.Rows || outcome.Facts.Any(f => f.Key.StartsWith("test ", StringComparison.Ordinal) && f.Value.StartsWith("INCOMPLETE", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"the fault-free reference run is not what the area makes ({FaultArea.Rows} rows):\n{outcome}\n{site}");
        }

        return outcome;
    }
}
