using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// `megatest -kill-runs` against daemons: every process of the selected running tests (the step's shell when it has one,
/// the script it runs and that script's child) is gone, and the tests end KILLED/KILLED in the database. A step with
/// shell syntax runs under bash; a simple command (<c>bash nap.sh</c>) is started by the agent directly, so the
/// script's parent is the agent itself, which must live on.
/// </summary>
public sealed class DaemonKillTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(40);
    private readonly TempDir _tmp = new("kill");

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("bash nap.sh ;", true)]
    [InlineData("bash nap.sh", false)]
    public async Task KillRuns_EndsEveryProcessOfTheTests_AndTheyEndKilled(string step, bool underBash)
    {
        var area = ScratchArea.Create(Path.Combine(_tmp.Path, "area"), "",
            ("sleeper", [
                ("testconfig", $"[items]\nN 1 2 3\n\n[ezsteps]\nnap {step}\n"),
                ("nap.sh", "sleep 600 &\necho $PPID $$ $! > pids\nwait\n"),
            ]));
        using var site = await DaemonSite.StartAsync(area);
        await site.AddAgentsAsync("agent", 2, slots: 2);

        var ack = await MegatestProcess.RunAsync(area, s_timeout, "-run", "-target", "k1", "-runname", "sleepy", "-testpatt", "%", "-no-follow");
        Assert.True(ack.ExitCode == 0, ack.ToString() + site);
        Assert.Contains("sleepy: ", ack.Stdout, StringComparison.Ordinal);

        // Each item's script writes the pids of the step's shell, its own and its sleep's once it runs.
        var links = Path.Combine(area, "links", "k1", "sleepy", "sleeper");
        var pidFiles = Enumerable.Range(1, 3).Select(i => Path.Combine(links, i.ToString(System.Globalization.CultureInfo.InvariantCulture), "pids")).ToArray();
        await Wait.UntilAsync(() => pidFiles.All(f => File.Exists(f) && File.ReadAllText(f).Trim().Split(' ').Length == 3), s_timeout, "every item to be running\n" + site);
        var pids = pidFiles.SelectMany(f => File.ReadAllText(f).Trim().Split(' ')).Select(int.Parse).ToList();
        Assert.Equal(9, pids.Count);
        var agents = site.Agents.Select(a => a.Pid).ToHashSet();
        var parents = pids.Where((_, i) => i % 3 == 0).ToList();
        Assert.All(parents, pid => Assert.Equal(!underBash, agents.Contains(pid)));
        if (!underBash)
        {
            pids = pids.Where((_, i) => i % 3 != 0).ToList();
        }

        Assert.All(pids, pid => Assert.True(Alive(pid), $"process {pid} should be running"));
        await Wait.UntilAsync(() =>
        {
            using var db = new AreaDb(Path.Combine(area, "megatest.db"));
            return db.Tests("sleepy").Count(t => t.Key.Item.Length > 0 && t.Value.State == "RUNNING") == 3;
        }, s_timeout, "the items to be RUNNING in the database");

        var kill = await MegatestProcess.RunAsync(area, s_timeout, "-kill-runs", "-target", "k1", "-runname", "sleepy", "-testpatt", "sleeper");
        Assert.True(kill.ExitCode == 0, kill.ToString());
        Assert.Contains("accepted: kill sent for 3 running tests", kill.Stdout, StringComparison.Ordinal);

        await Wait.UntilAsync(() => pids.All(pid => !Alive(pid)), s_timeout, "every test process to end: " + string.Join(",", pids));
        Assert.All(agents, pid => Assert.True(Alive(pid), $"agent {pid} should live on"));
        await Wait.UntilAsync(() =>
        {
            using var db = new AreaDb(Path.Combine(area, "megatest.db"));
            var items = db.Tests("sleepy").Where(t => t.Key.Item.Length > 0).ToList();
            return items.Count == 3 && items.All(t => t.Value.State == "KILLED" && t.Value.Status == "KILLED");
        }, s_timeout, "the items to be KILLED/KILLED in the database\n" + site);
    }

    /// <summary>A process exists and is not a zombie waiting to be reaped.</summary>
    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
