using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// A site of separate `megatest` processes for one area: a db writer, a coordinator and agents, with their
/// endpoints written into the area's megatest.config [services] section. Dispose stops them with SIGTERM.
/// </summary>
public sealed class DaemonSite : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<DaemonProcess> _agents = [];
    private readonly List<DaemonProcess> _killed = [];
    private readonly Dictionary<string, string[]> _agentCommands = new(StringComparer.Ordinal);
    private readonly int _agentTimeoutSeconds;

    private DaemonSite(string area, DaemonProcess db, DaemonProcess coordinator, string coordinatorEndpoint, string dbEndpoint, int agentTimeoutSeconds)
    {
        Area = area;
        DbWriter = db;
        Coordinator = coordinator;
        CoordinatorEndpoint = coordinatorEndpoint;
        DbWriterEndpoint = dbEndpoint;
        _agentTimeoutSeconds = agentTimeoutSeconds;
    }

    public string Area { get; }

    public DaemonProcess DbWriter { get; private set; }

    public DaemonProcess Coordinator { get; private set; }

    public string CoordinatorEndpoint { get; }

    public string DbWriterEndpoint { get; }

    public IReadOnlyList<DaemonProcess> Agents => _agents;

    /// <summary>Writes [services] for <paramref name="bindHost"/> and starts the db writer and the coordinator.</summary>
    public static async Task<DaemonSite> StartAsync(string area, string bindHost = "127.0.0.1", int agentTimeoutSeconds = 10, string moreServices = "")
    {
        var ports = FreePorts.Take(3);
        var coordinator = $"tcp://{bindHost}:{ports[0]}";
        var dbwriter = $"tcp://{bindHost}:{ports[1]}";
        var publish = $"tcp://{bindHost}:{ports[2]}";
        File.AppendAllText(Path.Combine(area, "megatest.config"),
            $"\n[services]\ncoordinator {coordinator}\ndbwriter {dbwriter}\ndbwriter-publish {publish}\n{moreServices}");
        // Both start at once: the coordinator's sockets connect to the db writer whenever it is up.
        var db = StartDbWriter(area, 1);
        var coord = StartCoordinator(area, 1, agentTimeoutSeconds);
        try
        {
            await Task.WhenAll(db.WaitReadyAsync(StartTimeout), coord.WaitReadyAsync(StartTimeout));
            return new DaemonSite(area, db, coord, coordinator, dbwriter, agentTimeoutSeconds);
        }
        catch
        {
            coord.Dispose();
            db.Dispose();
            throw;
        }
    }

    private static DaemonProcess StartDbWriter(string area, int generation) =>
        DaemonProcess.StartMegatest(generation == 1 ? "dbwriter" : $"dbwriter#{generation}", area, null, "dbwriter");

    private static DaemonProcess StartCoordinator(string area, int generation, int agentTimeoutSeconds) =>
        DaemonProcess.StartMegatest(generation == 1 ? "coordinator" : $"coordinator#{generation}", area, null, "coordinator", "--agent-timeout", agentTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Kills the coordinator with SIGKILL (no goodbye, nothing flushed) and waits until it is gone.</summary>
    public async Task KillCoordinatorAsync() => await KillAsync(Coordinator);

    /// <summary>Starts a new coordinator with the same settings (after <see cref="KillCoordinatorAsync"/>) and waits until it is ready.</summary>
    public async Task RestartCoordinatorAsync()
    {
        Coordinator = StartCoordinator(Area, _killed.Count(p => p.Name.StartsWith("coordinator", StringComparison.Ordinal)) + 1, _agentTimeoutSeconds);
        await Coordinator.WaitReadyAsync(StartTimeout);
    }

    /// <summary>Kills the db writer with SIGKILL and waits until it is gone.</summary>
    public async Task KillDbWriterAsync() => await KillAsync(DbWriter);

    /// <summary>Starts a new db writer on the same endpoints (after <see cref="KillDbWriterAsync"/>) and waits until it is ready.</summary>
    public async Task RestartDbWriterAsync()
    {
        DbWriter = StartDbWriter(Area, _killed.Count(p => p.Name.StartsWith("dbwriter", StringComparison.Ordinal)) + 1);
        await DbWriter.WaitReadyAsync(StartTimeout);
    }

    private async Task KillAsync(DaemonProcess process)
    {
        System.Diagnostics.Process.GetProcessById(process.Pid).Kill();
        await process.WaitForExitAsync(StartTimeout);
        _killed.Add(process);
    }

    /// <summary>Starts agents ID1..IDn at once and waits until all are registered.</summary>
    public async Task AddAgentsAsync(string idPrefix, int count, int slots, Func<int, string[]?>? prefix = null, string? coordinator = null, string? dbwriter = null)
    {
        await Task.WhenAll(Enumerable.Range(1, count).Select(i => AddAgentAsync(idPrefix + i, slots, null, prefix?.Invoke(i), coordinator, dbwriter)));
    }

    /// <summary>Starts an agent (optionally through a prefix such as "ip netns exec NS") and waits until the coordinator registered it.</summary>
    public async Task<DaemonProcess> AddAgentAsync(string id, int slots, string? labels = null, string[]? prefix = null, string? coordinator = null, string? dbwriter = null)
    {
        var args = new List<string> { "agent", "--agent-id", id, "--host", id, "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (labels is not null)
        {
            args.AddRange(["--labels", labels]);
        }

        if (coordinator is not null)
        {
            args.AddRange(["--coordinator", coordinator, "--dbwriter", dbwriter!]);
        }

        string[] command = prefix is null ? [MegatestProcess.Executable, .. args] : [.. prefix, MegatestProcess.Executable, .. args];
        lock (_agents)
        {
            _agentCommands[id] = command;
        }

        return await StartAgentAsync(id, id, command);
    }

    /// <summary>Kills agent <paramref name="id"/> with SIGKILL (its tests' processes live on, as after a crash) and waits until it is gone.</summary>
    public async Task KillAgentAsync(string id)
    {
        DaemonProcess agent;
        lock (_agents)
        {
            agent = _agents.Last(a => a.Name == id || a.Name.StartsWith(id + "#", StringComparison.Ordinal));
            _agents.Remove(agent);
        }

        // Its orphaned tests hold its output pipes open, so wait for the process itself, not for the end of its output.
        System.Diagnostics.Process.GetProcessById(agent.Pid).Kill();
        await Wait.UntilAsync(() => agent.HasExited, StartTimeout, $"{agent.Name} to exit after SIGKILL");
        _killed.Add(agent);
    }

    /// <summary>Starts agent <paramref name="id"/> again with the same arguments (after <see cref="KillAgentAsync"/>) and waits until the coordinator registered it.</summary>
    public Task<DaemonProcess> RestartAgentAsync(string id) =>
        StartAgentAsync(id, $"{id}#{_killed.Count(p => p.Name == id || p.Name.StartsWith(id + "#", StringComparison.Ordinal)) + 1}", _agentCommands[id]);

    /// <summary>Processes killed by a Kill… method, oldest first (their output stays readable).</summary>
    public IReadOnlyList<DaemonProcess> Killed => _killed;

    private async Task<DaemonProcess> StartAgentAsync(string id, string name, string[] command)
    {
        var mark = Coordinator.LineMark;
        var agent = DaemonProcess.Start(name, command[0], Area, null, command[1..]);
        lock (_agents)
        {
            _agents.Add(agent);
        }

        await agent.WaitReadyAsync(StartTimeout);
        await Coordinator.WaitForLineAsync(l => l.Contains($"agent {id} on ", StringComparison.Ordinal) && l.Contains("registered", StringComparison.Ordinal), StartTimeout, $"agent {id} registered", mark);
        return agent;
    }

    public override string ToString() => string.Concat(_killed.Concat(new[] { DbWriter, Coordinator }).Concat(_agents).Select(p => p.ToString()));

    public void Dispose()
    {
        foreach (var p in _killed)
        {
            p.Dispose();
        }

        foreach (var p in _agents.AsEnumerable().Reverse().Append(Coordinator).Append(DbWriter))
        {
            try
            {
                p.TerminateAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                // Already gone (killed by the test) or stuck: Dispose below kills what is left.
            }
            finally
            {
                p.Dispose();
            }
        }
    }
}
