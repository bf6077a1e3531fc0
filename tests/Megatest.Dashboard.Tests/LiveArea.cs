using Megatest.Agent;
using Megatest.Config;
using Megatest.DbWriter;
using Megatest.Scheduling;
using Megatest.Testing;

namespace Megatest.Dashboard.Tests;

/// <summary>An area copied to a scratch directory with the real roles (db writer, coordinator, one agent) and a dashboard hosted in this process.</summary>
public sealed class LiveArea : IAsyncDisposable
{
    private readonly TempDir _tmp;
    private readonly DbWriterService _db;
    private readonly CoordinatorService _coordinator;
    private readonly AgentService _agent;

    private LiveArea(TempDir tmp, string path, DbWriterService db, CoordinatorService coordinator, AgentService agent, DashboardServer server)
    {
        _tmp = tmp;
        Path = path;
        _db = db;
        _coordinator = coordinator;
        _agent = agent;
        Server = server;
    }

    /// <summary>The area's top directory.</summary>
    public string Path { get; }

    /// <summary>The area's database.</summary>
    public string DatabasePath => System.IO.Path.Combine(Path, "megatest.db");

    /// <summary>The dashboard.</summary>
    public DashboardServer Server { get; }

    /// <summary>The coordinator's endpoint.</summary>
    public string CoordinatorEndpoint => _coordinator.Endpoint;

    /// <summary>Copies <paramref name="source"/> and starts the roles and a dashboard (options tweakable by <paramref name="configure"/>).</summary>
    public static async Task<LiveArea> StartAsync(string source, Func<DashboardOptions, DashboardOptions>? configure = null)
    {
        var tmp = new TempDir("dash");
        var path = tmp.CopyFrom(source, System.IO.Path.GetFileName(source.TrimEnd('/')));
        Directory.CreateDirectory(System.IO.Path.Combine(path, "runs"));
        var area = AreaConfig.Load(path, null, EnvironmentScope.FromProcess());
        var db = new DbWriterService(new DbWriterOptions { DatabasePath = System.IO.Path.Combine(path, "megatest.db"), Keys = area.Keys });
        db.Start();
        var coordinator = new CoordinatorService(new CoordinatorOptions { AreaPath = path, DbWriterEndpoint = db.Endpoint, DbWriterPublishEndpoint = db.PublishEndpoint });
        coordinator.Start();
        var agent = new AgentService(new AgentOptions { CoordinatorEndpoint = coordinator.Endpoint, DbWriterEndpoint = db.Endpoint, AgentId = "dash-test-" + Guid.NewGuid().ToString("N")[..6], Slots = 4 });
        agent.Start();
        var options = new DashboardOptions
        {
            AreaPath = path,
            DatabasePath = System.IO.Path.Combine(path, "megatest.db"),
            CoordinatorEndpoint = coordinator.Endpoint,
            DbWriterEndpoint = db.Endpoint,
            PublishEndpoint = db.PublishEndpoint,
        };
        var server = new DashboardServer(configure is null ? options : configure(options));
        await server.StartAsync();
        await server.WaitForLiveAsync(TimeSpan.FromSeconds(20));
        await Wait.UntilAsync(() => coordinator.AgentCount > 0, TimeSpan.FromSeconds(20), "the agent to register");
        return new LiveArea(tmp, path, db, coordinator, agent, server);
    }

    /// <summary>Starts a run through the coordinator, as megatest -run does.</summary>
    public RunDriver Run(string target, string runName, string testPatt = "%") =>
        RunDriver.Start(_coordinator.Endpoint, new Protocol.RunRequest { Target = target, RunName = runName, TestPatt = testPatt, Owner = "test", RerunStatuses = [] });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _agent.Dispose();
        _coordinator.Dispose();
        _db.Dispose();
        _tmp.Dispose();
    }
}
