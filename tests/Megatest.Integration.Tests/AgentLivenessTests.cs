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

    [Fact]
    public async Task AgentSignalledTogetherWithItsTests_TheirDeathIsNoResult_AndTheyRunAgainElsewhere()
    {
        // As `scancel` does to an agent job: SIGTERM to the agent and to every process of its tests at once. The steps
        // die of the signal (exit 143) and may be seen before the agent's own SIGTERM; that is no FAIL but a system failure.
        var tests = Enumerable.Range(1, 3).Select(i => ($"t{i}", new[] { ("testconfig", "[ezsteps]\nnap sleep 5\n") })).ToArray();
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "[setup]\nreruns 2\n", tests);
        using var site = await DaemonSite.StartAsync(area);
        var victim = await site.AddAgentAsync("victim", slots: 3);
        using var run = DaemonProcess.StartMegatest("run", area, null, "-run", "-target", "k1", "-runname", "sig", "-testpatt", "%");
        var dbPath = Path.Combine(area, "megatest.db");
        List<int> steps = [];
        await Wait.UntilAsync(() =>
        {
            steps = [.. Descendants(victim.Pid).Where(pid => Command(pid) == "sleep")];
            return steps.Count == 3;
        }, s_timeout, "the three steps to run in the victim agent\n" + site);

        // The tests' processes first, the agent as soon as they are gone: Slurm signals a job's processes in no set
        // order, and a step's end seen before the agent's own SIGTERM is the case that once made a FAIL.
        var tree = Descendants(victim.Pid).ToList();
        await Signal(tree);
        await Wait.UntilAsync(() => !steps.Any(pid => Directory.Exists($"/proc/{pid}")), s_timeout, "the steps to die of SIGTERM");
        await Signal([victim.Pid]);
        Assert.Equal(0, await victim.WaitForExitAsync(s_timeout));
        await site.AddAgentAsync("rescuer", slots: 3);
        Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, run + site.ToString());

        using var db = new AreaDb(dbPath);
        var rows = db.Tests("sig");
        Assert.Equal(3, rows.Count);
        Assert.All(rows, t => Assert.True(t.Value is { State: "COMPLETED", Status: "PASS" }, $"{t.Key}: {t.Value}\n{run}{site}"));
    }

    private static async Task Signal(IEnumerable<int> pids)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", .. pids.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))])!;
        await kill.WaitForExitAsync();
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var p) && ParentOf(p) is { } parent)
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(p);
            }
        }

        var queue = new Queue<int>([pid]);
        while (queue.TryDequeue(out var next))
        {
            foreach (var child in children.GetValueOrDefault(next) ?? [])
            {
                yield return child;
                queue.Enqueue(child);
            }
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null; // gone meanwhile
        }
    }

    private static string Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
