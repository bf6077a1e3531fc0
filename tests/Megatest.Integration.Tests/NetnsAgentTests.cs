using System.Globalization;
using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// Agents on other "hosts": three network namespaces joined to a bridge by veth pairs (tools/netns/setup.sh),
/// an agent in each with its own address; the db writer and the coordinator bind to the bridge address.
/// A run uses every agent, honours [launchers] → [host-types] → agent labels, and writes its run directories
/// on a path all namespaces see. Needs root and iproute2 (CI has both); without them the test fails.
/// </summary>
public sealed class NetnsAgentTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(45);
    private readonly TempDir _tmp = new("netns");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task AgentsInThreeNamespaces_AllTakePart_AndHostTypesPinTests()
    {
        Assert.True(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || IsRoot(),
            "This test creates network namespaces (ip netns) and must run as root: CI runs it as root.");
        Assert.True(File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip") || File.Exists("/bin/ip"),
            "This test needs the 'ip' command (iproute2): apt-get install iproute2.");

        var name = "mt" + Guid.NewGuid().ToString("N")[..5];
        var subnet = "10.213." + Random.Shared.Next(100, 250).ToString(CultureInfo.InvariantCulture);
        var scripts = Path.Combine(TestPaths.RepoRoot, "tools", "netns");
        var setup = await MegatestProcess.RunFileAsync("/bin/bash", _tmp.Path, TimeSpan.FromSeconds(30), null, Path.Combine(scripts, "setup.sh"), "3", name, subnet);
        try
        {
            Assert.True(setup.ExitCode == 0, "tools/netns/setup.sh could not create the namespaces:\n" + setup);
            await RunAcrossNamespaces(name, subnet);
        }
        finally
        {
            await MegatestProcess.RunFileAsync("/bin/bash", _tmp.Path, TimeSpan.FromSeconds(30), null, Path.Combine(scripts, "teardown.sh"), "3", name);
        }
    }

    private async Task RunAcrossNamespaces(string name, string subnet)
    {
        const string whereScript = "ip netns identify $$ > ns.txt\nsleep 2\n";
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"),
            "[jobtools]\nflexi-launcher yes\n\n[launchers]\npinned big\n\n[host-types]\nbig nbfake\n",
            ("spread", [("testconfig", "[items]\nN 1 2 3 4 5 6\n\n[ezsteps]\nwhere bash where.sh\n"), ("where.sh", whereScript)]),
            ("pinned", [("testconfig", "[items]\nN 1 2 3\n\n[ezsteps]\nwhere bash where.sh\n"), ("where.sh", whereScript)]));
        var bridge = subnet + ".1";
        using var site = await DaemonSite.StartAsync(area, bridge);
        var coordinator = site.CoordinatorEndpoint;
        var dbwriter = site.DbWriterEndpoint;
        await Task.WhenAll(Enumerable.Range(1, 3).Select(i =>
            site.AddAgentAsync(name + i, slots: 2, labels: i == 3 ? "big" : "small", prefix: ["ip", "netns", "exec", name + i], coordinator: coordinator, dbwriter: dbwriter)));

        var run = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "n1", "-runname", "r1", "-testpatt", "%");
        Assert.True(run.ExitCode == 0, run.ToString() + site);
        Assert.Contains("Using the coordinator at " + coordinator, run.Stderr, StringComparison.Ordinal);

        using var db = new AreaDb(Path.Combine(area, "megatest.db"));
        var tests = db.Tests("r1");
        Assert.Equal(11, tests.Count);
        Assert.All(tests, t => Assert.True(t.Value.State == "COMPLETED" && t.Value.Status == "PASS", $"{t.Key}: {t.Value}"));

        string Where(string test, int item) => File.ReadAllText(Path.Combine(area, "links", "n1", "r1", test, item.ToString(CultureInfo.InvariantCulture), "ns.txt")).Trim();
        // Every agent took part; "pinned" ([launchers] → host type big) ran only on the agent labelled big.
        var spread = Enumerable.Range(1, 6).Select(i => Where("spread", i)).ToList();
        var pinned = Enumerable.Range(1, 3).Select(i => Where("pinned", i)).ToList();
        Assert.Equal([name + "1", name + "2", name + "3"], spread.Concat(pinned).Distinct().Order(StringComparer.Ordinal));
        Assert.True(spread.Distinct().Count() >= 2, "tests without a host type spread over the agents: " + string.Join(",", spread));
        Assert.All(pinned, ns => Assert.Equal(name + "3", ns));
    }

    private static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
}
