using Megatest.Agent;
using Megatest.Config;
using Megatest.DbWriter;
using Megatest.Monitor;
using Megatest.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Megatest.Cli.Hosting;

/// <summary>Registers each Megatest role as a hosted service, with its options taken from <see cref="DaemonSettings"/>.</summary>
public static class HostingExtensions
{
    /// <summary>The db writer of the area: binds [services] dbwriter and dbwriter-publish (default: free loopback ports).</summary>
    public static IServiceCollection AddMegatestDbWriter(this IServiceCollection services, DaemonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var area = LoadArea(settings, "dbwriter");
        services.AddSingleton(AreaDbWriter.Options(area, settings.DbWriter, settings.DbWriterPublish, settings.SecuritySettings.Load(serves: true)));
        services.AddHostedService<DbWriterHostedService>();
        return services;
    }

    /// <summary>The coordinator of the area: binds [services] coordinator, talks to the db writer.</summary>
    public static IServiceCollection AddMegatestCoordinator(this IServiceCollection services, DaemonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var area = LoadArea(settings, "coordinator");
        services.AddSingleton(new CoordinatorOptions
        {
            AreaPath = area.TopPath,
            Endpoint = settings.Coordinator ?? "tcp://127.0.0.1:0",
            DbWriterEndpoint = ServiceEndpoints.Connectable(DaemonSettings.Require(settings.DbWriter, "dbwriter", "coordinator")),
            DbWriterPublishEndpoint = ServiceEndpoints.Connectable(DaemonSettings.Require(settings.DbWriterPublish, "dbwriter-publish", "coordinator")),
            HeartbeatInterval = TimeSpan.FromMilliseconds(settings.Heartbeat ?? 1000),
            AgentTimeout = TimeSpan.FromSeconds(settings.AgentTimeout ?? 10),
            Security = settings.SecuritySettings.Load(serves: true),
        });
        services.AddHostedService<CoordinatorHostedService>();
        return services;
    }

    /// <summary>An agent of this host: connects to the coordinator and the db writer.</summary>
    public static IServiceCollection AddMegatestAgent(this IServiceCollection services, DaemonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var host = settings.Host is { Length: > 0 } h ? h : Environment.MachineName;
        services.AddSingleton(new AgentOptions
        {
            CoordinatorEndpoint = ServiceEndpoints.Connectable(DaemonSettings.Require(settings.Coordinator, "coordinator", "agent")),
            DbWriterEndpoint = ServiceEndpoints.Connectable(DaemonSettings.Require(settings.DbWriter, "dbwriter", "agent")),
            InTestEndpoint = settings.InTest ?? "tcp://127.0.0.1:0",
            Slots = settings.Slots is > 0 and var slots ? slots : Environment.ProcessorCount,
            Labels = settings.LabelList(),
            Host = host,
            AgentId = settings.AgentId is { Length: > 0 } id ? id : $"{host}-{Environment.ProcessId}",
            IdleExit = settings.IdleExit is > 0 and var idle ? TimeSpan.FromSeconds(idle) : null,
            MaxTests = settings.MaxTests is > 0 and var max ? max : 0,
            Security = settings.SecuritySettings.Load(serves: false),
            JournalDirectory = settings.Journal is { Length: > 0 } journal ? Path.GetFullPath(journal) : null,
        });
        services.AddHostedService<AgentHostedService>();
        return services;
    }

    /// <summary>A monitor: subscribes to the db writer's change stream with filters and prints what it gets.</summary>
    public static IServiceCollection AddMegatestMonitor(this IServiceCollection services, DaemonSettings settings, MonitorFilter filter, bool json)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(new MonitorOptions
        {
            DbWriterEndpoint = ServiceEndpoints.Connectable(DaemonSettings.Require(settings.DbWriter, "dbwriter", "monitor")),
            PublishEndpoint = ServiceEndpoints.Connectable(DaemonSettings.Require(settings.DbWriterPublish, "dbwriter-publish", "monitor")),
            Filter = filter,
            Once = settings.Once,
            Security = settings.SecuritySettings.Load(serves: false),
        });
        services.AddSingleton<IMonitorSink>(json ? new JsonMonitorSink(Console.Out) : new PlainMonitorSink(Console.Out));
        services.AddHostedService<MonitorHostedService>();
        return services;
    }

    private static AreaConfig LoadArea(DaemonSettings settings, string verb) =>
        settings.Area is { } area
            ? AreaConfig.Load(area, null, EnvironmentScope.FromProcess())
            : throw new UsageException($"megatest {verb} runs next to an area: start it in the area's directory or give --area PATH");
}
