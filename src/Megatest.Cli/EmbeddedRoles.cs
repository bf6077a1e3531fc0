using Megatest.Agent;
using Megatest.Config;
using Megatest.DbWriter;
using Megatest.Scheduling;
using Microsoft.Extensions.Logging;
using NetMQ;

namespace Megatest.Cli;

/// <summary>
/// The single-machine default: a db writer, a coordinator and one local agent started inside this
/// process, still talking real packets over loopback TCP.
/// </summary>
public sealed class EmbeddedRoles : IDisposable
{
    private readonly DbWriterService _db;
    private readonly CoordinatorService _coordinator;
    private readonly AgentService? _agent;

    /// <summary>Starts the three roles for <paramref name="area"/>.</summary>
    public EmbeddedRoles(AreaConfig area, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(logs);
        _db = new DbWriterService(AreaDbWriter.Options(area), logs.CreateLogger("dbwriter"));
        _db.Start();
        _coordinator = new CoordinatorService(new CoordinatorOptions
        {
            AreaPath = area.TopPath,
            DbWriterEndpoint = _db.Endpoint,
            DbWriterPublishEndpoint = _db.PublishEndpoint,
            Resumable = false, // its runs end with this process: a later coordinator must not take them up
        }, logs.CreateLogger("coordinator"));
        _coordinator.Start();
        if (SlurmSettings.IsSelected(area.Megatest))
        {
            // [jobtools] launcher slurm: the coordinator's Slurm jobs bring the agents; no local one.
            return;
        }

        _agent = new AgentService(new AgentOptions
        {
            CoordinatorEndpoint = _coordinator.Endpoint,
            DbWriterEndpoint = _db.Endpoint,
            AgentId = "local-" + Environment.ProcessId,
            Slots = LocalSlots(area),
        }, logs.CreateLogger("agent"));
        _agent.Start();
    }

    /// <summary>
    /// Slots of the local agent: [setup] max_concurrent_jobs when set (the local agent is the only launcher, so the
    /// setting, not the number of cores, says how many tests run at once), else the number of cores.
    /// </summary>
    public static int LocalSlots(AreaConfig area)
    {
        ArgumentNullException.ThrowIfNull(area);
        return RunPlanner.MaxConcurrentJobs(area) ?? Environment.ProcessorCount;
    }

    /// <summary>The coordinator's endpoint.</summary>
    public string CoordinatorEndpoint => _coordinator.Endpoint;

    /// <summary>The db writer's change stream endpoint.</summary>
    public string PublishEndpoint => _db.PublishEndpoint;

    /// <inheritdoc />
    public void Dispose()
    {
        _agent?.Dispose();
        _coordinator.Dispose();
        _db.Dispose();
        NetMQConfig.Cleanup(block: false);
    }
}
