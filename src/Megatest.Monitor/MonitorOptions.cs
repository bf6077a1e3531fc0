namespace Megatest.Monitor;

/// <summary>Where a monitor reaches the db writer and what it follows.</summary>
public sealed class MonitorOptions
{
    /// <summary>The db writer's ROUTER endpoint (snapshots and run lists).</summary>
    public required string DbWriterEndpoint { get; init; }

    /// <summary>The db writer's PUB endpoint (the change stream).</summary>
    public required string PublishEndpoint { get; init; }

    /// <summary>Which runs and tests.</summary>
    public MonitorFilter Filter { get; init; } = MonitorFilter.All;

    /// <summary>Print the snapshots and stop instead of following.</summary>
    public bool Once { get; init; }

    /// <summary>How long to wait for the db writer to answer before asking again.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>CURVE keys and allowlist of this role's links; null for plain links (the embedded default).</summary>
    public Megatest.Protocol.Transport.Security.TransportSecurity? Security { get; init; }
}
