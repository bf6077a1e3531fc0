using Megatest.Testing;

namespace Megatest.Integration.Tests;

/// <summary>
/// A site of separate `megatest` processes for one area: a db writer, a coordinator and agents, with their
/// endpoints written into the area's megatest.config [services] section. Dispose stops them with SIGTERM.
/// </summary>
public sealed class DaemonSite : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly List<DaemonProcess> _agents = [];

    private DaemonSite(string area, DaemonProcess db, DaemonProcess coordinator, string coordinatorEndpoint, string dbEndpoint)
    {
        Area = area;
        DbWriter = db;
        Coordinator = coordinator;
        CoordinatorEndpoint = coordinatorEndpoint;
        DbWriterEndpoint = dbEndpoint;
    }

    public string Area { get; }

    public DaemonProcess DbWriter { get; }

    public DaemonProcess Coordinator { get; }

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
        var db = DaemonProcess.StartMegatest("dbwriter", area, null, "dbwriter");
        var coord = DaemonProcess.StartMegatest("coordinator", area, null, "coordinator", "--agent-timeout", agentTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await Task.WhenAll(db.WaitReadyAsync(StartTimeout), coord.WaitReadyAsync(StartTimeout));
            return new DaemonSite(area, db, coord, coordinator, dbwriter);
        }
        catch
        {
            coord.Dispose();
            db.Dispose();
            throw;
        }
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

        var agent = prefix is null
            ? DaemonProcess.StartMegatest(id, Area, null, [.. args])
            : DaemonProcess.Start(id, prefix[0], Area, null, [.. prefix.Skip(1), MegatestProcess.Executable, .. args]);
        lock (_agents)
        {
            _agents.Add(agent);
        }

        await agent.WaitReadyAsync(StartTimeout);
        await Coordinator.WaitForLineAsync(l => l.Contains($"agent {id} on ", StringComparison.Ordinal) && l.Contains("registered", StringComparison.Ordinal), StartTimeout, $"agent {id} registered");
        return agent;
    }

    public override string ToString() => string.Concat(new[] { DbWriter, Coordinator }.Concat(_agents).Select(p => p.ToString()));

    public void Dispose()
    {
        foreach (var p in _agents.AsEnumerable().Reverse().Append(Coordinator).Append(DbWriter))
        {
            try
            {
                p.TerminateAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            }
            catch (TimeoutException)
            {
            }
            finally
            {
                p.Dispose();
            }
        }
    }
}
