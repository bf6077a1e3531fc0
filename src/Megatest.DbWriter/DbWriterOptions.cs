using Megatest.Storage;

namespace Megatest.DbWriter;

/// <summary>Where the db writer keeps the database and where it listens.</summary>
public sealed class DbWriterOptions
{
    /// <summary>Path of megatest.db.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The area's keys, in [fields] order.</summary>
    public required IReadOnlyList<string> Keys { get; init; }

    /// <summary>Where each run's tests live (megatest.config <c>[db] api</c>); a database keeps the layout it started with.</summary>
    public DatabaseLayout Layout { get; init; } = DatabaseLayout.Legacy;

    /// <summary>ROUTER endpoint for packets from the coordinator, agents and clients; port 0 picks a free port.</summary>
    public string Endpoint { get; init; } = "tcp://127.0.0.1:0";

    /// <summary>PUB endpoint of the committed-change stream; port 0 picks a free port.</summary>
    public string PublishEndpoint { get; init; } = "tcp://127.0.0.1:0";

    /// <summary>Most packets applied in one transaction.</summary>
    public int MaxBatch { get; init; } = 2000;

    /// <summary>Sender id in headers.</summary>
    public string SenderId { get; init; } = "dbwriter@" + Environment.MachineName;

    /// <summary>CURVE keys and allowlist of this role's links; null for plain links (the embedded default).</summary>
    public Megatest.Protocol.Transport.Security.TransportSecurity? Security { get; init; }
}
