using Megatest.Integration.Tests;
using Megatest.Testing;
using Xunit.Abstractions;

namespace Megatest.Faults.Tests;

/// <summary>
/// One scenario's runs: starts a run of <see cref="FaultArea"/>, injects faults while it runs, waits for its end
/// and compares what the database holds with the fault-free <see cref="Reference"/>; records the figures.
/// </summary>
public sealed class FaultScenario : IDisposable
{
    /// <summary>The target every run uses.</summary>
    public const string Target = "f1";

    /// <summary>Runs of each kill scenario (a fault in each).</summary>
    public const int RunsEach = 3;

    /// <summary>How long one run may take, faults and recovery included.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, int> _faults = new(StringComparer.Ordinal);

    /// <summary>Creates the scenario <paramref name="name"/> with its own directory and randomness.</summary>
    public FaultScenario(string name, ITestOutputHelper output)
    {
        Name = name;
        _output = output;
        Tmp = new TempDir("fault-" + name);
        Random = FaultLedger.RandomFor(name);
        _output.WriteLine($"scenario {name}, seed {FaultLedger.Seed} (MEGATEST_FAULT_SEED={FaultLedger.Seed} replays it)");
    }

    /// <summary>The scenario's name.</summary>
    public string Name { get; }

    /// <summary>The scenario's seeded randomness.</summary>
    public Random Random { get; }

    /// <summary>The scenario's directory.</summary>
    public TempDir Tmp { get; }

    /// <summary>Writes the area under the scenario's directory.</summary>
    public string CreateArea(string extraConfig = "") => FaultArea.Create(Path.Combine(Tmp.Path, "area"), extraConfig);

    /// <summary>Counts one fault of <paramref name="kind"/> in the run under way.</summary>
    public void Injected(string kind, int count = 1)
    {
        if (count == 0)
        {
            return;
        }

        lock (_faults)
        {
            _faults[kind] = _faults.GetValueOrDefault(kind) + count;
        }

        _output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} injected {count} × {kind}");
    }

    /// <summary>
    /// Waits for a random moment of run <paramref name="runName"/> while its tests run: until a random number (1 to
    /// 5) of its tests have started or finished, then a random 0-300 ms more.
    /// </summary>
    public async Task RandomMomentAsync(DaemonSite site, string runName)
    {
        ArgumentNullException.ThrowIfNull(site);
        var progress = Random.Next(1, 6);
        var jitter = TimeSpan.FromMilliseconds(Random.Next(0, 300));
        var db = Path.Combine(site.Area, "megatest.db");
        await Wait.UntilAsync(() => File.Exists(db) && Outcome.Started(db, runName) >= progress, RunTimeout, $"{progress} tests of {runName} to start");
        await Task.Delay(jitter); // part of the fault's random moment, not a synchronisation
    }

    /// <summary>
    /// Runs <see cref="RunsEach"/> runs on <paramref name="site"/>; in each, at a random moment, injects
    /// <paramref name="fault"/> by <paramref name="kill"/> and then <paramref name="restart"/>; checks each run.
    /// </summary>
    public async Task KillAndRestartInEachRunAsync(DaemonSite site, string fault, Func<Task> kill, Func<Task> restart)
    {
        ArgumentNullException.ThrowIfNull(kill);
        ArgumentNullException.ThrowIfNull(restart);
        for (var run = 1; run <= RunsEach; run++)
        {
            var runName = $"r{run}";
            await RunAndCheckAsync(site, runName, async () =>
            {
                await RandomMomentAsync(site, runName);
                Injected(fault);
                await kill();
                await restart();
            });
        }
    }

    /// <summary>
    /// Runs <paramref name="runName"/> on <paramref name="site"/> while <paramref name="inject"/> injects faults,
    /// waits for the run to end, compares it with the reference and records the figures (<paramref name="countFaults"/>
    /// counts faults injected all along, after the run). Returns the comparison.
    /// </summary>
    public async Task<Comparison> RunAndCheckAsync(DaemonSite site, string runName, Func<Task>? inject, Action? countFaults = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        var reference = await Reference.GetAsync();
        lock (_faults)
        {
            _faults.Clear();
        }

        string? failure = null;
        try
        {
            await RunToEndAsync(site, runName, inject);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            failure = ex.Message;
        }

        countFaults?.Invoke();
        var outcome = Outcome.Read(Path.Combine(site.Area, "megatest.db"), runName);
        var comparison = outcome.CompareWith(reference);
        Dictionary<string, int> faults;
        lock (_faults)
        {
            faults = new Dictionary<string, int>(_faults, StringComparer.Ordinal);
        }

        var summary = FaultLedger.Record(Name, runName, faults, comparison, outcome.Reruns);
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(FaultLedger.SummaryPath)!, $"faults-{Name}.log"), site.ToString());
        _output.WriteLine($"{Name} {runName}: faults {string.Join(", ", faults.Select(kv => $"{kv.Key} {kv.Value}"))}; reruns {outcome.Reruns}; {comparison}");
        _output.WriteLine(summary);
        Assert.True(failure is null && comparison.Same, $"{Name} {runName}: {failure}\n{comparison}\n--- reference\n{reference}\n--- this run\n{outcome}\n{site}");
        return comparison;
    }

    /// <summary>Asks the coordinator for the run, injects while it runs, and waits until a coordinator says the run ended.</summary>
    public static async Task RunToEndAsync(DaemonSite site, string runName, Func<Task>? inject)
    {
        ArgumentNullException.ThrowIfNull(site);
        var ack = await MegatestProcess.RunAsync(site.Area, TimeSpan.FromSeconds(60), "-run", "-target", Target, "-runname", runName, "-testpatt", "%", "-no-follow");
        if (ack.ExitCode != 0 || !ack.Stdout.Contains(runName + ": ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the run {runName} was not accepted:\n{ack}");
        }

        var injecting = inject?.Invoke() ?? Task.CompletedTask;
        var ended = $"run {Target}/{runName} ended";
        await Wait.UntilAsync(
            () => site.Killed.Append(site.Coordinator).Any(c => c.Name.StartsWith("coordinator", StringComparison.Ordinal) && c.Stderr.Contains(ended, StringComparison.Ordinal)),
            RunTimeout, $"run {runName} to end");
        await injecting;
    }

    /// <summary>A random agent of <paramref name="site"/>'s, one with tests running (child processes) when there is one; returns its id.</summary>
    public string PickAgent(DaemonSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var agents = site.Agents.ToList();
        var busy = agents.Where(a => !a.HasExited && HasChildren(a.Pid)).ToList();
        var pool = busy.Count > 0 ? busy : agents;
        return pool[Random.Next(pool.Count)].Name.Split('#')[0];
    }

    /// <summary>Ends what a killed agent left running (test processes working in this scenario's directory), then removes the directory.</summary>
    public void Dispose()
    {
        foreach (var dir in Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
        {
            try
            {
                var cwd = new DirectoryInfo($"/proc/{dir}/cwd").LinkTarget;
                if (cwd is not null && cwd.StartsWith(Tmp.Path + "/", StringComparison.Ordinal))
                {
                    using var orphan = System.Diagnostics.Process.GetProcessById(int.Parse(dir!, System.Globalization.CultureInfo.InvariantCulture));
                    orphan.Kill();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone already, or not ours to look at.
            }
        }

        Tmp.Dispose();
    }

    private static bool HasChildren(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task").Any(t => File.ReadAllText(Path.Combine(t, "children")).Trim().Length > 0);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
