namespace Megatest.Scheduling;

/// <summary>The coordinator's area and endpoints.</summary>
public sealed class CoordinatorOptions
{
    /// <summary>Top path of the area this coordinator serves.</summary>
    public required string AreaPath { get; init; }

    /// <summary>ROUTER endpoint for agents and CLI clients; port 0 picks a free port.</summary>
    public string Endpoint { get; init; } = "tcp://127.0.0.1:0";

    /// <summary>The db writer's ROUTER endpoint.</summary>
    public required string DbWriterEndpoint { get; init; }

    /// <summary>The db writer's PUB endpoint.</summary>
    public required string DbWriterPublishEndpoint { get; init; }

    /// <summary>Heartbeat interval told to agents.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An agent silent for longer than this is dropped; its tests in flight end INCOMPLETE.</summary>
    public TimeSpan AgentTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sender id in headers.</summary>
    public string SenderId { get; init; } = "coordinator@" + Environment.MachineName;

    /// <summary>Control packets one client may send a second (sustained); more are refused with a reason.</summary>
    public double ControlPacketsPerSecond { get; init; } = 200;

    /// <summary>Control packets one client may send at once before the sustained rate applies.</summary>
    public int ControlPacketBurst { get; init; } = 1000;

    /// <summary>CURVE keys and allowlist of this role's links; null for plain links (the embedded default).</summary>
    public Megatest.Protocol.Transport.Security.TransportSecurity? Security { get; init; }
}
